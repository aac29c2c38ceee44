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

#[cfg(test)]
mod tests {
    use super::*;

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
