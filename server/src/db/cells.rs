//! Grid cells with validity dates, worker assignments and the grid version.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::CellRow;
use super::schema::cell_workers::dsl as cw;
use super::schema::cells::dsl as ce;
use super::schema::grid_state::dsl as gs;
use super::schema::team_cells::dsl as tc;
use super::schema::team_members::dsl as tm;
use super::{DbConn, like_prefix};

/// Which cells a caller may see.
#[derive(Debug, Clone)]
pub enum CellScope {
    All,
    /// Cells whose code starts with this region code.
    Region(String),
    /// Cells assigned to this worker.
    Assigned(String),
    /// A volunteer's: the cells under its region and the zone of the active team it is a
    /// member of.
    Volunteer {
        region: String,
        user: String,
    },
}

/// A bounding box `[min_lon, min_lat, max_lon, max_lat]`.
pub type BBox = [f64; 4];

pub fn grid_version(c: &mut DbConn) -> QueryResult<i64> {
    gs::grid_state.find(1).select(gs::version).first(c)
}

/// Takes the grid's write lock for the rest of the transaction (PostgreSQL row lock; on
/// SQLite the `BEGIN IMMEDIATE` of [`super::write_tx`] already serialises writers).
pub fn lock_grid(c: &mut DbConn) -> QueryResult<()> {
    match c {
        DbConn::Pg(pg) => {
            use diesel::connection::SimpleConnection;
            pg.batch_execute("SELECT version FROM grid_state WHERE id = 1 FOR UPDATE")
        }
        DbConn::Sqlite(_) => Ok(()),
    }
}

pub fn bump_grid_version(c: &mut DbConn) -> QueryResult<()> {
    diesel::update(gs::grid_state.find(1))
        .set(gs::version.eq(gs::version + 1))
        .execute(c)
        .map(|_| ())
}

pub fn live_all(c: &mut DbConn) -> QueryResult<Vec<CellRow>> {
    ce::cells
        .filter(ce::valid_to.is_null())
        .select(CellRow::as_select())
        .load(c)
}

pub fn live_in_communities(c: &mut DbConn, communities: &[String]) -> QueryResult<Vec<CellRow>> {
    ce::cells
        .filter(ce::valid_to.is_null())
        .filter(ce::community_code.eq_any(communities))
        .select(CellRow::as_select())
        .load(c)
}

fn scoped(
    scope: &CellScope,
) -> super::schema::cells::BoxedQuery<'static, <DbConn as Connection>::Backend> {
    let q = ce::cells.filter(ce::valid_to.is_null()).into_boxed();
    match scope {
        CellScope::All => q,
        CellScope::Region(prefix) => q.filter(ce::code.like(like_prefix(prefix)).escape('\\')),
        CellScope::Assigned(user_id) => q.filter(
            ce::code.eq_any(
                cw::cell_workers
                    .filter(cw::user_id.eq(user_id.clone()))
                    .select(cw::cell_code),
            ),
        ),
        CellScope::Volunteer { region, user } => q.filter(
            ce::code
                .like(like_prefix(region))
                .escape('\\')
                .or(ce::code.eq_any(
                    tc::team_cells
                        .filter(
                            tc::team_id.eq_any(
                                tm::team_members
                                    .filter(tm::user_id.eq(user.clone()))
                                    .filter(tm::team_active.eq(true))
                                    .select(tm::team_id),
                            ),
                        )
                        .select(tc::cell_code),
                )),
        ),
    }
}

/// Live cells in scope, optionally within a region and intersecting a bounding box.
pub fn list_live(
    c: &mut DbConn,
    scope: &CellScope,
    region: Option<&str>,
    bbox: Option<BBox>,
) -> QueryResult<Vec<CellRow>> {
    filtered(scope, region, bbox)
        .select(CellRow::as_select())
        .order(ce::code.asc())
        .load(c)
}

/// Live cells in scope, under `region`, overlapping `bbox`.
fn filtered(
    scope: &CellScope,
    region: Option<&str>,
    bbox: Option<BBox>,
) -> super::schema::cells::BoxedQuery<'static, <DbConn as Connection>::Backend> {
    let mut q = scoped(scope);
    if let Some(region) = region {
        q = q.filter(ce::code.like(like_prefix(region)).escape('\\'));
    }
    if let Some([min_lon, min_lat, max_lon, max_lat]) = bbox {
        q = q
            .filter(ce::max_lon.ge(min_lon))
            .filter(ce::min_lon.le(max_lon))
            .filter(ce::max_lat.ge(min_lat))
            .filter(ce::min_lat.le(max_lat));
    }
    q
}

