//! `cargo xtask …`: project chores that need more than one cargo command.
//!
//! - `cargo xtask openapi` regenerates `tests/openapi.json` from the server's spec.
//! - `cargo xtask layers` checks the server's layer rule from its source (`layers.rs`).
//! - `cargo xtask test` runs every test (both engines), then fmt and clippy checks and the
//!   wasm32 build of the shared crate, then `spec-test`.
//! - `cargo xtask spec-test` runs the OpenAPI-driven property tester against the real
//!   server on both engines as every role (`spec_test.rs`).
//! - `cargo xtask bench` runs every server benchmark (see `bench.rs`) and prints the tables;
//!   `cargo xtask bench-web` measures the web client's size and time to interactive.
//! - `cargo xtask demo` seeds the demo district and serves it on SQLite.
//! - `cargo xtask deb [--debug]` builds the Debian package (`deb.rs`).

mod bench;
mod deb;
mod layers;
mod server;
mod spec_test;

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

/// The workspace this xtask runs for. `cargo run` names the manifest directory at run time
/// too; that wins over the one compiled in, so an xtask binary built from another checkout
/// sharing the target directory still works on this one.
fn root() -> std::path::PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    dir.parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

fn openapi() -> anyhow::Result<()> {
    let spec = output(
        cargo()
            .args([
                "run",
                "--quiet",
                "-p",
                "gridwork-server",
                "--bin",
                "gridwork",
            ])
            .args(["--", "openapi"])
            .current_dir(root()),
    )?;
    let path = root().join("tests/openapi.json");
    std::fs::write(&path, spec)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Output of a command that must succeed.
fn output(cmd: &mut Command) -> anyhow::Result<String> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// True when a command runs and succeeds (quietly).
fn ok(cmd: &mut Command) -> bool {
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What building the server and the client needs from Debian: the database client
/// libraries. (`install_packages` adds Node.js and npm where there is no npm: the client's
/// build tools come from the npm registry.)
const BUILD_PACKAGES: &[&str] = &["libpq-dev", "libsqlite3-dev", "pkg-config"];

/// Installs the Debian packages of `wanted` that are missing (and Node.js with npm when
/// there is no npm), where apt-get is at hand.
fn install_packages(wanted: &[&str]) -> anyhow::Result<()> {
    let mut missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| !ok(Command::new("dpkg").args(["-s", p])))
        .collect();
    if !ok(Command::new("npm").arg("--version")) {
        missing.extend(["nodejs", "npm"]);
    }
    if !missing.is_empty() && ok(Command::new("which").arg("apt-get")) {
        run(Command::new("apt-get").arg("update").arg("-q"))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    Ok(())
}

/// Installs what the tests need on a bare machine: the build's Debian packages plus
/// PostgreSQL, Chromium, its driver and a CJK font; the wasm32 target, clippy, rustfmt and
/// the standard library's source; starts PostgreSQL when it is not answering.
fn setup() -> anyhow::Result<()> {
    let mut wanted = BUILD_PACKAGES.to_vec();
    wanted.extend([
        "postgresql",
        "chromium",
        "chromium-driver",
        "fonts-noto-cjk",
    ]);
    install_packages(&wanted)?;
    if ok(Command::new("rustup").arg("--version")) {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
        run(Command::new("rustup").args(["component", "add", "clippy", "rustfmt", "rust-src"]))?;
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
    layers::check(&r)?;
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
            "clippy",
            "-p",
            "gridwork-web",
            "--target",
            "wasm32-unknown-unknown",
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
    check_wasm_dependencies(&r)?;
    // The browser tests drive the built client.
    web()?;
    // The crash test runs the server binary as a process of its own.
    run(cargo()
        .args(["build", "-p", "gridwork-server", "--bin", "gridwork"])
        .current_dir(&r))?;
    // The package test installs the Debian package on this machine (of the debug build:
    // the packaging is the same, the build much quicker).
    let deb = deb::build(true)?;
    run_tests(
        cargo()
            .args(["test", "--workspace", "--no-fail-fast"])
            .env("GRIDWORK_BIN", target_dir().join("debug/gridwork"))
            .env("GRIDWORK_DEB", &deb)
            .current_dir(&r),
    )?;
    spec_test::spec_test()
}

/// Crates the wasm32 build of the shared crate must never depend on.
const BANNED_IN_WASM: &[&str] = &["diesel", "actix", "tokio", "libsqlite3", "pq-sys", "mio"];

/// Fails when the shared crate, as built for wasm32, depends on I/O or server crates — and
/// when `cargo tree` cannot say (a check that cannot run must not pass).
fn check_wasm_dependencies(root: &std::path::Path) -> anyhow::Result<()> {
    let tree = output(
        cargo()
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
            .current_dir(root),
    )?;
    let crates: Vec<&str> = tree.lines().filter(|l| !l.trim().is_empty()).collect();
    if !crates.iter().any(|l| l.starts_with("gridwork-shared ")) {
        bail!("cargo tree did not list gridwork-shared; cannot check its dependencies:\n{tree}");
    }
    if let Some(bad) = banned_in(&crates) {
        bail!("gridwork-shared depends on {bad} when built for wasm32");
    }
    eprintln!(
        "wasm32: gridwork-shared pulls {} crates, none of {BANNED_IN_WASM:?}",
        crates.len()
    );
    Ok(())
}

/// The first line of a `cargo tree --prefix none` listing that names a banned crate.
fn banned_in<'a>(crates: &[&'a str]) -> Option<&'a str> {
    crates.iter().copied().find(|l| {
        let name = l.split(' ').next().unwrap_or("");
        BANNED_IN_WASM.iter().any(|b| {
            name == *b || name.starts_with(&format!("{b}-")) || name.starts_with(&format!("{b}_"))
        })
    })
}

