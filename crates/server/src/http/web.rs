//! The web pages: sign-in and the start page, rendered on the server from the templates under
//! `crates/server/web/` (embedded in the binary), with a cookie session.
//!
//! - Signing in on `/login` sets the cookie `gatehouse_session` (HttpOnly, SameSite=Strict,
//!   Path=/, 12 hours; `Secure` behind TLS) holding the session secret, which the server stores
//!   only as a hash, as for `POST /api/v1/session`. The authorization layer accepts the cookie
//!   wherever it accepts `Authorization: Bearer`, so the pages can call the API.
//! - CSRF: a request authenticated by the cookie that changes something (any method but GET,
//!   HEAD, OPTIONS) must carry the page's CSRF token, in the `X-CSRF-Token` header (API calls from
//!   the page) or the `csrf` form field (forms). The token is a hash of the session secret, so
//!   any server process can check it and it dies with the session. SameSite=Strict already keeps
//!   browsers from sending the cookie from other sites; the token also covers older browsers and
//!   same-site attackers. A request whose `Origin` names another host is refused too.

use axum::body::Body;
use axum::extract::rejection::FormRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use schemars::{JsonSchema, SchemaGenerator};
use serde::Deserialize;

use super::openapi::{Content, DescribeAnswer, Operation};
use super::{ApiError, App, Credentials};
use crate::domain::{self, now_ms, service, DomainError, Principal};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "gatehouse_session";
/// The header that carries the CSRF token on API calls from the pages.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Forms larger than this are not read for their CSRF token.
const MAX_FORM_BYTES: usize = 64 << 10;

const STYLE: &str = include_str!("../../web/style.css");
const LOGIN: &str = include_str!("../../web/login.html");
const HOME: &str = include_str!("../../web/home.html");

/// Escapes text for HTML content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Fills `{{name}}` placeholders: values are escaped unless listed as markup.
fn render(template: &str, values: &[(&str, &str)], markup: &[(&str, &str)]) -> String {
    let mut out = template.replace("{{style}}", STYLE);
    for (k, v) in values {
        out = out.replace(&format!("{{{{{k}}}}}"), &escape(v));
    }
    for (k, v) in markup {
        out = out.replace(&format!("{{{{{k}}}}}"), v);
    }
    out
}

/// An HTML page with the headers every page carries.
pub struct Page {
    status: StatusCode,
    html: String,
    set_cookie: Option<String>,
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let mut r = (self.status, self.html).into_response();
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        security_headers(h);
        if let Some(c) = self.set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.insert(header::SET_COOKIE, c);
        }
        r
    }
}

impl DescribeAnswer for Page {
    fn describe(op: &mut Operation, _g: &mut SchemaGenerator) {
        op.answers.push((200, Content::Html));
    }
}

fn security_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// A `303 See Other`, optionally setting a cookie.
pub struct Redirect {
    to: &'static str,
    set_cookie: Option<String>,
}

impl IntoResponse for Redirect {
    fn into_response(self) -> Response {
        let mut r = StatusCode::SEE_OTHER.into_response();
        let h = r.headers_mut();
        h.insert(header::LOCATION, HeaderValue::from_static(self.to));
        security_headers(h);
        if let Some(c) = self.set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.insert(header::SET_COOKIE, c);
        }
        r
    }
}

impl DescribeAnswer for Redirect {
    fn describe(op: &mut Operation, _g: &mut SchemaGenerator) {
        op.answers.push((303, Content::Redirect));
    }
}

/// The answer to the sign-in form: to the start page with the cookie, or the form again.
pub enum SignIn {
    Done(Redirect),
    Again(Page),
}

impl IntoResponse for SignIn {
    fn into_response(self) -> Response {
        match self {
            SignIn::Done(r) => r.into_response(),
            SignIn::Again(p) => p.into_response(),
        }
    }
}

impl DescribeAnswer for SignIn {
    fn describe(op: &mut Operation, _g: &mut SchemaGenerator) {
        op.answers.push((303, Content::Redirect));
        // The form again, with a message: 400 when a field is missing, 401 when the email and
        // password do not match (the same message for an unknown email).
        op.answers.push((400, Content::Html));
        op.answers.push((401, Content::Html));
    }
}

/// The cookie that clears the session cookie.
fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// Where a page sends a caller who is not signed in.
pub fn to_login(clear: bool) -> Response {
    Redirect {
        to: "/login",
        set_cookie: clear.then(clear_cookie),
    }
    .into_response()
}

