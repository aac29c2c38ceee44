//! The audit log's hash chain: an entry's hash covers its content and the hash of the
//! entry before it, so an entry edited, removed or slipped in afterwards breaks the chain.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry of the chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry's hash covers, in this order.
pub struct Content<'a> {
    /// Microseconds since the Unix epoch (what both engines store).
    pub at_micros: i64,
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub outcome: &'a str,
    pub ip: Option<&'a str>,
    pub detail: Option<&'a str>,
}

/// The hex SHA-256 of an entry's content and the hash before it (a JSON array, so that no
/// two different entries read the same).
pub fn entry_hash(content: &Content<'_>, prev_hash: &str) -> String {
    let canonical = serde_json::json!([
        content.at_micros,
        content.actor_id,
        content.action,
        content.entity_type,
        content.entity_id,
        content.outcome,
        content.ip,
        content.detail,
        prev_hash,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_and_the_link_count() {
        let c = Content {
            at_micros: 1,
            actor_id: Some("a"),
            action: "login",
            entity_type: "user",
            entity_id: "u",
            outcome: "success",
            ip: None,
            detail: None,
        };
        let h = entry_hash(&c, GENESIS);
        assert_eq!(h.len(), 64);
        assert_ne!(
            h,
            entry_hash(
                &Content {
                    outcome: "failure",
                    ..c
                },
                GENESIS
            )
        );
        let c = Content {
            at_micros: 1,
            actor_id: Some("a"),
            action: "login",
            entity_type: "user",
            entity_id: "u",
            outcome: "success",
            ip: None,
            detail: None,
        };
        assert_ne!(h, entry_hash(&c, &h));
        assert_eq!(h, entry_hash(&c, GENESIS));
    }
}
