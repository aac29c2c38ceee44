//! Special populations: registration, edits, visits and the visit schedule. Names,
//! identity numbers and addresses are encrypted in the database (see `crypto`).

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use geo::{Distance, Haversine, Point};
use gridwork_shared::api::Role;
use gridwork_shared::geometry::Location;
use gridwork_shared::person::{
    self as rules, NewPerson, NewVisit, Outcome, Person, PersonCategory, PersonItem, PersonPatch,
    RiskLevel, Visit, VisitInterval,
};
use gridwork_shared::{ErrorCode, FieldErrors};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::models::{PersonRow, PhotoRow, VisitRow};
use crate::db::page::{Cursor, PageRequest};
use crate::db::persons::{self as store, Filter, PersonScope};
use crate::db::{self, DbConn, audit, to_utc, users};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::{body_hash, photo_ref};
use crate::flow::page_of;
use crate::flow::parse_id;

/// The persons a caller may see; volunteers see none (403).
pub fn scope_of(user: &CurrentUser) -> Result<PersonScope> {
    match user.role {
        Role::Admin => Ok(PersonScope::All),
        Role::Supervisor => Ok(PersonScope::Region(user.region_code.clone())),
        Role::Worker => Ok(PersonScope::Worker(user.id.clone())),
        Role::Volunteer | Role::Department => Err(Error::forbidden(
            "only grid workers, supervisors and admins see special populations",
        )),
    }
}

fn aad(id: &str, field: &str) -> String {
    format!("person:{id}:{field}")
}

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

fn bad(what: &str, v: &str) -> Error {
    Error::Unexpected(anyhow::anyhow!("stored {what} is invalid: {v}"))
}

fn decrypt(state: &AppState, row: &PersonRow, field: &str, value: &str) -> Result<String> {
    decrypt_field(state, &row.id, field, value)
}

fn decrypt_field(state: &AppState, id: &str, field: &str, value: &str) -> Result<String> {
    state
        .keyring
        .decrypt(value, &aad(id, field))
        .map_err(Error::Unexpected)
}

/// A person's name from its stored (encrypted) form.
pub fn decrypt_name(state: &AppState, id: &str, name_enc: &str) -> Result<String> {
    decrypt_field(state, id, "name", name_enc)
}

pub fn item(state: &AppState, row: &PersonRow, now: DateTime<Utc>) -> Result<PersonItem> {
    let next = row.next_visit_due.map(to_utc);
    Ok(PersonItem {
        id: uuid(&row.id),
        category: PersonCategory::parse(&row.category)
            .ok_or_else(|| bad("category", &row.category))?,
        name: decrypt(state, row, "name", &row.name_enc)?,
        id_number_masked: row.id_number_masked.clone(),
        address: decrypt(state, row, "address", &row.address_enc)?,
        location: Location {
            lon: row.lon,
            lat: row.lat,
        },
        cell_code: row.cell_code.clone(),
        risk_level: RiskLevel::parse(&row.risk_level)
            .ok_or_else(|| bad("risk", &row.risk_level))?,
        responsible_worker_id: uuid(&row.responsible_worker_id),
        active: row.active,
        last_visit_at: row.last_visit_at.map(to_utc),
        last_outcome: row.last_outcome.as_deref().and_then(Outcome::parse),
        next_visit_due: next,
        overdue: row.active && rules::is_overdue(next, now),
        version: row.version,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
    })
}

pub fn full(state: &AppState, row: &PersonRow, now: DateTime<Utc>) -> Result<Person> {
    Ok(Person {
        item: item(state, row, now)?,
        id_number: decrypt(state, row, "id_number", &row.id_number_enc)?,
    })
}

/// A visit as the API answers it, with its photos (those of `photos` that are its own).
pub fn visit_to_wire(v: &VisitRow, photos: &[PhotoRow]) -> Result<Visit> {
    Ok(Visit {
        id: uuid(&v.id),
        person_id: uuid(&v.person_id),
        visitor_id: uuid(&v.visitor_id),
        visited_at: to_utc(v.visited_at),
        location: Location {
            lon: v.lon,
            lat: v.lat,
        },
        outcome: Outcome::parse(&v.outcome).ok_or_else(|| bad("outcome", &v.outcome))?,
        note: v.note.clone(),
        risk_level: v.risk_level.as_deref().and_then(RiskLevel::parse),
        distance_m: v.distance_m,
        far: v.far,
        accuracy_m: v.accuracy_m,
        picked_on_map: v.picked_on_map,
        created_at: to_utc(v.created_at),
        photos: photos
            .iter()
            .filter(|p| p.owner_id == v.id)
            .map(photo_ref)
            .collect(),
    })
}