/// What the map needs of a live cell besides its shape.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = super::schema::cells)]
pub struct CellMeta {
    pub code: String,
    pub name: String,
    pub community_code: String,
    pub min_lon: f64,
    pub max_lon: f64,
}

/// [`list_live`] without the geometry (the map takes shapes from its cache).
pub fn list_live_meta(
    c: &mut DbConn,
    scope: &CellScope,
    region: Option<&str>,
    bbox: Option<BBox>,
) -> QueryResult<Vec<CellMeta>> {
    filtered(scope, region, bbox)
        .select(CellMeta::as_select())
        .order(ce::code.asc())
        .load(c)
}

/// The stored geometry (GeoJSON text) of these live cells.
pub fn live_geometries(c: &mut DbConn, codes: &[String]) -> QueryResult<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(codes.len());
    for chunk in codes.chunks(500) {
        out.extend(
            ce::cells
                .filter(ce::valid_to.is_null())
                .filter(ce::code.eq_any(chunk))
                .select((ce::code, ce::geometry))
                .load::<(String, String)>(c)?,
        );
    }
    Ok(out)
}

/// The live cell with this code, if the caller may see it.
pub fn live_in_scope(
    c: &mut DbConn,
    scope: &CellScope,
    code: &str,
) -> QueryResult<Option<CellRow>> {
    scoped(scope)
        .filter(ce::code.eq(code.to_string()))
        .select(CellRow::as_select())
        .first(c)
        .optional()
}

pub fn live_by_code(c: &mut DbConn, code: &str) -> QueryResult<Option<CellRow>> {
    ce::cells
        .filter(ce::code.eq(code))
        .filter(ce::valid_to.is_null())
        .select(CellRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, rows: &[CellRow]) -> QueryResult<()> {
    for row in rows {
        diesel::insert_into(ce::cells).values(row).execute(c)?;
        super::sync::record(c, "cell", &row.code, &row.code, row.created_at)?;
    }
    Ok(())
}

/// Retires the live version of each code (`valid_to = at`).
pub fn retire(c: &mut DbConn, codes: &[String], at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        ce::cells
            .filter(ce::code.eq_any(codes))
            .filter(ce::valid_to.is_null()),
    )
    .set(ce::valid_to.eq(at))
    .execute(c)
}

/// Ids of the workers assigned to a cell.
pub fn workers_of(c: &mut DbConn, code: &str) -> QueryResult<Vec<String>> {
    cw::cell_workers
        .filter(cw::cell_code.eq(code))
        .select(cw::user_id)
        .order(cw::user_id.asc())
        .load(c)
}

/// Replaces a cell's workers; returns the new set.
pub fn set_workers(
    c: &mut DbConn,
    code: &str,
    user_ids: &[String],
    at: NaiveDateTime,
) -> QueryResult<()> {
    let before = workers_of(c, code)?;
    diesel::delete(
        cw::cell_workers
            .filter(cw::cell_code.eq(code))
            .filter(cw::user_id.ne_all(user_ids)),
    )
    .execute(c)?;
    for id in user_ids.iter().filter(|id| !before.contains(id)) {
        diesel::insert_into(cw::cell_workers)
            .values((
                cw::cell_code.eq(code),
                cw::user_id.eq(id),
                cw::assigned_at.eq(at),
            ))
            .execute(c)?;
    }
    // Both the workers who gain the cell and those who lose it must hear of it.
    let changed: Vec<&String> = before
        .iter()
        .chain(user_ids)
        .filter(|id| before.contains(id) != user_ids.contains(id))
        .collect();
    for id in &changed {
        super::sync::record(c, "assignment", id, code, at)?;
    }
    super::users::bump_scope(c, &changed)
}

/// Codes of the live cells assigned to a worker.
pub fn assigned_codes(c: &mut DbConn, user_id: &str) -> QueryResult<Vec<String>> {
    ce::cells
        .filter(ce::valid_to.is_null())
        .filter(
            ce::code.eq_any(
                cw::cell_workers
                    .filter(cw::user_id.eq(user_id))
                    .select(cw::cell_code),
            ),
        )
        .select(ce::code)
        .order(ce::code.asc())
        .load(c)
}

/// The grid version and its live cells, read in one snapshot so that they agree.
pub fn grid_snapshot(c: &mut DbConn) -> QueryResult<(i64, Vec<CellRow>)> {
    c.transaction(|c| Ok((grid_version(c)?, live_all(c)?)))
}

/// Which of these codes name a live cell.
pub fn live_codes(c: &mut DbConn, codes: &[String]) -> QueryResult<Vec<String>> {
    ce::cells
        .filter(ce::valid_to.is_null())
        .filter(ce::code.eq_any(codes))
        .select(ce::code)
        .load(c)
}
