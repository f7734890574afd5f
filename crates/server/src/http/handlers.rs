//! Request handlers: extract, call the domain, answer JSON.
//!
//! A handler's signature is its route's contract, read by the OpenAPI document: the extractors
//! say what it takes and the answer type what it gives (`Json<T>` is 200, `Created<T>` 201).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use schemars::{JsonSchema, SchemaGenerator};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::openapi::{Content, DescribeAnswer, DescribeArg, Operation, RequestBody};
use super::{ApiError, App};
use crate::domain::{self, ingest, now_ms, service, triage, Principal, Role};
use crate::store::{
    decode_cursor, AuditEvent, Comment, ExceptionRecord, FindingFilter, FindingRecord, ListPage,
    Project, RuleRate, Scan, Team, TicketRecord, TriageRequest,
};

type ApiResult<T> = Result<T, ApiError>;

/// A `201 Created` answer with a JSON body.
pub struct Created<T>(pub T);

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(self.0)).into_response()
    }
}

impl<T: JsonSchema> DescribeAnswer for Created<T> {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        op.answers
            .push((201, Content::Json(g.subschema_for::<T>().to_value())));
    }
}

/// A `202 Accepted` answer with a JSON body: queued, done later.
pub struct Accepted<T>(pub T);

impl<T: Serialize> IntoResponse for Accepted<T> {
    fn into_response(self) -> Response {
        (StatusCode::ACCEPTED, Json(self.0)).into_response()
    }
}

impl<T: JsonSchema> DescribeAnswer for Accepted<T> {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        op.answers
            .push((202, Content::Json(g.subschema_for::<T>().to_value())));
    }
}

/// An upload's answer: 201 when it was new, 200 (`"duplicate": true`) when it was there already.
pub struct Uploaded(pub ingest::IngestOutcome);

impl IntoResponse for Uploaded {
    fn into_response(self) -> Response {
        let status = if self.0.duplicate {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        (status, Json(self.0)).into_response()
    }
}

impl DescribeAnswer for Uploaded {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        let s = g.subschema_for::<ingest::IngestOutcome>().to_value();
        op.answers.push((201, Content::Json(s.clone())));
        op.answers.push((200, Content::Json(s)));
    }
}

/// The body of an upload: a report of any importable format, up to the server's limit.
pub struct Report(pub Bytes);

impl FromRequest<App> for Report {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &App) -> Result<Self, ApiError> {
        let body = Bytes::from_request(req, app).await.map_err(|e| {
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
        Ok(Report(body))
    }
}

impl DescribeArg for Report {
    fn describe(op: &mut Operation, _g: &mut SchemaGenerator) {
        op.body = Some(RequestBody::Report);
        // Unreadable body or unrecognised format, over the limit, a report that cannot be read.
        op.errors.extend([400, 413, 422]);
    }
}

/// The optional body of a decision: nothing, or `{"note": "…"}`.
pub struct Decision(pub Option<String>);

impl FromRequest<App> for Decision {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &App) -> Result<Self, ApiError> {
        let body = Bytes::from_request(req, app)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        optional_note(&body).map(Decision)
    }
}

impl DescribeArg for Decision {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        op.body = Some(RequestBody::Json {
            schema: g.subschema_for::<DecisionBody>().to_value(),
            required: false,
        });
        op.errors.extend([400, 422]);
    }
}

/// The OpenAPI document itself.
pub struct OpenApiDocument(pub Value);

impl JsonSchema for OpenApiDocument {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OpenApiDocument".into()
    }

    fn json_schema(_g: &mut SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An OpenAPI 3.1 document",
            "type": "object",
            "required": ["openapi", "info", "paths"],
            "properties": {"openapi": {"type": "string", "pattern": "^3\\.1\\."}}
        })
    }
}

impl Serialize for OpenApiDocument {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

fn page<T>(items: Vec<T>) -> Json<ListPage<T>> {
    Json(ListPage {
        items,
        next_cursor: None,
    })
}

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

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    email: String,
    password: String,
}

/// A new session.
#[derive(Serialize, JsonSchema)]
pub struct SessionToken {
    /// The session secret: send it as `Authorization: Bearer TOKEN`. Shown once.
    token: String,
    /// When it stops working (Unix milliseconds).
    expires_at: i64,
}

pub async fn login(
    State(app): State<App>,
    body: Result<Json<LoginBody>, JsonRejection>,
) -> ApiResult<Created<SessionToken>> {
    let b = json_body(body)?;
    let (token, expires_at) = service::login(&app.store, &b.email, &b.password, now_ms()).await?;
    Ok(Created(SessionToken { token, expires_at }))
}

