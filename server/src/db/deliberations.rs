//! The deliberation hall: items, their sessions and their history.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::page::{Cursor, PageRequest};
use super::schema::deliberation_history::dsl as h;
use super::schema::deliberation_sessions::dsl as s;
use super::schema::deliberations::dsl as d;
use super::schema::{deliberation_history, deliberation_sessions, deliberations};
use super::{DbConn, like_prefix};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = deliberations, treat_none_as_null = true)]
pub struct DeliberationRow {
    pub id: String,
    pub region_code: String,
    pub title: String,
    pub description: String,
    pub source_incident_id: Option<String>,
    pub status: String,
    pub decision: Option<String>,
    pub outcome: Option<String>,
    pub raised_by: String,
    pub version: i64,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub done_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = deliberation_sessions)]
pub struct SessionRow {
    pub id: String,
    pub deliberation_id: String,
    pub held_at: NaiveDateTime,
    pub place: String,
    pub attendees: i64,
    pub votes_for: i64,
    pub votes_against: i64,
    pub votes_abstain: i64,
    pub passed: bool,
    pub minutes: String,
    pub recorded_by: String,
    pub body_hash: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = deliberation_history)]
pub struct StepRow {
    pub id: String,
    pub deliberation_id: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: Option<String>,
}

/// Which items a caller may read.
#[derive(Debug, Clone)]
pub enum DeliberationScope {
    All,
    /// Every item of the communities under this region (supervisors).
    Region(String),
    /// Every item of these communities (a worker's: those of its assigned cells).
    Communities(Vec<String>),
    /// The items the volunteer raised, and the `done` items under its region.
    Volunteer {
        user: String,
        region: String,
    },
}

type Boxed<'a> = deliberations::BoxedQuery<'a, <DbConn as Connection>::Backend>;

fn scoped(scope: &DeliberationScope) -> Boxed<'static> {
    let q = d::deliberations.into_boxed();
    match scope {
        DeliberationScope::All => q,
        DeliberationScope::Region(prefix) => {
            q.filter(d::region_code.like(like_prefix(prefix)).escape('\\'))
        }
        DeliberationScope::Communities(codes) => q.filter(d::region_code.eq_any(codes.clone())),
        DeliberationScope::Volunteer { user, region } => q.filter(
            d::raised_by.eq(user.clone()).or(d::status
                .eq("done")
                .and(d::region_code.like(like_prefix(region)).escape('\\'))),
        ),
    }
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<DeliberationRow>> {
    d::deliberations
        .find(id)
        .select(DeliberationRow::as_select())
        .first(c)
        .optional()
}

pub fn find_in_scope(
    c: &mut DbConn,
    scope: &DeliberationScope,
    id: &str,
) -> QueryResult<Option<DeliberationRow>> {
    scoped(scope)
        .filter(d::id.eq(id.to_string()))
        .select(DeliberationRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, row: &DeliberationRow) -> QueryResult<()> {
    diesel::insert_into(d::deliberations)
        .values(row)
        .execute(c)?;
    super::sync::record(c, "deliberation", &row.id, &row.region_code, row.updated_at)
}

/// Writes `row` if the stored item is still at `expected`.
pub fn update_if_version(
    c: &mut DbConn,
    row: &DeliberationRow,
    expected: i64,
) -> QueryResult<bool> {
    let n = diesel::update(
        d::deliberations
            .find(&row.id)
            .filter(d::version.eq(expected)),
    )
    .set(row)
    .execute(c)?;
    if n == 1 {
        super::sync::record(c, "deliberation", &row.id, &row.region_code, row.updated_at)?;
    }
    Ok(n == 1)
}

/// Records that an item changed without a new version (a session was added).
pub fn touch(c: &mut DbConn, row: &DeliberationRow, at: NaiveDateTime) -> QueryResult<()> {
    super::sync::record(c, "deliberation", &row.id, &row.region_code, at)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub region: Option<String>,
    pub status: Option<String>,
}

pub fn list(
    c: &mut DbConn,
    scope: &DeliberationScope,
    f: &Filter,
    page: &PageRequest,
) -> QueryResult<Vec<DeliberationRow>> {
    let mut q = scoped(scope);
    if let Some(region) = &f.region {
        q = q.filter(d::region_code.like(like_prefix(region)).escape('\\'));
    }
    if let Some(status) = &f.status {
        q = q.filter(d::status.eq(status.clone()));
    }
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            d::created_at
                .lt(*created_at)
                .or(d::created_at.eq(*created_at).and(d::id.lt(id.clone()))),
        );
    }
    q.select(DeliberationRow::as_select())
        .order((d::created_at.desc(), d::id.desc()))
        .limit(page.limit + 1)
        .load(c)
}

pub fn add_step(c: &mut DbConn, row: &StepRow) -> QueryResult<()> {
    diesel::insert_into(h::deliberation_history)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn history(c: &mut DbConn, item: &str) -> QueryResult<Vec<StepRow>> {
    h::deliberation_history
        .filter(h::deliberation_id.eq(item))
        .select(StepRow::as_select())
        .order((h::at.asc(), h::id.asc()))
        .load(c)
}

pub fn insert_session(c: &mut DbConn, row: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(s::deliberation_sessions)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn session(c: &mut DbConn, id: &str) -> QueryResult<Option<SessionRow>> {
    s::deliberation_sessions
        .find(id)
        .select(SessionRow::as_select())
        .first(c)
        .optional()
}

/// An item's sessions, in the order they were held.
pub fn sessions_of(c: &mut DbConn, item: &str) -> QueryResult<Vec<SessionRow>> {
    s::deliberation_sessions
        .filter(s::deliberation_id.eq(item))
        .select(SessionRow::as_select())
        .order((s::held_at.asc(), s::id.asc()))
        .load(c)
}

pub fn has_passed_session(c: &mut DbConn, item: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        s::deliberation_sessions
            .filter(s::deliberation_id.eq(item))
            .filter(s::passed.eq(true)),
    ))
    .get_result(c)
}

pub fn by_ids_in_scope(
    c: &mut DbConn,
    scope: &DeliberationScope,
    ids: &[String],
) -> QueryResult<Vec<DeliberationRow>> {
    scoped(scope)
        .filter(d::id.eq_any(ids.to_vec()))
        .select(DeliberationRow::as_select())
        .load(c)
}

/// Items in scope after `after`, oldest first (a pull's first snapshot).
pub fn snapshot(
    c: &mut DbConn,
    scope: &DeliberationScope,
    after: &Cursor,
    limit: i64,
) -> QueryResult<Vec<DeliberationRow>> {
    scoped(scope)
        .filter(
            d::created_at.gt(after.created_at).or(d::created_at
                .eq(after.created_at)
                .and(d::id.gt(after.id.clone()))),
        )
        .select(DeliberationRow::as_select())
        .order((d::created_at.asc(), d::id.asc()))
        .limit(limit)
        .load(c)
}

/// Items of communities under `prefix` completed (`done`) in `[from, to)`.
pub fn done_between(
    c: &mut DbConn,
    prefix: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    d::deliberations
        .filter(d::region_code.like(like_prefix(prefix)).escape('\\'))
        .filter(d::status.eq("done"))
        .filter(d::done_at.ge(from))
        .filter(d::done_at.lt(to))
        .count()
        .get_result(c)
}
