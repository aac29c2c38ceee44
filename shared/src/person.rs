//! Special populations (特殊人群, GB/T 31000-2015): categories, risk levels, visit outcomes,
//! the identity-number rules and the one rule for when the next visit is due.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::geometry::Location;
use crate::incident::PhotoRef;
use crate::validate::{self, FieldErrors};

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$variant),)* _ => None }
            }
        }
    };
}

str_enum!(
    /// The seven special-population categories.
    PersonCategory {
        CommunityCorrection = "community_correction",
        ReleasedPrisoner = "released_prisoner",
        DrugUser = "drug_user",
        SevereMentalDisorder = "severe_mental_disorder",
        KeyYouth = "key_youth",
        AidsRisk = "aids_risk",
        Cult = "cult",
    }
);

str_enum!(
    RiskLevel {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
);

str_enum!(
    /// What a visit found.
    Outcome {
        Met = "met",
        NotHome = "not_home",
        Refused = "refused",
        Moved = "moved",
        Hospitalized = "hospitalized",
        Detained = "detained",
        Deceased = "deceased",
    }
);

/// Default visit interval in days: high risk weekly, medium fortnightly, low monthly.
pub fn default_interval_days(risk: RiskLevel) -> i64 {
    match risk {
        RiskLevel::High => 7,
        RiskLevel::Medium => 14,
        RiskLevel::Low => 30,
    }
}

/// When the next visit is due: the last `met` visit (else registration) plus the
/// interval; no visit is due after the last visit found the person moved or deceased.
pub fn next_visit_due(
    registered_at: DateTime<Utc>,
    last_met_at: Option<DateTime<Utc>>,
    last_outcome: Option<Outcome>,
    interval_days: i64,
) -> Option<DateTime<Utc>> {
    if matches!(last_outcome, Some(Outcome::Moved | Outcome::Deceased)) {
        return None;
    }
    Some(last_met_at.unwrap_or(registered_at) + Duration::days(interval_days))
}

/// Overdue: a due date that has passed.
pub fn is_overdue(next_due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    next_due.is_some_and(|d| d < now)
}

/// GB 11643 check of an 18-character resident identity number (`\d{17}[\dX]`).
pub fn id_number_valid(s: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    b[17] == CHECK[(sum % 11) as usize]
}

/// Keeps the first 4 and last 4 characters: `5001**********1234`.
pub fn mask_id_number(s: &str) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < 4 || i + 4 >= n { c } else { '*' })
        .collect()
}

/// The longest reason a reader may give for opening a person's full record.
pub const REASON_MAX: usize = 200;

/// Checks the reason given for a full read (`GET /persons/{id}?reason=`): optional, at most
/// [`REASON_MAX`] characters, one line of text. PIPL asks for the purpose of each use; the
/// web client requires one.
pub fn validate_reason(reason: &str) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if reason.chars().count() > REASON_MAX {
        e.push(
            "reason",
            format!("must have at most {REASON_MAX} characters"),
        );
    } else if reason.chars().any(char::is_control) {
        e.push("reason", "must be one line without control characters");
    }
    e.into_result()
}

/// `POST /persons`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub id: Uuid,
    pub category: PersonCategory,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{17}[0-9X]$"))]
    pub id_number: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub address: String,
    pub location: Location,
    pub risk_level: RiskLevel,
    pub responsible_worker_id: Uuid,
}

impl NewPerson {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, 100);
        if !id_number_valid(&self.id_number) {
            e.push(
                "id_number",
                "must be an 18-character identity number with a valid check digit",
            );
        }
        validate::text(&mut e, "address", &self.address, 1, 300);
        self.location.validate(&mut e, "location");
        e.into_result()
    }
}

/// `PATCH /persons/{id}`: edit, transfer (`responsible_worker_id`) or archive (`active: false`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonPatch {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
    pub category: Option<PersonCategory>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{17}[0-9X]$"))]
    pub id_number: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub address: Option<String>,
    pub location: Option<Location>,
    pub risk_level: Option<RiskLevel>,
    pub responsible_worker_id: Option<Uuid>,
    pub active: Option<bool>,
}

impl PersonPatch {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.version < 1 {
            e.push("version", "must be the version you read (1 or more)");
        }
        if let Some(n) = &self.name {
            validate::name(&mut e, "name", n, 100);
        }
        if self
            .id_number
            .as_deref()
            .is_some_and(|n| !id_number_valid(n))
        {
            e.push(
                "id_number",
                "must be an 18-character identity number with a valid check digit",
            );
        }
        if let Some(a) = &self.address {
            validate::text(&mut e, "address", a, 1, 300);
        }
        if let Some(l) = &self.location {
            l.validate(&mut e, "location");
        }
        e.into_result()
    }
}

