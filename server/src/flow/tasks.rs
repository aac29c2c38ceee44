//! The responsibility system (责任制): tasks of a year with an indicator, a weight and a due
//! date, decomposed to responsible units — departments (functional duty, 属事) and towns
//! (territorial duty, 属地) — with targets; progress reported by the units themselves
//! (cumulative values); scores given by the district for a period.
//!
//! Who sees what: admins and district supervisors every task; a town's supervisors (and
//! its communities') the tasks of their town; department staff those of their department;
//! workers and volunteers none (403). Tasks are created, decomposed and scored by admins
//! and district supervisors; progress is reported by a unit's own staff only.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use gridwork_shared::ErrorCode;
use gridwork_shared::api::Role;
use gridwork_shared::responsibility::{
    self as rules, Duty, NewProgress, NewTask, Period, Progress, ScoresRequest, Task, TaskDetail,
    TaskUnit, Unit, UnitsRequest,
};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::models::{PhotoRow, ProgressRow, ScoreRow, TaskRow, TaskUnitRow};
use crate::db::page::{Cursor, PageRequest};
use crate::db::tasks::{self as store, TaskFilter, TaskScope};
use crate::db::{self, DbConn, audit, to_utc};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::body_hash;
use crate::flow::parse_id;

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

/// Progress reports a task's page shows.
const RECENT_REPORTS: i64 = 200;

/// Is the caller the district: an admin or a district supervisor?
pub fn is_district(user: &CurrentUser) -> bool {
    user.is_admin() || (user.role == Role::Supervisor && user.region_code.len() == 6)
}

/// 403 unless the caller is an admin or a district supervisor.
pub fn require_district(user: &CurrentUser) -> Result<()> {
    if is_district(user) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "tasks are set and scored by admins and district supervisors",
        ))
    }
}

/// The tasks a caller may see.
/// Whether the caller may see a progress report (its task is in scope): who may see the
/// report's evidence.
pub fn progress_visible(c: &mut DbConn, user: &CurrentUser, id: &str) -> Result<bool> {
    let Ok(scope) = scope_of(user) else {
        return Ok(false);
    };
    Ok(match store::find_progress(c, id)? {
        Some(p) => store::find_in_scope(c, &scope, &p.task_id)?.is_some(),
        None => false,
    })
}

/// Who reported a progress report (the one who adds its evidence).
pub fn progress_reporter(c: &mut DbConn, id: &str) -> Result<Option<String>> {
    Ok(store::find_progress(c, id)?.map(|p| p.reporter_id))
}

pub fn scope_of(user: &CurrentUser) -> Result<TaskScope> {
    if is_district(user) {
        return Ok(TaskScope::All);
    }
    match user.role {
        Role::Supervisor if user.region_code.len() >= 9 => {
            Ok(TaskScope::Unit(user.region_code[..9].to_string()))
        }
        Role::Department => Ok(TaskScope::Unit(
            user.department().unwrap_or("-").to_string(),
        )),
        _ => Err(Error::forbidden(
            "tasks are for supervisors, department staff and admins",
        )),
    }
}

/// The unit a stored unit row names.
fn unit_of(kind: &str, unit: &str) -> Unit {
    if kind == "department" {
        Unit::Department(uuid(unit))
    } else {
        Unit::Town(unit.to_string())
    }
}

/// Names of units: departments by id, towns by code.
pub fn unit_names(c: &mut DbConn) -> Result<HashMap<String, String>> {
    let mut names: HashMap<String, String> = db::departments::all(c)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    for r in db::regions::list_under(c, "")? {
        if r.code.len() == 9 {
            names.insert(r.code, r.name);
        }
    }
    Ok(names)
}

/// The latest report of each `(task, unit)` among `reports` (newest first).
pub fn latest(reports: &[ProgressRow]) -> HashMap<(String, String), &ProgressRow> {
    let mut out = HashMap::new();
    for r in reports {
        out.entry((r.task_id.clone(), r.unit.clone())).or_insert(r);
    }
    out
}

/// The local date of a task's due date.
fn due_date(row: &TaskRow) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&row.due_date, "%Y-%m-%d")
        .map_err(|_| Error::Unexpected(anyhow::anyhow!("stored due date {}", row.due_date)))
}

