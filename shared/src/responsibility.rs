//! Departments, the responsibility tasks (责任制) and the performance records (实绩档案):
//! wire types and the rules the phone and the server both apply (codes, periods,
//! completion and the weighted score).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::stats::{StatFigures, WorkerFigures};
use crate::validate::{self, FieldErrors};

/// A district department (区级部门).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    pub id: Uuid,
    /// `D` and 2–3 digits.
    pub code: String,
    pub name: String,
}

/// `POST /departments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDepartment {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(pattern = "^D[0-9]{2,3}$"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
}

/// Is `code` a department code: `D` followed by 2 or 3 digits?
pub fn is_department_code(code: &str) -> bool {
    let digits = code.strip_prefix('D').unwrap_or("");
    (2..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

impl NewDepartment {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if !is_department_code(&self.code) {
            e.push("code", "must be D followed by 2 or 3 digits");
        }
        validate::name(&mut e, "name", &self.name, 100);
        e.into_result()
    }
}

/// A unit's duty for a task: territorial (属地, a town) or functional (属事, a department).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    Territorial,
    Functional,
}

impl Duty {
    pub fn as_str(self) -> &'static str {
        match self {
            Duty::Territorial => "territorial",
            Duty::Functional => "functional",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "territorial" => Some(Duty::Territorial),
            "functional" => Some(Duty::Functional),
            _ => None,
        }
    }
}

/// A responsible unit: a department or a town (9-digit region code), exactly one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    Department(Uuid),
    Town(String),
}

impl Unit {
    /// The unit named by a request's `department_id` / `region_code` pair: exactly one of
    /// them, the region a town's code. Errors are pushed on `field`.
    pub fn from_parts(
        e: &mut FieldErrors,
        field: &str,
        department_id: Option<Uuid>,
        region_code: Option<&str>,
    ) -> Option<Unit> {
        match (department_id, region_code) {
            (Some(d), None) => Some(Unit::Department(d)),
            (None, Some(r)) if r.len() == 9 && r.bytes().all(|b| b.is_ascii_digit()) => {
                Some(Unit::Town(r.to_string()))
            }
            (None, Some(_)) => {
                e.push(field, "region_code must be a town's 9-digit code");
                None
            }
            _ => {
                e.push(field, "name exactly one of department_id and region_code");
                None
            }
        }
    }

    /// The key a unit is stored under: a department's id or a town's code.
    pub fn key(&self) -> String {
        match self {
            Unit::Department(d) => d.to_string(),
            Unit::Town(r) => r.clone(),
        }
    }

    pub fn department_id(&self) -> Option<Uuid> {
        match self {
            Unit::Department(d) => Some(*d),
            Unit::Town(_) => None,
        }
    }

    pub fn region_code(&self) -> Option<String> {
        match self {
            Unit::Department(_) => None,
            Unit::Town(r) => Some(r.clone()),
        }
    }
}

/// `POST /tasks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._-]{1,32}$"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub year: i32,
    /// What is measured, e.g. "hazards rectified".
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub indicator: String,
    pub due_date: NaiveDate,
    /// The task's weight in a unit's weighted score (> 0).
    #[cfg_attr(feature = "openapi", schema(exclusive_minimum = 0, maximum = 1000))]
    pub weight: f64,
}

impl NewTask {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if !(1..=32).contains(&self.code.len())
            || !self
                .code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            e.push("code", "must be 1–32 letters, digits, '.', '_' or '-'");
        }
        validate::name(&mut e, "title", &self.title, 200);
        if !self.description.is_empty() {
            validate::text(&mut e, "description", &self.description, 0, 4000);
        }
        if !(2000..=2100).contains(&self.year) {
            e.push("year", "must be between 2000 and 2100");
        }
        validate::name(&mut e, "indicator", &self.indicator, 200);
        if !crate::utc::date_in_range(self.due_date) {
            e.push("due_date", "must be a date between 1900 and 2199");
        }
        if !self.weight.is_finite() || self.weight <= 0.0 || self.weight > 1000.0 {
            e.push("weight", "must be more than 0 and at most 1000");
        }
        e.into_result()
    }
}

