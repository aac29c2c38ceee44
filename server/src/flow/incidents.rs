//! The incident workflow: report, act, escalate — shared by the HTTP routes, the sync
//! endpoint and the escalation sweep. Rules of the loop live in `gridwork_shared::incident`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use geo::{Distance, Haversine, Point};
use gridwork_shared::api::Role;
use gridwork_shared::calendar::WorkCalendar;
use gridwork_shared::geometry::Location;
use gridwork_shared::incident::{
    self as rules, Action, ActionRequest, Duplicate, Facts, HistoryEntry, Incident, IncidentDetail,
    Level, Mediation, NewIncident, NewMediation, Party, PhotoRef, Refusal, Reported, Severity,
    Source, Status,
};
use gridwork_shared::{ErrorCode, FieldErrors};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::incidents::{self as store, Filter, IncidentScope};
use crate::db::models::{CategoryRow, HistoryRow, IncidentRow, MediationRow, PhotoRow};
use crate::db::page::{self, Cursor, PageRequest};
use crate::db::{self, DbConn, to_utc, users};
use crate::flow::caller::CurrentUser;
use crate::flow::cells::parse_cell;
use crate::flow::error::{Error, Result};
use crate::flow::parse_id;
use crate::flow::regions::parse_region;

/// The incidents a caller may see.
pub fn scope_of(user: &CurrentUser) -> IncidentScope {
    match user.role {
        Role::Admin => IncidentScope::All,
        Role::Supervisor => IncidentScope::Region(user.region_code.clone()),
        Role::Worker => IncidentScope::Worker(user.id.clone()),
        Role::Volunteer => IncidentScope::Reporter(user.id.clone()),
        Role::Department => {
            IncidentScope::Department(user.department_id.clone().unwrap_or_default())
        }
    }
}

/// A canonical hash of a request body (keys sorted), to tell a replay from a reuse of an id.
pub fn body_hash<T: Serialize>(body: &T) -> String {
    let v = serde_json::to_value(body).expect("request types serialize");
    hex::encode(Sha256::digest(v.to_string().as_bytes()))
}

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

fn bad_row(what: &str, value: &str) -> Error {
    Error::Unexpected(anyhow::anyhow!("stored {what} is invalid: {value}"))
}

pub fn status_of(row: &IncidentRow) -> Result<Status> {
    Status::parse(&row.status).ok_or_else(|| bad_row("status", &row.status))
}

pub fn level_of(row: &IncidentRow) -> Result<Level> {
    Level::parse(&row.level).ok_or_else(|| bad_row("level", &row.level))
}

/// What the shared rules need to know of an incident.
pub fn facts_of(row: &IncidentRow) -> Result<Facts<'_>> {
    Ok(Facts {
        status: status_of(row)?,
        level: level_of(row)?,
        cell_code: &row.cell_code,
        reporter_id: &row.reporter_id,
        assignee_id: row.assignee_id.as_deref(),
        department_id: row.department_id.as_deref(),
        resolver_id: row.resolver_id.as_deref(),
        conflict: row.conflict,
    })
}

/// The caller as the shared rules see it.
pub fn actor_of(user: &CurrentUser) -> rules::Actor<'_> {
    rules::Actor {
        id: &user.id,
        role: user.role,
        region_code: &user.region_code,
        department_id: user.department(),
    }
}

/// Unresolved and past due.
pub fn is_overdue(row: &IncidentRow, now: NaiveDateTime) -> bool {
    store::UNRESOLVED.contains(&row.status.as_str()) && row.due_at < now
}

pub fn photo_ref(p: &PhotoRow) -> PhotoRef {
    PhotoRef {
        id: uuid(&p.id),
        sha256: p.sha256.clone(),
        content_type: p.content_type.clone(),
        url: format!("/api/v1/photos/{}", p.id),
        thumbnail_url: format!("/api/v1/photos/{}?size=thumb", p.id),
        step_id: p.step_id.as_deref().map(uuid),
    }
}

