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
            caller's scope answer 404. Open311 GeoReport v2 (`/open311/v2`, tag open311) is \
            another API with the specification's conventions: JSON or XML by extension, errors \
            as `[{code, description}]`.",
    ),
    modifiers(&BearerAuth, &Conventions),
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
        routes::calendar::calendar,
        routes::calendar::set_calendar,
        routes::categories::list,
        routes::categories::patch,
        routes::incidents::create,
        routes::incidents::list,
        routes::incidents::export,
        routes::incidents::get,
        routes::incidents::act,
        routes::incidents::mediate,
        routes::photos::upload_incident_photo,
        routes::photos::get,
        routes::photos::upload_visit_photo,
        routes::photos::upload_inspection_photo,
        routes::photos::upload_progress_photo,
        routes::persons::create,
        routes::persons::list,
        routes::persons::export,
        routes::persons::get,
        routes::persons::patch,
        routes::persons::visit,
        routes::persons::visits,
        routes::persons::due,
        routes::persons::intervals,
        routes::persons::put_interval,
        routes::units::create,
        routes::units::list,
        routes::units::export,
        routes::units::get,
        routes::units::inspect,
        routes::units::certify,
        routes::units::rollup,
        routes::teams::create,
        routes::teams::list,
        routes::teams::get,
        routes::teams::patch,
        routes::teams::put_members,
        routes::teams::mine,
        routes::teams::record_patrol,
        routes::teams::patrols,
        routes::teams::stats,
        routes::notifications::list,
        routes::notifications::read,
        routes::notifications::stream,
        routes::sync::push,
        routes::sync::pull,
        routes::stats::map_cells,
        routes::stats::stats,
        routes::stats::workers,
        routes::stats::export,
        routes::ops::healthz,
        routes::ops::readyz,
        routes::ops::metrics,
        routes::ops::docs,
        routes::ops::openapi,
        routes::api_keys::create,
        routes::api_keys::list,
        routes::api_keys::revoke,
        routes::departments::create,
        routes::departments::list,
        routes::tasks::create,
        routes::tasks::list,
        routes::tasks::get,
        routes::tasks::put_units,
        routes::tasks::progress,
        routes::tasks::put_scores,
        routes::performance::records,
        routes::performance::workers,
        routes::performance::export,
        routes::performance::snapshot,
        routes::performance::snapshots,
        routes::performance::snapshot_document,
        routes::open311::discovery,
        routes::open311::services,
        routes::open311::requests,
        routes::open311::request,
        routes::open311::submit,
        routes::deliberations::create,
        routes::deliberations::list,
        routes::deliberations::get,
        routes::deliberations::act,
        routes::deliberations::session,
        routes::selections::create,
        routes::selections::list,
        routes::selections::get,
        routes::selections::act,
        routes::selections::nominate,
        routes::selections::act_on_nomination,
        routes::selections::honours,
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

/// The contract's conventions, applied to every operation of the document so that no route
/// can forget them (API.md, "Conventions" and "Rules that settle the details"):
///
/// - every error answer is `application/problem+json` with the `Problem` schema;
/// - the refusals every route of a kind can give are documented on each: 401 on a route
///   that needs a bearer token, 400/413/415/422 on one that takes a body, 422 on one that
///   reads a query string, 404 on one with a record in its path, 429 `rate_limited` on an
///   authenticated write; a route's own annotation adds the rest (403, 409, …) and its
///   words win over these;
/// - the query and path parameters shared by many routes carry their constraints (`limit`
///   1–500, region and cell code patterns, UUID ids, dates, the enums of the filters), so
///   that a client generated from the document sends what the server accepts;
/// - each operation has a unique `operationId` (`tag_handler`).
struct Conventions;

/// The region code pattern: 6, 9 or 12 digits.
pub const REGION_PATTERN: &str = "^[0-9]{6}([0-9]{3}){0,2}$";
/// A cell code: its community's 12 digits and 3 more.
pub const CELL_PATTERN: &str = "^[0-9]{15}$";

const PROBLEM_REF: &str = "#/components/schemas/Problem";

/// The standard refusals: (status, description, applies to the operation).
struct Standard {
    status: &'static str,
    description: &'static str,
    applies: fn(&Shape) -> bool,
}

/// What the conventions need to know of an operation.
struct Shape {
    method: String,
    secured: bool,
    body: bool,
    query: bool,
    path_params: bool,
}

