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

use crate::app::state::AppState;
use crate::core::photo::{Kind, PHOTO_LIMIT};
use crate::flow::caller::CurrentUser;
use crate::flow::photos;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Body, BodyLimit, parse_query};
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(
        resource("/incidents/{id}/photos")
            .app_data(BodyLimit(PHOTO_LIMIT))
            .post(upload_incident_photo),
    )
    .service(
        resource("/visits/{id}/photos")
            .app_data(BodyLimit(PHOTO_LIMIT))
            .post(upload_visit_photo),
    )
    .service(
        resource("/inspections/{id}/photos")
            .app_data(BodyLimit(PHOTO_LIMIT))
            .post(upload_inspection_photo),
    )
    .service(
        resource("/task-progress/{id}/photos")
            .app_data(BodyLimit(PHOTO_LIMIT))
            .post(upload_progress_photo),
    )
    .service(resource("/photos/{id}").get(get));
}

/// Checks, strips and stores an uploaded photo for a record; answers 201 for a new photo
/// and 200 for the same bytes again.
pub async fn upload(
    state: &web::Data<AppState>,
    user: CurrentUser,
    owner_type: &'static str,
    owner_id: &str,
    step: Option<String>,
    body: Body,
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
    let raw = body.bytes().await?;
    let (out, created) = photos::upload(
        &state.clone().into_inner(),
        user,
        owner_type,
        owner_id,
        step,
        declared,
        raw,
    )
    .await?;
    Ok(if created {
        HttpResponse::Created().json(out)
    } else {
        HttpResponse::Ok().json(out)
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepQuery {
    step: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/photos", tag = "photos", security(("bearer" = [])),
    params(("id" = Uuid, Path),
        ("step" = Option<Uuid>, Query, description = "the id of the history entry (step) the photo is the proof of, e.g. a resolve; a step taken through sync has its op_id. 404 until the step is recorded")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the image (image/jpeg, image/png or image/webp), ≤ 10 MiB"),
    responses(
        (status = 201, body = PhotoRef), (status = 200, description = "the same bytes again: the same photo", body = PhotoRef),
        (status = 404, body = gridwork_shared::Problem),
        (status = 413, body = gridwork_shared::Problem),
        (status = 415, description = "unsupported_media: not really JPEG/PNG/WebP", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn upload_incident_photo(
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: StepQuery = parse_query(&req)?;
    upload(&state, user, "incident", &id, q.step, body).await
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
    upload(&state, user, "visit", &id, None, body).await
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
    upload(&state, user, "inspection", &id, None, body).await
}

#[utoipa::path(post, path = "/api/v1/task-progress/{id}/photos", tag = "photos", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "the progress report's id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the evidence, an image as for incidents; added by who reported the progress"),
    responses((status = 201, body = PhotoRef), (status = 200, body = PhotoRef),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem),
        (status = 413, body = gridwork_shared::Problem), (status = 415, body = gridwork_shared::Problem)))]
pub async fn upload_progress_photo(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    upload(&state, user, "progress", &id, None, body).await
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
    let photo = photos::read(&state, &user, &id, thumb).await?;
    Ok(HttpResponse::Ok()
        .content_type(photo.content_type)
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        ))
        .insert_header((
            header::ETAG,
            format!("\"{}{}\"", photo.sha256, if thumb { "-t" } else { "" }),
        ))
        .body(photo.bytes))
}
