//! Photos of incidents, visits and inspections: checked, stripped of metadata, stored by
//! content, visible to exactly those who may see their record.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};

use gridwork_shared::ErrorCode;
use gridwork_shared::api::Role;
use gridwork_shared::incident::PhotoRef;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::core::photo::{self, Kind, ThumbError};
use crate::db::models::PhotoRow;
use crate::db::{self, DbConn, incidents as store};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::{photo_ref, scope_of};
use crate::flow::{blocking, parse_id};

/// Whether the caller may see the record a photo belongs to.
pub fn owner_visible(
    c: &mut DbConn,
    user: &CurrentUser,
    owner_type: &str,
    owner_id: &str,
) -> Result<bool> {
    Ok(match owner_type {
        "incident" => store::find_in_scope(c, &scope_of(user), owner_id)?.is_some(),
        "visit" => match db::persons::visit(c, owner_id)? {
            Some(v) => match crate::flow::persons::scope_of(user) {
                Ok(scope) => db::persons::find_in_scope(c, &scope, &v.person_id)?.is_some(),
                Err(_) => false,
            },
            None => false,
        },
        "inspection" => match db::units::inspection(c, owner_id)? {
            Some(i) => match crate::flow::units::scope_of(user) {
                Ok(scope) => db::units::find_in_scope(c, &scope, &i.unit_id)?.is_some(),
                Err(_) => false,
            },
            None => false,
        },
        "progress" => crate::flow::tasks::progress_visible(c, user, owner_id)?,
        _ => false,
    })
}

/// Checks that the bytes really are the declared format (`unsupported_media` otherwise),
/// strips their metadata and stores them for a record the caller may see; `true` for a
/// new photo, `false` for the same bytes again. `step` names the incident's history entry
/// the photo is the proof of (not found until that step is recorded).
pub async fn upload(
    state: &Arc<AppState>,
    user: CurrentUser,
    owner_type: &'static str,
    owner_id: &str,
    step: Option<String>,
    declared: Kind,
    raw: bytes::Bytes,
) -> Result<(PhotoRef, bool)> {
    let owner_id = parse_id(owner_id)?;
    let step = match step {
        None => None,
        Some(s) => match Uuid::parse_str(&s) {
            Ok(s) if owner_type == "incident" => Some(s.to_string()),
            Ok(_) => {
                return Err(Error::invalid(
                    "step",
                    "only an incident's photo has a step",
                ));
            }
            Err(_) => return Err(Error::invalid("step", "must be a step's id (a UUID)")),
        },
    };
    if photo::sniff(&raw) != Some(declared) {
        return Err(Error::new(
            ErrorCode::UnsupportedMedia,
            format!("the bytes are not {}", declared.mime()),
        ));
    }
    let (w, h) = photo::dimensions(declared, &raw).ok_or_else(|| {
        Error::new(
            ErrorCode::UnsupportedMedia,
            format!("the bytes are not a readable {}", declared.mime()),
        )
    })?;
    if u64::from(w) * u64::from(h) > photo::MAX_PIXELS {
        return Err(Error::new(
            ErrorCode::TooLarge,
            format!(
                "the image is {w} × {h} pixels; a photo may have at most {} megapixels",
                photo::MAX_PIXELS / 1_000_000
            ),
        ));
    }
    let stored = blocking(move || -> Result<_> {
        let stripped = photo::strip(declared, bytes::Bytes::copy_from_slice(&raw))
            .filter(|b| photo::decodes(declared, b))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::UnsupportedMedia,
                    format!("the bytes are not a readable {}", declared.mime()),
                )
            })?;
        Ok(stripped)
    })
    .await?;
    let sha = photo::sha256_hex(&stored);
    let st = Arc::clone(state);
    let (row, created) = state
        .db(move |c| {
            db::write_tx(c, |c| -> Result<(PhotoRow, bool)> {
                if !owner_visible(c, &user, owner_type, &owner_id)? {
                    return Err(Error::not_found());
                }
                // A progress report's evidence comes from who reported it.
                if owner_type == "progress"
                    && crate::flow::tasks::progress_reporter(c, &owner_id)?.as_deref()
                        != Some(user.id.as_str())
                {
                    return Err(Error::new(
                        ErrorCode::Forbidden,
                        "only who reported the progress adds its evidence",
                    ));
                }
                // A step's photo is its proof: added by whoever took the step, or by a
                // supervisor or an admin.
                if let Some(step) = &step {
                    let actor =
                        store::step_actor(c, &owner_id, step)?.ok_or_else(Error::not_found)?;
                    let office = matches!(user.role, Role::Supervisor | Role::Admin);
                    if !office && actor.as_deref() != Some(user.id.as_str()) {
                        return Err(Error::new(
                            ErrorCode::Forbidden,
                            "only who took the step, or a supervisor, adds its photo",
                        ));
                    }
                }
                if let Some(existing) = store::photo_by_sha(c, owner_type, &owner_id, &sha)? {
                    if existing.step_id != step {
                        return Err(Error::invalid(
                            "photo",
                            "the same photo is already one of this incident's",
                        ));
                    }
                    return Ok((existing, false));
                }
                if store::photo_count(c, owner_type, &owner_id)? >= MAX_PHOTOS_PER_RECORD {
                    return Err(Error::invalid(
                        "photo",
                        format!("a record has at most {MAX_PHOTOS_PER_RECORD} photos"),
                    ));
                }
                photo::store(&st.config.data_dir, &sha, declared, &stored)
                    .map_err(|e| Error::Unexpected(anyhow::anyhow!("storing a photo: {e}")))?;
                let row = PhotoRow {
                    id: Uuid::now_v7().to_string(),
                    owner_type: owner_type.to_string(),
                    owner_id: owner_id.clone(),
                    sha256: sha.clone(),
                    content_type: declared.mime().to_string(),
                    size_bytes: stored.len() as i64,
                    uploaded_by: user.id.clone(),
                    created_at: st.clock.now_naive(),
                    step_id: step.clone(),
                };
                store::insert_photo(c, &row)?;
                if owner_type == "incident"
                    && let Some(inc) = store::find(c, &owner_id)?
                {
                    db::sync::record(c, "incident", &inc.id, &inc.cell_code, row.created_at)?;
                }
                Ok((row, true))
            })
        })
        .await?;
    Ok((photo_ref(&row), created))
}