/// An incident as the API shows it; `names` holds the display names of the users it
/// names (its assignee), by id.
pub fn to_wire(
    row: &IncidentRow,
    photos: &[PhotoRow],
    names: &HashMap<String, String>,
    now: NaiveDateTime,
) -> Result<Incident> {
    Ok(Incident {
        id: uuid(&row.id),
        category: row.category.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        location: Location {
            lon: row.lon,
            lat: row.lat,
        },
        occurred_at: to_utc(row.occurred_at),
        severity: Severity::parse(&row.severity)
            .ok_or_else(|| bad_row("severity", &row.severity))?,
        cell_code: row.cell_code.clone(),
        status: status_of(row)?,
        level: level_of(row)?,
        due_at: to_utc(row.due_at),
        overdue: is_overdue(row, now),
        reporter_id: uuid(&row.reporter_id),
        assignee_id: row.assignee_id.as_deref().map(uuid),
        assignee_name: row.assignee_id.as_ref().and_then(|a| names.get(a)).cloned(),
        department_id: row.department_id.as_deref().map(uuid),
        resolver_id: row.resolver_id.as_deref().map(uuid),
        merged_into: row.merged_into.as_deref().map(uuid),
        conflict: row.conflict,
        version: row.version,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
        closed_at: row.closed_at.map(to_utc),
        photos: photos
            .iter()
            .filter(|p| p.owner_id == row.id)
            .map(photo_ref)
            .collect(),
        source: Source::parse(&row.source).unwrap_or_default(),
    })
}

/// Converts rows for a list, loading their photos and their assignees' names in one query
/// each.
pub fn rows_to_wire(
    c: &mut DbConn,
    rows: &[IncidentRow],
    now: NaiveDateTime,
) -> Result<Vec<Incident>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let photos = store::photos_of(c, "incident", &ids)?;
    let mut assignees: Vec<String> = rows.iter().filter_map(|r| r.assignee_id.clone()).collect();
    assignees.sort();
    assignees.dedup();
    let names: HashMap<String, String> = if assignees.is_empty() {
        HashMap::new()
    } else {
        users::find_many(c, &assignees)?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    };
    rows.iter()
        .map(|r| to_wire(r, &photos, &names, now))
        .collect()
}

pub fn history_to_wire(rows: &[HistoryRow]) -> Vec<HistoryEntry> {
    rows.iter()
        .map(|h| HistoryEntry {
            id: Uuid::parse_str(&h.id).ok(),
            at: to_utc(h.at),
            actor_id: h.actor_id.as_deref().map(uuid),
            action: h.action.clone(),
            from: h.from_state.clone(),
            to: h.to_state.clone(),
            note: h.note.clone(),
            conflict: h.conflict,
            data: h.data.as_deref().and_then(|d| serde_json::from_str(d).ok()),
        })
        .collect()
}

pub fn deadline_hours(cat: &CategoryRow, level: Level) -> f64 {
    match level {
        Level::Community => cat.deadline_community,
        Level::Town => cat.deadline_town,
        Level::District => cat.deadline_district,
    }
}

/// When an incident registered (or escalated) at `from` is due: working hours of the
/// calendar, or clock hours for an urgent one.
pub fn due_at(
    state: &AppState,
    cat: &CategoryRow,
    level: Level,
    severity: Severity,
    from: DateTime<Utc>,
) -> NaiveDateTime {
    due_on(&state.calendar(), cat, level, severity, from)
}

/// [`due_at`] on a given working calendar.
pub fn due_on(
    calendar: &WorkCalendar,
    cat: &CategoryRow,
    level: Level,
    severity: Severity,
    from: DateTime<Utc>,
) -> NaiveDateTime {
    let hours = deadline_hours(cat, level);
    let due = if severity == Severity::Urgent {
        from + Duration::microseconds((hours * 3_600_000_000.0).round() as i64)
    } else {
        calendar.add_working_hours(from, hours)
    };
    crate::core::time::to_db(due)
}

