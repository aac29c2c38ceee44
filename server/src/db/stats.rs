//! Aggregates for the map and the assessment figures. The only raw SQL of the project:
//! portable statements (`$n` placeholders, first used in order; `substr`, `CASE`) run on
//! either engine through the same code.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};

use super::DbConn;
use super::schema::incidents::dsl as i;
use super::schema::persons::dsl as p;
use super::schema::safety_units::dsl as u;

/// The statement for this engine: `$n` for PostgreSQL, `?n` for SQLite (where `$n` would be
/// a *named* parameter numbered by first appearance).
fn text(c: &DbConn, sql: &str) -> String {
    match c {
        DbConn::Pg(_) => sql.to_string(),
        DbConn::Sqlite(_) => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(ch) = chars.next() {
                if ch == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                    out.push('?');
                } else {
                    out.push(ch);
                }
            }
            out
        }
    }
}

/// Runs one raw query on whichever engine the connection is.
macro_rules! load {
    ($c:expr, $q:expr) => {
        match $c {
            DbConn::Pg(pg) => $q.load(pg),
            DbConn::Sqlite(s) => $q.load(s),
        }
    };
}

/// Open (not closed or rejected) incidents per cell.
pub fn open_incidents(c: &mut DbConn, cells: &[String]) -> QueryResult<Vec<(String, i64)>> {
    // The open statuses named one by one, so the (cell, status) index is searched rather
    // than every incident of the cell read (most are closed).
    let open: Vec<&str> = gridwork_shared::incident::Status::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    i::incidents
        .filter(i::cell_code.eq_any(cells))
        .filter(i::status.eq_any(open))
        .group_by(i::cell_code)
        .select((i::cell_code, diesel::dsl::count_star()))
        .load(c)
}

/// Unresolved incidents past due per cell.
pub fn overdue_incidents(
    c: &mut DbConn,
    cells: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    i::incidents
        .filter(i::cell_code.eq_any(cells))
        .filter(i::status.eq_any(super::incidents::UNRESOLVED))
        .filter(i::due_at.lt(now))
        .group_by(i::cell_code)
        .select((i::cell_code, diesel::dsl::count_star()))
        .load(c)
}

/// Active persons whose visit is overdue, per cell.
pub fn overdue_visits(
    c: &mut DbConn,
    cells: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    p::persons
        .filter(p::cell_code.eq_any(cells))
        .filter(p::active.eq(true))
        .filter(p::next_visit_due.lt(now))
        .group_by(p::cell_code)
        .select((p::cell_code, diesel::dsl::count_star()))
        .load(c)
}

/// (cell, ever inspected, open hazards, earliest open deadline) of a unit.
pub type UnitFacts = (String, bool, i32, Option<NaiveDateTime>);

/// The facts of the units in these cells.
pub fn unit_facts(c: &mut DbConn, cells: &[String]) -> QueryResult<Vec<UnitFacts>> {
    u::safety_units
        .filter(u::cell_code.eq_any(cells))
        .select((
            u::cell_code,
            u::last_inspected_at.is_not_null(),
            u::open_hazards,
            u::earliest_open_deadline,
        ))
        .load(c)
}

/// Figures per group key (a code prefix) for the assessment.
#[derive(Debug, Clone, Default, QueryableByName)]
pub struct Figures {
    #[diesel(sql_type = Text)]
    pub k: String,
    #[diesel(sql_type = BigInt)]
    pub a: i64,
    #[diesel(sql_type = BigInt)]
    pub b: i64,
    #[diesel(sql_type = BigInt)]
    pub c: i64,
}

