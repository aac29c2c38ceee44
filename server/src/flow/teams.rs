//! Co-governance (群防群治): volunteer teams, their zones, members and leaders, patrols, and
//! points — counted from the records every time they are shown, never kept as a total.

use std::collections::{BTreeMap, HashMap};

use gridwork_shared::ErrorCode;
use gridwork_shared::FieldErrors;
use gridwork_shared::api::Role;
use gridwork_shared::team::{
    self as rules, NewPatrol, NewTeam, Patrol, Team, TeamDetail, TeamKind, TeamMember, TeamMembers,
    TeamPatch, TeamStats,
};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::models::{PatrolRow, TeamRow};
use crate::db::page::{Cursor, PageRequest};
use crate::db::teams::{self as store, Filter, PatrolFilter, PatrolScope, TeamScope, Window};
use crate::db::{self, DbConn, to_utc, users};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::body_hash;
use crate::flow::regions::parse_region;
use crate::flow::{parse_id, stats};

/// The teams a caller may read: admins all; supervisors and workers those whose region
/// their region holds; volunteers the teams they are members of.
pub fn scope_of(user: &CurrentUser) -> TeamScope {
    match user.role {
        Role::Admin => TeamScope::All,
        Role::Supervisor | Role::Worker => TeamScope::Region(user.region_code.clone()),
        // Department staff are members of no team: they see none.
        Role::Volunteer | Role::Department => TeamScope::Member(user.id.clone()),
    }
}

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

fn bad(what: &str, v: &str) -> Error {
    Error::Unexpected(anyhow::anyhow!("stored {what} is invalid: {v}"))
}

fn version_conflict(detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::VersionConflict, detail)
}

/// Each member's points over the window, from the counts of its records.
fn points_of(counts: &store::MemberCounts, user: &str) -> i64 {
    let accepted = counts.accepted.get(user).copied().unwrap_or(0);
    let hours = counts.patrol_hours.get(user).copied().unwrap_or(0);
    rules::POINTS_PER_ACCEPTED_REPORT * accepted + rules::POINTS_PER_PATROL_HOUR * hours
}

/// Teams as the API shows them: their zones, member counts and points (all time).
pub fn to_wire(c: &mut DbConn, rows: &[TeamRow]) -> Result<Vec<Team>> {
    Ok(with_counts(c, rows)?.0)
}

/// [`to_wire`], with the counts of their members' records the points came from.
fn with_counts(c: &mut DbConn, rows: &[TeamRow]) -> Result<(Vec<Team>, store::MemberCounts)> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut zones: HashMap<String, Vec<String>> = HashMap::new();
    for (team, code) in store::cells_of(c, &ids)? {
        zones.entry(team).or_default().push(code);
    }
    let mut members: HashMap<String, Vec<String>> = HashMap::new();
    for (team, user) in store::memberships(c, &ids)? {
        members.entry(team).or_default().push(user);
    }
    let counts = store::member_counts(c, &ids, None)?;
    let teams = rows
        .iter()
        .map(|r| {
            let mine = members.remove(&r.id).unwrap_or_default();
            Ok(Team {
                id: uuid(&r.id),
                name: r.name.clone(),
                kind: TeamKind::parse(&r.kind).ok_or_else(|| bad("kind", &r.kind))?,
                region_code: r.region_code.clone(),
                leader_id: r.leader_id.as_deref().map(uuid),
                cell_codes: zones.remove(&r.id).unwrap_or_default(),
                member_count: mine.len() as i64,
                points: mine.iter().map(|u| points_of(&counts, u)).sum(),
                active: r.active,
                version: r.version,
                created_at: to_utc(r.created_at),
                updated_at: to_utc(r.updated_at),
            })
        })
        .collect::<Result<_>>()?;
    Ok((teams, counts))
}

/// A team with its members and each member's points.
pub fn detail_of(c: &mut DbConn, row: &TeamRow) -> Result<TeamDetail> {
    let (mut teams, counts) = with_counts(c, std::slice::from_ref(row))?;
    let team = teams.remove(0);
    let members = store::members_of(c, &row.id)?
        .into_iter()
        .map(|(m, display_name)| TeamMember {
            user_id: uuid(&m.user_id),
            display_name,
            joined_at: to_utc(m.joined_at),
            points: points_of(&counts, &m.user_id),
            accepted_reports: counts.accepted.get(&m.user_id).copied().unwrap_or(0),
            patrol_hours: counts.patrol_hours.get(&m.user_id).copied().unwrap_or(0),
        })
        .collect();
    Ok(TeamDetail { team, members })
}

