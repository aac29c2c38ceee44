//! Open311 GeoReport v2 at `/open311/v2` on the server's root: another API with its own
//! conventions. Every answer is in the format its path's extension names (`.json` or
//! `.xml`), errors too (`[{"code", "description"}]` or `<errors><error>…`); reads need no
//! login; a post needs an admin-issued `api_key`. Each client address has a read and a post
//! allowance (`flow::open311::Limits`).

use actix_web::http::header;
use actix_web::http::header::HeaderValue;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use gridwork_shared::open311::{
    Discovery, DiscoveryXml, Errors, NewServiceRequest, Open311Error, RequestsQuery, Service,
    ServiceRequest, ServiceRequests, Services, Submitted,
};
use serde::Serialize;

use crate::app::state::AppState;
use crate::flow::error::Error;
use crate::flow::open311::{self as flow, Lang};
use crate::flow::{api_keys, limits::WriteLimiter};
use crate::http::error::ApiError;
use crate::http::extract::{Body, BodyLimit, client_ip};
use crate::http::register::{Api, resource};

/// A post's form: a description of 4,000 characters, percent-encoded, with room to spare.
const POST_LIMIT: usize = 64 * 1024;

pub fn configure_root(api: &mut Api) {
    api.service(resource("/open311/v2/discovery.{format}").get(discovery))
        .service(resource("/open311/v2/services.{format}").get(services))
        .service(
            resource("/open311/v2/requests.{format}")
                .get(requests)
                .post(submit)
                .app_data(BodyLimit(POST_LIMIT)),
        )
        .service(resource("/open311/v2/requests/{id}.{format}").get(request));
}

/// The format a path's extension names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// An Open311 refusal: its status and words.
struct Refusal {
    status: u16,
    description: String,
    retry_after: Option<u64>,
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Self {
        let status = match &e {
            // Open311 has no 422: a bad field or a point off the grid is a bad request.
            Error::Invalid(_) | Error::OffGrid => 400,
            Error::Unexpected(cause) => {
                tracing::error!(error = ?cause, "unexpected error");
                500
            }
            other => other.code().status(),
        };
        let retry_after = match &e {
            Error::RateLimited { retry_after } | Error::Throttled { retry_after, .. } => {
                Some(*retry_after)
            }
            _ => None,
        };
        let description = match &e {
            Error::RateLimited { retry_after } => {
                format!("too many requests from this address; try again in {retry_after} s")
            }
            other => other.detail(),
        };
        Refusal {
            status,
            description,
            retry_after,
        }
    }
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        let status = e.status_code().as_u16();
        let description = match &e {
            ApiError::Problem { problem, .. } => problem.detail.clone(),
            ApiError::Unexpected(cause) => {
                tracing::error!(error = ?cause, "unexpected error");
                "something went wrong on our side".to_string()
            }
        };
        Refusal {
            status: if status == 422 { 400 } else { status },
            description,
            retry_after: None,
        }
    }
}

fn refused(status: u16, description: impl Into<String>) -> Refusal {
    Refusal {
        status,
        description: description.into(),
        retry_after: None,
    }
}

/// The format of the request's path (`{format}`); anything but `json` or `xml` is 404,
/// answered in JSON.
fn format_of(req: &HttpRequest) -> Result<Format, Refusal> {
    match req.match_info().query("format") {
        "json" => Ok(Format::Json),
        "xml" => Ok(Format::Xml),
        other => Err(refused(
            404,
            format!("no format {other:?}: use .json or .xml"),
        )),
    }
}

/// English names and notes when the client prefers English, else Chinese.
fn lang_of(req: &HttpRequest) -> Lang {
    let first = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if first.starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// `value` in `format`: JSON as it is, XML under `root` after the XML declaration.
fn answer<J: Serialize, X: Serialize>(
    format: Format,
    status: u16,
    json: &J,
    root: &str,
    xml: &X,
) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = HttpResponse::build(status);
    res.insert_header((
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    ));
    match format {
        Format::Json => match serde_json::to_string(json) {
            Ok(body) => res
                .content_type("application/json; charset=utf-8")
                .body(body),
            Err(e) => unexpected(anyhow::anyhow!("JSON: {e}")),
        },
        Format::Xml => match quick_xml::se::to_string_with_root(root, xml) {
            Ok(body) => res.content_type("text/xml; charset=utf-8").body(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}"
            )),
            Err(e) => unexpected(anyhow::anyhow!("XML: {e}")),
        },
    }
}

fn unexpected(e: anyhow::Error) -> HttpResponse {
    tracing::error!(error = ?e, "an Open311 answer did not serialize");
    HttpResponse::InternalServerError().finish()
}