/// Days between visits for a category and risk (the configured table, else the default).
pub fn interval_days(c: &mut DbConn, category: &str, risk: &str) -> Result<i64> {
    Ok(match store::interval(c, category, risk)? {
        Some(d) => i64::from(d),
        None => rules::default_interval_days(RiskLevel::parse(risk).unwrap_or(RiskLevel::High)),
    })
}

/// Sets `next_visit_due` from the row's facts by the one rule.
pub fn recompute_due(c: &mut DbConn, row: &mut PersonRow) -> Result<()> {
    let days = interval_days(c, &row.category, &row.risk_level)?;
    row.next_visit_due = rules::next_visit_due(
        to_utc(row.created_at),
        row.last_met_at.map(to_utc),
        row.last_outcome.as_deref().and_then(Outcome::parse),
        days,
    )
    .map(crate::core::time::to_db);
    Ok(())
}

/// The responsible worker must be an active worker within the caller's region.
fn check_worker(c: &mut DbConn, user: &CurrentUser, id: &Uuid, e: &mut FieldErrors) -> Result<()> {
    let ok = users::find_by_id(c, &id.to_string())?.is_some_and(|u| {
        Role::parse(&u.role) == Some(Role::Worker)
            && u.active
            && u.region_code.starts_with(user.region_scope())
    });
    if !ok {
        e.push(
            "responsible_worker_id",
            "is not an active worker in your region",
        );
    }
    Ok(())
}

/// The cell of a location within the caller's region: 422 otherwise.
fn cell_for(state: &AppState, c: &mut DbConn, user: &CurrentUser, at: &Location) -> Result<String> {
    let grid = state.grid.current(c)?;
    let cell = grid
        .index
        .locate(at.lon, at.lat)
        .ok_or_else(|| Error::OffGrid)?;
    if !cell.code.starts_with(user.region_scope()) {
        return Err(Error::invalid("location", "is outside your region"));
    }
    Ok(cell.code.clone())
}

/// Registers a person (idempotent by its client id).
pub fn register(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewPerson,
) -> Result<(PersonRow, bool)> {
    let hash = body_hash(new);
    let id = new.id.to_string();
    db::write_tx(c, |c| {
        if let Some(existing) = store::find(c, &id)? {
            if existing.body_hash == hash && existing.created_by == user.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        let mut e = FieldErrors::new();
        check_worker(c, user, &new.responsible_worker_id, &mut e)?;
        e.into_result().map_err(Error::validation)?;
        let cell = cell_for(state, c, user, &new.location)?;
        let now = state.clock.now_naive();
        let k = &state.keyring;
        let mut row = PersonRow {
            id: id.clone(),
            category: new.category.as_str().into(),
            name_enc: k.encrypt(new.name.trim(), &aad(&id, "name")),
            id_number_enc: k.encrypt(&new.id_number, &aad(&id, "id_number")),
            id_number_masked: rules::mask_id_number(&new.id_number),
            address_enc: k.encrypt(new.address.trim(), &aad(&id, "address")),
            lon: new.location.lon,
            lat: new.location.lat,
            cell_code: cell,
            risk_level: new.risk_level.as_str().into(),
            responsible_worker_id: new.responsible_worker_id.to_string(),
            active: true,
            last_visit_at: None,
            last_outcome: None,
            last_met_at: None,
            next_visit_due: None,
            version: 1,
            body_hash: hash.clone(),
            created_by: user.id.clone(),
            created_at: now,
            updated_at: now,
        };
        recompute_due(c, &mut row)?;
        store::insert(c, &row)?;
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: Some(&user.id),
                action: "person_create",
                entity_type: "person",
                entity_id: &row.id,
                outcome: "success",
                ip: Some(&user.ip),
                detail: None,
            },
        )?;
        Ok((row, true))
    })
}

