//! Co-governance (群防群治): volunteer teams with a zone of cells, their patrols, and the
//! one rule for points (积分), which the server and the phone both apply.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::codes::{RegionCode, RegionLevel, cell_community};
use crate::validate::{self, FieldErrors};

/// Points for each report of a member that reached `accepted` (and was not merged as a
/// duplicate).
pub const POINTS_PER_ACCEPTED_REPORT: i64 = 10;
/// Points per whole hour of a patrol, for each member who took part.
pub const POINTS_PER_PATROL_HOUR: i64 = 2;
/// Cells a team's zone may hold.
pub const MAX_ZONE_CELLS: usize = 2000;
/// Members a team may have.
pub const MAX_MEMBERS: usize = 500;
/// Fixes a patrol's route may hold (a day at one fix every nine seconds).
pub const MAX_ROUTE_POINTS: usize = 10_000;
/// The longest patrol.
pub const MAX_PATROL_HOURS: i64 = 24;
/// How far in the future a patrol may end (phones' clocks drift).
pub const FUTURE_LEEWAY_MINUTES: i64 = 5;

/// The points a member earns for one patrol of this length: per whole hour, rounded down
/// per patrol.
pub fn patrol_points(duration_s: i64) -> i64 {
    POINTS_PER_PATROL_HOUR * (duration_s.max(0) / 3600)
}

/// A member's points from its accepted reports and the lengths of the patrols it took
/// part in.
pub fn member_points(accepted_reports: i64, patrol_durations_s: &[i64]) -> i64 {
    POINTS_PER_ACCEPTED_REPORT * accepted_reports
        + patrol_durations_s
            .iter()
            .map(|d| patrol_points(*d))
            .sum::<i64>()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TeamKind {
    /// 平安大嫂
    SafetySisters,
    /// 红袖标
    RedArmband,
    /// 乡亲帮帮队
    NeighbourHelp,
    Other,
}

impl TeamKind {
    pub const ALL: [TeamKind; 4] = [
        TeamKind::SafetySisters,
        TeamKind::RedArmband,
        TeamKind::NeighbourHelp,
        TeamKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TeamKind::SafetySisters => "safety_sisters",
            TeamKind::RedArmband => "red_armband",
            TeamKind::NeighbourHelp => "neighbour_help",
            TeamKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<TeamKind> {
        TeamKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A team's region: a town (9 digits) or a community (12 digits).
pub fn validate_team_region(errors: &mut FieldErrors, field: &str, code: &str) {
    match RegionCode::parse(code) {
        Ok(r) if r.level() != RegionLevel::District => {}
        _ => errors.push(
            field,
            "must be a town (9 digits) or community (12 digits) code",
        ),
    }
}

/// A zone: cell codes (15 digits), none twice, at most [`MAX_ZONE_CELLS`].
fn validate_zone(errors: &mut FieldErrors, cells: &[String]) {
    if cells.len() > MAX_ZONE_CELLS {
        errors.push("cell_codes", format!("at most {MAX_ZONE_CELLS} cells"));
        return;
    }
    for (i, code) in cells.iter().enumerate() {
        if let Err(m) = cell_community(code) {
            errors.push(format!("cell_codes[{i}]"), m);
        } else if cells[..i].contains(code) {
            errors.push(format!("cell_codes[{i}]"), "is listed twice");
        }
    }
}

/// `POST /teams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub kind: TeamKind,
    /// A town (9 digits) or community (12 digits) in the caller's scope.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{9}(\d{3})?$"))]
    pub region_code: String,
    /// A member, or a worker or supervisor whose scope holds the region (a new team has no
    /// members yet, so a volunteer becomes leader through `PATCH` once it is one).
    #[serde(default)]
    pub leader_id: Option<Uuid>,
    /// The team's zone: live cells under its region.
    #[serde(default)]
    pub cell_codes: Vec<String>,
}

impl NewTeam {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, 100);
        validate_team_region(&mut e, "region_code", &self.region_code);
        validate_zone(&mut e, &self.cell_codes);
        e.into_result()
    }
}

/// Reads a field that may be absent (`None`), `null` (`Some(None)`) or a value.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// `PATCH /teams/{id}`: what is given changes; `leader_id: null` leaves the team without
/// a leader.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub leader_id: Option<Option<Uuid>>,
    #[serde(default)]
    pub cell_codes: Option<Vec<String>>,
    #[serde(default)]
    pub active: Option<bool>,
}

impl TeamPatch {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.version < 1 {
            e.push("version", "must be at least 1");
        }
        if let Some(name) = &self.name {
            validate::name(&mut e, "name", name, 100);
        }
        if let Some(cells) = &self.cell_codes {
            validate_zone(&mut e, cells);
        }
        e.into_result()
    }
}

/// `PUT /teams/{id}/members`: the whole set of members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamMembers {
    pub user_ids: Vec<Uuid>,
}