fn require_office(user: &CurrentUser) -> Result<()> {
    user.require(&[Role::Admin, Role::Supervisor])
}

/// A leader is a member, or an active worker or supervisor whose region holds the team's.
fn check_leader(c: &mut DbConn, region: &str, leader: &str, members: &[String]) -> Result<()> {
    if members.iter().any(|m| m == leader) {
        return Ok(());
    }
    let ok = users::find_by_id(c, leader)?.is_some_and(|u| {
        u.active
            && matches!(Role::parse(&u.role), Some(Role::Worker | Role::Supervisor))
            && region.starts_with(&u.region_code)
    });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "leader_id",
            "must be a member, or an active worker or supervisor whose region holds the team's",
        ))
    }
}

/// Every code names a live cell under the region (422 naming `cell_codes[N]`).
fn check_zone(c: &mut DbConn, region: &str, codes: &[String]) -> Result<()> {
    let live = db::cells::live_codes(c, codes)?;
    let mut e = FieldErrors::new();
    for (i, code) in codes.iter().enumerate() {
        if !code.starts_with(region) {
            e.push(format!("cell_codes[{i}]"), "is not under the team's region");
        } else if !live.contains(code) {
            e.push(format!("cell_codes[{i}]"), "no such cell");
        }
    }
    e.into_result().map_err(Error::validation)
}

/// Creates a team (supervisors, admins), idempotent by its client id.
pub fn create(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewTeam,
) -> Result<TeamDetail> {
    require_office(user)?;
    new.validate().map_err(Error::validation)?;
    let hash = body_hash(new);
    let id = new.id.to_string();
    let row = db::write_tx(c, |c| -> Result<TeamRow> {
        if let Some(existing) = store::find(c, &id)? {
            if existing.body_hash == hash && existing.created_by == user.id {
                return Ok(existing);
            }
            return Err(Error::id_conflict());
        }
        if !new.region_code.starts_with(user.region_scope())
            || db::regions::find(c, &new.region_code)?.is_none()
        {
            return Err(Error::not_found());
        }
        check_zone(c, &new.region_code, &new.cell_codes)?;
        if let Some(leader) = new.leader_id {
            check_leader(c, &new.region_code, &leader.to_string(), &[])?;
        }
        let now = state.clock.now_naive();
        let row = TeamRow {
            id: id.clone(),
            name: new.name.trim().into(),
            kind: new.kind.as_str().into(),
            region_code: new.region_code.clone(),
            leader_id: new.leader_id.map(|l| l.to_string()),
            active: true,
            version: 1,
            body_hash: hash.clone(),
            created_by: user.id.clone(),
            created_at: now,
            updated_at: now,
        };
        store::insert(c, &row)?;
        let mut zone = new.cell_codes.clone();
        zone.sort();
        store::set_cells(c, &row.id, &zone)?;
        Ok(row)
    })?;
    detail_of(c, &row)
}

/// Reads a team in the caller's scope.
pub fn get(c: &mut DbConn, user: &CurrentUser, id: &str) -> Result<TeamDetail> {
    let id = parse_id(id)?;
    let row = store::find_in_scope(c, &scope_of(user), &id)?.ok_or_else(Error::not_found)?;
    detail_of(c, &row)
}

/// 409 `already_member` when one of `users` is in an active team other than `team`,
/// naming the first.
fn in_no_other_active_team(c: &mut DbConn, team: &str, users: &[String]) -> Result<()> {
    match store::in_other_active_team(c, team, users)?.first() {
        Some((user, other)) => Err(Error::new(
            ErrorCode::AlreadyMember,
            format!("user {user} is already a member of the active team {other}"),
        )),
        None => Ok(()),
    }
}

