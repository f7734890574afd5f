//! The only module with SQL. One set of queries (`$1` parameters, `RETURNING`, `ON CONFLICT`)
//! runs on SQLite and PostgreSQL through sqlx's `Any` driver; times are Unix milliseconds and
//! structured values JSON text, the types both engines share.

mod ingest;
mod list;
mod merge;
mod outbox;
mod records;
mod triage;

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Row};

pub use ingest::{ExistingFinding, FindingEvent, NewFinding, NewTicket, ScanCounts, ScanInsert};
pub use list::{
    decode_cursor, encode_cursor, set_rare_threshold, FindingFilter, ListPage, TicketFilter,
};
pub use outbox::{
    Attempt, Breach, BreachCandidate, Contact, EscalationCandidate, NewOutbox, NoticeTicket,
    OutboxFilter, OutboxRow, OutboxUpdate,
};
pub use records::*;
pub use triage::{Comment, ExpiredRisk, FindingEventRecord, RuleRate, TriageRequest};

/// Why the database could not do something.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL `{0}` (expected sqlite://… or postgres://…)")]
    Url(String),
    #[error("database: {0}")]
    Data(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a writer pool (one connection on SQLite, so write transactions never fail on a
/// lock upgrade) and a reader pool.
#[derive(Clone)]
pub struct Store {
    write: AnyPool,
    read: AnyPool,
    backend: Backend,
}

/// The URL of the SQLite file in a data directory.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

static MIGRATE_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATE_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Connects and applies the embedded migrations.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Url(url.to_string()));
        };
        let store = match backend {
            Backend::Sqlite => {
                let opts = || {
                    AnyPoolOptions::new()
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(|conn, _| sqlite_pragmas(conn))
                };
                let write = opts().max_connections(1).connect(url).await?;
                MIGRATE_SQLITE.run(&write).await?;
                let read = opts().max_connections(8).connect(url).await?;
                Store {
                    write,
                    read,
                    backend,
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| postgres_settings(conn))
                    .connect(url)
                    .await?;
                MIGRATE_POSTGRES.run(&pool).await?;
                Store {
                    write: pool.clone(),
                    read: pool,
                    backend,
                }
            }
        };
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A write transaction. Everything a request changes goes through one, audit event included.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx {
            tx: self.write.begin().await?,
            backend: self.backend,
        })
    }

    pub(crate) fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// Closes both pools (the SQLite file is checkpointed by the last connection).
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    // ----- reads outside transactions -----

    pub async fn project_by_name(&self, name: &str) -> Result<Option<Project>> {
        let row = sqlx::query(&format!("{PROJECT_SELECT} WHERE p.name = $1"))
            .bind(name)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| Project::from_row(&r)).transpose()
    }

    /// The upload of `project` with this digest, if one was stored.
    pub async fn upload_by_digest(&self, project: i64, digest: &str) -> Result<Option<i64>> {
        ingest::upload_by_digest(&self.read, project, digest).await
    }

    pub async fn projects(&self) -> Result<Vec<Project>> {
        let rows = sqlx::query(&format!("{PROJECT_SELECT} ORDER BY p.name"))
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(Project::from_row).collect()
    }

    pub async fn teams(&self) -> Result<Vec<Team>> {
        let rows = sqlx::query(
            "SELECT t.id, t.name, t.lead_id, l.email AS lead_email, t.created_at
             FROM teams t LEFT JOIN people l ON l.id = t.lead_id ORDER BY t.name",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(Team::from_row).collect()
    }

    pub async fn person_by_email(&self, email: &str) -> Result<Option<Person>> {
        let row = sqlx::query(&format!("{PERSON_SELECT} WHERE email = $1"))
            .bind(email)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| Person::from_row(&r)).transpose()
    }

    pub async fn person(&self, id: i64) -> Result<Option<Person>> {
        let row = sqlx::query(&format!("{PERSON_SELECT} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| Person::from_row(&r)).transpose()
    }

    pub async fn team_ids_of(&self, person: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT team_id FROM team_members WHERE person_id = $1")
            .bind(person)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| r.try_get::<i64, _>(0).map_err(StoreError::from))
            .collect()
    }

    /// The API token with this hash, if it exists (expiry is the caller's check).
    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<ApiToken>> {
        let row = sqlx::query(
            "SELECT id, name, role, projects, person_id, expires_at, last_used_at, created_at
             FROM api_tokens WHERE token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.read)
        .await?;
        row.map(|r| ApiToken::from_row(&r)).transpose()
    }

    /// Records a token's use, at most once a minute so reads stay reads.
    pub async fn touch_token(&self, id: i64, now: i64) -> Result<()> {
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(now)
        .bind(id)
        .bind(now - 60_000)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// The person a live session belongs to.
    pub async fn session_person(&self, hash: &str, now: i64) -> Result<Option<i64>> {
        let row =
            sqlx::query("SELECT person_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
                .bind(hash)
                .bind(now)
                .fetch_optional(&self.read)
                .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    pub async fn organization(&self) -> Result<Organization> {
        organization(&self.read).await
    }

    pub async fn scan(&self, id: i64) -> Result<Option<Scan>> {
        let row = sqlx::query(&format!("{SCAN_SELECT} WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| Scan::from_row(&r)).transpose()
    }

    pub async fn exceptions(
        &self,
        project: i64,
        state: Option<&str>,
    ) -> Result<Vec<ExceptionRecord>> {
        let rows = match state {
            Some(s) => {
                sqlx::query(&format!(
                    "{EXCEPTION_SELECT} WHERE e.project_id = $1 AND e.state = $2 ORDER BY e.id"
                ))
                .bind(project)
                .bind(s)
                .fetch_all(&self.read)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "{EXCEPTION_SELECT} WHERE e.project_id = $1 ORDER BY e.id"
                ))
                .bind(project)
                .fetch_all(&self.read)
                .await?
            }
        };
        rows.iter().map(ExceptionRecord::from_row).collect()
    }

    pub async fn exception(&self, id: i64) -> Result<Option<ExceptionRecord>> {
        let row = sqlx::query(&format!("{EXCEPTION_SELECT} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| ExceptionRecord::from_row(&r)).transpose()
    }

    /// Every audit event in id order, and the chain head (last id, last hash).
    pub async fn audit_log(&self) -> Result<(Vec<AuditEvent>, (i64, String))> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, object_type, object_id, before_json, after_json,
                    prev_hash, hash FROM audit_events ORDER BY id",
        )
        .fetch_all(&self.read)
        .await?;
        let events = rows
            .iter()
            .map(AuditEvent::from_row)
            .collect::<Result<Vec<_>>>()?;
        let head = sqlx::query("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.read)
            .await?;
        Ok((events, (head.try_get(0)?, head.try_get(1)?)))
    }

    /// Runs one statement as it is, outside the domain; for tests of tamper detection.
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<u64> {
        Ok(sqlx::query(sql).execute(&self.write).await?.rows_affected())
    }
}

/// Per-connection settings: WAL (so readers never block the writer), a busy timeout, foreign
/// keys, `synchronous = NORMAL`, which in WAL mode is still durable across crashes of the
/// process, a 32 MiB page cache (the default 2 MiB made a 100,000-finding upload spill pages to
/// the WAL in the middle of its transaction and read them back while updating the indexes), and
/// statement journals and sorts in memory rather than in temporary files.
fn sqlite_pragmas(
    conn: &mut sqlx::AnyConnection,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        use sqlx::Executor as _;
        for pragma in [
            "PRAGMA journal_mode = WAL",
            "PRAGMA busy_timeout = 10000",
            "PRAGMA foreign_keys = ON",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA cache_size = -32768",
            "PRAGMA temp_store = MEMORY",
        ] {
            conn.execute(pragma).await?;
        }
        Ok(())
    })
}

/// Per-connection settings on PostgreSQL: no JIT compilation. A filtered listing is planned
/// with the cost of reading every row (the planner cannot tell how soon the page fills), which is
/// past `jit_above_cost`, so each one paid 10–40 ms of compiling for a millisecond of work.
fn postgres_settings(
    conn: &mut sqlx::AnyConnection,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        use sqlx::Executor as _;
        conn.execute("SET jit = off").await?;
        Ok(())
    })
}

