//! Cell import: validate a whole GeoJSON FeatureCollection, then write it in one
//! transaction, or write nothing.
//!
//! A feature whose code names a live cell replaces it: the old version is retired
//! (`valid_to` = now) and kept; the new one is live from its `valid_from` (default: now).
//! A feature identical in name and geometry to the live cell is left alone. Cells absent
//! from the file stay as they are.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;
use geo::BoundingRect;
use gridwork_shared::FieldErrors;
use gridwork_shared::api::ImportResult;
use gridwork_shared::geometry::{
    CellFeature, GridIndex, IndexedCell, MAX_VERTICES_PER_IMPORT, interiors_overlap,
    parse_cell_feature,
};
use serde_json::Value;
use uuid::Uuid;

use crate::core::geo_json::{shape_from_text, shape_to_text};
use crate::db::models::CellRow;
use crate::db::{self, DbConn, audit, cells, regions};
use crate::flow::error::{Error, Result};

/// Progress callback: (stage, done, total).
pub type Progress<'a> = &'a dyn Fn(&str, u64, u64);

/// Who runs the import, for the audit log.
pub struct Actor<'a> {
    pub id: Option<&'a str>,
    pub ip: Option<&'a str>,
}

/// The features of a file that are valid on their own, with their index in the file,
/// and the problems found so far.
pub struct Parsed {
    pub features: Vec<(usize, CellFeature)>,
    pub errors: FieldErrors,
}

/// Checks each feature on its own (no database). Errors name `features[N]`.
/// Positions (`[lon, lat]` arrays) in a GeoJSON coordinates value, counted without
/// building anything.
fn count_positions(v: &Value) -> usize {
    match v.as_array() {
        Some(items) if items.first().is_some_and(Value::is_number) => 1,
        Some(items) => items.iter().map(count_positions).sum(),
        None => 0,
    }
}

pub fn parse_collection(doc: &Value, progress: Progress) -> Parsed {
    let mut errors = FieldErrors::new();
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        errors.push("type", "must be \"FeatureCollection\"");
    }
    let Some(features) = doc.get("features").and_then(Value::as_array) else {
        errors.push("features", "must be an array of features");
        return Parsed {
            features: Vec::new(),
            errors,
        };
    };
    if features.is_empty() {
        errors.push("features", "the collection has no features");
    }
    let total = features.len() as u64;
    let vertices: usize = features
        .iter()
        .map(|f| count_positions(&f["geometry"]["coordinates"]))
        .sum();
    if vertices > MAX_VERTICES_PER_IMPORT {
        errors.push(
            "features",
            format!(
                "the file has {vertices} vertices; one import may have at most \
                 {MAX_VERTICES_PER_IMPORT} (import it in parts)"
            ),
        );
        return Parsed {
            features: Vec::new(),
            errors,
        };
    }
    let mut parsed = Vec::with_capacity(features.len());
    let mut first_index: HashMap<String, usize> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        if let Some(cell) = parse_cell_feature(i, f, &mut errors) {
            if let Some(j) = first_index.get(&cell.code) {
                errors.push(
                    format!("features[{i}].properties.code"),
                    format!("code {} already appears in features[{j}]", cell.code),
                );
            } else {
                first_index.insert(cell.code.clone(), i);
            }
            parsed.push((i, cell));
        }
        if i % 256 == 0 || i + 1 == features.len() {
            progress("validating", i as u64 + 1, total);
        }
    }
    Parsed {
        features: parsed,
        errors,
    }
}

