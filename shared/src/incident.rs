//! Incidents (事件) and disputes (矛盾纠纷): the closed loop as a state machine, who may
//! take which step, and the wire types. The web client walks the same machine offline.
//!
//! ```text
//! reported ─accept→ accepted ─dispatch→ dispatched ─start→ in_progress ─resolve→ resolved ─verify→ closed
//!    │  └─reject→ rejected        ▲ (re-dispatch from dispatched / in_progress)        └─rework→ rework ─start→ in_progress
//!    └─self_close→ closed (minor matter settled on the spot by the reporting worker)
//! escalate: any open state, status kept, level community → town → district
//! merge: any open state → closed, as a duplicate of another incident
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::Role;
use crate::geometry::Location;
use crate::validate::{self, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Reported,
    Accepted,
    Rejected,
    Dispatched,
    InProgress,
    Resolved,
    Closed,
    Rework,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Reported,
        Status::Accepted,
        Status::Rejected,
        Status::Dispatched,
        Status::InProgress,
        Status::Resolved,
        Status::Closed,
        Status::Rework,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Dispatched => "dispatched",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Rework => "rework",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Not closed and not rejected.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Rejected)
    }

    /// Still waiting for someone to handle it: the deadline runs and escalation applies.
    pub fn is_unresolved(self) -> bool {
        self.is_open() && self != Status::Resolved
    }
}

/// The handling level of an incident: the tiered ladder 小事不出村、大事不出镇、难事不出区.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Community,
    Town,
    District,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Community => "community",
            Level::Town => "town",
            Level::District => "district",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "community" => Some(Level::Community),
            "town" => Some(Level::Town),
            "district" => Some(Level::District),
            _ => None,
        }
    }

    pub fn up(self) -> Option<Level> {
        match self {
            Level::Community => Some(Level::Town),
            Level::Town => Some(Level::District),
            Level::District => None,
        }
    }

    /// The level of a supervisor whose region code has this many digits.
    pub fn of_region_code(code: &str) -> Option<Level> {
        match code.len() {
            6 => Some(Level::District),
            9 => Some(Level::Town),
            12 => Some(Level::Community),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Urgent,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Urgent,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Accept,
    Reject,
    Dispatch,
    Start,
    Resolve,
    Verify,
    Rework,
    Escalate,
    SelfClose,
    Merge,
    Comment,
    ClearConflict,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Dispatch => "dispatch",
            Action::Start => "start",
            Action::Resolve => "resolve",
            Action::Verify => "verify",
            Action::Rework => "rework",
            Action::Escalate => "escalate",
            Action::SelfClose => "self_close",
            Action::Merge => "merge",
            Action::Comment => "comment",
            Action::ClearConflict => "clear_conflict",
        }
    }
}

/// What an incident looks like to the state machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts<'a> {
    pub status: Status,
    pub level: Level,
    pub cell_code: &'a str,
    pub reporter_id: &'a str,
    pub assignee_id: Option<&'a str>,
    /// The department it is dispatched to.
    pub department_id: Option<&'a str>,
    pub resolver_id: Option<&'a str>,
    pub conflict: bool,
}

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Actor<'a> {
    pub id: &'a str,
    pub role: Role,
    pub region_code: &'a str,
    /// Department staff's department.
    pub department_id: Option<&'a str>,
}

/// Why a step may not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not take this step on this incident (403).
    Forbidden(&'static str),
    /// The step is not possible from the incident's state (409 `invalid_transition`).
    Illegal(String),
}

/// The one who handles a dispatched incident: its assignee, or any staff of the department
/// it is dispatched to.
pub fn handles(actor: &Actor<'_>, facts: &Facts<'_>) -> bool {
    facts.assignee_id == Some(actor.id)
        || (actor.role == Role::Department
            && facts.department_id.is_some()
            && facts.department_id == actor.department_id)
}

