//! The API's time format: `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` on output (six fraction digits
//! when there is a fraction, none otherwise); any RFC 3339 offset on input.
//!
//! Use as `#[serde(with = "gridwork_shared::utc")]`, or `utc::option` for `Option` fields.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Formats an instant the API's way.
pub fn format(t: &DateTime<Utc>) -> String {
    if t.nanosecond() == 0 {
        t.to_rfc3339_opts(SecondsFormat::Secs, true)
    } else {
        t.to_rfc3339_opts(SecondsFormat::Micros, true)
    }
}

/// The years a caller's date or time may fall in. Outside them, date arithmetic, working
/// calendars and the databases' own time types stop being sound, and no record of a
/// district's could be there.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// Whether a caller's date lies in [`YEARS`].
pub fn date_in_range(d: NaiveDate) -> bool {
    YEARS.contains(&d.year())
}

/// Parses a caller's RFC 3339 time, refusing one outside [`YEARS`].
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| date_in_range(t.date_naive()))
}

const EXPECTED: &str = "expected an RFC 3339 time between the years 1900 and 2199, \
                        such as 2026-11-25T09:30:00+08:00";

pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(t))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let s = String::deserialize(d)?;
    parse(&s).ok_or_else(|| serde::de::Error::custom(EXPECTED))
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
        s.map(|s| parse(&s).ok_or_else(|| serde::de::Error::custom(EXPECTED)))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_far_from_now_are_refused() {
        assert!(super::parse("2026-11-25T10:00:00+08:00").is_some());
        assert!(super::parse("+262142-12-31T00:00:00Z").is_none());
        assert!(super::parse("1899-12-31T23:59:59Z").is_none());
        assert!(super::parse("2199-12-31T23:59:59Z").is_some());
    }

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
