//! Login throttling.
//!
//! Policy: 5 failed logins for one username within 15 minutes lock that username (even the
//! right password answers 429) until the oldest of those failures leaves the window or an
//! admin unlocks the user. 20 failed logins from one client address within 15 minutes lock
//! that address the same way (slows password spraying across usernames).

use chrono::{Duration, NaiveDateTime};

pub const WINDOW_MINUTES: i64 = 15;
pub const MAX_FAILURES_PER_USERNAME: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

pub fn window() -> Duration {
    Duration::minutes(WINDOW_MINUTES)
}

/// Seconds until a lock whose failures are `failures` (oldest first) lifts, if locked.
pub fn retry_after(failures: &[NaiveDateTime], max: i64, now: NaiveDateTime) -> Option<u64> {
    if (failures.len() as i64) < max {
        return None;
    }
    // The lock lifts when enough failures have aged out that fewer than `max` remain.
    let idx = failures.len() - max as usize;
    let lifts_at = failures[idx] + window();
    let secs = (lifts_at - now).num_seconds().max(1);
    Some(secs as u64)
}