/// A supervisor at or above the incident's level, over its cell; or an admin.
pub fn supervises(actor: &Actor<'_>, facts: &Facts<'_>) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Supervisor => {
            facts.cell_code.starts_with(actor.region_code)
                && Level::of_region_code(actor.region_code).is_some_and(|l| l >= facts.level)
        }
        _ => false,
    }
}

/// May a user take a case in `cell_code` that a dispatcher whose region is
/// `dispatcher_scope` (`""` for an admin) sends? An active worker whose region holds the
/// cell — a worker of the incident's community (or above it) — inside the dispatcher's
/// region. The server checks a dispatch with this; the phone offers exactly these.
pub fn may_take(
    role: Role,
    active: bool,
    region_code: &str,
    cell_code: &str,
    dispatcher_scope: &str,
) -> bool {
    role == Role::Worker
        && active
        && !region_code.is_empty()
        && cell_code.starts_with(region_code)
        && region_code.starts_with(dispatcher_scope)
}

/// May `actor` take `action` on the incident? (Independent of its status.)
pub fn authorize(actor: &Actor<'_>, action: Action, facts: &Facts<'_>) -> Result<(), Refusal> {
    let ok = match action {
        Action::Accept
        | Action::Reject
        | Action::Dispatch
        | Action::Escalate
        | Action::Merge
        | Action::ClearConflict => supervises(actor, facts),
        Action::Verify | Action::Rework => {
            if supervises(actor, facts) && facts.resolver_id == Some(actor.id) {
                return Err(Refusal::Forbidden(
                    "the one who verifies is not the one who fixed it",
                ));
            }
            supervises(actor, facts)
        }
        Action::Start | Action::Resolve => handles(actor, facts),
        Action::SelfClose => actor.role == Role::Worker && facts.reporter_id == actor.id,
        Action::Comment => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::Forbidden(match action {
            Action::Start | Action::Resolve => {
                "only the assigned worker or the department's staff may do this"
            }
            Action::SelfClose => "only the reporting worker may close on the spot",
            _ => "needs a supervisor at or above the incident's level over its cell",
        }))
    }
}

/// The state after `action`, or why it is not possible now.
pub fn transition(facts: &Facts<'_>, action: Action) -> Result<(Status, Level), Refusal> {
    use Status::*;
    let s = facts.status;
    let illegal = || {
        Refusal::Illegal(format!(
            "{} is not possible from {}",
            action.as_str(),
            s.as_str()
        ))
    };
    let next = match (action, s) {
        (Action::Accept, Reported) => Accepted,
        (Action::Reject, Reported) => Rejected,
        (Action::Dispatch, Accepted | Dispatched | InProgress) => Dispatched,
        (Action::Start, Dispatched | Rework) => InProgress,
        (Action::Resolve, InProgress) => Resolved,
        (Action::Verify, Resolved) => Closed,
        (Action::Rework, Resolved) => Rework,
        (Action::SelfClose, Reported) => Closed,
        (Action::Merge, s) if s.is_open() => Closed,
        (Action::Comment, s) => s,
        (Action::ClearConflict, s) if facts.conflict => s,
        (Action::Escalate, s) if s.is_open() => {
            let up = facts.level.up().ok_or_else(|| {
                Refusal::Illegal("the incident is already at district level".into())
            })?;
            return Ok((s, up));
        }
        _ => return Err(illegal()),
    };
    Ok((next, facts.level))
}

/// The steps `actor` can take now (what the client offers as buttons).
pub fn available(actor: &Actor<'_>, facts: &Facts<'_>) -> Vec<Action> {
    [
        Action::Accept,
        Action::Reject,
        Action::Dispatch,
        Action::Start,
        Action::Resolve,
        Action::Verify,
        Action::Rework,
        Action::Escalate,
        Action::SelfClose,
        Action::Merge,
        Action::Comment,
        Action::ClearConflict,
    ]
    .into_iter()
    .filter(|a| authorize(actor, *a, facts).is_ok() && transition(facts, *a).is_ok())
    .collect()
}