pub async fn openapi() -> Json<OpenApiDocument> {
    Json(OpenApiDocument(super::openapi::document()))
}

pub async fn list_projects(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
) -> ApiResult<Json<ListPage<Project>>> {
    Ok(page(service::projects(&app.store, &who).await?))
}

pub async fn create_project(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<service::NewProject>, JsonRejection>,
) -> ApiResult<Created<Project>> {
    let p = service::create_project(&app.store, &who, json_body(body)?, now_ms()).await?;
    Ok(Created(p))
}

pub async fn get_project(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Project>> {
    Ok(Json(service::project(&app.store, &who, &path(p)?).await?))
}

/// An upload's context; each parameter overrides what the report carries.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The report's format, when its content does not tell: gatehouse, sarif, trivy, semgrep,
    /// gitleaks, bandit, osv-scanner, zap, checkov, sonarqube, csv.
    format: Option<String>,
    /// The commit that was scanned.
    commit: Option<String>,
    /// The branch that was scanned; only the project's default branch moves the lifecycle.
    branch: Option<String>,
    /// The pipeline (CI run) that uploads.
    pipeline: Option<String>,
    /// The pipeline stage that uploads.
    stage: Option<String>,
}

pub async fn upload(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<UploadQuery>, QueryRejection>,
    Report(body): Report,
) -> ApiResult<Uploaded> {
    let project = path(p)?;
    let q = query(q)?;
    let params = ingest::UploadParams {
        format: q.format,
        commit: q.commit,
        branch: q.branch,
        pipeline: q.pipeline,
        stage: q.stage,
    };
    let out = ingest::ingest(&app.store, &who, &project, body, params, now_ms()).await?;
    Ok(Uploaded(out))
}

/// The filters and pagination of the listings. Lists are comma-separated and match any of
/// their values.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// A project's name.
    project: Option<String>,
    /// A team's name: the projects of that team.
    team: Option<String>,
    /// Severities: critical, high, medium, low, info.
    severity: Option<String>,
    /// Ticket levels: 1, 2, 3.
    level: Option<String>,
    /// States: open, mitigated, fixed, false_positive, risk_accepted.
    state: Option<String>,
    /// Rule ids.
    rule: Option<String>,
    /// Scanner kinds: secrets, dependencies, code, iac, …
    kind: Option<String>,
    /// Past a deadline that still applies (true), or not (false).
    breached: Option<bool>,
    /// Created at or after: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time.
    created_from: Option<String>,
    /// Created before: `YYYY-MM-DD` or an RFC 3339 time.
    created_to: Option<String>,
    /// Changed at or after: `YYYY-MM-DD` or an RFC 3339 time.
    updated_from: Option<String>,
    /// Changed before: `YYYY-MM-DD` or an RFC 3339 time.
    updated_to: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page: 1 to 500 (default 100).
    #[schemars(range(min = 1, max = 500))]
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
) -> ApiResult<Json<ListPage<FindingRecord>>> {
    let f = filter(&app, &who, query(q)?, Some(path(p)?)).await?;
    Ok(Json(service::findings(&app.store, &who, f).await?))
}

