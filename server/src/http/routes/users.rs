//! `/users` (admin; supervisors list their scope), `/me`, `/me/password`.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::Page;
use gridwork_shared::api::{Me, NewUser, PasswordChange, Role, User, UserPatch};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::users;
use crate::http::error::ApiResult;
use crate::http::extract::{Body, parse_query};
use crate::http::paging;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/me").get(me))
        .service(resource("/me/password").post(change_password))
        .service(resource("/users").post(create).get(list))
        .service(resource("/users/{id}").get(get).patch(patch))
        .service(resource("/users/{id}/unlock").post(unlock));
}

#[utoipa::path(get, path = "/api/v1/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = gridwork_shared::Problem)))]
pub async fn me(user: CurrentUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(users::me(&user)?))
}

#[utoipa::path(post, path = "/api/v1/me/password", tag = "users", security(("bearer" = [])),
    request_body = PasswordChange,
    responses((status = 204, description = "changed; every refresh token of the user is revoked"),
        (status = 422, description = "`current` is wrong or `new` too weak", body = gridwork_shared::Problem)))]
pub async fn change_password(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let change: PasswordChange = body.json().await?;
    users::change_password(&state, &user, change).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = gridwork_shared::Problem),
        (status = 409, description = "username_taken", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let new: NewUser = body.json().await?;
    let created = users::create(&state, &user, new).await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(("q" = Option<String>, Query, description = "part of the username or the display name \
            (case-insensitive for ASCII letters), at most 100 characters"),
        ("role" = Option<Role>, Query),
        ("region" = Option<String>, Query, description = "a region code: users at or under it"),
        ("active" = Option<bool>, Query),
        ("limit" = Option<i64>, Query, description = "1–500, default 50"),
        ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "users in the caller's scope matching the filters, newest first", body = Page<User>),
        (status = 403, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let q: users::ListQuery = parse_query(&req)?;
    let page = paging::page(&q.limit, &q.cursor)?;
    let filter = q.filter()?;
    let (items, next_cursor) = state
        .db(move |c| users::list(c, &user, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = User),
        (status = 403, description = "workers and volunteers", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let found = state.db(move |c| users::get(c, &user, &id)).await?;
    Ok(HttpResponse::Ok().json(found))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 403, body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn patch(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let patch: UserPatch = body.json().await?;
    let updated = users::update(&state, &user, &id, patch).await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/unlock", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "the user's failed logins are forgotten"),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem)))]
pub async fn unlock(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    state.db(move |c| users::unlock(c, &user, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
