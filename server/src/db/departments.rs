//! District departments.

use diesel::prelude::*;

use super::DbConn;
use super::models::DepartmentRow;
use super::schema::departments::dsl as d;

pub fn insert(c: &mut DbConn, row: &DepartmentRow) -> QueryResult<()> {
    diesel::insert_into(d::departments)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<DepartmentRow>> {
    d::departments
        .find(id)
        .select(DepartmentRow::as_select())
        .first(c)
        .optional()
}

pub fn find_by_code(c: &mut DbConn, code: &str) -> QueryResult<Option<DepartmentRow>> {
    d::departments
        .filter(d::code.eq(code))
        .select(DepartmentRow::as_select())
        .first(c)
        .optional()
}

/// Every department by code (a district has a few dozen).
pub fn all(c: &mut DbConn) -> QueryResult<Vec<DepartmentRow>> {
    d::departments
        .select(DepartmentRow::as_select())
        .order(d::code.asc())
        .load(c)
}
