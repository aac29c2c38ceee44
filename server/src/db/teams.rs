//! Volunteer teams: the team rows, their zones and members, patrols, and the counts the
//! points are made of (never a stored total).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, exists, sum};
use diesel::prelude::*;

use super::models::{PatrolRow, TeamMemberRow, TeamRow};
use super::page::{Cursor, PageRequest};
use super::schema::incident_history::dsl as h;
use super::schema::incidents::dsl as i;
use super::schema::patrol_members::dsl as pm;
use super::schema::patrols::dsl as p;
use super::schema::team_cells::dsl as tc;
use super::schema::team_members::dsl as tm;
use super::schema::teams::dsl as t;
use super::schema::users::dsl as u;
use super::{DbConn, like_prefix};

/// Which teams a caller may see.
#[derive(Debug, Clone)]
pub enum TeamScope {
    All,
    /// Teams whose region lies under this region code.
    Region(String),
    /// Teams this user is a member of.
    Member(String),
}

type Boxed<'a> = super::schema::teams::BoxedQuery<'a, <DbConn as Connection>::Backend>;

fn scoped(scope: &TeamScope) -> Boxed<'static> {
    let q = t::teams.into_boxed();
    match scope {
        TeamScope::All => q,
        TeamScope::Region(prefix) => {
            q.filter(t::region_code.like(like_prefix(prefix)).escape('\\'))
        }
        TeamScope::Member(uid) => q.filter(
            t::id.eq_any(
                tm::team_members
                    .filter(tm::user_id.eq(uid.clone()))
                    .select(tm::team_id),
            ),
        ),
    }
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<TeamRow>> {
    t::teams
        .find(id)
        .select(TeamRow::as_select())
        .first(c)
        .optional()
}

pub fn find_in_scope(c: &mut DbConn, scope: &TeamScope, id: &str) -> QueryResult<Option<TeamRow>> {
    scoped(scope)
        .filter(t::id.eq(id.to_string()))
        .select(TeamRow::as_select())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, row: &TeamRow) -> QueryResult<()> {
    diesel::insert_into(t::teams)
        .values(row)
        .execute(c)
        .map(|_| ())
}

/// Writes the team if it is still at `expected`; its members follow its `active`.
pub fn update_if_version(c: &mut DbConn, row: &TeamRow, expected: i64) -> QueryResult<bool> {
    let n = diesel::update(t::teams.find(&row.id).filter(t::version.eq(expected)))
        .set(row)
        .execute(c)?;
    if n == 1 {
        diesel::update(tm::team_members.filter(tm::team_id.eq(&row.id)))
            .set(tm::team_active.eq(row.active))
            .execute(c)?;
    }
    Ok(n == 1)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub region: Option<String>,
    pub kind: Option<String>,
    pub active: Option<bool>,
}

pub fn list(
    c: &mut DbConn,
    scope: &TeamScope,
    f: &Filter,
    page: &PageRequest,
) -> QueryResult<Vec<TeamRow>> {
    let mut q = scoped(scope);
    if let Some(region) = &f.region {
        q = q.filter(t::region_code.like(like_prefix(region)).escape('\\'));
    }
    if let Some(kind) = &f.kind {
        q = q.filter(t::kind.eq(kind.clone()));
    }
    if let Some(active) = f.active {
        q = q.filter(t::active.eq(active));
    }
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            t::created_at
                .lt(*created_at)
                .or(t::created_at.eq(*created_at).and(t::id.lt(id.clone()))),
        );
    }
    q.select(TeamRow::as_select())
        .order((t::created_at.desc(), t::id.desc()))
        .limit(page.limit + 1)
        .load(c)
}

/// Active teams under a region, by region and name (for the figures).
pub fn active_under(c: &mut DbConn, region: &str) -> QueryResult<Vec<TeamRow>> {
    t::teams
        .filter(t::region_code.like(like_prefix(region)).escape('\\'))
        .filter(t::active.eq(true))
        .select(TeamRow::as_select())
        .order((t::region_code.asc(), t::name.asc(), t::id.asc()))
        .load(c)
}