/// Edits, transfers or archives a person, at the version it was read.
pub fn patch(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    p: &PersonPatch,
) -> Result<PersonRow> {
    db::write_tx(c, |c| {
        let mut e = FieldErrors::new();
        if let Some(w) = &p.responsible_worker_id {
            check_worker(c, user, w, &mut e)?;
        }
        e.into_result().map_err(Error::validation)?;
        let before = store::find_in_scope(c, &scope_of(user)?, id)?.ok_or_else(Error::not_found)?;
        if p.version != before.version {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                format!(
                    "the person is at version {}, not {}",
                    before.version, p.version
                ),
            ));
        }
        let k = &state.keyring;
        let mut row = before.clone();
        if let Some(cat) = p.category {
            row.category = cat.as_str().into();
        }
        if let Some(n) = &p.name {
            row.name_enc = k.encrypt(n.trim(), &aad(id, "name"));
        }
        if let Some(n) = &p.id_number {
            row.id_number_enc = k.encrypt(n, &aad(id, "id_number"));
            row.id_number_masked = rules::mask_id_number(n);
        }
        if let Some(a) = &p.address {
            row.address_enc = k.encrypt(a.trim(), &aad(id, "address"));
        }
        if let Some(l) = &p.location {
            row.cell_code = cell_for(state, c, user, l)?;
            row.lon = l.lon;
            row.lat = l.lat;
        }
        if let Some(r) = p.risk_level {
            row.risk_level = r.as_str().into();
        }
        if let Some(w) = p.responsible_worker_id {
            row.responsible_worker_id = w.to_string();
        }
        if let Some(a) = p.active {
            row.active = a;
        }
        recompute_due(c, &mut row)?;
        let now = state.clock.now_naive();
        row.version += 1;
        row.updated_at = now;
        if !store::update_if_version(c, &row, before.version)? {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                "the person changed meanwhile; read it again",
            ));
        }
        let action = match (p.active, p.responsible_worker_id) {
            (Some(false), _) => "person_archive",
            (_, Some(_)) => "person_transfer",
            _ => "person_update",
        };
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: Some(&user.id),
                action,
                entity_type: "person",
                entity_id: id,
                outcome: "success",
                ip: Some(&user.ip),
                detail: None,
            },
        )?;
        Ok(row)
    })
}

/// An audit entry of a read of special-population records by `user`.
fn audit_read(
    c: &mut DbConn,
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    entity_id: &str,
    outcome: &str,
    detail: Option<&str>,
) -> Result<()> {
    audit::append(
        c,
        state.clock.now_naive(),
        audit::Entry {
            actor_id: Some(&user.id),
            action,
            entity_type: "person",
            entity_id,
            outcome,
            ip: Some(&user.ip),
            detail,
        },
    )?;
    Ok(())
}

/// An audit entry of a bulk read: how many persons `user` was sent.
pub fn audit_bulk_read(
    c: &mut DbConn,
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    count: usize,
) -> Result<()> {
    if count == 0 {
        return Ok(());
    }
    audit_read(
        c,
        state,
        user,
        action,
        "",
        "success",
        Some(&format!("count={count}")),
    )
}

/// The query of a full read: why the reader opens the record (kept in the audit entry).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadQuery {
    pub reason: Option<String>,
}

/// Refuses a full read to a role that may not read persons at all, and writes the refusal
/// to the audit log.
pub async fn may_read(state: &Arc<AppState>, user: &CurrentUser, raw_id: &str) -> Result<()> {
    if let Err(refused) = scope_of(user) {
        let (st, u, id) = (Arc::clone(state), user.clone(), raw_id.to_string());
        state
            .db(move |c| audit_read(c, &st, &u, "person_view", &id, "refused", None))
            .await?;
        return Err(refused);
    }
    Ok(())
}

/// Reads a person in full and writes the read to the audit log with the reason given — a
/// missed read too (a refused one is [`may_read`]'s).
pub async fn read(
    state: &Arc<AppState>,
    user: &CurrentUser,
    raw_id: &str,
    query: ReadQuery,
) -> Result<Person> {
    may_read(state, user, raw_id).await?;
    let reason = query
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if let Some(r) = &reason {
        rules::validate_reason(r).map_err(Error::validation)?;
    }
    let id = parse_id(raw_id)?;
    let (st, u) = (Arc::clone(state), user.clone());
    state
        .db(move |c| read_full(&st, c, &u, &id, reason.as_deref()))
        .await
}

/// Reads a person in scope in full, audited with the reason the reader gave.
pub fn read_full(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    reason: Option<&str>,
) -> Result<Person> {
    let scope = scope_of(user)?;
    let found = store::find_in_scope(c, &scope, id)?;
    let outcome = if found.is_some() {
        "success"
    } else {
        "not_found"
    };
    let detail = reason.map(crate::flow::audit::reason_detail);
    audit_read(
        c,
        state,
        user,
        "person_view",
        id,
        outcome,
        detail.as_deref(),
    )?;
    full(
        state,
        &found.ok_or_else(Error::not_found)?,
        state.clock.now(),
    )
}

