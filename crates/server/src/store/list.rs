//! Filtered listings with keyset pagination (newest first, by id).

use serde::Serialize;

use super::{FindingRecord, Result, Store, TicketRecord, FINDING_SELECT, TICKET_SELECT};

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
}

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

    /// The shared filters; `f` is the findings alias, `t` the tickets', `p` the projects'.
    fn common(&mut self, q: &FindingFilter, created: &str, updated: &str, id: &str) {
        if let Some(v) = &q.visible {
            if v.is_empty() {
                self.clauses.push("1 = 0".into());
            } else {
                let list: Vec<String> = v.iter().map(i64::to_string).collect();
                self.clauses.push(format!("p.id IN ({})", list.join(",")));
            }
        }
        self.cmp("p.id", "=", q.project);
        if let Some(team) = &q.team {
            let p = self.p(Arg::S(team.clone()));
            self.clauses.push(format!(
                "p.team_id = (SELECT id FROM teams WHERE name = {p})"
            ));
        }
        self.any_text("f.severity", &q.severity);
        self.any_int("t.level", &q.level);
        self.any_text("f.rule_id", &q.rule);
        self.any_text("f.kind", &q.kind);
        if let Some(b) = q.breached {
            let n1 = self.p(Arg::I(q.now));
            let n2 = self.p(Arg::I(q.now));
            let breached = format!(
                "(t.state IN ('open', 'mitigated') AND (t.remediation_due < {n1} \
                 OR (t.state = 'open' AND t.mitigation_due < {n2})))"
            );
            self.clauses.push(if b {
                breached
            } else {
                format!("(t.id IS NULL OR NOT {breached})")
            });
        }
        self.cmp(created, ">=", q.created_from);
        self.cmp(created, "<", q.created_to);
        self.cmp(updated, ">=", q.updated_from);
        self.cmp(updated, "<", q.updated_to);
        self.cmp(id, "<", q.before_id);
    }

    fn sql(&self, select: &str, id: &str, limit: i64) -> String {
        let mut s = select.to_string();
        if !self.clauses.is_empty() {
            s.push_str(" WHERE ");
            s.push_str(&self.clauses.join(" AND "));
        }
        s.push_str(&format!(" ORDER BY {id} DESC LIMIT {}", limit + 1));
        s
    }

    fn query<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut q = sqlx::query(sql);
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

impl Store {
    pub async fn list_findings(&self, q: &FindingFilter) -> Result<ListPage<FindingRecord>> {
        let mut w = Where::default();
        w.common(q, "f.created_at", "f.updated_at", "f.id");
        w.any_text("f.state", &q.state);
        let sql = w.sql(FINDING_SELECT, "f.id", q.limit);
        let rows = w.query(&sql).fetch_all(self.reader()).await?;
        let items = rows
            .iter()
            .map(FindingRecord::from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(page(items, q.limit, |f| f.id))
    }

    pub async fn list_tickets(&self, q: &TicketFilter) -> Result<ListPage<TicketRecord>> {
        let mut w = Where::default();
        w.common(q, "t.created_at", "t.updated_at", "t.id");
        w.any_text("t.state", &q.state);
        let sql = w.sql(TICKET_SELECT, "t.id", q.limit);
        let rows = w.query(&sql).fetch_all(self.reader()).await?;
        let items = rows
            .iter()
            .map(|r| TicketRecord::from_row(r, q.now))
            .collect::<Result<Vec<_>>>()?;
        Ok(page(items, q.limit, |t| t.id))
    }
}
