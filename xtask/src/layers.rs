//! The server's layer rule, checked from its source (`cargo xtask layers`, and on every
//! `cargo xtask test`): each file of `server/src/<layer>/` may name, through `crate::`
//! paths, only the layers its row below allows, and only `db` names diesel.
//!
//! ```text
//! http  → flow, core, app (state, config, metrics)
//! flow  → db, core, app (state, config)
//! db    → core
//! core  → (nothing of the crate)
//! app   → anything but tools (it wires the server)
//! tools → flow, db, core, app — never http
//! ```

use std::path::Path;

use anyhow::{Context, bail};

/// The top-level modules of the server crate, in `lib.rs`.
const LAYERS: &[&str] = &["app", "core", "db", "flow", "http", "tools"];

/// What a layer may import: a `crate::` path prefix it may name (besides itself).
fn allowed(layer: &str) -> &'static [&'static str] {
    match layer {
        "http" => &["flow", "core", "app::state", "app::config", "app::metrics"],
        "flow" => &["db", "core", "app::state", "app::config"],
        "db" => &["core"],
        "core" => &[],
        "app" => &["http", "flow", "db", "core"],
        "tools" => &["flow", "db", "core", "app"],
        _ => &[],
    }
}

/// External crates only some layers may use.
fn crate_allowed(krate: &str, layer: &str) -> bool {
    match krate {
        "diesel" | "diesel_migrations" => layer == "db",
        "actix_web" | "actix_files" | "actix_http" | "utoipa" => {
            matches!(layer, "http" | "app")
        }
        _ => true,
    }
}

/// Every `crate::a::b` path named in `src`, with `use crate::{a, b::c}` groups expanded
/// (nested groups are flattened to their first segment pairs). Comments are skipped.
pub fn crate_paths(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in src.lines() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            // `gridwork_crate::` or similar would not be ours.
            let before = rest[..i].chars().last();
            rest = &rest[i + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let item = item.trim();
                    if !item.is_empty() {
                        out.push(path_of(item));
                    }
                }
            } else {
                out.push(path_of(rest));
            }
        }
    }
    out
}

/// The path at the start of `s`: identifiers joined by `::`.
fn path_of(s: &str) -> String {
    let end = s
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_alphanumeric()
                || c == '_'
                || (c == ':' && s[i..].starts_with("::"))
                || (c == ':' && i > 0 && s[..i].ends_with(':')))
        })
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    s[..end].trim_end_matches(':').to_string()
}

/// Every external crate a file names at the start of a path (`diesel::`, `use actix_web`).
fn external_crates(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in src.lines() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        for krate in [
            "diesel",
            "diesel_migrations",
            "actix_web",
            "actix_files",
            "actix_http",
            "utoipa",
        ] {
            let mut rest = code;
            while let Some(i) = rest.find(krate) {
                let before = rest[..i].chars().last();
                let after = &rest[i + krate.len()..];
                rest = after;
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                if after.starts_with("::") || after.starts_with(';') || after.starts_with(" as ") {
                    out.push(krate.to_string());
                }
            }
        }
    }
    out
}

/// Checks the server's source; every violation is listed before failing.
pub fn check(root: &Path) -> anyhow::Result<()> {
    let src = root.join("server/src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).context("reading server/src/lib.rs")?;
    let mut problems = Vec::new();
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ")?.strip_suffix(';'))
        .collect();
    if declared != LAYERS {
        problems.push(format!(
            "server/src/lib.rs declares {declared:?}; the layers are {LAYERS:?}"
        ));
    }
    let mut files = 0;
    for layer in LAYERS {
        let mut stack = vec![src.join(layer)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {dir:?}"))? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                files += 1;
                let text = std::fs::read_to_string(&path)?;
                let name = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                for p in crate_paths(&text) {
                    let ok = p == *layer
                        || p.starts_with(&format!("{layer}::"))
                        || allowed(layer)
                            .iter()
                            .any(|a| p == *a || p.starts_with(&format!("{a}::")));
                    if !ok {
                        problems.push(format!("{name}: the {layer} layer may not use crate::{p}"));
                    }
                }
                for k in external_crates(&text) {
                    if !crate_allowed(&k, layer) {
                        problems.push(format!("{name}: the {layer} layer may not use {k}"));
                    }
                }
            }
        }
    }
    if files == 0 {
        bail!("no source files found under {}", src.display());
    }
    if !problems.is_empty() {
        bail!("the layer rule is broken:\n  {}", problems.join("\n  "));
    }
    eprintln!("layers: {files} files of server/src keep the layer rule");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_paths_and_groups() {
        let src = "use crate::flow::error::{Error, Result};\nuse crate::{db, http::routes};\n\
                   // crate::http in a comment\nlet x = crate::core::time::fmt(t); gridwork_crate::x";
        assert_eq!(
            crate_paths(src),
            ["flow::error::", "db", "http::routes", "core::time::fmt"]
                .map(|s| s.trim_end_matches(':').to_string())
        );
    }

    #[test]
    fn finds_external_crates() {
        let src = "use diesel::prelude::*;\nfn f() { actix_web::web::block(); }\n// diesel::x\nlet y = my_diesel::z;";
        assert_eq!(external_crates(src), ["diesel", "actix_web"]);
    }

    #[test]
    fn the_rule() {
        assert!(allowed("flow").contains(&"db"));
        assert!(!allowed("flow").contains(&"http"));
        assert!(!allowed("tools").contains(&"http"));
        assert!(allowed("db").iter().all(|a| *a == "core"));
        assert!(!crate_allowed("diesel", "flow"));
        assert!(crate_allowed("diesel", "db"));
    }
}