/// Runs `cargo test`, passing its output through, and closes with one line that adds up
/// every test binary's result.
fn run_tests(cmd: &mut Command) -> anyhow::Result<()> {
    use std::io::{BufRead, BufReader};
    eprintln!("$ {cmd:?}");
    let mut child = cmd.stdout(std::process::Stdio::piped()).spawn()?;
    let (mut passed, mut failed) = (0u64, 0u64);
    let out = child.stdout.take().expect("piped");
    for line in BufReader::new(out).lines() {
        let line = line?;
        println!("{line}");
        if let Some(rest) = line.strip_prefix("test result: ") {
            let count = |word: &str| -> u64 {
                rest.split(';')
                    .find_map(|part| part.trim().strip_suffix(word).map(str::trim))
                    .and_then(|n| n.rsplit(' ').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0)
            };
            passed += count("passed");
            failed += count("failed");
        }
    }
    let status = child.wait()?;
    println!("tests: {passed} passed, {failed} failed");
    if !status.success() || failed > 0 || passed == 0 {
        bail!("tests failed: {status}");
    }
    Ok(())
}

fn short_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(bytes)[..6])
}

/// Builds the web client into `web-client/dist`: wasm32 release build, split into the main
/// module and the chunks of the screens loaded on demand, wasm-bindgen (as a library, no
/// download), wasm-opt, content-hashed file names, the web manifest and a service worker
/// whose precache list and cache name come from this build's files.
fn web() -> anyhow::Result<()> {
    let r = root();
    if ok(Command::new("rustup").arg("--version")) {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
        run(Command::new("rustup").args(["component", "add", "rust-src"]))?;
    }
    // The standard library is rebuilt with the client, with panics that abort on the spot:
    // no panic messages, locations or the formatting behind them (≈ 17 KB brotli of the
    // main module). `-Zbuild-std` and `-Cpanic=immediate-abort` are unstable options of
    // the pinned stable toolchain, enabled for this one build by RUSTC_BOOTSTRAP; the
    // relocations are kept for the splitter (as in .cargo/config.toml, which this
    // variable overrides).
    run(cargo()
        .args([
            "build",
            "-Zbuild-std=std,panic_abort",
            "-p",
            "gridwork-web",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ])
        .env("RUSTC_BOOTSTRAP", "1")
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "-C link-arg=--emit-relocs -Zunstable-options -Cpanic=immediate-abort",
        )
        .current_dir(&r))?;
    let tools = web_tools(&target_dir())?;
    let ClientModules {
        js_name,
        js,
        link_name,
        link,
        wasm: wasm_bytes,
        chunks,
    } = client_modules(&tools)?;

    let static_dir = r.join("web-client/static");
    let css_bytes = std::fs::read(static_dir.join("styles.css"))?;
    let screens_css_bytes = std::fs::read(static_dir.join("screens.css"))?;
    let (wasm_name, css, screens_css) = (
        format!("gridwork-web-{}_bg.wasm", short_hash(&wasm_bytes)),
        format!("styles-{}.css", short_hash(&css_bytes)),
        format!("screens-{}.css", short_hash(&screens_css_bytes)),
    );
    let dist = r.join("web-client/dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist)?;
    std::fs::write(dist.join(&js_name), &js)?;
    std::fs::write(dist.join(&link_name), &link)?;
    std::fs::write(dist.join(&wasm_name), &wasm_bytes)?;
    for (name, bytes) in &chunks {
        std::fs::write(dist.join(name), bytes)?;
    }
    std::fs::write(dist.join(&css), &css_bytes)?;
    std::fs::write(dist.join(&screens_css), &screens_css_bytes)?;
    for f in ["icon.svg", "manifest.webmanifest"] {
        std::fs::copy(static_dir.join(f), dist.join(f))?;
    }
    let leaflet = tools.join("node_modules/leaflet/dist");
    let mut map_assets = Vec::new();
    for (src, stem, ext) in [
        (leaflet.join("leaflet.css"), "leaflet", "css"),
        (leaflet.join("leaflet.js"), "leaflet", "js"),
        (static_dir.join("gridmap.js"), "gridmap", "js"),
    ] {
        let bytes = std::fs::read(&src).with_context(|| format!("reading {}", src.display()))?;
        let name = format!("{stem}-{}.{ext}", short_hash(&bytes));
        std::fs::write(dist.join(&name), &bytes)?;
        map_assets.push(format!("/{name}"));
    }
    // The API documentation (`/api/docs`): Swagger UI from the npm registry and its start,
    // online only (not precached: the service worker leaves `/api/` alone).
    let swagger = tools.join("node_modules/swagger-ui-dist");
    let mut docs_page = std::fs::read_to_string(static_dir.join("api-docs.html"))?;
    for (src, stem, ext, key) in [
        (
            swagger.join("swagger-ui.css"),
            "swagger-ui",
            "css",
            "{{DOCS_CSS}}",
        ),
        (
            swagger.join("swagger-ui-bundle.js"),
            "swagger-ui-bundle",
            "js",
            "{{DOCS_BUNDLE}}",
        ),
        (
            static_dir.join("api-docs.js"),
            "api-docs",
            "js",
            "{{DOCS_INIT}}",
        ),
    ] {
        let bytes = std::fs::read(&src).with_context(|| format!("reading {}", src.display()))?;
        let name = format!("{stem}-{}.{ext}", short_hash(&bytes));
        std::fs::write(dist.join(&name), &bytes)?;
        docs_page = docs_page.replace(key, &name);
    }
    std::fs::write(dist.join("api-docs.html"), docs_page)?;
    let index = std::fs::read_to_string(static_dir.join("index.html"))?
        .replace("{{JS}}", &js_name)
        .replace("{{SPLIT}}", &link_name)
        .replace("{{WASM}}", &wasm_name)
        .replace("{{CSS}}", &css)
        .replace("{{SCREENS_CSS}}", &screens_css)
        .replace("{{MAP}}", &map_assets.join(" "));
    std::fs::write(dist.join("index.html"), &index)?;
    let mut precache = vec![
        "/".to_string(),
        "/index.html".into(),
        format!("/{js_name}"),
        format!("/{link_name}"),
        format!("/{wasm_name}"),
        format!("/{css}"),
        format!("/{screens_css}"),
        "/icon.svg".into(),
        "/manifest.webmanifest".into(),
    ];
    precache.extend(chunks.iter().map(|(name, _)| format!("/{name}")));
    precache.extend(map_assets.iter().cloned());
    let version = format!(
        "gridwork-{}",
        short_hash(format!("{precache:?}{index}").as_bytes())
    );
    let list = format!(
        "[{}]",
        precache
            .iter()
            .map(|p| format!("'{p}'"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let sw = std::fs::read_to_string(static_dir.join("sw.js"))?
        .replace("{{VERSION}}", &version)
        .replace("{{PRECACHE}}", &list);
    std::fs::write(dist.join("sw.js"), sw)?;
    // Brotli at the highest quality once, at build time: the server sends `NAME.br` to
    // browsers that accept it instead of compressing on every request.
    for entry in std::fs::read_dir(&dist)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if [".wasm", ".js", ".css"].iter().any(|e| name.ends_with(e)) {
            let bytes = std::fs::read(&path)?;
            let mut out = Vec::new();
            bench::brotli(&bytes, &mut out)?;
            std::fs::write(dist.join(format!("{name}.br")), out)?;
        }
    }
    eprintln!(
        "web client: {} ({} KB main wasm, {} KB in {} chunks, {} KB js)",
        dist.display(),
        wasm_bytes.len() / 1024,
        chunks.iter().map(|c| c.1.len()).sum::<usize>() / 1024,
        chunks.len(),
        (js.len() + link.len()) / 1024
    );
    Ok(())
}

/// The client's modules after the split: the bindings and the split loader (named after
/// the whole build, since they import each other), the main wasm module, and the chunks
/// (named by content).
struct ClientModules {
    js_name: String,
    js: String,
    link_name: String,
    link: String,
    wasm: Vec<u8>,
    chunks: Vec<(String, Vec<u8>)>,
}

/// Splits the built client at its `#[wasm_split]` points, binds the main module with
/// wasm-bindgen, runs wasm-opt on every module and names them.
fn client_modules(tools: &std::path::Path) -> anyhow::Result<ClientModules> {
    let target = target_dir();
    let tmp = target.join("gridwork-web-bindgen");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;

    // Split: the main module keeps what the first screens need; each `#[wasm_split]` screen
    // group (web-client/src/lazy.rs) and the code only it uses goes to a chunk of its own,
    // fetched by `__wasm_split.js` when the screen first opens.
    let input =
        std::fs::read(target.join("wasm32-unknown-unknown/wasm-release/gridwork-web.wasm"))?;
    let split_dir = tmp.join("split");
    let main_wasm = split_dir.join("main.wasm");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = &split_dir;
    opts.main_out_path = &main_wasm;
    opts.link_name = "./__wasm_split.js";
    opts.main_module = "./gridwork-web.js";
    let split = wasm_split_cli_support::transform(opts)
        .map_err(|e| anyhow::anyhow!("splitting the client's wasm: {e:?}"))?;

    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main_wasm)
        // The chunks link against the main module's function table.
        .keep_lld_exports(true)
        .web(true)?
        .omit_default_module_path(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .out_name("gridwork-web")
        .generate(&tmp)?;
    let wasm_bytes = wasm_opt(tools, &tmp.join("gridwork-web_bg.wasm"))?;
    let mut js = std::fs::read_to_string(tmp.join("gridwork-web.js"))?;
    let mut link = std::fs::read_to_string(split_dir.join("__wasm_split.js"))?;

    // Chunks: optimised, named by content; the loader asks for them by those names.
    let mut chunks = Vec::new();
    for path in &split.split_modules {
        let stem = path
            .file_stem()
            .context("a chunk has a name")?
            .to_string_lossy()
            .to_string();
        let bytes = wasm_opt(tools, path)?;
        let name = format!("{stem}-{}.wasm", short_hash(&bytes));
        let plain = format!("\"./{stem}.wasm\"");
        if !link.contains(&plain) {
            bail!("the split loader does not name {stem}.wasm");
        }
        link = link.replace(&plain, &format!("\"./{name}\""));
        chunks.push((name, bytes));
    }
    // The bindings and the loader import each other, so both are named after the whole
    // build rather than their own bytes.
    let mut build = Vec::new();
    build.extend_from_slice(js.as_bytes());
    build.extend_from_slice(link.as_bytes());
    build.extend_from_slice(&wasm_bytes);
    for (name, _) in &chunks {
        build.extend_from_slice(name.as_bytes());
    }
    let id = short_hash(&build);
    let (js_name, link_name) = (
        format!("gridwork-web-{id}.js"),
        format!("gridwork-split-{id}.js"),
    );
    // Only the `import` statements change: the wasm still names its import module
    // `./__wasm_split.js` in the bindings' import object.
    for (text, from, to) in [
        (&mut js, "./__wasm_split.js", &link_name),
        (&mut link, "./gridwork-web.js", &js_name),
    ] {
        let from = format!("from \"{from}\"");
        if !text.contains(&from) {
            bail!("expected `{from}` in the generated JavaScript");
        }
        *text = text.replace(&from, &format!("from \"./{to}\""));
    }
    Ok(ClientModules {
        js_name,
        js,
        link_name,
        link,
        wasm: wasm_bytes,
        chunks,
    })
}

fn target_dir() -> std::path::PathBuf {
    std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("target"))
}

/// binaryen's wasm-opt and Leaflet, installed from the npm registry next to the build
/// (Debian's binaryen is too old for what wasm-bindgen emits).
fn web_tools(target: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    let tools = target.join("web-tools");
    for (check, package) in [
        ("node_modules/.bin/wasm-opt", "binaryen@132"),
        ("node_modules/leaflet/dist/leaflet.js", "leaflet@1.9.4"),
        (
            "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
            "swagger-ui-dist@5.35.0",
        ),
    ] {
        if !tools.join(check).exists() {
            std::fs::create_dir_all(&tools)?;
            run(Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--silent", package])
                .current_dir(&tools))?;
        }
    }
    Ok(tools)
}

/// The bytes of `input` after `wasm-opt -Oz`. A module whose bytes are those of the last
/// run's (a change of styles or scripts only) keeps that run's output: wasm-opt is most of
/// the client's build time.
fn wasm_opt(tools: &std::path::Path, input: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let out = input.with_extension("opt.wasm");
    let last_input = input.with_extension("opt.src.wasm");
    let bytes = std::fs::read(input)?;
    if out.exists() && std::fs::read(&last_input).is_ok_and(|last| last == bytes) {
        return Ok(std::fs::read(out)?);
    }
    let _ = std::fs::remove_file(&last_input);
    run(Command::new(tools.join("node_modules/.bin/wasm-opt"))
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "-o",
        ])
        .arg(&out)
        .arg(input))?;
    std::fs::write(&last_input, &bytes)?;
    Ok(std::fs::read(out)?)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("openapi") => openapi(),
        Some("layers") => layers::check(&root()),
        Some("wasm-deps") => check_wasm_dependencies(&root()),
        Some("test") => test(),
        Some("spec-test") => spec_test::spec_test(),
        Some("web") => web(),
        Some("bench") => bench::bench(&args[1..]),
        Some("bench-web") => bench::bench_web(),
        Some("deb") => deb::deb(&args[1..]),
        Some("demo") => {
            let r = root();
            install_packages(BUILD_PACKAGES)?;
            web()?;
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
            eprintln!(
                "usage: cargo xtask <openapi | layers | wasm-deps | test | spec-test | web | bench | bench-web | demo | deb>"
            );
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn banned_crates_are_found_by_name() {
        assert_eq!(
            super::banned_in(&[
                "gridwork-shared v0.1.0",
                "serde v1.0.0",
                "diesel_derives v2.3.0"
            ]),
            Some("diesel_derives v2.3.0")
        );
        assert_eq!(
            super::banned_in(&["gridwork-shared v0.1.0", "tokio-util v0.7.0"]),
            Some("tokio-util v0.7.0")
        );
        assert_eq!(
            super::banned_in(&["gridwork-shared v0.1.0", "geo v0.31.0"]),
            None
        );
    }
}
