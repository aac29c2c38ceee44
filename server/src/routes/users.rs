//! `/users` (admin; supervisors list their scope), `/me`, `/me/password`.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::Page;
use gridwork_shared::api::{Me, NewUser, PasswordChange, Role, User, UserPatch};
use gridwork_shared::{ErrorCode, FieldErrors, validate};
use uuid::Uuid;

use crate::auth::{CurrentUser, password};
use crate::db::models::UserRow;
use crate::db::page::{self, Cursor, PageParams};
use crate::db::{self, audit, regions, to_utc, tokens, users};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, parse_query};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me").get(me))
        .service(web::resource("/me/password").post(change_password))
        .service(web::resource("/users").post(create).get(list))
        .service(web::resource("/users/{id}").get(get).patch(patch))
        .service(web::resource("/users/{id}/unlock").post(unlock));
}

fn role_of(row: &UserRow) -> ApiResult<Role> {
    Role::parse(&row.role).ok_or_else(|| anyhow::anyhow!("bad role {}", row.role).into())
}

pub fn me_of(row: &UserRow) -> ApiResult<Me> {
    Ok(Me {
        id: row.id.parse().map_err(anyhow::Error::from)?,
        username: row.username.clone(),
        role: role_of(row)?,
        region_code: row.region_code.clone(),
        display_name: row.display_name.clone(),
    })
}

pub fn user_of(row: &UserRow) -> ApiResult<User> {
    Ok(User {
        id: row.id.parse().map_err(anyhow::Error::from)?,
        username: row.username.clone(),
        role: role_of(row)?,
        region_code: row.region_code.clone(),
        display_name: row.display_name.clone(),
        active: row.active,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
    })
}

/// A path id that is not a UUID names nothing: 404.
pub fn path_uuid(raw: &str) -> ApiResult<String> {
    Uuid::parse_str(raw)
        .map(|u| u.to_string())
        .map_err(|_| ApiError::not_found())
}

