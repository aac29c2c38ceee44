//! `cargo xtask deb [--debug]`: the Debian package of Gridwork — the `gridwork` binary with
//! the web client inside it, a systemd unit, a configuration file under `/etc/gridwork`, and
//! maintainer scripts that make the service's own user and data directory
//! (`server/debian/`). Built with `dpkg-deb`; the dependencies are the packages holding the
//! shared libraries the binary links (`dpkg -S`). `--debug` packages the debug build, which
//! is quicker to make (what the package test installs); the default is the release build.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::{cargo, output, root, run, target_dir};

/// The package's files: (source under `server/debian/`, path in the package, mode).
const FILES: &[(&str, &str, u32)] = &[
    (
        "gridwork.service",
        "lib/systemd/system/gridwork.service",
        0o644,
    ),
    ("gridwork.env", "etc/gridwork/gridwork.env", 0o640),
];

const SCRIPTS: &[&str] = &["postinst", "prerm", "postrm"];

pub fn deb(args: &[String]) -> anyhow::Result<()> {
    let debug = match args {
        [] => false,
        [a] if a == "--debug" => true,
        _ => bail!("usage: cargo xtask deb [--debug]"),
    };
    crate::web()?;
    let path = build(debug)?;
    println!("{}", path.display());
    Ok(())
}

/// Builds the server (with the web client built last, which it carries), then the package;
/// answers its path.
pub fn build(debug: bool) -> anyhow::Result<PathBuf> {
    let r = root();
    crate::install_packages(&["binutils"])?;
    let mut b = cargo();
    b.args(["build", "-p", "gridwork-server", "--bin", "gridwork"]);
    if !debug {
        b.arg("--release");
    }
    run(b.current_dir(&r))?;
    let binary = target_dir()
        .join(if debug { "debug" } else { "release" })
        .join("gridwork");
    package(&r, &binary, debug)
}

fn version(root: &Path) -> anyhow::Result<String> {
    let manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    manifest
        .lines()
        .find_map(|l| {
            l.strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
        })
        .map(str::to_string)
        .context("the workspace's version in Cargo.toml")
}

/// The packages that hold the shared libraries `binary` needs, for `Depends`.
fn depends(binary: &Path) -> anyhow::Result<String> {
    let dynamic = output(Command::new("objdump").arg("-p").arg(binary))?;
    let mut packages: Vec<String> = Vec::new();
    for lib in dynamic
        .lines()
        .filter_map(|l| l.trim().strip_prefix("NEEDED"))
        .map(str::trim)
    {
        let found = output(Command::new("dpkg").args(["-S", &format!("*/{lib}")]))
            .with_context(|| format!("which package holds {lib}"))?;
        let package = found
            .lines()
            .filter_map(|l| l.split_once(':').map(|(p, _)| p.trim()))
            .find(|p| !p.contains(','))
            .with_context(|| format!("no package holds {lib}"))?
            .to_string();
        if !packages.contains(&package) {
            packages.push(package);
        }
    }
    packages.sort();
    Ok(packages.join(", "))
}

fn write(path: &Path, text: &str, mode: u32) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)?;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    Ok(())
}

fn package(root: &Path, binary: &Path, debug: bool) -> anyhow::Result<PathBuf> {
    let version = version(root)?;
    let arch = output(Command::new("dpkg").arg("--print-architecture"))?
        .trim()
        .to_string();
    let out = target_dir().join("deb");
    let stage = out.join(format!("gridwork_{version}_{arch}"));
    if stage.exists() {
        fs::remove_dir_all(&stage)?;
    }
    let bin = stage.join("usr/bin/gridwork");
    fs::create_dir_all(bin.parent().expect("a directory"))?;
    fs::copy(binary, &bin).with_context(|| format!("copying {}", binary.display()))?;
    // As Debian ships binaries: without their debugging symbols.
    run(Command::new("strip").arg("--strip-debug").arg(&bin))?;
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755))?;
    let sources = root.join("server/debian");
    for (src, dest, mode) in FILES {
        write(
            &stage.join(dest),
            &fs::read_to_string(sources.join(src))?,
            *mode,
        )?;
    }
    for script in SCRIPTS {
        write(
            &stage.join("DEBIAN").join(script),
            &fs::read_to_string(sources.join(script))?,
            0o755,
        )?;
    }
    write(
        &stage.join("DEBIAN/conffiles"),
        "/etc/gridwork/gridwork.env\n",
        0o644,
    )?;
    let installed_kb = fs::metadata(&bin)?.len() / 1024 + 8;
    let control = format!(
        "Package: gridwork\n\
         Version: {version}\n\
         Architecture: {arch}\n\
         Maintainer: Gridwork maintainers <gridwork@localhost>\n\
         Depends: {depends}, passwd\n\
         Section: net\n\
         Priority: optional\n\
         Installed-Size: {installed_kb}\n\
         Description: grid management for community governance\n \
         Gridwork cuts a district into grid cells: grid workers report incidents, visit\n \
         special-population persons and inspect safety units from their phones, also with\n \
         no signal; supervisors review on a map, dispatch, verify and escalate. One binary\n \
         serves the API and the web client, on SQLite (no setup) or PostgreSQL.\n",
        depends = depends(binary)?,
    );
    write(&stage.join("DEBIAN/control"), &control, 0o644)?;
    let deb = out.join(format!("gridwork_{version}_{arch}.deb"));
    // The debug build is large: compressed quickly. A release is compressed hard.
    let compression: &[&str] = if debug { &["-Zgzip", "-z1"] } else { &["-Zxz"] };
    run(Command::new("dpkg-deb")
        .arg("--root-owner-group")
        .args(compression)
        .arg("--build")
        .arg(&stage)
        .arg(&deb))?;
    Ok(deb)
}