/// A refusal in `format`, as the specification writes errors.
fn refusal(format: Format, r: Refusal) -> HttpResponse {
    let errors = [Open311Error {
        code: r.status,
        description: r.description,
    }];
    let mut res = answer(
        format,
        r.status,
        &errors,
        "errors",
        &Errors { error: &errors },
    );
    if let Some(secs) = r.retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// A list in `format`: a JSON array, or `<root><item>…</item></root>`.
fn finish<T>(
    format: Format,
    status: u16,
    result: Result<T, Refusal>,
    to: impl Fn(Format, u16, T) -> HttpResponse,
) -> HttpResponse {
    match result {
        Ok(v) => to(format, status, v),
        Err(r) => refusal(format, r),
    }
}

/// Takes one request of the client address's allowance.
fn take(limiter: &WriteLimiter, req: &HttpRequest) -> Result<(), Refusal> {
    limiter.take(&client_ip(req)).map_err(Refusal::from)
}

fn services_answer(format: Format, status: u16, list: Vec<Service>) -> HttpResponse {
    answer(
        format,
        status,
        &list,
        "services",
        &Services { service: &list },
    )
}

fn requests_answer(format: Format, status: u16, list: Vec<ServiceRequest>) -> HttpResponse {
    answer(
        format,
        status,
        &list,
        "service_requests",
        &ServiceRequests { request: &list },
    )
}

fn submitted_answer(format: Format, status: u16, list: Vec<Submitted>) -> HttpResponse {
    answer(
        format,
        status,
        &list,
        "service_requests",
        &ServiceRequests { request: &list },
    )
}

#[utoipa::path(get, path = "/open311/v2/discovery.{format}", tag = "open311",
    params(("format" = String, Path, description = "json | xml")),
    responses((status = 200, description = "GeoReport service discovery: this endpoint, its specification and formats",
        body = Discovery),
        (status = 404, description = "a format other than json or xml", body = Vec<Open311Error>)))]
pub async fn discovery(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match format_of(&req) {
        Ok(f) => f,
        Err(r) => return refusal(Format::Json, r),
    };
    if let Err(r) = take(&state.open311.reads, &req) {
        return refusal(format, r);
    }
    let info = req.connection_info();
    let d = flow::discovery(format!("{}://{}/open311/v2", info.scheme(), info.host()));
    answer(format, 200, &d, "discovery", &DiscoveryXml::from(&d))
}

#[utoipa::path(get, path = "/open311/v2/services.{format}", tag = "open311",
    params(("format" = String, Path, description = "json | xml")),
    responses((status = 200, description = "the categories an admin marked public: service_code is the category's \
            code, group its class; names in Chinese, or in English when Accept-Language prefers it",
        body = Vec<Service>),
        (status = 404, description = "a format other than json or xml", body = Vec<Open311Error>),
        (status = 429, description = "over the address's allowance; Retry-After says when", body = Vec<Open311Error>)))]
pub async fn services(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match format_of(&req) {
        Ok(f) => f,
        Err(r) => return refusal(Format::Json, r),
    };
    let lang = lang_of(&req);
    let result = async {
        take(&state.open311.reads, &req)?;
        Ok::<_, Refusal>(state.db(move |c| flow::services(c, lang)).await?)
    }
    .await;
    finish(format, 200, result, services_answer)
}

#[utoipa::path(get, path = "/open311/v2/requests.{format}", tag = "open311",
    params(("format" = String, Path, description = "json | xml"),
        ("service_request_id" = Option<String>, Query, description = "a comma list of ids (at most 100); every other filter is then ignored"),
        ("service_code" = Option<String>, Query, description = "a comma list of service codes"),
        ("start_date" = Option<String>, Query, description = "ISO 8601 with offset; default 90 days before end_date or now"),
        ("end_date" = Option<String>, Query, description = "ISO 8601 with offset"),
        ("status" = Option<String>, Query, description = "open | closed")),
    responses((status = 200, description = "incidents of public categories, newest first, at most 1,000, without anyone's \
            personal data: address is the cell's name, lat and long are rounded to 4 decimals, status is closed once \
            closed, rejected or merged, expected_datetime is the deadline", body = Vec<ServiceRequest>),
        (status = 400, description = "a malformed date or status", body = Vec<Open311Error>),
        (status = 404, description = "a format other than json or xml", body = Vec<Open311Error>),
        (status = 429, description = "over the address's allowance; Retry-After says when", body = Vec<Open311Error>)))]
