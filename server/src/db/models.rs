//! Rows as diesel reads and writes them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = regions)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub region_code: String,
    pub display_name: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The department of a `department` user; none for every other role.
    pub department_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub user_id: String,
    pub chain_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub spent_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = login_attempts)]
pub struct LoginAttemptRow {
    pub id: String,
    pub username: String,
    pub ip: String,
    pub at: NaiveDateTime,
    pub success: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cells)]
pub struct CellRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub community_code: String,
    pub geometry: String,
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
    pub valid_from: NaiveDateTime,
    pub valid_to: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub outcome: String,
    pub ip: Option<String>,
    pub detail: Option<String>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow<'a> {
    pub at: NaiveDateTime,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub outcome: &'a str,
    pub ip: Option<&'a str>,
    pub detail: Option<&'a str>,
    pub prev_hash: Option<&'a str>,
    pub hash: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = categories)]
pub struct CategoryRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub deadline_community: f64,
    pub deadline_town: f64,
    pub deadline_district: f64,
    pub updated_at: NaiveDateTime,
    pub public: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = incidents, treat_none_as_null = true)]
pub struct IncidentRow {
    pub id: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub cell_code: String,
    pub occurred_at: NaiveDateTime,
    pub severity: String,
    pub status: String,
    pub level: String,
    pub due_at: NaiveDateTime,
    pub reporter_id: String,
    pub assignee_id: Option<String>,
    pub resolver_id: Option<String>,
    pub merged_into: Option<String>,
    pub conflict: bool,
    pub rework_count: i32,
    pub version: i64,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    /// `app` or `open311`.
    pub source: String,
    /// The department it is dispatched to (its assignee is then none).
    pub department_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incident_history)]
pub struct HistoryRow {
    pub id: String,
    pub incident_id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: Option<String>,
    pub conflict: bool,
    pub data: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mediations)]
pub struct MediationRow {
    pub id: String,
    pub incident_id: String,
    pub held_at: NaiveDateTime,
    pub mediator: String,
    pub parties: String,
    pub outcome: String,
    pub agreement_reached: bool,
    pub note: Option<String>,
    pub recorded_by: String,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = photos)]
pub struct PhotoRow {
    pub id: String,
    pub owner_type: String,
    pub owner_id: String,
    pub sha256: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
    /// The history entry of its incident the photo belongs to (a step's proof).
    pub step_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = persons, treat_none_as_null = true)]
pub struct PersonRow {
    pub id: String,
    pub category: String,
    pub name_enc: String,
    pub id_number_enc: String,
    pub id_number_masked: String,
    pub address_enc: String,
    pub lon: f64,
    pub lat: f64,
    pub cell_code: String,
    pub risk_level: String,
    pub responsible_worker_id: String,
    pub active: bool,
    pub last_visit_at: Option<NaiveDateTime>,
    pub last_outcome: Option<String>,
    pub last_met_at: Option<NaiveDateTime>,
    pub next_visit_due: Option<NaiveDateTime>,
    pub version: i64,
    pub body_hash: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = visits)]
pub struct VisitRow {
    pub id: String,
    pub person_id: String,
    pub visitor_id: String,
    pub visited_at: NaiveDateTime,
    pub lon: f64,
    pub lat: f64,
    pub outcome: String,
    pub note: String,
    pub risk_level: Option<String>,
    pub distance_m: f64,
    pub far: bool,
    pub due_at: Option<NaiveDateTime>,
    pub on_time: Option<bool>,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
    /// The GPS fix's accuracy when the visit was recorded; `None` when unknown.
    pub accuracy_m: Option<f64>,
    /// The position was tapped on the map (no usable fix).
    pub picked_on_map: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = safety_units, treat_none_as_null = true)]
pub struct UnitRow {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub cell_code: String,
    pub certification: String,
    pub certified_at: Option<NaiveDateTime>,
    pub certified_by: Option<String>,
    pub last_inspected_at: Option<NaiveDateTime>,
    pub open_hazards: i32,
    pub earliest_open_deadline: Option<NaiveDateTime>,
    pub version: i64,
    pub body_hash: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = inspections)]
pub struct InspectionRow {
    pub id: String,
    pub unit_id: String,
    pub inspector_id: String,
    pub inspected_at: NaiveDateTime,
    pub lon: f64,
    pub lat: f64,
    pub result: String,
    pub note: String,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
    pub accuracy_m: Option<f64>,
    pub picked_on_map: bool,
    /// Metres from the unit's registered place (unknown for inspections recorded before
    /// it was kept).
    pub distance_m: Option<f64>,
    pub far: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hazards)]
pub struct HazardRow {
    pub id: String,
    pub unit_id: String,
    pub inspection_id: String,
    pub description: String,
    pub deadline: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    pub at: NaiveDateTime,
    pub kind: String,
    pub entity_type: String,
    pub entity_id: String,
    pub title: String,
    pub read: bool,
    pub event_key: String,
}

/// An API key an admin issued (Open311 posts).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    /// SHA-256 of the key, hex.
    pub key_hash: String,
    /// The key's own user: the reporter of what is posted with it.
    pub user_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// An Open311 submitter's contact, each field encrypted (`core::crypto`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = open311_contacts)]
pub struct ContactRow {
    pub incident_id: String,
    pub email_enc: Option<String>,
    pub first_name_enc: Option<String>,
    pub last_name_enc: Option<String>,
    pub phone_enc: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = departments)]
pub struct DepartmentRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tasks)]
pub struct TaskRow {
    pub id: String,
    pub code: String,
    pub title: String,
    pub description: String,
    pub year: i32,
    pub indicator: String,
    /// A local date `YYYY-MM-DD`.
    pub due_date: String,
    pub weight: f64,
    pub body_hash: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = task_units)]
pub struct TaskUnitRow {
    pub task_id: String,
    /// A department's id or a town's region code.
    pub unit: String,
    /// `department` or `region`.
    pub kind: String,
    pub duty: String,
    pub target: f64,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = task_progress)]
pub struct ProgressRow {
    pub id: String,
    pub task_id: String,
    pub unit: String,
    pub value: f64,
    pub note: String,
    pub reported_at: NaiveDateTime,
    pub reporter_id: String,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = task_scores)]
pub struct ScoreRow {
    pub task_id: String,
    pub period: String,
    pub unit: String,
    pub score: f64,
    pub note: String,
    pub scored_by: String,
    pub scored_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = performance_snapshots)]
pub struct SnapshotRow {
    pub id: String,
    pub period: String,
    pub taken_at: NaiveDateTime,
    pub taken_by: String,
    pub document: String,
    pub sha256: String,
}
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = teams, treat_none_as_null = true)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub leader_id: Option<String>,
    pub active: bool,
    pub version: i64,
    pub body_hash: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = team_members)]
pub struct TeamMemberRow {
    pub team_id: String,
    pub user_id: String,
    pub joined_at: NaiveDateTime,
    pub team_active: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = patrols)]
pub struct PatrolRow {
    pub id: String,
    pub team_id: String,
    pub started_at: NaiveDateTime,
    pub ended_at: NaiveDateTime,
    pub duration_s: i32,
    pub route: Option<String>,
    pub note: String,
    pub recorded_by: String,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
}
