//! Stored geometry (GeoJSON text) ↔ `geo` shapes, and cells as GeoJSON features.

use geo::MultiPolygon;
use gridwork_shared::FieldErrors;
use gridwork_shared::geometry::{area_to_geojson, parse_area};
use serde_json::{Value, json};

use crate::db::models::CellRow;
use crate::db::to_utc;

pub fn shape_from_text(text: &str) -> Option<MultiPolygon<f64>> {
    let v: Value = serde_json::from_str(text).ok()?;
    let mut errors = FieldErrors::new();
    parse_area(&v, "geometry", &mut errors)
}

pub fn shape_to_text(shape: &MultiPolygon<f64>) -> String {
    area_to_geojson(shape).to_string()
}

/// A cell as a GeoJSON Feature with `{code, name, community_code, valid_from, valid_to}`.
pub fn cell_feature(row: &CellRow) -> Value {
    let geometry: Value = serde_json::from_str(&row.geometry).unwrap_or(Value::Null);
    json!({
        "type": "Feature",
        "id": row.code,
        "geometry": geometry,
        "properties": {
            "code": row.code,
            "name": row.name,
            "community_code": row.community_code,
            "valid_from": crate::time::fmt(to_utc(row.valid_from)),
            "valid_to": row.valid_to.map(|t| crate::time::fmt(to_utc(t))),
        }
    })
}

pub fn feature_collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}