pub async fn requests(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match format_of(&req) {
        Ok(f) => f,
        Err(r) => return refusal(Format::Json, r),
    };
    let lang = lang_of(&req);
    let result = async {
        take(&state.open311.reads, &req)?;
        let q: RequestsQuery = serde_urlencoded::from_str(req.query_string())
            .map_err(|e| refused(400, format!("the query string could not be read: {e}")))?;
        let st = state.clone();
        Ok::<_, Refusal>(state.db(move |c| flow::requests(&st, c, lang, &q)).await?)
    }
    .await;
    finish(format, 200, result, requests_answer)
}

#[utoipa::path(get, path = "/open311/v2/requests/{id}.{format}", tag = "open311",
    params(("id" = uuid::Uuid, Path), ("format" = String, Path, description = "json | xml")),
    responses((status = 200, description = "the one request, in a list as the specification has it", body = Vec<ServiceRequest>),
        (status = 404, description = "no request of a public category has this id, or a format other than json or xml",
            body = Vec<Open311Error>),
        (status = 429, description = "over the address's allowance; Retry-After says when", body = Vec<Open311Error>)))]
pub async fn request(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match format_of(&req) {
        Ok(f) => f,
        Err(r) => return refusal(Format::Json, r),
    };
    let lang = lang_of(&req);
    let id = req.match_info().query("id").to_string();
    let result = async {
        take(&state.open311.reads, &req)?;
        let one = state.db(move |c| flow::request(c, lang, &id)).await?;
        Ok::<_, Refusal>(vec![one])
    }
    .await;
    finish(format, 200, result, requests_answer)
}

#[utoipa::path(post, path = "/open311/v2/requests.{format}", tag = "open311",
    params(("format" = String, Path, description = "json | xml")),
    request_body(content = inline(OpenApiForm), content_type = "application/x-www-form-urlencoded",
        description = "api_key, service_code, lat, long, description (at most 4,000 characters) and optional email, \
            first_name, last_name, phone (stored encrypted, never shown by Open311); the specification's other \
            optional fields are ignored"),
    responses((status = 201, description = "registered as an incident at community level with source open311; \
            account_id is always null", body = Vec<Submitted>),
        (status = 400, description = "a missing or invalid field, lat/long missing, or a point outside the grid",
            body = Vec<Open311Error>),
        (status = 403, description = "a missing, unknown or revoked api_key", body = Vec<Open311Error>),
        (status = 404, description = "no public service has this code, or a format other than json or xml",
            body = Vec<Open311Error>),
        (status = 413, description = "the form is over 64 KiB", body = Vec<Open311Error>),
        (status = 429, description = "over the address's allowance; Retry-After says when", body = Vec<Open311Error>)))]
pub async fn submit(req: HttpRequest, body: Body, state: web::Data<AppState>) -> HttpResponse {
    let format = match format_of(&req) {
        Ok(f) => f,
        Err(r) => return refusal(Format::Json, r),
    };
    let lang = lang_of(&req);
    let result = async {
        take(&state.open311.posts, &req)?;
        let form_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            });
        if !form_type {
            return Err(refused(
                400,
                "the body must be application/x-www-form-urlencoded",
            ));
        }
        let bytes = body.bytes().await?;
        let form: NewServiceRequest = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| refused(400, format!("the form could not be read: {e}")))?;
        let key = form.api_key.clone();
        let ip = client_ip(&req);
        let holder = state
            .db(move |c| api_keys::holder(c, key.as_deref(), ip))
            .await?;
        let checked = form.check().map_err(Error::validation)?;
        let st = state.clone();
        let done = state
            .db_write(move |c| flow::submit(&st, c, &holder, &checked, lang))
            .await?;
        Ok::<_, Refusal>(vec![done])
    }
    .await;
    finish(format, 201, result, submitted_answer)
}

/// The form of a post, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct OpenApiForm {
    api_key: String,
    service_code: String,
    lat: f64,
    long: f64,
    description: Option<String>,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_answers_have_the_specifications_shape_and_escape_text() {
        let errors = [Open311Error {
            code: 403,
            description: "a <key> & \"more\"".into(),
        }];
        let xml = quick_xml::se::to_string_with_root("errors", &Errors { error: &errors }).unwrap();
        assert_eq!(
            xml,
            "<errors><error><code>403</code><description>a &lt;key&gt; &amp; \"more\"</description></error></errors>"
        );
        let done = [Submitted {
            service_request_id: uuid::Uuid::nil(),
            service_notice: "ok".into(),
            account_id: None,
        }];
        let xml = quick_xml::se::to_string_with_root(
            "service_requests",
            &ServiceRequests { request: &done },
        )
        .unwrap();
        assert!(xml.starts_with("<service_requests><request><service_request_id>"));
        assert!(xml.contains("<account_id/>"), "{xml}");
    }
}