/// Works out again the deadline of every unresolved incident, from the start of its current
/// level, on `calendar` (the holidays changed); answers how many moved.
pub fn recompute_deadlines(
    c: &mut DbConn,
    calendar: &WorkCalendar,
    at: NaiveDateTime,
) -> Result<usize> {
    let categories: HashMap<String, CategoryRow> = store::categories(c)?
        .into_iter()
        .map(|r| (r.code.clone(), r))
        .collect();
    let (mut after, mut moved) = (String::new(), 0);
    loop {
        let page = store::unresolved_with_level_start(c, &after, 500)?;
        let Some((last, _)) = page.last() else {
            break;
        };
        after = last.id.clone();
        for (row, start) in &page {
            let cat = categories
                .get(&row.category)
                .ok_or_else(|| bad_row("category", &row.category))?;
            let severity =
                Severity::parse(&row.severity).ok_or_else(|| bad_row("severity", &row.severity))?;
            let due = due_on(calendar, cat, level_of(row)?, severity, to_utc(*start));
            if due != row.due_at {
                store::set_due_at(c, row, due, at)?;
                moved += 1;
            }
        }
    }
    Ok(moved)
}

fn history_row(incident: &str, at: NaiveDateTime, actor: Option<&str>, action: &str) -> HistoryRow {
    HistoryRow {
        id: Uuid::now_v7().to_string(),
        incident_id: incident.to_string(),
        at,
        actor_id: actor.map(str::to_string),
        action: action.to_string(),
        from_state: None,
        to_state: None,
        note: None,
        conflict: false,
        data: None,
    }
}

fn duplicates(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    row: &IncidentRow,
) -> Result<Vec<Duplicate>> {
    let r = state.config.duplicate_radius_m;
    let dlat = r / 111_000.0 * 1.01;
    let dlon = dlat / row.lat.to_radians().cos().max(0.01);
    let since = row.created_at - Duration::days(7);
    let near = store::open_near(
        c,
        &row.category,
        [
            row.lon - dlon,
            row.lat - dlat,
            row.lon + dlon,
            row.lat + dlat,
        ],
        since,
    )?;
    let here = Point::new(row.lon, row.lat);
    let mut hits: Vec<(f64, &IncidentRow)> = near
        .iter()
        .filter(|o| o.id != row.id && o.created_at <= row.created_at)
        .map(|o| (Haversine.distance(here, Point::new(o.lon, o.lat)), o))
        .filter(|(d, _)| *d <= r)
        .collect();
    let ids: Vec<String> = hits.iter().map(|(_, o)| o.id.clone()).collect();
    let visible = store::visible_ids(c, &scope_of(user), &ids)?;
    hits.retain(|(_, o)| visible.contains(&o.id));
    hits.sort_by(|a, b| a.0.total_cmp(&b.0));
    hits.into_iter()
        .map(|(d, o)| {
            Ok(Duplicate {
                id: uuid(&o.id),
                title: o.title.clone(),
                status: status_of(o)?,
                distance_m: (d * 10.0).round() / 10.0,
                created_at: to_utc(o.created_at),
            })
        })
        .collect()
}

/// Registers a report. Replaying the same id with the same body answers the stored
/// incident (no duplicate); the same id with another body is 409 `id_conflict`.
/// Returns whether this call created it.
pub fn report(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewIncident,
) -> Result<(Reported, bool)> {
    report_from(state, c, user, new, Source::App, |_, _| Ok(()))
}

