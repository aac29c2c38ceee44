//! The append-only audit log (the database refuses updates and deletes of it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::models::{AuditRow, NewAuditRow};
use super::schema::audit_log::dsl as a;

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

pub fn append(c: &mut DbConn, at: NaiveDateTime, e: Entry<'_>) -> QueryResult<()> {
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
        })
        .execute(c)
        .map(|_| ())
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
