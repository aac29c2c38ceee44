//! The offline queue and the local copy of the caller's data, both in IndexedDB.
//!
//! Every write goes to the `ops` store first and is pushed through `/sync/push` when the
//! server answers; ops leave the queue only once the server has applied them (or said they
//! were applied before). `/sync/pull` keeps the `records` store fresh.

use crate::logic::{PhotoOwner, photo_key, photo_upload_path};
use std::cell::RefCell;

use gridwork_shared::geometry::{GridIndex, IndexedCell};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde_json::{Value, json};
use wasm_bindgen::JsValue;

use super::api::{self, ApiError};
use super::store;

const DB: &str = "gridwork";
const OPS: &str = "ops";
const RECORDS: &str = "records";
const PHOTOS: &str = "photos";

thread_local! {
    static SEQ: RefCell<u64> = const { RefCell::new(0) };
}

async fn db() -> Result<Rexie, String> {
    Rexie::builder(DB)
        .version(2)
        .add_object_store(ObjectStore::new(OPS))
        .add_object_store(ObjectStore::new(RECORDS))
        .add_object_store(ObjectStore::new(PHOTOS))
        .build()
        .await
        .map_err(|e| format!("IndexedDB: {e:?}"))
}

fn err(e: rexie::Error) -> String {
    format!("IndexedDB: {e:?}")
}

/// Queues an operation `{op_id, type, body}`.
pub async fn enqueue(kind: &str, body: Value) -> Result<(), String> {
    let op = json!({"op_id": uuid::Uuid::new_v4(), "type": kind, "body": body});
    // Keys sort in the order operations were made.
    let n = SEQ.with(|s| {
        let mut s = s.borrow_mut();
        *s += 1;
        *s
    });
    let key = format!("{:016}-{:06}", js_sys::Date::now() as u64, n);
    let db = db().await?;
    let tx = db
        .transaction(&[OPS], TransactionMode::ReadWrite)
        .map_err(err)?;
    tx.store(OPS)
        .map_err(err)?
        .put(
            &JsValue::from_str(&op.to_string()),
            Some(&JsValue::from_str(&key)),
        )
        .await
        .map_err(err)?;
    tx.done().await.map_err(err)?;
    Ok(())
}

async fn pending_ops() -> Result<Vec<(JsValue, Value)>, String> {
    let db = db().await?;
    let tx = db
        .transaction(&[OPS], TransactionMode::ReadOnly)
        .map_err(err)?;
    let store = tx.store(OPS).map_err(err)?;
    let keys = store.get_all_keys(None, Some(200)).await.map_err(err)?;
    let values = store.get_all(None, Some(200)).await.map_err(err)?;
    Ok(keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| Some((k, serde_json::from_str(&v.as_string()?).ok()?)))
        .collect())
}

pub async fn pending_count() -> u32 {
    async fn count() -> Result<u32, String> {
        let db = db().await?;
        let tx = db
            .transaction(&[OPS], TransactionMode::ReadOnly)
            .map_err(err)?;
        tx.store(OPS).map_err(err)?.count(None).await.map_err(err)
    }
    count().await.unwrap_or(0)
}

/// Queues a photo of an incident, visit or inspection; it is uploaded once its record's
/// create has applied.
pub async fn enqueue_photo(owner: PhotoOwner, owner_id: &str, jpeg: Vec<u8>) -> Result<(), String> {
    let key = photo_key(owner, owner_id, &uuid::Uuid::new_v4().to_string());
    let db = db().await?;
    let tx = db
        .transaction(&[PHOTOS], TransactionMode::ReadWrite)
        .map_err(err)?;
    let bytes = js_sys::Uint8Array::from(jpeg.as_slice());
    tx.store(PHOTOS)
        .map_err(err)?
        .put(&bytes, Some(&JsValue::from_str(&key)))
        .await
        .map_err(err)?;
    tx.done().await.map_err(err)?;
    Ok(())
}