pub async fn findings(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Json<ListPage<FindingRecord>>> {
    let f = filter(&app, &who, query(q)?, None).await?;
    Ok(Json(service::findings(&app.store, &who, f).await?))
}

pub async fn tickets(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> ApiResult<Json<ListPage<TicketRecord>>> {
    let f = filter(&app, &who, query(q)?, None).await?;
    Ok(Json(service::tickets(&app.store, &who, f).await?))
}

pub async fn get_scan(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
) -> ApiResult<Json<Scan>> {
    Ok(Json(service::scan(&app.store, &who, path(p)?).await?))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateQuery {
    /// Only exceptions in this state: requested, approved or rejected.
    state: Option<String>,
}

pub async fn list_exceptions(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<StateQuery>, QueryRejection>,
) -> ApiResult<Json<ListPage<ExceptionRecord>>> {
    let q = query(q)?;
    let items = service::exceptions(&app.store, &who, &path(p)?, q.state.as_deref()).await?;
    Ok(page(items))
}

pub async fn request_exception(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    body: Result<Json<service::ExceptionRequest>, JsonRejection>,
) -> ApiResult<Created<ExceptionRecord>> {
    let x =
        service::request_exception(&app.store, &who, &path(p)?, json_body(body)?, now_ms()).await?;
    Ok(Created(x))
}

/// A decision's optional note.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// Why it was decided so.
    #[serde(default)]
    note: Option<String>,
}

async fn decide(
    app: App,
    who: Principal,
    id: i64,
    approve: bool,
    note: Option<String>,
) -> ApiResult<Json<ExceptionRecord>> {
    let x =
        service::decide_exception(&app.store, &who, id, approve, note.as_deref(), now_ms()).await?;
    Ok(Json(x))
}

pub async fn approve_exception(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    Decision(note): Decision,
) -> ApiResult<Json<ExceptionRecord>> {
    decide(app, who, path(p)?, true, note).await
}

pub async fn reject_exception(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    Decision(note): Decision,
) -> ApiResult<Json<ExceptionRecord>> {
    decide(app, who, path(p)?, false, note).await
}

pub async fn list_teams(State(app): State<App>) -> ApiResult<Json<ListPage<Team>>> {
    let items = app.store.teams().await.map_err(domain::DomainError::from)?;
    Ok(page(items))
}

/// The id of what was created.
#[derive(Serialize, JsonSchema)]
pub struct NewId {
    id: i64,
}

pub async fn create_team(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<service::NewTeam>, JsonRejection>,
) -> ApiResult<Created<NewId>> {
    let id = service::create_team(&app.store, &who, json_body(body)?, now_ms()).await?;
    Ok(Created(NewId { id }))
}

#[derive(Deserialize, JsonSchema)]
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
) -> ApiResult<Created<NewId>> {
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
    Ok(Created(NewId { id }))
}

#[derive(Deserialize, JsonSchema)]
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
) -> ApiResult<Created<NewToken>> {
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
    Ok(Created(NewToken { id, token }))
}

/// A new API token.
#[derive(Serialize, JsonSchema)]
pub struct NewToken {
    id: i64,
    /// The secret, shown once: it is stored only as a hash.
    token: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Events after this id (the `next_cursor` of the previous page).
    after: Option<i64>,
    /// Events per page: 1 to 500 (default 100).
    limit: Option<i64>,
}