/// `POST /incidents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewIncident {
    /// Client-generated id: replaying the same create answers as the first time.
    pub id: Uuid,
    /// A 4-digit category code.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}$"))]
    pub category: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: String,
    pub location: Location,
    #[serde(with = "crate::utc")]
    pub occurred_at: DateTime<Utc>,
    pub severity: Severity,
}

impl NewIncident {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.category.len() != 4 || !self.category.bytes().all(|b| b.is_ascii_digit()) {
            e.push("category", "must be a 4-digit category code");
        }
        validate::text(&mut e, "title", &self.title, 1, 200);
        if self.description.chars().count() > 5000 {
            e.push("description", "must have at most 5000 characters");
        }
        self.location.validate(&mut e, "location");
        if self.occurred_at > now + chrono::Duration::hours(1) {
            e.push("occurred_at", "is in the future");
        }
        e.into_result()
    }
}

/// `POST /incidents/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    pub action: Action,
    /// The version the incident was read at.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
    /// The worker to dispatch to (`dispatch`; or `department_id`).
    #[serde(default)]
    pub assignee_id: Option<Uuid>,
    /// The department to dispatch to (`dispatch`; or `assignee_id`).
    #[serde(default)]
    pub department_id: Option<Uuid>,
    /// The original incident (`merge`).
    #[serde(default)]
    pub into: Option<Uuid>,
}

impl ActionRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.version < 1 {
            e.push("version", "must be the version you read (1 or more)");
        }
        if self.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            e.push("note", "must have at most 2000 characters");
        }
        match (self.action, self.assignee_id, self.department_id) {
            (Action::Dispatch, None, None) => e.push(
                "assignee_id",
                "dispatch needs the worker (assignee_id) or the department (department_id)",
            ),
            (Action::Dispatch, Some(_), Some(_)) => e.push(
                "department_id",
                "dispatch goes to a worker or to a department, not both",
            ),
            _ => {}
        }
        if self.action == Action::Merge && self.into.is_none() {
            e.push("into", "merge needs the original incident's id");
        }
        if self.action == Action::Comment
            && self.note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            e.push("note", "a comment needs a note");
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineHours {
    pub community: f64,
    pub town: f64,
    pub district: f64,
}

