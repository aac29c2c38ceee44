//! `POST /sync/push`, `GET /sync/pull`: the field client's path.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use gridwork_shared::sync::{PullResponse, PushRequest, PushResponse};

use crate::flow::sync;
use crate::http::error::ApiResult;
use crate::http::extract::{Body, parse_query};
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/sync/push").post(push))
        .service(resource("/sync/pull").get(pull));
}

#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])),
    request_body = PushRequest,
    responses((status = 200, description = "one result per operation, in order: applied, duplicate (already applied: \
        nothing changed) or rejected with the code the endpoint would answer (`depends_on_rejected` when the record \
        an operation is about was rejected earlier in the batch). A stale incident action is applied with conflict:true \
        (or kept in the history as a conflicting branch).", body = PushResponse),
        (status = 413, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn push(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let req: PushRequest = body.json().await?;
    let st = state.clone();
    let results = state.db(move |c| sync::push(&st, c, &user, &req)).await?;
    state.ring();
    Ok(HttpResponse::Ok().json(PushResponse { results }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PullQuery {
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])),
    params(("cursor" = Option<String>, Query, description = "from the previous pull; none for everything in scope")),
    responses((status = 200, description = "what changed in the caller's scope since the cursor; pull again while has_more",
        body = PullResponse), (status = 422, description = "a cursor this server did not issue", body = gridwork_shared::Problem)))]
pub async fn pull(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: PullQuery = parse_query(&req)?;
    let st = state.clone();
    let out = state
        .db(move |c| sync::pull(&st, c, &user, q.cursor.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