/// Replaces a team's zone.
pub fn set_cells(c: &mut DbConn, team: &str, codes: &[String]) -> QueryResult<()> {
    diesel::delete(tc::team_cells.filter(tc::team_id.eq(team))).execute(c)?;
    let rows: Vec<_> = codes
        .iter()
        .map(|code| (tc::team_id.eq(team), tc::cell_code.eq(code)))
        .collect();
    for chunk in rows.chunks(500) {
        match c {
            DbConn::Pg(pg) => diesel::insert_into(tc::team_cells)
                .values(chunk)
                .execute(pg)?,
            DbConn::Sqlite(s) => diesel::insert_into(tc::team_cells)
                .values(chunk)
                .execute(s)?,
        };
    }
    Ok(())
}

/// The zones of these teams: (team, cell code), by code.
pub fn cells_of(c: &mut DbConn, teams: &[String]) -> QueryResult<Vec<(String, String)>> {
    tc::team_cells
        .filter(tc::team_id.eq_any(teams))
        .select((tc::team_id, tc::cell_code))
        .order((tc::team_id.asc(), tc::cell_code.asc()))
        .load(c)
}

/// The zone cells of the active team a user is a member of.
pub fn zone_of_member(c: &mut DbConn, user: &str) -> QueryResult<Vec<String>> {
    tc::team_cells
        .filter(
            tc::team_id.eq_any(
                tm::team_members
                    .filter(tm::user_id.eq(user))
                    .filter(tm::team_active.eq(true))
                    .select(tm::team_id),
            ),
        )
        .select(tc::cell_code)
        .order(tc::cell_code.asc())
        .load(c)
}

/// A team's members with their display names, by name.
pub fn members_of(c: &mut DbConn, team: &str) -> QueryResult<Vec<(TeamMemberRow, String)>> {
    tm::team_members
        .inner_join(u::users)
        .filter(tm::team_id.eq(team))
        .select((TeamMemberRow::as_select(), u::display_name))
        .order((u::display_name.asc(), tm::user_id.asc()))
        .load(c)
}

/// The members of these teams: (team, user).
pub fn memberships(c: &mut DbConn, teams: &[String]) -> QueryResult<Vec<(String, String)>> {
    tm::team_members
        .filter(tm::team_id.eq_any(teams))
        .select((tm::team_id, tm::user_id))
        .load(c)
}

/// Of these users, those in an active team other than `team`: (user, that team).
pub fn in_other_active_team(
    c: &mut DbConn,
    team: &str,
    users: &[String],
) -> QueryResult<Vec<(String, String)>> {
    tm::team_members
        .filter(tm::user_id.eq_any(users))
        .filter(tm::team_active.eq(true))
        .filter(tm::team_id.ne(team))
        .select((tm::user_id, tm::team_id))
        .load(c)
}

/// Replaces a team's members: those who stay keep their `joined_at`. Answers the users
/// added and removed. A user already in another active team breaks the unique index
/// (the caller checks first; the index holds the rule against concurrent writes).
pub fn set_members(
    c: &mut DbConn,
    team: &TeamRow,
    users: &[String],
    now: NaiveDateTime,
) -> QueryResult<(Vec<String>, Vec<String>)> {
    let current: Vec<String> = tm::team_members
        .filter(tm::team_id.eq(&team.id))
        .select(tm::user_id)
        .load(c)?;
    let removed: Vec<String> = current
        .iter()
        .filter(|id| !users.contains(id))
        .cloned()
        .collect();
    let added: Vec<String> = users
        .iter()
        .filter(|id| !current.contains(id))
        .cloned()
        .collect();
    if !removed.is_empty() {
        diesel::delete(
            tm::team_members
                .filter(tm::team_id.eq(&team.id))
                .filter(tm::user_id.eq_any(&removed)),
        )
        .execute(c)?;
    }
    for id in &added {
        diesel::insert_into(tm::team_members)
            .values(&TeamMemberRow {
                team_id: team.id.clone(),
                user_id: id.clone(),
                joined_at: now,
                team_active: team.active,
            })
            .execute(c)?;
    }
    Ok((added, removed))
}

