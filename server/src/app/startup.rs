//! Building and running the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::{Server, Service, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpResponse, HttpServer, web};
use gridwork_shared::{ErrorCode, Problem};
use tracing_actix_web::TracingLogger;

use crate::app::config::Config;
use crate::app::state::AppState;
use crate::db;
use crate::http::error::problem_response;
use crate::http::routes;

pub struct Application {
    port: u16,
    server: Server,
    pub state: web::Data<AppState>,
}

/// Opens the pool and applies pending migrations.
pub fn open_database(config: &Config) -> anyhow::Result<db::Pool> {
    let pool = db::connect(&config.database_url, config.pool_size)?;
    let mut conn = pool.get()?;
    let n = db::migrate(&mut conn)?;
    if n > 0 {
        tracing::info!(applied = n, "migrations applied");
    }
    Ok(pool)
}

/// Turns actix's own empty 4xx answers (unknown path, wrong method, …) into problem+json.
fn problemize<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    // Open311 answers its errors in the specification's own format.
    let open311 = res.request().path().starts_with("/open311/");
    let code = match res.status().as_u16() {
        _ if already || open311 => None,
        400 => Some(ErrorCode::BadRequest),
        404 => Some(ErrorCode::NotFound),
        405 => Some(ErrorCode::MethodNotAllowed),
        413 => Some(ErrorCode::TooLarge),
        415 => Some(ErrorCode::UnsupportedMedia),
        _ => None,
    };
    let Some(code) = code else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    let (req, _) = res.into_parts();
    let body = problem_response(&Problem::new(code, code.title()), None);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, body).map_into_right_body(),
    ))
}

/// Where the built web client is.
struct StaticDir(std::path::PathBuf);

/// The client's wasm, scripts and styles: the build's brotli copy (`NAME.br`, quality 11)
/// when the browser takes brotli, else the file itself.
async fn precompressed(
    req: actix_web::HttpRequest,
    dir: web::Data<StaticDir>,
) -> actix_web::Result<HttpResponse> {
    use actix_web::ResponseError;
    use actix_web::http::header::ContentEncoding;
    let name = req.match_info().query("file");
    if name.contains("..") {
        return Ok(crate::http::error::ApiError::not_found().error_response());
    }
    let path = dir.0.join(name);
    let takes_br = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|e| e.split(';').next().map(str::trim) == Some("br"))
        });
    let br = std::path::PathBuf::from(format!("{}.br", path.display()));
    let mut res = if takes_br && br.is_file() {
        let mime = actix_files::file_extension_to_mime(
            path.extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default(),
        );
        actix_files::NamedFile::open_async(br)
            .await?
            .set_content_type(mime)
            .set_content_encoding(ContentEncoding::Brotli)
            .into_response(&req)
    } else {
        actix_files::NamedFile::open_async(path)
            .await?
            .into_response(&req)
    };
    res.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("accept-encoding"),
    );
    Ok(res)
}

async fn no_client() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            "<!doctype html><meta charset=utf-8><title>Gridwork</title>\
         <h1>Gridwork</h1><p>The API is running at <a href=/api/v1/openapi.json>/api/v1</a>. \
         The web client has not been built into this server's web directory.</p>",
        )
}

/// The Content-Security-Policy of the web client: its own scripts (and the one inline
/// module script of `index.html` that starts it, by hash), its own styles, images from
/// itself, `data:` and `blob:` (and the tile server when one is configured), no framing.
fn content_security_policy(web_dir: &std::path::Path, tile_origin: Option<&str>) -> String {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let html = std::fs::read_to_string(web_dir.join("index.html")).unwrap_or_default();
    let mut scripts = String::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<script type=\"module\">") {
        let body = &rest[start + "<script type=\"module\">".len()..];
        let Some(end) = body.find("</script>") else {
            break;
        };
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&body[..end]));
        scripts.push_str(&format!(" 'sha256-{hash}'"));
        rest = &body[end..];
    }
    let tiles = tile_origin.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self'; img-src 'self' data: blob:{tiles}; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Headers every answer carries: no content sniffing, no referrer, HSTS behind TLS when
/// configured; API answers are never stored by a cache unless their handler said how
/// (photos are `private`); the web client's pages carry the Content-Security-Policy.
fn security_headers<B>(res: &mut ServiceResponse<B>, csp: &str, hsts: bool) {
    use actix_web::http::header::HeaderValue;
    let is_api = res.request().path().starts_with("/api/");
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if is_api {
        if !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    } else if let Ok(v) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
}

