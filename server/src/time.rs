//! Output times: `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn fmt(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Serde adapter for `DateTime<Utc>` fields in our output format.
pub mod serde_utc {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::fmt(*t))
    }
}

/// A client-sent instant as stored: naive UTC, truncated to microseconds (both engines
/// keep microseconds; SQLite would otherwise keep nanoseconds and compare differently).
pub fn to_db(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    t.trunc_subsecs(6).naive_utc()
}