/// Changes a team (supervisors, admins) at the version it was read at.
pub fn patch(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &TeamPatch,
) -> Result<TeamDetail> {
    require_office(user)?;
    req.validate().map_err(Error::validation)?;
    let id = parse_id(id)?;
    let row = db::write_tx(c, |c| -> Result<TeamRow> {
        let team = store::find_in_scope(c, &scope_of(user), &id)?.ok_or_else(Error::not_found)?;
        if req.version != team.version {
            return Err(version_conflict(format!(
                "the team is at version {}, not {}",
                team.version, req.version
            )));
        }
        let members: Vec<String> = store::memberships(c, std::slice::from_ref(&team.id))?
            .into_iter()
            .map(|(_, u)| u)
            .collect();
        if let Some(cells) = &req.cell_codes {
            check_zone(c, &team.region_code, cells)?;
        }
        if let Some(Some(leader)) = req.leader_id {
            check_leader(c, &team.region_code, &leader.to_string(), &members)?;
        }
        let mut next = team.clone();
        if let Some(name) = &req.name {
            next.name = name.trim().into();
        }
        if let Some(leader) = req.leader_id {
            next.leader_id = leader.map(|l| l.to_string());
        }
        if let Some(active) = req.active {
            next.active = active;
        }
        if next.active && !team.active {
            in_no_other_active_team(c, &team.id, &members)?;
        }
        next.version += 1;
        next.updated_at = state.clock.now_naive();
        let updated = store::update_if_version(c, &next, team.version).map_err(unique_to_member)?;
        if !updated {
            return Err(version_conflict(
                "the team changed meanwhile; read it again",
            ));
        }
        if let Some(cells) = &req.cell_codes {
            let mut zone = cells.clone();
            zone.sort();
            store::set_cells(c, &team.id, &zone)?;
        }
        // What the members may see changes with the zone or the team's activity: their
        // phones' next pull starts again.
        if req.cell_codes.is_some() || next.active != team.active {
            users::bump_scope(c, &members.iter().collect::<Vec<_>>())?;
        }
        Ok(next)
    })?;
    detail_of(c, &row)
}

/// The unique index of active memberships refused a write: someone joined another active
/// team meanwhile.
fn unique_to_member(e: db::Error) -> Error {
    if db::is_unique_violation(&e) {
        Error::new(
            ErrorCode::AlreadyMember,
            "a member is already in another active team",
        )
    } else {
        e.into()
    }
}

/// Replaces a team's members (supervisors, admins): each an active volunteer whose region
/// lies under the team's (422), none in another active team (409 `already_member`).
pub fn set_members(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &TeamMembers,
) -> Result<TeamDetail> {
    require_office(user)?;
    req.validate().map_err(Error::validation)?;
    let id = parse_id(id)?;
    let mut wanted: Vec<String> = Vec::with_capacity(req.user_ids.len());
    for u in &req.user_ids {
        let u = u.to_string();
        if !wanted.contains(&u) {
            wanted.push(u);
        }
    }
    let row = db::write_tx(c, |c| -> Result<TeamRow> {
        let team = store::find_in_scope(c, &scope_of(user), &id)?.ok_or_else(Error::not_found)?;
        let found = users::find_many(c, &wanted)?;
        let mut e = FieldErrors::new();
        for (i, u) in req.user_ids.iter().enumerate() {
            let u = u.to_string();
            match found.iter().find(|f| f.id == u) {
                Some(f)
                    if f.active
                        && Role::parse(&f.role) == Some(Role::Volunteer)
                        && f.region_code.starts_with(&team.region_code) => {}
                Some(_) => e.push(
                    format!("user_ids[{i}]"),
                    "is not an active volunteer of the team's region",
                ),
                None => e.push(format!("user_ids[{i}]"), "no such user"),
            }
        }
        e.into_result().map_err(Error::validation)?;
        // A volunteer who leads the team is one of its members: it stays one until another
        // leader is named.
        if let Some(leader) = &team.leader_id {
            let was_member = store::memberships(c, std::slice::from_ref(&team.id))?
                .iter()
                .any(|(_, u)| u == leader);
            if was_member && !wanted.contains(leader) {
                return Err(Error::invalid(
                    "user_ids",
                    "the team's leader stays a member: name another leader first",
                ));
            }
        }
        if team.active {
            in_no_other_active_team(c, &team.id, &wanted)?;
        }
        let now = state.clock.now_naive();
        let (added, removed) =
            store::set_members(c, &team, &wanted, now).map_err(unique_to_member)?;
        let touched: Vec<&String> = added.iter().chain(removed.iter()).collect();
        users::bump_scope(c, &touched)?;
        Ok(team)
    })?;
    detail_of(c, &row)
}