/// [`report`] from a given source: the one way an incident is registered. `also` writes
/// what comes with a new incident (an Open311 submitter's contact) in its transaction.
pub fn report_from(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewIncident,
    source: Source,
    also: impl FnOnce(&mut DbConn, &IncidentRow) -> Result<()>,
) -> Result<(Reported, bool)> {
    if user.role == Role::Department {
        return Err(Error::forbidden(
            "department staff handle what is dispatched to them; they do not report",
        ));
    }
    let hash = body_hash(new);
    let id = new.id.to_string();
    let (row, created) = db::write_tx(c, |c| -> Result<(IncidentRow, bool)> {
        if let Some(existing) = store::find(c, &id)? {
            if existing.body_hash == hash && existing.reporter_id == user.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        let cat = store::category(c, &new.category)?
            .ok_or_else(|| Error::invalid("category", "no such category"))?;
        let grid = state.grid.current(c)?;
        let cell = grid
            .index
            .locate(new.location.lon, new.location.lat)
            .ok_or_else(|| Error::OffGrid)?;
        let now = state.clock.now();
        let row = IncidentRow {
            id: id.clone(),
            category: new.category.clone(),
            title: new.title.trim().to_string(),
            description: new.description.trim().to_string(),
            lon: new.location.lon,
            lat: new.location.lat,
            cell_code: cell.code.clone(),
            occurred_at: crate::core::time::to_db(new.occurred_at),
            severity: new.severity.as_str().to_string(),
            status: Status::Reported.as_str().to_string(),
            level: Level::Community.as_str().to_string(),
            due_at: due_at(state, &cat, Level::Community, new.severity, now),
            reporter_id: user.id.clone(),
            assignee_id: None,
            resolver_id: None,
            merged_into: None,
            conflict: false,
            rework_count: 0,
            version: 1,
            body_hash: hash.clone(),
            created_at: now.naive_utc(),
            updated_at: now.naive_utc(),
            closed_at: None,
            source: source.as_str().to_string(),
            department_id: None,
        };
        store::insert(c, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                Error::id_conflict()
            } else {
                e.into()
            }
        })?;
        let mut h = history_row(&row.id, row.created_at, Some(&user.id), "report");
        h.to_state = Some(row.status.clone());
        store::add_history(c, &h)?;
        also(c, &row)?;
        Ok((row, true))
    })?;
    let now = state.clock.now_naive();
    let incident = rows_to_wire(c, std::slice::from_ref(&row), now)?.remove(0);
    let possible_duplicates = duplicates(state, c, user, &row)?;
    Ok((
        Reported {
            incident,
            possible_duplicates,
        },
        created,
    ))
}

fn refusal(r: Refusal) -> Error {
    match r {
        Refusal::Forbidden(why) => Error::forbidden(why),
        Refusal::Illegal(why) => Error::new(ErrorCode::InvalidTransition, why),
    }
}

/// What an action names besides its incident: the incident a merge goes into (read once
/// for `check_merge`) and the region of the worker a dispatch goes to (for `check_assignee`).
#[derive(Default)]
struct References {
    original: Option<IncidentRow>,
    assignee_region: Option<String>,
}

/// Checks the parts of an action that name other records (422 before any 404).
fn check_references(c: &mut DbConn, user: &CurrentUser, req: &ActionRequest) -> Result<References> {
    let mut e = FieldErrors::new();
    let mut found = References::default();
    if let (Action::Dispatch, Some(assignee)) = (req.action, req.assignee_id) {
        let worker = users::find_by_id(c, &assignee.to_string())?.filter(|u| {
            Role::parse(&u.role) == Some(Role::Worker)
                && u.active
                && u.region_code.starts_with(user.region_scope())
        });
        match worker {
            Some(u) => found.assignee_region = Some(u.region_code),
            None => e.push("assignee_id", "is not an active worker in your region"),
        }
    }
    if let (Action::Dispatch, Some(d)) = (req.action, req.department_id)
        && crate::db::departments::find(c, &d.to_string())?.is_none()
    {
        e.push("department_id", "no such department");
    }
    if let (Action::Merge, Some(into)) = (req.action, req.into) {
        match store::find_in_scope(c, &scope_of(user), &into.to_string())? {
            None => e.push("into", "no such incident"),
            Some(o) if o.merged_into.is_some() => {
                e.push("into", "is itself merged into another incident")
            }
            Some(o) => found.original = Some(o),
        }
    }
    e.into_result().map_err(Error::validation)?;
    Ok(found)
}

/// A dispatch goes to a worker who may take the case: one of the incident's community
/// (`rules::may_take`, the rule the phone's picker offers by).
fn check_assignee(user: &CurrentUser, row: &IncidentRow, region: &str) -> Result<()> {
    if rules::may_take(
        Role::Worker,
        true,
        region,
        &row.cell_code,
        user.region_scope(),
    ) {
        Ok(())
    } else {
        Err(Error::invalid(
            "assignee_id",
            "is not a worker of the incident's community",
        ))
    }
}

/// Comments one incident may have.
pub const MAX_COMMENTS: i64 = 200;

/// A merge joins a duplicate to an original of the same category that the caller may act
/// on too (a town supervisor cannot reach a district-level incident through a merge).
fn check_merge(user: &CurrentUser, row: &IncidentRow, original: &IncidentRow) -> Result<()> {
    if original.id == row.id {
        return Err(Error::invalid(
            "into",
            "an incident cannot be merged into itself",
        ));
    }
    if original.category != row.category {
        return Err(Error::invalid(
            "into",
            "must be an incident of the same category",
        ));
    }
    if !rules::supervises(&actor_of(user), &facts_of(original)?) {
        return Err(Error::forbidden(
            "the incident to merge into is above your level",
        ));
    }
    Ok(())
}

