//! The deliberation hall (议事厅): items raised in a community, accepted or declined,
//! discussed and voted in sessions, decided, carried out and published.
//!
//! Scope: workers read every item of the communities of their assigned cells, supervisors
//! every item under their region, admins all; a volunteer reads the items it raised and
//! every `done` item under its region (公示). Out of scope is 404.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use gridwork_shared::ErrorCode;
use gridwork_shared::api::Role;
use gridwork_shared::deliberation::{
    self as rules, Deliberation, DeliberationAction, DeliberationActionRequest, DeliberationDetail,
    DeliberationStatus, DeliberationStep, NewDeliberation, NewSession, Session, Votes,
};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::deliberations::{
    self as store, DeliberationRow, DeliberationScope, Filter, SessionRow, StepRow,
};
use crate::db::page::{Cursor, PageRequest};
use crate::db::{self, DbConn, audit, to_utc};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::body_hash;
use crate::flow::page_of;
use crate::flow::regions::parse_region;

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

/// The communities of a worker's assigned cells.
pub fn worker_communities(c: &mut DbConn, user_id: &str) -> Result<Vec<String>> {
    let set: BTreeSet<String> = db::cells::assigned_codes(c, user_id)?
        .into_iter()
        .filter_map(|code| code.get(..12).map(str::to_string))
        .collect();
    Ok(set.into_iter().collect())
}

/// The items a caller may read.
pub fn scope_of(c: &mut DbConn, user: &CurrentUser) -> Result<DeliberationScope> {
    Ok(match user.role {
        Role::Admin => DeliberationScope::All,
        Role::Supervisor => DeliberationScope::Region(user.region_code.clone()),
        Role::Worker => DeliberationScope::Communities(worker_communities(c, &user.id)?),
        Role::Volunteer => DeliberationScope::Volunteer {
            user: user.id.clone(),
            region: user.region_code.clone(),
        },
        // Department staff see only what is dispatched or assigned to their department.
        Role::Department => DeliberationScope::Communities(Vec::new()),
    })
}

/// Whether the caller's scope holds the community (where it may raise items).
fn holds(c: &mut DbConn, user: &CurrentUser, community: &str) -> Result<bool> {
    Ok(match user.role {
        Role::Admin => true,
        Role::Supervisor | Role::Volunteer => community.starts_with(&user.region_code),
        Role::Worker => worker_communities(c, &user.id)?
            .iter()
            .any(|x| x == community),
        Role::Department => false,
    })
}

fn bad(what: &str, v: &str) -> Error {
    Error::Unexpected(anyhow::anyhow!("stored {what} is invalid: {v}"))
}

fn status_of(row: &DeliberationRow) -> Result<DeliberationStatus> {
    DeliberationStatus::parse(&row.status).ok_or_else(|| bad("status", &row.status))
}

pub fn to_wire(row: &DeliberationRow) -> Result<Deliberation> {
    Ok(Deliberation {
        id: uuid(&row.id),
        region_code: row.region_code.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        source_incident_id: row.source_incident_id.as_deref().map(uuid),
        status: status_of(row)?,
        decision: row.decision.clone(),
        outcome: row.outcome.clone(),
        raised_by: uuid(&row.raised_by),
        version: row.version,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
        done_at: row.done_at.map(to_utc),
    })
}

pub fn session_to_wire(s: &SessionRow) -> Session {
    Session {
        id: uuid(&s.id),
        deliberation_id: uuid(&s.deliberation_id),
        held_at: to_utc(s.held_at),
        place: s.place.clone(),
        attendees: s.attendees,
        votes: Votes {
            votes_for: s.votes_for,
            against: s.votes_against,
            abstain: s.votes_abstain,
        },
        minutes: s.minutes.clone(),
        passed: s.passed,
        recorded_by: uuid(&s.recorded_by),
        created_at: to_utc(s.created_at),
    }
}

fn step_to_wire(h: &StepRow) -> DeliberationStep {
    DeliberationStep {
        at: to_utc(h.at),
        actor_id: h.actor_id.as_deref().map(uuid),
        action: h.action.clone(),
        from: h.from_state.clone(),
        to: h.to_state.clone(),
        note: h.note.clone(),
    }
}