/// The caller's team: the active team it is a member of, else one it leads; 404 if none.
pub fn mine(c: &mut DbConn, user: &CurrentUser) -> Result<TeamDetail> {
    let teams = store::teams_of_user(c, &user.id)?;
    let member_of = store::memberships(c, &teams.iter().map(|t| t.id.clone()).collect::<Vec<_>>())?;
    let pick = teams
        .iter()
        .find(|t| {
            member_of
                .iter()
                .any(|(team, u)| *team == t.id && *u == user.id)
        })
        .or(teams.first())
        .ok_or_else(Error::not_found)?;
    detail_of(c, pick)
}

/// The caller's active teams (member or leader), for `/sync/pull`.
pub fn of_user(c: &mut DbConn, user: &CurrentUser) -> Result<Vec<TeamDetail>> {
    store::teams_of_user(c, &user.id)?
        .iter()
        .map(|t| detail_of(c, t))
        .collect()
}

/// The team list's query string (`limit` and `cursor` are read by the edge).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub region: Option<String>,
    pub kind: Option<String>,
    pub active: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

fn parse_bool(field: &str, v: &str) -> Result<bool> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Error::invalid(field, "must be true or false")),
    }
}

/// Teams in the caller's scope, newest first.
pub fn list(
    c: &mut DbConn,
    user: &CurrentUser,
    q: &ListQuery,
    page: &PageRequest,
) -> Result<(Vec<Team>, Option<String>)> {
    let mut f = Filter {
        region: q.region.as_deref().map(parse_region).transpose()?,
        ..Filter::default()
    };
    if let Some(k) = &q.kind {
        TeamKind::parse(k).ok_or_else(|| {
            Error::invalid(
                "kind",
                "must be safety_sisters, red_armband, neighbour_help or other",
            )
        })?;
        f.kind = Some(k.clone());
    }
    f.active = q
        .active
        .as_deref()
        .map(|v| parse_bool("active", v))
        .transpose()?;
    let rows = store::list(c, &scope_of(user), &f, page)?;
    let (rows, next) =
        crate::db::page::finish(rows, page.limit, |r| Cursor::new(r.created_at, &r.id));
    Ok((to_wire(c, &rows)?, next))
}

pub fn patrol_to_wire(row: &PatrolRow, members: &[String]) -> Result<Patrol> {
    Ok(Patrol {
        id: uuid(&row.id),
        team_id: uuid(&row.team_id),
        started_at: to_utc(row.started_at),
        ended_at: to_utc(row.ended_at),
        member_ids: members.iter().map(|m| uuid(m)).collect(),
        route: row
            .route
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored route: {e}")))?,
        note: row.note.clone(),
        hours: rules::hours_1dp(i64::from(row.duration_s)),
        points_each: rules::patrol_points(i64::from(row.duration_s)),
        recorded_by: uuid(&row.recorded_by),
        created_at: to_utc(row.created_at),
    })
}

fn patrols_to_wire(c: &mut DbConn, rows: &[PatrolRow]) -> Result<Vec<Patrol>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (patrol, user) in store::patrol_members_of(c, &ids)? {
        members.entry(patrol).or_default().push(user);
    }
    rows.iter()
        .map(|r| patrol_to_wire(r, members.get(&r.id).map_or(&[][..], Vec::as_slice)))
        .collect()
}

/// The team a caller records or lists patrols of: a volunteer's own team (one it is a
/// member of), or a team in the scope of a worker, supervisor or admin; 404 otherwise.
fn patrol_team(c: &mut DbConn, user: &CurrentUser, team: &str) -> Result<TeamRow> {
    store::find_in_scope(c, &scope_of(user), team)?.ok_or_else(Error::not_found)
}

