//! Notifications: what tells a user of work that came to it (`/me/notifications`, the
//! `notifications` of `/sync/pull`, the live stream).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::FieldErrors;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// An incident was dispatched to the user.
    IncidentDispatched,
    /// An incident reached the level of the user's region.
    IncidentEscalated,
    /// The user's report was accepted.
    ReportAccepted,
    /// The user's report was rejected.
    ReportRejected,
    /// The user's report was closed.
    IncidentClosed,
    /// The fix of an incident dispatched to the user was sent back.
    IncidentRework,
    /// A person the user is responsible for is due a visit tomorrow.
    VisitDue,
    /// A hazard of a safety unit in the user's cells must be rectified by tomorrow.
    HazardDeadline,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 8] = [
        NotificationKind::IncidentDispatched,
        NotificationKind::IncidentEscalated,
        NotificationKind::ReportAccepted,
        NotificationKind::ReportRejected,
        NotificationKind::IncidentClosed,
        NotificationKind::IncidentRework,
        NotificationKind::VisitDue,
        NotificationKind::HazardDeadline,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::IncidentDispatched => "incident_dispatched",
            NotificationKind::IncidentEscalated => "incident_escalated",
            NotificationKind::ReportAccepted => "report_accepted",
            NotificationKind::ReportRejected => "report_rejected",
            NotificationKind::IncidentClosed => "incident_closed",
            NotificationKind::IncidentRework => "incident_rework",
            NotificationKind::VisitDue => "visit_due",
            NotificationKind::HazardDeadline => "hazard_deadline",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind of record it names: `incident`, `person` or `unit`.
    pub fn entity_type(self) -> &'static str {
        match self {
            NotificationKind::VisitDue => "person",
            NotificationKind::HazardDeadline => "unit",
            _ => "incident",
        }
    }
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    /// Sorts in creation order.
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub kind: NotificationKind,
    /// `incident | person | unit`
    pub entity_type: String,
    pub entity_id: String,
    /// What it is about: the incident's title, the unit's name, or a person's masked name.
    pub title: String,
    pub read: bool,
}

/// Most ids one `POST /me/notifications/read` may name.
pub const MAX_READ_IDS: usize = 500;

/// `POST /me/notifications/read`: the notifications named, or every one created at or
/// before `up_to`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub ids: Option<Vec<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<Uuid>,
}

impl MarkRead {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        match (&self.ids, &self.up_to) {
            (None, None) => e.push("ids", "name the notifications, or give up_to"),
            (Some(_), Some(_)) => e.push("up_to", "give either ids or up_to, not both"),
            (Some(ids), None) if ids.len() > MAX_READ_IDS => {
                e.push("ids", format!("at most {MAX_READ_IDS} at once"))
            }
            _ => {}
        }
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_name_their_record() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(NotificationKind::VisitDue.entity_type(), "person");
        assert_eq!(NotificationKind::IncidentRework.entity_type(), "incident");
    }

    #[test]
    fn mark_read_takes_ids_or_up_to() {
        assert!(MarkRead::default().validate().is_err());
        let both = MarkRead {
            ids: Some(vec![Uuid::nil()]),
            up_to: Some(Uuid::nil()),
        };
        assert!(both.validate().is_err());
        let ids = MarkRead {
            ids: Some(vec![Uuid::nil()]),
            up_to: None,
        };
        assert!(ids.validate().is_ok());
    }
}
