//! Request handlers: extract, call the domain, answer JSON.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ApiError, App};
use crate::domain::{self, ingest, now_ms, service, triage, Principal, Role};
use crate::store::{decode_cursor, FindingFilter};

type ApiResult<T = Response> = Result<T, ApiError>;

fn json_body<T>(r: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    r.map(|Json(v)| v)
        .map_err(|e| ApiError::new(e.status(), "invalid_body", e.body_text()))
}

fn query<T>(r: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    r.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

fn path<T>(r: Result<Path<T>, PathRejection>) -> ApiResult<T> {
    r.map(|Path(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no such endpoint: {} (the API is described at /api/v1/openapi.json)",
            uri.path()
        ),
    )
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed on {}", uri.path()),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    email: String,
    password: String,
}

pub async fn login(
    State(app): State<App>,
    body: Result<Json<LoginBody>, JsonRejection>,
) -> ApiResult {
    let b = json_body(body)?;
    let (token, expires) = service::login(&app.store, &b.email, &b.password, now_ms()).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": token, "expires_at": expires})),
    )
        .into_response())
}

pub async fn openapi() -> Json<Value> {
    Json(super::openapi::document())
}

pub async fn list_projects(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
) -> ApiResult {
    let items = service::projects(&app.store, &who).await?;
    Ok(Json(json!({"items": items, "next_cursor": null})).into_response())
}

pub async fn create_project(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<service::NewProject>, JsonRejection>,
) -> ApiResult {
    let p = service::create_project(&app.store, &who, json_body(body)?, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

pub async fn get_project(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let p = service::project(&app.store, &who, &path(p)?).await?;
    Ok(Json(p).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    format: Option<String>,
    commit: Option<String>,
    branch: Option<String>,
    pipeline: Option<String>,
    stage: Option<String>,
}

pub async fn upload(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<UploadQuery>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let project = path(p)?;
    let q = query(q)?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "the upload is larger than this server's limit of {} bytes \
                     (gatehouse serve --max-upload-bytes)",
                    app.max_upload_bytes
                ),
            )
        } else {
            ApiError::bad_request(e.body_text())
        }
    })?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "the upload is empty: send a report as the body",
        ));
    }
    let params = ingest::UploadParams {
        format: q.format,
        commit: q.commit,
        branch: q.branch,
        pipeline: q.pipeline,
        stage: q.stage,
    };
    let out = ingest::ingest(&app.store, &who, &project, body, params, now_ms()).await?;
    let status = if out.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(out)).into_response())
}

/// The filters and pagination of the listings.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    project: Option<String>,
    team: Option<String>,
    severity: Option<String>,
    level: Option<String>,
    state: Option<String>,
    rule: Option<String>,
    kind: Option<String>,
    breached: Option<bool>,
    created_from: Option<String>,
    created_to: Option<String>,
    updated_from: Option<String>,
    updated_to: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
}

fn list(v: &Option<String>) -> Vec<String> {
    v.as_deref()
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A date (`YYYY-MM-DD`, midnight UTC) or an RFC 3339 time, in Unix milliseconds.
fn time(key: &str, v: &Option<String>) -> ApiResult<Option<i64>> {
    let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(Some(t.as_millisecond()));
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        if let Ok(z) = d.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(Some(z.timestamp().as_millisecond()));
        }
    }
    Err(ApiError::bad_request(format!(
        "{key}: `{s}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time"
    )))
}

async fn filter(
    app: &App,
    who: &Principal,
    q: ListQuery,
    project: Option<String>,
) -> ApiResult<FindingFilter> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request("limit: 1 to 500"));
    }
    let project = match project.or(q.project) {
        Some(name) => Some(service::project(&app.store, who, &name).await?.id),
        None => None,
    };
    let severity = list(&q.severity);
    for s in &severity {
        if !gatehouse_core::Severity::ALL
            .iter()
            .any(|x| x.as_str() == s)
        {
            return Err(ApiError::bad_request(format!(
                "severity: `{s}` (expected critical, high, medium, low, info)"
            )));
        }
    }
    let level = list(&q.level)
        .iter()
        .map(|l| l.parse::<i64>().ok().filter(|l| (1..=3).contains(l)))
        .collect::<Option<Vec<i64>>>()
        .ok_or_else(|| ApiError::bad_request("level: 1, 2 or 3"))?;
    let before_id =
        match &q.cursor {
            Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                ApiError::bad_request("cursor: not a cursor this server gave out")
            })?),
            None => None,
        };
    Ok(FindingFilter {
        visible: None,
        project,
        team: q.team.clone(),
        severity,
        level,
        state: list(&q.state),
        rule: list(&q.rule),
        kind: list(&q.kind),
        breached: q.breached,
        created_from: time("created_from", &q.created_from)?,
        created_to: time("created_to", &q.created_to)?,
        updated_from: time("updated_from", &q.updated_from)?,
        updated_to: time("updated_to", &q.updated_to)?,
        before_id,
        limit,
        now: now_ms(),
    })
}

