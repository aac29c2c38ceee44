//! Offline sync for the field client: `push` applies queued operations through the same
//! code as the endpoints; `pull` returns what changed in the caller's scope.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::NaiveDateTime;
use gridwork_shared::ErrorCode;
use gridwork_shared::api::Cell;
use gridwork_shared::api::Role;
use gridwork_shared::sync::{
    Deleted, MAX_OPS, OnCampaign, OnDeliberation, OnIncident, OnPerson, OnTask, OnUnit, Op,
    OpResult, OpStatus, Operation, PullResponse, PushRequest,
};
use serde_json::Value;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::page::Cursor;
use crate::db::{self, DbConn};
use crate::flow::caller::CurrentUser;
use crate::flow::cells::cell_scope;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::body_hash;
use crate::flow::{deliberations, incidents, persons, selections, teams, units};

/// The record id `key` names in an operation's body, taken out of it.
fn take_parent(body: &mut Value, key: &str) -> Result<Uuid> {
    let v = body.as_object_mut().and_then(|o| o.remove(key));
    v.and_then(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
        .ok_or_else(|| Error::invalid(key, "must be the id of the record the operation is about"))
}

fn parse<T: serde::de::DeserializeOwned>(body: Value) -> Result<T> {
    let bytes = serde_json::to_vec(&body).expect("a value serializes");
    crate::flow::decode::json(&bytes)
}

/// Reads an operation as it arrived into a typed [`Operation`]: its record id first (an
/// operation about a record whose own create was rejected in this push is rejected for
/// that), then its body, with the endpoint's own errors.
fn decode(op: &Op, rejected_creates: &HashSet<Uuid>) -> Result<Operation> {
    let mut body = op.body.clone();
    let mut parent = |key: &str, what: &str| -> Result<Uuid> {
        let id = take_parent(&mut body, key)?;
        if rejected_creates.contains(&id) {
            return Err(Error::DependsOnRejected(format!(
                "the {what} was rejected in this batch"
            )));
        }
        Ok(id)
    };
    Ok(match op.op_type.as_str() {
        "incident.create" => Operation::IncidentCreate(parse(body)?),
        "incident.action" => {
            let incident_id = parent("incident_id", "incident's create")?;
            Operation::IncidentAction(OnIncident {
                incident_id,
                body: parse(body)?,
            })
        }
        "visit.create" => {
            let person_id = parent("person_id", "person")?;
            Operation::VisitCreate(OnPerson {
                person_id,
                body: parse(body)?,
            })
        }
        "inspection.create" => {
            let unit_id = parent("unit_id", "unit's create")?;
            Operation::InspectionCreate(OnUnit {
                unit_id,
                body: parse(body)?,
            })
        }
        "unit.create" => Operation::UnitCreate(parse(body)?),
        "task.progress" => {
            let task_id = parent("task_id", "task")?;
            Operation::TaskProgress(OnTask {
                task_id,
                body: parse(body)?,
            })
        }
        "deliberation.create" => Operation::DeliberationCreate(parse(body)?),
        "deliberation.session" => {
            let deliberation_id = parent("deliberation_id", "item's create")?;
            Operation::DeliberationSession(OnDeliberation {
                deliberation_id,
                body: parse(body)?,
            })
        }
        "nomination.create" => {
            let campaign_id = parent("campaign_id", "campaign")?;
            Operation::NominationCreate(OnCampaign {
                campaign_id,
                body: parse(body)?,
            })
        }
        "patrol.create" => Operation::PatrolCreate(parse(body)?),
        other => {
            return Err(Error::invalid(
                "type",
                format!("unknown operation type {other}"),
            ));
        }
    })
}

enum Done {
    Created(bool),
    Acted { conflict: bool },
}

/// Applies one operation through the same rules as its endpoint.
fn apply(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    op_id: &str,
    op: &Operation,
) -> Result<Done> {
    let now = state.clock.now();
    Ok(match op {
        Operation::IncidentCreate(new) => {
            new.validate(now).map_err(Error::validation)?;
            Done::Created(incidents::report(state, c, user, new)?.1)
        }
        Operation::IncidentAction(OnIncident { incident_id, body }) => {
            body.validate().map_err(Error::validation)?;
            let id = incident_id.to_string();
            let (_, conflict) = incidents::act_offline(state, c, user, &id, body, op_id)?;
            Done::Acted { conflict }
        }
        Operation::VisitCreate(OnPerson { person_id, body }) => {
            body.validate(now).map_err(Error::validation)?;
            let id = person_id.to_string();
            Done::Created(persons::record_visit(state, c, user, &id, body)?.1)
        }
        Operation::InspectionCreate(OnUnit { unit_id, body }) => {
            body.validate(now).map_err(Error::validation)?;
            Done::Created(units::inspect(state, c, user, &unit_id.to_string(), body)?.1)
        }
        Operation::UnitCreate(new) => {
            new.validate().map_err(Error::validation)?;
            Done::Created(units::create(state, c, user, new)?.1)
        }
        Operation::TaskProgress(OnTask { task_id, body }) => Done::Created(
            crate::flow::tasks::report_progress(state, c, user, &task_id.to_string(), body)?.1,
        ),
        Operation::DeliberationCreate(new) => {
            new.validate().map_err(Error::validation)?;
            Done::Created(deliberations::raise(state, c, user, new)?.1)
        }
        Operation::DeliberationSession(OnDeliberation {
            deliberation_id,
            body,
        }) => {
            body.validate(now).map_err(Error::validation)?;
            let id = deliberation_id.to_string();
            Done::Created(deliberations::hold_session(state, c, user, &id, body)?.1)
        }
        Operation::NominationCreate(OnCampaign { campaign_id, body }) => {
            body.validate().map_err(Error::validation)?;
            let id = campaign_id.to_string();
            Done::Created(selections::nominate(state, c, user, &id, body)?.1)
        }
        Operation::PatrolCreate(new) => {
            new.validate(now).map_err(Error::validation)?;
            Done::Created(teams::record_patrol(state, c, user, new)?.1)
        }
    })
}

/// Applies one operation in its own transaction, remembered by its `op_id`: a replay
/// answers `duplicate`, another operation under the same id is `id_conflict`.
fn apply_op(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    op: &Op,
    rejected_creates: &HashSet<Uuid>,
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
        let operation = decode(op, rejected_creates)?;
        let (status, conflict) = match apply(state, c, user, &op_id, &operation)? {
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
            state.clock.now_naive(),
        )?;
        Ok((status, conflict))
    })
}

