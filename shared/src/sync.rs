//! Wire types of offline sync: `POST /sync/push` (queued field operations) and
//! `GET /sync/pull` (what changed in the caller's scope).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::api::Cell;
use crate::deliberation::{Deliberation, NewDeliberation, NewSession};
use crate::incident::{ActionRequest, Category, Incident, NewIncident};
use crate::notification::Notification;
use crate::person::{NewVisit, PersonItem};
use crate::problem::FieldError;
use crate::responsibility::{NewProgress, Task};
use crate::safety::{NewInspection, NewUnit, Unit};
use crate::selection::{Campaign, NewNomination};
use crate::team::{NewPatrol, TeamDetail};

/// At most this many operations in one push.
pub const MAX_OPS: usize = 500;

/// `POST /sync/push`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub ops: Vec<Op>,
}

/// One queued operation as it travels: its type and the matching endpoint's body. Each
/// operation is read on its own, so a bad one is rejected alone.
// Clients build it from a typed `Operation` with `Op::new`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Op {
    /// The client's id of this operation: replaying it changes nothing.
    pub op_id: Uuid,
    /// `incident.create | incident.action | visit.create | inspection.create | unit.create |
    /// deliberation.create | deliberation.session | nomination.create | patrol.create`
    #[serde(rename = "type")]
    pub op_type: String,
    /// The matching endpoint's body, plus `incident_id`, `person_id`, `unit_id`,
    /// `deliberation_id` or `campaign_id` where the endpoint has it in its path.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub body: Value,
}

/// A field operation, typed: what a phone queues while offline.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "type", content = "body")]
pub enum Operation {
    #[serde(rename = "incident.create")]
    IncidentCreate(NewIncident),
    #[serde(rename = "incident.action")]
    IncidentAction(OnIncident<ActionRequest>),
    #[serde(rename = "visit.create")]
    VisitCreate(OnPerson<NewVisit>),
    #[serde(rename = "inspection.create")]
    InspectionCreate(OnUnit<NewInspection>),
    #[serde(rename = "unit.create")]
    UnitCreate(NewUnit),
    #[serde(rename = "task.progress")]
    TaskProgress(OnTask<NewProgress>),
    #[serde(rename = "deliberation.create")]
    DeliberationCreate(NewDeliberation),
    #[serde(rename = "deliberation.session")]
    DeliberationSession(OnDeliberation<NewSession>),
    #[serde(rename = "nomination.create")]
    NominationCreate(OnCampaign<NewNomination>),
    #[serde(rename = "patrol.create")]
    PatrolCreate(NewPatrol),
}

/// An endpoint's body about a responsibility task (`/tasks/{task_id}/…`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OnTask<T> {
    pub task_id: Uuid,
    #[serde(flatten)]
    pub body: T,
}

/// An endpoint's body about a deliberation item (`/deliberations/{deliberation_id}/…`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OnDeliberation<T> {
    pub deliberation_id: Uuid,
    #[serde(flatten)]
    pub body: T,
}

/// An endpoint's body about a selection campaign (`/campaigns/{campaign_id}/…`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OnCampaign<T> {
    pub campaign_id: Uuid,
    #[serde(flatten)]
    pub body: T,
}

/// An endpoint's body about an incident (`/incidents/{incident_id}/…`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OnIncident<T> {
    pub incident_id: Uuid,
    #[serde(flatten)]
    pub body: T,
}

/// An endpoint's body about a person (`/persons/{person_id}/…`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OnPerson<T> {
    pub person_id: Uuid,
    #[serde(flatten)]
    pub body: T,
}

/// An endpoint's body about a safety unit (`/safety-units/{unit_id}/…`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OnUnit<T> {
    pub unit_id: Uuid,
    #[serde(flatten)]
    pub body: T,
}

