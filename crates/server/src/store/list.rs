//! Filtered listings with keyset pagination (newest first, by id).

use std::sync::atomic::{AtomicI64, Ordering};

use serde::Serialize;
use sqlx::Row;

use super::{Backend, FindingRecord, Result, Store, TicketRecord, FINDING_SELECT, TICKET_SELECT};

/// Which findings to list. Lists are "any of"; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    /// The projects the caller may see; `None` for all.
    pub visible: Option<Vec<i64>>,
    pub project: Option<i64>,
    pub team: Option<String>,
    pub severity: Vec<String>,
    pub level: Vec<i64>,
    pub state: Vec<String>,
    pub rule: Vec<String>,
    pub kind: Vec<String>,
    pub breached: Option<bool>,
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub updated_from: Option<i64>,
    pub updated_to: Option<i64>,
    /// Only ids below this one (the cursor).
    pub before_id: Option<i64>,
    pub limit: i64,
    pub now: i64,
}

pub type TicketFilter = FindingFilter;

/// One page of a listing.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

enum Arg {
    I(i64),
    S(String),
}

/// Ids as SQL literals, comma-separated (they are the store's own integers, never user text).
fn numbers(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `col = $n` for one value (SQLite then walks an index on (col, id) in id order instead of
/// sorting every match), `col IN (…)` for several.
fn in_list(col: &str, params: &[String]) -> String {
    match params {
        [one] => format!("{col} = {one}"),
        _ => format!("{col} IN ({})", params.join(", ")),
    }
}

#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    args: Vec<Arg>,
    /// A scope of several projects: the listed table's project column and the projects. Kept
    /// apart from `clauses`: a listing walks them either as one `project_id IN (…)` or one
    /// project at a time (see [`Where::page_ids`]).
    projects: Option<(String, Vec<i64>)>,
}

/// Scopes of up to this many projects are listed as one walk per project (see
/// [`Where::page_ids`]); wider ones as one walk with `project_id IN (…)`.
const MAX_SPLIT: usize = 100;

impl Where {
    fn p(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    fn any_text(&mut self, col: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let ps: Vec<String> = values.iter().map(|v| self.p(Arg::S(v.clone()))).collect();
        self.clauses.push(in_list(col, &ps));
    }

    fn any_int(&mut self, col: &str, values: &[i64]) {
        if values.is_empty() {
            return;
        }
        let ps: Vec<String> = values.iter().map(|v| self.p(Arg::I(*v))).collect();
        self.clauses.push(in_list(col, &ps));
    }

    fn cmp(&mut self, col: &str, op: &str, v: Option<i64>) {
        if let Some(v) = v {
            let p = self.p(Arg::I(v));
            self.clauses.push(format!("{col} {op} {p}"));
        }
    }

    /// The listing's projects (see [`Store::scope`]) on the listed table's own project column
    /// (`f.project_id` or `t.project_id`), so that the projects table never drives the query
    /// and the planner can walk that table's indexes in id order.
    fn scope(&mut self, projects: &Option<Vec<i64>>, project_col: &str) {
        match projects.as_deref() {
            None => {}
            Some([]) => self.clauses.push("1 = 0".into()),
            Some([one]) => self.clauses.push(format!("{project_col} = {one}")),
            Some(many) => self.projects = Some((project_col.to_string(), many.to_vec())),
        }
    }

    /// ` WHERE …` of every condition, or "" when there is none. A scope of several projects is
    /// `project_id IN (…)`, or `project` instead when given (one project's walk).
    fn conditions(&self, project: Option<&str>) -> String {
        let projects = match (&self.projects, project) {
            (_, Some(one)) => Some(one.to_string()),
            (Some((col, projects)), None) => Some(format!("{col} IN ({})", numbers(projects))),
            (None, None) => None,
        };
        let all: Vec<&str> = self
            .clauses
            .iter()
            .map(String::as_str)
            .chain(projects.as_deref())
            .collect();
        if all.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", all.join(" AND "))
        }
    }

    /// Past a deadline that still applies (as `TicketRecord::breached` says), or not. `at` is
    /// the ticket's breach time (see [`breach_at`]), NULL for a finding without a ticket, which
    /// is never breached.
    fn breached(&mut self, q: &FindingFilter, at: impl Fn(&str) -> String) {
        if let Some(b) = q.breached {
            let n1 = self.p(Arg::I(q.now));
            let n2 = self.p(Arg::I(q.now));
            let at = at(&n1);
            self.clauses.push(if b {
                format!("{at} < {n2}")
            } else {
                format!("COALESCE({at}, {n2}) >= {n2}")
            });
        }
    }

    /// `breached=true` as comparisons the deadline indexes ((state, remediation_due) and
    /// (state, mitigation_due)) answer term by term: for when few tickets are breached.
    fn breached_indexed(&mut self, q: &FindingFilter) {
        if q.breached == Some(true) {
            let n: Vec<String> = (0..3).map(|_| self.p(Arg::I(q.now))).collect();
            self.clauses.push(format!(
                "((t.state = 'open' AND t.remediation_due < {}) \
                 OR (t.state = 'mitigated' AND t.remediation_due < {}) \
                 OR (t.state = 'open' AND t.mitigation_due < {}))",
                n[0], n[1], n[2]
            ));
        }
    }

    /// The filters of every listing: `created`, `updated` and `id` are the listed table's.
    fn times(&mut self, q: &FindingFilter, created: &str, updated: &str, id: &str) {
        self.cmp(created, ">=", q.created_from);
        self.cmp(created, "<", q.created_to);
        self.cmp(updated, ">=", q.updated_from);
        self.cmp(updated, "<", q.updated_to);
        self.cmp(id, "<", q.before_id);
    }

    /// The page's ids: `from` (the listed table, joined to what the filters need), filtered,
    /// newest first, one more than the limit (to tell whether there is a next page). Only ids
    /// and the filtered columns are read here; the page's rows are read by id afterwards.
    ///
    /// With `each`, a scope of several projects (a team, a developer's projects) is one such
    /// walk per project, each stopping at a page, merged: with `project_id IN (…)` the index on
    /// (project_id, …, id) yields each project's rows in id order but not all of them together,
    /// so the planner sorts every match of every project, which for a developer's twenty
    /// projects at a million findings took 130 ms. SQLite merges a `UNION ALL` of the walks;
    /// PostgreSQL runs one walk per element of the project array (`LATERAL`) and sorts those
    /// few pages: it plans that once, where twenty `UNION ALL` branches took 7 ms to plan.
    fn page_ids(&self, from: &str, id: &str, limit: i64, each: Option<Backend>) -> String {
        let n = limit + 1;
        let walk = |project: Option<&str>| {
            format!(
                "SELECT {id} AS page_id FROM {from}{} ORDER BY {id} DESC LIMIT {n}",
                self.conditions(project)
            )
        };
        let (Some((col, projects)), Some(backend)) = (&self.projects, each) else {
            return walk(None);
        };
        let walks = match backend {
            Backend::Sqlite => projects
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    format!(
                        "SELECT page_id FROM ({}) w{i}",
                        walk(Some(&format!("{col} = {p}")))
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL "),
            Backend::Postgres => format!(
                "SELECT w.page_id FROM unnest(ARRAY[{}]::bigint[]) AS scope(project) \
                 CROSS JOIN LATERAL ({}) w",
                numbers(projects),
                walk(Some(&format!("{col} = scope.project")))
            ),
        };
        format!("SELECT page_id FROM ({walks}) walks ORDER BY page_id DESC LIMIT {n}")
    }

    fn query<'q>(
        &'q self,
        sql: &'q str,
        backend: Backend,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        // Not kept prepared on PostgreSQL, which plans a prepared statement without its
        // parameters' values after five runs (a generic plan), while a listing's values decide
        // its plan (`remediation_due < now` matches no ticket or every one): the generic plan of
        // `breached=true` walked every finding, 535 ms against 1 ms. An unnamed statement is
        // planned for the values it is bound to, every time. SQLite plans a statement once
        // whatever its values, so it keeps its prepared statements.
        let mut q = sqlx::query(sql).persistent(backend == Backend::Sqlite);
        for a in &self.args {
            q = match a {
                Arg::I(i) => q.bind(*i),
                Arg::S(s) => q.bind(s.as_str()),
            };
        }
        q
    }
}

fn page<T>(mut items: Vec<T>, limit: i64, id: impl Fn(&T) -> i64) -> ListPage<T> {
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if more {
        items.last().map(|t| encode_cursor(id(t)))
    } else {
        None
    };
    ListPage { items, next_cursor }
}

/// Cursors are opaque to clients: the last id of the page, obfuscated only so nobody builds them.
pub fn encode_cursor(id: i64) -> String {
    format!("c{:x}", id ^ 0x5a5a_5a5a)
}

pub fn decode_cursor(c: &str) -> Option<i64> {
    let hex = c.strip_prefix('c')?;
    i64::from_str_radix(hex, 16).ok().map(|v| v ^ 0x5a5a_5a5a)
}

/// A filter matching fewer rows than this is "rare": the page is found from that filter's index
/// and the matches sorted, instead of walking the listed table in id order until the page fills.
/// Both ways give the same answer; tests change it to walk both.
static RARE: AtomicI64 = AtomicI64::new(5_000);

/// Sets the "rare" threshold (0: never rare, always walk). For tests of both query shapes.
#[doc(hidden)]
pub fn set_rare_threshold(rows: i64) {
    RARE.store(rows, Ordering::Relaxed);
}

impl Store {
    /// Whether fewer than [`RARE`] rows of `from` pass `w`: a bounded count (at most `RARE`
    /// matches are read). On PostgreSQL the planner's estimate comes first, and an estimate of
    /// `RARE` or more answers "not rare" without counting: counting 5,000 of a common filter's
    /// matches is a sequential scan that PostgreSQL stops at the 5,000th, which may be 350,000
    /// rows in when the scope's projects are stored together (260 ms). The estimate assumes the
    /// filters independent of each other and of the projects; the count does not, and decides
    /// whenever the estimate says rare.
    async fn rare(&self, w: &Where, from: &str) -> Result<bool> {
        let rare = RARE.load(Ordering::Relaxed);
        let conditions = w.conditions(None);
        if conditions.is_empty() || rare <= 0 {
            return Ok(false);
        }
        if self.backend() == Backend::Postgres {
            let plan: String = w
                .query(
                    &format!("EXPLAIN SELECT 1 FROM {from}{conditions}"),
                    Backend::Postgres,
                )
                .fetch_one(self.reader())
                .await?
                .try_get(0)?;
            if estimated_rows(&plan).is_some_and(|n| n >= rare) {
                return Ok(false);
            }
        }
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 AS one FROM {from}{conditions} LIMIT {rare}) probe"
        );
        let n: i64 = w
            .query(&sql, self.backend())
            .fetch_one(self.reader())
            .await?
            .try_get(0)?;
        Ok(n < rare)
    }

    /// How a page is found among several projects: one walk per project (`Some`, see
    /// [`Where::page_ids`]) for up to [`MAX_SPLIT`] of them, unless the other filters match few
    /// rows in them: then one walk from that filter's index and a sort of the few matches is
    /// quicker (a rare rule among twenty projects took 1.5 s walked project by project).
    async fn each_project(&self, w: &Where, from: &str) -> Result<Option<Backend>> {
        let few = w
            .projects
            .as_ref()
            .is_some_and(|(_, p)| p.len() <= MAX_SPLIT);
        Ok(if few && !self.rare(w, from).await? {
            Some(self.backend())
        } else {
            None
        })
    }

    /// Whether few tickets are breached (among the caller's projects), which decides how a
    /// `breached=true` listing is found.
    async fn few_breached(&self, q: &FindingFilter, projects: &Option<Vec<i64>>) -> Result<bool> {
        let mut w = Where::default();
        w.scope(projects, "t.project_id");
        w.breached_indexed(q);
        self.rare(&w, "tickets t").await
    }

    /// The projects a listing is restricted to: the caller's visible ones, narrowed by `project`
    /// and by `team` (an unknown team has none); `None` for all.
    async fn scope(&self, q: &FindingFilter) -> Result<Option<Vec<i64>>> {
        let mut projects = q.visible.clone();
        if let Some(p) = q.project {
            projects = Some(match projects {
                Some(v) if !v.contains(&p) => Vec::new(),
                _ => vec![p],
            });
        }
        if let Some(team) = &q.team {
            let rows = sqlx::query(
                "SELECT p.id FROM projects p JOIN teams t ON t.id = p.team_id WHERE t.name = $1",
            )
            .bind(team.as_str())
            .fetch_all(self.reader())
            .await?;
            let of_team = rows
                .iter()
                .map(|r| r.try_get::<i64, _>(0))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            projects = Some(match projects {
                Some(v) => v.into_iter().filter(|p| of_team.contains(p)).collect(),
                None => of_team,
            });
        }
        Ok(projects)
    }

    pub async fn list_findings(&self, q: &FindingFilter) -> Result<ListPage<FindingRecord>> {
        let projects = self.scope(q).await?;
        let few_breached = q.breached == Some(true) && self.few_breached(q, &projects).await?;
        let mut w = Where::default();
        let from = if few_breached {
            // Few breached tickets: from the deadline indexes, joined to their findings.
            w.clauses.push("f.id = t.finding_id".into());
            w.breached_indexed(q);
            w.any_int("t.level", &q.level);
            "tickets t CROSS JOIN findings f"
        } else {
            // The ticket's columns through a subquery per finding rather than a join, so that
            // the planner keeps walking findings in id order and stops at the page's end:
            // joined, it may start from the tickets' level index and sort every match.
            w.any_int(
                "(SELECT t.level FROM tickets t WHERE t.finding_id = f.id)",
                &q.level,
            );
            w.breached(q, |now| {
                format!(
                    "(SELECT {} FROM tickets t WHERE t.finding_id = f.id)",
                    breach_at(now)
                )
            });
            "findings f"
        };
        w.scope(&projects, "f.project_id");
        w.any_text("f.severity", &q.severity);
        w.any_text("f.rule_id", &q.rule);
        w.any_text("f.kind", &q.kind);
        w.any_text("f.state", &q.state);
        w.times(q, "f.created_at", "f.updated_at", "f.id");
        let each = if few_breached {
            None
        } else {
            self.each_project(&w, from).await?
        };
        let ids = w.page_ids(from, "f.id", q.limit, each);
        let sql = by_page(FINDING_SELECT, "findings f", &ids, "f.id");
        let rows = w
            .query(&sql, self.backend())
            .fetch_all(self.reader())
            .await?;
        let items = rows
            .iter()
            .map(FindingRecord::from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(page(items, q.limit, |f| f.id))
    }

    pub async fn list_tickets(&self, q: &TicketFilter) -> Result<ListPage<TicketRecord>> {
        // The finding's columns (severity, rule, kind): when few findings match them, the page
        // is found from the findings' indexes and joined to their tickets; otherwise through a
        // subquery per ticket, so that the planner walks tickets in id order and stops at the
        // page's end instead of sorting every match.
        let by_finding = !(q.severity.is_empty() && q.rule.is_empty() && q.kind.is_empty()) && {
            let mut p = Where::default();
            p.any_text("f.severity", &q.severity);
            p.any_text("f.rule_id", &q.rule);
            p.any_text("f.kind", &q.kind);
            self.rare(&p, "findings f").await?
        };
        let projects = self.scope(q).await?;
        let few_breached = q.breached == Some(true) && self.few_breached(q, &projects).await?;
        let mut w = Where::default();
        let from = if by_finding {
            w.clauses.push("t.finding_id = f.id".into());
            w.any_text("f.severity", &q.severity);
            w.any_text("f.rule_id", &q.rule);
            w.any_text("f.kind", &q.kind);
            "findings f CROSS JOIN tickets t"
        } else {
            for (col, values) in [
                ("severity", &q.severity),
                ("rule_id", &q.rule),
                ("kind", &q.kind),
            ] {
                w.any_text(
                    &format!("(SELECT f.{col} FROM findings f WHERE f.id = t.finding_id)"),
                    values,
                );
            }
            "tickets t"
        };
        w.scope(&projects, "t.project_id");
        w.any_int("t.level", &q.level);
        w.any_text("t.state", &q.state);
        if few_breached {
            w.breached_indexed(q);
        } else {
            w.breached(q, breach_at);
        }
        w.times(q, "t.created_at", "t.updated_at", "t.id");
        let each = if few_breached || by_finding {
            None
        } else {
            self.each_project(&w, from).await?
        };
        let ids = w.page_ids(from, "t.id", q.limit, each);
        let sql = by_page(TICKET_SELECT, "tickets t", &ids, "t.id");
        let rows = w
            .query(&sql, self.backend())
            .fetch_all(self.reader())
            .await?;
        let items = rows
            .iter()
            .map(|r| TicketRecord::from_row(r, q.now))
            .collect::<Result<Vec<_>>>()?;
        Ok(page(items, q.limit, |t| t.id))
    }
}

