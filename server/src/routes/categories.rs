//! `GET /categories`, `PATCH /categories/{code}` (admin).

use actix_web::{HttpResponse, web};
use gridwork_shared::api::Role;
use gridwork_shared::incident::{Category, CategoryPatch, DeadlineHours};

use crate::auth::CurrentUser;
use crate::db::models::CategoryRow;
use crate::db::{self, audit, incidents as store};
use crate::error::{ApiError, ApiResult};
use crate::extract::Body;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/categories").get(list))
        .service(web::resource("/categories/{code}").patch(patch));
}

pub fn category_of(r: &CategoryRow) -> Category {
    Category {
        code: r.code.clone(),
        name: r.name.clone(),
        name_en: r.name_en.clone(),
        deadline_hours: DeadlineHours {
            community: r.deadline_community,
            town: r.deadline_town,
            district: r.deadline_district,
        },
    }
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "incidents", security(("bearer" = [])),
    responses((status = 200, description = "coded categories (2-digit class + 2-digit subclass) with \
        deadline hours per handling level, counted in working hours (clock hours when urgent)",
        body = Vec<Category>)))]
pub async fn list(_user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let rows = state.db(store::categories).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(category_of).collect::<Vec<_>>()))
}

#[utoipa::path(patch, path = "/api/v1/categories/{code}", tag = "incidents", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = CategoryPatch,
    responses((status = 200, body = Category), (status = 403, body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn patch(
    user: CurrentUser,
    code: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let p: CategoryPatch = body.json()?;
    p.validate().map_err(ApiError::validation)?;
    let code = code.into_inner();
    let row = state
        .db(move |c| {
            db::write_tx(c, |c| -> ApiResult<CategoryRow> {
                let mut row = store::category(c, &code)?.ok_or_else(ApiError::not_found)?;
                if let Some(n) = &p.name {
                    row.name = n.trim().to_string();
                }
                if let Some(n) = &p.name_en {
                    row.name_en = n.trim().to_string();
                }
                if let Some(d) = &p.deadline_hours {
                    row.deadline_community = d.community.unwrap_or(row.deadline_community);
                    row.deadline_town = d.town.unwrap_or(row.deadline_town);
                    row.deadline_district = d.district.unwrap_or(row.deadline_district);
                }
                row.updated_at = db::now();
                store::update_category(c, &row)?;
                audit::append(
                    c,
                    row.updated_at,
                    audit::Entry {
                        actor_id: Some(&user.id),
                        action: "category_update",
                        entity_type: "category",
                        entity_id: &row.code,
                        outcome: "success",
                        ip: Some(&user.ip),
                    },
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(category_of(&row)))
}
