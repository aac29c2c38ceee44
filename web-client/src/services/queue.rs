//! The offline queue and the local copy of the caller's data, both in IndexedDB.
//!
//! Every write goes to the `ops` store first, as a typed `Operation`, and is pushed through
//! `/sync/push` when the server answers; ops leave the queue only once the server has
//! applied them (or said they were applied before). `/sync/pull` keeps the `records` store
//! fresh: each record as its wire type's JSON, read back as that type (`records`).

use crate::logic::{PhotoOwner, photo_key, photo_upload_path};
use std::cell::RefCell;

use gridwork_shared::FieldError;
use gridwork_shared::api::Cell;
use gridwork_shared::geometry::{GridIndex, IndexedCell};
use gridwork_shared::incident::{Category, Incident};
use gridwork_shared::notification::{MarkRead, Notification};
use gridwork_shared::person::PersonItem;
use gridwork_shared::responsibility::Task;
use gridwork_shared::safety::Unit;
use gridwork_shared::sync::{Op, OpStatus, Operation, PullResponse, PushRequest, PushResponse};
use gridwork_shared::team::TeamDetail;
use gridwork_shared::{deliberation::Deliberation, selection::Campaign};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use super::api::{self, ApiError};
use super::store;

/// The database of the phone before stores were kept per user: its queue is moved to the
/// user signed in at the first start of this version, and it is then deleted.
const LEGACY_DB: &str = "gridwork";
const OPS: &str = "ops";
const RECORDS: &str = "records";
const PHOTOS: &str = "photos";
/// Operations the server refused, with why, until fixed and sent again or discarded.
const REFUSED: &str = "refused";
/// Who has a database on this phone: `{user id: display name}` (localStorage).
const OWNERS: &str = "gridwork.owners";
/// What became of the earlier versions' database: moved to a user, or `unowned`.
const LEGACY: &str = "gridwork.legacy";

thread_local! {
    static SEQ: RefCell<u64> = const { RefCell::new(0) };
}

/// Each user's queue, photos and records live in a database of their own, so one worker's
/// queued changes are only ever pushed with that worker's token, and nobody reads another's
/// records on a shared phone.
fn db_name(user_id: &str) -> String {
    if user_id.is_empty() {
        LEGACY_DB.into()
    } else {
        format!("gridwork-{user_id}")
    }
}

async fn open(name: &str) -> Result<Rexie, String> {
    Rexie::builder(name)
        .version(3)
        .add_object_store(ObjectStore::new(OPS))
        .add_object_store(ObjectStore::new(RECORDS))
        .add_object_store(ObjectStore::new(PHOTOS))
        .add_object_store(ObjectStore::new(REFUSED))
        .build()
        .await
        .map_err(err)
}

/// The signed-in user's database.
async fn db() -> Result<Rexie, String> {
    let me = api::me().ok_or_else(|| "signed out".to_string())?;
    open(&db_name(&me.id.to_string())).await
}

fn owners() -> std::collections::BTreeMap<String, String> {
    store::get(OWNERS)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

fn set_owners(o: &std::collections::BTreeMap<String, String>) {
    store::set(OWNERS, &serde_json::to_string(o).unwrap_or_default());
}

/// Notes that the signed-in user keeps a database on this phone.
fn own() {
    if let Some(me) = api::me() {
        let mut o = owners();
        if o.get(&me.id.to_string()) != Some(&me.display_name) {
            o.insert(me.id.to_string(), me.display_name);
            set_owners(&o);
        }
    }
}

fn cursor_key(user_id: &str) -> String {
    format!("gridwork.cursor.{user_id}")
}

async fn count(db: &Rexie, store_name: &str) -> u32 {
    let Ok(tx) = db.transaction(&[store_name], TransactionMode::ReadOnly) else {
        return 0;
    };
    match tx.store(store_name) {
        Ok(s) => s.count(None).await.unwrap_or(0),
        Err(_) => 0,
    }
}

async fn clear_store(db: &Rexie, store_name: &str) {
    if let Ok(tx) = db.transaction(&[store_name], TransactionMode::ReadWrite) {
        if let Ok(s) = tx.store(store_name) {
            let _ = s.clear().await;
        }
        let _ = tx.done().await;
    }
}

/// Changes queued on this phone by someone who is not signed in: they wait for their owner.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub user_id: String,
    pub name: String,
    /// Operations and photos not sent yet.
    pub changes: u32,
}

/// What other users of this phone left unsent; changes left by an earlier version with
/// nobody signed in come under an empty `user_id`.
pub async fn waiting_for_others() -> Vec<Waiting> {
    let me = api::me().map(|m| m.id.to_string());
    let mut out = Vec::new();
    let mut all: Vec<(String, String)> = owners().into_iter().collect();
    if store::get(LEGACY).as_deref() == Some("unowned") {
        all.push((String::new(), "?".into()));
    }
    for (user_id, name) in all {
        if Some(&user_id) == me.as_ref() {
            continue;
        }
        let Ok(db) = open(&db_name(&user_id)).await else {
            continue;
        };
        let changes = count(&db, OPS).await + count(&db, PHOTOS).await + count(&db, REFUSED).await;
        db.close();
        if changes > 0 {
            out.push(Waiting {
                user_id,
                name,
                changes,
            });
        }
    }
    out
}

/// Throws away another user's unsent changes (after the user confirmed it on screen).
pub async fn discard_of(user_id: &str) {
    if user_id.is_empty() {
        store::set(LEGACY, "discarded");
    }
    let _ = Rexie::delete(&db_name(user_id)).await;
    let mut o = owners();
    o.remove(user_id);
    set_owners(&o);
    store::remove(&cursor_key(user_id));
}

