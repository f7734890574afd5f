//! People, tokens, sessions, teams, projects, exceptions and listings, each change audited in
//! its own transaction.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::Deserialize;
use serde_json::json;

use super::sla::SlaPolicy;
use super::{new_secret, sha256_hex, DomainError, Principal, Result, Role};
use crate::store::{
    ExceptionRecord, FindingFilter, FindingRecord, ListPage, NewException, Project, Store,
    TicketRecord,
};

/// Sessions last this long.
pub const SESSION_MS: i64 = 12 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// The caller behind a bearer secret (an API token or a session), if it is valid now.
pub async fn authenticate(store: &Store, secret: &str, now: i64) -> Result<Option<Principal>> {
    let hash = sha256_hex(secret.trim().as_bytes());
    if let Some(t) = store.token_by_hash(&hash).await? {
        if t.expires_at.is_some_and(|e| e <= now) {
            return Ok(None);
        }
        let role = Role::parse(&t.role).map_err(DomainError::Invalid)?;
        store.touch_token(t.id, now).await?;
        let projects = (!t.projects.is_empty()).then(|| t.projects.clone());
        let (actor, teams) = match t.person_id {
            Some(p) => match store.person(p).await? {
                Some(person) => (person.email, store.team_ids_of(p).await?),
                None => return Ok(None),
            },
            None => (format!("token:{}#{}", t.name, t.id), Vec::new()),
        };
        return Ok(Some(Principal {
            actor,
            role,
            person_id: t.person_id,
            teams,
            projects,
        }));
    }
    let Some(person_id) = store.session_person(&hash, now).await? else {
        return Ok(None);
    };
    let Some(person) = store.person(person_id).await? else {
        return Ok(None);
    };
    Ok(Some(Principal {
        actor: person.email,
        role: Role::parse(&person.role).map_err(DomainError::Invalid)?,
        person_id: Some(person_id),
        teams: store.team_ids_of(person_id).await?,
        projects: None,
    }))
}

/// Signs a person in: a session secret (shown once) and its expiry.
pub async fn login(store: &Store, email: &str, password: &str, now: i64) -> Result<(String, i64)> {
    let denied = || DomainError::Unauthorized("wrong email or password".into());
    let person = store.person_by_email(email.trim()).await?;
    // An unknown email costs the same argon2 verification as a wrong password, so answer times
    // do not tell which emails exist.
    let hash = match person.as_ref().and_then(|p| p.password_hash.clone()) {
        Some(h) => h,
        None => dummy_hash()?,
    };
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    let person = match person {
        Some(p) if ok => p,
        _ => return Err(denied()),
    };
    let secret = new_secret("ghs_")?;
    let expires = now + SESSION_MS;
    let mut tx = store.begin().await?;
    let id = tx
        .insert_session(&sha256_hex(secret.as_bytes()), person.id, now, expires)
        .await?;
    tx.audit(
        now,
        &person.email,
        "session.create",
        "session",
        &id.to_string(),
        None,
        Some(&json!({"person": person.email, "expires_at": expires})),
    )
    .await?;
    tx.commit().await?;
    Ok((secret, expires))
}