/// The id a create operation would create (so later operations can depend on it), even
/// when the rest of its body is bad.
fn created_id(op: &Op) -> Option<Uuid> {
    matches!(
        op.op_type.as_str(),
        "incident.create" | "unit.create" | "deliberation.create"
    )
    .then(|| op.body.get("id").and_then(Value::as_str))
    .flatten()
    .and_then(|s| Uuid::parse_str(s).ok())
}

/// A rejected operation's result, with the code its endpoint would answer.
fn rejection(op: &Op, e: Error) -> OpResult {
    let code = match &e {
        Error::DependsOnRejected(_) => "depends_on_rejected".to_string(),
        Error::Unexpected(err) => {
            tracing::error!(error = ?err, op = %op.op_id, "sync op failed");
            "internal_error".to_string()
        }
        other => other.code().as_str().to_string(),
    };
    let detail = match &e {
        Error::Unexpected(_) => "something went wrong on our side; retry later".to_string(),
        other => other.detail(),
    };
    let errors = match e {
        Error::Invalid(errors) => errors.0,
        _ => vec![],
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
        results.push(match apply_op(state, c, user, op, &rejected_creates) {
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
                rejection(op, e)
            }
        });
    }
    Ok(results)
}

/// Where a pull stands: walking a first snapshot, or following the change log.
#[derive(Debug, Clone, PartialEq)]
enum Position {
    /// Snapshot of everything in scope as of change `base`; `phase` 0–6 = cells,
    /// categories, incidents, persons, units, deliberations, open campaigns; `after` = the
    /// last item of the phase sent.
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
    fn text(&self) -> String {
        match self {
            Position::Snapshot { base, phase, after } => {
                format!(
                    "s|{base}|{phase}|{}|{}",
                    after.created_at.and_utc().timestamp_micros(),
                    after.id
                )
            }
            Position::Changes { seq, id } => format!("c|{seq}|{id}"),
        }
    }