impl TeamMembers {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.user_ids.len() > MAX_MEMBERS {
            e.push(
                "user_ids",
                format!("a team has at most {MAX_MEMBERS} members"),
            );
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: Uuid,
    pub name: String,
    pub kind: TeamKind,
    pub region_code: String,
    pub leader_id: Option<Uuid>,
    /// The zone, by code.
    pub cell_codes: Vec<String>,
    pub member_count: i64,
    /// The sum of the current members' points.
    pub points: i64,
    pub active: bool,
    pub version: i64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub updated_at: DateTime<Utc>,
}

/// A member and its points (all of its records, whatever team it was in then).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub user_id: Uuid,
    pub display_name: String,
    #[serde(with = "crate::utc")]
    pub joined_at: DateTime<Utc>,
    pub points: i64,
    /// Its reports that reached `accepted` and were not merged as duplicates.
    #[serde(default)]
    pub accepted_reports: i64,
    /// Whole hours of the patrols it took part in, each rounded down.
    #[serde(default)]
    pub patrol_hours: i64,
}

/// `GET /teams/{id}`: the team with its members, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamDetail {
    #[serde(flatten)]
    pub team: Team,
    pub members: Vec<TeamMember>,
}

/// `POST /patrols`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPatrol {
    pub id: Uuid,
    pub team_id: Uuid,
    #[serde(with = "crate::utc")]
    pub started_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub ended_at: DateTime<Utc>,
    /// Members of the team who took part (at least one).
    pub member_ids: Vec<Uuid>,
    /// A GeoJSON LineString of the GPS fixes, kept only when the members agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub route: Option<Value>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
}

impl NewPatrol {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.ended_at <= self.started_at {
            e.push("ended_at", "must be after started_at");
        } else if self.ended_at - self.started_at > Duration::hours(MAX_PATROL_HOURS) {
            e.push(
                "ended_at",
                format!("a patrol lasts at most {MAX_PATROL_HOURS} hours"),
            );
        }
        if self.ended_at > now + Duration::minutes(FUTURE_LEEWAY_MINUTES) {
            e.push("ended_at", "is in the future");
        }
        if self.member_ids.is_empty() {
            e.push("member_ids", "name at least one member who took part");
        } else if self.member_ids.len() > MAX_MEMBERS {
            e.push("member_ids", format!("at most {MAX_MEMBERS} members"));
        }
        for (i, id) in self.member_ids.iter().enumerate() {
            if self.member_ids[..i].contains(id) {
                e.push(format!("member_ids[{i}]"), "is listed twice");
            }
        }
        if let Some(route) = &self.route {
            validate_route(&mut e, "route", route);
        }
        if self.note.chars().count() > 2000 {
            e.push("note", "must have at most 2000 characters");
        } else if self
            .note
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            e.push("note", "must not contain control characters");
        }
        e.into_result()
    }

    /// The patrol's length in whole seconds.
    pub fn duration_s(&self) -> i64 {
        (self.ended_at - self.started_at).num_seconds()
    }
}

