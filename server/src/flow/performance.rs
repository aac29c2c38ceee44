//! Performance records (实绩档案): per responsible unit and per worker for a year or a
//! month (China Standard Time), computed from the records — tasks' completion and scores,
//! a town's figures, a department's dispatched incidents — and snapshots that freeze a
//! period's records byte for byte, with their SHA-256, never to change.
//!
//! Who sees what: admins and district supervisors every unit; a town's supervisors their
//! town; department staff their department; workers and volunteers nothing (403).

use std::collections::{BTreeMap, HashMap};

use chrono::Duration;
use gridwork_shared::api::Role;
use gridwork_shared::responsibility::{
    self as rules, DepartmentFigures, PerformanceRecord, Period, RecordKind, Snapshot,
    SnapshotDocument, TaskRecord, TownFigures,
};
use gridwork_shared::stats::WorkerFigures;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::models::SnapshotRow;
use crate::db::page::{Cursor, PageRequest};
use crate::db::{self, DbConn, audit, tasks as store, to_utc};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::stats::Range;
use crate::flow::tasks::{YearBook, is_district, unit_names};
use crate::flow::{page_of, parse_id};

/// A period from the query: `YYYY` or `YYYY-MM` (422 otherwise).
pub fn parse_period(raw: Option<&str>) -> Result<Period> {
    raw.and_then(Period::parse)
        .ok_or_else(|| Error::invalid("period", "must be YYYY or YYYY-MM"))
}

/// The period as a range of local days, in UTC instants.
pub fn range_of(state: &AppState, period: &Period) -> Range {
    let calendar = &state.config.calendar;
    let (from, to) = (period.first_day(), period.last_day());
    Range {
        from,
        to,
        start: calendar.day_start(from).naive_utc(),
        end: calendar.day_start(to + Duration::days(1)).naive_utc(),
    }
}

/// Which units' records a caller may read, narrowed by `department=` and `region=`.
#[derive(Debug, Clone)]
struct Audience {
    /// Every department (`None`), one (`Some(id)`), or none at all.
    departments: Option<Option<String>>,
    /// Towns at or under this prefix, or none at all.
    towns: Option<String>,
}

fn audience(
    user: &CurrentUser,
    department: Option<&str>,
    region: Option<&str>,
) -> Result<Audience> {
    let department = department
        .filter(|d| !d.is_empty())
        .map(|d| {
            Uuid::parse_str(d)
                .map(|u| u.to_string())
                .map_err(|_| Error::invalid("department", "must be a department id"))
        })
        .transpose()?;
    let region = region
        .filter(|r| !r.is_empty())
        .map(crate::flow::regions::parse_region)
        .transpose()?;
    let mut a = if is_district(user) {
        Audience {
            departments: Some(None),
            towns: Some(String::new()),
        }
    } else {
        match user.role {
            Role::Supervisor if user.region_code.len() >= 9 => Audience {
                departments: None,
                towns: Some(user.region_code[..9].to_string()),
            },
            Role::Department => Audience {
                departments: Some(Some(user.department().unwrap_or("-").to_string())),
                towns: None,
            },
            _ => {
                return Err(Error::forbidden(
                    "performance records are for supervisors, department staff and admins",
                ));
            }
        }
    };
    if let Some(d) = department {
        match &a.departments {
            Some(None) => a.departments = Some(Some(d)),
            Some(Some(mine)) if *mine == d => {}
            _ => return Err(Error::not_found()),
        }
        a.towns = None;
    }
    if let Some(r) = region {
        match &a.towns {
            // The region lies inside what the caller sees, or holds it.
            Some(t) if r.starts_with(t.as_str()) => a.towns = Some(r),
            Some(t) if t.starts_with(r.as_str()) => {}
            _ => return Err(Error::not_found()),
        }
        a.departments = None;
    }
    Ok(a)
}

impl Audience {
    fn sees(&self, kind: &str, key: &str) -> bool {
        match kind {
            "department" => match &self.departments {
                Some(None) => true,
                Some(Some(d)) => d == key,
                None => false,
            },
            _ => self
                .towns
                .as_ref()
                .is_some_and(|t| key.starts_with(t.as_str())),
        }
    }
}