/// What the wire needs to show tasks: their units, the latest reports and the scores of a
/// period, loaded in one query each.
struct Loaded {
    units: Vec<TaskUnitRow>,
    reports: Vec<ProgressRow>,
    scores: Vec<ScoreRow>,
}

fn load(c: &mut DbConn, tasks: &[TaskRow], period: Option<&str>) -> Result<Loaded> {
    let ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
    let units = store::units_of(c, &ids)?;
    let reports = store::progress_of(c, &ids, None)?;
    let scores = match period {
        Some(p) => store::scores_of(c, &ids, p)?,
        None => Vec::new(),
    };
    Ok(Loaded {
        units,
        reports,
        scores,
    })
}

fn units_wire(
    row: &TaskRow,
    loaded: &Loaded,
    names: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<Vec<TaskUnit>> {
    let latest = latest(&loaded.reports);
    let late = today > due_date(row)?;
    Ok(loaded
        .units
        .iter()
        .filter(|u| u.task_id == row.id)
        .map(|u| {
            let report = latest.get(&(row.id.clone(), u.unit.clone()));
            let progress = report.map(|r| r.value).unwrap_or(0.0);
            let completion = rules::completion(progress, u.target);
            let unit = unit_of(&u.kind, &u.unit);
            TaskUnit {
                department_id: unit.department_id(),
                region_code: unit.region_code(),
                name: names.get(&u.unit).cloned().unwrap_or_default(),
                duty: Duty::parse(&u.duty).unwrap_or(Duty::Functional),
                target: u.target,
                progress,
                completion,
                score: loaded
                    .scores
                    .iter()
                    .find(|s| s.task_id == row.id && s.unit == u.unit)
                    .map(|s| s.score),
                overdue: late && completion < 1.0,
                reported_at: report.map(|r| to_utc(r.reported_at)),
            }
        })
        .collect())
}

fn task_wire(row: &TaskRow, units: &[TaskUnit]) -> Result<Task> {
    Ok(Task {
        id: uuid(&row.id),
        code: row.code.clone(),
        title: row.title.clone(),
        description: row.description.clone(),
        year: row.year,
        indicator: row.indicator.clone(),
        due_date: due_date(row)?,
        weight: row.weight,
        created_at: to_utc(row.created_at),
        unit_count: units.len() as i64,
        units_complete: units.iter().filter(|u| u.completion >= 1.0).count() as i64,
        units_overdue: units.iter().filter(|u| u.overdue).count() as i64,
    })
}

/// A progress report as the API answers it, with its evidence (those of `photos` that
/// are its own).
pub fn progress_wire(r: &ProgressRow, photos: &[PhotoRow]) -> Progress {
    let unit = unit_of(kind_of_key(&r.unit), &r.unit);
    Progress {
        id: uuid(&r.id),
        task_id: uuid(&r.task_id),
        department_id: unit.department_id(),
        region_code: unit.region_code(),
        value: r.value,
        note: r.note.clone(),
        reported_at: to_utc(r.reported_at),
        reporter_id: uuid(&r.reporter_id),
        photos: photos
            .iter()
            .filter(|p| p.owner_id == r.id)
            .map(crate::flow::incidents::photo_ref)
            .collect(),
    }
}

/// The kind a unit key is stored as: a department's id is a UUID, a town's code digits.
fn kind_of_key(key: &str) -> &'static str {
    if key.len() == 9 && key.bytes().all(|b| b.is_ascii_digit()) {
        "region"
    } else {
        "department"
    }
}

/// The kind a unit is stored as (`task_units.kind`).
fn stored_kind(unit: &Unit) -> &'static str {
    match unit {
        Unit::Department(_) => "department",
        Unit::Town(_) => "region",
    }
}

/// Tasks as lists show them, their units loaded in one query each.
fn tasks_wire(state: &AppState, c: &mut DbConn, rows: &[TaskRow]) -> Result<Vec<Task>> {
    let loaded = load(c, rows, None)?;
    let today = today(state);
    let names = HashMap::new();
    rows.iter()
        .map(|r| task_wire(r, &units_wire(r, &loaded, &names, today)?))
        .collect()
}

