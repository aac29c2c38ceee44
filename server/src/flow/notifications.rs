//! Notifications: made in the transaction of the event that causes them (an incident's
//! step) or by the daily reminders (a visit due, a hazard's deadline), read through
//! `/me/notifications`, `/sync/pull` and the live stream.
//!
//! **Once.** Every notification carries the key of its event — the id of the incident's
//! history entry, or `visit_due:PERSON:DAY` / `hazard_deadline:UNIT:DAY` — unique per
//! recipient, so a retried write (whose step is taken once) or a second server process
//! running the same reminder never makes a second one.

use std::collections::BTreeSet;

use chrono::{Days, FixedOffset, NaiveDateTime, NaiveTime, Utc};
use gridwork_shared::api::Role;
use gridwork_shared::incident::{Action, Level, Status};
use gridwork_shared::notification::{MarkRead, Notification, NotificationKind};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::models::{IncidentRow, NotificationRow};
use crate::db::page::{self, Cursor};
use crate::db::{DbConn, notifications as store, to_utc};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};

/// China Standard Time: the day a reminder belongs to.
fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

pub fn to_wire(row: &NotificationRow) -> Result<Notification> {
    Ok(Notification {
        id: Uuid::parse_str(&row.id).unwrap_or_default(),
        at: to_utc(row.at),
        kind: NotificationKind::parse(&row.kind).ok_or_else(|| {
            Error::Unexpected(anyhow::anyhow!("stored notification kind: {}", row.kind))
        })?,
        entity_type: row.entity_type.clone(),
        entity_id: row.entity_id.clone(),
        title: row.title.clone(),
        read: row.read,
    })
}

fn row(
    user: &str,
    kind: NotificationKind,
    entity_id: &str,
    title: &str,
    event_key: &str,
    at: NaiveDateTime,
) -> NotificationRow {
    NotificationRow {
        id: Uuid::now_v7().to_string(),
        user_id: user.to_string(),
        at,
        kind: kind.as_str().to_string(),
        entity_type: kind.entity_type().to_string(),
        entity_id: entity_id.to_string(),
        title: title.to_string(),
        read: false,
        event_key: event_key.to_string(),
    }
}

/// Who learns of one step of an incident, and as what: `before` and `after` are the
/// incident around the step, `actor` who took it (none for the sweep). The actor is never
/// told of its own step.
fn recipients_of_step(
    c: &mut DbConn,
    before: &IncidentRow,
    after: &IncidentRow,
    action: Action,
) -> Result<Vec<(String, NotificationKind)>> {
    let mut out: Vec<(String, NotificationKind)> = Vec::new();
    match action {
        Action::Dispatch | Action::Rework => {
            let kind = if action == Action::Dispatch {
                NotificationKind::IncidentDispatched
            } else {
                NotificationKind::IncidentRework
            };
            if let Some(a) = &after.assignee_id {
                out.push((a.clone(), kind));
            }
            // Dispatched to a department: every one of its staff.
            if let Some(d) = &after.department_id {
                for s in store::department_staff(c, d)? {
                    out.push((s, kind));
                }
            }
        }
        Action::Accept => out.push((after.reporter_id.clone(), NotificationKind::ReportAccepted)),
        Action::Reject => out.push((after.reporter_id.clone(), NotificationKind::ReportRejected)),
        Action::Escalate => {
            let level = Level::parse(&after.level);
            let len = match level {
                Some(Level::Town) => Some(9),
                Some(Level::District) => Some(6),
                _ => None,
            };
            if let Some(region) = len.and_then(|n| after.cell_code.get(..n)) {
                for s in store::active_in_region(c, Role::Supervisor.as_str(), region)? {
                    out.push((s, NotificationKind::IncidentEscalated));
                }
            }
        }
        _ => {}
    }
    let closed_now = after.status == Status::Closed.as_str()
        && before.status != Status::Closed.as_str()
        && !matches!(action, Action::Reject);
    if closed_now {
        out.push((after.reporter_id.clone(), NotificationKind::IncidentClosed));
    }
    Ok(out)
}

/// Makes the notifications of one step of an incident, inside the step's transaction.
/// `event_key` is the step's history entry id.
pub fn on_step(
    c: &mut DbConn,
    before: &IncidentRow,
    after: &IncidentRow,
    action: Action,
    actor: Option<&str>,
    event_key: &str,
    at: NaiveDateTime,
) -> Result<usize> {
    let mut wanted = recipients_of_step(c, before, after, action)?;
    wanted.retain(|(u, _)| Some(u.as_str()) != actor);
    if wanted.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = wanted.iter().map(|(u, _)| u.clone()).collect();
    let active: BTreeSet<String> = store::active_among(c, &ids)?.into_iter().collect();
    let mut seen = BTreeSet::new();
    let rows: Vec<NotificationRow> = wanted
        .into_iter()
        .filter(|(u, _)| active.contains(u) && seen.insert(u.clone()))
        .map(|(u, kind)| row(&u, kind, &after.id, &after.title, event_key, at))
        .collect();
    store::insert(c, &rows)?;
    Ok(rows.len())
}

/// `GET /me/notifications`'s query.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    pub unread: Option<bool>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// The caller's notifications, newest first.
pub fn list(
    c: &mut DbConn,
    user: &CurrentUser,
    unread_only: bool,
    page: &crate::flow::PageRequest,
) -> Result<(Vec<Notification>, Option<String>)> {
    let before = page.after.as_ref().map(|a| a.id.as_str());
    let rows = store::page(c, &user.id, unread_only, before, page.limit + 1)?;
    let (rows, next) = page::finish(rows, page.limit, |r| Cursor::new(r.at, &r.id));
    let items = rows.iter().map(to_wire).collect::<Result<_>>()?;
    Ok((items, next))
}

