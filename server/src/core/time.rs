//! Output times: `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`.

use chrono::{DateTime, Utc};

pub fn fmt(t: DateTime<Utc>) -> String {
    gridwork_shared::utc::format(&t)
}

/// A client-sent instant as stored: naive UTC, truncated to microseconds (both engines
/// keep microseconds; SQLite would otherwise keep nanoseconds and compare differently).
pub fn to_db(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    t.trunc_subsecs(6).naive_utc()
}