/// Forgets a user's local records (logout, a session that expired): its queue and photos
/// stay for it alone.
pub async fn forget_records_of(user_id: &str) {
    store::remove(&cursor_key(user_id));
    if let Ok(db) = open(&db_name(user_id)).await {
        clear_store(&db, RECORDS).await;
        db.close();
    }
}

/// At start: nobody's records stay on a phone nobody is signed in to (a logout or an
/// expiry that could not finish). The queue of the single database of earlier versions
/// moves to the user signed in at the first start of this version; with nobody signed in
/// then, it belongs to nobody: it waits, shown to whoever signs in, until discarded.
pub async fn tidy() {
    let me = api::me().map(|m| m.id.to_string());
    for user_id in owners().keys() {
        if Some(user_id) != me.as_ref() {
            forget_records_of(user_id).await;
        }
    }
    store::remove("gridwork.cursor");
    if store::get(LEGACY).is_some() {
        return;
    }
    let Ok(old) = open(LEGACY_DB).await else {
        return;
    };
    clear_store(&old, RECORDS).await;
    let Some(me) = me else {
        store::set(LEGACY, "unowned");
        return;
    };
    if let Ok(new) = db().await {
        for name in [OPS, PHOTOS] {
            if let Ok(tx) = old.transaction(&[name], TransactionMode::ReadOnly)
                && let Ok(s) = tx.store(name)
                && let (Ok(keys), Ok(values)) = (
                    s.get_all_keys(None, None).await,
                    s.get_all(None, None).await,
                )
                && !keys.is_empty()
                && let Ok(tx) = new.transaction(&[name], TransactionMode::ReadWrite)
                && let Ok(to) = tx.store(name)
            {
                for (k, v) in keys.into_iter().zip(values) {
                    let _ = to.put(&v, Some(&k)).await;
                }
                let _ = tx.done().await;
                own();
            }
        }
        old.close();
        let _ = Rexie::delete(LEGACY_DB).await;
        store::set(LEGACY, &me);
    }
}

/// The phone's storage failed: said in the user's words (the browser's account goes to the
/// console).
fn err(e: rexie::Error) -> String {
    web_sys::console::warn_1(&format!("IndexedDB: {e:?}").into());
    crate::i18n::t(crate::i18n::screens::ScreenText::StorageFailed).to_string()
}

/// A queued field operation as the `ops` store keeps it: `{op_id, type, body}`, the shape
/// it travels in (and the shape earlier versions of the client stored, so a phone that
/// upgrades keeps its queue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Queued {
    op_id: Uuid,
    #[serde(flatten)]
    operation: Operation,
}

/// An operation waiting in the queue, ready to push.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub op: Op,
    /// The title of a report, to name it if the server refuses it.
    pub title: Option<String>,
}

impl Pending {
    /// Reads a stored operation. One the typed operations do not describe (written by a
    /// client that got a body wrong) is still sent as it is, so that the server says why
    /// it refuses it and it leaves the queue.
    pub fn read(stored: &str) -> Option<Pending> {
        match serde_json::from_str::<Queued>(stored) {
            Ok(q) => Some(Pending {
                op: Op::new(q.op_id, &q.operation),
                title: match q.operation {
                    Operation::IncidentCreate(new) => Some(new.title),
                    _ => None,
                },
            }),
            Err(_) => serde_json::from_str::<Op>(stored)
                .ok()
                .map(|op| Pending { op, title: None }),
        }
    }

    /// How a refused operation is named to the user: a report by its title, any other by
    /// its type.
    fn name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.op.op_type)
    }
}

/// A new key of the `ops` store: keys sort in the order operations were made.
fn next_key() -> String {
    let n = SEQ.with(|s| {
        let mut s = s.borrow_mut();
        *s += 1;
        *s
    });
    format!("{:016}-{:06}", js_sys::Date::now() as u64, n)
}

/// Queues a field operation under a new `op_id`.
pub async fn enqueue(operation: Operation) -> Result<(), String> {
    enqueue_in_place_of(operation, None).await.map(|_| ())
}

/// Queues a step of an incident with the photo that proves it: the photo is uploaded as
/// the step's (named by the `op_id`, which the server gives the step) once it applied.
pub async fn enqueue_step(operation: Operation, photo: Option<Vec<u8>>) -> Result<(), String> {
    let incident = match &operation {
        Operation::IncidentAction(step) => step.incident_id,
        _ => return Err("not a step".to_string()),
    };
    // The photo first, under the step's id: a step is never queued without the photo that
    // was taken for it (a failure leaves nothing queued, so trying again cannot queue the
    // step twice).
    let op_id = Uuid::new_v4();
    let key = match photo {
        Some(jpeg) => Some(enqueue_step_photo(incident, op_id, jpeg).await?),
        None => None,
    };
    let queued = Queued { op_id, operation };
    let json = serde_json::to_string(&queued).map_err(|e| e.to_string())?;
    let db = db().await?;
    if let Err(e) = queue_json(&db, &json, None).await {
        if let Some(key) = key {
            forget_photo(&db, &key).await;
        }
        return Err(e);
    }
    own();
    Ok(())
}

/// Drops a queued photo.
async fn forget_photo(db: &Rexie, key: &str) {
    if let Ok(tx) = db.transaction(&[PHOTOS], TransactionMode::ReadWrite) {
        if let Ok(s) = tx.store(PHOTOS) {
            let _ = s.delete(JsValue::from_str(key)).await;
        }
        let _ = tx.done().await;
    }
}

