//! The in-memory spatial index of the live grid, shared by all requests of a process.
//!
//! **Consistency across processes.** Every change to the live grid bumps `grid_state.version`
//! in the same transaction. Before answering from the index, a request reads that one-row
//! version (a primary-key lookup) and, when it differs from the version the index was built
//! at, rebuilds the index from the database. So several server processes sharing one
//! PostgreSQL database never answer from a stale grid after an import has committed.

use std::sync::{Arc, Mutex, RwLock};

use diesel::QueryResult;
use gridwork_shared::geometry::{GridIndex, IndexedCell};

use crate::db::{self, DbConn};

pub struct LoadedGrid {
    pub version: i64,
    pub index: GridIndex,
}

pub struct GridCache {
    current: RwLock<Arc<LoadedGrid>>,
    reload: Mutex<()>,
}

impl Default for GridCache {
    fn default() -> Self {
        GridCache {
            current: RwLock::new(Arc::new(LoadedGrid {
                version: -1,
                index: GridIndex::default(),
            })),
            reload: Mutex::new(()),
        }
    }
}

/// Builds an index from stored cells; a row whose geometry fails to parse is skipped and logged.
pub fn build_index(rows: Vec<db::models::CellRow>) -> GridIndex {
    let cells = rows
        .into_iter()
        .filter_map(|r| match crate::geo_json::shape_from_text(&r.geometry) {
            Some(shape) => Some(IndexedCell::new(r.code, r.name, r.community_code, shape)),
            None => {
                tracing::error!(code = %r.code, "stored cell geometry does not parse");
                None
            }
        })
        .collect();
    GridIndex::new(cells)
}

impl GridCache {
    /// The index as of the database's current grid version.
    pub fn current(&self, c: &mut DbConn) -> QueryResult<Arc<LoadedGrid>> {
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
        let (version, rows) = c.transaction(|c| {
            let v = db::cells::grid_version(c)?;
            Ok::<_, diesel::result::Error>((v, db::cells::live_all(c)?))
        })?;
        let loaded = Arc::new(LoadedGrid {
            version,
            index: build_index(rows),
        });
        tracing::info!(version, cells = loaded.index.len(), "grid index rebuilt");
        *self.current.write().expect("grid lock poisoned") = loaded.clone();
        Ok(loaded)
    }
}

use diesel::Connection as _;
