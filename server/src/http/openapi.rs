//! The OpenAPI 3 document of every route, served at `/api/v1/openapi.json`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::routes;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gridwork API",
        description = "Grid management for community governance. Errors are RFC 9457 \
            application/problem+json with a stable `code`. Lists take `limit` (1–500, default 50) \
            and `cursor` and answer `{items, next_cursor}`, newest first. Records outside the \
            caller's scope answer 404.",
    ),
    modifiers(&BearerAuth),
    paths(
        routes::auth::login,
        routes::auth::refresh,
        routes::auth::logout,
        routes::users::me,
        routes::users::change_password,
        routes::users::create,
        routes::users::list,
        routes::users::get,
        routes::users::patch,
        routes::users::unlock,
        routes::regions::list,
        routes::regions::create,
        routes::cells::import_cells,
        routes::cells::list,
        routes::cells::get,
        routes::cells::locate,
        routes::cells::put_workers,
        routes::cells::get_workers,
        routes::cells::my_cells,
        routes::audit::list,
        routes::categories::list,
        routes::categories::patch,
        routes::incidents::create,
        routes::incidents::list,
        routes::incidents::get,
        routes::incidents::act,
        routes::incidents::mediate,
        routes::photos::upload_incident_photo,
        routes::photos::get,
        routes::photos::upload_visit_photo,
        routes::photos::upload_inspection_photo,
        routes::persons::create,
        routes::persons::list,
        routes::persons::get,
        routes::persons::patch,
        routes::persons::visit,
        routes::persons::visits,
        routes::persons::due,
        routes::persons::intervals,
        routes::persons::put_interval,
        routes::units::create,
        routes::units::list,
        routes::units::get,
        routes::units::inspect,
        routes::units::certify,
        routes::units::rollup,
        routes::sync::push,
        routes::sync::pull,
        routes::stats::map_cells,
        routes::stats::stats,
        routes::stats::workers,
        routes::stats::export,
        routes::ops::healthz,
        routes::ops::readyz,
        routes::ops::metrics,
        routes::ops::openapi,
    ),
    components(schemas(
        gridwork_shared::Problem,
        gridwork_shared::FieldError,
        gridwork_shared::ErrorCode,
        gridwork_shared::RegionLevel,
        gridwork_shared::api::Role,
        gridwork_shared::geometry::Location,
        gridwork_shared::incident::Status,
        gridwork_shared::incident::Level,
        gridwork_shared::incident::Severity,
        gridwork_shared::incident::Action,
    ))
)]
pub struct ApiDoc;

pub fn spec() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
