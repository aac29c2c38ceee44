//! The edge of the list exports: the query (the list's filters and `format`), the audit
//! entry, and the file streamed as it is written — the first page read before anything is
//! sent, so a bad filter is still a problem+json 4xx; the file written in a blocking thread
//! that reads each further page with a connection of its own for that page only, and hands
//! the bytes over through a small channel: a slow download holds back the writing instead
//! of filling memory, never holds a database connection, and one that stalls for a minute
//! is given up.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::de::DeserializeOwned;

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::export::{self, Exported, Format, PageReader};
use crate::flow::{PageRequest, audit};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::query_pairs;
use crate::http::paging;

/// Records per page read for an export.
const PAGE: i64 = 500;

/// The list's query `T` and the `format` of an export's query string (`limit` and `cursor`
/// are the export's own business: refused).
pub fn query<T: DeserializeOwned>(req: &HttpRequest) -> ApiResult<(Format, T, String)> {
    let mut format = None;
    let mut rest = Vec::new();
    for (name, value) in query_pairs(req)? {
        match name.as_str() {
            "format" => format = Some(value),
            "limit" | "cursor" => {
                return Err(ApiError::invalid(
                    &name,
                    "an export takes every matching record: no limit or cursor",
                ));
            }
            _ => rest.push((name, value)),
        }
    }
    let format = Format::parse(format.as_deref())?;
    let filters = serde_urlencoded::to_string(&rest)
        .map_err(|e| ApiError::invalid("query", e.to_string()))?;
    let q = serde_urlencoded::from_str::<T>(&filters)
        .map_err(|e| ApiError::invalid("query", e.to_string()))?;
    Ok((format, q, filters))
}

/// A page of the export's list: the first (no cursor) or the one after `cursor`.
fn page_after(cursor: Option<&str>) -> ApiResult<PageRequest> {
    paging::page(&Some(PAGE.to_string()), &cursor.map(str::to_string))
}

/// Streams the list `read` answers, page by page, as the file `format` named
/// `gridwork-{what}-{date}`, after an `export` audit entry naming `entity_type` and the
/// filters.
pub async fn respond<T>(
    state: web::Data<AppState>,
    user: CurrentUser,
    format: Format,
    (what, entity_type, filters): (&'static str, &'static str, String),
    read: PageReader<T>,
) -> ApiResult<HttpResponse>
where
    T: Exported + Send + 'static,
{
    let first_page = page_after(None)?;
    let (st, r, u) = (state.clone(), read.clone(), user.clone());
    let first = state.db(move |c| r(&st, c, &u, &first_page)).await?;
    let detail = format!("format={}; {filters}", format.extension());
    let (u, at) = (user.clone(), state.clock.now_naive());
    state
        .db_write(move |c| audit::export(c, at, &u, entity_type, &detail))
        .await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(4);
    let st = state.clone();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let out = tx.clone();
        let written = export::write(
            format,
            first,
            |cursor| {
                let page = page_after(Some(cursor))
                    .map_err(|e| crate::flow::error::Error::invalid("cursor", e.to_string()))?;
                let (st2, read, user) = (st.clone(), read.clone(), user.clone());
                runtime.block_on(st.db(move |c| read(&st2, c, &user, &page)))
            },
            |bytes| {
                let sent = runtime.block_on(tokio::time::timeout(
                    std::time::Duration::from_secs(60),
                    out.send(Ok(bytes)),
                ));
                matches!(sent, Ok(Ok(())))
            },
        );
        if let Err(e) = written {
            tracing::error!(error = ?e, "an export failed while streaming");
            let _ = tx.blocking_send(Err(std::io::Error::other("the export failed")));
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let name = format!(
        "gridwork-{what}-{}.{}",
        state.clock.now().format("%Y%m%d-%H%M%S"),
        format.extension()
    );
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}
