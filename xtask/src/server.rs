//! A server process a task starts (`gridwork serve`, or the benchmark's bare handler), with
//! the address it printed; killed when dropped.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

pub struct Server {
    child: Child,
    /// `http://host:port`, as the server printed it.
    pub base: String,
}

impl Server {
    /// Starts `cmd` with its stderr in `log` and waits for the address it prints.
    pub fn start(cmd: &mut Command, log: &Path) -> anyhow::Result<Server> {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log)?)
            .spawn()
            .with_context(|| format!("starting {cmd:?}"))?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut base = None;
        for line in lines.by_ref() {
            let line = line?;
            if let Some(i) = line.find("http://") {
                base = Some(line[i..].trim().trim_end_matches('/').to_string());
                break;
            }
        }
        let Some(base) = base else {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "the server did not say where it listens; see {}",
                log.display()
            );
        };
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Ok(Server { child, base })
    }

    /// `host:port`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Waits (at most a minute) until `/readyz` answers 200.
    pub fn wait_ready(&self) -> anyhow::Result<()> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Ok(mut s) = std::net::TcpStream::connect(self.addr()) {
                let _ = write!(s, "GET /readyz HTTP/1.0\r\n\r\n");
                let mut first = String::new();
                if BufReader::new(s).read_line(&mut first).is_ok() && first.contains(" 200") {
                    return Ok(());
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("the server at {} did not become ready", self.base)
    }

    /// A memory figure of `/proc/PID/status` (`VmHWM`: peak resident; `RssFile`: resident
    /// file pages, here the memory-mapped SQLite file) in MiB.
    pub fn memory_mib(&self, field: &str) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
