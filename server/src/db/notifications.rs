//! Notifications, and what the daily reminders are made from.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::models::NotificationRow;
use super::schema::cell_workers::dsl as cw;
use super::schema::hazards::dsl as hz;
use super::schema::notifications::dsl as n;
use super::schema::persons::dsl as p;
use super::schema::safety_units::dsl as u;
use super::schema::users::dsl as us;

/// Writes notifications made by one event, inside the event's transaction, each recorded
/// in the change log for its recipient's next pull.
pub fn insert(c: &mut DbConn, rows: &[NotificationRow]) -> QueryResult<()> {
    for row in rows {
        diesel::insert_into(n::notifications)
            .values(row)
            .execute(c)?;
        super::sync::record_loss(c, "notification", &row.id, "", &row.user_id, row.at)?;
    }
    Ok(())
}

/// Writes a notification unless its recipient already has one of its event (another
/// process made it first); answers whether this call wrote it.
pub fn insert_once(c: &mut DbConn, row: &NotificationRow) -> QueryResult<bool> {
    let written = super::write_tx(c, |c| {
        let exists: i64 = n::notifications
            .filter(n::user_id.eq(&row.user_id))
            .filter(n::event_key.eq(&row.event_key))
            .count()
            .get_result(c)?;
        if exists > 0 {
            return Ok(false);
        }
        insert(c, std::slice::from_ref(row))?;
        Ok(true)
    });
    match written {
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        other => other,
    }
}

/// The (recipient, key) pairs of the notifications that carry one of `keys`.
pub fn keys_present(c: &mut DbConn, keys: &[String]) -> QueryResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(500) {
        out.extend(
            n::notifications
                .filter(n::event_key.eq_any(chunk))
                .select((n::user_id, n::event_key))
                .load::<(String, String)>(c)?,
        );
    }
    Ok(out)
}

/// A user's notifications, newest first, after the cursor id (exclusive).
pub fn page(
    c: &mut DbConn,
    user: &str,
    unread_only: bool,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut q = n::notifications.filter(n::user_id.eq(user)).into_boxed();
    if unread_only {
        q = q.filter(n::read.eq(false));
    }
    if let Some(b) = before {
        q = q.filter(n::id.lt(b.to_string()));
    }
    q.select(NotificationRow::as_select())
        .order(n::id.desc())
        .limit(limit)
        .load(c)
}

/// A user's notifications created after `after` (exclusive), oldest first.
pub fn after(
    c: &mut DbConn,
    user: &str,
    after: &str,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    n::notifications
        .filter(n::user_id.eq(user))
        .filter(n::id.gt(after.to_string()))
        .select(NotificationRow::as_select())
        .order(n::id.asc())
        .limit(limit)
        .load(c)
}

/// The newest notification id of a user.
pub fn latest_id(c: &mut DbConn, user: &str) -> QueryResult<Option<String>> {
    n::notifications
        .filter(n::user_id.eq(user))
        .select(n::id)
        .order(n::id.desc())
        .first(c)
        .optional()
}

/// A user's notifications among `ids`.
pub fn by_ids(c: &mut DbConn, user: &str, ids: &[String]) -> QueryResult<Vec<NotificationRow>> {
    n::notifications
        .filter(n::user_id.eq(user))
        .filter(n::id.eq_any(ids))
        .select(NotificationRow::as_select())
        .order(n::id.asc())
        .load(c)
}

/// Marks read the user's notifications among `ids`.
pub fn mark_read(c: &mut DbConn, user: &str, ids: &[String]) -> QueryResult<usize> {
    diesel::update(
        n::notifications
            .filter(n::user_id.eq(user))
            .filter(n::id.eq_any(ids))
            .filter(n::read.eq(false)),
    )
    .set(n::read.eq(true))
    .execute(c)
}

/// Marks read every notification of the user created at or before `up_to`.
pub fn mark_read_up_to(c: &mut DbConn, user: &str, up_to: &str) -> QueryResult<usize> {
    diesel::update(
        n::notifications
            .filter(n::user_id.eq(user))
            .filter(n::id.le(up_to.to_string()))
            .filter(n::read.eq(false)),
    )
    .set(n::read.eq(true))
    .execute(c)
}

/// Active users among `ids`.
pub fn active_among(c: &mut DbConn, ids: &[String]) -> QueryResult<Vec<String>> {
    us::users
        .filter(us::id.eq_any(ids))
        .filter(us::active.eq(true))
        .select(us::id)
        .load(c)
}

/// Active users of `role` whose region is exactly `region`.
/// The active staff of a department.
pub fn department_staff(c: &mut DbConn, department: &str) -> QueryResult<Vec<String>> {
    us::users
        .filter(us::role.eq("department"))
        .filter(us::department_id.eq(department))
        .filter(us::active.eq(true))
        .select(us::id)
        .load(c)
}

pub fn active_in_region(c: &mut DbConn, role: &str, region: &str) -> QueryResult<Vec<String>> {
    us::users
        .filter(us::role.eq(role))
        .filter(us::region_code.eq(region))
        .filter(us::active.eq(true))
        .select(us::id)
        .load(c)
}

/// A person due a visit: its id, responsible worker, encrypted name and due time.
pub type DuePerson = (String, String, String, NaiveDateTime);

/// Active persons whose next visit falls in `[from, to)`.
pub fn persons_due(
    c: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<DuePerson>> {
    p::persons
        .filter(p::active.eq(true))
        .filter(p::next_visit_due.ge(from))
        .filter(p::next_visit_due.lt(to))
        .select((
            p::id,
            p::responsible_worker_id,
            p::name_enc,
            p::next_visit_due.assume_not_null(),
        ))
        .order(p::id.asc())
        .load(c)
}

/// A unit with an open hazard due: its id, name, cell and the hazard's deadline.
pub type DueUnit = (String, String, String, NaiveDateTime);

/// Units with an open hazard whose deadline falls in `[from, to)`, one row per hazard.
pub fn hazards_due(
    c: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<DueUnit>> {
    hz::hazards
        .inner_join(u::safety_units.on(u::id.eq(hz::unit_id)))
        .filter(hz::closed_at.is_null())
        .filter(hz::deadline.ge(from))
        .filter(hz::deadline.lt(to))
        .select((u::id, u::name, u::cell_code, hz::deadline))
        .order((u::id.asc(), hz::deadline.asc()))
        .load(c)
}

/// The active workers assigned to a cell.
pub fn cell_workers(c: &mut DbConn, cell: &str) -> QueryResult<Vec<String>> {
    cw::cell_workers
        .inner_join(us::users.on(us::id.eq(cw::user_id)))
        .filter(cw::cell_code.eq(cell))
        .filter(us::active.eq(true))
        .select(cw::user_id)
        .order(cw::user_id.asc())
        .load(c)
}