impl DeadlineHours {
    pub fn for_level(&self, level: Level) -> f64 {
        match level {
            Level::Community => self.community,
            Level::Town => self.town,
            Level::District => self.district,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub deadline_hours: DeadlineHours,
    /// Offered to other systems as an Open311 service (never a dispute).
    #[serde(default)]
    pub public: bool,
}

/// Disputes are class `01`; they carry mediation records.
pub fn is_dispute(category: &str) -> bool {
    category.starts_with("01")
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeadlinePatch {
    pub community: Option<f64>,
    pub town: Option<f64>,
    pub district: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CategoryPatch {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name_en: Option<String>,
    pub deadline_hours: Option<DeadlinePatch>,
    /// Offer the category as an Open311 service; a dispute never is (422).
    pub public: Option<bool>,
}

impl CategoryPatch {
    /// Checks the patch of category `code`.
    pub fn validate(&self, code: &str) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.public == Some(true) && is_dispute(code) {
            e.push("public", "a dispute category is never public");
        }
        if let Some(n) = &self.name {
            validate::name(&mut e, "name", n, 100);
        }
        if let Some(n) = &self.name_en {
            validate::name(&mut e, "name_en", n, 100);
        }
        if let Some(d) = &self.deadline_hours {
            for (f, v) in [
                ("community", d.community),
                ("town", d.town),
                ("district", d.district),
            ] {
                if v.is_some_and(|v| !v.is_finite() || !(0.001..=100_000.0).contains(&v)) {
                    e.push(
                        format!("deadline_hours.{f}"),
                        "must be between 0.001 and 100000 hours",
                    );
                }
            }
        }
        e.into_result()
    }
}

/// One step of an incident's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    /// The entry's id; a step taken through sync has its operation's `op_id`. Photos of
    /// the step name it (`step_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(with = "crate::utc")]
    pub at: DateTime<Utc>,
    /// `null` for the system (the escalation sweep).
    pub actor_id: Option<Uuid>,
    pub action: String,
    /// Status before and after; levels for `escalate`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
    /// A step that arrived offline after the incident had moved on and could not apply.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conflict: bool,
    /// Extra facts of the step (assignee, merged into, mediation id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoRef {
    pub id: Uuid,
    pub sha256: String,
    pub content_type: String,
    pub url: String,
    pub thumbnail_url: String,
    /// The history entry (step) of the incident the photo is the proof of; absent for a
    /// photo of the incident itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<Uuid>,
}

/// An incident as lists and the detail view show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: Uuid,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: Location,
    #[serde(with = "crate::utc")]
    pub occurred_at: DateTime<Utc>,
    pub severity: Severity,
    pub cell_code: String,
    pub status: Status,
    pub level: Level,
    #[serde(with = "crate::utc")]
    pub due_at: DateTime<Utc>,
    /// Unresolved and past `due_at`.
    pub overdue: bool,
    pub reporter_id: Uuid,
    pub assignee_id: Option<Uuid>,
    /// The assignee's display name, for everyone who may see the incident.
    #[serde(default)]
    pub assignee_name: Option<String>,
    /// The department it is dispatched to.
    #[serde(default)]
    pub department_id: Option<Uuid>,
    pub resolver_id: Option<Uuid>,
    pub merged_into: Option<Uuid>,
    pub conflict: bool,
    pub version: i64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub updated_at: DateTime<Utc>,
    #[serde(default, with = "crate::utc::option")]
    pub closed_at: Option<DateTime<Utc>>,
    pub photos: Vec<PhotoRef>,
    /// Where the report came from.
    #[serde(default)]
    pub source: Source,
}

/// Where an incident was reported: this app (or its sync), or an Open311 client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[default]
    App,
    Open311,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::App => "app",
            Source::Open311 => "open311",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        match s {
            "app" => Some(Source::App),
            "open311" => Some(Source::Open311),
            _ => None,
        }
    }
}

/// A mediation party; names and phones are masked for those who do not handle the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// `POST /incidents/{id}/mediations`: one mediation session of a dispute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMediation {
    pub id: Uuid,
    #[serde(with = "crate::utc")]
    pub held_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub mediator: String,
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub parties: Vec<Party>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub outcome: String,
    pub agreement_reached: bool,
    #[serde(default)]
    pub note: Option<String>,
}