/// Orders errors by feature index (then as found), so a long report reads top to bottom.
fn sort_by_feature(errors: &mut FieldErrors) {
    let index = |field: &str| -> usize {
        field
            .strip_prefix("features[")
            .and_then(|r| r.split(']').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    errors.0.sort_by_key(|e| index(&e.field));
}

fn row_for(f: &CellFeature, now: NaiveDateTime) -> CellRow {
    let r = f
        .shape
        .bounding_rect()
        .expect("a valid polygon has a bounding box");
    CellRow {
        id: Uuid::now_v7().to_string(),
        code: f.code.clone(),
        name: f.name.clone(),
        community_code: f.community_code.clone(),
        geometry: shape_to_text(&f.shape),
        min_lon: r.min().x,
        min_lat: r.min().y,
        max_lon: r.max().x,
        max_lat: r.max().y,
        valid_from: f.valid_from.map(crate::core::time::to_db).unwrap_or(now),
        valid_to: None,
        created_at: now,
    }
}

/// Validates the features against the grid and writes them, all or nothing. Problems
/// found by [`parse_collection`] are reported together with the grid's.
pub fn apply(
    c: &mut DbConn,
    parsed: Parsed,
    actor: Actor<'_>,
    progress: Progress,
) -> Result<ImportResult> {
    let Parsed {
        features: indexed,
        mut errors,
    } = parsed;
    let (positions, features): (Vec<usize>, Vec<CellFeature>) = indexed.into_iter().unzip();
    db::write_tx(c, |c| {
        cells::lock_grid(c)?;
        let communities: Vec<String> = features
            .iter()
            .map(|f| f.community_code.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let live = cells::live_in_communities(c, &communities)?;
        let live_by_code: HashMap<&str, &CellRow> =
            live.iter().map(|r| (r.code.as_str(), r)).collect();
        let known: BTreeSet<String> = regions::existing_communities(c, &communities)?
            .into_iter()
            .collect();
        check_communities(&features, &positions, &known, &mut errors);
        check_overlaps(&features, &positions, &live, progress, &mut errors);
        if !errors.is_empty() {
            sort_by_feature(&mut errors);
            return Err(Error::validation(std::mem::take(&mut errors)));
        }
        let result = write(c, &features, &live_by_code, progress)?;
        audit::append(
            c,
            db::now(),
            audit::Entry {
                actor_id: actor.id,
                action: "cells_import",
                entity_type: "cells",
                entity_id: &format!("created={},updated={}", result.created, result.updated),
                outcome: "success",
                ip: actor.ip,
                detail: None,
            },
        )?;
        Ok(result)
    })
}

/// Every feature's community must exist.
fn check_communities(
    features: &[CellFeature],
    positions: &[usize],
    known: &BTreeSet<String>,
    errors: &mut FieldErrors,
) {
    for (k, f) in features.iter().enumerate() {
        if !known.contains(&f.community_code) {
            errors.push(
                format!("features[{}].properties.code", positions[k]),
                format!(
                    "community {} does not exist; create the region first",
                    f.community_code
                ),
            );
        }
    }
}

/// Overlap: against live cells of the same community that this file does not replace,
/// and between the file's own features.
fn check_overlaps(
    features: &[CellFeature],
    positions: &[usize],
    live: &[CellRow],
    progress: Progress,
    errors: &mut FieldErrors,
) {
    let importing: BTreeSet<&str> = features.iter().map(|f| f.code.as_str()).collect();
    let others = GridIndex::new(
        live.iter()
            .filter(|r| !importing.contains(r.code.as_str()))
            .filter_map(|r| {
                shape_from_text(&r.geometry).map(|s| {
                    IndexedCell::new(r.code.clone(), r.name.clone(), r.community_code.clone(), s)
                })
            })
            .collect(),
    );
    let incoming = GridIndex::new(
        features
            .iter()
            .enumerate()
            .map(|(k, f)| {
                // Keyed by the feature's index in the file.
                IndexedCell::new(
                    positions[k].to_string(),
                    f.code.clone(),
                    f.community_code.clone(),
                    f.shape.clone(),
                )
            })
            .collect(),
    );
    let total = features.len() as u64;
    for (k, f) in features.iter().enumerate() {
        let i = positions[k];
        for hit in others
            .overlapping(&f.shape)
            .filter(|h| h.community_code == f.community_code)
        {
            errors.push(
                format!("features[{i}].geometry"),
                format!("overlaps live cell {} of the same community", hit.code),
            );
        }
        for hit in incoming.overlapping(&f.shape) {
            let j: usize = hit.code.parse().expect("index key");
            if j != i
                && hit.community_code == f.community_code
                && interiors_overlap(&hit.shape, &f.shape)
            {
                errors.push(
                    format!("features[{i}].geometry"),
                    format!(
                        "overlaps features[{j}] ({}) of the same community",
                        hit.name
                    ),
                );
            }
        }
        if k % 256 == 0 || k + 1 == features.len() {
            progress("checking overlaps", k as u64 + 1, total);
        }
    }
}

/// Writes the new and changed cells (a changed cell is retired and inserted anew; an
/// unchanged one is left alone) and bumps the grid version when anything changed.
fn write(
    c: &mut DbConn,
    features: &[CellFeature],
    live_by_code: &HashMap<&str, &CellRow>,
    progress: Progress,
) -> Result<ImportResult> {
    let now = db::now();
    let mut result = ImportResult {
        created: 0,
        updated: 0,
    };
    let mut replaced = Vec::new();
    let mut rows = Vec::new();
    for f in features {
        match live_by_code.get(f.code.as_str()) {
            Some(old) if unchanged(old, f) => continue,
            Some(_) => {
                replaced.push(f.code.clone());
                result.updated += 1;
            }
            None => result.created += 1,
        }
        rows.push(row_for(f, now));
    }
    cells::retire(c, &replaced, now)?;
    for (n, chunk) in rows.chunks(256).enumerate() {
        cells::insert(c, chunk)?;
        progress(
            "writing",
            ((n * 256) + chunk.len()) as u64,
            rows.len() as u64,
        );
    }
    if !rows.is_empty() {
        cells::bump_grid_version(c)?;
    }
    Ok(result)
}

/// A live cell the file gives again with the same shape, name and start.
fn unchanged(old: &CellRow, f: &CellFeature) -> bool {
    shape_from_text(&old.geometry).is_some_and(|s| s == f.shape)
        && old.name == f.name
        && f.valid_from
            .is_none_or(|t| crate::core::time::to_db(t) == old.valid_from)
}

#[cfg(test)]
mod tests {
    #[test]
    fn positions_are_counted_at_any_depth() {
        let polygon = serde_json::json!([[[0, 0], [1, 0], [1, 1], [0, 0]]]);
        assert_eq!(super::count_positions(&polygon), 4);
        let multi = serde_json::json!([[[[0, 0], [1, 0], [0, 0]]], [[[2, 2], [3, 2], [2, 2]]]]);
        assert_eq!(super::count_positions(&multi), 6);
        assert_eq!(super::count_positions(&serde_json::Value::Null), 0);
    }
}