    fn parse(raw: &str) -> Option<Position> {
        let parts: Vec<&str> = raw.splitn(5, '|').collect();
        match parts.as_slice() {
            ["s", base, phase, micros, id] => Some(Position::Snapshot {
                base: base.parse().ok()?,
                phase: phase.parse().ok().filter(|p| *p <= 6)?,
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

    fn start(c: &mut DbConn) -> Result<Position> {
        Ok(Position::Snapshot {
            base: db::sync::current_seq(c)?,
            phase: 0,
            after: Cursor {
                created_at: epoch(),
                id: String::new(),
            },
        })
    }
}

/// A cursor as the phone holds it: whose it is, the scope epoch it was issued under and
/// the position, signed by the server (`core::signed`).
#[derive(Debug, Clone, PartialEq)]
struct Ticket {
    user: String,
    scope_epoch: i64,
    pos: Position,
}

impl Ticket {
    fn encode(&self, state: &AppState) -> String {
        state.cursors.sign(&format!(
            "{}|{}|{}",
            self.user,
            self.scope_epoch,
            self.pos.text()
        ))
    }

    fn decode(state: &AppState, s: &str) -> Option<Ticket> {
        let raw = state.cursors.open(s)?;
        let mut parts = raw.splitn(3, '|');
        Some(Ticket {
            user: parts.next()?.to_string(),
            scope_epoch: parts.next()?.parse().ok()?,
            pos: Position::parse(parts.next()?)?,
        })
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
    // The role and region the scope is built from, read together with their epoch, so a
    // change that lands after the caller was loaded cannot slip past the cursor's epoch.
    let (role, region_code, department_id, scope_epoch) = db::users::scope_row(c, &user.id)?
        .ok_or_else(|| Error::unauthorized("the account is no longer active"))?;
    let user = &CurrentUser {
        role: Role::parse(&role).ok_or_else(|| anyhow::anyhow!("bad role in database: {role}"))?,
        region_code,
        department_id,
        ..user.clone()
    };
    let (pos, reset) = match cursor {
        None | Some("") => (Position::start(c)?, true),
        Some(s) => {
            let ticket = Ticket::decode(state, s)
                .filter(|t| t.user == user.id)
                .ok_or_else(|| {
                    Error::invalid("cursor", "is not a cursor this server issued to you")
                })?;
            // A cursor ahead of the change log (the database was restored from a backup
            // since) starts again too.
            let ahead = match &ticket.pos {
                Position::Snapshot { base: seq, .. } | Position::Changes { seq, .. } => {
                    *seq > db::sync::current_seq(c)?
                }
            };
            if ticket.scope_epoch == scope_epoch && !ahead {
                (ticket.pos, false)
            } else {
                // What the caller may see changed since: start again from nothing, so
                // the records it lost leave the phone.
                (Position::start(c)?, true)
            }
        }
    };
    let (mut out, next) = match pos {
        Position::Snapshot { base, phase, after } => snapshot(state, c, user, base, phase, after)?,
        Position::Changes { seq, id } => changes(state, c, user, seq, &id)?,
    };
    out.reset = reset;
    out.tasks = crate::flow::tasks::of_unit(state, c, user)?;
    out.teams = teams::of_user(c, user)?;
    out.cursor = Ticket {
        user: user.id.clone(),
        scope_epoch,
        pos: next,
    }
    .encode(state);
    persons::audit_bulk_read(c, state, user, "persons_pull", out.persons.len())?;
    Ok(out)
}

fn incident_scope(user: &CurrentUser) -> db::incidents::IncidentScope {
    incidents::scope_of(user)
}

fn snapshot(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    base: i64,
    phase: u8,
    after: Cursor,
) -> Result<(PullResponse, Position)> {
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
            out.notifications = crate::flow::notifications::newest(c, &user.id)?;
            next_phase(2)
        }
        2 => {
            let rows = db::incidents::snapshot(c, &incident_scope(user), &after, PAGE)?;
            out.incidents = incidents::rows_to_wire(c, &rows, now.naive_utc())?;
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
        3 => match persons::scope_of(user) {
            Err(_) => next_phase(4),
            Ok(scope) => {
                let rows = db::persons::snapshot(c, &scope, &after, PAGE)?;
                out.persons = rows
                    .iter()
                    .map(|r| persons::item(state, r, now))
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
        4 => match units::scope_of(user) {
            Err(_) => next_phase(5),
            Ok(scope) => {
                let rows = db::units::snapshot(c, &scope, &after, PAGE)?;
                out.units = rows
                    .iter()
                    .map(|r| units::to_wire(r, now))
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
                    _ => next_phase(5),
                }
            }
        },
        5 => {
            let scope = deliberations::scope_of(c, user)?;
            let rows = db::deliberations::snapshot(c, &scope, &after, PAGE)?;
            out.deliberations = rows
                .iter()
                .map(deliberations::to_wire)
                .collect::<Result<_>>()?;
            match rows.last() {
                Some(l) if rows.len() as i64 == PAGE => Position::Snapshot {
                    base,
                    phase: 5,
                    after: Cursor {
                        created_at: l.created_at,
                        id: l.id.clone(),
                    },
                },
                _ => next_phase(6),
            }
        }
        _ => {
            let scope = selections::scope_of(c, user)?;
            let now = now.naive_utc();
            out.campaigns = db::selections::open_in_scope(c, &scope)?
                .iter()
                .map(|r| selections::to_wire(r, now))
                .collect::<Result<_>>()?;
            Position::Changes {
                seq: base,
                id: AFTER_ALL.into(),
            }
        }
    };
    out.has_more = match &next {
        Position::Snapshot { .. } => true,
        Position::Changes { seq, .. } => db::sync::current_seq(c)? > *seq,
    };
    Ok((out, next))
}

/// Who may be told that a record left their phone: only someone who could have seen it.
enum Audience<'a> {
    /// Admins, supervisors: everything in cells under the region (`""`: everywhere).
    Region(&'a str),
    /// Workers and volunteers: the cells they hold or held in this window (none for a
    /// volunteer), and the records a change took away from them by name.
    Own {
        me: &'a str,
        cells: BTreeSet<String>,
        /// A volunteer sees every cell of its region on the map.
        map_region: Option<&'a str>,
        /// And the cells of its team's zone.
        zone: BTreeSet<String>,
    },
}

impl Audience<'_> {
    fn could_see(&self, touch: &Touch) -> bool {
        match self {
            Audience::Region(region) => touch.cells.iter().any(|c| c.starts_with(region)),
            Audience::Own { me, cells, .. } => {
                touch.in_held_cell
                    || touch.parties.contains(*me)
                    || touch.cells.iter().any(|c| cells.contains(c))
            }
        }
    }

    fn could_see_cell(&self, code: &str) -> bool {
        match self {
            Audience::Region(region) => code.starts_with(region),
            Audience::Own {
                cells,
                map_region,
                zone,
                ..
            } => {
                cells.contains(code)
                    || zone.contains(code)
                    || map_region.is_some_and(|r| code.starts_with(r))
            }
        }
    }
}

/// What the change log says of one record in a window: the cells it was in, whom a change
/// took it away from, and whether it lies in a cell the caller gained or lost.
#[derive(Debug, Clone, Default)]
struct Touch {
    cells: BTreeSet<String>,
    parties: BTreeSet<String>,
    in_held_cell: bool,
}

/// What a page of the change log touched, for gathering the records of each kind.
struct Window<'a> {
    /// Per kind, the ids that changed and what the log says of each.
    changed: &'a BTreeMap<&'a str, BTreeMap<String, Touch>>,
    audience: &'a Audience<'a>,
    deleted: &'a mut BTreeSet<Deleted>,
}

impl Window<'_> {
    /// The changed records of one kind, and every record of the cells the caller gained
    /// or lost (`in_touched`), that the caller may see now, as `wire` writes them; those
    /// it could have held but may not see now are marked deleted.
    fn records<R, W>(
        &mut self,
        c: &mut DbConn,
        kind: &str,
        in_touched: Vec<String>,
        visible: impl FnOnce(&mut DbConn, &[String]) -> Result<Vec<R>>,
        id_of: impl Fn(&R) -> &String,
        wire: impl FnOnce(&mut DbConn, &[R]) -> Result<Vec<W>>,
    ) -> Result<Vec<W>> {
        let mut ids = self.changed.get(kind).cloned().unwrap_or_default();
        for id in in_touched {
            ids.entry(id).or_default().in_held_cell = true;
        }
        let list: Vec<String> = ids.keys().cloned().collect();
        let rows = visible(c, &list)?;
        let seen: BTreeSet<&String> = rows.iter().map(&id_of).collect();
        for (id, touch) in &ids {
            if !seen.contains(id) && self.audience.could_see(touch) {
                self.deleted.insert(Deleted {
                    kind: kind.into(),
                    id: id.clone(),
                });
            }
        }
        wire(c, &rows)
    }
}

/// What a page of the change log changed: per kind, the ids and what the log says of
/// each; and the cells the caller (a worker) gained or lost by assignment.
struct Changed<'a> {
    by_type: BTreeMap<&'a str, BTreeMap<String, Touch>>,
    gained_cells: BTreeSet<String>,
    lost_cells: BTreeSet<String>,
    /// The worker's cells now.
    assigned: BTreeSet<String>,
}

fn what_changed<'a>(
    c: &mut DbConn,
    user: &CurrentUser,
    rows: &'a [db::sync::Change],
) -> Result<Changed<'a>> {
    let mut by_type: BTreeMap<&str, BTreeMap<String, Touch>> = BTreeMap::new();
    let mut assignment_changes = BTreeSet::new();
    for ch in rows {
        if ch.entity_type == "assignment" {
            if ch.entity_id == user.id {
                assignment_changes.insert(ch.cell_code.clone());
            }
            continue;
        }
        let touch = by_type
            .entry(ch.entity_type.as_str())
            .or_default()
            .entry(ch.entity_id.clone())
            .or_default();
        touch.cells.insert(ch.cell_code.clone());
        if let Some(p) = &ch.party {
            touch.parties.insert(p.clone());
        }
    }
    let assigned: BTreeSet<String> = if user.role == Role::Worker {
        db::cells::assigned_codes(c, &user.id)?
            .into_iter()
            .collect()
    } else {
        BTreeSet::new()
    };
    // Which of the caller's assignment changes are gains (still assigned now).
    let (gained_cells, lost_cells) = assignment_changes
        .into_iter()
        .partition(|code| assigned.contains(code));
    Ok(Changed {
        by_type,
        gained_cells,
        lost_cells,
        assigned,
    })
}