/// Takes one step of the loop. `offline` is for steps queued on a phone (see sync): a
/// stale version does not refuse them.
pub fn act(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &ActionRequest,
) -> Result<IncidentRow> {
    act_with(state, c, user, id, req, None).map(|(row, _)| row)
}

/// Takes a step queued on a phone while offline. A stale `version` does not refuse it: a
/// step still legal from the current state applies; one that is not is kept in the
/// history as a conflicting branch. Either way the incident is marked `conflict` for a
/// supervisor to clear. The step's history entry takes the operation's id (`op_id`), so
/// the photos queued with it on the phone can name their step. Returns the incident and
/// whether it was a conflict.
pub fn act_offline(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &ActionRequest,
    op_id: &str,
) -> Result<(IncidentRow, bool)> {
    act_with(state, c, user, id, req, Some(op_id))
}

fn act_with(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &ActionRequest,
    op_id: Option<&str>,
) -> Result<(IncidentRow, bool)> {
    let offline = op_id.is_some();
    db::write_tx(c, |c| {
        if let Some(op) = op_id
            && store::step_taken(c, op)?
        {
            return Err(Error::invalid(
                "op_id",
                "names a step already in an incident's history; use a new id",
            ));
        }
        let found = check_references(c, user, req)?;
        let row = store::find_in_scope(c, &scope_of(user), id)?.ok_or_else(Error::not_found)?;
        let facts = facts_of(&row)?;
        let actor = actor_of(user);
        rules::authorize(&actor, req.action, &facts).map_err(refusal)?;
        let stale = req.version != row.version;
        if stale && !offline {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                format!(
                    "the incident is at version {}, not {}",
                    row.version, req.version
                ),
            ));
        }
        // Offline, a comment changes nothing of the incident: it never conflicts.
        let stale = stale && req.action != Action::Comment;
        if let Some(original) = &found.original {
            check_merge(user, &row, original)?;
        }
        if let Some(region) = &found.assignee_region {
            check_assignee(user, &row, region)?;
        }
        if req.action == Action::Comment
            && store::history_count(c, &row.id, Action::Comment.as_str())? >= MAX_COMMENTS
        {
            return Err(Error::invalid(
                "action",
                format!("an incident has at most {MAX_COMMENTS} comments"),
            ));
        }
        match rules::transition(&facts, req.action) {
            Ok((status, level)) => {
                let mut next = apply(state, c, row, (status, level), Some(user), req, op_id)?;
                if stale && !next.conflict {
                    let v = next.version;
                    next.conflict = true;
                    if !store::update_if_version(c, &next, v)? {
                        return Err(Error::new(
                            ErrorCode::VersionConflict,
                            "the incident changed meanwhile",
                        ));
                    }
                }
                Ok((next, stale))
            }
            Err(Refusal::Illegal(why)) if stale => {
                // Keep the offline step as a conflicting branch of the history.
                let at = state.clock.now_naive();
                let mut next = row.clone();
                next.conflict = true;
                next.version += 1;
                next.updated_at = at;
                if !store::update_if_version(c, &next, row.version)? {
                    return Err(Error::new(
                        ErrorCode::VersionConflict,
                        "the incident changed meanwhile",
                    ));
                }
                let mut h = history_row(&next.id, at, Some(&user.id), req.action.as_str());
                if let Some(op) = op_id {
                    h.id = op.to_string();
                }
                h.from_state = Some(row.status.clone());
                h.note = req.note.clone();
                h.conflict = true;
                h.data = Some(
                    serde_json::json!({"read_version": req.version, "not_applied": why})
                        .to_string(),
                );
                store::add_history(c, &h)?;
                Ok((next, true))
            }
            Err(r) => Err(refusal(r)),
        }
    })
}

