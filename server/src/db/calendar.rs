//! The working calendar's exceptions: public holidays and make-up working days.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::DbConn;
use super::schema::calendar_days::dsl as d;

const HOLIDAY: &str = "holiday";
const WORKDAY: &str = "workday";

/// The holidays and the make-up working days, each in date order.
pub fn days(c: &mut DbConn) -> QueryResult<(Vec<NaiveDate>, Vec<NaiveDate>)> {
    let rows: Vec<(String, String)> = d::calendar_days
        .select((d::day, d::kind))
        .order(d::day.asc())
        .load(c)?;
    let (mut holidays, mut workdays) = (Vec::new(), Vec::new());
    for (day, kind) in rows {
        let Ok(date) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") else {
            continue;
        };
        match kind.as_str() {
            HOLIDAY => holidays.push(date),
            WORKDAY => workdays.push(date),
            _ => {}
        }
    }
    Ok((holidays, workdays))
}

/// Replaces both lists.
pub fn replace(c: &mut DbConn, holidays: &[NaiveDate], workdays: &[NaiveDate]) -> QueryResult<()> {
    diesel::delete(d::calendar_days).execute(c)?;
    let days = holidays
        .iter()
        .map(|day| (day, HOLIDAY))
        .chain(workdays.iter().map(|day| (day, WORKDAY)));
    for (day, kind) in days {
        diesel::insert_into(d::calendar_days)
            .values((
                d::day.eq(day.format("%Y-%m-%d").to_string()),
                d::kind.eq(kind),
            ))
            .execute(c)?;
    }
    Ok(())
}