/// The records of every unit the audience sees, departments first (by name), then towns
/// (by code).
fn records_for(
    state: &AppState,
    c: &mut DbConn,
    period: &Period,
    audience: &Audience,
) -> Result<Vec<PerformanceRecord>> {
    let range = range_of(state, period);
    let book = YearBook::load(c, period, range.end)?;
    let names = unit_names(c)?;
    let keys: Vec<(String, String)> = book
        .unit_keys()
        .into_iter()
        .filter(|(key, kind)| audience.sees(kind, key))
        .collect();
    let wants_departments = keys.iter().any(|(_, k)| k == "department");
    let dispatched = if wants_departments {
        department_figures(c, &range)?
    } else {
        HashMap::new()
    };
    let weights: HashMap<&str, &crate::db::models::TaskRow> =
        book.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut out = Vec::with_capacity(keys.len());
    for (key, kind) in &keys {
        let tasks: Vec<TaskRecord> = book
            .units
            .iter()
            .filter(|u| &u.unit == key)
            .filter_map(|u| weights.get(u.task_id.as_str()).map(|t| (u, t)))
            .map(|(u, t)| {
                let k = (t.id.clone(), key.clone());
                let progress = book.progress.get(&k).copied().unwrap_or(0.0);
                TaskRecord {
                    task_id: Uuid::parse_str(&t.id).unwrap_or_default(),
                    code: t.code.clone(),
                    title: t.title.clone(),
                    weight: t.weight,
                    target: u.target,
                    progress,
                    completion: rules::completion(progress, u.target),
                    score: book.scores.get(&k).copied(),
                }
            })
            .collect();
        let weighted_score = rules::weighted_score(&tasks);
        let name = names.get(key).cloned().unwrap_or_default();
        let record = if kind == "department" {
            PerformanceRecord {
                kind: RecordKind::Department,
                department_id: Uuid::parse_str(key).ok(),
                region_code: None,
                name,
                period: period.to_string(),
                tasks,
                weighted_score,
                town: None,
                department: Some(dispatched.get(key).cloned().unwrap_or_default()),
            }
        } else {
            PerformanceRecord {
                kind: RecordKind::Town,
                department_id: None,
                region_code: Some(key.clone()),
                name,
                period: period.to_string(),
                tasks,
                weighted_score,
                town: Some(town_figures(state, c, key, &range)?),
                department: None,
            }
        };
        out.push(record);
    }
    out.sort_by(|a, b| {
        (a.kind != RecordKind::Department, &a.region_code, &a.name).cmp(&(
            b.kind != RecordKind::Department,
            &b.region_code,
            &b.name,
        ))
    });
    Ok(out)
}

/// Every department's dispatched incidents in the range, by department id.
fn department_figures(c: &mut DbConn, range: &Range) -> Result<HashMap<String, DepartmentFigures>> {
    let mut by: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for (incident, data) in store::department_dispatches(c, range.start, range.end)? {
        let department = data
            .as_deref()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .and_then(|v| v["department_id"].as_str().map(str::to_string));
        if let Some(d) = department {
            by.entry(d).or_default().insert(incident);
        }
    }
    let ids: Vec<String> = by
        .values()
        .flatten()
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let outcomes: HashMap<String, (bool, bool)> = store::outcomes(c, &ids)?
        .into_iter()
        .map(|(id, status, closed_at, due_at)| {
            let closed = status == "closed";
            (
                id,
                (closed, closed && closed_at.is_some_and(|at| at <= due_at)),
            )
        })
        .collect();
    Ok(by
        .into_iter()
        .map(|(d, incidents)| {
            let handled = incidents.len() as i64;
            let closed = incidents
                .iter()
                .filter(|i| outcomes.get(*i).is_some_and(|o| o.0))
                .count() as i64;
            let on_time = incidents
                .iter()
                .filter(|i| outcomes.get(*i).is_some_and(|o| o.1))
                .count() as i64;
            (
                d,
                DepartmentFigures {
                    handled,
                    closed,
                    closed_on_time_rate: (closed > 0).then(|| on_time as f64 / closed as f64),
                },
            )
        })
        .collect())
}

/// A town's figures for the range: what `/stats` counts for it, the points its teams'
/// volunteers earned and the deliberation items its communities completed.
fn town_figures(
    state: &AppState,
    c: &mut DbConn,
    town: &str,
    range: &Range,
) -> Result<TownFigures> {
    let stats = crate::flow::stats::stats(state, c, town, range)?;
    let teams_points = crate::flow::teams::team_stats(c, town, Some((range.start, range.end)))?
        .iter()
        .map(|t| t.points)
        .sum();
    let deliberations_done =
        crate::db::deliberations::done_between(c, town, range.start, range.end)?;
    Ok(TownFigures {
        figures: stats.overall,
        teams_points,
        deliberations_done,
    })
}