impl Operation {
    /// The wire name of the operation's type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Operation::IncidentCreate(_) => "incident.create",
            Operation::IncidentAction(_) => "incident.action",
            Operation::VisitCreate(_) => "visit.create",
            Operation::InspectionCreate(_) => "inspection.create",
            Operation::UnitCreate(_) => "unit.create",
            Operation::TaskProgress(_) => "task.progress",
            Operation::DeliberationCreate(_) => "deliberation.create",
            Operation::DeliberationSession(_) => "deliberation.session",
            Operation::NominationCreate(_) => "nomination.create",
            Operation::PatrolCreate(_) => "patrol.create",
        }
    }

    /// The id of the record this operation creates, if it creates one that later
    /// operations may be about.
    pub fn created_id(&self) -> Option<Uuid> {
        match self {
            Operation::IncidentCreate(n) => Some(n.id),
            Operation::UnitCreate(n) => Some(n.id),
            Operation::DeliberationCreate(n) => Some(n.id),
            _ => None,
        }
    }

    /// The record an operation is about, when it is about one.
    pub fn parent_id(&self) -> Option<Uuid> {
        match self {
            Operation::IncidentAction(a) => Some(a.incident_id),
            Operation::VisitCreate(v) => Some(v.person_id),
            Operation::InspectionCreate(i) => Some(i.unit_id),
            Operation::TaskProgress(p) => Some(p.task_id),
            Operation::DeliberationSession(s) => Some(s.deliberation_id),
            Operation::NominationCreate(n) => Some(n.campaign_id),
            _ => None,
        }
    }
}

impl Op {
    /// The operation as it travels.
    pub fn new(op_id: Uuid, operation: &Operation) -> Op {
        #[derive(Deserialize)]
        struct Parts {
            #[serde(rename = "type")]
            op_type: String,
            body: Value,
        }
        let parts: Parts = serde_json::to_value(operation)
            .and_then(serde_json::from_value)
            .expect("an operation serializes as type and body");
        Op {
            op_id,
            op_type: parts.op_type,
            body: parts.body,
        }
    }

    /// The typed operation, if this one is well formed.
    pub fn operation(&self) -> Result<Operation, serde_json::Error> {
        serde_json::from_value(serde_json::json!({"type": self.op_type, "body": self.body}))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    Applied,
    Duplicate,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpResult {
    pub op_id: Uuid,
    pub status: OpStatus,
    /// The error code of a rejected operation (as the endpoint would answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For an `incident.action`: it arrived after the incident moved on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<OpResult>,
}

/// `GET /sync/pull`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Cells as GeoJSON features (with geometry, so the client resolves cells offline).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub cells: Vec<Cell>,
    pub categories: Vec<Category>,
    pub incidents: Vec<Incident>,
    pub persons: Vec<PersonItem>,
    pub units: Vec<Unit>,
    /// The caller's notifications created since the cursor (the latest ones when it
    /// starts again from nothing).
    #[serde(default)]
    pub notifications: Vec<Notification>,
    /// The tasks of the caller's unit (department staff, a town's supervisors), in full on
    /// every answer; absent for everyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<Task>>,
    /// Deliberation items in the caller's scope (as `GET /deliberations` shows them).
    #[serde(default)]
    pub deliberations: Vec<Deliberation>,
    /// Selection campaigns open in the caller's scope (a campaign that closes leaves as
    /// `deleted`).
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    /// The caller's teams (those it is a member of, or leads) as they are now, with their
    /// members and points: every answer carries them whole, so the phone replaces what it
    /// holds.
    #[serde(default)]
    pub teams: Vec<TeamDetail>,
    /// Records removed or no longer in the caller's scope.
    pub deleted: Vec<Deleted>,
    pub cursor: String,
    /// Pull again at once while true.
    pub has_more: bool,
    /// This answer starts again from nothing (no cursor, or what the caller may see
    /// changed since its cursor was issued): forget every record held before applying it.
    #[serde(default)]
    pub reset: bool,
}

/// A record the phone must forget.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    /// `cell | incident | person | unit | campaign`
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Action;

    #[test]
    fn an_operation_travels_as_type_and_body() {
        let incident_id = Uuid::nil();
        let op = Operation::IncidentAction(OnIncident {
            incident_id,
            body: ActionRequest {
                action: Action::Start,
                version: 3,
                note: None,
                assignee_id: None,
                department_id: None,
                into: None,
            },
        });
        let wire = Op::new(Uuid::nil(), &op);
        assert_eq!(wire.op_type, "incident.action");
        assert_eq!(wire.body["incident_id"], incident_id.to_string());
        assert_eq!(wire.body["action"], "start");
        assert_eq!(wire.operation().unwrap(), op);
        assert_eq!(op.parent_id(), Some(incident_id));
    }
}