fn today(state: &AppState) -> NaiveDate {
    state.config.calendar.local_date(state.clock.now())
}

fn audit_task(
    c: &mut DbConn,
    user: &CurrentUser,
    action: &str,
    id: &str,
    detail: &str,
) -> Result<()> {
    audit::append(
        c,
        db::now(),
        audit::Entry {
            actor_id: Some(&user.id),
            action,
            entity_type: "task",
            entity_id: id,
            outcome: "success",
            ip: Some(&user.ip),
            detail: Some(detail),
        },
    )?;
    Ok(())
}

/// Creates a task (admins, district supervisors). Replaying the same id and body answers
/// the first creation; the same id with another body is 409 `id_conflict`; a code in use
/// is 409 `code_taken`.
pub fn create(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewTask,
) -> Result<TaskDetail> {
    require_district(user)?;
    new.validate().map_err(Error::validation)?;
    let hash = body_hash(new);
    let id = new.id.to_string();
    db::write_tx(c, |c| -> Result<()> {
        if let Some(existing) = store::find(c, &id)? {
            if existing.body_hash == hash {
                return Ok(());
            }
            return Err(Error::id_conflict());
        }
        if store::find_by_code(c, &new.code)?.is_some() {
            return Err(Error::new(
                ErrorCode::CodeTaken,
                format!("task code {} is taken", new.code),
            ));
        }
        let row = TaskRow {
            id: id.clone(),
            code: new.code.clone(),
            title: new.title.trim().to_string(),
            description: new.description.trim().to_string(),
            year: new.year,
            indicator: new.indicator.trim().to_string(),
            due_date: new.due_date.format("%Y-%m-%d").to_string(),
            weight: new.weight,
            body_hash: hash.clone(),
            created_by: user.id.clone(),
            created_at: state.clock.now_naive(),
        };
        store::insert(c, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                Error::new(ErrorCode::CodeTaken, "the task's code or id is taken")
            } else {
                e.into()
            }
        })?;
        audit_task(c, user, "task_create", &row.id, &row.code)
    })?;
    detail(state, c, user, &id, None)
}

/// The task list's query string (`limit` and `cursor` are read by the edge).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub year: Option<String>,
    pub department: Option<String>,
    pub region: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> Result<TaskFilter> {
        let given = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        let year = match given(&self.year) {
            None => None,
            Some(y) => Some(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (2000..=2100).contains(y))
                    .ok_or_else(|| Error::invalid("year", "must be a year 2000–2100"))?,
            ),
        };
        let department = match given(&self.department) {
            None => None,
            Some(d) => Some(
                Uuid::parse_str(&d)
                    .map_err(|_| Error::invalid("department", "must be a department id"))?
                    .to_string(),
            ),
        };
        let region = given(&self.region)
            .map(|r| crate::flow::regions::parse_region(&r))
            .transpose()?;
        Ok(TaskFilter {
            year,
            department,
            region,
        })
    }
}

/// Tasks in the caller's scope matching the query, in creation order.
pub fn list(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    q: &ListQuery,
    page: &PageRequest,
) -> Result<(Vec<Task>, Option<String>)> {
    let scope = scope_of(user)?;
    let filter = q.filter()?;
    let rows = store::list(c, &scope, &filter, page.after.as_ref(), page.limit)?;
    let (rows, next) =
        crate::db::page::finish(rows, page.limit, |r| Cursor::new(r.created_at, &r.id));
    Ok((tasks_wire(state, c, &rows)?, next))
}

/// A task with its units (their progress, completion and the score of `period`, the
/// task's year when none) and its newest progress reports.
pub fn detail(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    period: Option<&str>,
) -> Result<TaskDetail> {
    let scope = scope_of(user)?;
    let id = parse_id(id)?;
    let row = store::find_in_scope(c, &scope, &id)?.ok_or_else(Error::not_found)?;
    let period = match period.filter(|p| !p.is_empty()) {
        None => row.year.to_string(),
        Some(p) => Period::parse(p)
            .ok_or_else(|| Error::invalid("period", "must be YYYY or YYYY-MM"))?
            .to_string(),
    };
    let loaded = load(c, std::slice::from_ref(&row), Some(&period))?;
    let names = unit_names(c)?;
    let units = units_wire(&row, &loaded, &names, today(state))?;
    let recent = store::recent_progress(c, &row.id, RECENT_REPORTS)?;
    let ids: Vec<String> = recent.iter().map(|r| r.id.clone()).collect();
    let photos = db::incidents::photos_of(c, "progress", &ids)?;
    let reports = recent.iter().map(|r| progress_wire(r, &photos)).collect();
    Ok(TaskDetail {
        task: task_wire(&row, &units)?,
        units,
        reports,
    })
}

