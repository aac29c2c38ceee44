//! What every handler shares: config, the pool, token keys, the grid index, metrics.

use std::sync::Arc;

use crate::app::config::Config;
use crate::app::metrics::Metrics;
use crate::core::clock::Clock;
use crate::core::jwt::JwtKeys;
use crate::db::{DbConn, Pool};
use crate::flow::error::{Error, Result};
use crate::flow::grid::GridCache;

pub struct AppState {
    pub config: Arc<Config>,
    pub pool: Pool,
    pub jwt: JwtKeys,
    pub grid: GridCache,
    pub metrics: Metrics,
    /// Per-user write limits (`flow::limits`).
    pub writes: crate::flow::limits::WriteLimiter,
    /// Live notification streams open per user (`flow::limits::StreamSlots`).
    pub streams: crate::flow::limits::StreamSlots,
    /// Per-address limits of the Open311 endpoints (`flow::open311`).
    pub open311: crate::flow::open311::Limits,
    pub clock: Clock,
    pub keyring: crate::core::crypto::Keyring,
    /// Signs sync cursors, so a forged or edited one is refused.
    pub cursors: crate::core::signed::Signer,
    /// Group commit of writes on SQLite (see `db::batch`); none on PostgreSQL.
    batcher: Option<crate::db::batch::Batcher>,
    /// The working calendar with the holidays and make-up working days an admin set
    /// (`flow::calendar`): read at start, after a change, and by every escalation sweep, so
    /// every server process on one database follows a change within a sweep.
    calendar: std::sync::RwLock<Arc<gridwork_shared::calendar::WorkCalendar>>,
    /// Rung after a write that may have made notifications, so the live streams of this
    /// process look at once (streams also look on their own every few seconds, for
    /// notifications another process made).
    bell: tokio::sync::watch::Sender<u64>,
}

impl AppState {
    pub fn new(config: Arc<Config>, pool: Pool) -> AppState {
        AppState {
            jwt: JwtKeys::new(config.jwt_secret_bytes()),
            grid: GridCache::default(),
            metrics: Metrics::new(),
            writes: crate::flow::limits::WriteLimiter::new(config.write_limit),
            streams: crate::flow::limits::StreamSlots::default(),
            open311: crate::flow::open311::Limits::default(),
            clock: Clock::default(),
            keyring: config.keyring(),
            cursors: crate::core::signed::Signer::derive(
                config.jwt_secret_bytes(),
                "gridwork sync cursor",
            ),
            batcher: (crate::db::Engine::of_url(&config.database_url)
                == Some(crate::db::Engine::Sqlite))
            .then(|| crate::db::batch::Batcher::start(pool.clone())),
            calendar: std::sync::RwLock::new(Arc::new(config.calendar.clone())),
            bell: tokio::sync::watch::Sender::new(0),
            pool,
            config,
        }
    }

    /// The working calendar deadlines are counted on.
    pub fn calendar(&self) -> Arc<gridwork_shared::calendar::WorkCalendar> {
        self.calendar
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the working calendar (`flow::calendar` read it from the database).
    pub fn set_calendar(&self, calendar: gridwork_shared::calendar::WorkCalendar) {
        *self
            .calendar
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(calendar);
    }

    /// Tells this process's live notification streams to look for new notifications.
    pub fn ring(&self) {
        self.bell.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// What a live notification stream waits on (see [`AppState::ring`]).
    pub fn bell(&self) -> tokio::sync::watch::Receiver<u64> {
        self.bell.subscribe()
    }

    /// Runs blocking database work on actix's blocking pool, never on an async worker.
    pub async fn db<T, E, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        E: Into<Error> + Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || -> Result<T> {
            let mut conn = pool.get()?;
            f(&mut conn).map_err(Into::into)
        })
        .await
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// Runs a write: on SQLite in the next group commit (answered once it is on disk), on
    /// PostgreSQL like [`AppState::db`]. `f` must do its writing in `db::write_tx`, so a
    /// failure rolls back only its own part of a shared transaction.
    pub async fn db_write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T> + Send + 'static,
    {
        match &self.batcher {
            Some(b) => b.write(f).await,
            None => self.db(f).await,
        }
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> Result<()> {
        self.db(crate::db::ping).await
    }
}
