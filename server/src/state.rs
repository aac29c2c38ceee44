//! What every handler shares: config, the pool, token keys, the grid index, metrics.

use std::sync::Arc;

use actix_web::web;

use crate::auth::jwt::JwtKeys;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::{DbConn, Pool};
use crate::error::{ApiError, ApiResult};
use crate::grid::GridCache;
use crate::metrics::Metrics;

pub struct AppState {
    pub config: Arc<Config>,
    pub pool: Pool,
    pub jwt: JwtKeys,
    pub grid: GridCache,
    pub metrics: Metrics,
    pub clock: Clock,
    pub keyring: crate::crypto::Keyring,
}

impl AppState {
    pub fn new(config: Arc<Config>, pool: Pool) -> AppState {
        AppState {
            jwt: JwtKeys::new(config.jwt_secret_bytes()),
            grid: GridCache::default(),
            metrics: Metrics::new(),
            clock: Clock::default(),
            keyring: config.keyring(),
            pool,
            config,
        }
    }

    /// Runs blocking database work on actix's blocking pool, never on an async worker.
    pub async fn db<T, E, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        E: Into<ApiError> + Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || -> ApiResult<T> {
            let mut conn = pool.get()?;
            f(&mut conn).map_err(Into::into)
        })
        .await?
    }
}