/// Uploads queued photos whose record the server has; keeps the others for later.
async fn upload_photos() -> Result<(), ApiError> {
    let db = db().await.map_err(|_| ApiError::Offline)?;
    let tx = db
        .transaction(&[PHOTOS], TransactionMode::ReadOnly)
        .map_err(|_| ApiError::Offline)?;
    let store = tx.store(PHOTOS).map_err(|_| ApiError::Offline)?;
    let keys = store
        .get_all_keys(None, Some(20))
        .await
        .map_err(|_| ApiError::Offline)?;
    let values = store
        .get_all(None, Some(20))
        .await
        .map_err(|_| ApiError::Offline)?;
    drop(tx);
    for (key, value) in keys.into_iter().zip(values) {
        let Some(path) = key.as_string().as_deref().and_then(photo_upload_path) else {
            continue;
        };
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        match api::post_bytes(&path, "image/jpeg", &bytes).await {
            Ok(_) => {}
            // Not there yet (its create is still queued or was refused): try again later.
            Err(ApiError::Problem(p)) if p.status == 404 => continue,
            Err(ApiError::Problem(_)) => {}
            Err(e) => return Err(e),
        }
        let tx = db
            .transaction(&[PHOTOS], TransactionMode::ReadWrite)
            .map_err(|_| ApiError::Offline)?;
        if let Ok(s) = tx.store(PHOTOS) {
            let _ = s.delete(key).await;
        }
        let _ = tx.done().await;
    }
    Ok(())
}

/// What a flush did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Flushed {
    pub applied: usize,
    pub rejected: Vec<String>,
    pub conflicts: usize,
}

/// Pushes queued operations in order; removes those the server has applied.
pub async fn flush() -> Result<Flushed, ApiError> {
    let ops = pending_ops().await.map_err(|_| ApiError::Offline)?;
    let mut out = Flushed::default();
    if ops.is_empty() {
        upload_photos().await?;
        return Ok(out);
    }
    let body = json!({"ops": ops.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()});
    let res: Value = api::post("/api/v1/sync/push", &body).await?;
    let db = db().await.map_err(|_| ApiError::Offline)?;
    let tx = db
        .transaction(&[OPS], TransactionMode::ReadWrite)
        .map_err(|_| ApiError::Offline)?;
    let store = tx.store(OPS).map_err(|_| ApiError::Offline)?;
    for ((key, op), r) in ops
        .iter()
        .zip(res["results"].as_array().cloned().unwrap_or_default())
    {
        match r["status"].as_str() {
            Some("applied") | Some("duplicate") => {
                out.applied += 1;
                if r["conflict"] == true {
                    out.conflicts += 1;
                }
            }
            // An internal error on the server: keep the op and try again later.
            Some("rejected") if r["code"] == "internal_error" => continue,
            _ => out.rejected.push(format!(
                "{} — {}",
                op["body"]["title"]
                    .as_str()
                    .unwrap_or(op["type"].as_str().unwrap_or("")),
                r["detail"].as_str().unwrap_or("")
            )),
        }
        let _ = store.delete(key.clone()).await;
    }
    let _ = tx.done().await;
    upload_photos().await?;
    Ok(out)
}

async fn put_records(items: Vec<(String, Value)>, deleted: Vec<String>) -> Result<(), String> {
    let db = db().await?;
    let tx = db
        .transaction(&[RECORDS], TransactionMode::ReadWrite)
        .map_err(err)?;
    let store = tx.store(RECORDS).map_err(err)?;
    for (k, v) in items {
        store
            .put(
                &JsValue::from_str(&v.to_string()),
                Some(&JsValue::from_str(&k)),
            )
            .await
            .map_err(err)?;
    }
    for k in deleted {
        store.delete(JsValue::from_str(&k)).await.map_err(err)?;
    }
    tx.done().await.map_err(err)?;
    Ok(())
}

/// What one sync round did: the push, then the pull (how many records changed).
pub type SyncOutcome = (Result<Flushed, ApiError>, Result<usize, ApiError>);

