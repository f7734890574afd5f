//! Roles, permissions and who may see which project.

use crate::store::Project;

/// A person's or token's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including people and tokens.
    Administrator,
    /// Triage, approvals, projects and policy, across every project.
    Security,
    /// Their teams' projects: read, upload, request exceptions, mitigate and comment.
    Developer,
    /// Reads everything, the audit log included; changes nothing.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administrator,
        Role::Security,
        Role::Developer,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Security => "security",
            Role::Developer => "developer",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown role `{s}` (expected administrator, security, developer or auditor)"
                )
            })
    }

    /// The one place that says what a role may do.
    pub fn grants(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Administrator => true,
            Role::Security => p != Admin,
            Role::Developer => matches!(p, Public | Read | Upload | RequestException | Triage),
            Role::Auditor => matches!(p, Public | Read | ReadAudit),
        }
    }

    /// Whether the role sees every project (developers see their teams' only).
    pub fn sees_all_projects(self) -> bool {
        self != Role::Developer
    }
}

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Permission {
    /// No sign-in needed (signing in, the API description).
    Public,
    /// Read projects, findings, tickets, scans and exceptions.
    Read,
    /// Upload scan results.
    Upload,
    /// Create and change projects and teams, set SLA policy.
    ManageProjects,
    /// Ask for an exception (or a false-positive / risk-acceptance decision).
    RequestException,
    /// Approve or reject requests (four eyes: never one's own).
    DecideException,
    /// Mitigate tickets and comment on them.
    Triage,
    /// Read and export the audit log.
    ReadAudit,
    /// Manage people and API tokens.
    Admin,
}

/// Who is calling: a person signed in, or an API token (possibly on behalf of a person).
#[derive(Debug, Clone)]
pub struct Principal {
    /// How the audit log and four-eyes checks name the caller: the person's email, or
    /// `token:NAME#ID` for a token not bound to a person.
    pub actor: String,
    pub role: Role,
    pub person_id: Option<i64>,
    /// The caller's teams (a person's memberships).
    pub teams: Vec<i64>,
    /// A token's project scope; `None` when unrestricted.
    pub projects: Option<Vec<String>>,
}

impl Principal {
    /// Four eyes: whoever asked for `what` (an exception, a triage request) is not the one who
    /// decides it.
    pub fn check_not_requester(&self, requested_by: &str, what: &str) -> super::Result<()> {
        if requested_by == self.actor {
            return Err(super::DomainError::Forbidden(format!(
                "{what} is {0}'s own request, so {0} cannot decide it: another person with the \
                 security role must",
                self.actor
            )));
        }
        Ok(())
    }

    /// The command line acting on the database directly (`gatehouse admin …`).
    pub fn local_admin() -> Principal {
        Principal {
            actor: "local:admin".into(),
            role: Role::Administrator,
            person_id: None,
            teams: Vec::new(),
            projects: None,
        }
    }

    pub fn may(&self, p: Permission) -> bool {
        self.role.grants(p)
    }

    /// Whether the caller may see (and, with the permission, act on) `project`.
    pub fn sees(&self, project: &Project) -> bool {
        if let Some(scope) = &self.projects {
            if !scope.contains(&project.name) {
                return false;
            }
        }
        if self.role.sees_all_projects() {
            return true;
        }
        // Developers: their teams' projects; a developer token bound to no person is limited to
        // its project scope, which was checked above.
        match self.person_id {
            Some(_) => project.team_id.is_some_and(|t| self.teams.contains(&t)),
            None => self.projects.is_some(),
        }
    }
}