/// Records a patrol (idempotent by its id): by a member of the team, or a worker,
/// supervisor or admin whose scope holds it; its members must be the team's.
pub fn record_patrol(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewPatrol,
) -> Result<(PatrolRow, bool)> {
    let hash = body_hash(new);
    let id = new.id.to_string();
    db::write_tx(c, |c| {
        if let Some(existing) = store::find_patrol(c, &id)? {
            if existing.body_hash == hash && existing.recorded_by == user.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        let team = patrol_team(c, user, &new.team_id.to_string())?;
        let members: Vec<String> = store::memberships(c, std::slice::from_ref(&team.id))?
            .into_iter()
            .map(|(_, u)| u)
            .collect();
        let mut e = FieldErrors::new();
        let ids: Vec<String> = new.member_ids.iter().map(|m| m.to_string()).collect();
        for (i, m) in ids.iter().enumerate() {
            if !members.contains(m) {
                e.push(format!("member_ids[{i}]"), "is not a member of the team");
            }
        }
        e.into_result().map_err(Error::validation)?;
        let duration = i32::try_from(new.duration_s())
            .map_err(|_| Error::invalid("ended_at", "a patrol lasts at most 24 hours"))?;
        let row = PatrolRow {
            id: id.clone(),
            team_id: team.id.clone(),
            started_at: crate::core::time::to_db(new.started_at),
            ended_at: crate::core::time::to_db(new.ended_at),
            duration_s: duration,
            route: new.route.as_ref().map(|r| r.to_string()),
            note: new.note.trim().into(),
            recorded_by: user.id.clone(),
            body_hash: hash.clone(),
            created_at: state.clock.now_naive(),
        };
        store::insert_patrol(c, &row, &ids)?;
        Ok((row, true))
    })
}

/// Records a patrol (the body is validated) and answers it.
pub fn record_patrol_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewPatrol,
) -> Result<Patrol> {
    new.validate(state.clock.now()).map_err(Error::validation)?;
    let (row, _) = record_patrol(state, c, user, new)?;
    Ok(patrols_to_wire(c, std::slice::from_ref(&row))?.remove(0))
}

/// The patrol list's query string.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatrolQuery {
    pub team: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// A window from `from`/`to` dates as `/stats` reads them (China Standard Time, `to`
/// inclusive; one missing takes the default there); none, all of time, when neither is
/// given.
pub fn window(state: &AppState, from: Option<&str>, to: Option<&str>) -> Result<Option<Window>> {
    let given = |v: Option<&str>| v.is_some_and(|s| !s.is_empty());
    if !given(from) && !given(to) {
        return Ok(None);
    }
    let r = stats::range(state, from, to)?;
    Ok(Some((r.start, r.end)))
}

/// Patrols the caller may see (of its teams, or in its scope), newest first.
pub fn list_patrols(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    q: &PatrolQuery,
    page: &PageRequest,
) -> Result<(Vec<Patrol>, Option<String>)> {
    let team = match &q.team {
        Some(t) => Some(patrol_team(c, user, &parse_id(t)?)?.id),
        None => None,
    };
    let scope = match user.role {
        Role::Admin => PatrolScope::All,
        Role::Supervisor | Role::Worker => PatrolScope::Region(user.region_code.clone()),
        Role::Volunteer | Role::Department => PatrolScope::Member(user.id.clone()),
    };
    let f = PatrolFilter {
        team,
        window: window(state, q.from.as_deref(), q.to.as_deref())?,
    };
    let rows = store::list_patrols(c, &scope, &f, page)?;
    let (rows, next) =
        crate::db::page::finish(rows, page.limit, |r| Cursor::new(r.created_at, &r.id));
    Ok((patrols_to_wire(c, &rows)?, next))
}

/// `GET /stats/teams`: each active team under the region with its figures in the window.
pub fn team_stats(c: &mut DbConn, region: &str, w: Option<Window>) -> Result<Vec<TeamStats>> {
    let teams = store::active_under(c, region)?;
    let ids: Vec<String> = teams.iter().map(|t| t.id.clone()).collect();
    let counts = store::member_counts(c, &ids, w)?;
    let mut members: HashMap<String, Vec<String>> = HashMap::new();
    for (team, user) in store::memberships(c, &ids)? {
        members.entry(team).or_default().push(user);
    }
    let patrols = store::patrol_totals(c, &ids, w)?;
    teams
        .iter()
        .map(|t| {
            let mine = members.remove(&t.id).unwrap_or_default();
            let sum = |m: &HashMap<String, i64>| -> i64 {
                mine.iter().map(|u| m.get(u).copied().unwrap_or(0)).sum()
            };
            let (n, seconds) = patrols.get(&t.id).copied().unwrap_or((0, 0));
            Ok(TeamStats {
                team_id: uuid(&t.id),
                name: t.name.clone(),
                kind: TeamKind::parse(&t.kind).ok_or_else(|| bad("kind", &t.kind))?,
                region_code: t.region_code.clone(),
                members: mine.len() as i64,
                reports: sum(&counts.reports),
                reports_accepted: sum(&counts.accepted),
                patrols: n,
                patrol_hours: rules::hours_1dp(seconds),
                points: mine.iter().map(|u| points_of(&counts, u)).sum(),
            })
        })
        .collect()
}
