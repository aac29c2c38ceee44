//! HTTP routes, one file per resource, each with a `configure` that registers it.

pub mod audit;
pub mod auth;
pub mod categories;
pub mod cells;
pub mod incidents;
pub mod ops;
pub mod persons;
pub mod photos;
pub mod regions;
pub mod stats;
pub mod sync;
pub mod units;
pub mod users;

use actix_web::{HttpResponse, web};

use crate::http::error::ApiError;

/// Everything under `/api/v1`.
pub fn configure_api(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/openapi.json").get(ops::openapi));
    auth::configure(cfg);
    users::configure(cfg);
    regions::configure(cfg);
    cells::configure(cfg);
    categories::configure(cfg);
    incidents::configure(cfg);
    photos::configure(cfg);
    persons::configure(cfg);
    units::configure(cfg);
    sync::configure(cfg);
    stats::configure(cfg);
    audit::configure(cfg);
}

/// Unknown API paths: problem+json 404.
pub async fn api_not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        gridwork_shared::ErrorCode::NotFound,
        "no such endpoint",
    ))
}
