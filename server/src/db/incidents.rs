//! Incidents, their history, mediation sessions, categories and photos.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{CategoryRow, HistoryRow, IncidentRow, MediationRow, PhotoRow};
use super::page::{Cursor, PageRequest};
use super::schema::categories::dsl as cat;
use super::schema::cell_workers::dsl as cw;
use super::schema::incident_history::dsl as h;
use super::schema::incidents::dsl as i;
use super::schema::mediations::dsl as m;
use super::schema::photos::dsl as ph;
use super::{DbConn, like_prefix};

/// Which incidents a caller may see.
#[derive(Debug, Clone)]
pub enum IncidentScope {
    All,
    /// Incidents in cells under this region code (supervisors).
    Region(String),
    /// Incidents in the worker's assigned cells, reported by it or assigned to it.
    Worker(String),
    /// Incidents the caller reported (volunteers).
    Reporter(String),
    /// Incidents dispatched to this department (its staff).
    Department(String),
}

type Boxed<'a> = super::schema::incidents::BoxedQuery<'a, <DbConn as Connection>::Backend>;

fn scoped(scope: &IncidentScope) -> Boxed<'static> {
    let q = i::incidents.into_boxed();
    match scope {
        IncidentScope::All => q,
        IncidentScope::Region(prefix) => {
            q.filter(i::cell_code.like(like_prefix(prefix)).escape('\\'))
        }
        IncidentScope::Worker(uid) => q.filter(
            i::cell_code
                .eq_any(
                    cw::cell_workers
                        .filter(cw::user_id.eq(uid.clone()))
                        .select(cw::cell_code),
                )
                .or(i::reporter_id.eq(uid.clone()))
                .or(i::assignee_id.eq(uid.clone())),
        ),
        IncidentScope::Reporter(uid) => q.filter(i::reporter_id.eq(uid.clone())),
        IncidentScope::Department(d) => q.filter(i::department_id.eq(d.clone())),
    }
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<IncidentRow>> {
    i::incidents
        .find(id)
        .select(IncidentRow::as_select())
        .first(c)
        .optional()
}

pub fn find_in_scope(
    c: &mut DbConn,
    scope: &IncidentScope,
    id: &str,
) -> QueryResult<Option<IncidentRow>> {
    scoped(scope)
        .filter(i::id.eq(id.to_string()))
        .select(IncidentRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, row: &IncidentRow) -> QueryResult<()> {
    diesel::insert_into(i::incidents).values(row).execute(c)?;
    super::sync::record(c, "incident", &row.id, &row.cell_code, row.updated_at)
}

/// Writes `row` if the stored version is still `expected`; false when someone got there first.
pub fn update_if_version(c: &mut DbConn, row: &IncidentRow, expected: i64) -> QueryResult<bool> {
    let previous: Option<(Option<String>, String, Option<String>)> = i::incidents
        .find(&row.id)
        .select((i::assignee_id, i::cell_code, i::department_id))
        .first(c)
        .optional()?;
    let n = diesel::update(i::incidents.find(&row.id).filter(i::version.eq(expected)))
        .set(row)
        .execute(c)?;
    if n == 1 {
        super::sync::record(c, "incident", &row.id, &row.cell_code, row.updated_at)?;
        if let Some((assignee, cell, department)) = previous {
            if cell != row.cell_code {
                super::sync::record(c, "incident", &row.id, &cell, row.updated_at)?;
            }
            if let Some(was) = assignee.filter(|a| Some(a) != row.assignee_id.as_ref()) {
                super::sync::record_loss(c, "incident", &row.id, &cell, &was, row.updated_at)?;
            }
            // Taken from a department: its staff's phones learn it by the department's id.
            if let Some(was) = department.filter(|d| Some(d) != row.department_id.as_ref()) {
                super::sync::record_loss(c, "incident", &row.id, &cell, &was, row.updated_at)?;
            }
        }
    }
    Ok(n == 1)
}

/// List filters of `GET /incidents`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<String>,
    pub cell: Option<String>,
    pub region: Option<String>,
    pub category: Option<String>,
    pub level: Option<String>,
    /// Unresolved and past due at this instant.
    pub overdue_at: Option<NaiveDateTime>,
    pub assignee: Option<String>,
    pub reporter: Option<String>,
    pub department: Option<String>,
}

/// Statuses in which the deadline still runs.
pub const UNRESOLVED: [&str; 5] = [
    "reported",
    "accepted",
    "dispatched",
    "in_progress",
    "rework",
];