/// One sync round: push the queue, then pull. Runs from its own chunk (`lazy::sync_round`),
/// fetched after the first screen is up.
pub async fn sync_round() -> SyncOutcome {
    let flushed = flush().await;
    if matches!(flushed, Err(ApiError::LoggedOut)) {
        return (flushed, Err(ApiError::LoggedOut));
    }
    (flushed, pull().await)
}

/// Pulls until the server has nothing more; returns how many records changed.
pub async fn pull() -> Result<usize, ApiError> {
    let mut changed = 0;
    loop {
        let path = match store::get("gridwork.cursor") {
            Some(c) => format!("/api/v1/sync/pull?cursor={c}"),
            None => "/api/v1/sync/pull".into(),
        };
        let page: Value = match api::get(&path).await {
            Err(ApiError::Problem(p)) if p.code == gridwork_shared::ErrorCode::ValidationFailed => {
                store::remove("gridwork.cursor");
                continue;
            }
            other => other?,
        };
        let mut items = Vec::new();
        for (kind, field) in [
            ("cell", "cells"),
            ("category", "categories"),
            ("incident", "incidents"),
            ("person", "persons"),
            ("unit", "units"),
        ] {
            for v in page[field].as_array().cloned().unwrap_or_default() {
                let id = if kind == "cell" {
                    v["properties"]["code"].as_str().map(str::to_string)
                } else if kind == "category" {
                    v["code"].as_str().map(str::to_string)
                } else {
                    v["id"].as_str().map(str::to_string)
                };
                if let Some(id) = id {
                    items.push((format!("{kind}:{id}"), v));
                }
            }
        }
        let deleted: Vec<String> = page["deleted"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|d| Some(format!("{}:{}", d["type"].as_str()?, d["id"].as_str()?)))
            .collect();
        changed += items.len() + deleted.len();
        put_records(items, deleted)
            .await
            .map_err(|_| ApiError::Offline)?;
        if let Some(c) = page["cursor"].as_str() {
            store::set("gridwork.cursor", c);
        }
        if page["has_more"] != true {
            return Ok(changed);
        }
    }
}

/// Every local record of a kind (`incident`, `person`, `unit`, `cell`, `category`).
pub async fn records(kind: &str) -> Vec<Value> {
    async fn all(kind: &str) -> Result<Vec<Value>, String> {
        let db = db().await?;
        let tx = db
            .transaction(&[RECORDS], TransactionMode::ReadOnly)
            .map_err(err)?;
        let store = tx.store(RECORDS).map_err(err)?;
        let range = rexie::KeyRange::bound(
            &JsValue::from_str(&format!("{kind}:")),
            &JsValue::from_str(&format!("{kind}:\u{ffff}")),
            Some(false),
            Some(false),
        )
        .map_err(|e| format!("IndexedDB: {e:?}"))?;
        let values = store.get_all(Some(range), None).await.map_err(err)?;
        Ok(values
            .into_iter()
            .filter_map(|v| serde_json::from_str(&v.as_string()?).ok())
            .collect())
    }
    all(kind).await.unwrap_or_default()
}

/// The synced grid as an index, so the device resolves cells with no signal.
pub async fn grid() -> GridIndex {
    let cells = records("cell").await;
    let mut indexed = Vec::new();
    for f in cells {
        let mut errors = gridwork_shared::FieldErrors::new();
        if let Some(shape) =
            gridwork_shared::geometry::parse_area_unchecked(&f["geometry"], "geometry", &mut errors)
        {
            let p = &f["properties"];
            indexed.push(IndexedCell::new(
                p["code"].as_str().unwrap_or_default().to_string(),
                p["name"].as_str().unwrap_or_default().to_string(),
                p["community_code"].as_str().unwrap_or_default().to_string(),
                shape,
            ));
        }
    }
    GridIndex::new(indexed)
}

/// Forgets the local copy (logout).
pub async fn clear() {
    if let Ok(db) = db().await
        && let Ok(tx) = db.transaction(&[RECORDS], TransactionMode::ReadWrite)
    {
        if let Ok(s) = tx.store(RECORDS) {
            let _ = s.clear().await;
        }
        let _ = tx.done().await;
    }
}
