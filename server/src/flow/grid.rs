//! The in-memory spatial index of the live grid, shared by all requests of a process.
//!
//! **Consistency across processes.** Every change to the live grid bumps `grid_state.version`
//! in the same transaction. Before answering from the index, a request reads that one-row
//! version (a primary-key lookup) and, when it differs from the version the index was built
//! at, rebuilds the index from the database. So several server processes sharing one
//! PostgreSQL database never answer from a stale grid after an import has committed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use gridwork_shared::geometry::{GridIndex, IndexedCell};
use serde_json::value::RawValue;

use crate::db::{self, DbConn};

pub struct LoadedGrid {
    pub version: i64,
    pub index: GridIndex,
    /// Map geometry per (simplification level, cell code), serialized GeoJSON; it belongs
    /// to this version of the grid, so an import starts it afresh.
    map_shapes: Mutex<HashMap<(i32, String), MapShape>>,
    /// Held while missing shapes are computed, so concurrent first views of a region
    /// compute them once instead of once per request.
    map_fill: Mutex<()>,
}

/// A cell's map geometry, serialized once.
pub type MapShape = Arc<Box<RawValue>>;

/// Entries kept in [`LoadedGrid::map_shapes`] before it starts over (a province at three
/// zoom levels fits).
const MAP_SHAPES_MAX: usize = 400_000;

impl LoadedGrid {
    fn new(version: i64, index: GridIndex) -> LoadedGrid {
        LoadedGrid {
            version,
            index,
            map_shapes: Mutex::default(),
            map_fill: Mutex::default(),
        }
    }

    /// The map geometry of these cells simplified at `level` (see [`simplification_level`]),
    /// from the cache or, for the cells missing there, from `load` (code, stored GeoJSON).
    pub fn map_shapes<E>(
        &self,
        level: Option<i32>,
        codes: &[&str],
        load: impl FnOnce(&[String]) -> Result<Vec<(String, String)>, E>,
    ) -> Result<HashMap<String, MapShape>, E> {
        let key = level.unwrap_or(i32::MIN);
        let mut out = HashMap::with_capacity(codes.len());
        let lookup = |out: &mut HashMap<String, MapShape>, codes: &[&str]| -> Vec<String> {
            let cache = self.map_shapes.lock().expect("map cache poisoned");
            let mut missing = Vec::new();
            for code in codes {
                match cache.get(&(key, (*code).to_string())) {
                    Some(s) => {
                        out.insert((*code).to_string(), s.clone());
                    }
                    None => missing.push((*code).to_string()),
                }
            }
            missing
        };
        if lookup(&mut out, codes).is_empty() {
            return Ok(out);
        }
        let _filling = self.map_fill.lock().expect("map fill lock poisoned");
        // Another request may have filled them while this one waited.
        let missing = lookup(&mut out, codes);
        if missing.is_empty() {
            return Ok(out);
        }
        let mut fresh = Vec::with_capacity(missing.len());
        for (code, text) in load(&missing)? {
            let text = match level {
                Some(level) => simplified(&text, 2f64.powi(level)).unwrap_or(text),
                None => text,
            };
            // Stored geometry is JSON; a row that is not is left off the map.
            match RawValue::from_string(text) {
                Ok(raw) => fresh.push((code, Arc::new(raw))),
                Err(e) => tracing::error!(%code, error = %e, "stored cell geometry is not JSON"),
            }
        }
        let mut cache = self.map_shapes.lock().expect("map cache poisoned");
        if cache.len() + fresh.len() > MAP_SHAPES_MAX {
            cache.clear();
        }
        for (code, shape) in fresh {
            cache.insert((key, code.clone()), shape.clone());
            out.insert(code, shape);
        }
        Ok(out)
    }
}

/// The simplification level for a view `width` degrees wide: tolerance about a thousandth
/// of the width, rounded down to a power of two so that nearby views share cached shapes.
/// `None`: no simplification.
pub fn simplification_level(width: f64) -> Option<i32> {
    let epsilon = width / 1000.0;
    (epsilon.is_finite() && epsilon > 0.0).then(|| epsilon.log2().floor() as i32)
}

/// Stored GeoJSON simplified with tolerance `epsilon` (Ramer–Douglas–Peucker), as text.
fn simplified(text: &str, epsilon: f64) -> Option<String> {
    use geo::Simplify;
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut errors = gridwork_shared::FieldErrors::new();
    // Stored shapes were validated on import; no need to check them again.
    let shape = gridwork_shared::geometry::parse_area_unchecked(&v, "geometry", &mut errors)?;
    Some(gridwork_shared::geometry::area_to_geojson(&shape.simplify(epsilon)).to_string())
}

pub struct GridCache {
    current: RwLock<Arc<LoadedGrid>>,
    reload: Mutex<()>,
}

impl Default for GridCache {
    fn default() -> Self {
        GridCache {
            current: RwLock::new(Arc::new(LoadedGrid::new(-1, GridIndex::default()))),
            reload: Mutex::new(()),
        }
    }
}

/// Builds an index from stored cells; a row whose geometry fails to parse is skipped and logged.
pub fn build_index(rows: Vec<db::models::CellRow>) -> GridIndex {
    let cells = rows
        .into_iter()
        .filter_map(
            |r| match crate::core::geo_json::shape_from_text(&r.geometry) {
                Some(shape) => Some(IndexedCell::new(r.code, r.name, r.community_code, shape)),
                None => {
                    tracing::error!(code = %r.code, "stored cell geometry does not parse");
                    None
                }
            },
        )
        .collect();
    GridIndex::new(cells)
}

impl GridCache {
    /// The index as of the database's current grid version.
    pub fn current(&self, c: &mut DbConn) -> db::Result<Arc<LoadedGrid>> {
        let version = db::cells::grid_version(c)?;
        {
            let cur = self.current.read().expect("grid lock poisoned");
            if cur.version == version {
                return Ok(cur.clone());
            }
        }
        let _guard = self.reload.lock().expect("grid reload lock poisoned");
        {
            let cur = self.current.read().expect("grid lock poisoned");
            if cur.version == version {
                return Ok(cur.clone());
            }
        }
        // Read the version and the cells in one snapshot so they agree.
        let (version, rows) = db::cells::grid_snapshot(c)?;
        let loaded = Arc::new(LoadedGrid::new(version, build_index(rows)));
        tracing::info!(version, cells = loaded.index.len(), "grid index rebuilt");
        *self.current.write().expect("grid lock poisoned") = loaded.clone();
        Ok(loaded)
    }
}