pub fn list(
    c: &mut DbConn,
    scope: &IncidentScope,
    f: &Filter,
    page: &PageRequest,
) -> QueryResult<Vec<IncidentRow>> {
    let mut q = scoped(scope);
    if !f.statuses.is_empty() {
        q = q.filter(i::status.eq_any(f.statuses.clone()));
    }
    if let Some(cell) = &f.cell {
        q = q.filter(i::cell_code.eq(cell.clone()));
    }
    if let Some(region) = &f.region {
        q = q.filter(i::cell_code.like(like_prefix(region)).escape('\\'));
    }
    if let Some(category) = &f.category {
        // A 2-digit class selects all its subclasses.
        q = if category.len() == 2 {
            q.filter(i::category.like(like_prefix(category)).escape('\\'))
        } else {
            q.filter(i::category.eq(category.clone()))
        };
    }
    if let Some(level) = &f.level {
        q = q.filter(i::level.eq(level.clone()));
    }
    if let Some(now) = f.overdue_at {
        q = q
            .filter(i::due_at.lt(now))
            .filter(i::status.eq_any(UNRESOLVED));
    }
    if let Some(a) = &f.assignee {
        q = q.filter(i::assignee_id.eq(a.clone()));
    }
    if let Some(r) = &f.reporter {
        q = q.filter(i::reporter_id.eq(r.clone()));
    }
    if let Some(d) = &f.department {
        q = q.filter(i::department_id.eq(d.clone()));
    }
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            i::created_at
                .lt(*created_at)
                .or(i::created_at.eq(*created_at).and(i::id.lt(id.clone()))),
        );
    }
    q.select(IncidentRow::as_select())
        .order((i::created_at.desc(), i::id.desc()))
        .limit(page.limit + 1)
        .load(c)
}

/// Open incidents of a category inside a lon/lat box, registered since `since`.
pub fn open_near(
    c: &mut DbConn,
    category: &str,
    [min_lon, min_lat, max_lon, max_lat]: [f64; 4],
    since: NaiveDateTime,
) -> QueryResult<Vec<IncidentRow>> {
    i::incidents
        .filter(i::category.eq(category))
        .filter(i::lat.between(min_lat, max_lat))
        .filter(i::lon.between(min_lon, max_lon))
        .filter(i::created_at.ge(since))
        .filter(i::status.ne_all(["closed", "rejected"]))
        .select(IncidentRow::as_select())
        .order(i::created_at.desc())
        .limit(50)
        .load(c)
}

/// Unresolved incidents below district level whose deadline has passed.
pub fn due_for_escalation(
    c: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<IncidentRow>> {
    i::incidents
        .filter(i::status.eq_any(UNRESOLVED))
        .filter(i::due_at.lt(now))
        .filter(i::level.ne("district"))
        .select(IncidentRow::as_select())
        .order(i::due_at.asc())
        .limit(limit)
        .load(c)
}

/// A page of unresolved incidents after id `after` (by id), each with the instant it
/// entered its current level: its last escalation, or its registration.
pub fn unresolved_with_level_start(
    c: &mut DbConn,
    after: &str,
    limit: i64,
) -> QueryResult<Vec<(IncidentRow, NaiveDateTime)>> {
    let rows: Vec<IncidentRow> = i::incidents
        .filter(i::status.eq_any(UNRESOLVED))
        .filter(i::id.gt(after))
        .select(IncidentRow::as_select())
        .order(i::id.asc())
        .limit(limit)
        .load(c)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let escalated: Vec<(String, Option<NaiveDateTime>)> = h::incident_history
        .filter(h::incident_id.eq_any(&ids))
        .filter(h::action.eq("escalate"))
        .group_by(h::incident_id)
        .select((h::incident_id, diesel::dsl::max(h::at)))
        .load(c)?;
    let last: std::collections::HashMap<String, NaiveDateTime> = escalated
        .into_iter()
        .filter_map(|(id, at)| Some((id, at?)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let start = match r.level.as_str() {
                "community" => r.created_at,
                _ => last.get(&r.id).copied().unwrap_or(r.created_at),
            };
            (r, start)
        })
        .collect())
}

/// Sets an incident's deadline (the working calendar changed), for the phones to pull.
pub fn set_due_at(
    c: &mut DbConn,
    row: &IncidentRow,
    due_at: NaiveDateTime,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(i::incidents.find(&row.id))
        .set((i::due_at.eq(due_at), i::updated_at.eq(at)))
        .execute(c)?;
    super::sync::record(c, "incident", &row.id, &row.cell_code, at)
}