async fn organization<'e, E: sqlx::Executor<'e, Database = Any>>(e: E) -> Result<Organization> {
    let row = sqlx::query(
        "SELECT o.name, o.sla_policy, o.default_owner_id, o.default_team_id,
            (SELECT MIN(id) FROM people WHERE role = 'administrator') AS first_admin
         FROM organization o WHERE o.id = 1",
    )
    .fetch_one(e)
    .await?;
    Ok(Organization {
        name: row.try_get("name")?,
        sla_policy: row.try_get("sla_policy")?,
        default_owner_id: row.try_get("default_owner_id")?,
        default_team_id: row.try_get("default_team_id")?,
        first_admin_id: row.try_get("first_admin")?,
    })
}

/// A write transaction; dropped without [`Tx::commit`] it rolls back.
pub struct Tx {
    tx: sqlx::Transaction<'static, Any>,
    backend: Backend,
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }

    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    pub async fn organization(&mut self) -> Result<Organization> {
        organization(&mut *self.tx).await
    }

    pub async fn project_by_name(&mut self, name: &str) -> Result<Option<Project>> {
        let row = sqlx::query(&format!("{PROJECT_SELECT} WHERE p.name = $1"))
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| Project::from_row(&r)).transpose()
    }

    pub async fn person_email(&mut self, id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT email FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(row.map(|r| r.try_get::<String, _>(0)).transpose()?)
    }

    pub async fn team_name(&mut self, id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT name FROM teams WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(row.map(|r| r.try_get::<String, _>(0)).transpose()?)
    }

    pub async fn team_by_name(&mut self, name: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT id FROM teams WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    pub async fn person_id_by_email(&mut self, email: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT id FROM people WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    pub async fn insert_team(&mut self, name: &str, lead: Option<i64>, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO teams (name, lead_id, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(lead)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn add_member(&mut self, team: i64, person: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO team_members (team_id, person_id) VALUES ($1, $2)
             ON CONFLICT (team_id, person_id) DO NOTHING",
        )
        .bind(team)
        .bind(person)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn insert_person(
        &mut self,
        name: &str,
        email: &str,
        role: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO people (name, email, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(email)
        .bind(role)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_token(
        &mut self,
        name: &str,
        hash: &str,
        role: &str,
        projects_json: &str,
        person: Option<i64>,
        expires_at: Option<i64>,
        now: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO api_tokens (name, token_hash, role, projects, person_id, expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(name)
        .bind(hash)
        .bind(role)
        .bind(projects_json)
        .bind(person)
        .bind(expires_at)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn insert_session(
        &mut self,
        hash: &str,
        person: i64,
        now: i64,
        expires: i64,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO sessions (token_hash, person_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(hash)
        .bind(person)
        .bind(now)
        .bind(expires)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Deletes the session with this token hash; its id, if there was one.
    pub async fn delete_session(&mut self, hash: &str) -> Result<Option<i64>> {
        let row = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 RETURNING id")
            .bind(hash)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_project(
        &mut self,
        name: &str,
        team: Option<i64>,
        owner: Option<i64>,
        default_branch: Option<&str>,
        sla_policy: Option<&str>,
        now: i64,
    ) -> Result<Option<i64>> {
        let row = sqlx::query(
            "INSERT INTO projects (name, team_id, owner_id, default_branch, sla_policy, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (name) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(team)
        .bind(owner)
        .bind(default_branch)
        .bind(sla_policy)
        .bind(now)
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
    }

    pub async fn update_organization(
        &mut self,
        sla_policy: &str,
        default_owner: Option<i64>,
        default_team: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE organization SET sla_policy = $1, default_owner_id = $2, default_team_id = $3
             WHERE id = 1",
        )
        .bind(sla_policy)
        .bind(default_owner)
        .bind(default_team)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn update_project(
        &mut self,
        id: i64,
        team: Option<i64>,
        owner: Option<i64>,
        default_branch: Option<&str>,
        sla_policy: Option<&str>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE projects SET team_id = $1, owner_id = $2, default_branch = $3, sla_policy = $4,
                updated_at = $5 WHERE id = $6",
        )
        .bind(team)
        .bind(owner)
        .bind(default_branch)
        .bind(sla_policy)
        .bind(now)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_exception(&mut self, x: &NewException<'_>, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO exceptions (project_id, rule, fingerprint, path, advisory, scanner, stages,
                reason, expires, state, requested_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'requested', $10, $11) RETURNING id",
        )
        .bind(x.project_id)
        .bind(x.rule)
        .bind(x.fingerprint)
        .bind(x.path)
        .bind(x.advisory)
        .bind(x.scanner)
        .bind(x.stages_json.as_str())
        .bind(x.reason)
        .bind(x.expires)
        .bind(x.requested_by)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn exception_for_update(&mut self, id: i64) -> Result<Option<ExceptionRecord>> {
        let row = sqlx::query(&format!("{EXCEPTION_SELECT} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| ExceptionRecord::from_row(&r)).transpose()
    }

    /// Moves a requested exception to `state`; false when it was no longer requested.
    pub async fn decide_exception(
        &mut self,
        id: i64,
        state: &str,
        decided_by: &str,
        approver: Option<&str>,
        note: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE exceptions SET state = $1, decided_by = $2, approver = $3, decision_note = $4,
                decided_at = $5
             WHERE id = $6 AND state = 'requested'",
        )
        .bind(state)
        .bind(decided_by)
        .bind(approver)
        .bind(note)
        .bind(now)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Appends an audit event to the hash chain. The head row is updated first, which locks it
    /// until the transaction ends, so concurrent appends serialize.
    #[allow(clippy::too_many_arguments)]
    pub async fn audit(
        &mut self,
        at: i64,
        actor: &str,
        action: &str,
        object_type: &str,
        object_id: &str,
        before: Option<&serde_json::Value>,
        after: Option<&serde_json::Value>,
    ) -> Result<i64> {
        let head = sqlx::query(
            "UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id, last_hash",
        )
        .fetch_one(&mut *self.tx)
        .await?;
        let id: i64 = head.try_get(0)?;
        let prev: String = head.try_get(1)?;
        let before = before.map(crate::domain::audit::canonical_json);
        let after = after.map(crate::domain::audit::canonical_json);
        let event = AuditEvent {
            id,
            at,
            actor: actor.to_string(),
            action: action.to_string(),
            object_type: object_type.to_string(),
            object_id: object_id.to_string(),
            before,
            after,
            prev_hash: prev,
            hash: String::new(),
        };
        let hash = crate::domain::audit::event_hash(&event);
        sqlx::query(
            "INSERT INTO audit_events (id, at, actor, action, object_type, object_id, before_json,
                after_json, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(at)
        .bind(actor)
        .bind(action)
        .bind(object_type)
        .bind(object_id)
        .bind(event.before.as_deref())
        .bind(event.after.as_deref())
        .bind(event.prev_hash.as_str())
        .bind(hash.as_str())
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
            .bind(hash.as_str())
            .execute(&mut *self.tx)
            .await?;
        Ok(id)
    }
}

/// An exception request as stored.
pub struct NewException<'a> {
    pub project_id: i64,
    pub rule: Option<&'a str>,
    pub fingerprint: Option<&'a str>,
    pub path: Option<&'a str>,
    pub advisory: Option<&'a str>,
    pub scanner: Option<&'a str>,
    pub stages_json: String,
    pub reason: &'a str,
    pub expires: &'a str,
    pub requested_by: &'a str,
}

/// Ids per `IN (…)` list (ids are integers from the database, written inline).
pub(crate) const ID_BATCH: usize = 2_000;

/// `1,2,3` for an `IN (…)` list.
pub(crate) fn id_list(ids: &[i64]) -> String {
    let mut s = String::with_capacity(ids.len() * 8);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str) -> Result<T>
where
    T: sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    Ok(row.try_get(col)?)
}