/// Queues the photo of a step the server already recorded (or that is queued as `step`).
pub async fn enqueue_step_photo(
    incident: Uuid,
    step: Uuid,
    jpeg: Vec<u8>,
) -> Result<String, String> {
    enqueue_photo(PhotoOwner::Step, &format!("{incident}/{step}"), jpeg).await
}

/// Queues a field operation under a new `op_id`; with `refused`, the operation is the fix of
/// that refused one, which leaves the phone in the same transaction.
pub async fn enqueue_in_place_of(
    operation: Operation,
    refused: Option<&str>,
) -> Result<Uuid, String> {
    let queued = Queued {
        op_id: Uuid::new_v4(),
        operation,
    };
    let json = serde_json::to_string(&queued).map_err(|e| e.to_string())?;
    queue_json(&db().await?, &json, refused).await?;
    own();
    Ok(queued.op_id)
}

/// Puts an operation's JSON at the end of the queue; with `refused`, that refused
/// operation leaves the phone in the same transaction.
async fn queue_json(db: &Rexie, json: &str, refused: Option<&str>) -> Result<(), String> {
    let tx = db
        .transaction(&[OPS, REFUSED], TransactionMode::ReadWrite)
        .map_err(err)?;
    tx.store(OPS)
        .map_err(err)?
        .put(
            &JsValue::from_str(json),
            Some(&JsValue::from_str(&next_key())),
        )
        .await
        .map_err(err)?;
    if let Some(key) = refused {
        tx.store(REFUSED)
            .map_err(err)?
            .delete(JsValue::from_str(key))
            .await
            .map_err(err)?;
    }
    tx.done().await.map_err(err).map(drop)
}

async fn pending_ops(db: &Rexie) -> Result<Vec<(JsValue, Pending)>, String> {
    let tx = db
        .transaction(&[OPS], TransactionMode::ReadOnly)
        .map_err(err)?;
    let store = tx.store(OPS).map_err(err)?;
    let keys = store.get_all_keys(None, Some(200)).await.map_err(err)?;
    let values = store.get_all(None, Some(200)).await.map_err(err)?;
    Ok(keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| Some((k, Pending::read(&v.as_string()?)?)))
        .collect())
}

/// The signed-in user's operations not sent yet, oldest first, as typed operations (for a
/// screen that shows what waits to be sent).
pub async fn pending_operations() -> Vec<Operation> {
    let Ok(db) = db().await else {
        return Vec::new();
    };
    let Ok(tx) = db.transaction(&[OPS], TransactionMode::ReadOnly) else {
        return Vec::new();
    };
    let Ok(store) = tx.store(OPS) else {
        return Vec::new();
    };
    store
        .get_all(None, None)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| serde_json::from_str::<Queued>(&v.as_string()?).ok())
        .map(|q| q.operation)
        .collect()
}

/// The signed-in user's operations not sent yet.
pub async fn pending_count() -> u32 {
    match db().await {
        Ok(db) => count(&db, OPS).await,
        Err(_) => 0,
    }
}

/// Queues a photo of an incident, visit, inspection or progress report; it is uploaded once its record's
/// create has applied.
pub async fn enqueue_photo(
    owner: PhotoOwner,
    owner_id: &str,
    jpeg: Vec<u8>,
) -> Result<String, String> {
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
    own();
    Ok(key)
}

/// Uploads queued photos whose record the server has; keeps the others for later.
async fn upload_photos(db: &Rexie, owner: uuid::Uuid) -> Result<(), ApiError> {
    // Every key, then each photo read when its turn comes: one waiting for its record
    // never holds back those after it, and only one photo is in memory at a time.
    let keys = {
        let tx = db
            .transaction(&[PHOTOS], TransactionMode::ReadOnly)
            .map_err(|_| ApiError::Offline)?;
        let store = tx.store(PHOTOS).map_err(|_| ApiError::Offline)?;
        store
            .get_all_keys(None, None)
            .await
            .map_err(|_| ApiError::Offline)?
    };
    // A refused record's photos wait for it to be fixed.
    let refused: Vec<String> = refusals(db)
        .await
        .iter()
        .filter_map(|(_, r)| record_id(&r.op))
        .collect();
    for key in keys {
        let Some(key_text) = key.as_string() else {
            continue;
        };
        if refused.iter().any(|id| key_text.contains(id)) {
            continue;
        }
        let Some(path) = photo_upload_path(&key_text) else {
            continue;
        };
        let value = {
            let tx = db
                .transaction(&[PHOTOS], TransactionMode::ReadOnly)
                .map_err(|_| ApiError::Offline)?;
            let store = tx.store(PHOTOS).map_err(|_| ApiError::Offline)?;
            match store
                .get(key.clone())
                .await
                .map_err(|_| ApiError::Offline)?
            {
                Some(v) => v,
                None => continue,
            }
        };
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        signed_in_as(owner)?;
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
    /// The names of the operations the server refused (now in the `refused` store).
    pub rejected: Vec<String>,
    pub conflicts: usize,
}

/// A refused operation as the `refused` store keeps it, under its key in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Refusal {
    /// As it was pushed.
    op: Op,
    code: String,
    detail: String,
    #[serde(default)]
    errors: Vec<FieldError>,
}

/// What the signed-in user has not got onto the server: waiting to be sent, or refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// Its key in the queue (or among the refused).
    pub key: String,
    /// The operation, when this client can read it (to show it, or to fix it).
    pub operation: Option<Operation>,
    /// Its type as it travels (`incident.create`…), for one this client cannot read.
    pub op_type: String,
    /// Why the server refused it, in the current language; `None` while it waits.
    pub refused: Option<Vec<String>>,
}

