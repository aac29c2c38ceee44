//! Photo upload on a record (`POST /incidents/{id}/photos`) and `GET /photos/{id}`.
//!
//! The bytes must really be the declared format (JPEG, PNG or WebP) — else 415. Location
//! and other metadata are stripped before storing; `sha256` is of the stored bytes. The
//! same bytes uploaded to the same record again answer 200 with the same photo. A photo
//! is visible to exactly those who may see its record.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::ErrorCode;
use gridwork_shared::incident::PhotoRef;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::models::PhotoRow;
use crate::db::{self, DbConn, incidents as store};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, BodyLimit, parse_query};
use crate::incidents::{photo_ref, scope_of};
use crate::photos::{self, Kind, PHOTO_LIMIT};
use crate::routes::users::path_uuid;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/incidents/{id}/photos")
            .app_data(BodyLimit(PHOTO_LIMIT))
            .post(upload_incident_photo),
    )
    .service(
        web::resource("/visits/{id}/photos")
            .app_data(BodyLimit(PHOTO_LIMIT))
            .post(upload_visit_photo),
    )
    .service(
        web::resource("/inspections/{id}/photos")
            .app_data(BodyLimit(PHOTO_LIMIT))
            .post(upload_inspection_photo),
    )
    .service(web::resource("/photos/{id}").get(get));
}

/// Whether the caller may see the record a photo belongs to.
pub fn owner_visible(
    c: &mut DbConn,
    user: &CurrentUser,
    owner_type: &str,
    owner_id: &str,
) -> ApiResult<bool> {
    Ok(match owner_type {
        "incident" => store::find_in_scope(c, &scope_of(user), owner_id)?.is_some(),
        "visit" => match db::persons::visit(c, owner_id)? {
            Some(v) => match crate::persons::scope_of(user) {
                Ok(scope) => db::persons::find_in_scope(c, &scope, &v.person_id)?.is_some(),
                Err(_) => false,
            },
            None => false,
        },
        "inspection" => match db::units::inspection(c, owner_id)? {
            Some(i) => match crate::units::scope_of(user) {
                Ok(scope) => db::units::find_in_scope(c, &scope, &i.unit_id)?.is_some(),
                Err(_) => false,
            },
            None => false,
        },
        _ => false,
    })
}

/// Checks, strips and stores an uploaded photo for a record; answers 201 for a new photo
/// and 200 for the same bytes again.
pub async fn upload(
    state: &web::Data<AppState>,
    user: CurrentUser,
    owner_type: &'static str,
    owner_id: &str,
    body: &Body,
) -> ApiResult<HttpResponse> {
    let declared = body
        .content_type()
        .and_then(Kind::from_mime)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnsupportedMedia,
                "send image/jpeg, image/png or image/webp",
            )
        })?;
    let raw = body.bytes()?.clone();
    let owner_id = path_uuid(owner_id)?;
    if photos::sniff(&raw) != Some(declared) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMedia,
            format!("the bytes are not {}", declared.mime()),
        ));
    }
    let stored = web::block(move || -> ApiResult<_> {
        let stripped = photos::strip(declared, bytes::Bytes::copy_from_slice(&raw))
            .filter(|b| photos::decodes(declared, b))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::UnsupportedMedia,
                    format!("the bytes are not a readable {}", declared.mime()),
                )
            })?;
        Ok(stripped)
    })
    .await??;
    let sha = photos::sha256_hex(&stored);
    let st = state.clone();
    let (row, created) = state
        .db(move |c| {
            db::write_tx(c, |c| -> ApiResult<(PhotoRow, bool)> {
                if !owner_visible(c, &user, owner_type, &owner_id)? {
                    return Err(ApiError::not_found());
                }
                if let Some(existing) = store::photo_by_sha(c, owner_type, &owner_id, &sha)? {
                    return Ok((existing, false));
                }
                photos::store(&st.config.data_dir, &sha, declared, &stored)
                    .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("storing a photo: {e}")))?;
                let row = PhotoRow {
                    id: Uuid::now_v7().to_string(),
                    owner_type: owner_type.to_string(),
                    owner_id: owner_id.clone(),
                    sha256: sha.clone(),
                    content_type: declared.mime().to_string(),
                    size_bytes: stored.len() as i64,
                    uploaded_by: user.id.clone(),
                    created_at: st.clock.now_naive(),
                };
                store::insert_photo(c, &row)?;
                if owner_type == "incident"
                    && let Some(inc) = store::find(c, &owner_id)?
                {
                    db::sync::record(c, "incident", &inc.id, &inc.cell_code, row.created_at)?;
                }
                Ok((row, true))
            })
        })
        .await?;
    let out: PhotoRef = photo_ref(&row);
    Ok(if created {
        HttpResponse::Created().json(out)
    } else {
        HttpResponse::Ok().json(out)
    })
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/photos", tag = "photos", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the image (image/jpeg, image/png or image/webp), ≤ 10 MiB"),
    responses(
        (status = 201, body = PhotoRef), (status = 200, description = "the same bytes again: the same photo", body = PhotoRef),
        (status = 404, body = gridwork_shared::Problem),
        (status = 413, body = gridwork_shared::Problem),
        (status = 415, description = "unsupported_media: not really JPEG/PNG/WebP", body = gridwork_shared::Problem)))]
