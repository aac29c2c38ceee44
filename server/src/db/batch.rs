//! Group commit for SQLite: concurrent writes share one transaction and one fsync.
//!
//! With `synchronous=FULL` every SQLite commit waits for the disk, and SQLite has one writer
//! at a time: commits, not CPU, bound the writes per second (measured: the server's core was
//! three-quarters idle at 840 incident creates/s). A dedicated writer thread takes the writes
//! that are waiting (up to [`MAX_BATCH`]), runs each in its own savepoint inside one
//! `BEGIN IMMEDIATE` transaction — so a write that fails rolls back alone — commits once, and
//! only then answers each caller: an acknowledged write is as durable as before.
//!
//! PostgreSQL already commits concurrent transactions together; it does not use this.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

use super::{DbConn, Pool, write_tx};

/// Writes taken into one transaction at most.
pub const MAX_BATCH: usize = 64;

/// Called after the batch's commit with its outcome; answers the caller.
type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;
/// One write: runs inside the batch's transaction and returns how to answer its caller.
type Job = Box<dyn FnOnce(&mut DbConn) -> Deliver + Send>;

/// A write that never reached a committed batch: the batch rolled back, or the writer is gone.
#[derive(Debug)]
pub struct BatchFailed(pub String);

pub struct Batcher {
    jobs: mpsc::Sender<Job>,
}

impl Batcher {
    /// Starts the writer thread; it ends when the batcher is dropped.
    pub fn start(pool: Pool) -> Batcher {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer(pool, queue))
            .expect("the writer thread starts");
        Batcher { jobs }
    }

    /// Runs `f` in the next batch; answers once that batch has committed.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<BatchFailed> + Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |c| {
            let result = f(c);
            Box::new(move |committed: Result<(), String>| {
                let _ = answer.send(match committed {
                    Ok(()) => result,
                    Err(e) => Err(BatchFailed(e).into()),
                });
            })
        });
        self.jobs
            .send(job)
            .map_err(|_| BatchFailed("the writer thread is gone".into()))?;
        answered
            .await
            .map_err(|_| BatchFailed("the writer dropped a write".into()))?
    }
}

fn writer(pool: Pool, queue: mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let mut conn = match pool.get() {
            Ok(c) => c,
            Err(e) => {
                // Dropping the writes drops their answer channels: each caller gets an error.
                tracing::error!(error = %e, writes = jobs.len(), "no connection for a write batch");
                continue;
            }
        };
        let mut deliveries: Vec<Deliver> = Vec::with_capacity(jobs.len());
        let outcome = write_tx(&mut conn, |c| -> Result<(), diesel::result::Error> {
            for job in jobs {
                match catch_unwind(AssertUnwindSafe(|| job(c))) {
                    Ok(deliver) => deliveries.push(deliver),
                    // A write panicked mid-way: its savepoint may be open, so the whole
                    // batch is rolled back and every caller told so.
                    Err(_) => return Err(diesel::result::Error::RollbackTransaction),
                }
            }
            Ok(())
        });
        let outcome = outcome.map_err(|e| e.to_string());
        if let Err(e) = &outcome {
            tracing::error!(error = %e, writes = deliveries.len(), "a write batch was rolled back");
        }
        for deliver in deliveries {
            deliver(outcome.clone());
        }
    }
}