const STANDARD: &[Standard] = &[
    Standard {
        status: "400",
        description: "malformed_json: the body is not well-formed JSON; bad_request: the body \
            could not be read",
        applies: |s| s.body,
    },
    Standard {
        status: "401",
        description: "unauthorized: no bearer token, an invalid or expired one, or a \
            deactivated account",
        applies: |s| s.secured,
    },
    Standard {
        status: "404",
        description: "not_found: no such record in the caller's scope",
        applies: |s| s.path_params,
    },
    Standard {
        status: "413",
        description: "too_large: the body is over the route's limit (1 MiB unless stated)",
        applies: |s| s.body,
    },
    Standard {
        status: "415",
        description: "unsupported_media: the body is not of the documented content type",
        applies: |s| s.body,
    },
    Standard {
        status: "422",
        description: "validation_failed: a well-formed but invalid value, an unknown field or \
            query parameter; `errors` names each field",
        applies: |s| s.body || s.query,
    },
    Standard {
        status: "429",
        description: "rate_limited: over the caller's write limit; Retry-After says when to \
            try again",
        applies: |s| s.secured && s.method != "get",
    },
];

/// Constraints of the parameters many routes share: (path prefix or "", location, name,
/// schema). The first match wins.
fn parameter_schema(path: &str, location: &str, name: &str) -> Option<serde_json::Value> {
    use serde_json::json;
    let status_list = "^(reported|accepted|rejected|dispatched|in_progress|resolved|rework|\
        closed|merged)(,(reported|accepted|rejected|dispatched|in_progress|resolved|rework|\
        closed|merged))*$";
    let unit_kinds = [
        "household",
        "school",
        "hospital",
        "enterprise",
        "shop",
        "market",
        "construction_site",
        "community",
        "other",
    ];
    let person_categories = [
        "community_correction",
        "released_prisoner",
        "drug_user",
        "severe_mental_disorder",
        "key_youth",
        "aids_risk",
        "cult",
    ];
    let uuid = json!({"type": "string", "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    Some(match (location, name) {
        ("path", "id") => uuid,
        ("path", "code") if path.starts_with("/api/v1/cells/") => {
            json!({"type": "string", "pattern": CELL_PATTERN})
        }
        ("path", "code") if path.starts_with("/api/v1/categories/") => {
            json!({"type": "string", "pattern": "^[0-9]{4}$"})
        }
        ("query", "limit") => {
            json!({"type": "integer", "minimum": 1, "maximum": 500, "default": 50})
        }
        ("query", "cursor") => json!({"type": "string"}),
        ("query", "region") => json!({"type": "string", "pattern": REGION_PATTERN}),
        ("query", "cell") => json!({"type": "string", "pattern": CELL_PATTERN}),
        ("query", "from" | "to") if path.starts_with("/api/v1/stats") => date,
        ("query", "actor") => uuid,
        ("query", "overdue" | "archived") => json!({"type": "boolean"}),
        ("query", "assignee" | "reporter") => json!({"type": "string", "pattern":
            "^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"}),
        ("query", "status") if path == "/api/v1/incidents" => {
            json!({"type": "string", "pattern": status_list})
        }
        ("query", "status") if path == "/api/v1/safety-units" => {
            json!({"type": "string", "enum": ["unknown", "safe", "hazard", "overdue"]})
        }
        ("query", "level") => json!({"type": "string", "enum": ["community", "town", "district"]}),
        ("query", "category") if path == "/api/v1/incidents" => {
            json!({"type": "string", "pattern": "^([0-9]{2}|[0-9]{4})$"})
        }
        ("query", "category") if path == "/api/v1/persons" => {
            json!({"type": "string", "enum": person_categories})
        }
        ("query", "kind") => json!({"type": "string", "enum": unit_kinds}),
        ("query", "due") => json!({"type": "string", "enum": ["overdue", "today", "week"]}),
        ("query", "size") => json!({"type": "string", "enum": ["thumb", "full"]}),
        ("query", "format") => json!({"type": "string", "enum": ["csv", "xlsx"]}),
        ("query", "lon") => json!({"type": "number", "minimum": -180, "maximum": 180}),
        ("query", "lat") => json!({"type": "number", "minimum": -90, "maximum": 90}),
        ("query", "bbox") => json!({"type": "string", "pattern":
            "^-?[0-9]+(\\.[0-9]+)?(,-?[0-9]+(\\.[0-9]+)?){3}$"}),
        _ => return None,
    })
}

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut doc = serde_json::to_value(&*openapi).expect("the document serializes");
        apply_conventions(&mut doc);
        *openapi = serde_json::from_value(doc).expect("the document reads back");
    }
}