pub async fn upload_incident_photo(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    upload(&state, user, "incident", &id, &body).await
}

#[utoipa::path(post, path = "/api/v1/visits/{id}/photos", tag = "photos", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the image, as for incidents"),
    responses((status = 201, body = PhotoRef), (status = 200, body = PhotoRef),
        (status = 404, body = gridwork_shared::Problem), (status = 413, body = gridwork_shared::Problem),
        (status = 415, body = gridwork_shared::Problem)))]
pub async fn upload_visit_photo(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    upload(&state, user, "visit", &id, &body).await
}

#[utoipa::path(post, path = "/api/v1/inspections/{id}/photos", tag = "photos", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the image, as for incidents"),
    responses((status = 201, body = PhotoRef), (status = 200, body = PhotoRef),
        (status = 404, body = gridwork_shared::Problem), (status = 413, body = gridwork_shared::Problem),
        (status = 415, body = gridwork_shared::Problem)))]
pub async fn upload_inspection_photo(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    upload(&state, user, "inspection", &id, &body).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoQuery {
    size: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/photos/{id}", tag = "photos", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("size" = Option<String>, Query, description = "`thumb` for a 320 px JPEG thumbnail")),
    responses((status = 200, description = "the stored image", content_type = "image/*"),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: PhotoQuery = parse_query(&req)?;
    let thumb = match q.size.as_deref() {
        None | Some("full") => false,
        Some("thumb") => true,
        Some(_) => return Err(ApiError::invalid("size", "must be thumb or full")),
    };
    let id = path_uuid(&id)?;
    let row = state
        .db(move |c| -> ApiResult<PhotoRow> {
            let row = store::photo(c, &id)?.ok_or_else(ApiError::not_found)?;
            if !owner_visible(c, &user, &row.owner_type, &row.owner_id)? {
                return Err(ApiError::not_found());
            }
            Ok(row)
        })
        .await?;
    let kind = Kind::from_mime(&row.content_type)
        .ok_or_else(|| anyhow::anyhow!("stored content type {}", row.content_type))?;
    let dir = state.config.data_dir.clone();
    let sha = row.sha256.clone();
    let (bytes, ct) = web::block(move || -> anyhow::Result<(Vec<u8>, &'static str)> {
        if thumb {
            Ok((
                std::fs::read(photos::thumbnail(&dir, &sha, kind)?)?,
                "image/jpeg",
            ))
        } else {
            Ok((
                std::fs::read(photos::path_of(&dir, &sha, kind))?,
                kind.mime(),
            ))
        }
    })
    .await??;
    Ok(HttpResponse::Ok()
        .content_type(ct)
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        ))
        .insert_header((
            header::ETAG,
            format!("\"{}{}\"", row.sha256, if thumb { "-t" } else { "" }),
        ))
        .body(bytes))
}
