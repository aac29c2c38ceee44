//! Safety units (平安细胞): kinds, inspections with hazards, and the one rule for a unit's
//! status.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::geometry::Location;
use crate::validate::{self, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Household,
    School,
    Hospital,
    Enterprise,
    Shop,
    Market,
    ConstructionSite,
    Community,
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 9] = [
        UnitKind::Household,
        UnitKind::School,
        UnitKind::Hospital,
        UnitKind::Enterprise,
        UnitKind::Shop,
        UnitKind::Market,
        UnitKind::ConstructionSite,
        UnitKind::Community,
        UnitKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Household => "household",
            UnitKind::School => "school",
            UnitKind::Hospital => "hospital",
            UnitKind::Enterprise => "enterprise",
            UnitKind::Shop => "shop",
            UnitKind::Market => "market",
            UnitKind::ConstructionSite => "construction_site",
            UnitKind::Community => "community",
            UnitKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Never inspected.
    Unknown,
    Safe,
    /// Open hazards, none past its rectification deadline.
    Hazard,
    /// An open hazard is past its deadline.
    Overdue,
}

impl UnitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitStatus::Unknown => "unknown",
            UnitStatus::Safe => "safe",
            UnitStatus::Hazard => "hazard",
            UnitStatus::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<UnitStatus> {
        [
            UnitStatus::Unknown,
            UnitStatus::Safe,
            UnitStatus::Hazard,
            UnitStatus::Overdue,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The status rule: from whether the unit was ever inspected and its open hazards' earliest
/// rectification deadline.
pub fn unit_status(
    inspected: bool,
    open_hazards: i64,
    earliest_open_deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> UnitStatus {
    if !inspected {
        UnitStatus::Unknown
    } else if open_hazards == 0 {
        UnitStatus::Safe
    } else if earliest_open_deadline.is_some_and(|d| d < now) {
        UnitStatus::Overdue
    } else {
        UnitStatus::Hazard
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Certification {
    None,
    Town,
    District,
}

impl Certification {
    pub fn as_str(self) -> &'static str {
        match self {
            Certification::None => "none",
            Certification::Town => "town",
            Certification::District => "district",
        }
    }

    pub fn parse(s: &str) -> Option<Certification> {
        match s {
            "none" => Some(Certification::None),
            "town" => Some(Certification::Town),
            "district" => Some(Certification::District),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InspectionResult {
    Safe,
    Hazard,
}

impl InspectionResult {
    pub fn as_str(self) -> &'static str {
        match self {
            InspectionResult::Safe => "safe",
            InspectionResult::Hazard => "hazard",
        }
    }

    pub fn parse(s: &str) -> Option<InspectionResult> {
        match s {
            "safe" => Some(InspectionResult::Safe),
            "hazard" => Some(InspectionResult::Hazard),
            _ => None,
        }
    }
}

/// `POST /safety-units`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUnit {
    pub id: Uuid,
    pub kind: UnitKind,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub address: String,
    pub location: Location,
}

impl NewUnit {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, 200);
        validate::text(&mut e, "address", &self.address, 1, 300);
        self.location.validate(&mut e, "location");
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewHazard {
    pub description: String,
    /// The rectification deadline.
    #[serde(with = "crate::utc")]
    pub deadline: DateTime<Utc>,
}

/// `POST /safety-units/{id}/inspections`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInspection {
    pub id: Uuid,
    #[serde(with = "crate::utc")]
    pub inspected_at: DateTime<Utc>,
    pub location: Location,
    pub result: InspectionResult,
    #[serde(default)]
    pub hazards: Vec<NewHazard>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
    /// How the position was taken, as for a visit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub accuracy_m: Option<f64>,
    #[serde(default)]
    pub picked_on_map: bool,
}

impl NewInspection {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        self.location.validate(&mut e, "location");
        match self.result {
            InspectionResult::Hazard if self.hazards.is_empty() => {
                e.push("hazards", "a hazard inspection lists at least one hazard")
            }
            InspectionResult::Safe if !self.hazards.is_empty() => {
                e.push("hazards", "a safe inspection lists no hazards")
            }
            _ => {}
        }
        for (i, h) in self.hazards.iter().enumerate() {
            validate::text(
                &mut e,
                &format!("hazards[{i}].description"),
                &h.description,
                1,
                1000,
            );
            if h.deadline < self.inspected_at {
                e.push(format!("hazards[{i}].deadline"), "is before the inspection");
            }
        }
        if self.note.chars().count() > 2000 {
            e.push("note", "must have at most 2000 characters");
        }
        if self.inspected_at > now + Duration::hours(1) {
            e.push("inspected_at", "is in the future");
        }
        validate::accuracy(&mut e, self.accuracy_m);
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hazard {
    pub id: Uuid,
    pub description: String,
    #[serde(with = "crate::utc")]
    pub deadline: DateTime<Utc>,
    #[serde(default, with = "crate::utc::option")]
    pub closed_at: Option<DateTime<Utc>>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inspection {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub inspector_id: Uuid,
    #[serde(with = "crate::utc")]
    pub inspected_at: DateTime<Utc>,
    pub location: Location,
    pub result: InspectionResult,
    pub hazards: Vec<Hazard>,
    pub note: String,
    /// Metres from the unit's registered place; absent for inspections recorded before the
    /// distance was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// Farther than the configured distance (as for visits) from the registered place.
    #[serde(default)]
    pub far: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
    #[serde(default)]
    pub picked_on_map: bool,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub id: Uuid,
    pub kind: UnitKind,
    pub name: String,
    pub address: String,
    pub location: Location,
    pub cell_code: String,
    pub status: UnitStatus,
    pub open_hazards: i64,
    pub certification: Certification,
    #[serde(default, with = "crate::utc::option")]
    pub certified_at: Option<DateTime<Utc>>,
    #[serde(default, with = "crate::utc::option")]
    pub last_inspected_at: Option<DateTime<Utc>>,
    pub version: i64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CertificationRequest {
    pub level: Certification,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_rule() {
        let now = Utc::now();
        assert_eq!(unit_status(false, 0, None, now), UnitStatus::Unknown);
        assert_eq!(unit_status(true, 0, None, now), UnitStatus::Safe);
        assert_eq!(
            unit_status(true, 2, Some(now + Duration::days(1)), now),
            UnitStatus::Hazard
        );
        assert_eq!(
            unit_status(true, 2, Some(now - Duration::days(1)), now),
            UnitStatus::Overdue
        );
    }
}

/// `GET /safety-units/{id}`: the unit with its inspections (newest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitDetail {
    #[serde(flatten)]
    pub unit: Unit,
    pub inspections: Vec<Inspection>,
}

/// Counts of units by status and certification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub total: u64,
    pub safe: u64,
    pub hazard: u64,
    pub overdue: u64,
    pub unknown: u64,
    pub certified_town: u64,
    pub certified_district: u64,
}

impl Tally {
    /// Counts one unit of this status and certification.
    pub fn add(&mut self, status: UnitStatus, certification: Certification) {
        self.total += 1;
        match status {
            UnitStatus::Safe => self.safe += 1,
            UnitStatus::Hazard => self.hazard += 1,
            UnitStatus::Overdue => self.overdue += 1,
            UnitStatus::Unknown => self.unknown += 1,
        }
        match certification {
            Certification::Town => self.certified_town += 1,
            Certification::District => self.certified_district += 1,
            Certification::None => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollupChild {
    /// A region code, or a cell code under a community.
    pub code: String,
    /// The region's or the cell's name (empty for a cell retired since its units were
    /// registered).
    #[serde(default)]
    pub name: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// `GET /safety-units/rollup`: a region's safety picture and its children's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rollup {
    pub region_code: String,
    /// The region's name (empty for everything, an admin's default).
    #[serde(default)]
    pub name: String,
    pub overall: Tally,
    pub children: Vec<RollupChild>,
}