impl NewMediation {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "mediator", &self.mediator, 100);
        validate::text(&mut e, "outcome", &self.outcome, 1, 2000);
        if self.parties.is_empty() {
            e.push("parties", "a mediation has at least one party");
        }
        for (i, p) in self.parties.iter().enumerate() {
            validate::name(&mut e, &format!("parties[{i}].name"), &p.name, 100);
        }
        if self.held_at > now + chrono::Duration::hours(1) {
            e.push("held_at", "is in the future");
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mediation {
    pub id: Uuid,
    #[serde(with = "crate::utc")]
    pub held_at: DateTime<Utc>,
    pub mediator: String,
    pub parties: Vec<Party>,
    pub outcome: String,
    pub agreement_reached: bool,
    pub note: Option<String>,
    pub recorded_by: Uuid,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
}

/// Masks a name: the first character stays (张**).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// Masks a phone number: the first 3 and last 4 stay.
pub fn mask_phone(phone: &str) -> String {
    let n = phone.chars().count();
    phone
        .chars()
        .enumerate()
        .map(|(i, c)| if i < 3 || i + 4 >= n { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(status: Status) -> Facts<'static> {
        Facts {
            status,
            level: Level::Community,
            cell_code: "500117001001001",
            reporter_id: "w1",
            assignee_id: Some("w2"),
            department_id: None,
            resolver_id: Some("w2"),
            conflict: false,
        }
    }

    const TOWN: Actor<'static> = Actor {
        id: "s1",
        role: Role::Supervisor,
        region_code: "500117001",
        department_id: None,
    };
    const OTHER_TOWN: Actor<'static> = Actor {
        id: "s2",
        role: Role::Supervisor,
        region_code: "500117002",
        department_id: None,
    };
    const W1: Actor<'static> = Actor {
        id: "w1",
        role: Role::Worker,
        region_code: "500117001001",
        department_id: None,
    };
    const W2: Actor<'static> = Actor {
        id: "w2",
        role: Role::Worker,
        region_code: "500117001001",
        department_id: None,
    };

    #[test]
    fn the_closed_loop() {
        let f = facts(Status::Reported);
        assert_eq!(transition(&f, Action::Accept).unwrap().0, Status::Accepted);
        assert_eq!(
            transition(&facts(Status::Accepted), Action::Dispatch)
                .unwrap()
                .0,
            Status::Dispatched
        );
        assert_eq!(
            transition(&facts(Status::Dispatched), Action::Start)
                .unwrap()
                .0,
            Status::InProgress
        );
        assert_eq!(
            transition(&facts(Status::InProgress), Action::Resolve)
                .unwrap()
                .0,
            Status::Resolved
        );
        assert_eq!(
            transition(&facts(Status::Resolved), Action::Rework)
                .unwrap()
                .0,
            Status::Rework
        );
        assert_eq!(
            transition(&facts(Status::Rework), Action::Start).unwrap().0,
            Status::InProgress
        );
        assert_eq!(
            transition(&facts(Status::Resolved), Action::Verify)
                .unwrap()
                .0,
            Status::Closed
        );
        assert!(matches!(
            transition(&facts(Status::Closed), Action::Accept),
            Err(Refusal::Illegal(_))
        ));
        assert!(matches!(
            transition(&facts(Status::Reported), Action::Verify),
            Err(Refusal::Illegal(_))
        ));
    }

    #[test]
    fn every_illegal_pair_is_refused() {
        let legal: &[(Action, &[Status])] = &[
            (Action::Accept, &[Status::Reported]),
            (Action::Reject, &[Status::Reported]),
            (
                Action::Dispatch,
                &[Status::Accepted, Status::Dispatched, Status::InProgress],
            ),
            (Action::Start, &[Status::Dispatched, Status::Rework]),
            (Action::Resolve, &[Status::InProgress]),
            (Action::Verify, &[Status::Resolved]),
            (Action::Rework, &[Status::Resolved]),
            (Action::SelfClose, &[Status::Reported]),
        ];
        for (action, from) in legal {
            for s in Status::ALL {
                assert_eq!(
                    transition(&facts(s), *action).is_ok(),
                    from.contains(&s),
                    "{action:?} from {s:?}"
                );
            }
        }
    }

    #[test]
    fn escalation_climbs_and_stops_at_district() {
        let mut f = facts(Status::Dispatched);
        assert_eq!(
            transition(&f, Action::Escalate).unwrap(),
            (Status::Dispatched, Level::Town)
        );
        f.level = Level::District;
        assert!(matches!(
            transition(&f, Action::Escalate),
            Err(Refusal::Illegal(_))
        ));
        assert!(transition(&facts(Status::Closed), Action::Escalate).is_err());
    }

    #[test]
    fn who_may_act() {
        let f = facts(Status::Reported);
        assert!(authorize(&TOWN, Action::Accept, &f).is_ok());
        assert!(authorize(&OTHER_TOWN, Action::Accept, &f).is_err());
        assert!(authorize(&W1, Action::Accept, &f).is_err());
        assert!(authorize(&W1, Action::SelfClose, &f).is_ok());
        assert!(authorize(&W2, Action::SelfClose, &f).is_err());
        assert!(authorize(&W2, Action::Start, &f).is_ok());
        assert!(authorize(&W1, Action::Start, &f).is_err());
        // Any staff of the department it is dispatched to handles it; others do not.
        let mut d = facts(Status::Dispatched);
        d.assignee_id = None;
        d.department_id = Some("dep1");
        let staff = |department_id| Actor {
            id: "d1",
            role: Role::Department,
            region_code: "500117",
            department_id,
        };
        assert!(authorize(&staff(Some("dep1")), Action::Start, &d).is_ok());
        assert!(authorize(&staff(Some("dep1")), Action::Resolve, &d).is_ok());
        assert!(authorize(&staff(Some("dep2")), Action::Start, &d).is_err());
        assert!(authorize(&staff(Some("dep1")), Action::Verify, &d).is_err());
        assert!(authorize(&W2, Action::Start, &d).is_err());
        // A community supervisor cannot act on a town-level incident.
        let community = Actor {
            id: "s3",
            role: Role::Supervisor,
            region_code: "500117001001",
            department_id: None,
        };
        let mut town = facts(Status::Reported);
        assert!(authorize(&community, Action::Accept, &town).is_ok());
        town.level = Level::Town;
        assert!(authorize(&community, Action::Accept, &town).is_err());
        assert!(authorize(&TOWN, Action::Accept, &town).is_ok());
    }

    #[test]
    fn the_resolver_does_not_verify() {
        let f = Facts {
            resolver_id: Some("s1"),
            ..facts(Status::Resolved)
        };
        assert!(matches!(
            authorize(&TOWN, Action::Verify, &f),
            Err(Refusal::Forbidden(_))
        ));
        assert!(authorize(&TOWN, Action::Verify, &facts(Status::Resolved)).is_ok());
    }

    #[test]
    fn workers_of_the_incidents_community_take_its_cases() {
        let cell = "500117001001001";
        let take =
            |role, active, region: &str, scope: &str| may_take(role, active, region, cell, scope);
        assert!(take(Role::Worker, true, "500117001001", "500117001"));
        assert!(take(Role::Worker, true, "500117001001", ""));
        // Another community of the same town, an inactive worker, a supervisor.
        assert!(!take(Role::Worker, true, "500117001002", "500117001"));
        assert!(!take(Role::Worker, false, "500117001001", "500117001"));
        assert!(!take(Role::Supervisor, true, "500117001001", "500117001"));
        // Above the dispatcher's region: not one of its people.
        assert!(!take(Role::Worker, true, "500117", "500117001"));
        assert!(!take(Role::Worker, true, "", ""));
    }

    #[test]
    fn masks() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_phone("13812345678"), "138****5678");
    }
}

/// `GET /incidents/{id}`: the incident with its history, mediation sessions and the
/// steps the caller can take now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub incident: Incident,
    pub history: Vec<HistoryEntry>,
    /// Parties' names and phones are masked unless the caller handles the case.
    pub mediations: Vec<Mediation>,
    pub available_actions: Vec<Action>,
    /// While the incident is open: open incidents of its category reported before it within
    /// 50 m in the 7 days before it, that the caller may see (as the report's answer
    /// listed them), nearest first.
    #[serde(default)]
    pub possible_duplicates: Vec<Duplicate>,
}

/// A possible duplicate of a new report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Duplicate {
    pub id: Uuid,
    pub title: String,
    pub status: Status,
    pub distance_m: f64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
}

/// The answer to a report (`POST /incidents`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reported {
    #[serde(flatten)]
    pub incident: Incident,
    /// Open incidents of the same category within 50 m in the last 7 days that the
    /// reporter may see.
    pub possible_duplicates: Vec<Duplicate>,
}