/// The active teams a user is a member of or leads, oldest first.
pub fn teams_of_user(c: &mut DbConn, user: &str) -> QueryResult<Vec<TeamRow>> {
    t::teams
        .filter(t::active.eq(true))
        .filter(
            t::leader_id.eq(user).or(t::id.eq_any(
                tm::team_members
                    .filter(tm::user_id.eq(user))
                    .select(tm::team_id),
            )),
        )
        .select(TeamRow::as_select())
        .order((t::created_at.asc(), t::id.asc()))
        .load(c)
}

/// A window of time `[from, to)`.
pub type Window = (NaiveDateTime, NaiveDateTime);

/// What the points of the members of these teams are made of, per user, counting records
/// in the window: reports created in it (all, and those that reached `accepted` and were
/// not merged as duplicates) and the patrols started in it that the user took part in
/// (their whole hours, each patrol rounded down).
#[derive(Debug, Default)]
pub struct MemberCounts {
    pub reports: HashMap<String, i64>,
    pub accepted: HashMap<String, i64>,
    pub patrol_hours: HashMap<String, i64>,
}

pub fn member_counts(
    c: &mut DbConn,
    teams: &[String],
    w: Option<Window>,
) -> QueryResult<MemberCounts> {
    let members = || {
        tm::team_members
            .filter(tm::team_id.eq_any(teams))
            .select(tm::user_id)
    };
    // A window is a filter only when there is one: PostgreSQL plans a prepared statement
    // once for any bounds, and a range over all of time planned as a narrow one walks every
    // patrol of the district by its start.
    macro_rules! within {
        ($q:expr, $at:expr, |$x:ident| $then:expr) => {
            match w {
                Some((from, to)) => {
                    let $x = $q.filter($at.ge(from)).filter($at.lt(to));
                    $then
                }
                None => {
                    let $x = $q;
                    $then
                }
            }
        };
    }
    let map = |v: Vec<(String, i64)>| -> HashMap<String, i64> { v.into_iter().collect() };
    let reports = map(within!(
        i::incidents.filter(i::reporter_id.eq_any(members())),
        i::created_at,
        |q| q
            .group_by(i::reporter_id)
            .select((i::reporter_id, count_star()))
            .load(c)?
    ));
    // Reached `accepted`: a step of the history (not a conflicting branch kept aside)
    // that led there. A duplicate merged into its original earns nothing, accepted or not.
    let accepted = map(within!(
        i::incidents
            .filter(i::reporter_id.eq_any(members()))
            .filter(i::merged_into.is_null())
            .filter(exists(
                h::incident_history
                    .filter(h::incident_id.eq(i::id))
                    .filter(h::to_state.eq("accepted"))
                    .filter(h::conflict.eq(false)),
            )),
        i::created_at,
        |q| q
            .group_by(i::reporter_id)
            .select((i::reporter_id, count_star()))
            .load(c)?
    ));
    let patrol_hours: Vec<(String, Option<i64>)> = within!(
        pm::patrol_members
            .inner_join(p::patrols)
            .filter(pm::user_id.eq_any(members())),
        p::started_at,
        |q| q
            .group_by(pm::user_id)
            .select((pm::user_id, sum(p::duration_s / 3600)))
            .load(c)?
    );
    let patrol_hours: HashMap<String, i64> = patrol_hours
        .into_iter()
        .map(|(k, n)| (k, n.unwrap_or(0)))
        .collect();
    Ok(MemberCounts {
        reports,
        accepted,
        patrol_hours,
    })
}