/// A task as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: Uuid,
    pub code: String,
    pub title: String,
    pub description: String,
    pub year: i32,
    pub indicator: String,
    pub due_date: NaiveDate,
    pub weight: f64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    /// Its responsible units.
    pub unit_count: i64,
    /// Units whose completion is 1.
    pub units_complete: i64,
    /// Units past the due date (China Standard Time) and not complete.
    pub units_overdue: i64,
}

/// One unit of `PUT /tasks/{id}/units`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitAssignment {
    #[serde(default)]
    pub department_id: Option<Uuid>,
    /// A town's 9-digit code.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{9}$"))]
    pub region_code: Option<String>,
    pub duty: Duty,
    #[cfg_attr(feature = "openapi", schema(exclusive_minimum = 0))]
    pub target: f64,
}

/// `PUT /tasks/{id}/units`: the whole set of responsible units (it replaces the set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitsRequest {
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub units: Vec<UnitAssignment>,
}

/// Units one task may have.
pub const MAX_UNITS: usize = 200;

impl UnitsRequest {
    /// Checks the request; answers the units in order.
    pub fn validate(&self) -> Result<Vec<Unit>, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.units.len() > MAX_UNITS {
            e.push("units", format!("at most {MAX_UNITS} units"));
            return Err(e);
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::with_capacity(self.units.len());
        for (i, u) in self.units.iter().enumerate() {
            let field = format!("units[{i}]");
            if let Some(unit) =
                Unit::from_parts(&mut e, &field, u.department_id, u.region_code.as_deref())
            {
                if !seen.insert(unit.clone()) {
                    e.push(&field, "names a unit twice");
                }
                out.push(unit);
            }
            if !u.target.is_finite() || u.target <= 0.0 || u.target > 1e12 {
                e.push(format!("{field}.target"), "must be more than 0");
            }
        }
        e.into_result().map(|_| out)
    }
}

/// A responsible unit of a task with where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskUnit {
    pub department_id: Option<Uuid>,
    pub region_code: Option<String>,
    /// The department's or the town's name.
    pub name: String,
    pub duty: Duty,
    pub target: f64,
    /// The latest report's cumulative value (0 before any report).
    pub progress: f64,
    /// `min(1, progress ÷ target)`.
    pub completion: f64,
    /// The district's score of the unit for the task's year (`YYYY`), if given.
    pub score: Option<f64>,
    /// Past the due date (China Standard Time) and not complete.
    pub overdue: bool,
    #[serde(with = "crate::utc::option")]
    pub reported_at: Option<DateTime<Utc>>,
}

/// `GET /tasks/{id}`: the task, its units and its progress reports (newest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskDetail {
    #[serde(flatten)]
    pub task: Task,
    pub units: Vec<TaskUnit>,
    pub reports: Vec<Progress>,
}

/// `POST /tasks/{id}/progress`: a unit's cumulative value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewProgress {
    pub id: Uuid,
    #[serde(default)]
    pub department_id: Option<Uuid>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{9}$"))]
    pub region_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub value: f64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
    #[serde(with = "crate::utc")]
    pub reported_at: DateTime<Utc>,
}

impl NewProgress {
    /// Checks the request; answers the unit it reports for.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<Unit, FieldErrors> {
        let mut e = FieldErrors::new();
        let unit = Unit::from_parts(
            &mut e,
            "department_id",
            self.department_id,
            self.region_code.as_deref(),
        );
        if !self.value.is_finite() || self.value < 0.0 || self.value > 1e12 {
            e.push("value", "must be 0 or more");
        }
        if !self.note.is_empty() {
            validate::text(&mut e, "note", &self.note, 0, 2000);
        }
        if self.reported_at > now + chrono::Duration::minutes(5) {
            e.push("reported_at", "must not be in the future");
        }
        if !crate::utc::date_in_range(self.reported_at.date_naive()) {
            e.push("reported_at", "must be between 1900 and 2199");
        }
        e.into_result().map(|_| unit.expect("no errors"))
    }
}