/// `GET /performance`: the records of the units the caller sees for the period.
pub fn records(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    period: Option<&str>,
    department: Option<&str>,
    region: Option<&str>,
) -> Result<Vec<PerformanceRecord>> {
    let audience = audience(user, department, region)?;
    let period = parse_period(period)?;
    records_for(state, c, &period, &audience)
}

/// `GET /performance/workers`: each worker's figures for the period, in the region asked
/// (supervisors and admins, within their scope).
pub fn workers(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    period: Option<&str>,
    region: Option<&str>,
) -> Result<Vec<WorkerFigures>> {
    let region = crate::flow::stats::region_for(user, region)?;
    let period = parse_period(period)?;
    crate::flow::stats::worker_stats(c, &region, &range_of(state, &period))
}

/// 403 unless the caller may read snapshots: admins and district supervisors.
pub fn require_snapshot_reader(user: &CurrentUser) -> Result<()> {
    if is_district(user) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "snapshots are for admins and district supervisors",
        ))
    }
}

fn snapshot_wire(
    id: &str,
    period: &str,
    taken_at: chrono::NaiveDateTime,
    sha256: &str,
) -> Snapshot {
    Snapshot {
        id: Uuid::parse_str(id).unwrap_or_default(),
        period: period.to_string(),
        taken_at: to_utc(taken_at),
        sha256: sha256.to_string(),
    }
}

/// Freezes the period's records (admins): every unit's and every worker's, as one JSON
/// document kept byte for byte with its SHA-256. Audited.
pub fn take_snapshot(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    period: &str,
) -> Result<Snapshot> {
    if !user.is_admin() {
        return Err(Error::forbidden("only admins take snapshots"));
    }
    let period =
        Period::parse(period).ok_or_else(|| Error::invalid("period", "must be YYYY or YYYY-MM"))?;
    let everyone = Audience {
        departments: Some(None),
        towns: Some(String::new()),
    };
    let now = state.clock.now();
    let taken_at = crate::core::time::to_db(now);
    // One read snapshot of the records, then the write.
    let document = db::write_tx(c, |c| -> Result<Vec<u8>> {
        let doc = SnapshotDocument {
            period: period.to_string(),
            taken_at: to_utc(taken_at),
            units: records_for(state, c, &period, &everyone)?,
            workers: crate::flow::stats::worker_stats(c, "", &range_of(state, &period))?,
        };
        Ok(serde_json::to_vec(&doc).map_err(anyhow::Error::from)?)
    })?;
    let sha256 = hex::encode(Sha256::digest(&document));
    let row = SnapshotRow {
        id: Uuid::now_v7().to_string(),
        period: period.to_string(),
        taken_at,
        taken_by: user.id.clone(),
        document: String::from_utf8(document).map_err(anyhow::Error::from)?,
        sha256,
    };
    db::write_tx(c, |c| -> Result<()> {
        store::insert_snapshot(c, &row)?;
        audit::append(
            c,
            taken_at,
            audit::Entry {
                actor_id: Some(&user.id),
                action: "performance_snapshot",
                entity_type: "performance_snapshot",
                entity_id: &row.id,
                outcome: "success",
                ip: Some(&user.ip),
                detail: Some(&format!("{} sha256 {}", row.period, row.sha256)),
            },
        )?;
        Ok(())
    })?;
    Ok(snapshot_wire(
        &row.id,
        &row.period,
        row.taken_at,
        &row.sha256,
    ))
}

/// A snapshot's document, exactly as frozen.
pub fn snapshot_document(c: &mut DbConn, user: &CurrentUser, id: &str) -> Result<String> {
    require_snapshot_reader(user)?;
    let id = parse_id(id)?;
    let row = store::find_snapshot(c, &id)?.ok_or_else(Error::not_found)?;
    Ok(row.document)
}

/// Snapshots newest first (without their documents).
pub fn snapshots(
    c: &mut DbConn,
    user: &CurrentUser,
    page: &PageRequest,
) -> Result<(Vec<Snapshot>, Option<String>)> {
    require_snapshot_reader(user)?;
    let rows = store::snapshots(c, page.after.as_ref(), page.limit)?;
    page_of(
        rows,
        page,
        |r| Cursor::new(r.2, &r.0),
        |r| Ok(snapshot_wire(&r.0, &r.1, r.2, &r.3)),
    )
}
