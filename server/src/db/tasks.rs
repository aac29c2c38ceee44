//! Responsibility tasks, their units, progress reports and scores, and the frozen
//! performance records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::{ProgressRow, ScoreRow, SnapshotRow, TaskRow, TaskUnitRow};
use super::page::Cursor;
use super::schema::incident_history::dsl as h;
use super::schema::incidents::dsl as i;
use super::schema::performance_snapshots::dsl as ps;
use super::schema::task_progress::dsl as tp;
use super::schema::task_scores::dsl as sc;
use super::schema::task_units::dsl as tu;
use super::schema::tasks::dsl as t;
use super::{DbConn, like_prefix};

/// The tasks a caller may see.
#[derive(Debug, Clone)]
pub enum TaskScope {
    /// Admins and district supervisors.
    All,
    /// Tasks with one of these units (a town's code, a department's id).
    Unit(String),
}

/// What a task list asks for.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub year: Option<i32>,
    /// Tasks with this department among their units.
    pub department: Option<String>,
    /// Tasks with a town at or under this region among their units.
    pub region: Option<String>,
}

type Boxed<'a> = super::schema::tasks::BoxedQuery<'a, <DbConn as Connection>::Backend>;

fn scoped(scope: &TaskScope) -> Boxed<'static> {
    let q = t::tasks.into_boxed();
    match scope {
        TaskScope::All => q,
        TaskScope::Unit(unit) => q.filter(
            t::id.eq_any(
                tu::task_units
                    .filter(tu::unit.eq(unit.clone()))
                    .select(tu::task_id),
            ),
        ),
    }
}

