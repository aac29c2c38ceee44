//! Configuration: read once from the environment, then passed down as a value.

use std::path::{Path, PathBuf};

use anyhow::Context;
use base64::Engine as _;
use gridwork_shared::calendar::WorkCalendar;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretSlice, SecretString};

/// Everything the server needs to start. Two apps with different configs can run in one
/// process (the tests do).
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub data_dir: PathBuf,
    /// Where the built web client lives; served at `/` when it exists.
    pub web_dir: PathBuf,
    /// Whether, when `web_dir` holds no client, the one compiled into the binary is served
    /// (unpacked under `data_dir`). On for the server; off for tests and tools unless asked.
    pub embedded_client: bool,
    pub jwt_secret: SecretSlice<u8>,
    pub encryption_key: SecretSlice<u8>,
    /// Access-token lifetime in seconds (≤ 15 minutes).
    pub access_ttl_secs: i64,
    /// Refresh-token lifetime in seconds (30 days: a worker may stay offline for days).
    pub refresh_ttl_secs: i64,
    /// Database pool size.
    pub pool_size: u32,
    /// actix worker threads; 0 means one per core.
    pub workers: usize,
    pub log_json: bool,
    /// Working calendar for incident deadlines.
    pub calendar: WorkCalendar,
    /// Seconds between escalation sweeps.
    pub sweep_secs: u64,
    /// Radius within which an open incident of the same category is a possible duplicate.
    pub duplicate_radius_m: f64,
    /// Keys that values may still be encrypted with (rotation).
    pub encryption_keys_old: Vec<SecretSlice<u8>>,
    /// A visit farther than this from the person's registered location is flagged `far`.
    pub visit_far_m: f64,
    /// When set, `/metrics` answers only requests bearing this token
    /// (`GRIDWORK_METRICS_TOKEN`).
    pub metrics_token: Option<SecretString>,
    /// Behind a TLS proxy: every answer carries `Strict-Transport-Security` (`GRIDWORK_HSTS`).
    pub hsts: bool,
    /// The origin of a base-map tile server the web client may load images from
    /// (`GRIDWORK_TILE_ORIGIN`, e.g. `https://tiles.example.org`).
    pub tile_origin: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed (`GRIDWORK_TRUSTED_PROXIES`: addresses or
    /// networks, comma-separated). None by default: the peer's address is the client's.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Writes one user may make at once and per minute after (`GRIDWORK_WRITE_LIMIT`,
    /// `BURST/PER_MINUTE`, default `300/120`).
    pub write_limit: crate::flow::limits::WriteLimit,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("web_dir", &self.web_dir)
            .field("jwt_secret", &"[redacted]")
            .field("encryption_key", &"[redacted]")
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "[redacted]"),
            )
            .finish_non_exhaustive()
    }
}

/// Hides a password in a database URL.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("****"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Addresses (`10.0.0.5`) or networks (`10.0.0.0/8`), comma-separated.
pub fn parse_networks(list: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| anyhow::anyhow!("{s} is not an address or a network"))
        })
        .collect()
}