pub async fn audit_events(
    State(app): State<App>,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> ApiResult<Json<ListPage<AuditEvent>>> {
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
    Ok(Json(ListPage {
        items,
        next_cursor: next.map(|n| n.to_string()),
    }))
}

/// The audit log's check: intact with its number of events, or the first event that is not.
#[derive(Serialize, JsonSchema)]
pub struct AuditCheck {
    intact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<usize>,
    /// The first edited or deleted event (for a deleted one, its id).
    #[serde(skip_serializing_if = "Option::is_none")]
    first_bad_event: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<String>,
}

pub async fn audit_verify(State(app): State<App>) -> ApiResult<Json<AuditCheck>> {
    let r = domain::audit::verify_store(&app.store)
        .await
        .map_err(domain::DomainError::from)?;
    Ok(Json(match r {
        Ok(n) => AuditCheck {
            intact: true,
            events: Some(n),
            first_bad_event: None,
            why: None,
        },
        Err(t) => AuditCheck {
            intact: false,
            events: None,
            first_bad_event: Some(t.id),
            why: Some(t.why),
        },
    }))
}

pub async fn get_ticket(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
) -> ApiResult<Json<triage::TicketDetail>> {
    Ok(Json(
        triage::ticket(&app.store, &who, path(p)?, now_ms()).await?,
    ))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// What was done.
    note: String,
}

pub async fn mitigate(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Result<Json<NoteBody>, JsonRejection>,
) -> ApiResult<Json<TicketRecord>> {
    let id = path(p)?;
    let b = json_body(body)?;
    Ok(Json(
        triage::mitigate(&app.store, &who, id, &b.note, now_ms()).await?,
    ))
}

pub async fn request_triage(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Result<Json<triage::NewRequest>, JsonRejection>,
) -> ApiResult<Created<TriageRequest>> {
    let id = path(p)?;
    let r = triage::request(&app.store, &who, id, json_body(body)?, now_ms()).await?;
    Ok(Created(r))
}

pub async fn merge_tickets(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Result<Json<domain::merge::MergeRequest>, JsonRejection>,
) -> ApiResult<Json<triage::TicketDetail>> {
    let id = path(p)?;
    let r = domain::merge::merge(&app.store, &who, id, json_body(body)?, now_ms()).await?;
    Ok(Json(r))
}

pub async fn split_tickets(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Result<Json<domain::merge::MergeRequest>, JsonRejection>,
) -> ApiResult<Json<triage::TicketDetail>> {
    let id = path(p)?;
    let r = domain::merge::split(&app.store, &who, id, json_body(body)?, now_ms()).await?;
    Ok(Json(r))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    body: String,
}

pub async fn comment(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    body: Result<Json<CommentBody>, JsonRejection>,
) -> ApiResult<Created<Comment>> {
    let id = path(p)?;
    let b = json_body(body)?;
    let c = triage::comment(&app.store, &who, id, &b.body, now_ms()).await?;
    Ok(Created(c))
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
    Decision(note): Decision,
) -> ApiResult<Json<TriageRequest>> {
    let id = path(p)?;
    Ok(Json(
        triage::decide(&app.store, &who, id, true, note.as_deref(), now_ms()).await?,
    ))
}

pub async fn reject_request(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<i64>, PathRejection>,
    Decision(note): Decision,
) -> ApiResult<Json<TriageRequest>> {
    let id = path(p)?;
    Ok(Json(
        triage::decide(&app.store, &who, id, false, note.as_deref(), now_ms()).await?,
    ))
}

pub async fn false_positive_rates(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
) -> ApiResult<Json<ListPage<RuleRate>>> {
    Ok(page(triage::false_positive_rates(&app.store, &who).await?))
}

pub async fn update_project(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    p: Result<Path<String>, PathRejection>,
    body: Result<Json<service::ProjectPatch>, JsonRejection>,
) -> ApiResult<Json<Project>> {
    let name = path(p)?;
    let patch = json_body(body)?;
    Ok(Json(
        service::update_project(&app.store, &who, &name, patch, now_ms()).await?,
    ))
}

/// The organization's settings.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSettings {
    name: String,
    /// The organization's own SLA policy, as set (see `sla` of `PATCH /api/v1/organization`).
    sla: Value,
    /// The policy in force: the organization's over the defaults.
    effective_sla: EffectiveSla,
    /// Email of the person tickets go to when a project has no owner.
    default_owner: Option<String>,
    /// The team tickets go to when a project has no team.
    default_team: Option<String>,
    first_administrator: Option<String>,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectiveSla {
    /// The ticket level of each severity; `null` opens no ticket.
    severity_levels: BTreeMap<String, Option<i64>>,
    /// The deadlines of levels "1", "2" and "3".
    levels: BTreeMap<String, LevelDeadlines>,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelDeadlines {
    mitigation_hours: i64,
    remediation_hours: i64,
}

/// The domain's view of the organization, in its declared type (a mismatch is a server error
/// the tests catch, not an undocumented answer).
fn organization_settings(v: Value) -> ApiResult<Json<OrganizationSettings>> {
    serde_json::from_value(v)
        .map(Json)
        .map_err(|e| ApiError::internal(format!("the organization's settings: {e}")))
}

pub async fn get_organization(State(app): State<App>) -> ApiResult<Json<OrganizationSettings>> {
    organization_settings(service::organization(&app.store).await?)
}

pub async fn update_organization(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<service::OrganizationPatch>, JsonRejection>,
) -> ApiResult<Json<OrganizationSettings>> {
    let patch = json_body(body)?;
    organization_settings(service::update_organization(&app.store, &who, patch, now_ms()).await?)
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// pending, delivered, failed or skipped (comma-separated for several).
    state: Option<String>,
    /// The event kind, e.g. deadline_breached, escalated (comma-separated for several).
    kind: Option<String>,
    /// Only the notifications of this ticket.
    ticket: Option<i64>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page, 1 to 500 (default 100).
    limit: Option<i64>,
}

pub async fn list_notifications(
    State(app): State<App>,
    q: Result<Query<NotificationQuery>, QueryRejection>,
) -> ApiResult<Json<ListPage<domain::notify::NotificationRecord>>> {
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
    Ok(Json(domain::notify::list(&app.store, &filter).await?))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestNotificationBody {
    /// A channel of the server's notification configuration.
    channel: String,
    /// The text of the message (a default one without it).
    #[serde(default)]
    message: Option<String>,
}

pub async fn test_notification(
    State(app): State<App>,
    Extension(who): Extension<Principal>,
    body: Result<Json<TestNotificationBody>, JsonRejection>,
) -> ApiResult<Accepted<crate::store::OutboxRow>> {
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
    Ok(Accepted(row))
}
