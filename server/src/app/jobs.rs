//! Background jobs: the escalation sweep (with the daily reminders) and housekeeping.

use std::time::Duration;

use actix_web::web;

use crate::app::state::AppState;
use crate::core::throttle;
use crate::db;

/// Every `sweep_secs`: escalate unresolved incidents past their deadline, and make the
/// day's reminders (`flow::notifications::remind`; once per day and record).
pub fn spawn_escalation_sweep(state: web::Data<AppState>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(state.config.sweep_secs));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let st = state.clone();
            match state
                .db(move |c| {
                    // A holiday set through another process counts from this sweep on.
                    crate::flow::calendar::refresh(&st, c)?;
                    let escalated = crate::flow::incidents::escalate_overdue(&st, c)?;
                    let reminded = crate::flow::notifications::remind(&st, c)?;
                    Ok::<_, crate::flow::error::Error>((escalated, reminded))
                })
                .await
            {
                Ok((n, reminded)) => {
                    if n > 0 || reminded > 0 {
                        tracing::info!(escalated = n, reminded, "escalation sweep");
                        state.ring();
                    }
                    state.metrics.escalations.inc_by(n as u64);
                }
                Err(e) => tracing::warn!(error = %e, "escalation sweep failed"),
            }
            state.metrics.sweeps.inc();
        }
    });
}

/// Hourly: forget login attempts older than the throttle window.
pub fn spawn_housekeeping(state: web::Data<AppState>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let before = db::now() - throttle::window();
            if let Err(e) = state
                .db(move |c| db::tokens::prune_attempts(c, before))
                .await
            {
                tracing::warn!(error = %e, "pruning login attempts failed");
            }
        }
    });
}
