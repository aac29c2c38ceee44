//! The rules of each resource, one module per resource, called by the HTTP edge, the sync
//! endpoint and the tools alike, so every path applies the same checks. Never imports
//! `http`; answers with [`error::Error`], never an HTTP status.

pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod caller;
pub mod categories;
pub mod cells;
pub mod decode;
pub mod deliberations;
pub mod departments;
pub mod error;
pub mod export;
pub mod grid;
pub mod import;
pub mod incidents;
pub mod limits;
pub mod notifications;
pub mod open311;
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

/// A page of a list as the rules take it (the edge reads it from the query string).
pub use crate::db::page::{Cursor, PageRequest};

/// A record id as given by a caller: one that is not a UUID names nothing (404).
pub fn parse_id(raw: &str) -> error::Result<String> {
    uuid::Uuid::parse_str(raw)
        .map(|u| u.to_string())
        .map_err(|_| error::Error::not_found())
}

/// Runs CPU-heavy or file work (hashing, image decoding, reading photos) on a blocking
/// thread, never on an async worker.
pub async fn blocking<T, F>(f: F) -> error::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> error::Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| error::Error::Unexpected(anyhow::anyhow!("blocking task failed: {e}")))?
}

/// One page of a list: `rows` (fetched one past the page) cut to the page, each written
/// by `wire`, and the cursor of the next page.
pub fn page_of<R, W>(
    rows: Vec<R>,
    page: &PageRequest,
    key: impl Fn(&R) -> Cursor,
    wire: impl FnMut(&R) -> error::Result<W>,
) -> error::Result<(Vec<W>, Option<String>)> {
    let (rows, next) = crate::db::page::finish(rows, page.limit, key);
    Ok((rows.iter().map(wire).collect::<error::Result<_>>()?, next))
}

/// Items in a page of a list unless asked otherwise, and at most.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// A list's `limit`: an integer from 1 to 500, 50 when absent.
pub fn page_limit(raw: Option<&str>) -> error::Result<i64> {
    match raw {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| error::Error::invalid("limit", "must be an integer from 1 to 500")),
    }
}

/// Password hashing and verification at once, at most: argon2 takes tens of milliseconds
/// and 19 MiB each, so a flood of logins waits here instead of taking every blocking
/// thread the database calls share.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Runs password work on the bounded hashing pool.
pub async fn hashing<T, F>(f: F) -> error::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| error::Error::Unexpected(e.into()))?;
    blocking(move || Ok(f())).await
}