/// The changed and gained cells the caller may see; those it could have held but may not
/// see now are marked deleted.
fn changed_cells(
    c: &mut DbConn,
    user: &CurrentUser,
    changed: &Changed<'_>,
    audience: &Audience<'_>,
    deleted: &mut BTreeSet<Deleted>,
) -> Result<Vec<Cell>> {
    let mut out = Vec::new();
    let mut cell_codes: BTreeSet<String> = changed
        .by_type
        .get("cell")
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    cell_codes.extend(changed.gained_cells.iter().cloned());
    cell_codes.extend(changed.lost_cells.iter().cloned());
    let scope = cell_scope(user);
    for code in &cell_codes {
        match db::cells::live_in_scope(c, &scope, code)? {
            Some(row) => out.push(crate::flow::cells::cell_feature(&row)),
            None if audience.could_see_cell(code) => {
                deleted.insert(Deleted {
                    kind: "cell".into(),
                    id: code.clone(),
                });
            }
            None => {}
        }
    }
    Ok(out)
}

/// The changed deliberation items the caller may read (items only ever become readable
/// to more people, so none leaves a phone but by a change of scope, which starts over).
fn changed_deliberations(
    c: &mut DbConn,
    user: &CurrentUser,
    changed: &Changed<'_>,
) -> Result<Vec<gridwork_shared::deliberation::Deliberation>> {
    let Some(ids) = changed.by_type.get("deliberation") else {
        return Ok(vec![]);
    };
    let ids: Vec<String> = ids.keys().cloned().collect();
    let scope = deliberations::scope_of(c, user)?;
    db::deliberations::by_ids_in_scope(c, &scope, &ids)?
        .iter()
        .map(deliberations::to_wire)
        .collect()
}