/// A progress report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub id: Uuid,
    pub task_id: Uuid,
    pub department_id: Option<Uuid>,
    pub region_code: Option<String>,
    pub value: f64,
    pub note: String,
    #[serde(with = "crate::utc")]
    pub reported_at: DateTime<Utc>,
    pub reporter_id: Uuid,
    /// The evidence added to the report (`POST /task-progress/{id}/photos`).
    #[serde(default)]
    pub photos: Vec<crate::incident::PhotoRef>,
}

/// One unit's score in `PUT /tasks/{id}/scores`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitScore {
    #[serde(default)]
    pub department_id: Option<Uuid>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{9}$"))]
    pub region_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub score: f64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
}

/// `PUT /tasks/{id}/scores`: the district's scores of some of a task's units for a period
/// (each replaces that unit's score of the period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoresRequest {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}(-[0-9]{2})?$"))]
    pub period: String,
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub scores: Vec<UnitScore>,
}

impl ScoresRequest {
    /// Checks the request; answers the period and the units in order.
    pub fn validate(&self) -> Result<(Period, Vec<Unit>), FieldErrors> {
        let mut e = FieldErrors::new();
        let period = Period::parse(&self.period);
        if period.is_none() {
            e.push("period", "must be YYYY or YYYY-MM");
        }
        if self.scores.len() > MAX_UNITS {
            e.push("scores", format!("at most {MAX_UNITS} scores"));
            return Err(e);
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut units = Vec::with_capacity(self.scores.len());
        for (i, s) in self.scores.iter().enumerate() {
            let field = format!("scores[{i}]");
            if let Some(unit) =
                Unit::from_parts(&mut e, &field, s.department_id, s.region_code.as_deref())
            {
                if !seen.insert(unit.clone()) {
                    e.push(&field, "names a unit twice");
                }
                units.push(unit);
            }
            if !s.score.is_finite() || !(0.0..=100.0).contains(&s.score) {
                e.push(format!("{field}.score"), "must be between 0 and 100");
            }
            if !s.note.is_empty() {
                validate::text(&mut e, &format!("{field}.note"), &s.note, 0, 2000);
            }
        }
        e.into_result().map(|_| (period.expect("no errors"), units))
    }
}

/// A period of the performance records: a year or a month, in China Standard Time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    /// 1–12, or none for the whole year.
    pub month: Option<u32>,
}

impl Period {
    /// `YYYY` or `YYYY-MM` (years 2000–2100).
    pub fn parse(s: &str) -> Option<Period> {
        let (y, m) = match s.split_once('-') {
            Some((y, m)) => (y, Some(m)),
            None => (s, None),
        };
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        if !(2000..=2100).contains(&year) {
            return None;
        }
        let month = match m {
            None => None,
            Some(m) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                let m: u32 = m.parse().ok()?;
                (1..=12).contains(&m).then_some(m)?.into()
            }
            Some(_) => return None,
        };
        Some(Period { year, month })
    }

    /// The first local day of the period.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), 1).expect("valid period")
    }

    /// The last local day of the period.
    pub fn last_day(&self) -> NaiveDate {
        let next = match self.month {
            None | Some(12) => NaiveDate::from_ymd_opt(self.year + 1, 1, 1),
            Some(m) => NaiveDate::from_ymd_opt(self.year, m + 1, 1),
        };
        next.expect("valid period")
            .pred_opt()
            .expect("valid period")
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.month {
            None => write!(f, "{:04}", self.year),
            Some(m) => write!(f, "{:04}-{m:02}", self.year),
        }
    }
}