/// Every operation of the signed-in user not on the server yet: those waiting in the order
/// they were made, then those refused.
pub async fn outbox() -> Vec<Outgoing> {
    let Ok(db) = db().await else {
        return Vec::new();
    };
    let mut out: Vec<Outgoing> = pending_ops(&db)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(key, p)| Outgoing {
            key: key.as_string().unwrap_or_default(),
            operation: typed(&p.op),
            op_type: p.op.op_type,
            refused: None,
        })
        .collect();
    out.extend(refusals(&db).await.into_iter().map(|(key, r)| Outgoing {
        key,
        operation: typed(&r.op),
        op_type: r.op.op_type.clone(),
        refused: Some(crate::i18n::problems::problem_lines(
            &r.code, &r.detail, &r.errors,
        )),
    }));
    out
}

/// A report not on the server yet, for "my incidents".
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingReport {
    pub id: Uuid,
    pub title: String,
    /// Refused by the server (else waiting to be sent).
    pub refused: bool,
}

/// The signed-in user's reports not on the server yet: waiting or refused.
pub async fn outgoing_reports() -> Vec<OutgoingReport> {
    outbox()
        .await
        .into_iter()
        .filter_map(|o| match o.operation {
            Some(Operation::IncidentCreate(n)) => Some(OutgoingReport {
                id: n.id,
                title: n.title,
                refused: o.refused.is_some(),
            }),
            _ => None,
        })
        .collect()
}

/// An operation as the typed enum, when it is one this client knows.
fn typed(op: &Op) -> Option<Operation> {
    let json = serde_json::json!({"type": op.op_type, "body": op.body});
    serde_json::from_value(json).ok()
}

async fn refusals(db: &Rexie) -> Vec<(String, Refusal)> {
    let Ok(tx) = db.transaction(&[REFUSED], TransactionMode::ReadOnly) else {
        return Vec::new();
    };
    let Ok(store) = tx.store(REFUSED) else {
        return Vec::new();
    };
    let (Ok(keys), Ok(values)) = (
        store.get_all_keys(None, None).await,
        store.get_all(None, None).await,
    ) else {
        return Vec::new();
    };
    keys.into_iter()
        .zip(values)
        .filter_map(|(k, v)| {
            let refusal = serde_json::from_str(&v.as_string()?).ok()?;
            Some((k.as_string()?, refusal))
        })
        .collect()
}

/// How many of the signed-in user's operations the server refused.
pub async fn refused_count() -> u32 {
    match db().await {
        Ok(db) => count(&db, REFUSED).await,
        Err(_) => 0,
    }
}

/// A refused operation, to fix it on its form.
pub async fn refused_operation(key: &str) -> Option<Operation> {
    let db = db().await.ok()?;
    refusals(&db)
        .await
        .into_iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, r)| typed(&r.op))
}

/// Sends a refused operation again as it is (after what made the server refuse it changed),
/// at the end of the queue and under a new `op_id`.
pub async fn resend(key: &str) -> Result<(), String> {
    let db = db().await?;
    let Some((_, refusal)) = refusals(&db).await.into_iter().find(|(k, _)| k == key) else {
        return Ok(());
    };
    // A step keeps its op_id: its photos wait under it, and the server records only the
    // operations it applied, so the same id is free. A create keys its photos by the
    // record's own id and goes under a new op_id.
    let op = match refusal.op.op_type.as_str() {
        "incident.action" => refusal.op,
        _ => Op {
            op_id: Uuid::new_v4(),
            ..refusal.op
        },
    };
    let json = serde_json::to_string(&op).map_err(|e| e.to_string())?;
    queue_json(&db, &json, Some(key)).await
}

/// Throws a refused operation away for good, with the photos taken for its record.
pub async fn discard_refused(key: &str) -> Result<(), String> {
    let db = db().await?;
    let record = refusals(&db)
        .await
        .into_iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, r)| record_id(&r.op));
    let tx = db
        .transaction(&[REFUSED, PHOTOS], TransactionMode::ReadWrite)
        .map_err(err)?;
    tx.store(REFUSED)
        .map_err(err)?
        .delete(JsValue::from_str(key))
        .await
        .map_err(err)?;
    if let Some(id) = record {
        let photos = tx.store(PHOTOS).map_err(err)?;
        for k in photos.get_all_keys(None, None).await.map_err(err)? {
            if k.as_string().is_some_and(|k| k.contains(&id)) {
                photos.delete(k).await.map_err(err)?;
            }
        }
    }
    tx.done().await.map_err(err).map(drop)
}

/// The id of the record an operation creates, or of the step it takes (its photos are
/// kept under it).
fn record_id(op: &Op) -> Option<String> {
    match op.op_type.as_str() {
        "incident.create" | "visit.create" | "inspection.create" | "unit.create"
        | "task.progress" => op.body.get("id")?.as_str().map(str::to_string),
        "incident.action" => Some(op.op_id.to_string()),
        _ => None,
    }
}

/// Only the user who queued a change sends it: none is ever pushed under another's token.
fn signed_in_as(owner: uuid::Uuid) -> Result<(), ApiError> {
    match api::me() {
        Some(m) if m.id == owner => Ok(()),
        _ => Err(ApiError::LoggedOut),
    }
}

