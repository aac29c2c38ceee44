//! Working-time deadlines: "24 working hours" on a Monday–Friday 09:00–17:00 calendar in
//! China Standard Time, the default, less the public holidays and plus the make-up working
//! days (调休) an admin sets. Server and client compute `due_at` with this one rule.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::FieldErrors;

/// The working calendar as `GET /calendar` answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Calendar {
    /// The working week and hours, like `Mon-Fri 09:00-17:00`.
    pub weekly: String,
    /// Like `+08:00`.
    pub utc_offset: String,
    /// Public holidays: no working time on these days, whatever the weekday.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = Date))]
    pub holidays: Vec<NaiveDate>,
    /// Make-up working days (调休): working days whatever the weekday.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = Date))]
    pub workdays: Vec<NaiveDate>,
}

/// `PUT /calendar`: the whole lists of holidays and make-up working days.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarUpdate {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = Date, max_items = 1000))]
    pub holidays: Vec<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = Date, max_items = 1000))]
    pub workdays: Vec<NaiveDate>,
}

/// How many days each list may hold (a few years of a country's holidays).
pub const MAX_DAYS: usize = 1000;

impl CalendarUpdate {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        for (field, days) in [("holidays", &self.holidays), ("workdays", &self.workdays)] {
            if days.len() > MAX_DAYS {
                e.push(field, format!("must hold at most {MAX_DAYS} days"));
            }
            let mut seen = BTreeSet::new();
            for (i, d) in days.iter().enumerate() {
                if !(2000..=2100).contains(&d.year()) {
                    e.push(format!("{field}[{i}]"), "must be a date from 2000 to 2100");
                } else if !seen.insert(*d) {
                    e.push(format!("{field}[{i}]"), "is listed twice");
                }
            }
        }
        let holidays: BTreeSet<_> = self.holidays.iter().collect();
        for (i, d) in self.workdays.iter().enumerate() {
            if holidays.contains(d) {
                e.push(
                    format!("workdays[{i}]"),
                    "cannot be a holiday and a working day at once",
                );
            }
        }
        e.into_result()
    }
}

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
    /// Public holidays (local dates): no working time, whatever the weekday.
    pub holidays: BTreeSet<NaiveDate>,
    /// Make-up working days (local dates): working days, whatever the weekday.
    pub workdays: BTreeSet<NaiveDate>,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        WorkCalendar {
            utc_offset_secs: 8 * 3600,
            days: [true, true, true, true, true, false, false],
            open_secs: 9 * 3600,
            close_secs: 17 * 3600,
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
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
            holidays: BTreeSet::new(),
            workdays: BTreeSet::new(),
        })
    }

    /// Is `date` (local) a working day: a make-up working day, or a working weekday that is
    /// not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.workdays.contains(&date)
            || (self.days[date.weekday().num_days_from_monday() as usize]
                && !self.holidays.contains(&date))
    }

    /// The working week and hours, written as `GRIDWORK_WORK_CALENDAR` without the offset
    /// (`Mon-Fri 09:00-17:00`; days that are not a run as a comma list).
    pub fn weekly(&self) -> String {
        let name = |i: usize| {
            let n = DAY_NAMES[i];
            format!("{}{}", n[..1].to_uppercase(), &n[1..])
        };
        let mut runs = Vec::new();
        let mut i = 0;
        while i < 7 {
            if !self.days[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < 7 && self.days[i + 1] {
                i += 1;
            }
            runs.push(match i - start {
                0 => name(start),
                1 => format!("{},{}", name(start), name(i)),
                _ => format!("{}-{}", name(start), name(i)),
            });
            i += 1;
        }
        let hhmm = |s: u32| format!("{:02}:{:02}", s / 3600, s % 3600 / 60);
        format!(
            "{} {}-{}",
            runs.join(","),
            hhmm(self.open_secs),
            hhmm(self.close_secs)
        )
    }

    /// The offset from UTC, like `+08:00`.
    pub fn utc_offset(&self) -> String {
        let (sign, secs) = match self.utc_offset_secs {
            s if s < 0 => ('-', -s),
            s => ('+', s),
        };
        format!("{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
    }

    /// The calendar as the API answers it.
    pub fn to_wire(&self) -> Calendar {
        Calendar {
            weekly: self.weekly(),
            utc_offset: self.utc_offset(),
            holidays: self.holidays.iter().copied().collect(),
            workdays: self.workdays.iter().copied().collect(),
        }
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
            let open = tz
                .from_local_datetime(&date.and_time(secs_to_time(self.open_secs)))
                .single()
                .expect("fixed offsets have no gaps");
            let close = tz
                .from_local_datetime(&date.and_time(secs_to_time(self.close_secs)))
                .single()
                .expect("fixed offsets have no gaps");
            if self.is_working_day(date) && t < close {
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

    /// The Spring Festival of 2026: Sunday 15 to Monday 23 February off, Saturdays 14 and
    /// 28 February worked.
    fn spring_festival() -> WorkCalendar {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        WorkCalendar {
            holidays: (15..=23).map(|n| d(&format!("2026-02-{n}"))).collect(),
            workdays: [d("2026-02-14"), d("2026-02-28")].into_iter().collect(),
            ..WorkCalendar::default()
        }
    }

    #[test]
    fn holidays_have_no_working_time_and_make_up_days_have_a_full_day() {
        let c = spring_festival();
        // Friday 13 February 16:00 + 2 h: one hour that Friday, the next on the make-up
        // Saturday, not on a day of the week off.
        assert_eq!(
            c.add_working_hours(cst("2026-02-13T16:00:00+08:00"), 2.0),
            cst("2026-02-14T10:00:00+08:00")
        );
        // Saturday 14 February 16:00 + 8 h: the festival is skipped whole; Tuesday 24th.
        assert_eq!(
            c.add_working_hours(cst("2026-02-14T16:00:00+08:00"), 8.0),
            cst("2026-02-24T16:00:00+08:00")
        );
        // Friday 27 February 17:00 + 1 h: the make-up Saturday the 28th, not Monday.
        assert_eq!(
            c.add_working_hours(cst("2026-02-27T17:00:00+08:00"), 1.0),
            cst("2026-02-28T10:00:00+08:00")
        );
        assert!(!c.is_working_day(NaiveDate::from_ymd_opt(2026, 2, 16).unwrap()));
        assert!(c.is_working_day(NaiveDate::from_ymd_opt(2026, 2, 14).unwrap()));
    }

    #[test]
    fn the_week_is_written_back_as_it_is_configured() {
        assert_eq!(WorkCalendar::default().weekly(), "Mon-Fri 09:00-17:00");
        assert_eq!(WorkCalendar::default().utc_offset(), "+08:00");
        let c = WorkCalendar::parse("mon,wed,sat 08:30-12:00 -05:00").unwrap();
        assert_eq!(c.weekly(), "Mon,Wed,Sat 08:30-12:00");
        assert_eq!(c.utc_offset(), "-05:00");
        assert_eq!(
            WorkCalendar::parse(&format!("{} {}", c.weekly(), c.utc_offset())).unwrap(),
            c
        );
        let c = WorkCalendar::parse("Mon-Tue,Thu-Sat 08:00-18:00 +05:30").unwrap();
        assert_eq!(c.weekly(), "Mon,Tue,Thu-Sat 08:00-18:00");
        assert_eq!(c.utc_offset(), "+05:30");
    }

    #[test]
    fn an_update_names_each_bad_day() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ok = CalendarUpdate {
            holidays: vec![d("2026-02-16")],
            workdays: vec![d("2026-02-14")],
        };
        assert!(ok.validate().is_ok());
        let bad = CalendarUpdate {
            holidays: vec![d("2026-02-16"), d("2026-02-16"), d("1999-01-01")],
            workdays: vec![d("2026-02-16")],
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .0
            .iter()
            .map(|e| e.field.clone())
            .collect();
        assert_eq!(fields, ["holidays[1]", "holidays[2]", "workdays[0]"]);
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
