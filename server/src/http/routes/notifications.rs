//! `GET /me/notifications`, `POST /me/notifications/read`, and the live stream
//! `GET /me/notifications/stream` (Server-Sent Events).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;
use gridwork_shared::api::Page;
use gridwork_shared::notification::{MarkRead, Notification};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::limits::StreamSlot;
use crate::flow::notifications::{self, Query};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Body, client_ip, parse_query, query_pairs};
use crate::http::paging;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/me/notifications").get(list))
        .service(resource("/me/notifications/read").post(read))
        .service(resource("/me/notifications/stream").get(stream));
}

#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications", security(("bearer" = [])),
    params(("unread" = Option<bool>, Query, description = "only the unread ones"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "the caller's notifications, newest first", body = Page<Notification>),
        (status = 401, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: Query = parse_query(&req)?;
    let page = paging::page(&q.limit, &q.cursor)?;
    let unread = q.unread.unwrap_or(false);
    let (items, next_cursor) = state
        .db(move |c| notifications::list(c, &user, unread, &page))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(Page { items, next_cursor }))
}

#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "notifications", security(("bearer" = [])),
    request_body = MarkRead,
    responses((status = 204, description = "the notifications named (`ids`), or every one created at or before \
        `up_to`, are read; ids of others' notifications change nothing"),
        (status = 401, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn read(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let b: MarkRead = body.json().await?;
    state
        .db_write(move |c| notifications::mark_read(c, &user, &b))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// How often a stream looks for notifications made by another server process.
const POLL: Duration = Duration::from_secs(10);
/// How far behind the last id sent a stream looks again (a transaction that took its id
/// earlier but committed later).
const LOOK_BEHIND_MS: u64 = 60_000;

/// The smallest UUIDv7 of the millisecond `LOOK_BEHIND_MS` before `id`'s (`""` for `""`).
fn behind(id: &str) -> String {
    let Some(ms) = uuid::Uuid::parse_str(id)
        .ok()
        .and_then(|u| u.get_timestamp())
        .map(|t| t.to_unix())
        .map(|(secs, nanos)| secs * 1000 + u64::from(nanos) / 1_000_000)
    else {
        return String::new();
    };
    let ms = ms.saturating_sub(LOOK_BEHIND_MS);
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    uuid::Uuid::from_bytes(bytes).to_string()
}
/// A comment line at least this often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// A stream ends after this long; the browser's `EventSource` opens it again at once (its
/// `Last-Event-ID` says where it was), which checks the token again.
const LIFETIME: Duration = Duration::from_secs(300);

#[utoipa::path(get, path = "/api/v1/me/notifications/stream", tag = "notifications", security(("bearer" = [])),
    params(("access_token" = Option<String>, Query, description = "the access token, for clients that cannot \
        send an Authorization header (a browser's EventSource)"),
        ("Last-Event-ID" = Option<String>, Header, description = "the id of the last notification received: \
        the stream starts after it")),
    responses((status = 200, description = "`text/event-stream`: one `notification` event per new notification \
        (its `id` is the notification's, `data` the notification as JSON); comment lines keep it alive. It ends \
        after five minutes; reconnect (EventSource does so by itself).", content_type = "text/event-stream"),
        (status = 401, body = gridwork_shared::Problem),
        (status = 429, description = "the user holds too many streams open", body = gridwork_shared::Problem)))]
pub async fn stream(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    // Who asks comes first (401 before 422), from the header or the query string.
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let token = crate::http::auth::bearer(&req).or_else(|| {
        pairs
            .iter()
            .find(|(name, _)| name == "access_token")
            .map(|(_, v)| v.clone())
    });
    let user = crate::http::auth::caller_of(&state, token, client_ip(&req)).await?;
    for (name, _) in query_pairs(&req)? {
        if name != "access_token" {
            return Err(ApiError::invalid(
                &name,
                "is not a parameter of this endpoint",
            ));
        }
    }
    let slot = state.streams.take(&user.id)?;
    let resume = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| uuid::Uuid::parse_str(s.trim()).ok())
        .map(|u| u.to_string());
    let uid = user.id.clone();
    let last = match resume {
        Some(id) => id,
        None => state
            .db(move |c| notifications::latest_id(c, &uid))
            .await?
            .unwrap_or_default(),
    };
    // What lies at or before the start counts as sent: the look behind never repeats it.
    let (uid, from, start) = (user.id.clone(), behind(&last), last.clone());
    let sent = state
        .db(move |c| notifications::after(c, &uid, &from))
        .await?
        .into_iter()
        .map(|n| n.id.to_string())
        .filter(|id| *id <= start)
        .collect();
    let live = Live {
        bell: state.bell(),
        state: state.clone(),
        user: user.id,
        last,
        sent,
        started: Instant::now(),
        sent_at: Instant::now(),
        out: VecDeque::from([Bytes::from_static(b"retry: 3000\n: open\n\n")]),
        _slot: slot,
    };
    let body = futures_util::stream::unfold(live, |mut live| async move {
        let chunk = live.next().await?;
        Some((Ok::<_, actix_web::Error>(chunk), live))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-store"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(body))
}

/// One open stream: what it has sent up to, and what waits to go.
struct Live {
    state: web::Data<AppState>,
    bell: tokio::sync::watch::Receiver<u64>,
    user: String,
    /// The highest id sent, or where the stream started (`""`: from the first).
    last: String,
    /// The ids sent lately (those a look behind `last` finds again).
    sent: std::collections::BTreeSet<String>,
    started: Instant,
    sent_at: Instant,
    out: VecDeque<Bytes>,
    _slot: StreamSlot,
}

impl Live {
    /// The next chunk to send, or `None` when the stream ends.
    async fn next(&mut self) -> Option<Bytes> {
        loop {
            if let Some(b) = self.out.pop_front() {
                self.sent_at = Instant::now();
                return Some(b);
            }
            if self.started.elapsed() >= LIFETIME {
                return None;
            }
            tokio::select! {
                changed = self.bell.changed() => { changed.ok()?; }
                _ = tokio::time::sleep(POLL) => {}
            }
            // Ids are minted before their transaction commits, so one can land behind an
            // id already sent: look again a little behind the last one, and skip what was
            // sent.
            let (user, from) = (self.user.clone(), behind(&self.last));
            let new = self
                .state
                .db(move |c| notifications::after(c, &user, &from))
                .await
                .ok()?;
            for n in new {
                let id = n.id.to_string();
                if !self.sent.insert(id.clone()) {
                    continue;
                }
                if id > self.last {
                    self.last = id;
                }
                let json = serde_json::to_string(&n).ok()?;
                self.out.push_back(Bytes::from(format!(
                    "id: {}\nevent: notification\ndata: {json}\n\n",
                    n.id
                )));
            }
            let floor = behind(&self.last);
            self.sent.retain(|id| *id > floor);
            if self.out.is_empty() && self.sent_at.elapsed() >= KEEP_ALIVE {
                self.out.push_back(Bytes::from_static(b": keep-alive\n\n"));
            }
        }
    }
}
