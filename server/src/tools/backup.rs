//! `gridwork backup FILE` and `gridwork restore FILE`.
//!
//! SQLite: the backup is a consistent copy taken while the server keeps serving (`VACUUM
//! INTO`: one snapshot, writers go on), checked (`PRAGMA integrity_check`) before it gets
//! its name; the restore puts a checked copy in place of an empty database and migrates it.
//! PostgreSQL: `pg_dump` and `pg_restore` do it best, so both print the exact command for
//! the configured database (without its password) instead of copying anything themselves.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::db::{self, Engine, backup as store};

/// What a table-by-table summary of a database says.
#[derive(Debug, Clone)]
pub struct Summary {
    pub path: PathBuf,
    pub bytes: u64,
    /// Rows of each data table (`None`: the table does not exist).
    pub counts: Vec<(&'static str, Option<i64>)>,
    /// The audit log's last entry: sequence number and chain hash.
    pub audit_head: Option<(i64, Option<String>)>,
    /// Migrations a restore applied to bring an older backup up to date.
    pub migrations_applied: usize,
}

impl Summary {
    /// Rows of `table`, 0 when it does not exist.
    pub fn count(&self, table: &str) -> i64 {
        self.counts
            .iter()
            .find(|(t, _)| *t == table)
            .and_then(|(_, n)| *n)
            .unwrap_or(0)
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} ({} bytes), integrity ok",
            self.path.display(),
            self.bytes
        )?;
        for (table, n) in &self.counts {
            match n {
                Some(n) => writeln!(f, "  {table:<13} {n}")?,
                None => writeln!(f, "  {table:<13} (no table)")?,
            }
        }
        match &self.audit_head {
            Some((seq, Some(hash))) => write!(f, "  audit head    entry {seq}, hash {hash}"),
            Some((seq, None)) => write!(f, "  audit head    entry {seq} (from before the chain)"),
            None => write!(f, "  audit head    (empty log)"),
        }
    }
}

/// A command for the operator to run (PostgreSQL), and what to know about it.
#[derive(Debug, Clone)]
pub struct PgCommand {
    /// One shell command line.
    pub command: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Sqlite(Summary),
    Postgres(PgCommand),
}

fn engine(database_url: &str) -> anyhow::Result<Engine> {
    Engine::of_url(database_url).ok_or_else(|| {
        anyhow::anyhow!("GRIDWORK_DATABASE_URL must start with sqlite:// or postgres://")
    })
}

fn utf8(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .ok_or_else(|| anyhow::anyhow!("{} is not a UTF-8 path", path.display()))
}

/// `path` with `suffix` appended to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Makes what was written to `path` (and its directory entry) durable.
fn sync(path: &Path) -> anyhow::Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Directories cannot be fsynced everywhere; the file itself is what matters most.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Opens `path` as a SQLite database and summarises it, failing unless it is sound.
fn check_sqlite_file(path: &Path) -> anyhow::Result<Summary> {
    let mut c = store::open_sqlite_file(utf8(path)?)?;
    let problems = store::sqlite_integrity(&mut c)?;
    if problems != ["ok"] {
        anyhow::bail!(
            "{} failed the integrity check: {}",
            path.display(),
            problems.join("; ")
        );
    }
    if !store::is_migrated(&mut c)? {
        anyhow::bail!("{} is not a Gridwork database", path.display());
    }
    Ok(Summary {
        path: path.to_path_buf(),
        bytes: std::fs::metadata(path)?.len(),
        counts: store::counts(&mut c)?,
        audit_head: store::audit_head(&mut c)?,
        migrations_applied: 0,
    })
}