/// Replaces a task's responsible units (admins, district supervisors): each a department
/// that exists or a town that exists, with its duty and a positive target.
pub fn put_units(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &UnitsRequest,
) -> Result<TaskDetail> {
    require_district(user)?;
    let id = parse_id(id)?;
    let units = req.validate().map_err(Error::validation)?;
    db::write_tx(c, |c| -> Result<()> {
        store::find(c, &id)?.ok_or_else(Error::not_found)?;
        let mut e = gridwork_shared::FieldErrors::new();
        let mut rows = Vec::with_capacity(units.len());
        for (n, (unit, a)) in units.iter().zip(&req.units).enumerate() {
            let exists = match unit {
                Unit::Department(d) => db::departments::find(c, &d.to_string())?.is_some(),
                Unit::Town(r) => db::regions::find(c, r)?.is_some(),
            };
            if !exists {
                e.push(format!("units[{n}]"), "no such department or town");
            }
            rows.push(TaskUnitRow {
                task_id: id.clone(),
                unit: unit.key(),
                kind: stored_kind(unit).to_string(),
                duty: a.duty.as_str().to_string(),
                target: a.target,
                position: n as i32,
            });
        }
        e.into_result().map_err(Error::validation)?;
        store::set_units(c, &id, &rows)?;
        audit_task(c, user, "task_units", &id, &format!("{} units", rows.len()))
    })?;
    detail(state, c, user, &id, None)
}

/// May the caller report for `unit`: its department's staff, its town's supervisors?
fn staff_of(user: &CurrentUser, unit: &Unit) -> bool {
    match unit {
        Unit::Department(d) => user.department() == Some(d.to_string().as_str()),
        Unit::Town(r) => user.role == Role::Supervisor && user.region_code == *r,
    }
}

/// Records a unit's cumulative progress on a task, by the unit's own staff. Replaying the
/// same id and body answers the first report; the same id with another body is 409
/// `id_conflict`. Returns the report and whether this call created it.
pub fn report_progress(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    task_id: &str,
    new: &NewProgress,
) -> Result<(Progress, bool)> {
    let scope = scope_of(user)?;
    let task_id = parse_id(task_id)?;
    let unit = new.validate(state.clock.now()).map_err(Error::validation)?;
    let hash = body_hash(&(task_id.as_str(), new));
    let id = new.id.to_string();
    db::write_tx(c, |c| {
        if let Some(existing) = store::find_progress(c, &id)? {
            if existing.body_hash == hash && existing.reporter_id == user.id {
                let photos =
                    db::incidents::photos_of(c, "progress", std::slice::from_ref(&existing.id))?;
                return Ok((progress_wire(&existing, &photos), false));
            }
            return Err(Error::id_conflict());
        }
        let task = store::find_in_scope(c, &scope, &task_id)?.ok_or_else(Error::not_found)?;
        let key = unit.key();
        if !store::units_of(c, std::slice::from_ref(&task.id))?
            .iter()
            .any(|u| u.unit == key)
        {
            return Err(Error::invalid(
                "department_id",
                "is not a responsible unit of this task",
            ));
        }
        if !staff_of(user, &unit) {
            return Err(Error::forbidden(
                "only the unit's own staff report its progress",
            ));
        }
        let row = ProgressRow {
            id: id.clone(),
            task_id: task.id.clone(),
            unit: key,
            value: new.value,
            note: new.note.trim().to_string(),
            reported_at: crate::core::time::to_db(new.reported_at),
            reporter_id: user.id.clone(),
            body_hash: hash.clone(),
            created_at: state.clock.now_naive(),
        };
        store::insert_progress(c, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                Error::id_conflict()
            } else {
                e.into()
            }
        })?;
        Ok((progress_wire(&row, &[]), true))
    })
}

