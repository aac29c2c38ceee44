//! `cargo xtask …`: project chores that need more than one cargo command.
//!
//! - `cargo xtask openapi` regenerates `tests/openapi.json` from the server's spec.
//! - `cargo xtask test` runs every test (both engines), then fmt and clippy checks and the
//!   wasm32 build of the shared crate.
//! - `cargo xtask demo` seeds the demo district and serves it on SQLite.

use std::process::Command;

use anyhow::{Context, bail};

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    eprintln!("$ {cmd:?}");
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(())
}

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

fn openapi() -> anyhow::Result<()> {
    let out = cargo()
        .args([
            "run",
            "--quiet",
            "-p",
            "gridwork-server",
            "--bin",
            "gridwork",
            "--",
            "openapi",
        ])
        .current_dir(root())
        .output()?;
    if !out.status.success() {
        bail!(
            "gridwork openapi failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let path = root().join("tests/openapi.json");
    std::fs::write(&path, &out.stdout)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// True when a command runs and succeeds (quietly).
fn ok(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs what the tests need on a bare machine: Debian packages for the database
/// client libraries and PostgreSQL, the wasm32 target, clippy and rustfmt; starts
/// PostgreSQL when it is not answering.
fn setup() -> anyhow::Result<()> {
    let missing: Vec<&str> = ["libpq-dev", "libsqlite3-dev", "pkg-config", "postgresql"]
        .into_iter()
        .filter(|p| !ok(Command::new("dpkg").args(["-s", p])))
        .collect();
    if !missing.is_empty() && ok(Command::new("which").arg("apt-get")) {
        run(Command::new("apt-get").arg("update").arg("-q"))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    if ok(Command::new("rustup").arg("--version")) {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
        run(Command::new("rustup").args(["component", "add", "clippy", "rustfmt"]))?;
    }
    ensure_postgres()
}

fn pg_ready() -> bool {
    ok(Command::new("pg_isready").args(["-h", "127.0.0.1", "-p", "5432", "-q"]))
}

fn ensure_postgres() -> anyhow::Result<()> {
    if std::env::var("GRIDWORK_TEST_PG").is_ok() || pg_ready() {
        return Ok(());
    }
    // Start the local cluster (Debian layout), whichever version is installed.
    if let Ok(entries) = std::fs::read_dir("/etc/postgresql") {
        for e in entries.flatten() {
            let version = e.file_name().to_string_lossy().to_string();
            eprintln!("starting PostgreSQL {version}");
            let _ = Command::new("pg_ctlcluster")
                .args(["--skip-systemctl-redirect", &version, "main", "start"])
                .status();
        }
    }
    for _ in 0..30 {
        if pg_ready() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    bail!(
        "PostgreSQL is not answering on 127.0.0.1:5432; the tests need it \
         (or set GRIDWORK_TEST_PG=postgres://user@host:port)"
    )
}

fn test() -> anyhow::Result<()> {
    setup()?;
    let r = root();
    run(cargo()
        .args(["fmt", "--all", "--", "--check"])
        .current_dir(&r))?;
    run(cargo()
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&r))?;
    run(cargo()
        .args([
            "build",
            "-p",
            "gridwork-shared",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .current_dir(&r))?;
    // The shared crate must not pull diesel or actix into the web client.
    let tree = cargo()
        .args([
            "tree",
            "-p",
            "gridwork-shared",
            "--target",
            "wasm32-unknown-unknown",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(&r)
        .output()?;
    let tree = String::from_utf8_lossy(&tree.stdout);
    for banned in ["diesel", "actix", "tokio", "libsqlite3"] {
        if tree.lines().any(|l| l.starts_with(banned)) {
            bail!("gridwork-shared depends on {banned}");
        }
    }
    run(cargo()
        .args(["test", "--workspace", "--no-fail-fast"])
        .current_dir(&r))?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("openapi") => openapi(),
        Some("test") => test(),
        Some("demo") => {
            let r = root();
            run(cargo()
                .args([
                    "run",
                    "--release",
                    "-p",
                    "gridwork-server",
                    "--bin",
                    "gridwork",
                    "--",
                    "demo",
                ])
                .current_dir(&r))?;
            run(cargo()
                .args([
                    "run",
                    "--release",
                    "-p",
                    "gridwork-server",
                    "--bin",
                    "gridwork",
                    "--",
                    "serve",
                ])
                .current_dir(&r))
        }
        _ => {
            eprintln!("usage: cargo xtask <openapi | test | demo>");
            std::process::exit(2);
        }
    }
}
