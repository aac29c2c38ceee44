//! The audit log, read (admins): filters by actor, record and time; newest first.

use gridwork_shared::api::AuditEntry;
use gridwork_shared::geometry::parse_instant;
use serde::Deserialize;

use crate::app::state::AppState;
use crate::db::{DbConn, audit, to_utc};
use crate::flow::caller::CurrentUser;
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

/// How the reason a reader gave for a full read is kept in an entry's `detail` (so that the
/// hash chain covers it): `reason=TEXT`.
const REASON: &str = "reason=";

/// Records an export of a list: who, which list (`entity_type`), the format and filters.
pub fn export(
    c: &mut DbConn,
    at: chrono::NaiveDateTime,
    user: &CurrentUser,
    entity_type: &str,
    detail: &str,
) -> Result<()> {
    audit::append(
        c,
        at,
        audit::Entry {
            actor_id: Some(&user.id),
            action: "export",
            entity_type,
            entity_id: "",
            outcome: "success",
            ip: Some(&user.ip),
            detail: Some(detail),
        },
    )?;
    Ok(())
}

/// The `detail` of a read whose reader gave `reason`.
pub fn reason_detail(reason: &str) -> String {
    format!("{REASON}{reason}")
}

/// An entry's `detail` and `reason`: a full read of a person keeps its reason in `detail`.
fn detail_and_reason(action: &str, detail: Option<String>) -> (Option<String>, Option<String>) {
    match detail {
        Some(d) if action == "person_view" && d.starts_with(REASON) => {
            (None, Some(d[REASON.len()..].to_string()))
        }
        other => (other, None),
    }
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
        .map(|r| {
            let (detail, reason) = detail_and_reason(&r.action, r.detail);
            AuditEntry {
                seq: r.seq,
                at: to_utc(r.at),
                actor_id: r.actor_id,
                action: r.action,
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                outcome: r.outcome,
                ip: r.ip,
                detail,
                reason,
            }
        })
        .collect();
    Ok((items, next_cursor))
}

/// A chain that holds: how many entries, how many came before the chain began, and the hash
/// of the last (keep it: an entry removed from the end shows only against it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: u64,
    pub before_chain: u64,
    pub head: String,
}

/// The first entry where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: i64,
    pub why: String,
}

/// Walks the whole log in order, checking each entry's link and hash.
pub fn verify(c: &mut DbConn) -> Result<std::result::Result<Verified, Broken>> {
    use crate::core::audit_chain::{Content, GENESIS, entry_hash};
    let mut v = Verified {
        entries: 0,
        before_chain: 0,
        head: GENESIS.to_string(),
    };
    let mut last = 0;
    loop {
        let rows = audit::after(c, last, 5000)?;
        let Some(tail) = rows.last() else {
            return Ok(Ok(v));
        };
        last = tail.seq;
        for r in rows {
            v.entries += 1;
            let (Some(prev), Some(hash)) = (&r.prev_hash, &r.hash) else {
                if v.head == GENESIS && v.entries == v.before_chain + 1 {
                    v.before_chain += 1;
                    continue;
                }
                return Ok(Err(Broken {
                    seq: r.seq,
                    why: "has no hash, after the chain began".into(),
                }));
            };
            if *prev != v.head {
                return Ok(Err(Broken {
                    seq: r.seq,
                    why: "does not follow the entry before it (one was removed or slipped in)"
                        .into(),
                }));
            }
            let content = Content {
                at_micros: r.at.and_utc().timestamp_micros(),
                actor_id: r.actor_id.as_deref(),
                action: &r.action,
                entity_type: &r.entity_type,
                entity_id: &r.entity_id,
                outcome: &r.outcome,
                ip: r.ip.as_deref(),
                detail: r.detail.as_deref(),
            };
            if entry_hash(&content, prev) != *hash {
                return Ok(Err(Broken {
                    seq: r.seq,
                    why: "its content does not match its hash (it was edited)".into(),
                }));
            }
            v.head = hash.clone();
        }
    }
}
