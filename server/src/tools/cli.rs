//! The `gridwork` command line.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use gridwork_shared::ErrorCode;
use gridwork_shared::api::{NewUser, Role};
use indicatif::{ProgressBar, ProgressStyle};

use crate::app::config::{Config, redact_url};
use crate::app::startup;
use crate::core::password;
use crate::flow::error::Error;
use crate::flow::{import, users};
use crate::tools::backup::Outcome;
use crate::tools::{backup as backups, demo};

#[derive(Debug, Parser)]
#[command(
    name = "gridwork",
    version,
    about = "Grid management for community governance"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the web client (the default).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage grid cells.
    Cells {
        #[command(subcommand)]
        command: CellsCommand,
    },
    /// Seed the demo district (idempotent) and print its logins.
    Demo,
    /// Print the OpenAPI document of the HTTP API.
    Openapi,
    /// Generate synthetic data for benchmarks into an empty database (district: ≈ 3,000
    /// cells, 1 M incidents; province: ≈ 100,000 cells, 10 M incidents) and write a manifest
    /// of logins and places for a load generator.
    Synth {
        #[arg(long, value_parser = ["district", "province"], default_value = "district")]
        scale: String,
        /// Override the number of incidents of the scale.
        #[arg(long)]
        incidents: Option<u64>,
        /// Cells, regions and users only.
        #[arg(long)]
        cells_only: bool,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write the manifest (JSON).
        #[arg(long, default_value = "synth-manifest.json")]
        manifest: PathBuf,
    },
    /// Special-population records.
    Persons {
        #[command(subcommand)]
        command: PersonsCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Back up the database into FILE, which must not exist. SQLite: a consistent copy taken
    /// while the server keeps serving, checked (integrity, rows per table, audit head).
    /// PostgreSQL: prints the `pg_dump` command to run. Photos and generated keys live in
    /// GRIDWORK_DATA_DIR: copy that directory too.
    Backup { file: PathBuf },
    /// Restore a backup FILE into the configured database, which must hold no data (SQLite:
    /// a new path, or a database with no users, regions, records or audit entries; stop
    /// any server on it first), then apply pending migrations. PostgreSQL: prints the
    /// `pg_restore` command to run.
    Restore { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain: print the number of entries and the head hash (keep
    /// it to compare later), or name the first entry that does not match and exit 1.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum PersonsCommand {
    /// Re-encrypt every sensitive field under the current GRIDWORK_ENCRYPTION_KEY (after a
    /// key rotation; the old key must be in GRIDWORK_ENCRYPTION_KEYS_OLD).
    Reencrypt,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from stdin (one line).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, value_parser = ["admin", "supervisor", "worker", "volunteer", "department"])]
        role: String,
        #[arg(long, default_value = "")]
        region: String,
        #[arg(long)]
        display_name: Option<String>,
        /// The department's code (`D01`…): required for role `department`.
        #[arg(long)]
        department: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CellsCommand {
    /// Import a GeoJSON FeatureCollection of cells (all or nothing).
    Import { file: PathBuf },
}

/// Prints an API error the way a person at a terminal wants it.
fn report(e: Error) -> anyhow::Error {
    match e {
        Error::Unexpected(e) => e,
        Error::Invalid(errors) => {
            let mut msg = format!("the input is invalid ({})", ErrorCode::ValidationFailed);
            for fe in errors.0 {
                msg.push_str(&format!("\n  {}: {}", fe.field, fe.message));
            }
            anyhow::anyhow!(msg)
        }
        other => anyhow::anyhow!("{} ({})", other.detail(), other.code()),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        println!(
            "{}",
            serde_json::to_string_pretty(&startup::openapi_document())?
        );
        return Ok(());
    }
    let config = Config::from_env()?;
    match command {
        Command::Openapi => unreachable!("handled above"),
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let pool = crate::db::connect(&config.database_url, 1)?;
            let n = crate::db::migrate(&mut *pool.get()?)?;
            println!("{n} migration(s) applied");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    username,
                    role,
                    region,
                    display_name,
                    department,
                },
        } => create_user(&config, username, &role, region, display_name, department),
        Command::Cells {
            command: CellsCommand::Import { file },
        } => import_cells(&config, &file),
        Command::Persons {
            command: PersonsCommand::Reencrypt,
        } => reencrypt(config),
        Command::Synth {
            scale,
            incidents,
            cells_only,
            seed,
            manifest,
        } => synth(&config, &scale, incidents, cells_only, seed, &manifest),
        Command::Demo => seed_demo(config),
        Command::Audit {
            command: AuditCommand::Verify,
        } => verify_audit(&config),
        Command::Backup { file } => backup(&config, &file),
        Command::Restore { file } => restore(&config, &file),
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    tracing::info!(database = %redact_url(&config.database_url), bind = %config.bind, "starting");
    let app = startup::Application::build(config.clone()).await?;
    let host = config
        .bind
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or("127.0.0.1");
    println!("Gridwork is serving on http://{host}:{}", app.port());
    app.run_until_stopped().await?;
    Ok(())
}

