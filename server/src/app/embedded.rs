//! The web client carried inside the `gridwork` binary: a release build compiles the built
//! client (`web-client/dist`, from `cargo xtask web`) into itself, so that copying the
//! binary, `cargo install` or the Debian package gives the whole product with no web
//! directory to set up. At start, when the configured web directory holds no client, the
//! binary's own copy is unpacked into the data directory (`web-<hash>`, once per build) and
//! served from there like any other.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The built client as this binary was compiled with it (empty when it was compiled before
/// the client was built). Debug builds read the same directory at run time.
#[derive(rust_embed::RustEmbed)]
#[folder = "../web-client/dist/"]
#[allow_missing = true]
struct Client;

/// Where the web client is served from: `web_dir` when it holds a built client; else, when
/// `embedded` allows it and this binary carries a client, that client unpacked under
/// `data_dir`; else `web_dir` (the server answers without a client).
pub fn web_dir(web_dir: &Path, data_dir: &Path, embedded: bool) -> anyhow::Result<PathBuf> {
    if web_dir.join("index.html").is_file() || !embedded {
        return Ok(web_dir.to_path_buf());
    }
    let Some(index) = Client::get("index.html") else {
        return Ok(web_dir.to_path_buf());
    };
    let build = hex::encode(&Sha256::digest(&index.data)[..6]);
    let dir = data_dir.join(format!("web-{build}"));
    if dir.join("index.html").is_file() {
        return Ok(dir);
    }
    // Written beside, then moved into place: a half-written copy is never served.
    let partial = data_dir.join(format!(".web-{build}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial)?;
    for name in Client::iter() {
        let Some(file) = Client::get(&name) else {
            continue;
        };
        let path = partial.join(name.as_ref());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.data)?;
    }
    match std::fs::rename(&partial, &dir) {
        Ok(()) => {}
        // Another process unpacked the same build meanwhile.
        Err(_) if dir.join("index.html").is_file() => {
            let _ = std::fs::remove_dir_all(&partial);
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(dir = %dir.display(), "serving the web client this binary carries");
    Ok(dir)
}
