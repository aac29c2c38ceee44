//! HTTP routes, one file per resource, each with a `configure` that registers it.

pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod categories;
pub mod cells;
pub mod deliberations;
pub mod departments;
pub mod incidents;
pub mod notifications;
pub mod open311;
pub mod ops;
pub mod performance;
pub mod persons;
pub mod photos;
pub mod regions;
pub mod selections;
pub mod stats;
pub mod sync;
pub mod tasks;
pub mod teams;
pub mod units;
pub mod users;

use actix_web::{HttpResponse, web};

use crate::http::error::ApiError;
use crate::http::register::{Api, resource};

/// Everything under `/api/v1`.
pub fn configure_api(cfg: &mut web::ServiceConfig) {
    register_api(&mut Api::new(cfg, "/api/v1"));
}

/// `/healthz`, `/readyz`, `/metrics`, `/api/docs`, and Open311 at `/open311/v2`.
pub fn configure_root(cfg: &mut web::ServiceConfig) {
    let mut root = Api::new(cfg, "");
    ops::configure_root(&mut root);
    open311::configure_root(&mut root);
}

fn register_api(api: &mut Api) {
    api.service(resource("/openapi.json").get(ops::openapi));
    auth::configure(api);
    users::configure(api);
    regions::configure(api);
    cells::configure(api);
    calendar::configure(api);
    categories::configure(api);
    api_keys::configure(api);
    departments::configure(api);
    incidents::configure(api);
    photos::configure(api);
    persons::configure(api);
    units::configure(api);
    deliberations::configure(api);
    selections::configure(api);
    teams::configure(api);
    notifications::configure(api);
    sync::configure(api);
    stats::configure(api);
    tasks::configure(api);
    performance::configure(api);
    audit::configure(api);
}

/// Unknown API paths: problem+json 404.
pub async fn api_not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        gridwork_shared::ErrorCode::NotFound,
        "no such endpoint",
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use actix_web::{App, web};

    use crate::http::register;

    /// The OpenAPI document lists exactly the routes the server registers.
    #[actix_web::test]
    async fn every_route_is_documented_and_every_documented_route_is_served() {
        register::start_recording();
        let _app = actix_web::test::init_service(
            App::new()
                .service(web::scope("/api/v1").configure(super::configure_api))
                .configure(super::configure_root),
        )
        .await;
        let served: BTreeSet<(String, String)> = register::recorded()
            .into_iter()
            .map(|(m, p)| (m.as_str().to_string(), p))
            .collect();
        assert!(served.len() > 40, "only {} routes recorded", served.len());
        let spec = serde_json::to_value(crate::http::openapi::spec()).expect("the spec serializes");
        let mut documented = BTreeSet::new();
        for (path, item) in spec["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("a path item").keys() {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    documented.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty() && unserved.is_empty(),
            "served but not in the OpenAPI document: {undocumented:?}; \
             documented but not served: {unserved:?}"
        );
    }
}