/// `min(1, progress ÷ target)`; 0 for a target that is not positive.
pub fn completion(progress: f64, target: f64) -> f64 {
    if target > 0.0 {
        (progress / target).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Σ weight × score ÷ Σ weight over the scored tasks; none when none is scored.
pub fn weighted_score(tasks: &[TaskRecord]) -> Option<f64> {
    let (num, den) = tasks
        .iter()
        .filter_map(|t| t.score.map(|s| (t.weight * s, t.weight)))
        .fold((0.0, 0.0), |(n, d), (a, b)| (n + a, d + b));
    (den > 0.0).then(|| num / den)
}

/// One task in a unit's performance record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskRecord {
    pub task_id: Uuid,
    pub code: String,
    pub title: String,
    pub weight: f64,
    pub target: f64,
    /// The latest progress reported up to the end of the period.
    pub progress: f64,
    pub completion: f64,
    /// The score given for the period, if any.
    pub score: Option<f64>,
}

/// What kind of unit a record is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Department,
    Town,
}

/// A town's figures for the period: the figures `/stats` counts, the points its
/// volunteers' teams earned and the deliberation items its communities completed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TownFigures {
    #[serde(flatten)]
    pub figures: StatFigures,
    pub teams_points: i64,
    pub deliberations_done: i64,
}

/// A department's dispatched incidents in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentFigures {
    /// Incidents dispatched to it in the period (by dispatch time).
    pub handled: i64,
    /// Of them, those closed.
    pub closed: i64,
    /// Closed at or before `due_at` ÷ closed; null when none is closed.
    pub closed_on_time_rate: Option<f64>,
}

/// A responsible unit's performance record (实绩档案) for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformanceRecord {
    pub kind: RecordKind,
    pub department_id: Option<Uuid>,
    pub region_code: Option<String>,
    pub name: String,
    pub period: String,
    pub tasks: Vec<TaskRecord>,
    /// Σ weight × score ÷ Σ weight over its scored tasks; null when none is scored.
    pub weighted_score: Option<f64>,
    /// A town's figures (towns only).
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub town: Option<TownFigures>,
    /// A department's dispatched incidents (departments only).
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentFigures>,
}

/// `POST /performance/snapshots`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSnapshot {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}(-[0-9]{2})?$"))]
    pub period: String,
}

/// A frozen performance record: `sha256` is of the document `GET
/// /performance/snapshots/{id}` serves, byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snapshot {
    pub id: Uuid,
    pub period: String,
    #[serde(with = "crate::utc")]
    pub taken_at: DateTime<Utc>,
    pub sha256: String,
}

/// The document a snapshot freezes: every unit's and every worker's record of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotDocument {
    pub period: String,
    #[serde(with = "crate::utc")]
    pub taken_at: DateTime<Utc>,
    pub units: Vec<PerformanceRecord>,
    pub workers: Vec<WorkerFigures>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_codes() {
        for ok in ["D01", "D999", "D10"] {
            assert!(is_department_code(ok), "{ok}");
        }
        for bad in ["D1", "D1000", "d01", "X01", "D0a", "", "D"] {
            assert!(!is_department_code(bad), "{bad}");
        }
    }

    #[test]
    fn periods() {
        let y = Period::parse("2026").unwrap();
        assert_eq!(
            (y.first_day().to_string(), y.last_day().to_string()),
            ("2026-01-01".into(), "2026-12-31".into())
        );
        let m = Period::parse("2024-02").unwrap();
        assert_eq!(m.last_day().to_string(), "2024-02-29");
        assert_eq!(m.to_string(), "2024-02");
        for bad in [
            "26",
            "2026-13",
            "2026-00",
            "2026-1",
            "1999",
            "2026-05-01",
            "abcd",
            "2026-",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn completion_and_weighted_score() {
        assert_eq!(completion(5.0, 10.0), 0.5);
        assert_eq!(completion(15.0, 10.0), 1.0);
        let t = |weight: f64, score: Option<f64>| TaskRecord {
            task_id: Uuid::nil(),
            code: String::new(),
            title: String::new(),
            weight,
            target: 1.0,
            progress: 0.0,
            completion: 0.0,
            score,
        };
        assert_eq!(weighted_score(&[t(1.0, None)]), None);
        // (2×90 + 1×60) ÷ 3 = 80; the unscored task does not count.
        let w = weighted_score(&[t(2.0, Some(90.0)), t(1.0, Some(60.0)), t(5.0, None)]);
        assert!((w.unwrap() - 80.0).abs() < 1e-9);
    }
}
