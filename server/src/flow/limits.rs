//! Per-user write limits: a token bucket per user, generous enough for a worker's day of
//! offline work to sync in one go (a push of hundreds of operations is one write), tight
//! enough that one account cannot flood the server. Kept in each server process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::flow::error::{Error, Result};

/// Writes a user may make at once, and how many come back each minute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WriteLimit {
    pub burst: u32,
    pub per_minute: u32,
}

impl Default for WriteLimit {
    fn default() -> Self {
        WriteLimit {
            burst: 300,
            per_minute: 120,
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets of the users who wrote lately.
pub struct WriteLimiter {
    limit: WriteLimit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl WriteLimiter {
    pub fn new(limit: WriteLimit) -> Self {
        WriteLimiter {
            limit,
            buckets: Mutex::default(),
        }
    }

    /// Takes one write of `user`'s allowance, or says when the next one comes
    /// (429 `rate_limited`).
    pub fn take(&self, user: &str) -> Result<()> {
        let now = Instant::now();
        let rate = f64::from(self.limit.per_minute) / 60.0;
        let burst = f64::from(self.limit.burst);
        let mut buckets = self.buckets.lock().expect("write limiter poisoned");
        if buckets.len() > 100_000 {
            // Forget the users whose buckets have filled up again.
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst);
        }
        let b = buckets.entry(user.to_string()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = if rate > 0.0 {
                (1.0 - b.tokens) / rate
            } else {
                60.0
            };
            Err(Error::RateLimited {
                retry_after: wait.ceil().max(1.0) as u64,
            })
        }
    }
}

/// Live notification streams one user may hold open at once (a phone and a desk, a few
/// tabs); one more is refused with 429 until one closes.
pub const STREAMS_PER_USER: usize = 4;
/// Live streams one server process holds at once, whoever opens them: past it, 429 (the
/// app still learns of its notifications with its next sync).
pub const STREAMS_PER_PROCESS: usize = 2000;

/// The live streams open in this process, per user.
#[derive(Default)]
pub struct StreamSlots {
    open: std::sync::Arc<Mutex<HashMap<String, usize>>>,
}

/// One open stream; dropping it (the stream ended or the client went away) frees the slot.
pub struct StreamSlot {
    open: std::sync::Arc<Mutex<HashMap<String, usize>>>,
    user: String,
}

impl StreamSlots {
    /// Takes a slot for `user`, or 429 `rate_limited` when it holds every one.
    pub fn take(&self, user: &str) -> Result<StreamSlot> {
        let mut open = self.open.lock().expect("stream slots poisoned");
        if open.values().sum::<usize>() >= STREAMS_PER_PROCESS {
            return Err(Error::RateLimited { retry_after: 60 });
        }
        let n = open.entry(user.to_string()).or_default();
        if *n >= STREAMS_PER_USER {
            return Err(Error::RateLimited { retry_after: 30 });
        }
        *n += 1;
        Ok(StreamSlot {
            open: self.open.clone(),
            user: user.to_string(),
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.user) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_holds_a_few_streams_and_a_closed_one_frees_its_slot() {
        let slots = StreamSlots::default();
        let held: Vec<_> = (0..STREAMS_PER_USER)
            .map(|_| slots.take("u").unwrap())
            .collect();
        assert!(matches!(slots.take("u"), Err(Error::RateLimited { .. })));
        slots.take("someone else").unwrap();
        drop(held);
        slots.take("u").unwrap();
    }

    #[test]
    fn a_burst_then_a_wait() {
        let l = WriteLimiter::new(WriteLimit {
            burst: 3,
            per_minute: 60,
        });
        for _ in 0..3 {
            l.take("u").unwrap();
        }
        match l.take("u") {
            Err(Error::RateLimited { retry_after }) => assert_eq!(retry_after, 1),
            other => panic!("{other:?}"),
        }
        l.take("someone else").unwrap();
    }
}