/// `POST /me/notifications/read`.
pub fn mark_read(c: &mut DbConn, user: &CurrentUser, body: &MarkRead) -> Result<usize> {
    body.validate().map_err(Error::validation)?;
    crate::db::write_tx(c, |c| {
        Ok(match (&body.ids, &body.up_to) {
            (Some(ids), _) => {
                let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
                store::mark_read(c, &user.id, &ids)?
            }
            (None, Some(up_to)) => store::mark_read_up_to(c, &user.id, &up_to.to_string())?,
            (None, None) => 0,
        })
    })
}

/// The newest notification id of the caller (where a live stream starts).
pub fn latest_id(c: &mut DbConn, user_id: &str) -> Result<Option<String>> {
    Ok(store::latest_id(c, user_id)?)
}

/// The caller's notifications created after `after`, oldest first (the live stream).
pub fn after(c: &mut DbConn, user_id: &str, after: &str) -> Result<Vec<Notification>> {
    store::after(c, user_id, after, 500)?
        .iter()
        .map(to_wire)
        .collect()
}

/// The caller's notifications among `ids` (a pull's window).
pub fn by_ids(c: &mut DbConn, user_id: &str, ids: &[String]) -> Result<Vec<Notification>> {
    store::by_ids(c, user_id, ids)?
        .iter()
        .map(to_wire)
        .collect()
}

/// How many notifications a pull that starts from nothing carries: the newest.
pub const SNAPSHOT: i64 = 100;

/// The caller's newest notifications, oldest first (a pull from nothing).
pub fn newest(c: &mut DbConn, user_id: &str) -> Result<Vec<Notification>> {
    let mut rows = store::page(c, user_id, false, None, SNAPSHOT)?;
    rows.reverse();
    rows.iter().map(to_wire).collect()
}

/// A name as a reminder shows it: the first character, the rest hidden (`张**`).
fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first)
            .chain(chars.map(|_| '*'))
            .collect::<String>(),
        None => String::new(),
    }
}

/// The daily reminders: a visit due tomorrow (China Standard Time) to the person's
/// responsible worker, an open hazard whose deadline is tomorrow to the workers of its
/// unit's cell. Made once per person or unit and day, however often and in however many
/// processes this runs. Answers how many it made.
pub fn remind(state: &AppState, c: &mut DbConn) -> Result<usize> {
    let now = state.clock.now();
    let today = now.with_timezone(&cst()).date_naive();
    let day_start = |d: chrono::NaiveDate| {
        d.and_time(NaiveTime::MIN)
            .and_local_timezone(cst())
            .single()
            .expect("a fixed offset has no gaps")
            .with_timezone(&Utc)
            .naive_utc()
    };
    let tomorrow = today + Days::new(1);
    let (from, to) = (day_start(tomorrow), day_start(tomorrow + Days::new(1)));
    let at = now.naive_utc();
    let day_of = |t: NaiveDateTime| to_utc(t).with_timezone(&cst()).date_naive();
    let mut made = 0;
    // The reminders made already (by an earlier run, or another process), left alone
    // without a write; `insert_once` settles a race with another process.
    let persons: Vec<_> = store::persons_due(c, from, to)?
        .into_iter()
        .map(|(id, worker, name, due)| {
            (format!("visit_due:{id}:{}", day_of(due)), id, worker, name)
        })
        .collect();
    let keys: Vec<String> = persons.iter().map(|p| p.0.clone()).collect();
    let done: BTreeSet<(String, String)> = store::keys_present(c, &keys)?.into_iter().collect();
    for (key, person, worker, name_enc) in persons {
        if done.contains(&(worker.clone(), key.clone()))
            || store::active_among(c, std::slice::from_ref(&worker))?.is_empty()
        {
            continue;
        }
        let name = crate::flow::persons::decrypt_name(state, &person, &name_enc)?;
        let r = row(
            &worker,
            NotificationKind::VisitDue,
            &person,
            &masked_name(&name),
            &key,
            at,
        );
        made += usize::from(store::insert_once(c, &r)?);
    }
    let mut units = store::hazards_due(c, from, to)?;
    // One reminder per unit: its earliest hazard due tomorrow.
    units.dedup_by(|b, a| a.0 == b.0);
    let keys: Vec<String> = units
        .iter()
        .map(|u| format!("hazard_deadline:{}:{}", u.0, day_of(u.3)))
        .collect();
    let done: BTreeSet<(String, String)> = store::keys_present(c, &keys)?.into_iter().collect();
    for ((unit, name, cell, _), key) in units.into_iter().zip(keys) {
        for worker in store::cell_workers(c, &cell)? {
            // Per worker: one a run cut short did not reach, or one the cell gained since,
            // still gets it.
            if done.contains(&(worker.clone(), key.clone())) {
                continue;
            }
            let r = row(
                &worker,
                NotificationKind::HazardDeadline,
                &unit,
                &name,
                &key,
                at,
            );
            made += usize::from(store::insert_once(c, &r)?);
        }
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_hides_all_but_the_first_character_of_a_name() {
        assert_eq!(masked_name("张三丰"), "张**");
        assert_eq!(masked_name("A"), "A");
        assert_eq!(masked_name(""), "");
    }
}