/// Signs out: the session behind `secret` ends at once (audited). Returns whether there was
/// one; an API token is not ended this way.
pub async fn logout(store: &Store, who: &Principal, secret: &str, now: i64) -> Result<bool> {
    let hash = sha256_hex(secret.trim().as_bytes());
    let mut tx = store.begin().await?;
    let Some(id) = tx.delete_session(&hash).await? else {
        return Ok(false);
    };
    tx.audit(
        now,
        &who.actor,
        "session.delete",
        "session",
        &id.to_string(),
        Some(&json!({"person": who.actor})),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

fn dummy_hash() -> Result<String> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash_password("not a password anyone has")?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

fn check_name(what: &str, s: &str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 || s.chars().any(char::is_control) {
        return Err(DomainError::Invalid(format!(
            "{what} must be 1 to 200 printable characters"
        )));
    }
    Ok(s.to_string())
}

/// Hashes a password with argon2id (the crate's default parameters).
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| DomainError::Invalid(format!("no random numbers from the system: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| DomainError::Invalid(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Invalid(format!("hashing the password: {e}")))
}

/// A new person; `teams` are joined (and created when missing).
#[allow(clippy::too_many_arguments)]
pub async fn create_person(
    store: &Store,
    who: &Principal,
    name: &str,
    email: &str,
    role: Role,
    password: &str,
    teams: &[String],
    now: i64,
) -> Result<i64> {
    let name = check_name("name", name)?;
    let email = check_name("email", email)?;
    if !email.contains('@') {
        return Err(DomainError::Invalid(format!(
            "`{email}` is not an email address"
        )));
    }
    if password.chars().count() < 12 {
        return Err(DomainError::Invalid(
            "passwords have at least 12 characters".into(),
        ));
    }
    let pw = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|e| DomainError::Invalid(e.to_string()))??;
    let mut tx = store.begin().await?;
    if tx.person_id_by_email(&email).await?.is_some() {
        return Err(DomainError::Conflict(format!(
            "a person with email `{email}` exists already"
        )));
    }
    let id = tx
        .insert_person(&name, &email, role.as_str(), &hash, now)
        .await?;
    for t in teams {
        let t = check_name("team", t)?;
        let team = match tx.team_by_name(&t).await? {
            Some(id) => id,
            None => {
                let tid = tx.insert_team(&t, None, now).await?;
                tx.audit(
                    now,
                    &who.actor,
                    "team.create",
                    "team",
                    &tid.to_string(),
                    None,
                    Some(&json!({"name": t})),
                )
                .await?;
                tid
            }
        };
        tx.add_member(team, id).await?;
    }
    tx.audit(
        now,
        &who.actor,
        "person.create",
        "person",
        &id.to_string(),
        None,
        Some(&json!({"name": name, "email": email, "role": role.as_str(), "teams": teams})),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A new API token; returns its id and the secret, which is shown once and stored only hashed.
#[allow(clippy::too_many_arguments)]
pub async fn create_token(
    store: &Store,
    who: &Principal,
    name: &str,
    role: Role,
    projects: &[String],
    person_email: Option<&str>,
    expires_days: Option<i64>,
    now: i64,
) -> Result<(i64, String)> {
    let name = check_name("token name", name)?;
    if expires_days.is_some_and(|d| d <= 0) {
        return Err(DomainError::Invalid(
            "--expires takes a positive number of days".into(),
        ));
    }
    let secret = new_secret("ght_")?;
    let expires_at = expires_days.map(|d| now + d * DAY_MS);
    let mut tx = store.begin().await?;
    for p in projects {
        if tx.project_by_name(p).await?.is_none() {
            return Err(super::ingest::unknown_project(p));
        }
    }
    let person = match person_email {
        Some(e) => Some(
            tx.person_id_by_email(e)
                .await?
                .ok_or_else(|| DomainError::NotFound(format!("no person with email `{e}`")))?,
        ),
        None => None,
    };
    let projects_json = serde_json::to_string(projects).unwrap_or_else(|_| "[]".into());
    let id = tx
        .insert_token(
            &name,
            &sha256_hex(secret.as_bytes()),
            role.as_str(),
            &projects_json,
            person,
            expires_at,
            now,
        )
        .await?;
    tx.audit(
        now,
        &who.actor,
        "token.create",
        "api_token",
        &id.to_string(),
        None,
        Some(
            &json!({"name": name, "role": role.as_str(), "projects": projects,
                     "person": person_email, "expires_at": expires_at}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok((id, secret))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub name: String,
    /// The lead's email.
    #[serde(default)]
    pub lead: Option<String>,
    /// Members' emails.
    #[serde(default)]
    pub members: Vec<String>,
}

pub async fn create_team(store: &Store, who: &Principal, t: NewTeam, now: i64) -> Result<i64> {
    let name = check_name("team name", &t.name)?;
    let mut tx = store.begin().await?;
    if tx.team_by_name(&name).await?.is_some() {
        return Err(DomainError::Conflict(format!(
            "team `{name}` exists already"
        )));
    }
    let lookup = |e: &str| DomainError::Invalid(format!("no person with email `{e}`"));
    let lead = match &t.lead {
        Some(e) => Some(tx.person_id_by_email(e).await?.ok_or_else(|| lookup(e))?),
        None => None,
    };
    let id = tx.insert_team(&name, lead, now).await?;
    for m in t.members.iter().chain(t.lead.iter()) {
        let p = tx.person_id_by_email(m).await?.ok_or_else(|| lookup(m))?;
        tx.add_member(id, p).await?;
    }
    tx.audit(
        now,
        &who.actor,
        "team.create",
        "team",
        &id.to_string(),
        None,
        Some(&json!({"name": name, "lead": t.lead, "members": t.members})),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProject {
    pub name: String,
    #[serde(default)]
    pub team: Option<String>,
    /// The owner's email.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub default_branch: Option<String>,
    /// SLA override (see `domain::sla`).
    #[serde(default)]
    pub sla: Option<serde_json::Value>,
}

pub async fn create_project(
    store: &Store,
    who: &Principal,
    p: NewProject,
    now: i64,
) -> Result<Project> {
    let name = check_name("project name", &p.name)?;
    if let Some(sla) = &p.sla {
        SlaPolicy::check(sla).map_err(DomainError::Invalid)?;
    }
    let branch = match p.default_branch.as_deref().map(str::trim) {
        Some("") | None => None,
        Some(b) => Some(b.to_string()),
    };
    let mut tx = store.begin().await?;
    let team = match &p.team {
        Some(t) => Some(tx.team_by_name(t).await?.ok_or_else(|| {
            DomainError::Invalid(format!("no team `{t}` (create it with POST /api/v1/teams)"))
        })?),
        None => None,
    };
    let owner = match &p.owner {
        Some(e) => Some(
            tx.person_id_by_email(e)
                .await?
                .ok_or_else(|| DomainError::Invalid(format!("no person with email `{e}`")))?,
        ),
        None => None,
    };
    let sla_text = p
        .sla
        .as_ref()
        .filter(|v| !v.is_null())
        .map(|v| v.to_string());
    let id = tx
        .insert_project(
            &name,
            team,
            owner,
            branch.as_deref(),
            sla_text.as_deref(),
            now,
        )
        .await?
        .ok_or_else(|| DomainError::Conflict(format!("project `{name}` exists already")))?;
    let project = tx
        .project_by_name(&name)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("project `{name}` vanished")))?;
    tx.audit(
        now,
        &who.actor,
        "project.create",
        "project",
        &id.to_string(),
        None,
        Some(&serde_json::to_value(&project).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(project)
}

/// A project the caller may see.
pub async fn project(store: &Store, who: &Principal, name: &str) -> Result<Project> {
    let p = store
        .project_by_name(name)
        .await?
        .ok_or_else(|| super::ingest::unknown_project(name))?;
    if !who.sees(&p) {
        return Err(DomainError::Forbidden(format!(
            "{} may not see project `{name}`",
            who.actor
        )));
    }
    Ok(p)
}

pub async fn projects(store: &Store, who: &Principal) -> Result<Vec<Project>> {
    Ok(store
        .projects()
        .await?
        .into_iter()
        .filter(|p| who.sees(p))
        .collect())
}

/// The ids of the projects the caller may see; `None` when they see all.
pub async fn visible(store: &Store, who: &Principal) -> Result<Option<Vec<i64>>> {
    if who.role.sees_all_projects() && who.projects.is_none() {
        return Ok(None);
    }
    Ok(Some(
        projects(store, who).await?.iter().map(|p| p.id).collect(),
    ))
}

pub async fn findings(
    store: &Store,
    who: &Principal,
    mut f: FindingFilter,
) -> Result<ListPage<FindingRecord>> {
    f.visible = visible(store, who).await?;
    Ok(store.list_findings(&f).await?)
}

pub async fn tickets(
    store: &Store,
    who: &Principal,
    mut f: FindingFilter,
) -> Result<ListPage<TicketRecord>> {
    f.visible = visible(store, who).await?;
    Ok(store.list_tickets(&f).await?)
}

pub async fn scan(store: &Store, who: &Principal, id: i64) -> Result<crate::store::Scan> {
    let s = store
        .scan(id)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("no scan {id}")))?;
    project(store, who, &s.project).await?;
    Ok(s)
}

/// An exception request: the selectors and fields of a `gatehouse.toml` `[[exceptions]]` entry,
/// less the approver, which the decision adds.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRequest {
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub fingerprint: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub advisory: Option<String>,
    #[serde(default)]
    pub scanner: Option<String>,
    #[serde(default)]
    pub stages: Vec<String>,
    pub reason: String,
    /// The last day it applies, `YYYY-MM-DD`.
    pub expires: String,
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub async fn request_exception(
    store: &Store,
    who: &Principal,
    project_name: &str,
    r: ExceptionRequest,
    now: i64,
) -> Result<ExceptionRecord> {
    let p = project(store, who, project_name).await?;
    let (rule, fingerprint, path, advisory, scanner) = (
        nonempty(&r.rule),
        nonempty(&r.fingerprint),
        nonempty(&r.path),
        nonempty(&r.advisory),
        nonempty(&r.scanner),
    );
    if rule.is_none() && fingerprint.is_none() && path.is_none() && advisory.is_none() {
        return Err(DomainError::Invalid(
            "an exception needs at least one of rule, fingerprint, path, advisory".into(),
        ));
    }
    if let Some(f) = fingerprint {
        if gatehouse_core::Fingerprint::parse(f).is_none() {
            return Err(DomainError::Invalid(format!(
                "`{f}` is not a fingerprint (32 hex digits)"
            )));
        }
    }
    if let Some(s) = scanner {
        if !["secrets", "deps", "dependencies", "code"].contains(&s) {
            return Err(DomainError::Invalid(format!(
                "unknown scanner `{s}` (expected one of: secrets, deps, code)"
            )));
        }
    }
    for s in &r.stages {
        if s.is_empty()
            || !s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(DomainError::Invalid(format!("`{s}` is not a stage name")));
        }
    }
    let reason = r.reason.trim();
    if reason.is_empty() {
        return Err(DomainError::Invalid("an exception needs a reason".into()));
    }
    let expires: jiff::civil::Date = r.expires.trim().parse().map_err(|_| {
        DomainError::Invalid(format!(
            "expires: `{}` is not a date (YYYY-MM-DD)",
            r.expires
        ))
    })?;
    let today = jiff::Timestamp::from_millisecond(now)
        .map_err(|e| DomainError::Invalid(e.to_string()))?
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    if expires < today {
        return Err(DomainError::Invalid(format!(
            "expires: {expires} is in the past"
        )));
    }
    let expires = expires.to_string();
    let mut tx = store.begin().await?;
    let id = tx
        .insert_exception(
            &NewException {
                project_id: p.id,
                rule,
                fingerprint,
                path,
                advisory,
                scanner,
                stages_json: serde_json::to_string(&r.stages).unwrap_or_else(|_| "[]".into()),
                reason,
                expires: &expires,
                requested_by: &who.actor,
            },
            now,
        )
        .await?;
    let x = tx
        .exception_for_update(id)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("exception {id} vanished")))?;
    tx.audit(
        now,
        &who.actor,
        "exception.request",
        "exception",
        &id.to_string(),
        None,
        Some(&serde_json::to_value(&x).unwrap_or_default()),
    )
    .await?;
    super::notify::exception_requested(&mut tx, &x, now).await?;
    tx.commit().await?;
    Ok(x)
}

/// Approves or rejects a requested exception: never the requester's own (four eyes).
pub async fn decide_exception(
    store: &Store,
    who: &Principal,
    id: i64,
    approve: bool,
    note: Option<&str>,
    now: i64,
) -> Result<ExceptionRecord> {
    let current = store
        .exception(id)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("no exception {id}")))?;
    project(store, who, &current.project).await?;
    who.check_not_requester(&current.requested_by, &format!("exception {id}"))?;
    let (state, action) = if approve {
        ("approved", "exception.approve")
    } else {
        ("rejected", "exception.reject")
    };
    let mut tx = store.begin().await?;
    let approver = approve.then_some(who.actor.as_str());
    if !tx
        .decide_exception(id, state, &who.actor, approver, note, now)
        .await?
    {
        return Err(DomainError::Conflict(format!(
            "exception {id} is {} already; only requested exceptions are decided",
            current.state
        )));
    }
    let after = tx
        .exception_for_update(id)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("no exception {id}")))?;
    tx.audit(
        now,
        &who.actor,
        action,
        "exception",
        &id.to_string(),
        Some(&serde_json::to_value(&current).unwrap_or_default()),
        Some(&serde_json::to_value(&after).unwrap_or_default()),
    )
    .await?;
    super::notify::exception_decided(&mut tx, &after, now).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn exceptions(
    store: &Store,
    who: &Principal,
    project_name: &str,
    state: Option<&str>,
) -> Result<Vec<ExceptionRecord>> {
    if let Some(s) = state {
        if !["requested", "approved", "rejected"].contains(&s) {
            return Err(DomainError::Invalid(format!(
                "state: `{s}` (expected requested, approved or rejected)"
            )));
        }
    }
    let p = project(store, who, project_name).await?;
    Ok(store.exceptions(p.id, state).await?)
}

/// Changes to the organization's settings; absent keys stay as they are, `""` clears a default.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    /// The organization's SLA policy (see `domain::sla`); `{}` restores the defaults.
    #[serde(default)]
    pub sla: Option<serde_json::Value>,
    /// Email of the person tickets go to when a project has no owner.
    #[serde(default)]
    pub default_owner: Option<String>,
    /// The team tickets go to when a project has no team.
    #[serde(default)]
    pub default_team: Option<String>,
}