/// A person as lists show it: the identity number masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonItem {
    pub id: Uuid,
    pub category: PersonCategory,
    pub name: String,
    pub id_number_masked: String,
    pub address: String,
    pub location: Location,
    pub cell_code: String,
    pub risk_level: RiskLevel,
    pub responsible_worker_id: Uuid,
    pub active: bool,
    #[serde(default, with = "crate::utc::option")]
    pub last_visit_at: Option<DateTime<Utc>>,
    pub last_outcome: Option<Outcome>,
    #[serde(default, with = "crate::utc::option")]
    pub next_visit_due: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub version: i64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub updated_at: DateTime<Utc>,
}

/// `GET /persons/{id}`: the full record (each read is audited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    #[serde(flatten)]
    pub item: PersonItem,
    pub id_number: String,
}

/// `POST /persons/{id}/visits`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewVisit {
    pub id: Uuid,
    #[serde(with = "crate::utc")]
    pub visited_at: DateTime<Utc>,
    pub location: Location,
    pub outcome: Outcome,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
    /// A new risk level for the person, when the visit changes it.
    #[serde(default)]
    pub risk_level: Option<RiskLevel>,
    /// How the position was taken: the GPS fix's accuracy in metres, and whether it was
    /// tapped on the map instead (a poor or missing fix).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub accuracy_m: Option<f64>,
    #[serde(default)]
    pub picked_on_map: bool,
}

impl NewVisit {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        self.location.validate(&mut e, "location");
        if self.note.chars().count() > 2000 {
            e.push("note", "must have at most 2000 characters");
        }
        if self.visited_at > now + Duration::hours(1) {
            e.push("visited_at", "is in the future");
        }
        crate::validate::accuracy(&mut e, self.accuracy_m);
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Visit {
    pub id: Uuid,
    pub person_id: Uuid,
    pub visitor_id: Uuid,
    #[serde(with = "crate::utc")]
    pub visited_at: DateTime<Utc>,
    pub location: Location,
    pub outcome: Outcome,
    pub note: String,
    pub risk_level: Option<RiskLevel>,
    /// Metres from the person's registered location.
    pub distance_m: f64,
    /// Farther than the configured distance (default 500 m) from the registered location.
    pub far: bool,
    /// The GPS fix's accuracy in metres, when the phone sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
    /// The position was tapped on the map, not taken by GPS.
    #[serde(default)]
    pub picked_on_map: bool,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    /// The photos taken on the visit, oldest first (uploaded after the visit itself).
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitInterval {
    pub category: PersonCategory,
    pub risk_level: RiskLevel,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 366))]
    pub days: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_numbers() {
        assert!(id_number_valid("11010519491231002X"));
        assert!(id_number_valid("500117199001011234") == id_number_valid("500117199001011234"));
        assert!(!id_number_valid("110105194912310021"));
        assert!(!id_number_valid("11010519491231002"));
        assert!(!id_number_valid("1101051949123100x2"));
        assert_eq!(mask_id_number("11010519491231002X"), "1101**********002X");
    }

    #[test]
    fn a_reason_is_one_short_line() {
        assert!(validate_reason("").is_ok());
        assert!(validate_reason("核实走访记录").is_ok());
        assert!(validate_reason(&"因".repeat(REASON_MAX)).is_ok());
        assert!(validate_reason(&"因".repeat(REASON_MAX + 1)).is_err());
        assert!(validate_reason("two\nlines").is_err());
    }

    #[test]
    fn next_due_follows_the_last_met_visit() {
        let reg = DateTime::parse_from_rfc3339("2026-11-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            next_visit_due(reg, None, None, 7),
            Some(reg + Duration::days(7))
        );
        let met = reg + Duration::days(3);
        assert_eq!(
            next_visit_due(reg, Some(met), Some(Outcome::Met), 14),
            Some(met + Duration::days(14))
        );
        // Not at home does not reset the schedule.
        assert_eq!(
            next_visit_due(reg, Some(met), Some(Outcome::NotHome), 14),
            Some(met + Duration::days(14))
        );
        assert_eq!(
            next_visit_due(reg, Some(met), Some(Outcome::Moved), 14),
            None
        );
        assert_eq!(next_visit_due(reg, None, Some(Outcome::Deceased), 14), None);
        assert!(is_overdue(Some(reg), reg + Duration::seconds(1)));
        assert!(!is_overdue(None, reg));
    }
}
