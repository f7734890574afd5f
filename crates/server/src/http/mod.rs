//! The REST API under `/api/v1` and the web pages: one route table ([`routes`]) declares each
//! route's method, path, permission and handler; the router is mounted from it, the
//! authorization layer reads it, and the OpenAPI document is generated from it (the handler's
//! signature gives the request and response types).

mod error;
mod handlers;
pub mod openapi;
pub mod web;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

pub use error::ApiError;

use crate::domain::{self, Permission, Principal};
use crate::store::Store;

/// What every handler shares.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub max_upload_bytes: usize,
    /// Whether the session cookie is marked `Secure` whatever the request says (the server is
    /// reached over HTTPS only): `GATEHOUSE_SECURE_COOKIES=true`. Without it, the cookie is
    /// `Secure` when the request came through a TLS-terminating proxy (`X-Forwarded-Proto: https`).
    pub secure_cookies: bool,
    pub notify: Arc<crate::domain::notify::NotifyConfig>,
    permissions: Arc<HashMap<(Method, &'static str), Permission>>,
}

/// An HTTP method of the route table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    Get,
    Post,
    Patch,
}

impl Verb {
    pub fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
            Verb::Patch => Method::PATCH,
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Patch => MethodFilter::PATCH,
        }
    }
}

/// One route: method, path (axum syntax), the permission it needs, and its handler.
pub struct Route {
    pub verb: Verb,
    pub path: &'static str,
    pub permission: Permission,
    pub summary: &'static str,
    /// Error statuses the domain can answer that the handler's types do not show (409).
    pub errors: &'static [u16],
    /// The operation as the handler's argument and answer types describe it.
    pub describe: fn(&mut schemars::SchemaGenerator) -> openapi::Operation,
    mount: fn(MethodFilter) -> MethodRouter<App>,
}

/// `route!(Verb "path", Permission, handler, "summary")`, with `, [409]` after the summary
/// for error statuses the handler's types do not show. The handler's signature is the route's
/// contract: its extractors (`Path`, `Query`, `Json`, `Form`, `Report`) and its answer
/// (`Json<T>`, `Created<T>`, a page) are what the OpenAPI document describes.
macro_rules! route {
    ($verb:ident $path:literal, $perm:ident, $handler:path, $summary:literal $(, [$($err:literal),*])?) => {
        Route {
            verb: Verb::$verb,
            path: $path,
            permission: Permission::$perm,
            summary: $summary,
            errors: &[$($($err),*)?],
            describe: |g| openapi::operation_of(&$handler, g),
            mount: |m| on(m, $handler),
        }
    };
}

/// The route table: the only place routes and their permissions are declared.
#[rustfmt::skip]
pub fn routes() -> Vec<Route> {
    use handlers as h;
    vec![
        route!(Get "/", Read, web::home, "The web UI's start page: who is signed in"),
        route!(Get "/login", Public, web::login_page, "The sign-in page"),
        route!(Post "/login", Public, web::login, "Sign in from the page: sets the session cookie"),
        route!(Post "/logout", Read, web::logout, "Sign out: ends the session and clears the cookie"),
        route!(Post "/api/v1/session", Public, h::login, "Sign in with email and password; returns a session token", [401]),
        route!(Get "/api/v1/openapi.json", Public, h::openapi, "This API's OpenAPI 3.1 description"),
        route!(Get "/api/v1/projects", Read, h::list_projects, "Projects the caller may see"),
        route!(Post "/api/v1/projects", ManageProjects, h::create_project, "Create a project", [409]),
        route!(Get "/api/v1/projects/{project}", Read, h::get_project, "One project"),
        route!(Patch "/api/v1/projects/{project}", ManageProjects, h::update_project, "Change a project's team, owner, default branch or SLA"),
        route!(Get "/api/v1/organization", Read, h::get_organization, "The organization's SLA policy and default owner and team"),
        route!(Patch "/api/v1/organization", ManageProjects, h::update_organization, "Change the organization's SLA policy or defaults"),
        route!(Post "/api/v1/projects/{project}/scans", Upload, h::upload, "Upload a scan report (any importable format)"),
        route!(Get "/api/v1/projects/{project}/findings", Read, h::project_findings, "A project's findings, filtered and paginated"),
        route!(Get "/api/v1/projects/{project}/exceptions", Read, h::list_exceptions, "A project's exceptions (the gate reads ?state=approved)"),
        route!(Post "/api/v1/projects/{project}/exceptions", RequestException, h::request_exception, "Request an exception"),
        route!(Post "/api/v1/exceptions/{id}/approve", DecideException, h::approve_exception, "Approve a requested exception (not one's own)", [409]),
        route!(Post "/api/v1/exceptions/{id}/reject", DecideException, h::reject_exception, "Reject a requested exception (not one's own)", [409]),
        route!(Get "/api/v1/findings", Read, h::findings, "Findings of every project the caller may see", [403, 404]),
        route!(Get "/api/v1/tickets", Read, h::tickets, "Security tickets, filtered and paginated", [403, 404]),
        route!(Get "/api/v1/tickets/{id}", Read, h::get_ticket, "One ticket with its requests, comments and history"),
        route!(Post "/api/v1/tickets/{id}/mitigate", Triage, h::mitigate, "Record a temporary mitigation (`{\"note\"}`)", [409]),
        route!(Post "/api/v1/tickets/{id}/requests", RequestException, h::request_triage, "Request false positive or risk acceptance", [409]),
        route!(Post "/api/v1/tickets/{id}/comments", Triage, h::comment, "Comment on a ticket"),
        route!(Post "/api/v1/tickets/{id}/merge", Triage, h::merge_tickets, "Merge other tickets of the project into this one", [409]),
        route!(Post "/api/v1/tickets/{id}/split", Triage, h::split_tickets, "Take merged tickets out of this one again", [409]),
        route!(Post "/api/v1/requests/{id}/approve", DecideException, h::approve_request, "Approve a triage request (not one's own)", [409]),
        route!(Post "/api/v1/requests/{id}/reject", DecideException, h::reject_request, "Reject a triage request (not one's own)", [409]),
        route!(Get "/api/v1/rules/false-positive-rates", Read, h::false_positive_rates, "Per-rule false-positive rates"),
        route!(Get "/api/v1/scans/{id}", Read, h::get_scan, "One scan and what it changed"),
        route!(Get "/api/v1/teams", Read, h::list_teams, "Teams"),
        route!(Post "/api/v1/teams", ManageProjects, h::create_team, "Create a team", [409]),
        route!(Post "/api/v1/people", Admin, h::create_person, "Create a person", [409]),
        route!(Post "/api/v1/tokens", Admin, h::create_token, "Create an API token (shown once)", [404]),
        route!(Get "/api/v1/audit", ReadAudit, h::audit_events, "The audit log"),
        route!(Get "/api/v1/audit/verify", ReadAudit, h::audit_verify, "Check the audit log's hash chain"),
        route!(Get "/api/v1/notifications", ReadAudit, h::list_notifications, "Queued and sent notifications with their delivery attempts"),
        route!(Post "/api/v1/notifications/test", Admin, h::test_notification, "Queue a test message to one configured channel"),
    ]
}

