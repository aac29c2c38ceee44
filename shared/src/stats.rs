//! Wire types of the supervisor's map (`GET /map/cells`) and the assessment figures
//! (`GET /stats`, `GET /stats/workers`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::FeatureCollection;

/// Safety units of a cell by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitCounts {
    pub safe: i64,
    pub hazard: i64,
    pub overdue: i64,
    pub unknown: i64,
}

/// A cell's colour on the map: red when any incident, visit or hazard is overdue, yellow
/// when any incident or hazard is open, green otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MapColor {
    Red,
    Yellow,
    Green,
}

impl MapColor {
    pub fn of(
        open_incidents: i64,
        overdue_incidents: i64,
        overdue_visits: i64,
        units: &UnitCounts,
    ) -> MapColor {
        if overdue_incidents > 0 || overdue_visits > 0 || units.overdue > 0 {
            MapColor::Red
        } else if open_incidents > 0 || units.hazard > 0 {
            MapColor::Yellow
        } else {
            MapColor::Green
        }
    }
}

/// A cell's figures on the map; `S` is `String` when read and `&str` when the server
/// writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapCellProperties<S = String> {
    pub code: S,
    pub name: S,
    pub community_code: S,
    pub open_incidents: i64,
    pub overdue_incidents: i64,
    pub overdue_visits: i64,
    pub color: MapColor,
    pub units: UnitCounts,
}

/// `GET /map/cells` as the client reads it.
pub type MapCells = FeatureCollection<MapCellProperties>;

/// The figures of one region (or cell).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatFigures {
    pub filed: i64,
    pub closed: i64,
    /// Closed at or before `due_at` ÷ closed; null when nothing was closed.
    pub closed_on_time_rate: Option<f64>,
    /// Sent to rework at least once ÷ verified; null when nothing was verified.
    pub rework_rate: Option<f64>,
    /// Visit periods that came due in the range: answered by a met visit, or missed.
    pub visits_due: i64,
    pub visits_on_time_rate: Option<f64>,
    pub inspections: i64,
    /// Hazards open at the end of the range.
    pub hazards_open: i64,
    /// The counts behind the rates (not on the wire).
    #[serde(skip)]
    pub closed_on_time: i64,
    #[serde(skip)]
    pub verified: i64,
    #[serde(skip)]
    pub reworked: i64,
    #[serde(skip)]
    pub visits_on_time: i64,
}

impl StatFigures {
    /// Works out the rates from the counts.
    pub fn finish(mut self) -> Self {
        let rate = |a: i64, b: i64| (b > 0).then(|| a as f64 / b as f64);
        self.closed_on_time_rate = rate(self.closed_on_time, self.closed);
        self.rework_rate = rate(self.reworked, self.verified);
        self.visits_on_time_rate = rate(self.visits_on_time, self.visits_due);
        self
    }

    /// Adds another region's counts (rates are worked out again by [`Self::finish`]).
    pub fn add(&mut self, o: &StatFigures) {
        self.filed += o.filed;
        self.closed += o.closed;
        self.closed_on_time += o.closed_on_time;
        self.verified += o.verified;
        self.reworked += o.reworked;
        self.visits_due += o.visits_due;
        self.visits_on_time += o.visits_on_time;
        self.inspections += o.inspections;
        self.hazards_open += o.hazards_open;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatRow {
    pub region_code: String,
    pub name: String,
    #[serde(flatten)]
    pub figures: StatFigures,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub region_code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub overall: StatFigures,
    pub children: Vec<StatRow>,
}

/// One worker's figures over a range (`GET /stats/workers`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerFigures {
    pub worker_id: String,
    pub username: String,
    pub display_name: String,
    pub region_code: String,
    /// Incidents it reported.
    pub filed: i64,
    /// Incidents it resolved that were closed in the range.
    pub closed: i64,
    pub visits: i64,
    /// Its met visits that answered a due period ending in the range, and of them on time.
    pub visits_due_answered: i64,
    pub visits_on_time: i64,
    pub inspections: i64,
}
