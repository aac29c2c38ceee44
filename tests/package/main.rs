//! The Debian package (`cargo xtask deb`) installed on this machine as an IT department
//! would: `dpkg -i`, the service's own user and directories, the unit started as systemd
//! starts it, the first administrator created with the command the package prints, a login
//! over HTTP and the web client served from the binary; then `dpkg --purge` leaves nothing.
//!
//! It needs root and the package's path in `GRIDWORK_DEB` (`cargo xtask test` builds the
//! package and sets it); without `GRIDWORK_DEB` it says so and does nothing. It refuses to
//! run where a `gridwork` package is installed already.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Install-check-2026";
const UNIT: &str = "/lib/systemd/system/gridwork.service";
const ENV_FILE: &str = "/etc/gridwork/gridwork.env";

fn sh(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether dpkg holds the package (installed, or removed with its configuration kept).
fn installed() -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${db:Status-Abbrev}", "gridwork"])
        .output()
        .is_ok_and(|o| {
            let status = String::from_utf8_lossy(&o.stdout);
            o.status.success() && status.starts_with(['i', 'r'])
        })
}

/// A setting of the unit's `[Service]` section.
fn unit_setting(unit: &str, key: &str) -> String {
    unit.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("{key} in the unit"))
        .to_string()
}

/// The installed package and the service it started; both go when it drops, whatever
/// the test found.
struct Installed {
    service: Option<Child>,
    systemd: bool,
}

impl Drop for Installed {
    fn drop(&mut self) {
        if self.systemd {
            let _ = Command::new("systemctl")
                .args(["stop", "gridwork"])
                .status();
        }
        if let Some(mut child) = self.service.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = Command::new("dpkg").args(["--purge", "gridwork"]).status();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `command` as the unit's user, with its umask and environment file, in `dir`.
fn as_service(unit: &str, command: &str, dir: &str) -> Command {
    let user = unit_setting(unit, "User");
    let env_file = unit_setting(unit, "EnvironmentFile");
    let umask = unit_setting(unit, "UMask");
    let mut c = Command::new("setpriv");
    c.args([
        "--reuid",
        &user,
        "--regid",
        &user,
        "--init-groups",
        "--",
        "sh",
        "-c",
        &format!("umask {umask}; set -a; . {env_file}; set +a; exec {command}"),
    ])
    .current_dir(dir)
    .env_clear()
    .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_package_installs_starts_and_lets_the_first_admin_in() {
    let Some(deb) = std::env::var_os("GRIDWORK_DEB") else {
        eprintln!("GRIDWORK_DEB is not set: build the package with `cargo xtask deb` to test it");
        return;
    };
    let uid = sh(Command::new("id").arg("-u"));
    assert_eq!(uid.trim(), "0", "installing the package needs root");
    assert!(
        !installed(),
        "a gridwork package is installed on this machine; this test will not touch it"
    );
    let systemd = Path::new("/run/systemd/system").is_dir();
    let mut guard = Installed {
        service: None,
        systemd,
    };
    sh(Command::new("dpkg").arg("-i").arg(&deb));
    assert!(installed());

    // Its own user, which cannot log in; its data directory, closed to others; its
    // configuration, readable by it alone.
    let passwd = sh(Command::new("getent").args(["passwd", "gridwork"]));
    let fields: Vec<&str> = passwd.trim().split(':').collect();
    assert_eq!(fields[5], "/var/lib/gridwork", "{passwd}");
    assert_eq!(fields[6], "/usr/sbin/nologin", "{passwd}");
    let uid: u32 = fields[2].parse().unwrap();
    assert!(uid < 1000, "a system user: {passwd}");
    let data = std::fs::metadata("/var/lib/gridwork").unwrap();
    assert_eq!(data.uid(), uid);
    assert_eq!(data.permissions().mode() & 0o777, 0o750);
    let env = std::fs::metadata(ENV_FILE).unwrap();
    assert_eq!(env.uid(), 0);
    assert_eq!(env.gid(), data.gid());
    assert_eq!(env.permissions().mode() & 0o777, 0o640);
    let conffiles = sh(Command::new("dpkg-query").args(["-W", "-f=${Conffiles}", "gridwork"]));
    assert!(conffiles.contains(ENV_FILE), "{conffiles}");
    let unit = std::fs::read_to_string(UNIT).unwrap();
    assert_eq!(unit_setting(&unit, "User"), "gridwork");
    assert_eq!(unit_setting(&unit, "ExecStart"), "/usr/bin/gridwork serve");
    assert_eq!(unit_setting(&unit, "WantedBy"), "multi-user.target");

    // The administrator points it at a free port, as one edits the configuration.
    let port = free_port();
    let conf = std::fs::read_to_string(ENV_FILE).unwrap();
    assert!(conf.contains("GRIDWORK_BIND=127.0.0.1:8080"), "{conf}");
    std::fs::write(
        ENV_FILE,
        conf.replace(
            "GRIDWORK_BIND=127.0.0.1:8080",
            &format!("GRIDWORK_BIND=127.0.0.1:{port}"),
        ),
    )
    .unwrap();

    // The first administrator, made as the package says.
    let mut create = as_service(
        &unit,
        "gridwork user create --username admin --role admin",
        "/var/lib/gridwork",
    );
    let mut child = create
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{PASSWORD}").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "creating the admin: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The service, started as systemd starts it.
    if systemd {
        sh(Command::new("systemctl").arg("daemon-reload"));
        sh(Command::new("systemctl").args(["restart", "gridwork"]));
    } else {
        let dir = unit_setting(&unit, "WorkingDirectory");
        let start = unit_setting(&unit, "ExecStart");
        guard.service = Some(as_service(&unit, &start, &dir).spawn().unwrap());
    }
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = http.get(format!("{base}/readyz")).send().await;
        if ready.is_ok_and(|r| r.status() == 200) {
            break;
        }
        if let Some(Ok(Some(status))) = guard.service.as_mut().map(Child::try_wait) {
            panic!("the service stopped: {status}");
        }
        assert!(Instant::now() < deadline, "the service did not come up");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let login: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let me: serde_json::Value = http
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    // The web client comes from the binary itself.
    let page = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html"), "{html}");
    // What the service wrote is its own.
    for file in ["gridwork.db", "jwt-secret.key", "encryption.key"] {
        let m = std::fs::metadata(Path::new("/var/lib/gridwork").join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(m.uid(), uid, "{file}");
        assert_eq!(m.permissions().mode() & 0o007, 0, "{file} closed to others");
    }

    // A purge leaves nothing behind.
    drop(guard);
    assert!(!installed());
    assert!(!Path::new("/var/lib/gridwork").exists());
    assert!(!Path::new("/etc/gridwork").exists());
    assert!(!Path::new("/usr/bin/gridwork").exists());
    let user = Command::new("getent")
        .args(["passwd", "gridwork"])
        .status()
        .unwrap();
    assert!(!user.success(), "the user is gone");
}
