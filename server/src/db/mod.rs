//! The database layer: the only module that touches SQL.
//!
//! One code base, two engines: [`DbConn`] is a diesel `MultiConnection` over SQLite and
//! PostgreSQL, chosen by the URL scheme. Queries are written once against the portable
//! schema in [`schema`]; engine-specific SQL lives only in explicit `match` arms here.

pub mod api_keys;
pub mod audit;
pub mod backup;
pub mod batch;
pub mod bulk;
pub mod calendar;
pub mod cells;
pub mod deliberations;
pub mod departments;
pub mod incidents;
pub mod models;
pub mod notifications;
pub mod open311;
pub mod page;
pub mod persons;
pub mod regions;
pub mod schema;
pub mod selections;
pub mod stats;
pub mod sync;
pub mod tasks;
pub mod teams;
pub mod tokens;
pub mod units;
pub mod users;

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// What a database call fails with (diesel's error, named here so that no layer above
/// names diesel).
pub use diesel::result::Error;
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whether the database answers (`/readyz`).
pub fn ping(c: &mut DbConn) -> Result<()> {
    c.batch_execute("SELECT 1")
}

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite://") || url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }
}

/// The path of a `sqlite://PATH` URL (`sqlite:///abs/path` and `sqlite://rel/path` both work).
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// An r2d2 manager that picks the engine by scheme and reports the real connection error.
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
    engine: Engine,
}

impl Manager {
    pub fn new(url: &str) -> anyhow::Result<Self> {
        let engine = Engine::of_url(url).ok_or_else(|| {
            anyhow::anyhow!("GRIDWORK_DATABASE_URL must start with sqlite:// or postgres://")
        })?;
        Ok(Manager {
            url: url.to_string(),
            engine,
        })
    }
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        match self.engine {
            Engine::Sqlite => {
                let mut c = SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                // busy_timeout first, so the WAL switch itself waits for other writers.
                // synchronous=FULL: an acknowledged commit survives power loss. Reads go
                // through a memory map (no copy per page read) and a 16 MiB page cache per
                // connection.
                c.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; \
                     PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;",
                )
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(c))
            }
            Engine::Postgres => PgConnection::establish(&self.url)
                .map(DbConn::Pg)
                .map_err(diesel::r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Opens a pool on `url`. SQLite files get their directory created.
pub fn connect(url: &str, max_size: u32) -> anyhow::Result<Pool> {
    let manager = Manager::new(url)?;
    if manager.engine == Engine::Sqlite {
        let path = std::path::Path::new(sqlite_path(url));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
    }
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)?;
    Ok(pool)
}

/// Applies every pending migration of the engine's tree; returns how many ran.
pub fn migrate(conn: &mut DbConn) -> anyhow::Result<usize> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.len())
}

/// A write transaction. On SQLite it is `BEGIN IMMEDIATE`, so a transaction that reads
/// before it writes takes the write lock up front instead of failing with "database is
/// locked" when another writer got there first.
pub fn write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let nested = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_some();
    match conn {
        // Inside a transaction already: a savepoint.
        _ if nested => <DbConn as Connection>::TransactionManager::begin_transaction(conn)?,
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(v) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(v)
        }
        Err(e) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// Now, truncated to microseconds (what both engines store), as naive UTC.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

pub fn to_utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` prefix pattern.
pub fn like_prefix(prefix: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + 1);
    for ch in prefix.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(ch);
    }
    s.push('%');
    s
}

/// True when a diesel error is a unique-constraint violation (same kind on both engines).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
