//! Special-population persons, their visits and the visit-interval table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{PersonRow, VisitRow};
use super::page::{Cursor, PageRequest};
use super::schema::cell_workers::dsl as cw;
use super::schema::persons::dsl as p;
use super::schema::visit_intervals::dsl as vi;
use super::schema::visits::dsl as v;
use super::{DbConn, like_prefix};

/// Which persons a caller may see.
#[derive(Debug, Clone)]
pub enum PersonScope {
    All,
    Region(String),
    /// Persons the worker is responsible for or who live in its assigned cells.
    Worker(String),
}

type Boxed<'a> = super::schema::persons::BoxedQuery<'a, <DbConn as Connection>::Backend>;

fn scoped(scope: &PersonScope) -> Boxed<'static> {
    let q = p::persons.into_boxed();
    match scope {
        PersonScope::All => q,
        PersonScope::Region(prefix) => {
            q.filter(p::cell_code.like(like_prefix(prefix)).escape('\\'))
        }
        PersonScope::Worker(uid) => q.filter(
            p::responsible_worker_id
                .eq(uid.clone())
                .or(p::cell_code.eq_any(
                    cw::cell_workers
                        .filter(cw::user_id.eq(uid.clone()))
                        .select(cw::cell_code),
                )),
        ),
    }
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<PersonRow>> {
    p::persons
        .find(id)
        .select(PersonRow::as_select())
        .first(c)
        .optional()
}

pub fn find_in_scope(
    c: &mut DbConn,
    scope: &PersonScope,
    id: &str,
) -> QueryResult<Option<PersonRow>> {
    scoped(scope)
        .filter(p::id.eq(id.to_string()))
        .select(PersonRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, row: &PersonRow) -> QueryResult<()> {
    diesel::insert_into(p::persons).values(row).execute(c)?;
    super::sync::record(c, "person", &row.id, &row.cell_code, row.updated_at)
}

pub fn update_if_version(c: &mut DbConn, row: &PersonRow, expected: i64) -> QueryResult<bool> {
    let previous: Option<(String, String)> = p::persons
        .find(&row.id)
        .select((p::responsible_worker_id, p::cell_code))
        .first(c)
        .optional()?;
    let n = diesel::update(p::persons.find(&row.id).filter(p::version.eq(expected)))
        .set(row)
        .execute(c)?;
    if n == 1 {
        super::sync::record(c, "person", &row.id, &row.cell_code, row.updated_at)?;
        if let Some((worker, cell)) = previous {
            // Moved to another cell: those who saw it through the old one hear of it too.
            if cell != row.cell_code {
                super::sync::record(c, "person", &row.id, &cell, row.updated_at)?;
            }
            if worker != row.responsible_worker_id {
                super::sync::record_loss(c, "person", &row.id, &cell, &worker, row.updated_at)?;
            }
        }
    }
    Ok(n == 1)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One person (its page), when given.
    pub id: Option<String>,
    pub cell: Option<String>,
    pub category: Option<String>,
    /// `next_visit_due` in `[from, to)`; `from` None means "any time before `to`".
    pub due_from: Option<NaiveDateTime>,
    pub due_to: Option<NaiveDateTime>,
    pub include_archived: bool,
}

pub fn list(
    c: &mut DbConn,
    scope: &PersonScope,
    f: &Filter,
    page: &PageRequest,
) -> QueryResult<Vec<PersonRow>> {
    let mut q = scoped(scope);
    if let Some(id) = &f.id {
        q = q.filter(p::id.eq(id.clone()));
    }
    if let Some(cell) = &f.cell {
        q = q.filter(p::cell_code.eq(cell.clone()));
    }
    if let Some(cat) = &f.category {
        q = q.filter(p::category.eq(cat.clone()));
    }
    if let Some(from) = f.due_from {
        q = q.filter(p::next_visit_due.ge(from));
    }
    if let Some(to) = f.due_to {
        q = q.filter(p::next_visit_due.lt(to));
    }
    if !f.include_archived {
        q = q.filter(p::active.eq(true));
    }
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            p::created_at
                .lt(*created_at)
                .or(p::created_at.eq(*created_at).and(p::id.lt(id.clone()))),
        );
    }
    q.select(PersonRow::as_select())
        .order((p::created_at.desc(), p::id.desc()))
        .limit(page.limit + 1)
        .load(c)
}