/// A unique `operationId` for each (path, method): `tag_handler`, or where two operations
/// would share that, `resource_handler` after the path's first segment (and the method
/// after that when still shared).
fn operation_ids(
    paths: &serde_json::Map<String, serde_json::Value>,
) -> std::collections::BTreeMap<(String, String), String> {
    use serde_json::Value;
    let mut found = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let tag = op
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
                .unwrap_or("api");
            let resource = path
                .trim_start_matches("/api/v1")
                .split('/')
                .find(|s| !s.is_empty())
                .unwrap_or("api")
                .trim_end_matches(".json")
                .replace(['-', '.'], "_");
            found.push((
                (path.clone(), method.clone()),
                format!("{tag}_{id}"),
                format!("{resource}_{id}"),
            ));
        }
    }
    let count = |id: &str, of: fn(&(_, String, String)) -> &String| {
        found.iter().filter(|f| of(f) == id).count()
    };
    let mut ids = std::collections::BTreeMap::new();
    for f in &found {
        let id = if count(&f.1, |f| &f.1) == 1 {
            f.1.clone()
        } else if count(&f.2, |f| &f.2) == 1 {
            f.2.clone()
        } else {
            format!("{}_{}", f.2, f.0.1)
        };
        ids.insert(f.0.clone(), id);
    }
    ids
}

fn apply_conventions(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let ids = operation_ids(paths);
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let params: Vec<(String, String)> = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            (
                                p["in"].as_str().unwrap_or("").to_string(),
                                p["name"].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let shape = Shape {
                method: method.clone(),
                secured: op
                    .get("security")
                    .and_then(Value::as_array)
                    .is_some_and(|s| !s.is_empty()),
                body: op.contains_key("requestBody"),
                query: params.iter().any(|(l, _)| l == "query"),
                path_params: params.iter().any(|(l, _)| l == "path"),
            };
            if let Some(ps) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for p in ps {
                    let (l, n) = (
                        p["in"].as_str().unwrap_or("").to_string(),
                        p["name"].as_str().unwrap_or("").to_string(),
                    );
                    if let Some(schema) = parameter_schema(path, &l, &n) {
                        p["schema"] = schema;
                    }
                }
            }
            if let Some(id) = ids.get(&(path.clone(), method.clone())) {
                op.insert("operationId".into(), Value::String(id.clone()));
            }
            // Open311 keeps the specification's own conventions (its errors, no bearer).
            if path.starts_with("/open311/") {
                continue;
            }
            // An upload's body is the image's bytes, in any of the accepted formats.
            if let Some(content) = op
                .get_mut("requestBody")
                .and_then(|b| b.get_mut("content"))
                .and_then(Value::as_object_mut)
                && content.keys().any(|k| k.starts_with("image/"))
            {
                content.clear();
                for mime in ["image/jpeg", "image/png", "image/webp"] {
                    content.insert(
                        mime.into(),
                        json!({"schema": {"type": "string", "format": "binary"}}),
                    );
                }
            }
            let responses = op
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("responses is an object");
            for s in STANDARD.iter().filter(|s| (s.applies)(&shape)) {
                responses
                    .entry(s.status)
                    .or_insert_with(|| json!({"description": s.description}));
            }
            for (status, response) in responses.iter_mut() {
                if !status.starts_with('4') && !status.starts_with('5') {
                    continue;
                }
                let Some(r) = response.as_object_mut() else {
                    continue;
                };
                if r.get("description")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    let words = STANDARD
                        .iter()
                        .find(|s| s.status == status)
                        .map_or("refused; `code` says why", |s| s.description);
                    r.insert("description".into(), Value::String(words.into()));
                }
                r.insert(
                    "content".into(),
                    json!({"application/problem+json": {"schema": {"$ref": PROBLEM_REF}}}),
                );
                if status == "429" {
                    r.insert(
                        "headers".into(),
                        json!({"Retry-After": {
                            "description": "seconds to wait before trying again",
                            "schema": {"type": "integer", "minimum": 0}}}),
                    );
                }
            }
        }
    }
}