/// Pushes the signed-in user's queued operations in order; removes those the server has
/// applied.
pub async fn flush() -> Result<Flushed, ApiError> {
    let owner = api::me().ok_or(ApiError::LoggedOut)?.id;
    let db = open(&db_name(&owner.to_string()))
        .await
        .map_err(|_| ApiError::Offline)?;
    let ops = pending_ops(&db).await.map_err(|_| ApiError::Offline)?;
    let mut out = Flushed::default();
    if ops.is_empty() {
        upload_photos(&db, owner).await?;
        return Ok(out);
    }
    let body = PushRequest {
        ops: ops.iter().map(|(_, p)| p.op.clone()).collect(),
    };
    signed_in_as(owner)?;
    let res: PushResponse = api::post("/api/v1/sync/push", &body).await?;
    let tx = db
        .transaction(&[OPS, REFUSED], TransactionMode::ReadWrite)
        .map_err(|_| ApiError::Offline)?;
    let store = tx.store(OPS).map_err(|_| ApiError::Offline)?;
    for ((key, pending), r) in ops.iter().zip(res.results) {
        match r.status {
            OpStatus::Applied | OpStatus::Duplicate => {
                out.applied += 1;
                if r.conflict == Some(true) {
                    out.conflicts += 1;
                }
            }
            // An internal error on the server: keep the op and try again later.
            OpStatus::Rejected if r.code.as_deref() == Some("internal_error") => continue,
            // Refused: kept on the phone with why, to be fixed and sent again or discarded.
            OpStatus::Rejected => {
                out.rejected.push(pending.name().to_string());
                let refusal = Refusal {
                    op: pending.op.clone(),
                    code: r.code.clone().unwrap_or_default(),
                    detail: r.detail.clone().unwrap_or_default(),
                    errors: r.errors.clone(),
                };
                let json = serde_json::to_string(&refusal).unwrap_or_default();
                if let Ok(refused) = tx.store(REFUSED) {
                    let _ = refused.put(&JsValue::from_str(&json), Some(key)).await;
                }
            }
        }
        let _ = store.delete(key.clone()).await;
    }
    let _ = tx.done().await;
    upload_photos(&db, owner).await?;
    Ok(out)
}

/// Stores a pull's records; a `reset` answer replaces everything held before.
async fn put_records(
    user_id: &str,
    items: Vec<(String, String)>,
    deleted: Vec<String>,
    reset: bool,
) -> Result<(), String> {
    let db = open(&db_name(user_id)).await?;
    let tx = db
        .transaction(&[RECORDS], TransactionMode::ReadWrite)
        .map_err(err)?;
    let store = tx.store(RECORDS).map_err(err)?;
    if reset {
        store.clear().await.map_err(err)?;
    }
    for (k, v) in items {
        store
            .put(&JsValue::from_str(&v), Some(&JsValue::from_str(&k)))
            .await
            .map_err(err)?;
    }
    for k in deleted {
        store.delete(JsValue::from_str(&k)).await.map_err(err)?;
    }
    tx.done().await.map_err(err)?;
    Ok(())
}

/// What one sync round did: the push, then the pull (how many records changed), and how
/// many notifications the phone holds unread after it.
pub type SyncOutcome = (Result<Flushed, ApiError>, Result<usize, ApiError>, u32);

/// One sync round: push the queue, then pull. Runs from its own chunk (`lazy::sync_round`),
/// fetched after the first screen is up.
pub async fn sync_round() -> SyncOutcome {
    let flushed = flush().await;
    if matches!(flushed, Err(ApiError::LoggedOut)) {
        return (flushed, Err(ApiError::LoggedOut), 0);
    }
    let pulled = pull().await;
    (flushed, pulled, unread_notifications().await)
}

/// The signed-in user's notifications on the phone, newest first.
pub async fn notifications() -> Vec<Notification> {
    let mut all: Vec<Notification> = records().await;
    all.sort_by_key(|n| std::cmp::Reverse(n.id));
    all
}

/// How many of the signed-in user's notifications are unread.
pub async fn unread_notifications() -> u32 {
    records::<Notification>()
        .await
        .iter()
        .filter(|n| !n.read)
        .count() as u32
}

/// Marks read the notifications named (`None`: every one) on the phone, then on the server
/// (which a later pull does not undo: it carries only new notifications).
pub async fn mark_notifications_read(ids: Option<Vec<Uuid>>) -> Result<(), ApiError> {
    let me = api::me().ok_or(ApiError::LoggedOut)?;
    let all = notifications().await;
    let body = match &ids {
        Some(ids) => MarkRead {
            ids: Some(ids.clone()),
            up_to: None,
        },
        None => match all.first() {
            Some(newest) => MarkRead {
                ids: None,
                up_to: Some(newest.id),
            },
            None => return Ok(()),
        },
    };
    let mut items = Vec::new();
    let changed: Vec<Notification> = all
        .into_iter()
        .filter(|n| !n.read && ids.as_ref().is_none_or(|ids| ids.contains(&n.id)))
        .map(|n| Notification { read: true, ..n })
        .collect();
    stored(&mut items, &changed);
    put_records(&me.id.to_string(), items, Vec::new(), false)
        .await
        .map_err(|_| ApiError::Offline)?;
    api::post::<_, ()>("/api/v1/me/notifications/read", &body).await
}