/// Photos one incident, visit, inspection or progress report may have.
pub const MAX_PHOTOS_PER_RECORD: i64 = 20;

/// Thumbnails being made at once, at most.
static THUMBNAILS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The lock of one photo's thumbnail, shared by the requests that want it now.
fn photo_lock(sha: &str) -> Arc<tokio::sync::Mutex<()>> {
    static LOCKS: LazyLock<Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>> =
        LazyLock::new(Mutex::default);
    let mut locks = LOCKS.lock().expect("photo locks poisoned");
    if let Some(lock) = locks.get(sha).and_then(Weak::upgrade) {
        return lock;
    }
    locks.retain(|_, w| w.strong_count() > 0);
    let lock = Arc::new(tokio::sync::Mutex::new(()));
    locks.insert(sha.to_string(), Arc::downgrade(&lock));
    lock
}

fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Unexpected(e.into()))
}

/// A stored photo's bytes as served.
pub struct PhotoBytes {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub sha256: String,
}

/// A photo (or its 320 px JPEG thumbnail) whose record the caller may see.
pub async fn read(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    thumb: bool,
) -> Result<PhotoBytes> {
    let user = user.clone();
    let id = parse_id(id)?;
    let row = state
        .db(move |c| -> Result<PhotoRow> {
            let row = store::photo(c, &id)?.ok_or_else(Error::not_found)?;
            if !owner_visible(c, &user, &row.owner_type, &row.owner_id)? {
                return Err(Error::not_found());
            }
            Ok(row)
        })
        .await?;
    let kind = Kind::from_mime(&row.content_type)
        .ok_or_else(|| anyhow::anyhow!("stored content type {}", row.content_type))?;
    let dir = state.config.data_dir.clone();
    let sha = row.sha256.clone();
    let (bytes, content_type) = if thumb {
        // One decode per photo at a time, and few at once: the blocking threads that
        // every database call shares are never all busy decoding.
        let one = photo_lock(&sha);
        let _one = one.lock().await;
        let _permit = THUMBNAILS
            .acquire()
            .await
            .map_err(|e| Error::Unexpected(e.into()))?;
        blocking(move || match photo::thumbnail(&dir, &sha, kind) {
            Ok(path) => Ok((read_file(&path)?, "image/jpeg")),
            Err(ThumbError::Undecodable(why)) => Err(Error::new(
                ErrorCode::UnsupportedMedia,
                format!("no thumbnail can be made of this photo ({why}); ask for size=full"),
            )),
            Err(ThumbError::Io(e)) => Err(Error::Unexpected(e.into())),
        })
        .await?
    } else {
        blocking(move || Ok((read_file(&photo::path_of(&dir, &sha, kind))?, kind.mime()))).await?
    };
    Ok(PhotoBytes {
        bytes,
        content_type,
        sha256: row.sha256,
    })
}
