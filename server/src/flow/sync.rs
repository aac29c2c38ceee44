//! Offline sync for the field client: `push` applies queued operations through the same
//! code as the endpoints; `pull` returns what changed in the caller's scope.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use gridwork_shared::api::Role;
use gridwork_shared::incident::{ActionRequest, Category, Incident, NewIncident};
use gridwork_shared::person::{NewVisit, PersonItem};
use gridwork_shared::safety::{NewInspection, NewUnit, Unit};
use gridwork_shared::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::page::Cursor;
use crate::db::{self, DbConn};
use crate::flow::caller::CurrentUser;
use crate::flow::cells::cell_scope;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::body_hash;

/// At most this many operations in one push.
pub const MAX_OPS: usize = 500;

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub ops: Vec<Op>,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Op {
    /// The client's id of this operation: replaying it changes nothing.
    pub op_id: Uuid,
    /// `incident.create | incident.action | visit.create | inspection.create | unit.create`
    #[serde(rename = "type")]
    pub op_type: String,
    /// The matching endpoint's body, plus `incident_id`, `person_id` or `unit_id` where the
    /// endpoint has it in its path.
    #[schema(value_type = Object)]
    pub body: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    Applied,
    Duplicate,
    Rejected,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OpResult {
    pub op_id: Uuid,
    pub status: OpStatus,
    /// The error code of a rejected operation (as the endpoint would answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For an `incident.action`: it arrived after the incident moved on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PushResponse {
    pub results: Vec<OpResult>,
}

fn take_parent(body: &mut Value, key: &str) -> Result<String> {
    let v = body.as_object_mut().and_then(|o| o.remove(key));
    v.and_then(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
        .map(|u| u.to_string())
        .ok_or_else(|| Error::invalid(key, "must be the id of the record the operation is about"))
}

fn parse<T: serde::de::DeserializeOwned>(body: Value) -> Result<T> {
    let bytes = serde_json::to_vec(&body).expect("a value serializes");
    crate::flow::decode::json(&bytes)
}

enum Done {
    Created(bool),
    Acted { conflict: bool },
}

/// Applies one operation in its own transaction.
fn apply_op(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    op: &Op,
    rejected_creates: &HashSet<String>,
) -> Result<(OpStatus, Option<bool>)> {
    let hash = body_hash(&(&op.op_type, &op.body));
    let op_id = op.op_id.to_string();
    db::write_tx(c, |c| {
        if let Some((uid, stored, conflict)) = db::sync::applied_op(c, &op_id)? {
            if uid == user.id && stored == hash {
                let flag = (op.op_type == "incident.action").then_some(conflict);
                return Ok((OpStatus::Duplicate, flag));
            }
            return Err(Error::new(
                ErrorCode::IdConflict,
                "this op_id was used for another operation",
            ));
        }
        let mut body = op.body.clone();
        let now = state.clock.now();
        let done = match op.op_type.as_str() {
            "incident.create" => {
                let new: NewIncident = parse(body)?;
                new.validate(now).map_err(Error::validation)?;
                Done::Created(crate::flow::incidents::report(state, c, user, &new)?.1)
            }
            "incident.action" => {
                let id = take_parent(&mut body, "incident_id")?;
                if rejected_creates.contains(&id) {
                    return Err(Error::DependsOnRejected(
                        "the incident's create was rejected in this batch".into(),
                    ));
                }
                let req: ActionRequest = parse(body)?;
                req.validate().map_err(Error::validation)?;
                let (_, conflict) = crate::flow::incidents::act_offline(state, c, user, &id, &req)?;
                Done::Acted { conflict }
            }
            "visit.create" => {
                let id = take_parent(&mut body, "person_id")?;
                if rejected_creates.contains(&id) {
                    return Err(Error::DependsOnRejected(
                        "the person was rejected in this batch".into(),
                    ));
                }
                let new: NewVisit = parse(body)?;
                new.validate(now).map_err(Error::validation)?;
                Done::Created(crate::flow::persons::record_visit(state, c, user, &id, &new)?.1)
            }
            "inspection.create" => {
                let id = take_parent(&mut body, "unit_id")?;
                if rejected_creates.contains(&id) {
                    return Err(Error::DependsOnRejected(
                        "the unit's create was rejected in this batch".into(),
                    ));
                }
                let new: NewInspection = parse(body)?;
                new.validate(now).map_err(Error::validation)?;
                Done::Created(crate::flow::units::inspect(state, c, user, &id, &new)?.1)
            }
            "unit.create" => {
                let new: NewUnit = parse(body)?;
                new.validate().map_err(Error::validation)?;
                Done::Created(crate::flow::units::create(state, c, user, &new)?.1)
            }
            other => {
                return Err(Error::invalid(
                    "type",
                    format!("unknown operation type {other}"),
                ));
            }
        };
        let (status, conflict) = match done {
            Done::Created(true) => (OpStatus::Applied, None),
            Done::Created(false) => (OpStatus::Duplicate, None),
            Done::Acted { conflict } => (OpStatus::Applied, Some(conflict)),
        };
        db::sync::record_op(
            c,
            &op_id,
            &user.id,
            &op.op_type,
            &hash,
            conflict.unwrap_or(false),
            now.naive_utc(),
        )?;
        Ok((status, conflict))
    })
}

/// The id a create operation would create (so later operations can depend on it).
fn created_id(op: &Op) -> Option<String> {
    matches!(op.op_type.as_str(), "incident.create" | "unit.create")
        .then(|| {
            op.body
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .flatten()
}

pub fn push(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    req: &PushRequest,
) -> Result<Vec<OpResult>> {
    if req.ops.len() > MAX_OPS {
        return Err(Error::invalid(
            "ops",
            format!("at most {MAX_OPS} operations per push"),
        ));
    }
    let mut rejected_creates = HashSet::new();
    let mut results = Vec::with_capacity(req.ops.len());
    for op in &req.ops {
        let result = match apply_op(state, c, user, op, &rejected_creates) {
            Ok((status, conflict)) => OpResult {
                op_id: op.op_id,
                status,
                code: None,
                detail: None,
                errors: vec![],
                conflict,
            },
            Err(e) => {
                if let Some(id) = created_id(op) {
                    rejected_creates.insert(id);
                }
                let (code, detail, errors) = match e {
                    Error::DependsOnRejected(detail) => {
                        ("depends_on_rejected".to_string(), detail, vec![])
                    }
                    Error::Invalid(errors) => {
                        let detail = Error::Invalid(errors.clone()).detail();
                        (
                            ErrorCode::ValidationFailed.as_str().to_string(),
                            detail,
                            errors.0,
                        )
                    }
                    Error::Unexpected(err) => {
                        tracing::error!(error = ?err, op = %op.op_id, "sync op failed");
                        (
                            "internal_error".into(),
                            "something went wrong on our side; retry later".into(),
                            vec![],
                        )
                    }
                    other => (other.code().as_str().to_string(), other.detail(), vec![]),
                };
                OpResult {
                    op_id: op.op_id,
                    status: OpStatus::Rejected,
                    code: Some(code),
                    detail: Some(detail),
                    errors,
                    conflict: None,
                }
            }
        };
        results.push(result);
    }
    Ok(results)
}

/// `GET /sync/pull`.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct PullResponse {
    /// Cells as GeoJSON features (with geometry, so the client resolves cells offline).
    #[schema(value_type = Vec<Object>)]
    pub cells: Vec<Value>,
    pub categories: Vec<Category>,
    pub incidents: Vec<Incident>,
    pub persons: Vec<PersonItem>,
    pub units: Vec<Unit>,
    /// Records removed or no longer in the caller's scope.
    pub deleted: Vec<Deleted>,
    pub cursor: String,
    /// Pull again at once while true.
    pub has_more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
pub struct Deleted {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// Where a pull stands: walking a first snapshot, or following the change log.
#[derive(Debug, Clone, PartialEq)]
enum Position {
    /// Snapshot of everything in scope as of change `base`; `phase` 0–4 = cells,
    /// categories, incidents, persons, units; `after` = the last item of the phase sent.
    Snapshot {
        base: i64,
        phase: u8,
        after: Cursor,
    },
    Changes {
        seq: i64,
        id: String,
    },
}

fn epoch() -> NaiveDateTime {
    chrono::DateTime::UNIX_EPOCH.naive_utc()
}

impl Position {
    fn encode(&self) -> String {
        let raw = match self {
            Position::Snapshot { base, phase, after } => {
                format!(
                    "s|{base}|{phase}|{}|{}",
                    after.created_at.and_utc().timestamp_micros(),
                    after.id
                )
            }
            Position::Changes { seq, id } => format!("c|{seq}|{id}"),
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    fn decode(s: &str) -> Option<Position> {
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s).ok()?).ok()?;
        let parts: Vec<&str> = raw.splitn(5, '|').collect();
        match parts.as_slice() {
            ["s", base, phase, micros, id] => Some(Position::Snapshot {
                base: base.parse().ok()?,
                phase: phase.parse().ok().filter(|p| *p <= 4)?,
                after: Cursor {
                    created_at: chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?
                        .naive_utc(),
                    id: id.to_string(),
                },
            }),
            ["c", seq, id] => Some(Position::Changes {
                seq: seq.parse().ok()?,
                id: id.to_string(),
            }),
            _ => None,
        }
    }
}

/// Sorts after every change id (UUIDs): "all changes of this sequence were seen".
const AFTER_ALL: &str = "~";

const PAGE: i64 = 500;
const CELL_PAGE: i64 = 200;
const CHANGES_PAGE: i64 = 1000;

pub fn pull(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    cursor: Option<&str>,
) -> Result<PullResponse> {
    let pos = match cursor {
        None | Some("") => Position::Snapshot {
            base: db::sync::current_seq(c)?,
            phase: 0,
            after: Cursor {
                created_at: epoch(),
                id: String::new(),
            },
        },
        Some(s) => Position::decode(s)
            .ok_or_else(|| Error::invalid("cursor", "is not a cursor this server issued"))?,
    };
    match pos {
        Position::Snapshot { base, phase, after } => snapshot(state, c, user, base, phase, after),
        Position::Changes { seq, id } => changes(state, c, user, seq, &id),
    }
}

fn incident_scope(user: &CurrentUser) -> db::incidents::IncidentScope {
    crate::flow::incidents::scope_of(user)
}

fn snapshot(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    base: i64,
    phase: u8,
    after: Cursor,
) -> Result<PullResponse> {
    let now = state.clock.now();
    let mut out = PullResponse::default();
    let next_phase = |p: u8| Position::Snapshot {
        base,
        phase: p,
        after: Cursor {
            created_at: epoch(),
            id: String::new(),
        },
    };
    let next = match phase {
        0 => {
            let mut rows = db::cells::list_live(c, &cell_scope(user), None, None)?;
            rows.retain(|r| r.code > after.id);
            rows.truncate(CELL_PAGE as usize);
            out.cells = rows.iter().map(crate::flow::cells::cell_feature).collect();
            match rows.last() {
                Some(last) if rows.len() as i64 == CELL_PAGE => Position::Snapshot {
                    base,
                    phase: 0,
                    after: Cursor {
                        created_at: epoch(),
                        id: last.code.clone(),
                    },
                },
                _ => next_phase(1),
            }
        }
        1 => {
            out.categories = db::incidents::categories(c)?
                .iter()
                .map(crate::flow::categories::category_of)
                .collect();
            next_phase(2)
        }
        2 => {
            let rows = db::incidents::snapshot(c, &incident_scope(user), &after, PAGE)?;
            out.incidents = crate::flow::incidents::rows_to_wire(c, &rows, now.naive_utc())?;
            match rows.last() {
                Some(l) if rows.len() as i64 == PAGE => Position::Snapshot {
                    base,
                    phase: 2,
                    after: Cursor {
                        created_at: l.created_at,
                        id: l.id.clone(),
                    },
                },
                _ => next_phase(3),
            }
        }
        3 => match crate::flow::persons::scope_of(user) {
            Err(_) => next_phase(4),
            Ok(scope) => {
                let rows = db::persons::snapshot(c, &scope, &after, PAGE)?;
                out.persons = rows
                    .iter()
                    .map(|r| crate::flow::persons::item(state, r, now))
                    .collect::<Result<_>>()?;
                match rows.last() {
                    Some(l) if rows.len() as i64 == PAGE => Position::Snapshot {
                        base,
                        phase: 3,
                        after: Cursor {
                            created_at: l.created_at,
                            id: l.id.clone(),
                        },
                    },
                    _ => next_phase(4),
                }
            }
        },
        _ => match crate::flow::units::scope_of(user) {
            Err(_) => Position::Changes {
                seq: base,
                id: AFTER_ALL.into(),
            },
            Ok(scope) => {
                let rows = db::units::snapshot(c, &scope, &after, PAGE)?;
                out.units = rows
                    .iter()
                    .map(|r| crate::flow::units::to_wire(r, now))
                    .collect::<Result<_>>()?;
                match rows.last() {
                    Some(l) if rows.len() as i64 == PAGE => Position::Snapshot {
                        base,
                        phase: 4,
                        after: Cursor {
                            created_at: l.created_at,
                            id: l.id.clone(),
                        },
                    },
                    _ => Position::Changes {
                        seq: base,
                        id: AFTER_ALL.into(),
                    },
                }
            }
        },
    };
    out.has_more = match &next {
        Position::Snapshot { .. } => true,
        Position::Changes { seq, .. } => db::sync::current_seq(c)? > *seq,
    };
    out.cursor = next.encode();
    Ok(out)
}

fn changes(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    seq: i64,
    id: &str,
) -> Result<PullResponse> {
    let now = state.clock.now();
    let rows = db::sync::changes_after(c, seq, id, CHANGES_PAGE)?;
    let mut out = PullResponse::default();
    let region = user.region_scope().to_string();
    // The latest change per entity, and the cells each entity was in.
    let mut by_type: BTreeMap<&str, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut gained_cells = BTreeSet::new();
    let mut lost_cells = BTreeSet::new();
    for ch in &rows {
        if ch.entity_type == "assignment" {
            if ch.entity_id == user.id {
                lost_cells.insert(ch.cell_code.clone());
            }
            continue;
        }
        by_type
            .entry(ch.entity_type.as_str())
            .or_default()
            .entry(ch.entity_id.clone())
            .or_default()
            .insert(ch.cell_code.clone());
    }
    // Which of the caller's assignment changes are gains (still assigned now).
    if !lost_cells.is_empty() && user.role == Role::Worker {
        let assigned: BTreeSet<String> = db::cells::assigned_codes(c, &user.id)?
            .into_iter()
            .collect();
        let (gained, lost): (BTreeSet<String>, BTreeSet<String>) = lost_cells
            .iter()
            .cloned()
            .partition(|code| assigned.contains(code));
        gained_cells = gained;
        lost_cells = lost;
    } else {
        lost_cells.clear();
    }
    let mut deleted = BTreeSet::new();
    let was_near = |cells: &BTreeSet<String>| cells.iter().any(|cc| cc.starts_with(&region));
    // Cells.
    let mut cell_codes: BTreeSet<String> = by_type
        .get("cell")
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    cell_codes.extend(gained_cells.iter().cloned());
    let scope = cell_scope(user);
    for code in &cell_codes {
        match db::cells::live_in_scope(c, &scope, code)? {
            Some(row) => out.cells.push(crate::flow::cells::cell_feature(&row)),
            None if code.starts_with(&region) || lost_cells.contains(code) => {
                deleted.insert(Deleted {
                    kind: "cell".into(),
                    id: code.clone(),
                });
            }
            None => {}
        }
    }
    for code in &lost_cells {
        if db::cells::live_in_scope(c, &scope, code)?.is_none() {
            deleted.insert(Deleted {
                kind: "cell".into(),
                id: code.clone(),
            });
        }
    }
    if by_type.contains_key("category") {
        let changed: BTreeSet<&String> = by_type["category"].keys().collect();
        out.categories = db::incidents::categories(c)?
            .iter()
            .filter(|r| changed.contains(&r.code))
            .map(crate::flow::categories::category_of)
            .collect();
    }
    let touched: Vec<String> = gained_cells
        .iter()
        .chain(lost_cells.iter())
        .cloned()
        .collect();
    // Incidents.
    {
        let mut ids: BTreeMap<String, BTreeSet<String>> =
            by_type.get("incident").cloned().unwrap_or_default();
        for id in db::incidents::ids_in_cells(c, &touched)? {
            ids.entry(id).or_default();
        }
        let list: Vec<String> = ids.keys().cloned().collect();
        let visible = db::incidents::by_ids_in_scope(c, &incident_scope(user), &list)?;
        let seen: BTreeSet<String> = visible.iter().map(|r| r.id.clone()).collect();
        out.incidents = crate::flow::incidents::rows_to_wire(c, &visible, now.naive_utc())?;
        for (id, cells) in ids {
            if !seen.contains(&id) && (was_near(&cells) || !lost_cells.is_empty()) {
                deleted.insert(Deleted {
                    kind: "incident".into(),
                    id,
                });
            }
        }
    }
    // Persons.
    if let Ok(scope) = crate::flow::persons::scope_of(user) {
        let mut ids: BTreeMap<String, BTreeSet<String>> =
            by_type.get("person").cloned().unwrap_or_default();
        for id in db::persons::ids_in_cells(c, &touched)? {
            ids.entry(id).or_default();
        }
        let list: Vec<String> = ids.keys().cloned().collect();
        let visible = db::persons::by_ids_in_scope(c, &scope, &list)?;
        let seen: BTreeSet<String> = visible.iter().map(|r| r.id.clone()).collect();
        out.persons = visible
            .iter()
            .map(|r| crate::flow::persons::item(state, r, now))
            .collect::<Result<_>>()?;
        for (id, cells) in ids {
            if !seen.contains(&id) && (was_near(&cells) || !lost_cells.is_empty()) {
                deleted.insert(Deleted {
                    kind: "person".into(),
                    id,
                });
            }
        }
    }
    // Units.
    if let Ok(scope) = crate::flow::units::scope_of(user) {
        let mut ids: BTreeMap<String, BTreeSet<String>> =
            by_type.get("unit").cloned().unwrap_or_default();
        for id in db::units::ids_in_cells(c, &touched)? {
            ids.entry(id).or_default();
        }
        let list: Vec<String> = ids.keys().cloned().collect();
        let visible = db::units::by_ids_in_scope(c, &scope, &list)?;
        let seen: BTreeSet<String> = visible.iter().map(|r| r.id.clone()).collect();
        out.units = visible
            .iter()
            .map(|r| crate::flow::units::to_wire(r, now))
            .collect::<Result<_>>()?;
        for (id, cells) in ids {
            if !seen.contains(&id) && (was_near(&cells) || !lost_cells.is_empty()) {
                deleted.insert(Deleted {
                    kind: "unit".into(),
                    id,
                });
            }
        }
    }
    out.deleted = deleted.into_iter().collect();
    let next = match rows.last() {
        Some(last) => Position::Changes {
            seq: last.seq,
            id: last.id.clone(),
        },
        None => Position::Changes {
            seq,
            id: id.to_string(),
        },
    };
    out.has_more = rows.len() as i64 == CHANGES_PAGE;
    out.cursor = next.encode();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip() {
        let p = Position::Snapshot {
            base: 42,
            phase: 3,
            after: Cursor {
                created_at: epoch(),
                id: "abc".into(),
            },
        };
        assert_eq!(Position::decode(&p.encode()), Some(p));
        let c = Position::Changes {
            seq: 7,
            id: "0190-x".into(),
        };
        assert_eq!(Position::decode(&c.encode()), Some(c));
        assert_eq!(Position::decode("garbage"), None);
    }
}
