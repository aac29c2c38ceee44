//! The yearly selections: campaigns and their nominations, and the honour roll.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::page::{Cursor, PageRequest};
use super::schema::campaigns::dsl as k;
use super::schema::nominations::dsl as n;
use super::schema::{campaigns, nominations};
use super::{DbConn, like_prefix};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = campaigns)]
pub struct CampaignRow {
    pub id: String,
    pub award: String,
    pub level: String,
    pub region_code: String,
    pub year: i32,
    pub quota: i32,
    pub selected: i32,
    pub nominations_close: NaiveDateTime,
    pub status: String,
    pub created_by: String,
    pub version: i64,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = nominations)]
pub struct NominationRow {
    pub id: String,
    pub campaign_id: String,
    pub nominee_name: String,
    pub nominee_region_code: String,
    pub story: String,
    pub status: String,
    pub nominated_by: String,
    pub version: i64,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Which campaigns a caller may read: those under its region (`under`, supervisors and
/// admins) and those of the regions its own places lie in (`ancestors`).
#[derive(Debug, Clone)]
pub struct CampaignScope {
    pub under: Option<String>,
    pub ancestors: Vec<String>,
}

type Boxed<'a> = campaigns::BoxedQuery<'a, <DbConn as Connection>::Backend>;

fn scoped(scope: &CampaignScope) -> Boxed<'static> {
    let q = k::campaigns.into_boxed();
    match &scope.under {
        Some(prefix) => q.filter(
            k::region_code
                .like(like_prefix(prefix))
                .escape('\\')
                .or(k::region_code.eq_any(scope.ancestors.clone())),
        ),
        None => q.filter(k::region_code.eq_any(scope.ancestors.clone())),
    }
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<CampaignRow>> {
    k::campaigns
        .find(id)
        .select(CampaignRow::as_select())
        .first(c)
        .optional()
}

pub fn find_in_scope(
    c: &mut DbConn,
    scope: &CampaignScope,
    id: &str,
) -> QueryResult<Option<CampaignRow>> {
    scoped(scope)
        .filter(k::id.eq(id.to_string()))
        .select(CampaignRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, row: &CampaignRow) -> QueryResult<()> {
    diesel::insert_into(k::campaigns).values(row).execute(c)?;
    super::sync::record(c, "campaign", &row.id, &row.region_code, row.updated_at)
}

pub fn update_if_version(c: &mut DbConn, row: &CampaignRow, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(k::campaigns.find(&row.id).filter(k::version.eq(expected)))
        .set(row)
        .execute(c)?;
    if n == 1 {
        super::sync::record(c, "campaign", &row.id, &row.region_code, row.updated_at)?;
    }
    Ok(n == 1)
}

/// Takes one of the campaign's `quota` places, if one is left (one statement, so two
/// selections at once cannot both take the last place).
pub fn take_place(c: &mut DbConn, campaign: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(k::campaigns.find(campaign).filter(k::selected.lt(k::quota)))
        .set((k::selected.eq(k::selected + 1), k::updated_at.eq(at)))
        .execute(c)?;
    Ok(n == 1)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub region: Option<String>,
    pub year: Option<i32>,
    pub status: Option<String>,
}

pub fn list(
    c: &mut DbConn,
    scope: &CampaignScope,
    f: &Filter,
    page: &PageRequest,
) -> QueryResult<Vec<CampaignRow>> {
    let mut q = scoped(scope);
    if let Some(region) = &f.region {
        q = q.filter(k::region_code.like(like_prefix(region)).escape('\\'));
    }
    if let Some(year) = f.year {
        q = q.filter(k::year.eq(year));
    }
    if let Some(status) = &f.status {
        q = q.filter(k::status.eq(status.clone()));
    }
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            k::created_at
                .lt(*created_at)
                .or(k::created_at.eq(*created_at).and(k::id.lt(id.clone()))),
        );
    }
    q.select(CampaignRow::as_select())
        .order((k::created_at.desc(), k::id.desc()))
        .limit(page.limit + 1)
        .load(c)
}

/// The open campaigns in scope (a pull's snapshot: there are few).
pub fn open_in_scope(c: &mut DbConn, scope: &CampaignScope) -> QueryResult<Vec<CampaignRow>> {
    scoped(scope)
        .filter(k::status.eq("open"))
        .select(CampaignRow::as_select())
        .order((k::created_at.asc(), k::id.asc()))
        .load(c)
}

pub fn by_ids_in_scope(
    c: &mut DbConn,
    scope: &CampaignScope,
    ids: &[String],
) -> QueryResult<Vec<CampaignRow>> {
    scoped(scope)
        .filter(k::id.eq_any(ids.to_vec()))
        .select(CampaignRow::as_select())
        .load(c)
}

pub fn find_nomination(c: &mut DbConn, id: &str) -> QueryResult<Option<NominationRow>> {
    n::nominations
        .find(id)
        .select(NominationRow::as_select())
        .first(c)
        .optional()
}

pub fn insert_nomination(c: &mut DbConn, row: &NominationRow) -> QueryResult<()> {
    diesel::insert_into(n::nominations)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn update_nomination_if_version(
    c: &mut DbConn,
    row: &NominationRow,
    expected: i64,
) -> QueryResult<bool> {
    let count = diesel::update(n::nominations.find(&row.id).filter(n::version.eq(expected)))
        .set(row)
        .execute(c)?;
    Ok(count == 1)
}

/// A campaign's nominations, oldest first.
pub fn nominations_of(c: &mut DbConn, campaign: &str) -> QueryResult<Vec<NominationRow>> {
    n::nominations
        .filter(n::campaign_id.eq(campaign))
        .select(NominationRow::as_select())
        .order((n::created_at.asc(), n::id.asc()))
        .load(c)
}

/// The honour roll: the selected nominations of announced campaigns at or under `region`
/// (`""`: everywhere), of `year` if given; the latest year first, then the district's
/// awards before the towns' and the communities'.
pub fn honours(
    c: &mut DbConn,
    region: &str,
    year: Option<i32>,
) -> QueryResult<Vec<(CampaignRow, NominationRow)>> {
    let mut q = k::campaigns
        .inner_join(n::nominations.on(n::campaign_id.eq(k::id)))
        .filter(k::status.eq("announced"))
        .filter(n::status.eq("selected"))
        .filter(k::region_code.like(like_prefix(region)).escape('\\'))
        .into_boxed();
    if let Some(y) = year {
        q = q.filter(k::year.eq(y));
    }
    q.select((CampaignRow::as_select(), NominationRow::as_select()))
        .order((
            k::year.desc(),
            k::region_code.asc(),
            k::award.asc(),
            n::created_at.asc(),
            n::id.asc(),
        ))
        .load(c)
}
