//! The working calendar: the weekly hours of the configuration, with the public holidays
//! and make-up working days (调休) an admin sets. Changing them moves the deadline of every
//! unresolved incident, worked out again from the start of its current level.

use gridwork_shared::calendar::{Calendar, CalendarUpdate, WorkCalendar};

use crate::app::state::AppState;
use crate::db::{self, DbConn, audit, calendar as store};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::incidents;

/// The configured week with the stored holidays and make-up working days.
fn with_days(state: &AppState, c: &mut DbConn) -> Result<WorkCalendar> {
    let (holidays, workdays) = store::days(c)?;
    let mut calendar = state.config.calendar.clone();
    calendar.holidays = holidays.into_iter().collect();
    calendar.workdays = workdays.into_iter().collect();
    Ok(calendar)
}

/// Reads the calendar from the database into the server's state (at start, and before
/// each escalation sweep, so a change made through another process is followed).
pub fn refresh(state: &AppState, c: &mut DbConn) -> Result<()> {
    let calendar = with_days(state, c)?;
    state.set_calendar(calendar);
    Ok(())
}

/// The calendar as it stands.
pub fn get(state: &AppState, c: &mut DbConn) -> Result<Calendar> {
    refresh(state, c)?;
    Ok(state.calendar().to_wire())
}

/// Replaces the holidays and make-up working days (admins) and moves the deadline of every
/// unresolved incident to match, in one transaction; audited.
pub fn put(
    state: &AppState,
    c: &mut DbConn,
    actor: &CurrentUser,
    update: &CalendarUpdate,
) -> Result<Calendar> {
    update.validate().map_err(Error::validation)?;
    let mut calendar = state.config.calendar.clone();
    calendar.holidays = update.holidays.iter().copied().collect();
    calendar.workdays = update.workdays.iter().copied().collect();
    let at = db::now();
    db::write_tx(c, |c| -> Result<()> {
        let holidays: Vec<_> = calendar.holidays.iter().copied().collect();
        let workdays: Vec<_> = calendar.workdays.iter().copied().collect();
        store::replace(c, &holidays, &workdays)?;
        let moved = incidents::recompute_deadlines(c, &calendar, at)?;
        let detail = format!(
            "holidays: {}; workdays: {}; deadlines moved: {moved}",
            holidays.len(),
            workdays.len()
        );
        audit::append(
            c,
            at,
            audit::Entry {
                actor_id: Some(&actor.id),
                action: "calendar_update",
                entity_type: "calendar",
                entity_id: "calendar",
                outcome: "success",
                ip: Some(&actor.ip),
                detail: Some(&detail),
            },
        )?;
        Ok(())
    })?;
    let wire = calendar.to_wire();
    state.set_calendar(calendar);
    Ok(wire)
}
