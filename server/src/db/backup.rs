//! The SQL of backups and restores: SQLite's online copy (`VACUUM INTO`), the integrity
//! check, and what a database holds (to report a copy and to refuse restoring over data).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;

use super::DbConn;
use super::schema::audit_log::dsl as a;

/// The tables whose rows are the district's data: a database with none of them holds no
/// data (migrations seed only reference tables: categories, visit intervals, counters).
pub const DATA_TABLES: &[&str] = &[
    "users",
    "regions",
    "cells",
    "incidents",
    "persons",
    "safety_units",
    "audit_log",
];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// Writes a consistent copy of the whole SQLite database to `path` (which must not exist)
/// while other connections go on reading and writing: `VACUUM INTO` reads one snapshot
/// (one read transaction under WAL) and writes it compacted into a new file.
pub fn sqlite_vacuum_into(c: &mut DbConn, path: &str) -> QueryResult<()> {
    match c {
        DbConn::Sqlite(c) => diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(path)
            .execute(c)
            .map(|_| ()),
        DbConn::Pg(_) => Err(diesel::result::Error::QueryBuilderError(
            "VACUUM INTO is SQLite's; PostgreSQL is copied with pg_dump".into(),
        )),
    }
}

/// Opens a SQLite file as it is: no journal-mode switch, so a backup file gets no `-wal`
/// beside it. The file must exist (SQLite would create an empty one).
pub fn open_sqlite_file(path: &str) -> anyhow::Result<DbConn> {
    if !std::path::Path::new(path).is_file() {
        anyhow::bail!("{path} does not exist or is not a file");
    }
    let c =
        SqliteConnection::establish(path).map_err(|e| anyhow::anyhow!("opening {path}: {e}"))?;
    Ok(DbConn::Sqlite(c))
}

/// SQLite's `PRAGMA integrity_check`: `["ok"]` when the file is sound, else the problems.
pub fn sqlite_integrity(c: &mut DbConn) -> QueryResult<Vec<String>> {
    match c {
        DbConn::Sqlite(c) => Ok(diesel::sql_query("PRAGMA integrity_check")
            .load::<Check>(c)?
            .into_iter()
            .map(|r| r.integrity_check)
            .collect()),
        DbConn::Pg(_) => Ok(vec!["ok".into()]),
    }
}

/// Folds the write-ahead log into the SQLite file and empties it, so that the file alone
/// is the database (before it is replaced by a restore).
pub fn sqlite_checkpoint(c: &mut DbConn) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    match c {
        DbConn::Sqlite(c) => c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)"),
        DbConn::Pg(_) => Ok(()),
    }
}

/// Whether `table` exists (in the schema the connection's search path starts with).
pub fn table_exists(c: &mut DbConn, table: &str) -> QueryResult<bool> {
    let found = match c {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
        )
        .bind::<Text, _>(table)
        .get_result::<Count>(c)?,
        DbConn::Pg(c) => diesel::sql_query(
            "SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE 1 END::bigint AS n",
        )
        .bind::<Text, _>(table)
        .get_result::<Count>(c)?,
    };
    Ok(found.n > 0)
}

/// Rows of each of [`DATA_TABLES`]; `None` when the table does not exist (a database that
/// was never migrated).
pub fn counts(c: &mut DbConn) -> QueryResult<Vec<(&'static str, Option<i64>)>> {
    let mut out = Vec::with_capacity(DATA_TABLES.len());
    for table in DATA_TABLES {
        let n = if table_exists(c, table)? {
            // The name comes from the fixed list above, never from input.
            let q = format!("SELECT count(*) AS n FROM {table}");
            Some(diesel::sql_query(q).get_result::<Count>(c)?.n)
        } else {
            None
        };
        out.push((*table, n));
    }
    Ok(out)
}

/// The audit log's last entry: its sequence number and chain hash.
pub fn audit_head(c: &mut DbConn) -> QueryResult<Option<(i64, Option<String>)>> {
    if !table_exists(c, "audit_log")? {
        return Ok(None);
    }
    a::audit_log
        .select((a::seq, a::hash))
        .order(a::seq.desc())
        .first(c)
        .optional()
}

/// Whether the database has the migrations table (it is a Gridwork database, or was one).
pub fn is_migrated(c: &mut DbConn) -> QueryResult<bool> {
    table_exists(c, "__diesel_schema_migrations")
}