/// Records a visit (idempotent by its id), updating the person's schedule and, when the
/// visit says so, its risk level.
pub fn record_visit(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    new: &NewVisit,
) -> Result<(VisitRow, bool)> {
    let hash = body_hash(new);
    db::write_tx(c, |c| {
        let person = store::find_in_scope(c, &scope_of(user)?, id)?.ok_or_else(Error::not_found)?;
        if let Some(existing) = store::visit(c, &new.id.to_string())? {
            if existing.body_hash == hash && existing.person_id == person.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        if !person.active {
            return Err(Error::new(
                ErrorCode::InvalidTransition,
                "the person is archived",
            ));
        }
        let now: NaiveDateTime = state.clock.now_naive();
        let distance = Haversine.distance(
            Point::new(person.lon, person.lat),
            Point::new(new.location.lon, new.location.lat),
        );
        let mut visit = VisitRow {
            id: new.id.to_string(),
            person_id: person.id.clone(),
            visitor_id: user.id.clone(),
            visited_at: crate::core::time::to_db(new.visited_at),
            lon: new.location.lon,
            lat: new.location.lat,
            outcome: new.outcome.as_str().into(),
            note: new.note.trim().to_string(),
            risk_level: new.risk_level.map(|r| r.as_str().to_string()),
            distance_m: (distance * 10.0).round() / 10.0,
            far: distance > state.config.visit_far_m,
            // A met visit that becomes the latest closes the due period it answers.
            due_at: None,
            on_time: None,
            body_hash: hash.clone(),
            created_at: now,
            accuracy_m: new.accuracy_m,
            picked_on_map: new.picked_on_map,
        };
        let newest_met = person.last_met_at.is_none_or(|t| visit.visited_at > t);
        if new.outcome == Outcome::Met && newest_met {
            visit.due_at = person.next_visit_due;
            visit.on_time = person.next_visit_due.map(|d| visit.visited_at <= d);
        }
        store::insert_visit(c, &visit)?;
        let mut row = person.clone();
        // Visits may arrive out of order (offline phones): the schedule follows visit time.
        let latest = store::latest_visit(c, &row.id)?.expect("just inserted");
        row.last_visit_at = Some(latest.visited_at);
        row.last_outcome = Some(latest.outcome.clone());
        row.last_met_at = store::latest_met(c, &row.id)?;
        if let Some(r) = new.risk_level {
            row.risk_level = r.as_str().into();
        }
        recompute_due(c, &mut row)?;
        row.version += 1;
        row.updated_at = now;
        if !store::update_if_version(c, &row, person.version)? {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                "the person changed meanwhile; try again",
            ));
        }
        Ok((visit, true))
    })
}

/// Changes the visit-interval table and reschedules the persons it concerns.
pub fn set_interval(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    category: PersonCategory,
    risk: RiskLevel,
    days: i64,
) -> Result<()> {
    if !(1..=366).contains(&days) {
        return Err(Error::invalid("days", "must be from 1 to 366"));
    }
    db::write_tx(c, |c| {
        let now = state.clock.now_naive();
        store::set_interval(c, category.as_str(), risk.as_str(), days as i32, now)?;
        for mut row in store::of_category_and_risk(c, category.as_str(), risk.as_str())? {
            let v = row.version;
            recompute_due(c, &mut row)?;
            row.version += 1;
            row.updated_at = now;
            store::update_if_version(c, &row, v)?;
        }
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: Some(&user.id),
                action: "visit_interval_update",
                entity_type: "visit_interval",
                entity_id: &format!("{}/{}", category.as_str(), risk.as_str()),
                outcome: "success",
                ip: Some(&user.ip),
                detail: Some(&format!("days={days}")),
            },
        )?;
        Ok(())
    })
}

/// Rewrites every encrypted field under the current key (after a key rotation).
/// Returns how many persons were rewritten.
pub fn reencrypt_all(state: &AppState, c: &mut DbConn) -> Result<usize> {
    db::write_tx(c, |c| {
        let k = &state.keyring;
        let mut n = 0;
        for row in store::all(c)? {
            if [&row.name_enc, &row.id_number_enc, &row.address_enc]
                .iter()
                .all(|v| k.is_current(v))
            {
                continue;
            }
            let mut next = row.clone();
            for (field, value) in [
                ("name", &mut next.name_enc),
                ("id_number", &mut next.id_number_enc),
                ("address", &mut next.address_enc),
            ] {
                let plain = k
                    .decrypt(value, &aad(&row.id, field))
                    .map_err(Error::Unexpected)?;
                *value = k.encrypt(&plain, &aad(&row.id, field));
            }
            store::update_if_version(c, &next, row.version)?;
            n += 1;
        }
        Ok(n)
    })
}