/// `gridwork backup FILE`. Never overwrites `file`.
pub fn backup(database_url: &str, file: &Path) -> anyhow::Result<Outcome> {
    if file.exists() {
        anyhow::bail!(
            "{} exists already: a backup never overwrites a file",
            file.display()
        );
    }
    match engine(database_url)? {
        Engine::Postgres => Ok(Outcome::Postgres(pg_dump_command(database_url, file)?)),
        Engine::Sqlite => {
            let source = db::sqlite_path(database_url);
            if !Path::new(source).is_file() {
                anyhow::bail!("there is no database at {source}");
            }
            // Written under a temporary name, named only once it is whole and checked.
            let partial = beside(file, ".partial");
            match std::fs::remove_file(&partial) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).context(format!("removing {}", partial.display())),
            }
            let pool = db::connect(database_url, 1)?;
            store::sqlite_vacuum_into(&mut *pool.get()?, utf8(&partial)?)
                .with_context(|| format!("copying {source} into {}", partial.display()))?;
            drop(pool);
            let checked = check_sqlite_file(&partial).and_then(|s| {
                sync(&partial)?;
                Ok(s)
            });
            let mut summary = match checked {
                Ok(s) => s,
                Err(e) => {
                    let _ = std::fs::remove_file(&partial);
                    return Err(e);
                }
            };
            // A hard link never replaces an existing file (a rename would).
            let named = match std::fs::hard_link(&partial, file) {
                Ok(()) => std::fs::remove_file(&partial).map_err(anyhow::Error::from),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(anyhow::anyhow!(
                    "{} appeared while the backup was written: not overwritten",
                    file.display()
                )),
                Err(_) => std::fs::rename(&partial, file).map_err(anyhow::Error::from),
            };
            if let Err(e) = named {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
            sync(file)?;
            summary.path = file.to_path_buf();
            Ok(Outcome::Sqlite(summary))
        }
    }
}

/// `gridwork restore FILE`: only into a database that holds no data.
pub fn restore(database_url: &str, file: &Path) -> anyhow::Result<Outcome> {
    if !file.is_file() {
        anyhow::bail!("{} does not exist or is not a file", file.display());
    }
    match engine(database_url)? {
        Engine::Postgres => {
            let pool = db::connect(database_url, 1).with_context(|| {
                "connecting to the database to restore into (create it first, e.g. with createdb)"
            })?;
            let mut c = pool.get()?;
            refuse_unless_empty(&mut c, &crate::app::config::redact_url(database_url))?;
            let migrated = store::is_migrated(&mut c)?;
            Ok(Outcome::Postgres(pg_restore_command(
                database_url,
                file,
                migrated,
            )?))
        }
        Engine::Sqlite => restore_sqlite(database_url, file).map(Outcome::Sqlite),
    }
}

/// Fails when any data table has rows.
fn refuse_unless_empty(c: &mut db::DbConn, what: &str) -> anyhow::Result<()> {
    let held: Vec<String> = store::counts(c)?
        .into_iter()
        .filter_map(|(t, n)| n.filter(|n| *n > 0).map(|n| format!("{n} {t}")))
        .collect();
    if !held.is_empty() {
        anyhow::bail!(
            "{what} is not empty ({}): a restore goes only into an empty database",
            held.join(", ")
        );
    }
    Ok(())
}

fn restore_sqlite(database_url: &str, file: &Path) -> anyhow::Result<Summary> {
    check_sqlite_file(file)?;
    let target = PathBuf::from(db::sqlite_path(database_url));
    if target.exists() {
        let pool = db::connect(database_url, 1)?;
        let mut c = pool.get()?;
        refuse_unless_empty(&mut c, &target.display().to_string())?;
        // The file alone must be the database before it is replaced.
        store::sqlite_checkpoint(&mut c)?;
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let copy = beside(&target, ".restoring");
    std::fs::copy(file, &copy)
        .with_context(|| format!("copying {} to {}", file.display(), copy.display()))?;
    sync(&copy)?;
    // A log left beside the old file must never be replayed into the new one.
    for suffix in ["-wal", "-shm", "-journal"] {
        match std::fs::remove_file(beside(&target, suffix)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).context(format!("removing {}{suffix}", target.display())),
        }
    }
    std::fs::rename(&copy, &target)?;
    sync(&target)?;
    let pool = db::connect(database_url, 1)?;
    let mut c = pool.get()?;
    let applied = db::migrate(&mut c)?;
    let problems = store::sqlite_integrity(&mut c)?;
    if problems != ["ok"] {
        anyhow::bail!(
            "the restored database failed the integrity check: {}",
            problems.join("; ")
        );
    }
    Ok(Summary {
        path: target.clone(),
        bytes: std::fs::metadata(&target)?.len(),
        counts: store::counts(&mut c)?,
        audit_head: store::audit_head(&mut c)?,
        migrations_applied: applied,
    })
}

/// A PostgreSQL URL as the client tools take it: without its password (kept out of the
/// command line and of shell history), plus the schema the server's tables are in when
/// the URL names one (`options=-csearch_path=…`) other than `public`.
struct PgTarget {
    url: String,
    schema: Option<String>,
    database: String,
    had_password: bool,
}

