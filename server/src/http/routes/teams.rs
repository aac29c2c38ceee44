//! `/teams`, `/me/team`, `/patrols`, `/stats/teams`: volunteer teams (群防群治), their
//! patrols and figures.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{Page, Role};
use gridwork_shared::team::{
    NewPatrol, NewTeam, Patrol, Team, TeamDetail, TeamMembers, TeamPatch, TeamStats,
};
use serde::Deserialize;

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::stats::region_for;
use crate::flow::teams::{self as flow, ListQuery, PatrolQuery};
use crate::http::error::ApiResult;
use crate::http::extract::{Body, parse_query};
use crate::http::paging;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/teams").post(create).get(list))
        .service(resource("/teams/{id}").get(get).patch(patch))
        .service(resource("/teams/{id}/members").put(put_members))
        .service(resource("/me/team").get(mine))
        .service(resource("/patrols").post(record_patrol).get(patrols))
        .service(resource("/stats/teams").get(stats));
}

#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", security(("bearer" = [])),
    request_body = NewTeam,
    responses((status = 201, description = "created (or replayed), with no members yet", body = TeamDetail),
        (status = 403, description = "only supervisors and admins create teams", body = gridwork_shared::Problem),
        (status = 404, description = "the region is outside the caller's scope (or does not exist)", body = gridwork_shared::Problem),
        (status = 409, description = "id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "a region that is not a town or community, cells not under it, a leader who \
            is neither a member nor a worker or supervisor whose region holds the team's", body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let new: NewTeam = body.json().await?;
    let st = state.clone();
    let team = state
        .db_write(move |c| flow::create(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(team))
}

#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", security(("bearer" = [])),
    params(("region" = Option<String>, Query), ("kind" = Option<String>, Query,
            description = "safety_sisters | red_armband | neighbour_help | other"),
        ("active" = Option<bool>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "teams in the caller's scope (a volunteer: its own), newest first, each with \
        its points: the sum of its current members' (10 per accepted report, 2 per whole hour of each patrol)", body = Page<Team>),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: ListQuery = parse_query(&req)?;
    let page = paging::page(&q.limit, &q.cursor)?;
    let (items, next_cursor) = state.db(move |c| flow::list(c, &user, &q, &page)).await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "the team with its members and each member's points (all of its records, \
        whatever team it was in then)", body = TeamDetail),
        (status = 404, description = "not readable by the caller: admins, supervisors and workers whose region holds \
            the team's, and its members read it", body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let d = state.db(move |c| flow::get(c, &user, &id)).await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(patch, path = "/api/v1/teams/{id}", tag = "teams", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = TeamPatch,
    responses((status = 200, body = TeamDetail),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "version_conflict; already_member when reactivating a team one of whose members \
            joined another active team", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn patch(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let p: TeamPatch = body.json().await?;
    let st = state.clone();
    let d = state
        .db_write(move |c| flow::patch(&st, c, &user, &id, &p))
        .await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(put, path = "/api/v1/teams/{id}/members", tag = "teams", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = TeamMembers,
    responses((status = 200, description = "the team with its members (the set replaced; no version)", body = TeamDetail),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "already_member: a volunteer is in another active team", body = gridwork_shared::Problem),
        (status = 422, description = "a user who is not an active volunteer whose region lies under the team's; \
            the set leaves out the volunteer who leads the team", body = gridwork_shared::Problem)))]
pub async fn put_members(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let req: TeamMembers = body.json().await?;
    let st = state.clone();
    let d = state
        .db_write(move |c| flow::set_members(&st, c, &user, &id, &req))
        .await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(get, path = "/api/v1/me/team", tag = "teams", security(("bearer" = [])),
    responses((status = 200, description = "the active team the caller is a member of (else one it leads)", body = TeamDetail),
        (status = 404, description = "the caller is in no active team", body = gridwork_shared::Problem)))]
pub async fn mine(user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let d = state.db(move |c| flow::mine(c, &user)).await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/patrols", tag = "teams", security(("bearer" = [])),
    request_body = NewPatrol,
    responses((status = 201, description = "recorded (or replayed)", body = Patrol),
        (status = 404, description = "a team the caller is not a member of, nor a worker, supervisor or admin whose \
            scope holds it", body = gridwork_shared::Problem),
        (status = 409, description = "id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "ended_at not after started_at, more than 24 h later or in the future (5 min \
            leeway); member_ids not members of the team; a route that is not a GeoJSON LineString of 2–10,000 \
            [lon, lat] positions", body = gridwork_shared::Problem)))]
pub async fn record_patrol(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let new: NewPatrol = body.json().await?;
    let st = state.clone();
    let p = state
        .db_write(move |c| flow::record_patrol_wire(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(p))
}

#[utoipa::path(get, path = "/api/v1/patrols", tag = "teams", security(("bearer" = [])),
    params(("team" = Option<uuid::Uuid>, Query),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD, China Standard Time, by started_at; with neither \
            from nor to, all of time"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD inclusive"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "patrols the caller may see (a volunteer: of its teams and those it took \
        part in), newest first", body = Page<Patrol>),
        (status = 404, description = "a team the caller may not read", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn patrols(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: PatrolQuery = parse_query(&req)?;
    let page = paging::page(&q.limit, &q.cursor)?;
    let st = state.clone();
    let (items, next_cursor) = state
        .db(move |c| flow::list_patrols(&st, c, &user, &q, &page))
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatsQuery {
    region: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/stats/teams", tag = "stats", security(("bearer" = [])),
    params(("region" = Option<String>, Query, description = "default: the caller's region"),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD, China Standard Time; with neither from nor to, all of time"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD inclusive")),
    responses((status = 200, description = "each active team under the region, by region and name: members (current), \
        reports of its members created in the window and those of them accepted (not merged), its patrols started in \
        the window and their hours (the sum of durations, one decimal), and the points the rules give the current \
        members for those records", body = Vec<TeamStats>),
        (status = 403, body = gridwork_shared::Problem), (status = 404, description = "a region outside the caller's scope", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn stats(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let q: StatsQuery = parse_query(&req)?;
    let window = flow::window(&state, q.from.as_deref(), q.to.as_deref())?;
    let region = region_for(&user, q.region.as_deref())?;
    let out = state
        .db(move |c| flow::team_stats(c, &region, window))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