/// The organization's settings as the API shows them.
pub async fn organization(store: &Store) -> Result<serde_json::Value> {
    let org = store.organization().await?;
    let email = |id: Option<i64>| async move {
        match id {
            Some(id) => store.person(id).await.map(|p| p.map(|p| p.email)),
            None => Ok(None),
        }
    };
    let teams = store.teams().await?;
    let team = org
        .default_team_id
        .and_then(|id| teams.iter().find(|t| t.id == id).map(|t| t.name.clone()));
    let sla: serde_json::Value = serde_json::from_str(&org.sla_policy).unwrap_or_default();
    let effective = SlaPolicy::effective(&org.sla_policy, &serde_json::Value::Null);
    Ok(json!({
        "name": org.name,
        "sla": sla,
        "effective_sla": sla_json(&effective),
        "default_owner": email(org.default_owner_id).await?,
        "default_team": team,
        "first_administrator": email(org.first_admin_id).await?,
    }))
}

fn sla_json(p: &SlaPolicy) -> serde_json::Value {
    let levels: serde_json::Map<String, serde_json::Value> = p
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (
                (i + 1).to_string(),
                json!({"mitigation_hours": l.mitigation_hours, "remediation_hours": l.remediation_hours}),
            )
        })
        .collect();
    let severities: serde_json::Map<String, serde_json::Value> = p
        .severity_levels
        .iter()
        .map(|(s, l)| (s.as_str().to_string(), json!(l)))
        .collect();
    json!({"severity_levels": severities, "levels": levels})
}

