//! The server's clock for domain time (deadlines, overdue, escalation). In production it
//! is the system clock; tests move it forward to drive deadlines and the escalation sweep
//! without waiting.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};

#[derive(Debug, Default)]
pub struct Clock {
    offset_micros: AtomicI64,
}

impl Clock {
    /// Now, truncated to microseconds (what both engines store).
    pub fn now(&self) -> DateTime<Utc> {
        (Utc::now() + Duration::microseconds(self.offset_micros.load(Ordering::Relaxed)))
            .trunc_subsecs(6)
    }

    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Moves the clock forward (tests).
    pub fn advance(&self, by: Duration) {
        let micros = by.num_microseconds().expect("a test-sized duration");
        self.offset_micros.fetch_add(micros, Ordering::Relaxed);
    }
}