/// Writes a legal step: the new state (`to`: status and level), its side facts and the
/// history entry (under `step_id` when the step came through sync).
fn apply(
    state: &AppState,
    c: &mut DbConn,
    row: IncidentRow,
    (status, level): (Status, Level),
    user: Option<&CurrentUser>,
    req: &ActionRequest,
    step_id: Option<&str>,
) -> Result<IncidentRow> {
    let now = state.clock.now();
    let at = now.naive_utc();
    let before = row.clone();
    let mut next = row;
    let mut data = serde_json::Map::new();
    match req.action {
        Action::Dispatch => {
            // To a worker or to a department: the one replaces the other.
            next.assignee_id = req.assignee_id.map(|a| a.to_string());
            next.department_id = req.department_id.map(|d| d.to_string());
            if let Some(a) = &next.assignee_id {
                data.insert("assignee_id".into(), a.clone().into());
            }
            if let Some(d) = &next.department_id {
                data.insert("department_id".into(), d.clone().into());
            }
        }
        Action::Resolve | Action::SelfClose => next.resolver_id = user.map(|u| u.id.clone()),
        Action::Rework => next.rework_count += 1,
        Action::Escalate => {
            let cat = store::category(c, &next.category)?
                .ok_or_else(|| bad_row("category", &next.category))?;
            let severity = Severity::parse(&next.severity)
                .ok_or_else(|| bad_row("severity", &next.severity))?;
            next.due_at = due_at(state, &cat, level, severity, now);
            data.insert(
                "due_at".into(),
                crate::core::time::fmt(to_utc(next.due_at)).into(),
            );
        }
        Action::Merge => {
            let into = req.into.expect("validated").to_string();
            data.insert("into".into(), into.clone().into());
            next.merged_into = Some(into.clone());
            // The original learns of its duplicate in its own history.
            let mut original = store::find(c, &into)?.ok_or_else(Error::not_found)?;
            let v = original.version;
            original.version += 1;
            original.updated_at = at;
            if !store::update_if_version(c, &original, v)? {
                return Err(Error::new(
                    ErrorCode::VersionConflict,
                    "the original changed meanwhile; try again",
                ));
            }
            let mut h = history_row(&into, at, user.map(|u| u.id.as_str()), "merged");
            h.note = req.note.clone();
            h.data = Some(serde_json::json!({"duplicate": next.id}).to_string());
            store::add_history(c, &h)?;
        }
        Action::ClearConflict => next.conflict = false,
        _ => {}
    }
    if status.is_open() {
        next.closed_at = None;
    } else if before.closed_at.is_none() {
        next.closed_at = Some(at);
    }
    next.status = status.as_str().to_string();
    next.level = level.as_str().to_string();
    next.version = before.version + 1;
    next.updated_at = at;
    if !store::update_if_version(c, &next, before.version)? {
        return Err(Error::new(
            ErrorCode::VersionConflict,
            "the incident changed meanwhile; read it again",
        ));
    }
    let mut h = history_row(
        &next.id,
        at,
        user.map(|u| u.id.as_str()),
        req.action.as_str(),
    );
    if let Some(id) = step_id {
        h.id = id.to_string();
    }
    if req.action == Action::Escalate {
        h.from_state = Some(before.level.clone());
        h.to_state = Some(next.level.clone());
    } else {
        h.from_state = Some(before.status.clone());
        h.to_state = Some(next.status.clone());
    }
    h.note = req.note.clone().filter(|n| !n.trim().is_empty());
    h.data = (!data.is_empty()).then(|| serde_json::Value::Object(data).to_string());
    store::add_history(c, &h)?;
    crate::flow::notifications::on_step(
        c,
        &before,
        &next,
        req.action,
        user.map(|u| u.id.as_str()),
        &h.id,
        at,
    )?;
    Ok(next)
}