/// Incidents filed, closed and closed on time in `[from, to)`, grouped by the first
/// `len` characters of the cell code (`k`, `a` filed, `b` closed, `c` on time).
pub fn incident_figures(
    c: &mut DbConn,
    prefix: &str,
    len: i32,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<Figures>> {
    let q = diesel::sql_query(text(
        c,
        "SELECT substr(cell_code, 1, $2) AS k, \
         CAST(COALESCE(SUM(CASE WHEN created_at >= $3 AND created_at < $4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS a, \
         CAST(COALESCE(SUM(CASE WHEN status = 'closed' AND closed_at >= $3 AND closed_at < $4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS b, \
         CAST(COALESCE(SUM(CASE WHEN status = 'closed' AND closed_at >= $3 AND closed_at < $4 AND closed_at <= due_at THEN 1 ELSE 0 END), 0) AS BIGINT) AS c \
         FROM incidents WHERE cell_code LIKE $1 GROUP BY 1",
    ))
    .bind::<Text, _>(format!("{prefix}%"))
    .bind::<Integer, _>(len)
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(to);
    load!(c, q)
}

/// Verified incidents in `[from, to)` (`a`) and those of them sent to rework at least once (`b`).
pub fn rework_figures(
    c: &mut DbConn,
    prefix: &str,
    len: i32,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<Figures>> {
    let q = diesel::sql_query(text(
        c,
        "SELECT substr(i.cell_code, 1, $2) AS k, CAST(COUNT(*) AS BIGINT) AS a, \
         CAST(COALESCE(SUM(CASE WHEN i.rework_count > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
         FROM incident_history h JOIN incidents i ON i.id = h.incident_id \
         WHERE i.cell_code LIKE $1 AND h.action = 'verify' AND h.at >= $3 AND h.at < $4 \
         GROUP BY 1",
    ))
    .bind::<Text, _>(format!("{prefix}%"))
    .bind::<Integer, _>(len)
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(to);
    load!(c, q)
}

/// Due periods that ended in `[from, to)`: answered by a `met` visit (`a`), of them on
/// time (`b`), plus periods still unanswered and past due by `now` (`c`).
pub fn visit_figures(
    c: &mut DbConn,
    prefix: &str,
    len: i32,
    from: NaiveDateTime,
    to: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Vec<Figures>> {
    let q = diesel::sql_query(text(
        c,
        "SELECT k, CAST(SUM(a) AS BIGINT) AS a, CAST(SUM(b) AS BIGINT) AS b, CAST(SUM(c) AS BIGINT) AS c FROM ( \
           SELECT substr(p.cell_code, 1, $2) AS k, CAST(COUNT(*) AS BIGINT) AS a, \
                  CAST(COALESCE(SUM(CASE WHEN v.on_time THEN 1 ELSE 0 END), 0) AS BIGINT) AS b, CAST(0 AS BIGINT) AS c \
           FROM visits v JOIN persons p ON p.id = v.person_id \
           WHERE p.cell_code LIKE $1 AND v.due_at >= $3 AND v.due_at < $4 \
           GROUP BY 1 \
           UNION ALL \
           SELECT substr(cell_code, 1, $2) AS k, CAST(0 AS BIGINT) AS a, CAST(0 AS BIGINT) AS b, CAST(COUNT(*) AS BIGINT) AS c \
           FROM persons WHERE cell_code LIKE $1 AND active = $6 AND next_visit_due >= $3 AND next_visit_due < $4 \
             AND next_visit_due < $5 \
           GROUP BY 1 \
         ) t GROUP BY k",
    ))
    .bind::<Text, _>(format!("{prefix}%"))
    .bind::<Integer, _>(len)
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(to)
    .bind::<Timestamp, _>(now)
    .bind::<diesel::sql_types::Bool, _>(true);
    load!(c, q)
}

/// Inspections in `[from, to)` (`a`) and hazards open at `to` (`b`).
pub fn safety_figures(
    c: &mut DbConn,
    prefix: &str,
    len: i32,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<Figures>> {
    let q = diesel::sql_query(text(
        c,
        "SELECT k, CAST(SUM(a) AS BIGINT) AS a, CAST(SUM(b) AS BIGINT) AS b, CAST(0 AS BIGINT) AS c FROM ( \
           SELECT substr(u.cell_code, 1, $2) AS k, CAST(COUNT(*) AS BIGINT) AS a, CAST(0 AS BIGINT) AS b \
           FROM inspections n JOIN safety_units u ON u.id = n.unit_id \
           WHERE u.cell_code LIKE $1 AND n.inspected_at >= $3 AND n.inspected_at < $4 \
           GROUP BY 1 \
           UNION ALL \
           SELECT substr(u.cell_code, 1, $2) AS k, CAST(0 AS BIGINT) AS a, CAST(COUNT(*) AS BIGINT) AS b \
           FROM hazards h JOIN safety_units u ON u.id = h.unit_id JOIN inspections n ON n.id = h.inspection_id \
           WHERE u.cell_code LIKE $1 AND n.inspected_at < $4 AND (h.closed_at IS NULL OR h.closed_at >= $4) \
           GROUP BY 1 \
         ) t GROUP BY k",
    ))
    .bind::<Text, _>(format!("{prefix}%"))
    .bind::<Integer, _>(len)
    .bind::<Timestamp, _>(from)
    .bind::<Timestamp, _>(to);
    load!(c, q)
}

/// Per worker of a region (id, username, display name, region), by username, and what
/// each did in `[start, end)`, counted per worker id.
pub struct WorkerCounts {
    pub workers: Vec<(String, String, String, String)>,
    pub filed: HashMap<String, i64>,
    pub closed: HashMap<String, i64>,
    pub visits: HashMap<String, i64>,
    /// Visits that answered a due period ending in the range.
    pub answered: HashMap<String, i64>,
    pub on_time: HashMap<String, i64>,
    pub inspections: HashMap<String, i64>,
}

pub fn worker_counts(
    c: &mut DbConn,
    region: &str,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> QueryResult<WorkerCounts> {
    use super::schema::{
        incidents::dsl as i, inspections::dsl as n, users::dsl as u, visits::dsl as v,
    };
    let workers: Vec<(String, String, String, String)> = u::users
        .filter(u::role.eq("worker"))
        .filter(u::region_code.like(super::like_prefix(region)).escape('\\'))
        .select((u::id, u::username, u::display_name, u::region_code))
        .order(u::username.asc())
        .load(c)?;
    let ids: Vec<String> = workers.iter().map(|w| w.0.clone()).collect();
    let map = |v: Vec<(String, i64)>| -> HashMap<String, i64> { v.into_iter().collect() };
    let filed = map(i::incidents
        .filter(i::reporter_id.eq_any(&ids))
        .filter(i::created_at.ge(s))
        .filter(i::created_at.lt(e))
        .group_by(i::reporter_id)
        .select((i::reporter_id, diesel::dsl::count_star()))
        .load(c)?);
    let closed: HashMap<String, i64> = i::incidents
        .filter(i::resolver_id.eq_any(&ids))
        .filter(i::status.eq("closed"))
        .filter(i::closed_at.ge(s))
        .filter(i::closed_at.lt(e))
        .group_by(i::resolver_id)
        .select((i::resolver_id, diesel::dsl::count_star()))
        .load::<(Option<String>, i64)>(c)?
        .into_iter()
        .filter_map(|(k, n)| Some((k?, n)))
        .collect();
    let visits = map(v::visits
        .filter(v::visitor_id.eq_any(&ids))
        .filter(v::visited_at.ge(s))
        .filter(v::visited_at.lt(e))
        .group_by(v::visitor_id)
        .select((v::visitor_id, diesel::dsl::count_star()))
        .load(c)?);
    let answered = map(v::visits
        .filter(v::visitor_id.eq_any(&ids))
        .filter(v::due_at.ge(s))
        .filter(v::due_at.lt(e))
        .group_by(v::visitor_id)
        .select((v::visitor_id, diesel::dsl::count_star()))
        .load(c)?);
    let on_time = map(v::visits
        .filter(v::visitor_id.eq_any(&ids))
        .filter(v::due_at.ge(s))
        .filter(v::due_at.lt(e))
        .filter(v::on_time.eq(true))
        .group_by(v::visitor_id)
        .select((v::visitor_id, diesel::dsl::count_star()))
        .load(c)?);
    let inspections = map(n::inspections
        .filter(n::inspector_id.eq_any(&ids))
        .filter(n::inspected_at.ge(s))
        .filter(n::inspected_at.lt(e))
        .group_by(n::inspector_id)
        .select((n::inspector_id, diesel::dsl::count_star()))
        .load(c)?);
    Ok(WorkerCounts {
        workers,
        filed,
        closed,
        visits,
        answered,
        on_time,
        inspections,
    })
}
