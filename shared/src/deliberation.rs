//! The deliberation hall (议事厅): residents' matters raised, accepted (立项), discussed and
//! voted in sessions, decided, carried out and published (公示). The state machine and the
//! majority rule live here, so the phone and the server apply the same ones.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::{self, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliberationStatus {
    Raised,
    Accepted,
    Declined,
    Decided,
    Implementing,
    Done,
}

impl DeliberationStatus {
    pub const ALL: [DeliberationStatus; 6] = [
        DeliberationStatus::Raised,
        DeliberationStatus::Accepted,
        DeliberationStatus::Declined,
        DeliberationStatus::Decided,
        DeliberationStatus::Implementing,
        DeliberationStatus::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliberationStatus::Raised => "raised",
            DeliberationStatus::Accepted => "accepted",
            DeliberationStatus::Declined => "declined",
            DeliberationStatus::Decided => "decided",
            DeliberationStatus::Implementing => "implementing",
            DeliberationStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<DeliberationStatus> {
        DeliberationStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliberationAction {
    Accept,
    Decline,
    Decide,
    Implement,
    Complete,
}

impl DeliberationAction {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliberationAction::Accept => "accept",
            DeliberationAction::Decline => "decline",
            DeliberationAction::Decide => "decide",
            DeliberationAction::Implement => "implement",
            DeliberationAction::Complete => "complete",
        }
    }

    /// Whether the step is the community's supervisors' (accept, decline, decide) rather
    /// than any worker's or supervisor's in scope (implement, complete).
    pub fn needs_supervisor(self) -> bool {
        matches!(
            self,
            DeliberationAction::Accept | DeliberationAction::Decline | DeliberationAction::Decide
        )
    }
}

/// The state machine: the status after `action` from `from`, or `None` when the action is
/// not possible there (`invalid_transition`).
pub fn transition(
    from: DeliberationStatus,
    action: DeliberationAction,
) -> Option<DeliberationStatus> {
    use DeliberationAction as A;
    use DeliberationStatus as S;
    match (from, action) {
        (S::Raised, A::Accept) => Some(S::Accepted),
        (S::Raised, A::Decline) => Some(S::Declined),
        (S::Accepted, A::Decide) => Some(S::Decided),
        (S::Decided, A::Implement) => Some(S::Implementing),
        (S::Implementing, A::Complete) => Some(S::Done),
        _ => None,
    }
}

/// The majority rule: a vote passes when more than half of those present voted for it
/// (`for × 2 > attendees`); exactly half is not a majority.
pub fn passes(votes_for: i64, attendees: i64) -> bool {
    votes_for * 2 > attendees
}

/// `POST /deliberations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDeliberation {
    pub id: Uuid,
    /// The community (12 digits) whose hall takes the matter.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{12}$"))]
    pub region_code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: String,
    /// The incident the matter comes from, which the caller must be able to see.
    #[serde(default)]
    pub source_incident_id: Option<Uuid>,
}

pub fn is_community_code(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl NewDeliberation {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if !is_community_code(&self.region_code) {
            e.push("region_code", "must be a 12-digit community code");
        }
        validate::name(&mut e, "title", &self.title, 200);
        validate::text(&mut e, "description", &self.description, 0, 5000);
        e.into_result()
    }
}

/// `POST /deliberations/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliberationActionRequest {
    pub action: DeliberationAction,
    /// The version the item was read at.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
    /// Required by `complete`: what was done.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
    /// Required by `decide`: what was decided.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub decision: Option<String>,
}

impl DeliberationActionRequest {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.version < 1 {
            e.push("version", "must be the version you read (1 or more)");
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        match &self.note {
            Some(n) if !n.trim().is_empty() => validate::text(&mut e, "note", n, 1, 2000),
            _ if self.action == DeliberationAction::Complete => {
                e.push("note", "complete needs a note saying what was done")
            }
            _ => {}
        }
        match &self.decision {
            Some(d) if !blank(&self.decision) => validate::text(&mut e, "decision", d, 1, 5000),
            _ if self.action == DeliberationAction::Decide => {
                e.push("decision", "decide needs the decision")
            }
            _ => {}
        }
        e.into_result()
    }
}

