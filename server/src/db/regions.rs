//! The region tree (district → town → community).

use diesel::prelude::*;

use super::models::RegionRow;
use super::schema::regions::dsl as r;
use super::{DbConn, like_prefix};

pub fn find(c: &mut DbConn, code: &str) -> QueryResult<Option<RegionRow>> {
    r::regions
        .find(code)
        .select(RegionRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, row: &RegionRow) -> QueryResult<()> {
    diesel::insert_into(r::regions)
        .values(row)
        .execute(c)
        .map(|_| ())
}

/// Regions in the subtree of `scope` (`""` = all), ordered by code.
pub fn list_under(c: &mut DbConn, scope: &str) -> QueryResult<Vec<RegionRow>> {
    r::regions
        .filter(r::code.like(like_prefix(scope)).escape('\\'))
        .select(RegionRow::as_select())
        .order(r::code.asc())
        .load(c)
}

pub fn list_codes(c: &mut DbConn, codes: &[String]) -> QueryResult<Vec<RegionRow>> {
    r::regions
        .filter(r::code.eq_any(codes))
        .select(RegionRow::as_select())
        .order(r::code.asc())
        .load(c)
}

/// Which of `codes` exist as communities.
pub fn existing_communities(c: &mut DbConn, codes: &[String]) -> QueryResult<Vec<String>> {
    r::regions
        .filter(r::code.eq_any(codes))
        .filter(r::level.eq("community"))
        .select(r::code)
        .load(c)
}
