//! `gridwork backup` under concurrent writes, restored into a fresh database: every record
//! acknowledged before the backup began is there.

use std::collections::HashSet;
use std::path::Path;

use gridwork_server::flow::limits::WriteLimit;
use gridwork_server::tools::backup::{self, Outcome};
use gridwork_tests::fixtures::{PW, World};
use gridwork_tests::writers::Writers;
use gridwork_tests::{Engine, TestApp, pg_base, pg_drop_database, pg_fresh_database};

/// Writers the test runs while it backs up.
const WRITERS: usize = 4;

fn lifted(config: &mut gridwork_server::app::config::Config) {
    config.write_limit = WriteLimit {
        burst: 1_000_000,
        per_minute: 1_000_000,
    };
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("blocking task")
}

/// Runs a command line the way an operator would paste it.
fn run_shell(command: &str) {
    let out = std::process::Command::new("sh")
        .args(["-c", command])
        .output()
        .expect("sh runs");
    assert!(
        out.status.success(),
        "{command} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

fn have(tool: &str) -> bool {
    std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The schema a test database URL's search path names.
fn schema_of(url: &str) -> String {
    url.rsplit_once("search_path%3D")
        .map(|(_, s)| s.to_string())
        .expect("a test URL names its schema")
}

async fn backup_under_writes_restores_every_acknowledged_record(engine: Engine) {
    let app = TestApp::spawn_with(engine, lifted).await;
    let w = World::build(&app).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let writers = Writers::start(&app.base, &w.worker1.token, WRITERS);
    writers.wait_for_acks(40).await;

    // Everything acknowledged up to here must be in the copy.
    let before = writers.acked();
    let file = dir.path().join(match engine {
        Engine::Sqlite => "gridwork-backup.db",
        Engine::Postgres => "gridwork-backup.dump",
    });
    let (url, f) = (app.database_url.clone(), file.clone());
    let outcome = blocking(move || backup::backup(&url, &f))
        .await
        .expect("the backup is taken");
    // On PostgreSQL the printed command is the backup: run it while the writers go on.
    if let Outcome::Postgres(dump) = &outcome {
        assert!(
            have("pg_dump") && have("pg_restore"),
            "PostgreSQL's client tools (pg_dump, pg_restore) must be installed"
        );
        let cmd = dump.command.clone();
        blocking(move || run_shell(&cmd)).await;
    }
    // The copy is taken while the writers go on; let them get some more in after it.
    let after_backup = writers.acked_count();
    writers.wait_for_acks(after_backup + 10).await;
    let report = writers.finish().await;
    assert_eq!(
        report.failures, 0,
        "the server kept serving through the backup"
    );
    let sent: HashSet<String> = report.sent.clone();

    let targets: Vec<(String, Option<String>)> = match outcome {
        Outcome::Sqlite(summary) => {
            assert!(
                summary.count("incidents") >= before.len() as i64,
                "{summary}"
            );
            assert!(summary.count("users") >= 7, "{summary}");
            let target = dir.path().join("restored/gridwork.db");
            let url = format!("sqlite://{}", target.display());
            let (u, f) = (url.clone(), file.clone());
            match blocking(move || backup::restore(&u, &f))
                .await
                .expect("the backup restores")
            {
                Outcome::Sqlite(restored) => {
                    assert_eq!(restored.counts, summary.counts);
                    assert_eq!(restored.audit_head, summary.audit_head);
                }
                other => panic!("a SQLite restore answered {other:?}"),
            }
            refusals(&app, &file).await;
            vec![(url, None)]
        }
        Outcome::Postgres(dump) => {
            let database = app
                .database_url
                .rsplit_once('/')
                .and_then(|(_, rest)| rest.split('?').next())
                .expect("a database name")
                .to_string();
            assert!(dump.command.starts_with("pg_dump "), "{}", dump.command);
            assert!(dump.command.contains("--format=custom"), "{}", dump.command);
            assert!(dump.command.contains("--no-owner"), "{}", dump.command);
            assert!(dump.command.contains(&database), "{}", dump.command);
            assert!(
                dump.command.contains(&file.display().to_string()),
                "{}",
                dump.command
            );
            assert!(file.is_file(), "pg_dump wrote {}", file.display());
            refusals(&app, &file).await;
            // Two empty targets: a new database, and one a server already migrated.
            let schema = schema_of(&app.database_url);
            let mut targets = Vec::new();
            for migrated in [false, true] {
                let name = blocking(pg_fresh_database).await;
                let url = format!("{}/{name}?options=-csearch_path%3D{schema}", pg_base());
                if migrated {
                    let u = url.clone();
                    let s = schema.clone();
                    blocking(move || {
                        let pool = gridwork_server::db::connect(&u, 1).expect("connect");
                        let mut c = pool.get().expect("a connection");
                        use diesel::connection::SimpleConnection;
                        c.batch_execute(&format!("CREATE SCHEMA {s}"))
                            .expect("create schema");
                        gridwork_server::db::migrate(&mut c).expect("migrate");
                    })
                    .await;
                }
                let (u, f) = (url.clone(), file.clone());
                let restore = match blocking(move || backup::restore(&u, &f))
                    .await
                    .expect("an empty database takes a restore")
                {
                    Outcome::Postgres(cmd) => cmd,
                    other => panic!("a PostgreSQL restore answered {other:?}"),
                };
                assert!(restore.command.starts_with("pg_restore "));
                assert!(restore.command.contains(&name), "{}", restore.command);
                assert_eq!(
                    restore.command.contains("--clean"),
                    migrated,
                    "{}",
                    restore.command
                );
                let cmd = restore.command.clone();
                blocking(move || run_shell(&cmd)).await;
                targets.push((url, Some(name)));
            }
            targets
        }
    };

    for (url, database) in targets {
        let restored = TestApp::spawn_with(engine, |c| c.database_url = url.clone()).await;
        let token = restored.login("worker1", PW).await;
        for id in &before {
            restored
                .get(&format!("/api/v1/incidents/{id}"), &token)
                .await
                .ok(200);
        }
        // The copy holds nothing that was not sent, and no record twice.
        let ids: Vec<String> = restored
            .with_db(|c| {
                use diesel::prelude::*;
                use gridwork_server::db::schema::incidents::dsl as i;
                i::incidents.select(i::id).load::<String>(c).expect("ids")
            })
            .await;
        let distinct: HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
        assert!(ids.len() >= before.len());
        assert!(ids.iter().all(|id| sent.contains(id)));
        if let Some(name) = database {
            drop(restored);
            blocking(move || pg_drop_database(&name)).await;
        }
    }
    drop(dir);
}

/// A backup never overwrites a file, and a restore never goes into a database that holds
/// data (here: the one backed up).
async fn refusals(app: &TestApp, file: &Path) {
    let (url, f) = (app.database_url.clone(), file.to_path_buf());
    let err = blocking(move || backup::backup(&url, &f))
        .await
        .expect_err("an existing file is refused");
    assert!(err.to_string().contains("exists already"), "{err}");
    let (url, f) = (app.database_url.clone(), file.to_path_buf());
    let err = blocking(move || backup::restore(&url, &f))
        .await
        .expect_err("a database with data is refused");
    assert!(format!("{err:#}").contains("not empty"), "{err:#}");
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn backup_under_writes_restores_every_acknowledged_record() {
        super::backup_under_writes_restores_every_acknowledged_record(
            gridwork_tests::Engine::Sqlite,
        )
        .await
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn backup_under_writes_restores_every_acknowledged_record() {
        super::backup_under_writes_restores_every_acknowledged_record(
            gridwork_tests::Engine::Postgres,
        )
        .await
    }
}
