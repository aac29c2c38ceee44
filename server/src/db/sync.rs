//! The change log behind `/sync/pull`, and the record of applied field operations.
//!
//! **Ordering.** Every change takes the next value of `sync_state.seq` with an UPDATE, which
//! holds that row's lock until the transaction ends. A later transaction's change therefore
//! gets a higher sequence only after the earlier one has committed (or rolled back), so the
//! sequence follows commit order and a pull that has read up to `seq` can never later
//! discover a change with a lower one.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use uuid::Uuid;

use super::DbConn;
use super::schema::change_log::dsl as cl;
use super::schema::sync_ops::dsl as so;
use super::schema::sync_state::dsl as ss;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = super::schema::change_log)]
pub struct Change {
    pub id: String,
    pub seq: i64,
    pub entity_type: String,
    pub entity_id: String,
    pub cell_code: String,
    pub at: NaiveDateTime,
    /// Someone the change took the record away from (see `record_loss`).
    pub party: Option<String>,
}

fn next_seq(c: &mut DbConn) -> QueryResult<i64> {
    diesel::update(ss::sync_state.find(1))
        .set(ss::seq.eq(ss::seq + 1))
        .returning(ss::seq)
        .get_result(c)
}

/// Records that an entity changed (call inside the transaction that changes it).
pub fn record(
    c: &mut DbConn,
    entity_type: &str,
    entity_id: &str,
    cell_code: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    insert(c, entity_type, entity_id, cell_code, None, at)
}

/// Records that a change took an entity away from `party` (an incident's previous
/// assignee, a person's previous responsible worker), so that its next pull forgets it.
pub fn record_loss(
    c: &mut DbConn,
    entity_type: &str,
    entity_id: &str,
    cell_code: &str,
    party: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    insert(c, entity_type, entity_id, cell_code, Some(party), at)
}

fn insert(
    c: &mut DbConn,
    entity_type: &str,
    entity_id: &str,
    cell_code: &str,
    party: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let seq = next_seq(c)?;
    diesel::insert_into(cl::change_log)
        .values((
            cl::id.eq(Uuid::now_v7().to_string()),
            cl::seq.eq(seq),
            cl::entity_type.eq(entity_type),
            cl::entity_id.eq(entity_id),
            cl::cell_code.eq(cell_code),
            cl::at.eq(at),
            cl::party.eq(party),
        ))
        .execute(c)
        .map(|_| ())
}

/// The highest committed sequence.
pub fn current_seq(c: &mut DbConn) -> QueryResult<i64> {
    ss::sync_state.find(1).select(ss::seq).first(c)
}

/// Changes after `(seq, id)`, in order.
pub fn changes_after(c: &mut DbConn, seq: i64, id: &str, limit: i64) -> QueryResult<Vec<Change>> {
    cl::change_log
        .filter(cl::seq.gt(seq).or(cl::seq.eq(seq).and(cl::id.gt(id))))
        .select(Change::as_select())
        .order((cl::seq.asc(), cl::id.asc()))
        .limit(limit)
        .load(c)
}

/// The body hash an applied operation was recorded with, if any.
pub fn applied_op(c: &mut DbConn, op_id: &str) -> QueryResult<Option<(String, String, bool)>> {
    so::sync_ops
        .find(op_id)
        .select((so::user_id, so::body_hash, so::conflict))
        .first(c)
        .optional()
}

pub fn record_op(
    c: &mut DbConn,
    op_id: &str,
    user_id: &str,
    op_type: &str,
    body_hash: &str,
    conflict: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(so::sync_ops)
        .values((
            so::op_id.eq(op_id),
            so::user_id.eq(user_id),
            so::op_type.eq(op_type),
            so::body_hash.eq(body_hash),
            so::conflict.eq(conflict),
            so::applied_at.eq(at),
        ))
        .execute(c)
        .map(|_| ())
}
