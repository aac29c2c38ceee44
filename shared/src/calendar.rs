//! Working-time deadlines: "24 working hours" on a Monday–Friday 09:00–17:00 calendar in
//! China Standard Time, the default. Server and client compute `due_at` with this one rule.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

/// A weekly working calendar in a fixed UTC offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Offset from UTC in seconds (China Standard Time: +8 h).
    pub utc_offset_secs: i32,
    /// Working days, Monday first.
    pub days: [bool; 7],
    /// Opening and closing time of a working day, seconds after local midnight.
    pub open_secs: u32,
    pub close_secs: u32,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        WorkCalendar {
            utc_offset_secs: 8 * 3600,
            days: [true, true, true, true, true, false, false],
            open_secs: 9 * 3600,
            close_secs: 17 * 3600,
        }
    }
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 3600 + m * 60)
}

impl WorkCalendar {
    /// Parses `"Mon-Fri 09:00-17:00 +08:00"` (days as a range or a comma list).
    pub fn parse(s: &str) -> Result<WorkCalendar, String> {
        let parts: Vec<&str> = s.split_whitespace().collect();
        let [days, hours, offset] = parts.as_slice() else {
            return Err("expected \"Mon-Fri 09:00-17:00 +08:00\"".into());
        };
        let day = |d: &str| {
            DAY_NAMES
                .iter()
                .position(|n| n.eq_ignore_ascii_case(d))
                .ok_or_else(|| format!("unknown day {d}"))
        };
        let mut set = [false; 7];
        for item in days.split(',') {
            match item.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day(a)?, day(b)?);
                    if a > b {
                        return Err(format!("day range {item} runs backwards"));
                    }
                    set[a..=b].iter_mut().for_each(|d| *d = true);
                }
                None => set[day(item)?] = true,
            }
        }
        let (open, close) = hours.split_once('-').ok_or("hours must be HH:MM-HH:MM")?;
        let (open, close) = (
            parse_hhmm(open).ok_or("bad opening time")?,
            parse_hhmm(close).ok_or("bad closing time")?,
        );
        if open >= close {
            return Err("the working day must open before it closes".into());
        }
        let sign = match offset.chars().next() {
            Some('+') => 1,
            Some('-') => -1,
            _ => return Err("offset must look like +08:00".into()),
        };
        let off = parse_hhmm(&offset[1..]).ok_or("offset must look like +08:00")? as i32;
        if !set.iter().any(|d| *d) {
            return Err("at least one working day is needed".into());
        }
        Ok(WorkCalendar {
            utc_offset_secs: sign * off,
            days: set,
            open_secs: open,
            close_secs: close,
        })
    }

    fn tz(&self) -> FixedOffset {
        FixedOffset::east_opt(self.utc_offset_secs).expect("offset within a day")
    }

    /// The calendar day `t` falls on in this calendar's zone.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz()).date_naive()
    }

    /// The instant calendar day `d` begins in this calendar's zone.
    pub fn day_start(&self, d: NaiveDate) -> DateTime<Utc> {
        self.tz()
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists"))
            .single()
            .expect("a fixed offset has one local time")
            .with_timezone(&Utc)
    }

    /// The first instant at which `hours` of working time have elapsed after `start`.
    /// A deadline that ends at closing time is due at closing time, not at the next opening.
    pub fn add_working_hours(&self, start: DateTime<Utc>, hours: f64) -> DateTime<Utc> {
        let mut remaining =
            Duration::microseconds((hours.max(0.0) * 3_600_000_000.0).round() as i64);
        let tz = self.tz();
        let mut t = start.with_timezone(&tz);
        // Bounded: even a year of working time ends well within this many days.
        for _ in 0..20_000 {
            let date = t.date_naive();
            let weekday = date.weekday().num_days_from_monday() as usize;
            let open = tz
                .from_local_datetime(&date.and_time(secs_to_time(self.open_secs)))
                .single()
                .expect("fixed offsets have no gaps");
            let close = tz
                .from_local_datetime(&date.and_time(secs_to_time(self.close_secs)))
                .single()
                .expect("fixed offsets have no gaps");
            if self.days[weekday] && t < close {
                if t < open {
                    t = open;
                }
                let available = close - t;
                if remaining <= available {
                    return (t + remaining).with_timezone(&Utc);
                }
                remaining -= available;
            }
            // Move to the start of the next day.
            let next = date.succ_opt().expect("date in range");
            t = tz
                .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight"))
                .single()
                .expect("fixed offsets have no gaps");
        }
        (t + remaining).with_timezone(&Utc)
    }
}

fn secs_to_time(secs: u32) -> NaiveTime {
    if secs >= 24 * 3600 {
        NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).expect("valid")
    } else {
        NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).expect("valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cst(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn counts_working_hours() {
        let c = WorkCalendar::default();
        // Wednesday 10:00 CST + 8 h → Thursday 10:00.
        assert_eq!(
            c.add_working_hours(cst("2026-11-25T10:00:00+08:00"), 8.0),
            cst("2026-11-26T10:00:00+08:00")
        );
        // Ending exactly at closing time is due at 17:00, not 09:00 the next day.
        assert_eq!(
            c.add_working_hours(cst("2026-11-25T09:00:00+08:00"), 8.0),
            cst("2026-11-25T17:00:00+08:00")
        );
        // Friday 16:00 + 2 h → Monday 10:00.
        assert_eq!(
            c.add_working_hours(cst("2026-11-27T16:00:00+08:00"), 2.0),
            cst("2026-11-30T10:00:00+08:00")
        );
        // Saturday night + 1 h → Monday 10:00.
        assert_eq!(
            c.add_working_hours(cst("2026-11-28T23:00:00+08:00"), 1.0),
            cst("2026-11-30T10:00:00+08:00")
        );
        // Before opening: counting starts at 09:00. Fractional hours.
        assert_eq!(
            c.add_working_hours(cst("2026-11-25T06:00:00+08:00"), 0.5),
            cst("2026-11-25T09:30:00+08:00")
        );
        assert_eq!(
            c.add_working_hours(cst("2026-11-25T09:00:00+08:00"), 0.001),
            cst("2026-11-25T09:00:03.6+08:00")
        );
        // Five working days are a calendar week.
        assert_eq!(
            c.add_working_hours(cst("2026-11-25T11:00:00+08:00"), 40.0),
            cst("2026-12-02T11:00:00+08:00")
        );
    }

    #[test]
    fn parses_calendars() {
        assert_eq!(
            WorkCalendar::parse("Mon-Fri 09:00-17:00 +08:00").unwrap(),
            WorkCalendar::default()
        );
        let c = WorkCalendar::parse("mon,wed,sat 08:30-12:00 -05:00").unwrap();
        assert_eq!(c.days, [true, false, true, false, false, true, false]);
        assert_eq!(c.utc_offset_secs, -5 * 3600);
        for bad in [
            "",
            "Mon-Fri",
            "Fri-Mon 09:00-17:00 +08:00",
            "Mon-Fri 17:00-09:00 +08:00",
            "Mon-Fri 09:00-17:00 08:00",
        ] {
            assert!(WorkCalendar::parse(bad).is_err(), "{bad}");
        }
    }
}