/// A session's votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Votes {
    #[serde(rename = "for")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub votes_for: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub against: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub abstain: i64,
}

/// `POST /deliberations/{id}/sessions`: a residents' meeting on an accepted item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    pub id: Uuid,
    #[serde(with = "crate::utc")]
    pub held_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub place: String,
    /// Those present (1 or more).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100000))]
    pub attendees: i64,
    /// `for + against + abstain` ≤ `attendees`.
    pub votes: Votes,
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub minutes: String,
}

impl NewSession {
    /// `now`: a session is not held in the future (5 minutes of leeway).
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "place", &self.place, 200);
        validate::text(&mut e, "minutes", &self.minutes, 0, 20000);
        if !(1..=100_000).contains(&self.attendees) {
            e.push("attendees", "must be from 1 to 100000");
        }
        let v = self.votes;
        for (field, n) in [
            ("votes.for", v.votes_for),
            ("votes.against", v.against),
            ("votes.abstain", v.abstain),
        ] {
            if n < 0 {
                e.push(field, "must be 0 or more");
            }
        }
        if v.votes_for >= 0
            && v.against >= 0
            && v.abstain >= 0
            && v.votes_for + v.against + v.abstain > self.attendees
        {
            e.push("votes", "for + against + abstain must not exceed attendees");
        }
        if self.held_at > now + chrono::Duration::minutes(5) {
            e.push("held_at", "is in the future");
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub id: Uuid,
    pub deliberation_id: Uuid,
    #[serde(with = "crate::utc")]
    pub held_at: DateTime<Utc>,
    pub place: String,
    pub attendees: i64,
    pub votes: Votes,
    pub minutes: String,
    /// `for × 2 > attendees`.
    pub passed: bool,
    pub recorded_by: Uuid,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deliberation {
    pub id: Uuid,
    /// The community.
    pub region_code: String,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_incident_id: Option<Uuid>,
    pub status: DeliberationStatus,
    /// What was decided (from `decide`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// What was done (the note of `complete`), published with the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    pub raised_by: Uuid,
    pub version: i64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub updated_at: DateTime<Utc>,
    /// When it was completed (`done`).
    #[serde(
        default,
        with = "crate::utc::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub done_at: Option<DateTime<Utc>>,
}

/// One step of an item's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliberationStep {
    #[serde(with = "crate::utc")]
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// `raise | accept | decline | decide | implement | complete`
    pub action: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
}

/// `GET /deliberations/{id}`: the item with its sessions (in the order they were held) and
/// its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliberationDetail {
    #[serde(flatten)]
    pub deliberation: Deliberation,
    pub sessions: Vec<Session>,
    pub history: Vec<DeliberationStep>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_half_is_not_a_majority() {
        assert!(!passes(5, 10));
        assert!(passes(6, 10));
        assert!(passes(6, 11));
        assert!(!passes(5, 11));
        assert!(passes(1, 1));
        assert!(!passes(0, 1));
    }

    #[test]
    fn the_hall_walks_raised_to_done() {
        use DeliberationAction as A;
        use DeliberationStatus as S;
        let mut s = S::Raised;
        for a in [A::Accept, A::Decide, A::Implement, A::Complete] {
            s = transition(s, a).unwrap();
        }
        assert_eq!(s, S::Done);
        assert_eq!(transition(S::Raised, A::Decline), Some(S::Declined));
        assert_eq!(transition(S::Declined, A::Accept), None);
        assert_eq!(transition(S::Raised, A::Decide), None);
        assert_eq!(transition(S::Done, A::Complete), None);
    }

    #[test]
    fn votes_cannot_exceed_attendees() {
        let s = NewSession {
            id: Uuid::nil(),
            held_at: Utc::now(),
            place: "村委会".into(),
            attendees: 10,
            votes: Votes {
                votes_for: 6,
                against: 4,
                abstain: 1,
            },
            minutes: String::new(),
        };
        assert!(s.validate(Utc::now()).is_err());
    }
}