/// The changed campaigns that are open in the caller's scope; one in scope that closed
/// (or was announced) leaves the phone as `deleted`.
fn changed_campaigns(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    changed: &Changed<'_>,
    deleted: &mut BTreeSet<Deleted>,
) -> Result<Vec<gridwork_shared::selection::Campaign>> {
    let Some(ids) = changed.by_type.get("campaign") else {
        return Ok(vec![]);
    };
    let ids: Vec<String> = ids.keys().cloned().collect();
    let scope = selections::scope_of(c, user)?;
    let now = state.clock.now_naive();
    let mut out = Vec::new();
    for row in db::selections::by_ids_in_scope(c, &scope, &ids)? {
        if row.status == "open" {
            out.push(selections::to_wire(&row, now)?);
        } else {
            deleted.insert(Deleted {
                kind: "campaign".into(),
                id: row.id.clone(),
            });
        }
    }
    Ok(out)
}

fn changes(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    seq: i64,
    id: &str,
) -> Result<(PullResponse, Position)> {
    let now = state.clock.now();
    let rows = db::sync::changes_after(c, seq, id, CHANGES_PAGE)?;
    let mut out = PullResponse::default();
    let changed = what_changed(c, user, &rows)?;
    let audience = match user.role {
        Role::Admin | Role::Supervisor => Audience::Region(user.region_scope()),
        Role::Worker | Role::Volunteer => Audience::Own {
            me: &user.id,
            cells: changed
                .assigned
                .union(&changed.lost_cells)
                .cloned()
                .collect(),
            map_region: (user.role == Role::Volunteer).then_some(user.region_code.as_str()),
            zone: if user.role == Role::Volunteer {
                db::teams::zone_of_member(c, &user.id)?
                    .into_iter()
                    .collect()
            } else {
                BTreeSet::new()
            },
        },
        // Department staff: what is dispatched to their department; a change that takes an
        // incident away from it names the department.
        Role::Department => Audience::Own {
            me: user.department_id.as_deref().unwrap_or("-"),
            cells: BTreeSet::new(),
            zone: BTreeSet::new(),
            map_region: None,
        },
    };
    let mut deleted = BTreeSet::new();
    out.cells = changed_cells(c, user, &changed, &audience, &mut deleted)?;
    if let Some(cats) = changed.by_type.get("category") {
        out.categories = db::incidents::categories(c)?
            .iter()
            .filter(|r| cats.contains_key(&r.code))
            .map(crate::flow::categories::category_of)
            .collect();
    }
    if let Some(made) = changed.by_type.get("notification") {
        let mine: Vec<String> = made
            .iter()
            .filter(|(_, t)| t.parties.contains(&user.id))
            .map(|(id, _)| id.clone())
            .collect();
        if !mine.is_empty() {
            out.notifications = crate::flow::notifications::by_ids(c, &user.id, &mine)?;
        }
    }
    let touched: Vec<String> = changed
        .gained_cells
        .iter()
        .chain(changed.lost_cells.iter())
        .cloned()
        .collect();
    let mut window = Window {
        changed: &changed.by_type,
        audience: &audience,
        deleted: &mut deleted,
    };
    let scope = incident_scope(user);
    let in_touched = db::incidents::ids_in_cells(c, &touched)?;
    out.incidents = window.records(
        c,
        "incident",
        in_touched,
        |c, ids| Ok(db::incidents::by_ids_in_scope(c, &scope, ids)?),
        |r| &r.id,
        |c, rows| incidents::rows_to_wire(c, rows, now.naive_utc()),
    )?;
    if let Ok(scope) = persons::scope_of(user) {
        let in_touched = db::persons::ids_in_cells(c, &touched)?;
        out.persons = window.records(
            c,
            "person",
            in_touched,
            |c, ids| Ok(db::persons::by_ids_in_scope(c, &scope, ids)?),
            |r| &r.id,
            |_, rows| rows.iter().map(|r| persons::item(state, r, now)).collect(),
        )?;
    }
    if let Ok(scope) = units::scope_of(user) {
        let in_touched = db::units::ids_in_cells(c, &touched)?;
        out.units = window.records(
            c,
            "unit",
            in_touched,
            |c, ids| Ok(db::units::by_ids_in_scope(c, &scope, ids)?),
            |r| &r.id,
            |_, rows| rows.iter().map(|r| units::to_wire(r, now)).collect(),
        )?;
    }
    out.deliberations = changed_deliberations(c, user, &changed)?;
    out.campaigns = changed_campaigns(state, c, user, &changed, &mut deleted)?;
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
    Ok((out, next))
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
        assert_eq!(Position::parse(&p.text()), Some(p));
        let c = Position::Changes {
            seq: 7,
            id: "0190-x".into(),
        };
        assert_eq!(Position::parse(&c.text()), Some(c));
        assert_eq!(Position::parse("garbage"), None);
    }
}