/// Gives the district's scores of a task's units for a period (admins, district
/// supervisors): the period lies in the task's year; each unit is one of the task's.
pub fn put_scores(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &ScoresRequest,
) -> Result<TaskDetail> {
    require_district(user)?;
    let id = parse_id(id)?;
    let (period, units) = req.validate().map_err(Error::validation)?;
    db::write_tx(c, |c| -> Result<()> {
        let task = store::find(c, &id)?.ok_or_else(Error::not_found)?;
        if period.year != task.year {
            return Err(Error::invalid(
                "period",
                format!("the task belongs to {}", task.year),
            ));
        }
        let keys: Vec<String> = store::units_of(c, std::slice::from_ref(&task.id))?
            .into_iter()
            .map(|u| u.unit)
            .collect();
        let mut e = gridwork_shared::FieldErrors::new();
        let at = state.clock.now_naive();
        let mut rows = Vec::with_capacity(units.len());
        for (n, (unit, s)) in units.iter().zip(&req.scores).enumerate() {
            if !keys.contains(&unit.key()) {
                e.push(
                    format!("scores[{n}]"),
                    "is not a responsible unit of this task",
                );
            }
            rows.push(ScoreRow {
                task_id: task.id.clone(),
                period: period.to_string(),
                unit: unit.key(),
                score: s.score,
                note: s.note.trim().to_string(),
                scored_by: user.id.clone(),
                scored_at: at,
            });
        }
        e.into_result().map_err(Error::validation)?;
        store::put_scores(c, &rows)?;
        audit_task(
            c,
            user,
            "task_scores",
            &task.id,
            &format!("{period}: {} scores", rows.len()),
        )
    })?;
    detail(state, c, user, &id, Some(&period.to_string()))
}

/// The tasks of the caller's own unit — a department's staff, a town's supervisors — for
/// the phone (`/sync/pull`); none for everyone else.
pub fn of_unit(state: &AppState, c: &mut DbConn, user: &CurrentUser) -> Result<Option<Vec<Task>>> {
    let unit = match (user.role, user.department()) {
        (Role::Department, Some(d)) => d.to_string(),
        (Role::Supervisor, _) if user.region_code.len() == 9 => user.region_code.clone(),
        _ => return Ok(None),
    };
    let rows = store::list(
        c,
        &TaskScope::Unit(unit),
        &TaskFilter::default(),
        None,
        MAX_PULLED,
    )?;
    let rows = &rows[..rows.len().min(MAX_PULLED as usize)];
    tasks_wire(state, c, rows).map(Some)
}

/// Tasks a phone holds at most.
const MAX_PULLED: i64 = 500;

/// The tasks of a year with their units, the latest progress reported before `until` and
/// the scores of `period`: what the performance records rest on.
pub struct YearBook {
    pub tasks: Vec<TaskRow>,
    pub units: Vec<TaskUnitRow>,
    /// `(task, unit)` → the latest cumulative value before `until`.
    pub progress: HashMap<(String, String), f64>,
    /// `(task, unit)` → the period's score.
    pub scores: HashMap<(String, String), f64>,
}

impl YearBook {
    pub fn load(c: &mut DbConn, period: &Period, until: NaiveDateTime) -> Result<YearBook> {
        let tasks = store::of_year(c, period.year)?;
        let ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
        let units = store::units_of(c, &ids)?;
        let reports = store::progress_of(c, &ids, Some(until))?;
        let progress = latest(&reports)
            .into_iter()
            .map(|(k, r)| (k, r.value))
            .collect();
        let scores = store::scores_of(c, &ids, &period.to_string())?
            .into_iter()
            .map(|s| ((s.task_id, s.unit), s.score))
            .collect();
        Ok(YearBook {
            tasks,
            units,
            progress,
            scores,
        })
    }

    /// The units that have tasks this year, by key, with their kind.
    pub fn unit_keys(&self) -> BTreeMap<String, String> {
        self.units
            .iter()
            .map(|u| (u.unit.clone(), u.kind.clone()))
            .collect()
    }
}