fn pg_target(database_url: &str) -> anyhow::Result<PgTarget> {
    let mut u = url::Url::parse(database_url).context("GRIDWORK_DATABASE_URL")?;
    let had_password = u.password().is_some();
    if had_password {
        let _ = u.set_password(None);
    }
    let database = u.path().trim_start_matches('/').to_string();
    let schema = u
        .query_pairs()
        .filter(|(k, _)| k == "options")
        .find_map(|(_, v)| search_path(&v))
        .filter(|s| s != "public");
    Ok(PgTarget {
        url: u.to_string(),
        schema,
        database,
        had_password,
    })
}

/// The first schema of `-c search_path=…` (or `-csearch_path=…`) in libpq's `options`.
fn search_path(options: &str) -> Option<String> {
    let i = options.find("search_path=")?;
    let rest = &options[i + "search_path=".len()..];
    let first = rest.split([',', ' ']).next()?.trim().trim_matches('"');
    (!first.is_empty()).then(|| first.to_string())
}

/// Quotes for a POSIX shell when needed.
fn sh(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:@%+=,".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn password_note(t: &PgTarget) -> Option<String> {
    t.had_password.then(|| {
        "the password of GRIDWORK_DATABASE_URL is left out of the command: give it in \
         PGPASSWORD or ~/.pgpass"
            .to_string()
    })
}

/// `pg_dump` in its custom format (what `pg_restore` reads), without owners so that the
/// copy restores under any role.
pub fn pg_dump_command(database_url: &str, file: &Path) -> anyhow::Result<PgCommand> {
    let t = pg_target(database_url)?;
    let mut parts = vec![
        "pg_dump".to_string(),
        "--format=custom".into(),
        "--no-owner".into(),
    ];
    if let Some(schema) = &t.schema {
        parts.push(sh(&format!("--schema={schema}")));
    }
    parts.push(sh(&format!("--file={}", file.display())));
    parts.push(sh(&format!("--dbname={}", t.url)));
    let mut notes = vec![format!(
        "pg_dump copies database {} in one consistent snapshot while the server keeps serving",
        t.database
    )];
    notes.extend(password_note(&t));
    Ok(PgCommand {
        command: parts.join(" "),
        notes,
    })
}

/// `pg_restore` into the configured database, in one transaction that stops at the first
/// error. When the (empty) database was migrated already, its empty tables are dropped
/// first (`--clean --if-exists`) so that the backup's take their place.
pub fn pg_restore_command(
    database_url: &str,
    file: &Path,
    migrated: bool,
) -> anyhow::Result<PgCommand> {
    let t = pg_target(database_url)?;
    let mut parts = vec![
        "pg_restore".to_string(),
        "--no-owner".into(),
        "--single-transaction".into(),
        "--exit-on-error".into(),
    ];
    if migrated {
        parts.push("--clean".into());
        parts.push("--if-exists".into());
    }
    parts.push(sh(&format!("--dbname={}", t.url)));
    parts.push(sh(&file.display().to_string()));
    let mut notes = vec![format!(
        "database {} holds no data; after the restore, `gridwork migrate` (or starting the \
         server) brings an older backup up to date",
        t.database
    )];
    notes.extend(password_note(&t));
    Ok(PgCommand {
        command: parts.join(" "),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_commands_leave_the_password_out_and_keep_the_schema() {
        let url = "postgres://grid:s3cret@db.example:5432/gridwork?options=-csearch_path%3Dtenant_a&sslmode=require";
        let dump = pg_dump_command(url, Path::new("/backups/grid it.dump")).unwrap();
        assert!(!dump.command.contains("s3cret"), "{}", dump.command);
        assert!(
            dump.command
                .starts_with("pg_dump --format=custom --no-owner --schema=tenant_a ")
        );
        assert!(dump.command.contains("'--file=/backups/grid it.dump'"));
        assert!(dump.command.contains("grid@db.example:5432/gridwork?"));
        assert!(dump.notes.iter().any(|n| n.contains("PGPASSWORD")));
        let restore = pg_restore_command(url, Path::new("a.dump"), false).unwrap();
        assert!(!restore.command.contains("s3cret"));
        assert!(!restore.command.contains("--clean"));
        assert!(restore.command.ends_with(" a.dump"));
        let plain = pg_dump_command("postgres://u@h/db", Path::new("x.dump")).unwrap();
        assert_eq!(
            plain.command,
            "pg_dump --format=custom --no-owner --file=x.dump --dbname=postgres://u@h/db"
        );
        assert_eq!(sh("it's"), r"'it'\''s'");
    }
}
