//! `GET /regions`, `POST /regions` (admin).

use actix_web::{HttpResponse, web};
use gridwork_shared::api::{NewRegion, Region, Role};
use gridwork_shared::{ErrorCode, RegionLevel};

use crate::auth::CurrentUser;
use crate::db::models::RegionRow;
use crate::db::{self, audit, cells, regions};
use crate::error::{ApiError, ApiResult};
use crate::extract::Body;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/regions").get(list).post(create));
}

pub fn region_of(row: RegionRow) -> ApiResult<Region> {
    Ok(Region {
        level: RegionLevel::parse(&row.level)
            .ok_or_else(|| anyhow::anyhow!("bad level {}", row.level))?,
        code: row.code,
        name: row.name,
        parent_code: row.parent_code,
    })
}

/// Every prefix region (district, town, community) of a cell or region code.
fn ancestors(code: &str) -> impl Iterator<Item = String> + '_ {
    [6usize, 9, 12]
        .into_iter()
        .filter(move |n| *n <= code.len())
        .map(|n| code[..n].to_string())
}

#[utoipa::path(get, path = "/api/v1/regions", tag = "regions", security(("bearer" = [])),
    responses((status = 200, description = "regions in the caller's scope by code: an admin's all; \
        others the subtree of their region; a worker also the regions above its assigned cells",
        body = Vec<Region>)))]
pub async fn list(user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let rows = state
        .db(move |c| -> ApiResult<_> {
            let mut rows = regions::list_under(c, user.region_scope())?;
            if user.role == Role::Worker {
                let mut extra: Vec<String> = cells::assigned_codes(c, &user.id)?
                    .iter()
                    .flat_map(|code| ancestors(code).collect::<Vec<_>>())
                    .filter(|code| !code.starts_with(user.region_scope()))
                    .collect();
                extra.sort();
                extra.dedup();
                rows.extend(regions::list_codes(c, &extra)?);
                rows.sort_by(|a, b| a.code.cmp(&b.code));
            }
            Ok(rows)
        })
        .await?;
    let out = rows
        .into_iter()
        .map(region_of)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(post, path = "/api/v1/regions", tag = "regions", security(("bearer" = [])),
    request_body = NewRegion,
    responses((status = 201, body = Region), (status = 403, body = gridwork_shared::Problem),
        (status = 409, description = "code_taken", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let new: NewRegion = body.json()?;
    let code = new.validate().map_err(ApiError::validation)?;
    let row = state
        .db(move |c| create_region(c, &new, code.as_str(), Some(&user)))
        .await?;
    Ok(HttpResponse::Created().json(region_of(row)?))
}

/// Inserts a validated region (shared by the API and the demo seeder).
pub fn create_region(
    c: &mut db::DbConn,
    new: &NewRegion,
    code: &str,
    actor: Option<&CurrentUser>,
) -> ApiResult<RegionRow> {
    db::write_tx(c, |c| {
        if regions::find(c, code)?.is_some() {
            return Err(ApiError::new(
                ErrorCode::CodeTaken,
                format!("region {code} exists"),
            ));
        }
        if let Some(parent) = &new.parent_code
            && regions::find(c, parent)?.is_none()
        {
            return Err(ApiError::invalid("parent_code", "no such region"));
        }
        let now = db::now();
        let row = RegionRow {
            code: code.to_string(),
            name: new.name.trim().to_string(),
            level: new.level.as_str().to_string(),
            parent_code: new.parent_code.clone(),
            created_at: now,
        };
        regions::insert(c, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                ApiError::new(ErrorCode::CodeTaken, format!("region {code} exists"))
            } else {
                e.into()
            }
        })?;
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: actor.map(|a| a.id.as_str()),
                action: "region_create",
                entity_type: "region",
                entity_id: code,
                outcome: "success",
                ip: actor.map(|a| a.ip.as_str()),
            },
        )?;
        Ok(row)
    })
}
