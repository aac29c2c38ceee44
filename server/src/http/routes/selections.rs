//! `/campaigns`, `/nominations` and `/honours`: the yearly selections (德治评选).

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{Page, Role};
use gridwork_shared::selection::{
    Campaign, CampaignActionRequest, CampaignDetail, Honour, NewCampaign, NewNomination,
    Nomination, NominationActionRequest,
};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::selections::{self as flow, HonoursQuery, ListQuery};
use crate::http::error::ApiResult;
use crate::http::extract::{Body, parse_query, path_uuid};
use crate::http::paging;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/campaigns").post(create).get(list))
        .service(resource("/campaigns/{id}").get(get))
        .service(resource("/campaigns/{id}/actions").post(act))
        .service(resource("/campaigns/{id}/nominations").post(nominate))
        .service(resource("/nominations/{id}/actions").post(act_on_nomination))
        .service(resource("/honours").get(honours));
}

#[utoipa::path(post, path = "/api/v1/campaigns", tag = "selections", security(("bearer" = [])),
    request_body = NewCampaign,
    responses((status = 201, description = "opened (or replayed): status `open`, version 1; audited", body = Campaign),
        (status = 403, description = "supervisors and admins only", body = gridwork_shared::Problem),
        (status = 404, description = "the region is outside the caller's", body = gridwork_shared::Problem),
        (status = 409, description = "id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "the region must exist at the award's level (most_beautiful, new_sage: district; \
            good_person, village_model: town; good_family, good_family_motto, good_in_laws: community); quota ≥ 1", body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let new: NewCampaign = body.json().await?;
    let st = state.clone();
    let out = state
        .db_write(move |c| flow::open_wire(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[utoipa::path(get, path = "/api/v1/campaigns", tag = "selections", security(("bearer" = [])),
    params(("region" = Option<String>, Query, description = "campaigns at or under this region"),
        ("year" = Option<i32>, Query), ("status" = Option<String>, Query, description = "open | closed | announced"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "campaigns the caller may read (under its region, and those of the regions \
        its places lie in), newest first", body = Page<Campaign>),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: ListQuery = parse_query(&req)?;
    let page = paging::page(&q.limit, &q.cursor)?;
    let st = state.clone();
    let (items, next_cursor) = state
        .db(move |c| flow::list(&st, c, &user, &q, &page))
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "selections", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "the campaign with its nominations, oldest first", body = CampaignDetail),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let id = path_uuid(&id)?;
    let st = state.clone();
    let d = state.db(move |c| flow::detail(&st, c, &user, &id)).await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/campaigns/{id}/actions", tag = "selections", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = CampaignActionRequest,
    responses((status = 200, description = "close (open → closed: no more nominations) or announce (closed → announced: \
        its selected nominations join the honour roll); audited", body = CampaignDetail),
        (status = 403, description = "for supervisors of the campaign's region or above, and admins", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "invalid_transition, version_conflict", body = gridwork_shared::Problem)))]
pub async fn act(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let req: CampaignActionRequest = body.json().await?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let d = state
        .db_write(move |c| flow::campaign_action_wire(&st, c, &user, &id, &req))
        .await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/campaigns/{id}/nominations", tag = "selections", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NewNomination,
    responses((status = 201, description = "nominated (or replayed): status `nominated`, version 1", body = Nomination),
        (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "campaign_closed: the campaign is not open or its nominations_close has passed; \
            id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "nominee_region_code must name a region under the campaign's and in the caller's scope", body = gridwork_shared::Problem)))]
pub async fn nominate(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let new: NewNomination = body.json().await?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let out = state
        .db_write(move |c| flow::nominate_wire(&st, c, &user, &id, &new))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[utoipa::path(post, path = "/api/v1/nominations/{id}/actions", tag = "selections", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NominationActionRequest,
    responses((status = 200, description = "shortlist (nominated → shortlisted), select (shortlisted → selected), decline \
        (nominated or shortlisted → declined), while the campaign is open or closed; audited", body = Nomination),
        (status = 403, description = "for supervisors of the campaign's region or above, and admins", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "invalid_transition (also once the campaign is announced), version_conflict, \
            quota_full (a select beyond the campaign's quota)", body = gridwork_shared::Problem)))]
pub async fn act_on_nomination(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let req: NominationActionRequest = body.json().await?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let out = state
        .db_write(move |c| flow::nomination_action_wire(&st, c, &user, &id, &req))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/honours", tag = "selections", security(("bearer" = [])),
    params(("region" = Option<String>, Query, description = "campaigns at or under this region"), ("year" = Option<i32>, Query)),
    responses((status = 200, description = "the honour roll of the whole district, for every signed-in user: the selected \
        nominations of announced campaigns, latest year first, the district's awards before the towns' and the \
        communities'", body = Vec<Honour>),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn honours(
    req: HttpRequest,
    _user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: HonoursQuery = parse_query(&req)?;
    let out = state.db(move |c| flow::honours(c, &q)).await?;
    Ok(HttpResponse::Ok().json(out))
}