fn step(item: &str, at: chrono::NaiveDateTime, actor: &str, action: &str) -> StepRow {
    StepRow {
        id: Uuid::now_v7().to_string(),
        deliberation_id: item.to_string(),
        at,
        actor_id: Some(actor.to_string()),
        action: action.to_string(),
        from_state: None,
        to_state: None,
        note: None,
    }
}

/// Raises an item (idempotent by its client id; the body is validated by the caller): the
/// community must exist (422) and lie in the caller's scope (404); a source incident must
/// be one the caller can see (404).
pub fn raise(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewDeliberation,
) -> Result<(DeliberationRow, bool)> {
    let hash = body_hash(new);
    let id = new.id.to_string();
    db::write_tx(c, |c| {
        if let Some(existing) = store::find(c, &id)? {
            if existing.body_hash == hash && existing.raised_by == user.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        let region = db::regions::find(c, &new.region_code)?;
        if region.is_none_or(|r| r.level != "community") {
            return Err(Error::invalid("region_code", "names no community"));
        }
        if !holds(c, user, &new.region_code)? {
            return Err(Error::not_found());
        }
        if let Some(incident) = new.source_incident_id {
            let scope = crate::flow::incidents::scope_of(user);
            if db::incidents::find_in_scope(c, &scope, &incident.to_string())?.is_none() {
                return Err(Error::not_found());
            }
        }
        let now = state.clock.now_naive();
        let row = DeliberationRow {
            id: id.clone(),
            region_code: new.region_code.clone(),
            title: new.title.trim().into(),
            description: new.description.trim().into(),
            source_incident_id: new.source_incident_id.map(|u| u.to_string()),
            status: DeliberationStatus::Raised.as_str().into(),
            decision: None,
            outcome: None,
            raised_by: user.id.clone(),
            version: 1,
            body_hash: hash.clone(),
            created_at: now,
            updated_at: now,
            done_at: None,
        };
        store::insert(c, &row)?;
        let mut h = step(&id, now, &user.id, "raise");
        h.to_state = Some(row.status.clone());
        store::add_step(c, &h)?;
        Ok((row, true))
    })
}

/// Takes a step on an item. Checks, in the contract's order: scope (404), the role for
/// the step (403), the state (409 `invalid_transition`, before any other 409), the version
/// (409 `version_conflict`), and for `decide` a passed session (409 `vote_not_passed`).
pub fn act(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &DeliberationActionRequest,
) -> Result<DeliberationRow> {
    db::write_tx(c, |c| {
        let scope = scope_of(c, user)?;
        let row = store::find_in_scope(c, &scope, id)?.ok_or_else(Error::not_found)?;
        let allowed = match user.role {
            Role::Admin => true,
            Role::Supervisor => row.region_code.starts_with(&user.region_code),
            Role::Worker => !req.action.needs_supervisor(),
            Role::Volunteer | Role::Department => false,
        };
        if !allowed {
            return Err(Error::forbidden(if req.action.needs_supervisor() {
                format!(
                    "{} is for a supervisor of the community or above",
                    req.action.as_str()
                )
            } else {
                format!("{} is for a worker or supervisor", req.action.as_str())
            }));
        }
        let from = status_of(&row)?;
        let to = rules::transition(from, req.action).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidTransition,
                format!(
                    "cannot {} an item that is {}",
                    req.action.as_str(),
                    from.as_str()
                ),
            )
        })?;
        if req.version != row.version {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                format!(
                    "the item is at version {}, not {}",
                    row.version, req.version
                ),
            ));
        }
        if req.action == DeliberationAction::Decide && !store::has_passed_session(c, &row.id)? {
            return Err(Error::new(
                ErrorCode::VoteNotPassed,
                "no session of this item passed a vote (more than half of those present for it)",
            ));
        }
        let now = state.clock.now_naive();
        let trimmed = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let mut next = row.clone();
        next.status = to.as_str().into();
        match req.action {
            DeliberationAction::Decide => next.decision = trimmed(&req.decision),
            DeliberationAction::Complete => {
                next.outcome = trimmed(&req.note);
                next.done_at = Some(now);
            }
            _ => {}
        }
        next.version += 1;
        next.updated_at = now;
        if !store::update_if_version(c, &next, row.version)? {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                "the item changed meanwhile; read it again",
            ));
        }
        let mut h = step(&row.id, now, &user.id, req.action.as_str());
        h.from_state = Some(from.as_str().into());
        h.to_state = Some(to.as_str().into());
        h.note = match req.action {
            DeliberationAction::Decide => trimmed(&req.decision),
            _ => trimmed(&req.note),
        };
        store::add_step(c, &h)?;
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: Some(&user.id),
                action: &format!("deliberation_{}", req.action.as_str()),
                entity_type: "deliberation",
                entity_id: &row.id,
                outcome: to.as_str(),
                ip: Some(&user.ip),
                detail: None,
            },
        )?;
        Ok(next)
    })
}

