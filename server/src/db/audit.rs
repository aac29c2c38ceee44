//! The append-only audit log (the database refuses updates and deletes of it), kept as a
//! hash chain (`core::audit_chain`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::models::{AuditRow, NewAuditRow};
use super::schema::audit_log::dsl as a;
use crate::core::audit_chain::{Content, GENESIS, entry_hash};

pub struct Entry<'a> {
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub outcome: &'a str,
    pub ip: Option<&'a str>,
    /// What was read or changed, when the action alone does not say.
    pub detail: Option<&'a str>,
}

/// Appends an entry linked to the one before it. Appends are serialized (SQLite's
/// immediate transactions; on PostgreSQL a transaction-long advisory lock), so the chain
/// never forks.
pub fn append(c: &mut DbConn, at: NaiveDateTime, e: Entry<'_>) -> QueryResult<()> {
    super::write_tx(c, |c| {
        if let DbConn::Pg(pg) = c {
            use diesel::connection::SimpleConnection;
            pg.batch_execute("SELECT pg_advisory_xact_lock(7235400551530869349)")?;
        }
        let prev: Option<String> = a::audit_log
            .filter(a::hash.is_not_null())
            .select(a::hash)
            .order(a::seq.desc())
            .first::<Option<String>>(c)
            .optional()?
            .flatten();
        let prev = prev.as_deref().unwrap_or(GENESIS);
        let hash = entry_hash(
            &Content {
                at_micros: at.and_utc().timestamp_micros(),
                actor_id: e.actor_id,
                action: e.action,
                entity_type: e.entity_type,
                entity_id: e.entity_id,
                outcome: e.outcome,
                ip: e.ip,
                detail: e.detail,
            },
            prev,
        );
        diesel::insert_into(a::audit_log)
            .values(NewAuditRow {
                at,
                actor_id: e.actor_id,
                action: e.action,
                entity_type: e.entity_type,
                entity_id: e.entity_id,
                outcome: e.outcome,
                ip: e.ip,
                detail: e.detail,
                prev_hash: Some(prev),
                hash: Some(&hash),
            })
            .execute(c)
            .map(|_| ())
    })
}

/// Entries after `seq`, oldest first (to walk the chain).
pub fn after(c: &mut DbConn, seq: i64, limit: i64) -> QueryResult<Vec<AuditRow>> {
    a::audit_log
        .select(AuditRow::as_select())
        .filter(a::seq.gt(seq))
        .order(a::seq.asc())
        .limit(limit)
        .load(c)
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Only entries with `seq` below this (the cursor).
    pub before_seq: Option<i64>,
}

/// Newest first.
pub fn list(c: &mut DbConn, f: &Filter, limit: i64) -> QueryResult<Vec<AuditRow>> {
    let mut q = a::audit_log
        .select(AuditRow::as_select())
        .order(a::seq.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(actor) = &f.actor {
        q = q.filter(a::actor_id.eq(actor.clone()));
    }
    if let Some(entity) = &f.entity {
        q = q.filter(
            a::entity_id
                .eq(entity.clone())
                .or(a::entity_type.eq(entity.clone())),
        );
    }
    if let Some(from) = f.from {
        q = q.filter(a::at.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(a::at.le(to));
    }
    if let Some(seq) = f.before_seq {
        q = q.filter(a::seq.lt(seq));
    }
    q.load(c)
}