/// Escalates every unresolved incident past its deadline by one level (the sweep).
/// Safe to run from several processes at once: each step is conditional on the version
/// it read, so an incident moves once per deadline. Returns how many moved.
pub fn escalate_overdue(state: &AppState, c: &mut DbConn) -> Result<usize> {
    let now = state.clock.now();
    let mut moved = 0;
    loop {
        let batch = store::due_for_escalation(c, now.naive_utc(), 200)?;
        let n = batch.len();
        let mut progressed = false;
        for row in batch {
            let done = db::write_tx(c, |c| -> Result<bool> {
                let Some(row) = store::find(c, &row.id)? else {
                    return Ok(false);
                };
                let level = level_of(&row)?;
                let Some(up) = level.up() else {
                    return Ok(false);
                };
                if !is_overdue(&row, now.naive_utc()) {
                    return Ok(false);
                }
                let req = ActionRequest {
                    action: Action::Escalate,
                    version: row.version,
                    note: Some("deadline passed".into()),
                    assignee_id: None,
                    department_id: None,
                    into: None,
                };
                let status = status_of(&row)?;
                match apply(state, c, row, (status, up), None, &req, None) {
                    Ok(_) => Ok(true),
                    // Someone else moved it first: leave it to them.
                    Err(e) if e.code() == ErrorCode::VersionConflict => Ok(false),
                    Err(e) => Err(e),
                }
            })?;
            if done {
                moved += 1;
                progressed = true;
            }
        }
        if n < 200 || !progressed {
            break;
        }
    }
    Ok(moved)
}

/// May this caller see the parties' names and phones of a dispute? Those who handle it.
pub fn sees_parties(user: &CurrentUser, row: &IncidentRow) -> Result<bool> {
    let facts = facts_of(row)?;
    let actor = actor_of(user);
    Ok(rules::supervises(&actor, &facts) || row.assignee_id.as_deref() == Some(&user.id))
}

pub fn mediation_to_wire(m: &MediationRow, full: bool) -> Mediation {
    let parties: Vec<Party> = serde_json::from_str(&m.parties).unwrap_or_default();
    let parties = parties
        .into_iter()
        .map(|p| {
            if full {
                p
            } else {
                Party {
                    name: rules::mask_name(&p.name),
                    role: p.role,
                    phone: p.phone.as_deref().map(rules::mask_phone),
                }
            }
        })
        .collect();
    Mediation {
        id: uuid(&m.id),
        held_at: to_utc(m.held_at),
        mediator: m.mediator.clone(),
        parties,
        outcome: m.outcome.clone(),
        agreement_reached: m.agreement_reached,
        note: m.note.clone(),
        recorded_by: uuid(&m.recorded_by),
        created_at: to_utc(m.created_at),
    }
}

/// Records a mediation session of a dispute (idempotent by its id). Who: those who handle
/// the case. The session shows in the incident's history (without the parties' names).
pub fn record_mediation(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    new: &NewMediation,
) -> Result<(MediationRow, bool)> {
    let hash = body_hash(new);
    db::write_tx(c, |c| {
        let row = store::find_in_scope(c, &scope_of(user), id)?.ok_or_else(Error::not_found)?;
        if !sees_parties(user, &row)? {
            return Err(Error::forbidden(
                "only those who handle the dispute record its mediation",
            ));
        }
        if let Some(existing) = store::mediation(c, &new.id.to_string())? {
            if existing.body_hash == hash && existing.incident_id == row.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        if !rules::is_dispute(&row.category) {
            return Err(Error::new(
                ErrorCode::InvalidTransition,
                "mediation records belong to disputes (category class 01)",
            ));
        }
        let now = state.clock.now_naive();
        let m = MediationRow {
            id: new.id.to_string(),
            incident_id: row.id.clone(),
            held_at: crate::core::time::to_db(new.held_at),
            mediator: new.mediator.trim().to_string(),
            parties: serde_json::to_string(&new.parties).expect("parties serialize"),
            outcome: new.outcome.trim().to_string(),
            agreement_reached: new.agreement_reached,
            note: new.note.clone(),
            recorded_by: user.id.clone(),
            body_hash: hash.clone(),
            created_at: now,
        };
        store::insert_mediation(c, &m)?;
        let mut next = row.clone();
        next.version += 1;
        next.updated_at = now;
        if !store::update_if_version(c, &next, row.version)? {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                "the incident changed meanwhile; try again",
            ));
        }
        let mut h = history_row(&row.id, now, Some(&user.id), "mediation");
        h.note = Some(m.outcome.clone());
        h.data = Some(
            serde_json::json!({
                "mediation_id": m.id,
                "mediator": m.mediator,
                "parties": new.parties.len(),
                "agreement_reached": m.agreement_reached,
            })
            .to_string(),
        );
        store::add_history(c, &h)?;
        Ok((m, true))
    })
}