/// A patrol's route: a GeoJSON LineString of 2 to [`MAX_ROUTE_POINTS`] positions, each
/// `[lon, lat]` (an altitude may follow) with finite numbers in WGS84's ranges.
pub fn validate_route(errors: &mut FieldErrors, field: &str, route: &Value) {
    let Some(obj) = route.as_object() else {
        errors.push(field, "must be a GeoJSON LineString");
        return;
    };
    if obj.get("type").and_then(Value::as_str) != Some("LineString") {
        errors.push(format!("{field}.type"), "must be LineString");
    }
    if let Some(other) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "type" | "coordinates" | "bbox"))
    {
        errors.push(
            format!("{field}.{other}"),
            "is not a member of a LineString",
        );
    }
    let Some(points) = obj.get("coordinates").and_then(Value::as_array) else {
        errors.push(
            format!("{field}.coordinates"),
            "must be an array of positions",
        );
        return;
    };
    if points.len() < 2 || points.len() > MAX_ROUTE_POINTS {
        errors.push(
            format!("{field}.coordinates"),
            format!("must hold 2 to {MAX_ROUTE_POINTS} positions"),
        );
        return;
    }
    let mut bad = 0;
    for (i, p) in points.iter().enumerate() {
        let nums: Option<Vec<f64>> = p
            .as_array()
            .filter(|a| (2..=3).contains(&a.len()))
            .and_then(|a| a.iter().map(Value::as_f64).collect());
        let ok = nums.is_some_and(|n| {
            n.iter().all(|v| v.is_finite())
                && (-180.0..=180.0).contains(&n[0])
                && (-90.0..=90.0).contains(&n[1])
        });
        if !ok {
            bad += 1;
            // Name the first few; a broken route of thousands of fixes needs no more.
            if bad <= 10 {
                errors.push(
                    format!("{field}.coordinates[{i}]"),
                    "must be [lon, lat] with a longitude between -180 and 180 and a latitude between -90 and 90",
                );
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Patrol {
    pub id: Uuid,
    pub team_id: Uuid,
    #[serde(with = "crate::utc")]
    pub started_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub ended_at: DateTime<Utc>,
    pub member_ids: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub route: Option<Value>,
    pub note: String,
    /// Its length in hours, one decimal.
    pub hours: f64,
    /// The points each member who took part earns for it.
    pub points_each: i64,
    pub recorded_by: Uuid,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
}

/// One team's figures in `GET /stats/teams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamStats {
    pub team_id: Uuid,
    pub name: String,
    pub kind: TeamKind,
    pub region_code: String,
    /// Current members.
    pub members: i64,
    /// Reports of the current members created in the window.
    pub reports: i64,
    /// Of them, those that reached `accepted` and were not merged as duplicates.
    pub reports_accepted: i64,
    /// The team's patrols that started in the window.
    pub patrols: i64,
    /// The sum of those patrols' lengths in hours (not per member), one decimal.
    pub patrol_hours: f64,
    /// The points rule over the current members' records in the window.
    pub points: i64,
}

/// Hours with one decimal, from seconds.
pub fn hours_1dp(seconds: i64) -> f64 {
    (seconds as f64 / 360.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patrol(start: DateTime<Utc>, end: DateTime<Utc>) -> NewPatrol {
        NewPatrol {
            id: Uuid::nil(),
            team_id: Uuid::nil(),
            started_at: start,
            ended_at: end,
            member_ids: vec![Uuid::nil()],
            route: None,
            note: String::new(),
        }
    }

    #[test]
    fn points_count_whole_hours_per_patrol() {
        assert_eq!(patrol_points(3599), 0);
        assert_eq!(patrol_points(3600), 2);
        assert_eq!(patrol_points(3 * 3600 - 1), 4);
        // Two patrols of 1 h 59 min earn 2 + 2, not 2 × 1 h 59 min rounded down = 6.
        assert_eq!(member_points(1, &[7140, 7140]), 10 + 2 + 2);
        assert_eq!(hours_1dp(5400), 1.5);
        assert_eq!(hours_1dp(7140 * 2), 4.0);
    }

    #[test]
    fn patrol_times_are_checked() {
        let now = Utc::now();
        let ok = patrol(now - Duration::hours(2), now);
        assert!(ok.validate(now).is_ok());
        assert!(patrol(now, now).validate(now).is_err());
        assert!(
            patrol(now, now - Duration::minutes(1))
                .validate(now)
                .is_err()
        );
        let long = patrol(now - Duration::hours(24) - Duration::seconds(1), now);
        assert!(long.validate(now).is_err());
        let day = patrol(now - Duration::hours(24), now);
        assert!(day.validate(now).is_ok());
        let soon = patrol(now - Duration::hours(1), now + Duration::minutes(5));
        assert!(soon.validate(now).is_ok(), "five minutes of leeway");
        let later = patrol(now - Duration::hours(1), now + Duration::minutes(6));
        assert!(later.validate(now).is_err());
    }

    #[test]
    fn routes_are_checked() {
        let check = |v: Value| {
            let mut e = FieldErrors::new();
            validate_route(&mut e, "route", &v);
            e.0.into_iter().map(|f| f.field).collect::<Vec<_>>()
        };
        assert!(
            check(
                json!({"type": "LineString", "coordinates": [[106.0, 29.0], [106.1, 29.1, 300.0]]})
            )
            .is_empty()
        );
        assert_eq!(
            check(json!({"type": "Point", "coordinates": [106.0, 29.0]})),
            ["route.type", "route.coordinates[0]", "route.coordinates[1]"]
        );
        assert_eq!(
            check(json!({"type": "LineString", "coordinates": [[106.0, 29.0]]})),
            ["route.coordinates"]
        );
        assert_eq!(
            check(
                json!({"type": "LineString", "coordinates": [[106.0, 29.0], [200.0, 29.0], [106.0, "x"], [106.0]]})
            ),
            [
                "route.coordinates[1]",
                "route.coordinates[2]",
                "route.coordinates[3]"
            ]
        );
        assert_eq!(check(json!([1, 2])), ["route"]);
        assert_eq!(
            check(json!({"type": "LineString", "coordinates": [[0, 0], [1, 1]], "properties": {}})),
            ["route.properties"]
        );
        let many: Vec<Value> = (0..=MAX_ROUTE_POINTS)
            .map(|_| json!([106.0, 29.0]))
            .collect();
        assert_eq!(
            check(json!({"type": "LineString", "coordinates": many})),
            ["route.coordinates"]
        );
    }

    #[test]
    fn team_regions_are_towns_or_communities() {
        let check = |code: &str| {
            let mut e = FieldErrors::new();
            validate_team_region(&mut e, "region_code", code);
            e.is_empty()
        };
        assert!(check("500117001"));
        assert!(check("500117001001"));
        assert!(!check("500117"));
        assert!(!check("500117001001001"));
        assert!(!check("50011700x"));
    }

    #[test]
    fn a_patch_tells_a_null_leader_from_none() {
        let p: TeamPatch =
            serde_json::from_value(json!({"version": 1, "leader_id": null})).unwrap();
        assert_eq!(p.leader_id, Some(None));
        let p: TeamPatch = serde_json::from_value(json!({"version": 1})).unwrap();
        assert_eq!(p.leader_id, None);
    }
}
