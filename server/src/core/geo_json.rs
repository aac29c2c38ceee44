//! Stored geometry (GeoJSON text) ↔ `geo` shapes.

use geo::MultiPolygon;
use gridwork_shared::FieldErrors;
use gridwork_shared::geometry::{area_to_geojson, parse_area};
use serde_json::Value;

pub fn shape_from_text(text: &str) -> Option<MultiPolygon<f64>> {
    let v: Value = serde_json::from_str(text).ok()?;
    let mut errors = FieldErrors::new();
    parse_area(&v, "geometry", &mut errors)
}

pub fn shape_to_text(shape: &MultiPolygon<f64>) -> String {
    area_to_geojson(shape).to_string()
}
