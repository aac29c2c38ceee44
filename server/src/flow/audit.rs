//! The audit log, read (admins): filters by actor, record and time; newest first.

use gridwork_shared::api::AuditEntry;
use gridwork_shared::geometry::parse_instant;
use serde::Deserialize;

use crate::app::state::AppState;
use crate::db::{audit, to_utc};
use crate::flow::error::{Error, Result};

/// The audit list's query: `cursor` is the `seq` of the last entry of the previous page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// One page of the log and the cursor of the next.
pub async fn list(state: &AppState, q: Query) -> Result<(Vec<AuditEntry>, Option<String>)> {
    let time = |field: &str, v: &Option<String>| -> Result<_> {
        v.as_deref()
            .map(|s| {
                parse_instant(s)
                    .map(crate::core::time::to_db)
                    .ok_or_else(|| {
                        Error::invalid(
                            field,
                            "must be an RFC 3339 time or a date, between 1900 and 2199",
                        )
                    })
            })
            .transpose()
    };
    let limit = crate::flow::page_limit(q.limit.as_deref())?;
    let before_seq = match q.cursor.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| Error::invalid("cursor", "is not a cursor this server issued"))?,
        ),
    };
    let filter = audit::Filter {
        actor: q.actor,
        entity: q.entity,
        from: time("from", &q.from)?,
        to: time("to", &q.to)?,
        before_seq,
    };
    let mut rows = state.db(move |c| audit::list(c, &filter, limit)).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| r.seq.to_string())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            seq: r.seq,
            at: to_utc(r.at),
            actor_id: r.actor_id,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            outcome: r.outcome,
            ip: r.ip,
            detail: r.detail,
        })
        .collect();
    Ok((items, next_cursor))
}