/// Per team: its patrols started in the window and the sum of their lengths in seconds.
pub fn patrol_totals(
    c: &mut DbConn,
    teams: &[String],
    w: Option<Window>,
) -> QueryResult<HashMap<String, (i64, i64)>> {
    let q = p::patrols.filter(p::team_id.eq_any(teams));
    let rows: Vec<(String, i64, Option<i64>)> = match w {
        Some((from, to)) => q
            .filter(p::started_at.ge(from))
            .filter(p::started_at.lt(to))
            .group_by(p::team_id)
            .select((p::team_id, count_star(), sum(p::duration_s)))
            .load(c)?,
        None => q
            .group_by(p::team_id)
            .select((p::team_id, count_star(), sum(p::duration_s)))
            .load(c)?,
    };
    Ok(rows
        .into_iter()
        .map(|(k, n, s)| (k, (n, s.unwrap_or(0))))
        .collect())
}

pub fn find_patrol(c: &mut DbConn, id: &str) -> QueryResult<Option<PatrolRow>> {
    p::patrols
        .find(id)
        .select(PatrolRow::as_select())
        .first(c)
        .optional()
}

pub fn insert_patrol(c: &mut DbConn, row: &PatrolRow, members: &[String]) -> QueryResult<()> {
    diesel::insert_into(p::patrols).values(row).execute(c)?;
    for m in members {
        diesel::insert_into(pm::patrol_members)
            .values((pm::patrol_id.eq(&row.id), pm::user_id.eq(m)))
            .execute(c)?;
    }
    Ok(())
}

/// The members of these patrols: (patrol, user).
pub fn patrol_members_of(c: &mut DbConn, patrols: &[String]) -> QueryResult<Vec<(String, String)>> {
    pm::patrol_members
        .filter(pm::patrol_id.eq_any(patrols))
        .select((pm::patrol_id, pm::user_id))
        .order((pm::patrol_id.asc(), pm::user_id.asc()))
        .load(c)
}

/// Which patrols a caller may list.
#[derive(Debug, Clone)]
pub enum PatrolScope {
    All,
    /// Patrols of teams under this region.
    Region(String),
    /// Patrols of the teams this user is a member of, and those it took part in.
    Member(String),
}

#[derive(Debug, Clone, Default)]
pub struct PatrolFilter {
    pub team: Option<String>,
    /// `started_at` in `[from, to)`.
    pub window: Option<Window>,
}

pub fn list_patrols(
    c: &mut DbConn,
    scope: &PatrolScope,
    f: &PatrolFilter,
    page: &PageRequest,
) -> QueryResult<Vec<PatrolRow>> {
    let mut q = p::patrols.into_boxed();
    q = match scope {
        PatrolScope::All => q,
        PatrolScope::Region(prefix) => q.filter(
            p::team_id.eq_any(
                t::teams
                    .filter(t::region_code.like(like_prefix(prefix)).escape('\\'))
                    .select(t::id),
            ),
        ),
        PatrolScope::Member(uid) => q.filter(
            p::team_id
                .eq_any(
                    tm::team_members
                        .filter(tm::user_id.eq(uid.clone()))
                        .select(tm::team_id),
                )
                .or(p::id.eq_any(
                    pm::patrol_members
                        .filter(pm::user_id.eq(uid.clone()))
                        .select(pm::patrol_id),
                )),
        ),
    };
    if let Some(team) = &f.team {
        q = q.filter(p::team_id.eq(team.clone()));
    }
    if let Some((from, to)) = f.window {
        q = q
            .filter(p::started_at.ge(from))
            .filter(p::started_at.lt(to));
    }
    if let Some(Cursor { created_at, id }) = &page.after {
        q = q.filter(
            p::created_at
                .lt(*created_at)
                .or(p::created_at.eq(*created_at).and(p::id.lt(id.clone()))),
        );
    }
    q.select(PatrolRow::as_select())
        .order((p::created_at.desc(), p::id.desc()))
        .limit(page.limit + 1)
        .load(c)
}