/// `user create`: the password is one line of stdin.
fn create_user(
    config: &Config,
    username: String,
    role: &str,
    region: String,
    display_name: Option<String>,
    department: Option<String>,
) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.strip_suffix('\n').unwrap_or(&password);
    let password = password.strip_suffix('\r').unwrap_or(password).to_string();
    let pool = startup::open_database(config)?;
    let department_id = match department {
        None => None,
        Some(code) => Some(
            crate::flow::departments::id_of_code(&mut *pool.get()?, &code)
                .map_err(report)?
                .ok_or_else(|| anyhow::anyhow!("no department has the code {code}"))?,
        ),
    };
    let new = NewUser {
        username,
        password,
        role: Role::parse(role).expect("clap checked the role"),
        region_code: region,
        display_name,
        department_id,
    };
    new.validate().map_err(|e| report(Error::validation(e)))?;
    let hash = password::hash(&new.password)?;
    let row = users::create_user(&mut *pool.get()?, &new, hash, None).map_err(report)?;
    println!("created {} {} ({})", row.role, row.username, row.id);
    Ok(())
}

/// `cells import FILE`, with a progress bar.
fn import_cells(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    let text = std::fs::read(file)?;
    let doc: serde_json::Value = crate::flow::decode::json(&text).map_err(report)?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>18} [{bar:40}] {pos}/{len}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let progress = |stage: &str, done: u64, total: u64| {
        bar.set_message(stage.to_string());
        bar.set_length(total);
        bar.set_position(done);
    };
    let parsed = import::parse_collection(&doc, &progress);
    let pool = startup::open_database(config)?;
    let result = import::apply(
        &mut *pool.get()?,
        parsed,
        import::Actor { id: None, ip: None },
        &progress,
    );
    bar.finish_and_clear();
    let result = result.map_err(report)?;
    println!("{} created, {} updated", result.created, result.updated);
    Ok(())
}

/// `persons reencrypt`: every sensitive field under the current key.
fn reencrypt(config: Config) -> anyhow::Result<()> {
    let pool = startup::open_database(&config)?;
    let state = crate::app::state::AppState::new(std::sync::Arc::new(config), pool.clone());
    let n = crate::flow::persons::reencrypt_all(&state, &mut *pool.get()?).map_err(report)?;
    println!(
        "{n} person record(s) re-encrypted under key {}",
        state.keyring.current_key_id()
    );
    Ok(())
}

/// `synth`: benchmark data into an empty database, and its manifest.
fn synth(
    config: &Config,
    scale: &str,
    incidents: Option<u64>,
    cells_only: bool,
    seed: u64,
    manifest: &std::path::Path,
) -> anyhow::Result<()> {
    let mut scale = crate::tools::synth::Scale::named(scale).expect("clap checked the scale");
    if let Some(n) = incidents {
        scale.incidents = n;
    }
    // One connection: the generator writes in one long stream of transactions.
    let pool = crate::db::connect(&config.database_url, 1)?;
    crate::db::migrate(&mut *pool.get()?)?;
    let opts = crate::tools::synth::Options {
        scale,
        seed,
        cells_only,
    };
    let started = std::time::Instant::now();
    let m = crate::tools::synth::generate(&mut *pool.get()?, &config.keyring(), &opts)?;
    std::fs::write(manifest, serde_json::to_vec_pretty(&m)?)?;
    println!(
        "generated in {:.0} s; manifest: {} (password: {})",
        started.elapsed().as_secs_f64(),
        manifest.display(),
        crate::tools::synth::PASSWORD
    );
    Ok(())
}

/// `demo`: seeds the demo district and prints its logins.
fn seed_demo(config: Config) -> anyhow::Result<()> {
    let pool = startup::open_database(&config)?;
    let state = crate::app::state::AppState::new(std::sync::Arc::new(config), pool.clone());
    let logins = demo::seed(&state, &mut *pool.get()?).map_err(report)?;
    println!(
        "Demo district 500117 (合川区) is ready. Logins (password: {}):",
        demo::PASSWORD
    );
    for (username, role, region) in logins {
        println!("  {username:<14} {role:<11} {region}");
    }
    Ok(())
}

/// `audit verify`: the chain holds (exit 0) or the first entry where it breaks (exit 1).
fn verify_audit(config: &Config) -> anyhow::Result<()> {
    let pool = startup::open_database(config)?;
    match crate::flow::audit::verify(&mut *pool.get()?).map_err(report)? {
        Ok(v) => {
            println!(
                "{} audit entries verified ({} from before the chain began); head hash {}",
                v.entries, v.before_chain, v.head
            );
            Ok(())
        }
        Err(broken) => anyhow::bail!("audit entry {}: {}", broken.seq, broken.why),
    }
}

/// `backup FILE`: the checked copy's summary (SQLite) or the `pg_dump` command (PostgreSQL,
/// alone on stdout so that a script can run it; notes on stderr).
fn backup(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    match backups::backup(&config.database_url, file)? {
        Outcome::Sqlite(summary) => {
            println!("backed up {summary}");
            eprintln!(
                "photos and generated keys are in {}: back it up too (without its \
                 encryption.key the persons' sensitive fields cannot be read)",
                config.data_dir.display()
            );
        }
        Outcome::Postgres(cmd) => print_command(&cmd),
    }
    Ok(())
}

/// `restore FILE`: the restored database's summary (SQLite) or the `pg_restore` command.
fn restore(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    match backups::restore(&config.database_url, file)? {
        Outcome::Sqlite(summary) => {
            println!(
                "restored {summary}\n{} migration(s) applied",
                summary.migrations_applied
            );
        }
        Outcome::Postgres(cmd) => print_command(&cmd),
    }
    Ok(())
}

fn print_command(cmd: &backups::PgCommand) {
    for note in &cmd.notes {
        eprintln!("{note}");
    }
    println!("{}", cmd.command);
}