/// The session secret in the request's cookies.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The CSRF token of a session: a hash of its secret.
pub fn csrf_token(secret: &str) -> String {
    domain::sha256_hex(format!("gatehouse-csrf\0{}", secret.trim()).as_bytes())
}

/// Whether an `Origin` header, if any, names the host the request was sent to.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map(|(_, h)| h)
        .unwrap_or(origin)
        .trim_end_matches('/');
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

fn csrf_refused(why: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "csrf", why)
}

/// Lets a cookie-authenticated change through only with the session's CSRF token (header, or
/// the `csrf` field of a form) and from the same origin; returns the request to pass on.
pub async fn check_csrf(req: Request, secret: &str) -> Result<Request, ApiError> {
    if !same_origin(req.headers()) {
        return Err(csrf_refused(
            "the request comes from another origin than this server",
        ));
    }
    let expected = csrf_token(secret);
    if let Some(v) = req.headers().get(CSRF_HEADER) {
        return if v.as_bytes() == expected.as_bytes() {
            Ok(req)
        } else {
            Err(csrf_refused(
                "the X-CSRF-Token header is not this session's",
            ))
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(csrf_refused(
            "a change made with the session cookie needs the page's CSRF token: send it in the \
             X-CSRF-Token header (or the csrf field of a form), or use Authorization: Bearer",
        ));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| csrf_refused("the form is too large to be checked for its CSRF token"))?;
    let found = bytes
        .split(|b| *b == b'&')
        .filter_map(|kv| kv.strip_prefix(b"csrf="))
        .any(|v| v == expected.as_bytes());
    if !found {
        return Err(csrf_refused(
            "the form's csrf field is missing or not this session's",
        ));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn login_form(status: StatusCode, email: &str, error: Option<&str>) -> Page {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    Page {
        status,
        html: render(LOGIN, &[("email", email)], &[("error", &error)]),
        set_cookie: None,
    }
}

/// `GET /login`: the sign-in form.
pub async fn login_page() -> Page {
    login_form(StatusCode::OK, "", None)
}

/// The sign-in form's fields.
#[derive(Deserialize, JsonSchema)]
pub struct LoginForm {
    email: String,
    password: String,
}

/// `POST /login`: signs in as `POST /api/v1/session` does (and is audited the same way), then
/// sets the session cookie and goes to the start page. A failure shows the form again with one
/// message whether the email is unknown or the password wrong.
pub async fn login(
    State(app): State<App>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<SignIn, ApiError> {
    if !same_origin(&headers) {
        return Err(csrf_refused(
            "the sign-in form was sent from another origin than this server",
        ));
    }
    let Ok(Form(f)) = form else {
        return Ok(SignIn::Again(login_form(
            StatusCode::BAD_REQUEST,
            "",
            Some("Enter your email and password."),
        )));
    };
    match service::login(&app.store, &f.email, &f.password, now_ms()).await {
        Ok((secret, _expires)) => {
            let secure = app.secure_cookies
                || headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.eq_ignore_ascii_case("https"));
            let cookie = format!(
                "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                service::SESSION_MS / 1000,
                if secure { "; Secure" } else { "" }
            );
            Ok(SignIn::Done(Redirect {
                to: "/",
                set_cookie: Some(cookie),
            }))
        }
        Err(DomainError::Unauthorized(_)) => Ok(SignIn::Again(login_form(
            StatusCode::UNAUTHORIZED,
            &f.email,
            Some("Wrong email or password."),
        ))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /`: who is signed in, and the sign-out button.
pub async fn home(
    Extension(who): Extension<Principal>,
    Extension(credentials): Extension<Credentials>,
) -> Page {
    let csrf = csrf_token(&credentials.secret);
    Page {
        status: StatusCode::OK,
        html: render(
            HOME,
            &[
                ("actor", &who.actor),
                ("role", who.role.as_str()),
                ("csrf", &csrf),
            ],
            &[],
        ),
        set_cookie: None,
    }
}

/// `POST /logout`: ends the session on the server (audited), clears the cookie and goes to the
/// sign-in page. An API token is not ended this way.
pub async fn logout(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    Extension(credentials): Extension<Credentials>,
) -> Result<Redirect, ApiError> {
    service::logout(&app.store, &who, &credentials.secret, now_ms()).await?;
    Ok(Redirect {
        to: "/login",
        set_cookie: Some(clear_cookie()),
    })
}