/// The incident list's query string (`limit` and `cursor` are read by the edge).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub status: Option<String>,
    pub cell: Option<String>,
    pub region: Option<String>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub overdue: Option<String>,
    pub assignee: Option<String>,
    pub reporter: Option<String>,
    pub department: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

fn me_or_id(user: &CurrentUser, field: &str, v: &str) -> Result<String> {
    if v == "me" {
        return Ok(user.id.clone());
    }
    uuid::Uuid::parse_str(v)
        .map(|u| u.to_string())
        .map_err(|_| Error::invalid(field, "must be `me` or a user id"))
}

pub fn filter_of(user: &CurrentUser, q: &ListQuery, now: chrono::NaiveDateTime) -> Result<Filter> {
    let mut f = Filter::default();
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        for part in s.split(',') {
            let st = Status::parse(part.trim())
                .ok_or_else(|| Error::invalid("status", format!("unknown status {part}")))?;
            f.statuses.push(st.as_str().to_string());
        }
    }
    f.cell = q.cell.as_deref().map(parse_cell).transpose()?;
    f.region = q.region.as_deref().map(parse_region).transpose()?;
    if let Some(cat) = &q.category {
        if !(cat.len() == 2 || cat.len() == 4) || !cat.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                "category",
                "must be a 2-digit class or a 4-digit category",
            ));
        }
        f.category = Some(cat.clone());
    }
    if let Some(l) = &q.level {
        f.level = Some(
            Level::parse(l)
                .ok_or_else(|| Error::invalid("level", "must be community, town or district"))?
                .as_str()
                .into(),
        );
    }
    match q.overdue.as_deref() {
        None | Some("false") => {}
        Some("true") => f.overdue_at = Some(now),
        Some(_) => return Err(Error::invalid("overdue", "must be true or false")),
    }
    if let Some(a) = &q.assignee {
        f.assignee = Some(me_or_id(user, "assignee", a)?);
    }
    if let Some(r) = &q.reporter {
        f.reporter = Some(me_or_id(user, "reporter", r)?);
    }
    if let Some(d) = &q.department {
        f.department = Some(
            uuid::Uuid::parse_str(d)
                .map_err(|_| Error::invalid("department", "must be a department id"))?
                .to_string(),
        );
    }
    Ok(f)
}

/// Incidents in the caller's scope matching the query, newest first.
pub fn list(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    q: &ListQuery,
    page: &PageRequest,
) -> Result<(Vec<Incident>, Option<String>)> {
    let now = state.clock.now_naive();
    let filter = filter_of(user, q, now)?;
    let rows = store::list(c, &scope_of(user), &filter, page)?;
    let (rows, next) = page::finish(rows, page.limit, |r| Cursor::new(r.created_at, &r.id));
    Ok((rows_to_wire(c, &rows, now)?, next))
}

/// The incident with its history, mediation sessions and the steps the caller can take
/// now (from the shared state machine).
pub fn detail(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
) -> Result<IncidentDetail> {
    let row = store::find_in_scope(c, &scope_of(user), id)?.ok_or_else(Error::not_found)?;
    let now = state.clock.now_naive();
    let incident = rows_to_wire(c, std::slice::from_ref(&row), now)?.remove(0);
    let history = history_to_wire(&store::history(c, id)?);
    let full = sees_parties(user, &row)?;
    let mediations = store::mediations(c, id)?
        .iter()
        .map(|m| mediation_to_wire(m, full))
        .collect();
    let facts = facts_of(&row)?;
    let actor = actor_of(user);
    let possible_duplicates = if facts.status.is_open() && row.merged_into.is_none() {
        duplicates(state, c, user, &row)?
    } else {
        Vec::new()
    };
    Ok(IncidentDetail {
        incident,
        history,
        mediations,
        available_actions: rules::available(&actor, &facts),
        possible_duplicates,
    })
}

/// Takes a step (the request is validated before the id is looked at) and answers the
/// incident after it.
pub fn act_detail(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &ActionRequest,
) -> Result<IncidentDetail> {
    req.validate().map_err(Error::validation)?;
    let id = parse_id(id)?;
    act(state, c, user, &id, req)?;
    detail(state, c, user, &id)
}
