//! The API's time format: `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` on output (six fraction digits
//! when there is a fraction, none otherwise); any RFC 3339 offset on input.
//!
//! Use as `#[serde(with = "gridwork_shared::utc")]`, or `utc::option` for `Option` fields.

use chrono::{DateTime, SecondsFormat, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Formats an instant the API's way.
pub fn format(t: &DateTime<Utc>) -> String {
    if t.nanosecond() == 0 {
        t.to_rfc3339_opts(SecondsFormat::Secs, true)
    } else {
        t.to_rfc3339_opts(SecondsFormat::Micros, true)
    }
}

pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(t))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let s = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            serde::de::Error::custom("expected an RFC 3339 time such as 2026-11-25T09:30:00+08:00")
        })
}

pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| {
            DateTime::parse_from_rfc3339(&s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| serde::de::Error::custom("expected an RFC 3339 time"))
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn six_digits_or_none() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00.639+08:00")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(super::format(&t), "2026-11-25T02:00:00.639000Z");
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(super::format(&t), "2026-11-25T10:00:00Z");
    }
}
