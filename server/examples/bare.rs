//! The reference point for "how much do our layers cost": a bare actix-web handler that runs
//! the same query as a town supervisor's `GET /api/v1/incidents?region=…` (same store
//! function, same paging, same wire conversion) with no token check, no scope derivation,
//! no problem+json, no middleware. `cargo xtask bench` starts it on the benchmark database
//! and drives it with `gridwork-load --scenario bare`.
//!
//! `GRIDWORK_DATABASE_URL=… GRIDWORK_BIND=127.0.0.1:0 cargo run --release --example bare`

use actix_web::{App, HttpResponse, HttpServer, web};
use gridwork_server::db::incidents::{self as store, Filter, IncidentScope};
use gridwork_server::db::page::{self, Cursor, PageRequest};
use gridwork_server::db::{self, Pool};
use gridwork_shared::api::Page;

#[derive(serde::Deserialize)]
struct Query {
    region: String,
}

async fn incidents(pool: web::Data<Pool>, q: web::Query<Query>) -> HttpResponse {
    let region = q.into_inner().region;
    let pool = pool.into_inner();
    let result = web::block(move || -> anyhow::Result<_> {
        let mut c = pool.get()?;
        let page = PageRequest {
            limit: gridwork_server::http::paging::DEFAULT_LIMIT,
            after: None,
        };
        let limit = page.limit;
        let filter = Filter {
            region: Some(region.clone()),
            ..Filter::default()
        };
        let rows = store::list(&mut c, &IncidentScope::Region(region), &filter, &page)?;
        let (rows, next_cursor) = page::finish(rows, limit, |r| Cursor {
            created_at: r.created_at,
            id: r.id.clone(),
        });
        let items = gridwork_server::flow::incidents::rows_to_wire(&mut c, &rows, db::now())
            .map_err(|_| anyhow::anyhow!("wire"))?;
        Ok(Page { items, next_cursor })
    })
    .await;
    match result {
        Ok(Ok(page)) => HttpResponse::Ok().json(page),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("GRIDWORK_DATABASE_URL")?;
    let bind = std::env::var("GRIDWORK_BIND").unwrap_or_else(|_| "127.0.0.1:0".into());
    let pool = db::connect(&url, 8)?;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .route("/bare/incidents", web::get().to(incidents))
    })
    .workers(1)
    .bind(&bind)?;
    let port = server.addrs()[0].port();
    println!("bare handler serving on http://127.0.0.1:{port}");
    server.run().await?;
    Ok(())
}