/// When ticket `t` is breached: the mitigation deadline while open (if it comes first), the
/// remediation deadline while open or mitigated, and `now` (never) once closed. One expression
/// rather than an `OR` of comparisons, which the planner would answer from the deadline indexes
/// and sort.
fn breach_at(now: &str) -> String {
    format!(
        "CASE WHEN t.state = 'open' AND t.mitigation_due < t.remediation_due THEN t.mitigation_due \
         WHEN t.state IN ('open', 'mitigated') THEN t.remediation_due ELSE {now} END"
    )
}

/// The full rows of a page: `select` (a `…_SELECT` whose first table is `table`) driven by the
/// page's ids, which come first in the join order (`CROSS JOIN` keeps SQLite from reordering;
/// PostgreSQL reads it as a plain join), so at most `limit + 1` rows are read by primary key.
fn by_page(select: &str, table: &str, ids: &str, id: &str) -> String {
    let from = format!("FROM {table}");
    let select = select.replacen(&from, &format!("FROM ({ids}) sel CROSS JOIN {table}"), 1);
    format!("{select} WHERE {id} = sel.page_id ORDER BY {id} DESC")
}

/// The planner's row estimate in the first line of PostgreSQL's `EXPLAIN` (`Seq Scan on findings
/// f  (cost=0.00..96652.27 rows=58173 width=4)`).
fn estimated_rows(plan: &str) -> Option<i64> {
    let line = plan.lines().next()?;
    let rows = &line[line.find(" rows=")? + " rows=".len()..];
    let end = rows
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rows.len());
    rows[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::estimated_rows;

    #[test]
    fn reads_the_estimate_of_the_plan_root() {
        assert_eq!(
            estimated_rows(
                "Gather  (cost=1000.06..96652.27 rows=58173 width=4)\n  Workers Planned: 2\n  \
                 ->  Parallel Seq Scan on findings f  (cost=0.06..89834.97 rows=24239 width=4)"
            ),
            Some(58173)
        );
        assert_eq!(
            estimated_rows("Result  (cost=0.00..0.01 rows=1 width=4)"),
            Some(1)
        );
        assert_eq!(estimated_rows("Result"), None);
        assert_eq!(estimated_rows(""), None);
    }
}