/// Pulls until the server has nothing more; returns how many records changed.
pub async fn pull() -> Result<usize, ApiError> {
    let me = api::me().ok_or(ApiError::LoggedOut)?;
    // Whoever keeps records on the phone is known, so that they leave with the session.
    own();
    let cursor = cursor_key(&me.id.to_string());
    let mut changed = 0;
    loop {
        let path = match store::get(&cursor) {
            Some(c) => format!("/api/v1/sync/pull?cursor={c}"),
            None => "/api/v1/sync/pull".into(),
        };
        let page: PullResponse = match api::get(&path).await {
            // A cursor the server no longer takes: start again from nothing (once).
            Err(ApiError::Problem(p))
                if p.code == gridwork_shared::ErrorCode::ValidationFailed
                    && store::get(&cursor).is_some() =>
            {
                store::remove(&cursor);
                continue;
            }
            other => other?,
        };
        let mut items = Vec::new();
        stored(&mut items, &page.cells);
        stored(&mut items, &page.categories);
        stored(&mut items, &page.incidents);
        stored(&mut items, &page.persons);
        stored(&mut items, &page.units);
        stored(&mut items, &page.notifications);
        // The caller's unit's tasks come whole in every answer: those no longer in it leave.
        let mut gone = Vec::new();
        if let Some(tasks) = &page.tasks {
            stored(&mut items, tasks);
            for held in records::<Task>().await {
                if !tasks.iter().any(|t| t.id == held.id) {
                    gone.push(format!("{}:{}", Task::KIND, held.key()));
                }
            }
        }
        stored(&mut items, &page.deliberations);
        stored(&mut items, &page.campaigns);
        let mut deleted: Vec<String> = page
            .deleted
            .iter()
            .map(|d| format!("{}:{}", d.kind, d.id))
            .chain(gone)
            .collect();
        // The caller's teams come whole in every answer: those held and no longer named go.
        stored(&mut items, &page.teams);
        deleted.extend(gone_teams(&records::<TeamDetail>().await, &page.teams));
        changed += items.len() + deleted.len();
        put_records(&me.id.to_string(), items, deleted, page.reset)
            .await
            .map_err(|_| ApiError::Offline)?;
        // Signed out meanwhile (another user on this phone): keep nothing of this pull.
        if signed_in_as(me.id).is_err() {
            forget_records_of(&me.id.to_string()).await;
            return Err(ApiError::LoggedOut);
        }
        store::set(&cursor, &page.cursor);
        if !page.has_more {
            return Ok(changed);
        }
    }
}

/// A kind of record the phone keeps a copy of, in the `records` store under
/// `<KIND>:<key>`, as its wire JSON.
pub trait Record: Serialize + DeserializeOwned + 'static {
    /// `incident`, `person`, `unit`, `cell` or `category` (what `/sync/pull` calls it in
    /// `deleted`).
    const KIND: &'static str;
    /// The record's id (a cell's or a category's code).
    fn key(&self) -> String;
}

/// Records kept under their `id`.
macro_rules! keyed_by_id {
    ($($record:ty => $kind:literal),*) => {$(
        impl Record for $record {
            const KIND: &'static str = $kind;
            fn key(&self) -> String {
                self.id.to_string()
            }
        }
    )*};
}

keyed_by_id!(Incident => "incident", PersonItem => "person", Unit => "unit", Notification => "notification");
keyed_by_id!(Task => "task");
keyed_by_id!(Deliberation => "deliberation", Campaign => "campaign");

/// The caller's teams (as `/sync/pull` carries them: whole, every time).
impl Record for TeamDetail {
    const KIND: &'static str = "team";
    fn key(&self) -> String {
        self.team.id.to_string()
    }
}

/// The store keys of the teams held that a pull no longer names.
fn gone_teams(held: &[TeamDetail], pulled: &[TeamDetail]) -> Vec<String> {
    held.iter()
        .filter(|h| !pulled.iter().any(|p| p.team.id == h.team.id))
        .map(|h| format!("{}:{}", TeamDetail::KIND, h.key()))
        .collect()
}

impl Record for Cell {
    const KIND: &'static str = "cell";
    fn key(&self) -> String {
        self.properties.code.clone()
    }
}

impl Record for Category {
    const KIND: &'static str = "category";
    fn key(&self) -> String {
        self.code.clone()
    }
}

/// Adds `records` to what a pull stores, as (store key, JSON).
fn stored<R: Record>(items: &mut Vec<(String, String)>, records: &[R]) {
    for r in records {
        if let Ok(json) = serde_json::to_string(r) {
            items.push((format!("{}:{}", R::KIND, r.key()), json));
        }
    }
}

/// Every local record of a kind (one that does not read as its type is left out).
pub async fn records<R: Record>() -> Vec<R> {
    async fn all(kind: &str) -> Result<Vec<String>, String> {
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
        .map_err(|e| format!("{e:?}"))?;
        let values = store.get_all(Some(range), None).await.map_err(err)?;
        Ok(values.into_iter().filter_map(|v| v.as_string()).collect())
    }
    all(R::KIND)
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|json| serde_json::from_str(json).ok())
        .collect()
}

/// The synced grid as an index, so the device resolves cells with no signal.
pub async fn grid() -> GridIndex {
    let cells: Vec<Cell> = records().await;
    let mut indexed = Vec::new();
    for f in cells {
        let mut errors = gridwork_shared::FieldErrors::new();
        if let Some(shape) =
            gridwork_shared::geometry::parse_area_unchecked(&f.geometry, "geometry", &mut errors)
        {
            let p = f.properties;
            indexed.push(IndexedCell::new(p.code, p.name, p.community_code, shape));
        }
    }
    GridIndex::new(indexed)
}

/// The operations of one kind the signed-in user queued and has not sent yet, oldest first,
/// as `pick` takes them out of their envelope.
async fn queued<T>(pick: impl Fn(Operation) -> Option<T>) -> Vec<T> {
    let Ok(db) = db().await else {
        return Vec::new();
    };
    pending_ops(&db)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(_, p)| pick(p.op.operation().ok()?))
        .collect()
}