/// An http(s) origin (scheme, host and port only), as a Content-Security-Policy source.
fn origin(s: &str) -> anyhow::Result<String> {
    let u = url::Url::parse(s)?;
    if !matches!(u.scheme(), "https" | "http") || u.host_str().is_none() {
        anyhow::bail!("must be an http(s) origin such as https://tiles.example.org");
    }
    Ok(u.origin().ascii_serialization())
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    /// Reads `GRIDWORK_*` variables; generates and keeps missing secrets in the data dir.
    pub fn from_env() -> anyhow::Result<Config> {
        let data_dir = PathBuf::from(env("GRIDWORK_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let jwt_secret = match env("GRIDWORK_JWT_SECRET") {
            Some(s) => s.into_bytes(),
            None => load_or_generate_key(&data_dir, "jwt-secret.key")?,
        };
        let encryption_key = match env("GRIDWORK_ENCRYPTION_KEY") {
            Some(s) => decode_key(&s).context("GRIDWORK_ENCRYPTION_KEY")?,
            None => load_or_generate_key(&data_dir, "encryption.key")?,
        };
        if jwt_secret.len() < 32 {
            anyhow::bail!("GRIDWORK_JWT_SECRET must be at least 32 bytes");
        }
        Ok(Config {
            database_url: env("GRIDWORK_DATABASE_URL")
                .unwrap_or_else(|| "sqlite://gridwork.db".into()),
            bind: env("GRIDWORK_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            web_dir: PathBuf::from(
                env("GRIDWORK_WEB_DIR").unwrap_or_else(|| "web-client/dist".into()),
            ),
            data_dir,
            jwt_secret: jwt_secret.into(),
            encryption_key: encryption_key.into(),
            access_ttl_secs: 15 * 60,
            refresh_ttl_secs: 30 * 24 * 3600,
            pool_size: env("GRIDWORK_DB_POOL_SIZE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(16),
            workers: env("GRIDWORK_WORKERS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            log_json: env("GRIDWORK_LOG_FORMAT").as_deref() == Some("json"),
            calendar: match env("GRIDWORK_WORK_CALENDAR") {
                Some(s) => WorkCalendar::parse(&s)
                    .map_err(|e| anyhow::anyhow!("GRIDWORK_WORK_CALENDAR: {e}"))?,
                None => WorkCalendar::default(),
            },
            sweep_secs: match env("GRIDWORK_SWEEP_SECS") {
                Some(s) => s
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .context("GRIDWORK_SWEEP_SECS must be a positive integer")?,
                None => 60,
            },
            duplicate_radius_m: 50.0,
            encryption_keys_old: match env("GRIDWORK_ENCRYPTION_KEYS_OLD") {
                Some(list) => list
                    .split(',')
                    .map(|k| decode_key(k).map(Into::into))
                    .collect::<anyhow::Result<Vec<_>>>()
                    .context("GRIDWORK_ENCRYPTION_KEYS_OLD")?,
                None => Vec::new(),
            },
            visit_far_m: match env("GRIDWORK_VISIT_FAR_M") {
                Some(s) => s
                    .parse()
                    .ok()
                    .filter(|v: &f64| *v > 0.0)
                    .context("GRIDWORK_VISIT_FAR_M must be a positive number of metres")?,
                None => 500.0,
            },
            metrics_token: match env("GRIDWORK_METRICS_TOKEN") {
                Some(t) if t.len() < 16 => {
                    anyhow::bail!("GRIDWORK_METRICS_TOKEN must be at least 16 characters")
                }
                Some(t) => Some(t.into()),
                None => None,
            },
            hsts: match env("GRIDWORK_HSTS").as_deref() {
                None | Some("false") => false,
                Some("true") => true,
                Some(_) => anyhow::bail!("GRIDWORK_HSTS must be true or false"),
            },
            embedded_client: true,
            tile_origin: match env("GRIDWORK_TILE_ORIGIN") {
                Some(o) => Some(origin(&o).context("GRIDWORK_TILE_ORIGIN")?),
                None => None,
            },
            trusted_proxies: match env("GRIDWORK_TRUSTED_PROXIES") {
                Some(list) => parse_networks(&list).context("GRIDWORK_TRUSTED_PROXIES")?,
                None => Vec::new(),
            },
            write_limit: match env("GRIDWORK_WRITE_LIMIT") {
                Some(s) => s
                    .split_once('/')
                    .and_then(|(b, m)| {
                        Some(crate::flow::limits::WriteLimit {
                            burst: b.trim().parse().ok().filter(|n| *n > 0)?,
                            per_minute: m.trim().parse().ok().filter(|n| *n > 0)?,
                        })
                    })
                    .context("GRIDWORK_WRITE_LIMIT must be BURST/PER_MINUTE, e.g. 300/120")?,
                None => crate::flow::limits::WriteLimit::default(),
            },
        })
    }

    /// A config for tests and tools: fixed secrets, given database and data dir.
    pub fn for_database(database_url: &str, data_dir: &Path) -> Config {
        let mut key = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        let mut jwt = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut jwt);
        Config {
            database_url: database_url.to_string(),
            bind: "127.0.0.1:0".into(),
            data_dir: data_dir.to_path_buf(),
            web_dir: data_dir.join("web"),
            jwt_secret: jwt.into(),
            encryption_key: key.into(),
            access_ttl_secs: 15 * 60,
            refresh_ttl_secs: 30 * 24 * 3600,
            pool_size: 8,
            workers: 2,
            log_json: false,
            calendar: WorkCalendar::default(),
            sweep_secs: 60,
            duplicate_radius_m: 50.0,
            encryption_keys_old: Vec::new(),
            visit_far_m: 500.0,
            metrics_token: None,
            hsts: false,
            tile_origin: None,
            embedded_client: false,
            trusted_proxies: Vec::new(),
            write_limit: crate::flow::limits::WriteLimit::default(),
        }
    }

    pub fn jwt_secret_bytes(&self) -> &[u8] {
        self.jwt_secret.expose_secret()
    }

    /// The field-encryption keyring: the current key and the old ones.
    pub fn keyring(&self) -> crate::core::crypto::Keyring {
        let old: Vec<Vec<u8>> = self
            .encryption_keys_old
            .iter()
            .map(|k| k.expose_secret().to_vec())
            .collect();
        crate::core::crypto::Keyring::new(self.encryption_key.expose_secret(), &old)
    }
}

/// Keys are 32 bytes, given as 64 hex digits or standard base64.
fn decode_key(s: &str) -> anyhow::Result<Vec<u8>> {
    let s = s.trim();
    let bytes = if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(s)?
    } else {
        base64::engine::general_purpose::STANDARD.decode(s)?
    };
    if bytes.len() != 32 {
        anyhow::bail!("a key must be 32 bytes (64 hex digits or 44 base64 characters)");
    }
    Ok(bytes)
}

fn load_or_generate_key(dir: &Path, name: &str) -> anyhow::Result<Vec<u8>> {
    let path = dir.join(name);
    if path.exists() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        return decode_key(&text).with_context(|| format!("key file {}", path.display()));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut key = vec![0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    write_private(&path, &hex::encode(&key))?;
    tracing::info!(path = %path.display(), "generated a new key");
    Ok(key)
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()?;
    Ok(())
}
