//! What Open311 reads: incidents of public categories, the names of their cells; and the
//! contact a submitter left, stored encrypted.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::models::{ContactRow, IncidentRow};
use super::schema::categories::dsl as cat;
use super::schema::cells::dsl as ce;
use super::schema::incidents::dsl as i;
use super::schema::open311_contacts::dsl as oc;

/// Statuses Open311 calls `closed`.
pub const CLOSED: [&str; 3] = ["closed", "rejected", "merged"];

/// Filters of `GET /open311/v2/requests`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// When given, every other filter is ignored.
    pub ids: Option<Vec<String>>,
    pub service_codes: Vec<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// `Some(true)`: closed only; `Some(false)`: open only.
    pub closed: Option<bool>,
}

/// Incidents of public categories matching `f`, newest first, at most `limit`.
pub fn public_requests(c: &mut DbConn, f: &Filter, limit: i64) -> QueryResult<Vec<IncidentRow>> {
    let public = cat::categories
        .filter(cat::public.eq(true))
        .select(cat::code);
    let mut q = i::incidents
        .filter(i::category.eq_any(public))
        .select(IncidentRow::as_select())
        .order((i::created_at.desc(), i::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(ids) = &f.ids {
        return q.filter(i::id.eq_any(ids.clone())).load(c);
    }
    if !f.service_codes.is_empty() {
        q = q.filter(i::category.eq_any(f.service_codes.clone()));
    }
    if let Some(from) = f.from {
        q = q.filter(i::created_at.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(i::created_at.le(to));
    }
    match f.closed {
        Some(true) => q = q.filter(i::status.eq_any(CLOSED)),
        Some(false) => q = q.filter(i::status.ne_all(CLOSED)),
        None => {}
    }
    q.load(c)
}

/// The names of cells by code (a retired cell's last name when it is no longer live).
pub fn cell_names(c: &mut DbConn, codes: &[String]) -> QueryResult<Vec<(String, String)>> {
    ce::cells
        .filter(ce::code.eq_any(codes))
        .select((ce::code, ce::name))
        .order(ce::valid_from.asc())
        .load(c)
}

pub fn insert_contact(c: &mut DbConn, row: &ContactRow) -> QueryResult<()> {
    diesel::insert_into(oc::open311_contacts)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn contact(c: &mut DbConn, incident_id: &str) -> QueryResult<Option<ContactRow>> {
    oc::open311_contacts
        .find(incident_id)
        .select(ContactRow::as_select())
        .first(c)
        .optional()
}