/// The units registered on this phone whose `unit.create` is still queued, in the order
/// they were registered (so a list can show them at once, marked as waiting).
pub async fn queued_units() -> Vec<gridwork_shared::safety::NewUnit> {
    queued(|op| match op {
        Operation::UnitCreate(unit) => Some(unit),
        _ => None,
    })
    .await
}

/// The hall items raised on this phone whose `deliberation.create` is still queued, the
/// sessions (`deliberation.session`) and the nominations (`nomination.create`) likewise, in
/// the order they were made (the hall's and the campaigns' screens show them at once).
pub async fn queued_hall() -> QueuedHall {
    let mut out = QueuedHall::default();
    for op in queued(Some).await {
        match op {
            Operation::DeliberationCreate(d) => out.items.push(d),
            Operation::DeliberationSession(s) => out.sessions.push(s),
            Operation::NominationCreate(n) => out.nominations.push(n),
            _ => {}
        }
    }
    out
}

/// What `queued_hall` answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueuedHall {
    pub items: Vec<gridwork_shared::deliberation::NewDeliberation>,
    pub sessions:
        Vec<gridwork_shared::sync::OnDeliberation<gridwork_shared::deliberation::NewSession>>,
    pub nominations:
        Vec<gridwork_shared::sync::OnCampaign<gridwork_shared::selection::NewNomination>>,
}

/// The patrols the signed-in user recorded and has not sent yet, oldest first.
pub async fn queued_patrols() -> Vec<gridwork_shared::team::NewPatrol> {
    queued(|op| match op {
        Operation::PatrolCreate(patrol) => Some(patrol),
        _ => None,
    })
    .await
}

