//! Bulk writing for the benchmark generator (`gridwork synth`): many rows per statement,
//! many statements per transaction, on either engine. Values are written as SQL literals
//! by [`Lit`], never spliced in by callers.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::DbConn;

/// A value of a generated row.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit<'a> {
    Text(&'a str),
    Owned(String),
    Int(i64),
    Real(f64),
    Time(NaiveDateTime),
    Bool(bool),
    Null,
}

impl Lit<'_> {
    fn write(&self, out: &mut String) {
        use std::fmt::Write as _;
        match self {
            Lit::Text(s) => quote(out, s),
            Lit::Owned(s) => quote(out, s),
            Lit::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Lit::Real(v) => {
                let _ = write!(out, "{v}");
            }
            // The form both engines store (see `db::now`).
            Lit::Time(t) => {
                let _ = write!(out, "'{}'", t.format("%Y-%m-%d %H:%M:%S%.6f"));
            }
            Lit::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
            Lit::Null => out.push_str("NULL"),
        }
    }
}

fn quote(out: &mut String, s: &str) {
    out.push('\'');
    for ch in s.chars() {
        if ch == '\'' {
            out.push('\'');
        }
        out.push(ch);
    }
    out.push('\'');
}

impl<'a> From<&'a str> for Lit<'a> {
    fn from(s: &'a str) -> Self {
        Lit::Text(s)
    }
}
impl<'a> From<&&'a str> for Lit<'a> {
    fn from(s: &&'a str) -> Self {
        Lit::Text(s)
    }
}
impl<'a> From<&'a String> for Lit<'a> {
    fn from(s: &'a String) -> Self {
        Lit::Text(s)
    }
}
impl From<String> for Lit<'_> {
    fn from(s: String) -> Self {
        Lit::Owned(s)
    }
}
impl From<i64> for Lit<'_> {
    fn from(n: i64) -> Self {
        Lit::Int(n)
    }
}
impl From<i32> for Lit<'_> {
    fn from(n: i32) -> Self {
        Lit::Int(n.into())
    }
}
impl From<f64> for Lit<'_> {
    fn from(v: f64) -> Self {
        Lit::Real(v)
    }
}
impl From<bool> for Lit<'_> {
    fn from(b: bool) -> Self {
        Lit::Bool(b)
    }
}
impl From<NaiveDateTime> for Lit<'_> {
    fn from(t: NaiveDateTime) -> Self {
        Lit::Time(t)
    }
}
impl<'a, T: Into<Lit<'a>>> From<Option<T>> for Lit<'a> {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Lit::Null)
    }
}

/// A value as a [`Lit`].
pub fn lit<'a>(v: impl Into<Lit<'a>>) -> Lit<'a> {
    v.into()
}

/// The tables the generator fills, with the columns it writes, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Regions,
    Cells,
    Users,
    CellWorkers,
    Incidents,
    IncidentHistory,
    Persons,
    Visits,
    SafetyUnits,
    Inspections,
    Hazards,
    Deliberations,
    Campaigns,
    Nominations,
    Teams,
    TeamCells,
    TeamMembers,
    Patrols,
    PatrolMembers,
    Departments,
    /// Users of role `department`, with their department.
    DepartmentStaff,
    Tasks,
    TaskUnits,
    TaskProgress,
    TaskScores,
}

