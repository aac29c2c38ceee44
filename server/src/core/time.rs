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

/// The UTC instant of midnight of `now`'s day at a fixed offset east of UTC (the
/// district's calendar day).
pub fn local_midnight(now: DateTime<Utc>, utc_offset_secs: i32) -> chrono::NaiveDateTime {
    use chrono::{FixedOffset, TimeZone};
    let tz =
        FixedOffset::east_opt(utc_offset_secs).unwrap_or(FixedOffset::east_opt(0).expect("zero"));
    let midnight = now
        .with_timezone(&tz)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight");
    tz.from_local_datetime(&midnight)
        .single()
        .expect("a fixed offset has one local time")
        .naive_utc()
}