/// Resolves `""` (clear), an email or a team name, or keeps `current` when absent.
async fn person_or_clear(
    tx: &mut crate::store::Tx,
    v: &Option<String>,
    current: Option<i64>,
) -> Result<Option<i64>> {
    match v.as_deref().map(str::trim) {
        None => Ok(current),
        Some("") => Ok(None),
        Some(e) => Ok(Some(tx.person_id_by_email(e).await?.ok_or_else(|| {
            DomainError::Invalid(format!("no person with email `{e}`"))
        })?)),
    }
}

async fn team_or_clear(
    tx: &mut crate::store::Tx,
    v: &Option<String>,
    current: Option<i64>,
) -> Result<Option<i64>> {
    match v.as_deref().map(str::trim) {
        None => Ok(current),
        Some("") => Ok(None),
        Some(t) => Ok(Some(tx.team_by_name(t).await?.ok_or_else(|| {
            DomainError::Invalid(format!("no team `{t}` (create it with POST /api/v1/teams)"))
        })?)),
    }
}

pub async fn update_organization(
    store: &Store,
    who: &Principal,
    p: OrganizationPatch,
    now: i64,
) -> Result<serde_json::Value> {
    if let Some(sla) = &p.sla {
        SlaPolicy::check(sla).map_err(DomainError::Invalid)?;
    }
    let before = organization(store).await?;
    let mut tx = store.begin().await?;
    let org = tx.organization().await?;
    let owner = person_or_clear(&mut tx, &p.default_owner, org.default_owner_id).await?;
    let team = team_or_clear(&mut tx, &p.default_team, org.default_team_id).await?;
    let sla = p
        .sla
        .as_ref()
        .map(|v| v.to_string())
        .unwrap_or(org.sla_policy);
    tx.update_organization(&sla, owner, team).await?;
    tx.audit(
        now,
        &who.actor,
        "organization.update",
        "organization",
        "1",
        Some(&before),
        Some(
            &json!({"sla": serde_json::from_str::<serde_json::Value>(&sla).unwrap_or_default(),
                     "default_owner": p.default_owner, "default_team": p.default_team}),
        ),
    )
    .await?;
    tx.commit().await?;
    organization(store).await
}