impl Table {
    fn head(self) -> &'static str {
        match self {
            Table::Regions => "INSERT INTO regions (code, name, level, parent_code, created_at)",
            Table::Cells => {
                "INSERT INTO cells (id, code, name, community_code, geometry, min_lon, min_lat, \
                 max_lon, max_lat, valid_from, valid_to, created_at)"
            }
            Table::Users => {
                "INSERT INTO users (id, username, password_hash, role, region_code, display_name, \
                 active, created_at, updated_at)"
            }
            Table::CellWorkers => "INSERT INTO cell_workers (cell_code, user_id, assigned_at)",
            Table::Incidents => {
                "INSERT INTO incidents (id, category, title, description, lon, lat, cell_code, \
                 occurred_at, severity, status, level, due_at, reporter_id, assignee_id, \
                 resolver_id, merged_into, conflict, rework_count, version, body_hash, \
                 created_at, updated_at, closed_at, department_id)"
            }
            Table::IncidentHistory => {
                "INSERT INTO incident_history (id, incident_id, at, actor_id, action, from_state, \
                 to_state, note, conflict, data)"
            }
            Table::Persons => {
                "INSERT INTO persons (id, category, name_enc, id_number_enc, id_number_masked, \
                 address_enc, lon, lat, cell_code, risk_level, responsible_worker_id, active, \
                 last_visit_at, last_outcome, last_met_at, next_visit_due, version, body_hash, \
                 created_by, created_at, updated_at)"
            }
            Table::Visits => {
                "INSERT INTO visits (id, person_id, visitor_id, visited_at, lon, lat, outcome, \
                 note, risk_level, distance_m, far, due_at, on_time, body_hash, created_at)"
            }
            Table::SafetyUnits => {
                "INSERT INTO safety_units (id, kind, name, address, lon, lat, cell_code, \
                 certification, certified_at, certified_by, last_inspected_at, open_hazards, \
                 earliest_open_deadline, version, body_hash, created_by, created_at, updated_at)"
            }
            Table::Inspections => {
                "INSERT INTO inspections (id, unit_id, inspector_id, inspected_at, lon, lat, \
                 result, note, body_hash, created_at)"
            }
            Table::Hazards => {
                "INSERT INTO hazards (id, unit_id, inspection_id, description, deadline, \
                 closed_at, closed_by)"
            }
            Table::Deliberations => {
                "INSERT INTO deliberations (id, region_code, title, description, status, \
                 decision, outcome, raised_by, version, body_hash, created_at, updated_at, done_at)"
            }
            Table::Campaigns => {
                "INSERT INTO campaigns (id, award, level, region_code, year, quota, selected, \
                 nominations_close, status, created_by, version, body_hash, created_at, updated_at)"
            }
            Table::Nominations => {
                "INSERT INTO nominations (id, campaign_id, nominee_name, nominee_region_code, \
                 story, status, nominated_by, version, body_hash, created_at, updated_at)"
            }
            Table::Teams => {
                "INSERT INTO teams (id, name, kind, region_code, leader_id, active, version, \
                 body_hash, created_by, created_at, updated_at)"
            }
            Table::TeamCells => "INSERT INTO team_cells (team_id, cell_code)",
            Table::TeamMembers => {
                "INSERT INTO team_members (team_id, user_id, joined_at, team_active)"
            }
            Table::Patrols => {
                "INSERT INTO patrols (id, team_id, started_at, ended_at, duration_s, route, note, \
                 recorded_by, body_hash, created_at)"
            }
            Table::PatrolMembers => "INSERT INTO patrol_members (patrol_id, user_id)",
            Table::Departments => "INSERT INTO departments (id, code, name, body_hash, created_at)",
            Table::DepartmentStaff => {
                "INSERT INTO users (id, username, password_hash, role, region_code, display_name, \
                 active, created_at, updated_at, department_id)"
            }
            Table::Tasks => {
                "INSERT INTO tasks (id, code, title, description, year, indicator, due_date, \
                 weight, body_hash, created_by, created_at)"
            }
            Table::TaskUnits => {
                "INSERT INTO task_units (task_id, unit, kind, duty, target, position)"
            }
            Table::TaskProgress => {
                "INSERT INTO task_progress (id, task_id, unit, value, note, reported_at, \
                 reporter_id, body_hash, created_at)"
            }
            Table::TaskScores => {
                "INSERT INTO task_scores (task_id, period, unit, score, note, scored_by, scored_at)"
            }
        }
    }
}

/// Collects rows of one table into a multi-row INSERT statement.
pub struct Inserter {
    table: Table,
    sql: String,
    rows: usize,
}

impl Inserter {
    /// Rows after which a statement is written.
    pub const ROWS_PER_STATEMENT: usize = 400;

    pub fn new(table: Table) -> Self {
        Inserter {
            table,
            sql: String::new(),
            rows: 0,
        }
    }

    /// Adds one row, its values in the table's column order.
    pub fn row(&mut self, values: &[Lit<'_>]) {
        if self.rows == 0 {
            self.sql.push_str(self.table.head());
            self.sql.push_str(" VALUES ");
        } else {
            self.sql.push(',');
        }
        self.sql.push('(');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            v.write(&mut self.sql);
        }
        self.sql.push(')');
        self.rows += 1;
    }

    /// Whether the statement has reached [`Self::ROWS_PER_STATEMENT`].
    pub fn is_full(&self) -> bool {
        self.rows >= Self::ROWS_PER_STATEMENT
    }

    /// Writes the rows collected so far.
    pub fn flush(&mut self, c: &mut DbConn) -> QueryResult<()> {
        if self.rows > 0 {
            c.batch_execute(&self.sql)?;
            self.sql.clear();
            self.rows = 0;
        }
        Ok(())
    }
}

/// Runs `f` in one plain transaction (the generator writes in long streams of them).
pub fn transaction<T>(
    c: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    c.batch_execute("BEGIN")?;
    match f(c) {
        Ok(v) => {
            c.batch_execute("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            let _ = c.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

/// How many cells the database holds (the generator writes only into an empty one).
pub fn cell_count(c: &mut DbConn) -> QueryResult<i64> {
    super::schema::cells::table.count().get_result(c)
}

/// Refreshes the planner's statistics after a bulk load.
pub fn analyze(c: &mut DbConn) -> QueryResult<()> {
    c.batch_execute("ANALYZE")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted() {
        let mut s = String::new();
        lit("it's").write(&mut s);
        s.push(' ');
        lit(Option::<&str>::None).write(&mut s);
        s.push(' ');
        lit(true).write(&mut s);
        assert_eq!(s, "'it''s' NULL TRUE");
    }
}
