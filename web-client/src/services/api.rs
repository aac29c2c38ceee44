//! The one HTTP client: adds the token, refreshes it once on 401, and maps problem+json to
//! one error type. Wire types come from `gridwork-shared`.

use gloo_net::http::{Request, RequestBuilder, Response};
use gridwork_shared::Problem;
use gridwork_shared::api::{LoginRequest, Me, Page, RefreshRequest, TokenResponse, User};
use gridwork_shared::incident::PhotoRef;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::store;
use crate::i18n::{Text, t};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with a problem.
    Problem(Problem),
    /// No answer: the network or the server is away.
    Offline,
    /// The session is over: log in again.
    LoggedOut,
}

impl ApiError {
    /// The error in the current language, on one line.
    pub fn message(&self) -> String {
        self.lines().join("; ")
    }

    /// The error as lines in the current language: one per field error, or its message.
    pub fn lines(&self) -> Vec<String> {
        match self {
            ApiError::Problem(p) => crate::i18n::problems::lines_of(p),
            ApiError::Offline => vec![t(Text::Offline).to_string()],
            ApiError::LoggedOut => vec![t(Text::SessionExpired).to_string()],
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

const ACCESS: &str = "gridwork.access";
const REFRESH: &str = "gridwork.refresh";
const ME: &str = "gridwork.me";

/// The access token of the session (for what cannot send a header: the live notification
/// stream's `EventSource`).
pub fn access_token() -> Option<String> {
    store::get(ACCESS)
}

pub fn me() -> Option<Me> {
    store::get(ME).and_then(|s| serde_json::from_str(&s).ok())
}

fn keep(t: &TokenResponse) {
    store::set(ACCESS, &t.access_token);
    store::set(REFRESH, &t.refresh_token);
    store::set(ME, &serde_json::to_string(&t.user).unwrap_or_default());
}

/// Ends the session on this phone (logout, or a session that expired): the user's records
/// leave the phone with it; its unsent changes stay, for it alone.
pub fn forget() {
    let who = me();
    store::remove(ACCESS);
    store::remove(REFRESH);
    store::remove(ME);
    if let Some(me) = who {
        wasm_bindgen_futures::spawn_local(async move {
            super::queue::forget_records_of(&me.id.to_string()).await;
        });
    }
}

/// Refreshes the session of `who` (the user a request was sent for); a request never
/// carries on under somebody else who signed in on the phone meanwhile.
async fn refresh_for(who: Option<uuid::Uuid>) -> ApiResult<()> {
    if me().map(|m| m.id) != who {
        return Err(ApiError::LoggedOut);
    }
    refresh().await
}

async fn read<T: DeserializeOwned>(res: Response) -> ApiResult<T> {
    if res.ok() {
        if res.status() == 204 {
            return serde_json::from_str("null").map_err(|_| ApiError::Offline);
        }
        return res.json::<T>().await.map_err(|_| ApiError::Offline);
    }
    match res.json::<Problem>().await {
        Ok(p) => Err(ApiError::Problem(p)),
        Err(_) => Err(ApiError::Offline),
    }
}

pub async fn login(username: &str, password: &str) -> ApiResult<Me> {
    let body = LoginRequest {
        username: username.into(),
        password: password.into(),
    };
    let res = Request::post("/api/v1/auth/login")
        .json(&body)
        .map_err(|_| ApiError::Offline)?
        .send()
        .await;
    let t: TokenResponse = read(res.map_err(|_| ApiError::Offline)?).await?;
    // Somebody else was still signed in on this phone: their records go.
    if me().is_some_and(|m| m.id != t.user.id) {
        forget();
    }
    keep(&t);
    Ok(t.user)
}

pub async fn logout() {
    if let Some(r) = store::get(REFRESH)
        && let Ok(req) =
            Request::post("/api/v1/auth/logout").json(&RefreshRequest { refresh_token: r })
    {
        let _ = req.send().await;
    }
    forget();
}

async fn refresh() -> ApiResult<()> {
    let r = store::get(REFRESH).ok_or(ApiError::LoggedOut)?;
    let res = Request::post("/api/v1/auth/refresh")
        .json(&RefreshRequest {
            refresh_token: r.clone(),
        })
        .map_err(|_| ApiError::Offline)?
        .send()
        .await
        .map_err(|_| ApiError::Offline)?;
    // Somebody logged out or in meanwhile: this answer is not for the session now.
    if store::get(REFRESH).as_ref() != Some(&r) {
        return Err(ApiError::LoggedOut);
    }
    if res.status() == 401 {
        forget();
        return Err(ApiError::LoggedOut);
    }
    let t: TokenResponse = read(res).await?;
    if store::get(REFRESH).as_ref() != Some(&r) {
        return Err(ApiError::LoggedOut);
    }
    keep(&t);
    Ok(())
}

/// Sends a request (with `body`, a JSON document, if any), refreshing the token once on 401.
async fn send(make: impl Fn() -> RequestBuilder, body: Option<&str>) -> ApiResult<Response> {
    let who = me().map(|m| m.id);
    for attempt in 0..2 {
        let mut rb = make();
        if let Some(t) = store::get(ACCESS) {
            rb = rb.header("Authorization", &format!("Bearer {t}"));
        }
        let sent = match body {
            Some(b) => {
                rb.header("Content-Type", "application/json")
                    .body(b)
                    .map_err(|_| ApiError::Offline)?
                    .send()
                    .await
            }
            None => rb.send().await,
        };
        let res = sent.map_err(|_| ApiError::Offline)?;
        if res.status() == 401 && attempt == 0 {
            refresh_for(who).await?;
            continue;
        }
        if res.status() == 401 {
            forget();
            return Err(ApiError::LoggedOut);
        }
        return Ok(res);
    }
    Err(ApiError::LoggedOut)
}

pub async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    let url = path.to_string();
    read(send(|| Request::get(&url), None).await?).await
}

/// A file the API answered (an export): the name the server gives it, its type and bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The file name of a `Content-Disposition` header (`attachment; filename="x.csv"`).
pub fn disposition_name(header: &str) -> Option<String> {
    let (_, rest) = header.split_once("filename=")?;
    let name = rest.split(';').next()?.trim().trim_matches('"');
    (!name.is_empty()).then(|| name.to_string())
}

/// Fetches a file with the caller's token (a plain link would carry none), refreshing it
/// once on 401 like every request.
pub async fn get_file(path: &str) -> ApiResult<Download> {
    let url = path.to_string();
    let res = send(|| Request::get(&url), None).await?;
    if !res.ok() {
        return Err(read::<()>(res).await.err().unwrap_or(ApiError::Offline));
    }
    let headers = res.headers();
    let name = headers
        .get("content-disposition")
        .as_deref()
        .and_then(disposition_name)
        .unwrap_or_else(|| "gridwork-export".into());
    let content_type = headers.get("content-type").unwrap_or_default();
    let bytes = res.binary().await.map_err(|_| ApiError::Offline)?;
    Ok(Download {
        name,
        content_type,
        bytes,
    })
}

impl Download {
    /// The file behind an object URL (for an `<img>` or a download link); it stays valid
    /// until revoked with `web_sys::Url::revoke_object_url`.
    pub fn object_url(&self) -> Option<String> {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(self.bytes.as_slice()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&self.content_type);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
        web_sys::Url::create_object_url_with_blob(&blob).ok()
    }
}

/// An image the API serves (a photo or its thumbnail), fetched with the caller's token, as
/// an object URL an `<img>` shows (a plain `src` would carry no token). The caller revokes
/// it when the image leaves the screen.
pub async fn image_url(path: &str) -> ApiResult<String> {
    get_file(path).await?.object_url().ok_or(ApiError::Offline)
}

/// The users the caller may see (`GET /users`, the first 500).
pub async fn users() -> ApiResult<Vec<User>> {
    let page: Page<User> = get("/api/v1/users?limit=500").await?;
    Ok(page.items)
}

/// Uploads bytes (a photo) to a record.
pub async fn post_bytes(path: &str, content_type: &str, bytes: &[u8]) -> ApiResult<PhotoRef> {
    let who = me().map(|m| m.id);
    for attempt in 0..2 {
        let mut rb = Request::post(path).header("Content-Type", content_type);
        if let Some(t) = store::get(ACCESS) {
            rb = rb.header("Authorization", &format!("Bearer {t}"));
        }
        let body = js_sys::Uint8Array::from(bytes);
        let res = rb
            .body(body)
            .map_err(|_| ApiError::Offline)?
            .send()
            .await
            .map_err(|_| ApiError::Offline)?;
        if res.status() == 401 && attempt == 0 {
            refresh_for(who).await?;
            continue;
        }
        return read(res).await;
    }
    Err(ApiError::LoggedOut)
}

pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    let url = path.to_string();
    let json = serde_json::to_string(body).map_err(|_| ApiError::Offline)?;
    read(send(|| Request::put(&url), Some(&json)).await?).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    post_json(
        path,
        serde_json::to_string(body).map_err(|_| ApiError::Offline)?,
    )
    .await
}

/// Posts a JSON document as it is: a file the server checks whole (a cell import), so that
/// every fault in it comes back from the server at once.
pub async fn post_json<T: DeserializeOwned>(path: &str, json: String) -> ApiResult<T> {
    let url = path.to_string();
    read(send(|| Request::post(&url), Some(&json)).await?).await
}

/// A change to a record (`PATCH`), carrying the `version` it was read at where the contract asks.
pub async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    let url = path.to_string();
    let json = serde_json::to_string(body).map_err(|_| ApiError::Offline)?;
    read(send(|| Request::patch(&url), Some(&json)).await?).await
}

/// Deletes (or revokes) a record: `204` is `Ok`.
pub async fn delete(path: &str) -> ApiResult<()> {
    let url = path.to_string();
    read(send(|| Request::delete(&url), None).await?).await
}

#[cfg(test)]
mod tests {
    use super::disposition_name;

    #[test]
    fn a_download_keeps_the_servers_file_name() {
        assert_eq!(
            disposition_name(
                "attachment; filename=\"gridwork-workers-500117001-2026-11-02-2026-12-01.csv\""
            )
            .as_deref(),
            Some("gridwork-workers-500117001-2026-11-02-2026-12-01.csv")
        );
        assert_eq!(
            disposition_name("attachment; filename=a.xlsx; size=3").as_deref(),
            Some("a.xlsx")
        );
        assert_eq!(disposition_name("attachment"), None);
        assert_eq!(disposition_name("attachment; filename=\"\""), None);
    }
}