/// Changes to a project; absent keys stay as they are, `""` clears team, owner or default branch.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub default_branch: Option<String>,
    /// The project's SLA override; `{}` removes it.
    #[serde(default)]
    pub sla: Option<serde_json::Value>,
}

pub async fn update_project(
    store: &Store,
    who: &Principal,
    name: &str,
    p: ProjectPatch,
    now: i64,
) -> Result<Project> {
    let current = project(store, who, name).await?;
    if let Some(sla) = &p.sla {
        SlaPolicy::check(sla).map_err(DomainError::Invalid)?;
    }
    let mut tx = store.begin().await?;
    let team = team_or_clear(&mut tx, &p.team, current.team_id).await?;
    let owner = person_or_clear(&mut tx, &p.owner, current.owner_id).await?;
    let branch = match p.default_branch.as_deref().map(str::trim) {
        None => current.default_branch.clone(),
        Some("") => None,
        Some(b) => Some(b.to_string()),
    };
    let sla = match &p.sla {
        None => current.sla_text(),
        Some(v) if v.as_object().is_some_and(|o| o.is_empty()) => None,
        Some(v) => Some(v.to_string()),
    };
    tx.update_project(
        current.id,
        team,
        owner,
        branch.as_deref(),
        sla.as_deref(),
        now,
    )
    .await?;
    let after = tx
        .project_by_name(name)
        .await?
        .ok_or_else(|| super::ingest::unknown_project(name))?;
    tx.audit(
        now,
        &who.actor,
        "project.update",
        "project",
        &current.id.to_string(),
        Some(&serde_json::to_value(&current).unwrap_or_default()),
        Some(&serde_json::to_value(&after).unwrap_or_default()),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