#[utoipa::path(get, path = "/api/v1/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = gridwork_shared::Problem)))]
pub async fn me(user: CurrentUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Me {
        id: user.id.parse().map_err(anyhow::Error::from)?,
        username: user.username,
        role: user.role,
        region_code: user.region_code,
        display_name: user.display_name,
    }))
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
    let change: PasswordChange = body.json()?;
    let mut e = FieldErrors::new();
    validate::password(&mut e, "new", &change.new);
    e.into_result().map_err(ApiError::validation)?;
    let id = user.id.clone();
    let row = state
        .db(move |c| users::find_by_id(c, &id))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (current, stored, new) = (change.current, row.password_hash.clone(), change.new);
    let new_hash = web::block(move || -> ApiResult<String> {
        if !password::verify(&current, &stored) {
            return Err(ApiError::invalid("current", "is not the current password"));
        }
        Ok(password::hash(&new)?)
    })
    .await??;
    state
        .db(move |c| {
            db::write_tx(c, |c| -> ApiResult<()> {
                let now = db::now();
                let mut row = row;
                row.password_hash = new_hash;
                row.updated_at = now;
                users::update(c, &row)?;
                tokens::revoke_user(c, &row.id, now)?;
                audit::append(
                    c,
                    now,
                    audit::Entry {
                        actor_id: Some(&row.id),
                        action: "password_change",
                        entity_type: "user",
                        entity_id: &row.id,
                        outcome: "success",
                        ip: Some(&user.ip),
                    },
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Checks that a non-admin's region exists (422 otherwise).
fn check_region_exists(c: &mut db::DbConn, role: Role, region: &str) -> ApiResult<()> {
    if role != Role::Admin && regions::find(c, region)?.is_none() {
        return Err(ApiError::invalid("region_code", "no such region"));
    }
    Ok(())
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
    let new: NewUser = body.json()?;
    new.validate().map_err(ApiError::validation)?;
    let pw = new.password.clone();
    let hash = web::block(move || password::hash(&pw)).await??;
    let created = state
        .db(move |c| create_user(c, &new, hash, Some(&user)))
        .await?;
    Ok(HttpResponse::Created().json(user_of(&created)?))
}

/// Inserts a validated user (shared by the API, the CLI and the demo seeder).
pub fn create_user(
    c: &mut db::DbConn,
    new: &NewUser,
    password_hash: String,
    actor: Option<&CurrentUser>,
) -> ApiResult<UserRow> {
    db::write_tx(c, |c| {
        check_region_exists(c, new.role, &new.region_code)?;
        if users::find_by_username(c, &new.username)?.is_some() {
            return Err(ApiError::new(
                ErrorCode::UsernameTaken,
                "that username is taken",
            ));
        }
        let now = db::now();
        let row = UserRow {
            id: Uuid::now_v7().to_string(),
            username: new.username.clone(),
            password_hash,
            role: new.role.as_str().to_string(),
            region_code: new.region_code.clone(),
            display_name: new
                .display_name
                .clone()
                .map(|n| n.trim().to_string())
                .unwrap_or_else(|| new.username.clone()),
            active: true,
            created_at: now,
            updated_at: now,
        };
        users::insert(c, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                ApiError::new(ErrorCode::UsernameTaken, "that username is taken")
            } else {
                e.into()
            }
        })?;
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: actor.map(|a| a.id.as_str()),
                action: "user_create",
                entity_type: "user",
                entity_id: &row.id,
                outcome: "success",
                ip: actor.map(|a| a.ip.as_str()),
            },
        )?;
        Ok(row)
    })
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(("limit" = Option<i64>, Query, description = "1–500, default 50"),
        ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "users in the caller's scope, newest first", body = Page<User>),
        (status = 403, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let page = parse_query::<PageParams>(&req)?.validate()?;
    let scope = user.region_scope().to_string();
    let limit = page.limit;
    let rows = state.db(move |c| users::list(c, &scope, &page)).await?;
    let (rows, next_cursor) = page::finish(rows, limit, |r| Cursor {
        created_at: r.created_at,
        id: r.id.clone(),
    });
    let items = rows.iter().map(user_of).collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = User), (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let id = path_uuid(&id)?;
    let scope = user.region_scope().to_string();
    let row = state
        .db(move |c| users::find_in_scope(c, &id, &scope))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(user_of(&row)?))
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
    let patch: UserPatch = body.json()?;
    let id = path_uuid(&id)?;
    let lookup = id.clone();
    let current = state
        .db(move |c| users::find_by_id(c, &lookup))
        .await?
        .ok_or_else(ApiError::not_found)?;
    patch
        .validate(role_of(&current)?, &current.region_code)
        .map_err(ApiError::validation)?;
    if id == user.id
        && (patch.active == Some(false) || patch.role.is_some_and(|r| r != Role::Admin))
    {
        return Err(ApiError::invalid(
            "active",
            "an admin cannot deactivate or demote itself",
        ));
    }
    let new_hash = match patch.password.clone() {
        Some(pw) => Some(web::block(move || password::hash(&pw)).await??),
        None => None,
    };
    let row = state
        .db(move |c| {
            db::write_tx(c, |c| -> ApiResult<UserRow> {
                let now = db::now();
                let mut row = users::find_by_id(c, &id)?.ok_or_else(ApiError::not_found)?;
                let mut revoke = false;
                if let Some(n) = &patch.display_name {
                    row.display_name = n.trim().to_string();
                }
                if let Some(r) = patch.role {
                    row.role = r.as_str().to_string();
                }
                if let Some(rc) = &patch.region_code {
                    row.region_code = rc.clone();
                }
                check_region_exists(c, role_of(&row)?, &row.region_code)?;
                if let Some(a) = patch.active {
                    revoke |= row.active && !a;
                    row.active = a;
                }
                if let Some(h) = new_hash {
                    row.password_hash = h;
                    revoke = true;
                }
                row.updated_at = now;
                users::update(c, &row)?;
                if revoke {
                    tokens::revoke_user(c, &row.id, now)?;
                }
                audit::append(
                    c,
                    now,
                    audit::Entry {
                        actor_id: Some(&user.id),
                        action: "user_update",
                        entity_type: "user",
                        entity_id: &row.id,
                        outcome: "success",
                        ip: Some(&user.ip),
                    },
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(user_of(&row)?))
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
    let id = path_uuid(&id)?;
    state
        .db(move |c| {
            db::write_tx(c, |c| -> ApiResult<()> {
                let row = users::find_by_id(c, &id)?.ok_or_else(ApiError::not_found)?;
                tokens::clear_failures(c, &row.username)?;
                audit::append(
                    c,
                    db::now(),
                    audit::Entry {
                        actor_id: Some(&user.id),
                        action: "user_unlock",
                        entity_type: "user",
                        entity_id: &row.id,
                        outcome: "success",
                        ip: Some(&user.ip),
                    },
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