/// Registers a person (the body is validated) and answers it as a list item.
pub fn register_item(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewPerson,
) -> Result<PersonItem> {
    new.validate().map_err(Error::validation)?;
    let (row, _) = register(state, c, user, new)?;
    item(state, &row, state.clock.now())
}

/// Changes a person (the patch is validated before the id is looked at) and answers it as
/// a list item.
pub fn patch_item(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    p: &PersonPatch,
) -> Result<PersonItem> {
    p.validate().map_err(Error::validation)?;
    let row = patch(state, c, user, &parse_id(id)?, p)?;
    item(state, &row, state.clock.now())
}

/// The persons list's query string (`limit` and `cursor` are read by the edge).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub id: Option<String>,
    pub cell: Option<String>,
    pub category: Option<String>,
    pub due: Option<String>,
    pub archived: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// Persons in the caller's scope, newest first, identity numbers masked; `due` counts days
/// in the district's time zone (`overdue`, `today`, `week`: the 7 days from today).
pub fn list(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    q: &ListQuery,
    page: &PageRequest,
) -> Result<(Vec<PersonItem>, Option<String>)> {
    let scope = scope_of(user)?;
    let now = state.clock.now();
    let mut f = Filter {
        id: q
            .id
            .as_deref()
            .map(|id| {
                Uuid::parse_str(id)
                    .map(|u| u.to_string())
                    .map_err(|_| Error::invalid("id", "must be a person's id (a UUID)"))
            })
            .transpose()?,
        cell: q
            .cell
            .as_deref()
            .map(crate::flow::cells::parse_cell)
            .transpose()?,
        ..Filter::default()
    };
    if let Some(cat) = &q.category {
        PersonCategory::parse(cat).ok_or_else(|| Error::invalid("category", "unknown category"))?;
        f.category = Some(cat.clone());
    }
    let calendar = &state.config.calendar;
    let today = calendar.day_start(calendar.local_date(now)).naive_utc();
    match q.due.as_deref() {
        None => {}
        Some("overdue") => f.due_to = Some(now.naive_utc()),
        Some("today") => (f.due_from, f.due_to) = (Some(today), Some(today + Duration::days(1))),
        Some("week") => (f.due_from, f.due_to) = (Some(today), Some(today + Duration::days(7))),
        Some(_) => return Err(Error::invalid("due", "must be overdue, today or week")),
    }
    f.include_archived = match q.archived.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(Error::invalid("archived", "must be true or false")),
    };
    let rows = store::list(c, &scope, &f, page)?;
    let out = page_of(
        rows,
        page,
        |r| Cursor::new(r.created_at, &r.id),
        |r| item(state, r, now),
    )?;
    audit_bulk_read(c, state, user, "persons_list", out.0.len())?;
    Ok(out)
}

/// A person's visits, latest first, if the person is in the caller's scope.
pub fn visits(
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    page: &PageRequest,
) -> Result<(Vec<Visit>, Option<String>)> {
    let scope = scope_of(user)?;
    store::find_in_scope(c, &scope, id)?.ok_or_else(Error::not_found)?;
    let rows = store::visits_of(c, id, page)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let photos = db::incidents::photos_of(c, "visit", &ids)?;
    page_of(
        rows,
        page,
        |r| Cursor::new(r.visited_at, &r.id),
        |r| visit_to_wire(r, &photos),
    )
}

/// The caller's persons with a visit due, soonest first (a worker's: those it is
/// responsible for).
pub fn due(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    page: &PageRequest,
) -> Result<(Vec<PersonItem>, Option<String>)> {
    let scope = scope_of(user)?;
    let now = state.clock.now();
    let responsible = (user.role == Role::Worker).then_some(user.id.as_str());
    let rows = store::due(c, &scope, responsible, page)?;
    let out = page_of(
        rows,
        page,
        |r| Cursor::new(r.next_visit_due.expect("filtered on"), &r.id),
        |r| item(state, r, now),
    )?;
    audit_bulk_read(c, state, user, "persons_due", out.0.len())?;
    Ok(out)
}

/// Days between visits per category and risk level.
pub fn intervals(c: &mut DbConn) -> Result<Vec<VisitInterval>> {
    Ok(store::intervals(c)?
        .into_iter()
        .filter_map(|(c, r, d)| {
            Some(VisitInterval {
                category: PersonCategory::parse(&c)?,
                risk_level: RiskLevel::parse(&r)?,
                days: i64::from(d),
            })
        })
        .collect())
}
