//! `GET /calendar`, `PUT /calendar` (admin): the working calendar's holidays and make-up
//! working days.

use actix_web::{HttpResponse, web};
use gridwork_shared::api::Role;
use gridwork_shared::calendar::{Calendar, CalendarUpdate};

use crate::app::state::AppState;
use crate::flow::calendar as rules;
use crate::flow::caller::CurrentUser;
use crate::http::error::ApiResult;
use crate::http::extract::Body;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/calendar").get(calendar).put(set_calendar));
}

#[utoipa::path(get, path = "/api/v1/calendar", tag = "incidents", security(("bearer" = [])),
    responses((status = 200, description = "the working week and hours incident deadlines are \
        counted in, with the public holidays and make-up working days (调休)", body = Calendar)))]
pub async fn calendar(_user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let st = state.clone();
    let wire = state.db(move |c| rules::get(&st, c)).await?;
    Ok(HttpResponse::Ok().json(wire))
}

#[utoipa::path(put, path = "/api/v1/calendar", tag = "incidents", security(("bearer" = [])),
    request_body = CalendarUpdate,
    responses((status = 200, description = "the calendar as it now stands; the deadline of every \
        unresolved incident was worked out again from the start of its current level", body = Calendar),
        (status = 403, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn set_calendar(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let update: CalendarUpdate = body.json().await?;
    let st = state.clone();
    let wire = state
        .db(move |c| rules::put(&st, c, &user, &update))
        .await?;
    Ok(HttpResponse::Ok().json(wire))
}