pub fn insert(c: &mut DbConn, row: &TaskRow) -> QueryResult<()> {
    diesel::insert_into(t::tasks)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<TaskRow>> {
    t::tasks
        .find(id)
        .select(TaskRow::as_select())
        .first(c)
        .optional()
}

pub fn find_by_code(c: &mut DbConn, code: &str) -> QueryResult<Option<TaskRow>> {
    t::tasks
        .filter(t::code.eq(code))
        .select(TaskRow::as_select())
        .first(c)
        .optional()
}

pub fn find_in_scope(c: &mut DbConn, scope: &TaskScope, id: &str) -> QueryResult<Option<TaskRow>> {
    scoped(scope)
        .filter(t::id.eq(id.to_string()))
        .select(TaskRow::as_select())
        .first(c)
        .optional()
}

/// Tasks in creation order after the cursor: at most `limit + 1`.
pub fn list(
    c: &mut DbConn,
    scope: &TaskScope,
    f: &TaskFilter,
    after: Option<&Cursor>,
    limit: i64,
) -> QueryResult<Vec<TaskRow>> {
    let mut q = scoped(scope);
    if let Some(y) = f.year {
        q = q.filter(t::year.eq(y));
    }
    if let Some(d) = &f.department {
        q = q.filter(
            t::id.eq_any(
                tu::task_units
                    .filter(tu::unit.eq(d.clone()))
                    .select(tu::task_id),
            ),
        );
    }
    if let Some(r) = &f.region {
        q = q.filter(
            t::id.eq_any(
                tu::task_units
                    .filter(tu::kind.eq("region"))
                    .filter(tu::unit.like(like_prefix(r)).escape('\\'))
                    .select(tu::task_id),
            ),
        );
    }
    if let Some(a) = after {
        q = q.filter(
            t::created_at
                .gt(a.created_at)
                .or(t::created_at.eq(a.created_at).and(t::id.gt(a.id.clone()))),
        );
    }
    q.select(TaskRow::as_select())
        .order((t::created_at.asc(), t::id.asc()))
        .limit(limit + 1)
        .load(c)
}

/// Every task of a year (the performance records read them all).
pub fn of_year(c: &mut DbConn, year: i32) -> QueryResult<Vec<TaskRow>> {
    t::tasks
        .filter(t::year.eq(year))
        .select(TaskRow::as_select())
        .order((t::created_at.asc(), t::id.asc()))
        .load(c)
}

/// The units of these tasks, in their order.
pub fn units_of(c: &mut DbConn, task_ids: &[String]) -> QueryResult<Vec<TaskUnitRow>> {
    tu::task_units
        .filter(tu::task_id.eq_any(task_ids))
        .select(TaskUnitRow::as_select())
        .order((tu::task_id.asc(), tu::position.asc()))
        .load(c)
}

/// Replaces a task's units.
pub fn set_units(c: &mut DbConn, task_id: &str, units: &[TaskUnitRow]) -> QueryResult<()> {
    diesel::delete(tu::task_units.filter(tu::task_id.eq(task_id))).execute(c)?;
    for u in units {
        diesel::insert_into(tu::task_units).values(u).execute(c)?;
    }
    Ok(())
}

pub fn insert_progress(c: &mut DbConn, row: &ProgressRow) -> QueryResult<()> {
    diesel::insert_into(tp::task_progress)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn find_progress(c: &mut DbConn, id: &str) -> QueryResult<Option<ProgressRow>> {
    tp::task_progress
        .find(id)
        .select(ProgressRow::as_select())
        .first(c)
        .optional()
}

/// The progress reports of these tasks reported before `until` (all when none), newest
/// first.
pub fn progress_of(
    c: &mut DbConn,
    task_ids: &[String],
    until: Option<NaiveDateTime>,
) -> QueryResult<Vec<ProgressRow>> {
    let mut q = tp::task_progress
        .filter(tp::task_id.eq_any(task_ids))
        .into_boxed();
    if let Some(u) = until {
        q = q.filter(tp::reported_at.lt(u));
    }
    q.select(ProgressRow::as_select())
        .order((tp::reported_at.desc(), tp::created_at.desc(), tp::id.desc()))
        .load(c)
}

/// The newest progress reports of one task, at most `limit`.
pub fn recent_progress(c: &mut DbConn, task_id: &str, limit: i64) -> QueryResult<Vec<ProgressRow>> {
    tp::task_progress
        .filter(tp::task_id.eq(task_id))
        .select(ProgressRow::as_select())
        .order((tp::reported_at.desc(), tp::created_at.desc(), tp::id.desc()))
        .limit(limit)
        .load(c)
}

/// Writes scores, each replacing the unit's score of the task for the period.
pub fn put_scores(c: &mut DbConn, rows: &[ScoreRow]) -> QueryResult<()> {
    for r in rows {
        diesel::delete(
            sc::task_scores
                .filter(sc::task_id.eq(&r.task_id))
                .filter(sc::period.eq(&r.period))
                .filter(sc::unit.eq(&r.unit)),
        )
        .execute(c)?;
        diesel::insert_into(sc::task_scores).values(r).execute(c)?;
    }
    Ok(())
}

/// The scores of these tasks for a period.
pub fn scores_of(c: &mut DbConn, task_ids: &[String], period: &str) -> QueryResult<Vec<ScoreRow>> {
    sc::task_scores
        .filter(sc::task_id.eq_any(task_ids))
        .filter(sc::period.eq(period))
        .select(ScoreRow::as_select())
        .load(c)
}

/// Dispatches to a department in `[from, to)`: `(incident_id, step data)` (the data names
/// the department).
pub fn department_dispatches(
    c: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(String, Option<String>)>> {
    h::incident_history
        .filter(h::action.eq("dispatch"))
        .filter(h::at.ge(from))
        .filter(h::at.lt(to))
        .filter(h::data.like("%\"department_id\"%"))
        .select((h::incident_id, h::data))
        .load(c)
}

/// `(id, status, closed_at, due_at)` of an incident.
pub type Outcome = (String, String, Option<NaiveDateTime>, NaiveDateTime);

/// The outcomes of these incidents.
pub fn outcomes(c: &mut DbConn, ids: &[String]) -> QueryResult<Vec<Outcome>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            i::incidents
                .filter(i::id.eq_any(chunk))
                .select((i::id, i::status, i::closed_at, i::due_at))
                .load::<Outcome>(c)?,
        );
    }
    Ok(out)
}

pub fn insert_snapshot(c: &mut DbConn, row: &SnapshotRow) -> QueryResult<()> {
    diesel::insert_into(ps::performance_snapshots)
        .values(row)
        .execute(c)
        .map(|_| ())
}

pub fn find_snapshot(c: &mut DbConn, id: &str) -> QueryResult<Option<SnapshotRow>> {
    ps::performance_snapshots
        .find(id)
        .select(SnapshotRow::as_select())
        .first(c)
        .optional()
}

/// Snapshots newest first, without their documents: `(id, period, taken_at, sha256)`.
pub fn snapshots(
    c: &mut DbConn,
    after: Option<&Cursor>,
    limit: i64,
) -> QueryResult<Vec<(String, String, NaiveDateTime, String)>> {
    let mut q = ps::performance_snapshots.into_boxed();
    if let Some(a) = after {
        q = q.filter(
            ps::taken_at
                .lt(a.created_at)
                .or(ps::taken_at.eq(a.created_at).and(ps::id.lt(a.id.clone()))),
        );
    }
    q.select((ps::id, ps::period, ps::taken_at, ps::sha256))
        .order((ps::taken_at.desc(), ps::id.desc()))
        .limit(limit + 1)
        .load(c)
}