/// The application: every route of the table, behind authorization, with JSON errors.
pub fn router(store: Store, max_upload_bytes: usize) -> Router {
    router_with(store, max_upload_bytes, Arc::default())
}

/// [`router`] with the notification configuration (channels for test messages).
pub fn router_with(
    store: Store,
    max_upload_bytes: usize,
    notify: Arc<crate::domain::notify::NotifyConfig>,
) -> Router {
    let table = routes();
    let permissions = table
        .iter()
        .map(|r| ((r.verb.method(), r.path), r.permission))
        .collect();
    let secure_cookies = std::env::var("GATEHOUSE_SECURE_COOKIES")
        .map(|v| matches!(v.trim(), "1" | "true" | "yes"))
        .unwrap_or(false);
    let app = App {
        store,
        max_upload_bytes,
        secure_cookies,
        notify,
        permissions: Arc::new(permissions),
    };
    let mut r: Router<App> = Router::new();
    for route in &table {
        r = r.route(route.path, (route.mount)(route.verb.filter()));
    }
    r.route_layer(middleware::from_fn_with_state(app.clone(), authorize))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        // Bodies past the limit are refused by the extractors; handlers turn that into a JSON 413.
        .layer(DefaultBodyLimit::max(max_upload_bytes))
        .with_state(app)
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The bearer secret (an API token or a session).
    pub secret: String,
    /// True when it came in the session cookie of the web pages, not an Authorization header.
    pub from_cookie: bool,
}

/// Looks the matched route up in the table, authenticates the caller (Bearer header, else the
/// session cookie), refuses cookie-authenticated changes without the CSRF token, and checks the
/// role.
async fn authorize(
    State(app): State<App>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let key = (req.method().clone(), path.as_str());
    // A route missing from the table is refused, never open.
    let permission = app
        .permissions
        .iter()
        .find(|((m, p), _)| *m == key.0 && *p == key.1)
        .map(|(_, p)| *p)
        .ok_or_else(|| ApiError::forbidden("this route declares no permission"))?;
    let page = !path.starts_with("/api/");
    if permission == Permission::Public {
        return Ok(next.run(req).await);
    }
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::to_string);
    let credentials = match bearer {
        Some(secret) => Some(Credentials {
            secret,
            from_cookie: false,
        }),
        None => web::session_cookie(req.headers()).map(|secret| Credentials {
            secret,
            from_cookie: true,
        }),
    };
    let Some(credentials) = credentials else {
        if page {
            return Ok(web::to_login(false));
        }
        return Err(ApiError::unauthorized(
            "sign in: send Authorization: Bearer TOKEN (an API token from `gatehouse admin \
             create-token`, or a session from POST /api/v1/session)",
        ));
    };
    let principal =
        domain::service::authenticate(&app.store, &credentials.secret, domain::now_ms()).await?;
    let Some(principal): Option<Principal> = principal else {
        if page {
            return Ok(web::to_login(credentials.from_cookie));
        }
        return Err(ApiError::unauthorized(
            "the token is unknown or has expired",
        ));
    };
    if credentials.from_cookie && !web::is_safe(req.method()) {
        req = web::check_csrf(req, &credentials.secret).await?;
    }
    if !principal.may(permission) {
        return Err(ApiError::forbidden(&format!(
            "the {} role may not {} {}",
            principal.role.as_str(),
            key.0,
            path
        )));
    }
    req.extensions_mut().insert(principal);
    req.extensions_mut().insert(credentials);
    Ok(next.run(req).await)
}