pub async fn project_findings(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult {
    let f = filter(&app, &who, query(q)?, Some(path(p)?)).await?;
    Ok(Json(service::findings(&app.store, &who, f).await?).into_response())
}

pub async fn findings(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult {
    let f = filter(&app, &who, query(q)?, None).await?;
    Ok(Json(service::findings(&app.store, &who, f).await?).into_response())
}

pub async fn tickets(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult {
    let f = filter(&app, &who, query(q)?, None).await?;
    Ok(Json(service::tickets(&app.store, &who, f).await?).into_response())
}

pub async fn get_scan(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
) -> ApiResult {
    Ok(Json(service::scan(&app.store, &who, path(p)?).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateQuery {
    state: Option<String>,
}

pub async fn list_exceptions(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<StateQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    let items = service::exceptions(&app.store, &who, &path(p)?, q.state.as_deref()).await?;
    Ok(Json(json!({"items": items, "next_cursor": null})).into_response())
}

pub async fn request_exception(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    body: Result<Json<service::ExceptionRequest>, JsonRejection>,
) -> ApiResult {
    let x =
        service::request_exception(&app.store, &who, &path(p)?, json_body(body)?, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(x)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[serde(default)]
    note: Option<String>,
}

async fn decide(app: App, who: Principal, id: i64, approve: bool, body: Bytes) -> ApiResult {
    // The body is optional: nothing, or `{"note": "…"}`.
    let note = optional_note(&body)?;
    let x =
        service::decide_exception(&app.store, &who, id, approve, note.as_deref(), now_ms()).await?;
    Ok(Json(x).into_response())
}

pub async fn approve_exception(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    decide(app, who, path(p)?, true, body).await
}

pub async fn reject_exception(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    decide(app, who, path(p)?, false, body).await
}

pub async fn list_teams(State(app): State<App>) -> ApiResult {
    let items = app.store.teams().await.map_err(domain::DomainError::from)?;
    Ok(Json(json!({"items": items, "next_cursor": null})).into_response())
}

pub async fn create_team(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<service::NewTeam>, JsonRejection>,
) -> ApiResult {
    let id = service::create_team(&app.store, &who, json_body(body)?, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    name: String,
    email: String,
    role: String,
    password: String,
    #[serde(default)]
    teams: Vec<String>,
}

pub async fn create_person(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<PersonBody>, JsonRejection>,
) -> ApiResult {
    let b = json_body(body)?;
    let role = Role::parse(&b.role)
        .map_err(|m| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m))?;
    let id = service::create_person(
        &app.store,
        &who,
        &b.name,
        &b.email,
        role,
        &b.password,
        &b.teams,
        now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    name: String,
    role: String,
    #[serde(default)]
    projects: Vec<String>,
    /// Email of the person the token acts for.
    #[serde(default)]
    person: Option<String>,
    #[serde(default)]
    expires_days: Option<i64>,
}

pub async fn create_token(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<TokenBody>, JsonRejection>,
) -> ApiResult {
    let b = json_body(body)?;
    let role = Role::parse(&b.role)
        .map_err(|m| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", m))?;
    let (id, token) = service::create_token(
        &app.store,
        &who,
        &b.name,
        role,
        &b.projects,
        b.person.as_deref(),
        b.expires_days,
        now_ms(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "token": token}))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    after: Option<i64>,
    limit: Option<i64>,
}

pub async fn audit_events(
    State(app): State<App>,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 500) as usize;
    let after = q.after.unwrap_or(0);
    let (events, _) = app
        .store
        .audit_log()
        .await
        .map_err(domain::DomainError::from)?;
    let mut items: Vec<_> = events
        .into_iter()
        .filter(|e| e.id > after)
        .take(limit + 1)
        .collect();
    let next = (items.len() > limit).then(|| items[limit - 1].id);
    items.truncate(limit);
    Ok(Json(json!({"items": items, "next_cursor": next.map(|n| n.to_string())})).into_response())
}

pub async fn audit_verify(State(app): State<App>) -> ApiResult {
    let r = domain::audit::verify_store(&app.store)
        .await
        .map_err(domain::DomainError::from)?;
    Ok(Json(match r {
        Ok(n) => json!({"intact": true, "events": n}),
        Err(t) => json!({"intact": false, "first_bad_event": t.id, "why": t.why}),
    })
    .into_response())
}

pub async fn get_ticket(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
) -> ApiResult {
    Ok(Json(triage::ticket(&app.store, &who, path(p)?, now_ms()).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    note: String,
}

pub async fn mitigate(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Result<Json<NoteBody>, JsonRejection>,
) -> ApiResult {
    let id = path(p)?;
    let b = json_body(body)?;
    Ok(Json(triage::mitigate(&app.store, &who, id, &b.note, now_ms()).await?).into_response())
}

pub async fn request_triage(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Result<Json<triage::NewRequest>, JsonRejection>,
) -> ApiResult {
    let id = path(p)?;
    let r = triage::request(&app.store, &who, id, json_body(body)?, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    body: String,
}

pub async fn comment(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Result<Json<CommentBody>, JsonRejection>,
) -> ApiResult {
    let id = path(p)?;
    let b = json_body(body)?;
    let c = triage::comment(&app.store, &who, id, &b.body, now_ms()).await?;
    Ok((StatusCode::CREATED, Json(c)).into_response())
}

fn optional_note(body: &Bytes) -> ApiResult<Option<String>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice::<DecisionBody>(body)
        .map(|b| b.note)
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                e.to_string(),
            )
        })
}

pub async fn approve_request(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    let id = path(p)?;
    let note = optional_note(&body)?;
    Ok(
        Json(triage::decide(&app.store, &who, id, true, note.as_deref(), now_ms()).await?)
            .into_response(),
    )
}

pub async fn reject_request(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> ApiResult {
    let id = path(p)?;
    let note = optional_note(&body)?;
    Ok(
        Json(triage::decide(&app.store, &who, id, false, note.as_deref(), now_ms()).await?)
            .into_response(),
    )
}

pub async fn false_positive_rates(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
) -> ApiResult {
    let items = triage::false_positive_rates(&app.store, &who).await?;
    Ok(Json(json!({"items": items, "next_cursor": null})).into_response())
}

pub async fn update_project(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    body: Result<Json<service::ProjectPatch>, JsonRejection>,
) -> ApiResult {
    let name = path(p)?;
    let patch = json_body(body)?;
    Ok(
        Json(service::update_project(&app.store, &who, &name, patch, now_ms()).await?)
            .into_response(),
    )
}

pub async fn get_organization(State(app): State<App>) -> ApiResult {
    Ok(Json(service::organization(&app.store).await?).into_response())
}

pub async fn update_organization(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<service::OrganizationPatch>, JsonRejection>,
) -> ApiResult {
    let patch = json_body(body)?;
    Ok(
        Json(service::update_organization(&app.store, &who, patch, now_ms()).await?)
            .into_response(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    state: Option<String>,
    kind: Option<String>,
    ticket: Option<i64>,
    cursor: Option<String>,
    limit: Option<i64>,
}

pub async fn list_notifications(
    State(app): State<App>,
    q: Result<Query<NotificationQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request("limit: 1 to 500"));
    }
    let before_id =
        match &q.cursor {
            Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                ApiError::bad_request("cursor: not a cursor this server gave out")
            })?),
            None => None,
        };
    let filter = crate::store::OutboxFilter {
        state: list(&q.state),
        kind: list(&q.kind),
        ticket: q.ticket,
        before_id,
        limit,
    };
    Ok(Json(domain::notify::list(&app.store, &filter).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestNotificationBody {
    channel: String,
    #[serde(default)]
    message: Option<String>,
}

pub async fn test_notification(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<TestNotificationBody>, JsonRejection>,
) -> ApiResult {
    let b = json_body(body)?;
    let row = domain::notify::send_test(
        &app.store,
        &app.notify,
        &who,
        b.channel.trim(),
        b.message.as_deref(),
        now_ms(),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(row)).into_response())
}