/// Active persons with a visit due, soonest first; the cursor is `(next_visit_due, id)`.
pub fn due(
    c: &mut DbConn,
    scope: &PersonScope,
    responsible: Option<&str>,
    page: &PageRequest,
) -> QueryResult<Vec<PersonRow>> {
    let mut q = scoped(scope)
        .filter(p::active.eq(true))
        .filter(p::next_visit_due.is_not_null());
    if let Some(uid) = responsible {
        q = q.filter(p::responsible_worker_id.eq(uid.to_string()));
    }
    if let Some(Cursor {
        created_at: due,
        id,
    }) = &page.after
    {
        q = q.filter(
            p::next_visit_due
                .gt(*due)
                .or(p::next_visit_due.eq(*due).and(p::id.gt(id.clone()))),
        );
    }
    q.select(PersonRow::as_select())
        .order((p::next_visit_due.asc(), p::id.asc()))
        .limit(page.limit + 1)
        .load(c)
}

pub fn all(c: &mut DbConn) -> QueryResult<Vec<PersonRow>> {
    p::persons.select(PersonRow::as_select()).load(c)
}

pub fn of_category_and_risk(
    c: &mut DbConn,
    category: &str,
    risk: &str,
) -> QueryResult<Vec<PersonRow>> {
    p::persons
        .filter(p::category.eq(category))
        .filter(p::risk_level.eq(risk))
        .select(PersonRow::as_select())
        .load(c)
}

pub fn insert_visit(c: &mut DbConn, row: &VisitRow) -> QueryResult<()> {
    diesel::insert_into(v::visits)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn visit(c: &mut DbConn, id: &str) -> QueryResult<Option<VisitRow>> {
    v::visits
        .find(id)
        .select(VisitRow::as_select())
        .first(c)
        .optional()
}

/// A person's visits, newest first.
pub fn visits_of(c: &mut DbConn, person: &str, page: &PageRequest) -> QueryResult<Vec<VisitRow>> {
    let mut q = v::visits
        .filter(v::person_id.eq(person.to_string()))
        .into_boxed();
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            v::visited_at
                .lt(*created_at)
                .or(v::visited_at.eq(*created_at).and(v::id.lt(id.clone()))),
        );
    }
    q.select(VisitRow::as_select())
        .order((v::visited_at.desc(), v::id.desc()))
        .limit(page.limit + 1)
        .load(c)
}

/// The latest visit of a person by visit time (not by arrival: offline visits arrive late).
pub fn latest_visit(c: &mut DbConn, person: &str) -> QueryResult<Option<VisitRow>> {
    v::visits
        .filter(v::person_id.eq(person))
        .select(VisitRow::as_select())
        .order((v::visited_at.desc(), v::id.desc()))
        .first(c)
        .optional()
}

pub fn latest_met(c: &mut DbConn, person: &str) -> QueryResult<Option<NaiveDateTime>> {
    v::visits
        .filter(v::person_id.eq(person))
        .filter(v::outcome.eq("met"))
        .select(diesel::dsl::max(v::visited_at))
        .first(c)
}

pub fn interval(c: &mut DbConn, category: &str, risk: &str) -> QueryResult<Option<i32>> {
    vi::visit_intervals
        .find((category, risk))
        .select(vi::days)
        .first(c)
        .optional()
}

pub fn intervals(c: &mut DbConn) -> QueryResult<Vec<(String, String, i32)>> {
    vi::visit_intervals
        .select((vi::category, vi::risk_level, vi::days))
        .order((vi::category.asc(), vi::risk_level.asc()))
        .load(c)
}

pub fn set_interval(
    c: &mut DbConn,
    category: &str,
    risk: &str,
    days: i32,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(vi::visit_intervals.find((category, risk)))
        .set((vi::days.eq(days), vi::updated_at.eq(at)))
        .execute(c)
        .map(|_| ())
}

pub fn by_ids_in_scope(
    c: &mut DbConn,
    scope: &PersonScope,
    ids: &[String],
) -> QueryResult<Vec<PersonRow>> {
    scoped(scope)
        .filter(p::id.eq_any(ids.to_vec()))
        .select(PersonRow::as_select())
        .load(c)
}

pub fn snapshot(
    c: &mut DbConn,
    scope: &PersonScope,
    after: &Cursor,
    limit: i64,
) -> QueryResult<Vec<PersonRow>> {
    scoped(scope)
        .filter(
            p::created_at.gt(after.created_at).or(p::created_at
                .eq(after.created_at)
                .and(p::id.gt(after.id.clone()))),
        )
        .select(PersonRow::as_select())
        .order((p::created_at.asc(), p::id.asc()))
        .limit(limit)
        .load(c)
}

pub fn ids_in_cells(c: &mut DbConn, cells: &[String]) -> QueryResult<Vec<String>> {
    p::persons
        .filter(p::cell_code.eq_any(cells))
        .select(p::id)
        .load(c)
}