/// Records a session on an accepted item (idempotent by its id; validated by the caller).
/// A session does not change the item's version.
pub fn hold_session(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    new: &NewSession,
) -> Result<(SessionRow, bool)> {
    user.require(&[Role::Admin, Role::Supervisor, Role::Worker])?;
    let hash = body_hash(new);
    db::write_tx(c, |c| {
        let scope = scope_of(c, user)?;
        let item = store::find_in_scope(c, &scope, id)?.ok_or_else(Error::not_found)?;
        if let Some(existing) = store::session(c, &new.id.to_string())? {
            if existing.body_hash == hash && existing.deliberation_id == item.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        let status = status_of(&item)?;
        if status != DeliberationStatus::Accepted {
            return Err(Error::new(
                ErrorCode::InvalidTransition,
                format!(
                    "sessions are held on accepted items; this one is {}",
                    status.as_str()
                ),
            ));
        }
        let now = state.clock.now_naive();
        let row = SessionRow {
            id: new.id.to_string(),
            deliberation_id: item.id.clone(),
            held_at: crate::core::time::to_db(new.held_at),
            place: new.place.trim().into(),
            attendees: new.attendees,
            votes_for: new.votes.votes_for,
            votes_against: new.votes.against,
            votes_abstain: new.votes.abstain,
            passed: rules::passes(new.votes.votes_for, new.attendees),
            minutes: new.minutes.trim().into(),
            recorded_by: user.id.clone(),
            body_hash: hash.clone(),
            created_at: now,
        };
        store::insert_session(c, &row)?;
        store::touch(c, &item, now)?;
        Ok((row, true))
    })
}

pub fn detail(c: &mut DbConn, user: &CurrentUser, id: &str) -> Result<DeliberationDetail> {
    let scope = scope_of(c, user)?;
    let row = store::find_in_scope(c, &scope, id)?.ok_or_else(Error::not_found)?;
    Ok(DeliberationDetail {
        deliberation: to_wire(&row)?,
        sessions: store::sessions_of(c, id)?
            .iter()
            .map(session_to_wire)
            .collect(),
        history: store::history(c, id)?.iter().map(step_to_wire).collect(),
    })
}

/// Raises an item (the body is validated) and answers it.
pub fn raise_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewDeliberation,
) -> Result<Deliberation> {
    new.validate().map_err(Error::validation)?;
    let (row, _) = raise(state, c, user, new)?;
    to_wire(&row)
}

/// Takes a step (the request is validated before the id is looked at) and answers the
/// item with its sessions and history.
pub fn act_detail(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &DeliberationActionRequest,
) -> Result<DeliberationDetail> {
    req.validate().map_err(Error::validation)?;
    act(state, c, user, id, req)?;
    detail(c, user, id)
}

/// Records a session (validated first) and answers it.
pub fn session_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    new: &NewSession,
    now: DateTime<Utc>,
) -> Result<Session> {
    new.validate(now).map_err(Error::validation)?;
    let (row, _) = hold_session(state, c, user, id, new)?;
    Ok(session_to_wire(&row))
}

/// The list's query string.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub region: Option<String>,
    pub status: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

pub fn list(
    c: &mut DbConn,
    user: &CurrentUser,
    q: &ListQuery,
    page: &PageRequest,
) -> Result<(Vec<Deliberation>, Option<String>)> {
    let mut f = Filter {
        region: q.region.as_deref().map(parse_region).transpose()?,
        ..Filter::default()
    };
    if let Some(s) = &q.status {
        DeliberationStatus::parse(s).ok_or_else(|| {
            Error::invalid(
                "status",
                "must be raised, accepted, declined, decided, implementing or done",
            )
        })?;
        f.status = Some(s.clone());
    }
    let scope = scope_of(c, user)?;
    let rows = store::list(c, &scope, &f, page)?;
    page_of(rows, page, |r| Cursor::new(r.created_at, &r.id), to_wire)
}
