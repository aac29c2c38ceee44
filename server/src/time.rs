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
