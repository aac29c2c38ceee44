//! Safety units, their inspections and hazards.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{HazardRow, InspectionRow, UnitRow};
use super::page::{Cursor, PageRequest};
use super::schema::cell_workers::dsl as cw;
use super::schema::hazards::dsl as hz;
use super::schema::inspections::dsl as ins;
use super::schema::safety_units::dsl as u;
use super::{DbConn, like_prefix};

#[derive(Debug, Clone)]
pub enum UnitScope {
    All,
    Region(String),
    /// Units in the worker's assigned cells or registered by it.
    Worker(String),
}

type Boxed<'a> = super::schema::safety_units::BoxedQuery<'a, <DbConn as Connection>::Backend>;

fn scoped(scope: &UnitScope) -> Boxed<'static> {
    let q = u::safety_units.into_boxed();
    match scope {
        UnitScope::All => q,
        UnitScope::Region(prefix) => q.filter(u::cell_code.like(like_prefix(prefix)).escape('\\')),
        UnitScope::Worker(uid) => q.filter(
            u::created_by.eq(uid.clone()).or(u::cell_code.eq_any(
                cw::cell_workers
                    .filter(cw::user_id.eq(uid.clone()))
                    .select(cw::cell_code),
            )),
        ),
    }
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<UnitRow>> {
    u::safety_units
        .find(id)
        .select(UnitRow::as_select())
        .first(c)
        .optional()
}

pub fn find_in_scope(c: &mut DbConn, scope: &UnitScope, id: &str) -> QueryResult<Option<UnitRow>> {
    scoped(scope)
        .filter(u::id.eq(id.to_string()))
        .select(UnitRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, row: &UnitRow) -> QueryResult<()> {
    diesel::insert_into(u::safety_units)
        .values(row)
        .execute(c)?;
    super::sync::record(c, "unit", &row.id, &row.cell_code, row.updated_at)
}

pub fn update_if_version(c: &mut DbConn, row: &UnitRow, expected: i64) -> QueryResult<bool> {
    let previous_cell: Option<String> = u::safety_units
        .find(&row.id)
        .select(u::cell_code)
        .first(c)
        .optional()?;
    let n = diesel::update(
        u::safety_units
            .find(&row.id)
            .filter(u::version.eq(expected)),
    )
    .set(row)
    .execute(c)?;
    if n == 1 {
        super::sync::record(c, "unit", &row.id, &row.cell_code, row.updated_at)?;
        if let Some(cell) = previous_cell.filter(|c| *c != row.cell_code) {
            super::sync::record(c, "unit", &row.id, &cell, row.updated_at)?;
        }
    }
    Ok(n == 1)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub cell: Option<String>,
    pub region: Option<String>,
    pub kind: Option<String>,
    /// `unknown | safe | hazard | overdue`, judged at `now`.
    pub status: Option<(String, NaiveDateTime)>,
}

fn filtered(scope: &UnitScope, f: &Filter) -> Boxed<'static> {
    let mut q = scoped(scope);
    if let Some(cell) = &f.cell {
        q = q.filter(u::cell_code.eq(cell.clone()));
    }
    if let Some(region) = &f.region {
        q = q.filter(u::cell_code.like(like_prefix(region)).escape('\\'));
    }
    if let Some(kind) = &f.kind {
        q = q.filter(u::kind.eq(kind.clone()));
    }
    if let Some((status, now)) = &f.status {
        q = match status.as_str() {
            "unknown" => q.filter(u::last_inspected_at.is_null()),
            "safe" => q
                .filter(u::last_inspected_at.is_not_null())
                .filter(u::open_hazards.eq(0)),
            "hazard" => q
                .filter(u::open_hazards.gt(0))
                .filter(u::earliest_open_deadline.ge(*now)),
            _ => q
                .filter(u::open_hazards.gt(0))
                .filter(u::earliest_open_deadline.lt(*now)),
        };
    }
    q
}

pub fn list(
    c: &mut DbConn,
    scope: &UnitScope,
    f: &Filter,
    page: &PageRequest,
) -> QueryResult<Vec<UnitRow>> {
    let mut q = filtered(scope, f);
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            u::created_at
                .lt(*created_at)
                .or(u::created_at.eq(*created_at).and(u::id.lt(id.clone()))),
        );
    }
    q.select(UnitRow::as_select())
        .order((u::created_at.desc(), u::id.desc()))
        .limit(page.limit + 1)
        .load(c)
}

/// Every unit in scope and filter (for roll-ups).
pub fn all_in(c: &mut DbConn, scope: &UnitScope, f: &Filter) -> QueryResult<Vec<UnitRow>> {
    filtered(scope, f).select(UnitRow::as_select()).load(c)
}

pub fn insert_inspection(c: &mut DbConn, row: &InspectionRow) -> QueryResult<()> {
    diesel::insert_into(ins::inspections)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn inspection(c: &mut DbConn, id: &str) -> QueryResult<Option<InspectionRow>> {
    ins::inspections
        .find(id)
        .select(InspectionRow::as_select())
        .first(c)
        .optional()
}

/// A unit's inspections, newest first.
pub fn inspections_of(c: &mut DbConn, unit: &str) -> QueryResult<Vec<InspectionRow>> {
    ins::inspections
        .filter(ins::unit_id.eq(unit))
        .select(InspectionRow::as_select())
        .order((ins::inspected_at.desc(), ins::id.desc()))
        .load(c)
}

pub fn insert_hazard(c: &mut DbConn, row: &HazardRow) -> QueryResult<()> {
    diesel::insert_into(hz::hazards)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn hazards_of(c: &mut DbConn, unit: &str) -> QueryResult<Vec<HazardRow>> {
    hz::hazards
        .filter(hz::unit_id.eq(unit))
        .select(HazardRow::as_select())
        .order((hz::deadline.asc(), hz::id.asc()))
        .load(c)
}

/// Closes every open hazard of a unit (a `safe` inspection).
pub fn close_hazards(
    c: &mut DbConn,
    unit: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        hz::hazards
            .filter(hz::unit_id.eq(unit))
            .filter(hz::closed_at.is_null()),
    )
    .set((hz::closed_at.eq(at), hz::closed_by.eq(by)))
    .execute(c)
}

pub fn by_ids_in_scope(
    c: &mut DbConn,
    scope: &UnitScope,
    ids: &[String],
) -> QueryResult<Vec<UnitRow>> {
    scoped(scope)
        .filter(u::id.eq_any(ids.to_vec()))
        .select(UnitRow::as_select())
        .load(c)
}

pub fn snapshot(
    c: &mut DbConn,
    scope: &UnitScope,
    after: &Cursor,
    limit: i64,
) -> QueryResult<Vec<UnitRow>> {
    scoped(scope)
        .filter(
            u::created_at.gt(after.created_at).or(u::created_at
                .eq(after.created_at)
                .and(u::id.gt(after.id.clone()))),
        )
        .select(UnitRow::as_select())
        .order((u::created_at.asc(), u::id.asc()))
        .limit(limit)
        .load(c)
}

pub fn ids_in_cells(c: &mut DbConn, cells: &[String]) -> QueryResult<Vec<String>> {
    u::safety_units
        .filter(u::cell_code.eq_any(cells))
        .select(u::id)
        .load(c)
}