/// The steps on incidents the signed-in user queued and has not sent yet, oldest first (the
/// incident screen shows them and works out where they lead, with no signal).
pub async fn queued_steps()
-> Vec<gridwork_shared::sync::OnIncident<gridwork_shared::incident::ActionRequest>> {
    queued(|op| match op {
        Operation::IncidentAction(step) => Some(step),
        _ => None,
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridwork_shared::incident::{Action, ActionRequest, NewIncident, Severity};
    use gridwork_shared::person::{NewVisit, Outcome};
    use gridwork_shared::safety::InspectionResult;
    use gridwork_shared::sync::{OnIncident, OnPerson, OnUnit};

    fn id(s: &str) -> Uuid {
        Uuid::parse_str(s).unwrap()
    }

    /// Operations as the client stored them before the queue was typed: the envelope
    /// `{op_id, type, body}` around a body built by hand (incident steps) or from the
    /// request type plus the parent's id.
    const STORED_BEFORE: [&str; 4] = [
        r#"{"op_id":"6d1f7f8e-52a4-4c5e-9c61-0a2b6f0f4a01","type":"incident.create","body":{"id":"0b9a6c1e-2f4d-4e8a-9d3b-1c2e3f4a5b6c","category":"0401","title":"Broken lamp","description":"","location":{"lon":106.27,"lat":29.97},"occurred_at":"2026-11-25T02:00:00.639Z","severity":"medium"}}"#,
        r#"{"op_id":"6d1f7f8e-52a4-4c5e-9c61-0a2b6f0f4a02","type":"incident.action","body":{"incident_id":"0b9a6c1e-2f4d-4e8a-9d3b-1c2e3f4a5b6c","action":"dispatch","version":2,"note":"today","assignee_id":"1a2b3c4d-0000-4000-8000-000000000001"}}"#,
        r#"{"op_id":"6d1f7f8e-52a4-4c5e-9c61-0a2b6f0f4a03","type":"visit.create","body":{"id":"2a2b3c4d-0000-4000-8000-000000000002","visited_at":"2026-11-25T02:00:00Z","location":{"lon":106.27,"lat":29.97},"outcome":"met","note":"","risk_level":null,"person_id":"3a2b3c4d-0000-4000-8000-000000000003"}}"#,
        r#"{"op_id":"6d1f7f8e-52a4-4c5e-9c61-0a2b6f0f4a04","type":"inspection.create","body":{"id":"4a2b3c4d-0000-4000-8000-000000000004","inspected_at":"2026-11-25T02:00:00Z","location":{"lon":106.27,"lat":29.97},"result":"hazard","hazards":[{"description":"exit blocked","deadline":"2026-12-02T02:00:00Z"}],"note":"","unit_id":"5a2b3c4d-0000-4000-8000-000000000005"}}"#,
    ];

    fn time(t: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(t)
            .unwrap()
            .with_timezone(&chrono::Utc)
    }

    #[test]
    fn a_queue_stored_before_the_upgrade_reads_as_typed_operations() {
        let read: Vec<Pending> = STORED_BEFORE
            .iter()
            .map(|s| Pending::read(s).expect("readable"))
            .collect();
        let ops: Vec<Operation> = read.iter().map(|p| p.op.operation().unwrap()).collect();
        let place = gridwork_shared::geometry::Location {
            lon: 106.27,
            lat: 29.97,
        };
        let incident = id("0b9a6c1e-2f4d-4e8a-9d3b-1c2e3f4a5b6c");
        assert_eq!(
            ops[0],
            Operation::IncidentCreate(NewIncident {
                id: incident,
                category: "0401".into(),
                title: "Broken lamp".into(),
                description: String::new(),
                location: place,
                occurred_at: time("2026-11-25T02:00:00.639Z"),
                severity: Severity::Medium,
            })
        );
        assert_eq!(
            ops[1],
            Operation::IncidentAction(OnIncident {
                incident_id: incident,
                body: ActionRequest {
                    action: Action::Dispatch,
                    version: 2,
                    note: Some("today".into()),
                    assignee_id: Some(id("1a2b3c4d-0000-4000-8000-000000000001")),
                    department_id: None,
                    into: None,
                },
            })
        );
        match &ops[2] {
            Operation::VisitCreate(OnPerson { person_id, body }) => {
                assert_eq!(*person_id, id("3a2b3c4d-0000-4000-8000-000000000003"));
                assert_eq!(
                    (body.outcome, body.visited_at),
                    (Outcome::Met, time("2026-11-25T02:00:00Z"))
                );
            }
            other => panic!("{other:?}"),
        }
        match &ops[3] {
            Operation::InspectionCreate(OnUnit { unit_id, body }) => {
                assert_eq!(*unit_id, id("5a2b3c4d-0000-4000-8000-000000000005"));
                assert_eq!(body.result, InspectionResult::Hazard);
                assert_eq!(body.hazards[0].description, "exit blocked");
            }
            other => panic!("{other:?}"),
        }
        // Each keeps its op_id (a replay of one the server already has changes nothing) and
        // its type; a report is named by its title.
        for (stored, pending) in STORED_BEFORE.iter().zip(&read) {
            let before: Op = serde_json::from_str(stored).unwrap();
            assert_eq!(
                (pending.op.op_id, &pending.op.op_type),
                (before.op_id, &before.op_type)
            );
        }
        assert_eq!(read[0].name(), "Broken lamp");
        assert_eq!(read[1].name(), "incident.action");
    }

    #[test]
    fn the_queue_stores_operations_in_the_shape_they_travel_in() {
        let queued = Queued {
            op_id: id("6d1f7f8e-52a4-4c5e-9c61-0a2b6f0f4a05"),
            operation: Operation::VisitCreate(OnPerson {
                person_id: id("3a2b3c4d-0000-4000-8000-000000000003"),
                body: NewVisit {
                    id: id("2a2b3c4d-0000-4000-8000-000000000002"),
                    visited_at: time("2026-11-25T02:00:00Z"),
                    location: gridwork_shared::geometry::Location {
                        lon: 106.27,
                        lat: 29.97,
                    },
                    outcome: Outcome::NotHome,
                    note: "back at six".into(),
                    risk_level: None,
                    accuracy_m: Some(8.0),
                    picked_on_map: false,
                },
            }),
        };
        let stored = serde_json::to_string(&queued).unwrap();
        // The envelope the server takes, as earlier clients read it back too.
        let envelope: Op = serde_json::from_str(&stored).unwrap();
        assert_eq!(envelope, Op::new(queued.op_id, &queued.operation));
        assert_eq!(
            envelope.body["person_id"],
            "3a2b3c4d-0000-4000-8000-000000000003"
        );
        assert_eq!(serde_json::from_str::<Queued>(&stored).unwrap(), queued);
    }

    #[test]
    fn a_stored_operation_the_types_do_not_describe_is_still_pushed() {
        // Pushed as it is, the server says why it refuses it, and it leaves the queue.
        let odd = r#"{"op_id":"6d1f7f8e-52a4-4c5e-9c61-0a2b6f0f4a06","type":"incident.action","body":{"incident_id":"x","action":"fly"}}"#;
        let pending = Pending::read(odd).expect("kept");
        assert_eq!(pending.op.op_type, "incident.action");
        assert_eq!(pending.op.body["action"], "fly");
        assert_eq!(pending.name(), "incident.action");
        assert_eq!(Pending::read("not json"), None);
    }

    #[test]
    fn records_stored_before_the_upgrade_read_as_their_types() {
        // As pulls stored them: the server's JSON of each record.
        let cell: Cell = serde_json::from_str(
            r#"{"type":"Feature","id":"500117001001001","geometry":{"type":"Polygon","coordinates":[[[106.26,29.96],[106.28,29.96],[106.28,29.98],[106.26,29.96]]]},"properties":{"code":"500117001001001","name":"One","community_code":"500117001001","valid_from":"2026-01-01T00:00:00Z","valid_to":null}}"#,
        )
        .unwrap();
        assert_eq!(cell.key(), "500117001001001");
        let unit: Unit = serde_json::from_str(
            r#"{"id":"5a2b3c4d-0000-4000-8000-000000000005","kind":"shop","name":"Shop","address":"1 Road","location":{"lon":106.27,"lat":29.97},"cell_code":"500117001001001","status":"hazard","open_hazards":1,"certification":"none","certified_at":null,"last_inspected_at":"2026-11-25T02:00:00.639000Z","version":2,"created_at":"2026-11-01T00:00:00Z","updated_at":"2026-11-25T02:00:00.639000Z"}"#,
        )
        .unwrap();
        assert_eq!(unit.key(), "5a2b3c4d-0000-4000-8000-000000000005");
        // Written back as they were read.
        let mut items = Vec::new();
        stored(&mut items, std::slice::from_ref(&cell));
        stored(&mut items, std::slice::from_ref(&unit));
        assert_eq!(items[0].0, "cell:500117001001001");
        assert_eq!(items[1].0, "unit:5a2b3c4d-0000-4000-8000-000000000005");
        assert_eq!(serde_json::from_str::<Cell>(&items[0].1).unwrap(), cell);
        assert_eq!(serde_json::from_str::<Unit>(&items[1].1).unwrap(), unit);
    }
}