impl Application {
    pub async fn build(mut config: Config) -> anyhow::Result<Application> {
        config.web_dir = crate::app::embedded::web_dir(
            &config.web_dir,
            &config.data_dir,
            config.embedded_client,
        )?;
        let config = Arc::new(config);
        let pool = {
            let config = config.clone();
            web::block(move || open_database(&config)).await??
        };
        let state = web::Data::new(AppState::new(config.clone(), pool));
        {
            let st = state.clone();
            state
                .db(move |c| {
                    st.grid.current(c)?;
                    crate::flow::calendar::refresh(&st, c)
                })
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let listener = TcpListener::bind(&config.bind)?;
        let port = listener.local_addr()?.port();
        let web_dir = config.web_dir.clone();
        let has_client = web_dir.join("index.html").is_file();
        let st = state.clone();
        let csp: Arc<str> = content_security_policy(&web_dir, config.tile_origin.as_deref()).into();
        let hsts = config.hsts;
        let mut server = HttpServer::new(move || {
            let csp = csp.clone();
            let app = App::new()
                .app_data(st.clone())
                .wrap(
                    ErrorHandlers::new()
                        .handler(actix_web::http::StatusCode::NOT_FOUND, problemize)
                        .handler(actix_web::http::StatusCode::METHOD_NOT_ALLOWED, problemize)
                        .handler(actix_web::http::StatusCode::PAYLOAD_TOO_LARGE, problemize)
                        .handler(actix_web::http::StatusCode::BAD_REQUEST, problemize)
                        .handler(
                            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                            problemize,
                        ),
                )
                .wrap_fn(|req, srv| {
                    let start = Instant::now();
                    let method = crate::app::metrics::method_label(req.method());
                    let state = req.app_data::<web::Data<AppState>>().cloned();
                    let fut = srv.call(req);
                    async move {
                        let res = fut.await?;
                        if let Some(state) = state {
                            let route =
                                crate::app::metrics::route_label(res.request().match_pattern());
                            let status = res.status().as_u16().to_string();
                            state
                                .metrics
                                .requests
                                .with_label_values(&[method, &route, &status])
                                .inc();
                            state
                                .metrics
                                .latency
                                .with_label_values(&[method, &route])
                                .observe(start.elapsed().as_secs_f64());
                        }
                        Ok(res)
                    }
                })
                .wrap_fn(move |req, srv| {
                    let fut = srv.call(req);
                    let csp = csp.clone();
                    async move {
                        let mut res = fut.await?;
                        security_headers(&mut res, &csp, hsts);
                        Ok(res)
                    }
                })
                .wrap(TracingLogger::<crate::app::telemetry::RequestSpan>::new())
                // API answers (the map's GeoJSON above all) travel compressed to phones
                // that ask; the client's files are compressed once at build time.
                .wrap(actix_web::middleware::Compress::default())
                .service(
                    web::scope("/api/v1")
                        .configure(routes::configure_api)
                        .default_service(web::to(routes::api_not_found)),
                )
                .configure(routes::configure_root);
            if has_client {
                let index = web_dir.join("index.html");
                let dir = web::Data::new(StaticDir(web_dir.clone()));
                app.app_data(dir)
                    .route(
                        "/{file:[A-Za-z0-9_-][A-Za-z0-9._-]*\\.(?:wasm|js|css)}",
                        web::get().to(precompressed),
                    )
                    .service(
                        actix_files::Files::new("/", &web_dir)
                            .index_file("index.html")
                            .default_handler(
                                actix_files::NamedFile::open(index).expect("index.html exists"),
                            ),
                    )
            } else {
                app.route("/", web::get().to(no_client))
            }
        })
        .listen(listener)?
        // Database work runs on the blocking pool and waits for one of `pool_size`
        // connections: more threads than connections only wait, and each costs memory (it
        // was 2 GB at 200 concurrent map requests with the default of 512). A few extra
        // serve the password hashing and photo work that needs no connection.
        .worker_max_blocking_threads(config.pool_size as usize + 4);
        if config.workers > 0 {
            server = server.workers(config.workers);
        }
        let server = server.run();
        crate::app::jobs::spawn_housekeeping(state.clone());
        crate::app::jobs::spawn_escalation_sweep(state.clone());
        Ok(Application {
            port,
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The OpenAPI document of every route this server registers.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    crate::http::openapi::spec()
}
