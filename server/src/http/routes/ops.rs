//! `/healthz`, `/readyz`, `/metrics`, `/api/v1/openapi.json`, and `/api/docs` (the API's
//! documentation, an OpenAPI viewer bundled with the web client).

use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::ExposeSecret;

use crate::app::state::AppState;
use crate::http::error::{ApiError, ApiResult};
use crate::http::register::{Api, resource};

pub fn configure_root(api: &mut Api) {
    api.service(resource("/healthz").get(healthz))
        .service(resource("/readyz").get(readyz))
        .service(resource("/metrics").get(metrics))
        .service(resource("/api/docs").get(docs));
}

/// What the documentation page may load: its own scripts and styles (the viewer sets
/// styles inline), the document from this server, images from itself and `data:`.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; font-src 'self' data:; object-src 'none'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

#[utoipa::path(get, path = "/api/docs", tag = "operations",
    responses((status = 200, description = "the API's documentation: an OpenAPI viewer (Swagger UI, bundled with the \
            web client, nothing from another site) reading /api/v1/openapi.json", content_type = "text/html"),
        (status = 404, description = "this server's web directory holds no built web client",
            body = gridwork_shared::Problem)))]
pub async fn docs(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let page = state.config.web_dir.join("api-docs.html");
    let html = web::block(move || std::fs::read(page))
        .await?
        .map_err(|_| {
            ApiError::new(
                gridwork_shared::ErrorCode::NotFound,
                "the documentation is built with the web client (cargo xtask web); the document \
                 itself is at /api/v1/openapi.json",
            )
        })?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::CONTENT_SECURITY_POLICY, DOCS_CSP))
        .body(html))
}

#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "the process is up")))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "the database answers"),
        (status = 503, description = "the database does not answer", body = gridwork_shared::Problem)))]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    state.ping().await?;
    Ok(HttpResponse::Ok().content_type("text/plain").body("ready"))
}

#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain"),
        (status = 401, description = "GRIDWORK_METRICS_TOKEN is set and the request does not bear it",
            body = gridwork_shared::Problem)))]
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    if let Some(token) = &state.config.metrics_token
        && !bears(&req, token.expose_secret())
    {
        return Err(ApiError::unauthorized(
            "the metrics need the bearer token the operator set",
        ));
    }
    let st = state.clone();
    let grid = state.db(move |c| st.grid.current(c)).await?;
    let m = &state.metrics;
    m.grid_cells.set(grid.index.len() as i64);
    let pool = state.pool.state();
    m.pool_connections.set(i64::from(pool.connections));
    m.pool_idle.set(i64::from(pool.idle_connections));
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(m.render()))
}

/// Whether the request's bearer token is `expected` (compared in constant time).
fn bears(req: &HttpRequest, expected: &str) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let given = crate::http::auth::bearer(req).unwrap_or_default();
    Sha256::digest(given.as_bytes())
        .ct_eq(&Sha256::digest(expected.as_bytes()))
        .into()
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations",
    responses((status = 200, description = "this OpenAPI 3 document", body = Object)))]
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(crate::http::openapi::spec())
}