pub fn add_history(c: &mut DbConn, row: &HistoryRow) -> QueryResult<()> {
    diesel::insert_into(h::incident_history)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn history(c: &mut DbConn, incident: &str) -> QueryResult<Vec<HistoryRow>> {
    h::incident_history
        .filter(h::incident_id.eq(incident))
        .select(HistoryRow::as_select())
        .order((h::at.asc(), h::id.asc()))
        .load(c)
}

pub fn categories(c: &mut DbConn) -> QueryResult<Vec<CategoryRow>> {
    cat::categories
        .select(CategoryRow::as_select())
        .order(cat::code.asc())
        .load(c)
}

pub fn category(c: &mut DbConn, code: &str) -> QueryResult<Option<CategoryRow>> {
    cat::categories
        .find(code)
        .select(CategoryRow::as_select())
        .first(c)
        .optional()
}

pub fn update_category(c: &mut DbConn, row: &CategoryRow) -> QueryResult<()> {
    diesel::update(cat::categories.find(&row.code))
        .set((
            cat::name.eq(&row.name),
            cat::name_en.eq(&row.name_en),
            cat::deadline_community.eq(row.deadline_community),
            cat::deadline_town.eq(row.deadline_town),
            cat::deadline_district.eq(row.deadline_district),
            cat::updated_at.eq(row.updated_at),
            cat::public.eq(row.public),
        ))
        .execute(c)?;
    super::sync::record(c, "category", &row.code, "", row.updated_at)
}

pub fn insert_mediation(c: &mut DbConn, row: &MediationRow) -> QueryResult<()> {
    diesel::insert_into(m::mediations)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn mediation(c: &mut DbConn, id: &str) -> QueryResult<Option<MediationRow>> {
    m::mediations
        .find(id)
        .select(MediationRow::as_select())
        .first(c)
        .optional()
}

pub fn mediations(c: &mut DbConn, incident: &str) -> QueryResult<Vec<MediationRow>> {
    m::mediations
        .filter(m::incident_id.eq(incident))
        .select(MediationRow::as_select())
        .order((m::held_at.asc(), m::id.asc()))
        .load(c)
}

pub fn insert_photo(c: &mut DbConn, row: &PhotoRow) -> QueryResult<()> {
    diesel::insert_into(ph::photos)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn photo(c: &mut DbConn, id: &str) -> QueryResult<Option<PhotoRow>> {
    ph::photos
        .find(id)
        .select(PhotoRow::as_select())
        .first(c)
        .optional()
}

/// How many photos a record has.
pub fn photo_count(c: &mut DbConn, owner_type: &str, owner_id: &str) -> QueryResult<i64> {
    ph::photos
        .filter(ph::owner_type.eq(owner_type))
        .filter(ph::owner_id.eq(owner_id))
        .count()
        .get_result(c)
}

/// Who took the step `id` of an incident (`Some(None)` for the system); `None` when the
/// incident's history has no such entry.
pub fn step_actor(c: &mut DbConn, incident: &str, id: &str) -> QueryResult<Option<Option<String>>> {
    h::incident_history
        .filter(h::incident_id.eq(incident))
        .filter(h::id.eq(id))
        .select(h::actor_id)
        .first(c)
        .optional()
}

/// Whether any incident's history has the entry `id`.
pub fn step_taken(c: &mut DbConn, id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        h::incident_history.filter(h::id.eq(id)),
    ))
    .get_result(c)
}

/// How many history entries of one action an incident has.
pub fn history_count(c: &mut DbConn, incident: &str, action: &str) -> QueryResult<i64> {
    h::incident_history
        .filter(h::incident_id.eq(incident))
        .filter(h::action.eq(action))
        .count()
        .get_result(c)
}

pub fn photo_by_sha(
    c: &mut DbConn,
    owner_type: &str,
    owner_id: &str,
    sha: &str,
) -> QueryResult<Option<PhotoRow>> {
    ph::photos
        .filter(ph::owner_type.eq(owner_type))
        .filter(ph::owner_id.eq(owner_id))
        .filter(ph::sha256.eq(sha))
        .select(PhotoRow::as_select())
        .first(c)
        .optional()
}

/// Photos of several owners of one type, oldest first.
pub fn photos_of(
    c: &mut DbConn,
    owner_type: &str,
    owner_ids: &[String],
) -> QueryResult<Vec<PhotoRow>> {
    ph::photos
        .filter(ph::owner_type.eq(owner_type))
        .filter(ph::owner_id.eq_any(owner_ids))
        .select(PhotoRow::as_select())
        .order((ph::created_at.asc(), ph::id.asc()))
        .load(c)
}

/// Which of `ids` the scope may see.
pub fn visible_ids(
    c: &mut DbConn,
    scope: &IncidentScope,
    ids: &[String],
) -> QueryResult<Vec<String>> {
    scoped(scope)
        .filter(i::id.eq_any(ids.to_vec()))
        .select(i::id)
        .load(c)
}

/// The incidents with these ids that the scope may see.
pub fn by_ids_in_scope(
    c: &mut DbConn,
    scope: &IncidentScope,
    ids: &[String],
) -> QueryResult<Vec<IncidentRow>> {
    scoped(scope)
        .filter(i::id.eq_any(ids.to_vec()))
        .select(IncidentRow::as_select())
        .load(c)
}

/// Incidents in scope, oldest first after `(created_at, id)` (snapshot paging).
pub fn snapshot(
    c: &mut DbConn,
    scope: &IncidentScope,
    after: &Cursor,
    limit: i64,
) -> QueryResult<Vec<IncidentRow>> {
    scoped(scope)
        .filter(
            i::created_at.gt(after.created_at).or(i::created_at
                .eq(after.created_at)
                .and(i::id.gt(after.id.clone()))),
        )
        .select(IncidentRow::as_select())
        .order((i::created_at.asc(), i::id.asc()))
        .limit(limit)
        .load(c)
}

/// Ids of incidents in these cells.
pub fn ids_in_cells(c: &mut DbConn, cells: &[String]) -> QueryResult<Vec<String>> {
    i::incidents
        .filter(i::cell_code.eq_any(cells))
        .select(i::id)
        .load(c)
}
