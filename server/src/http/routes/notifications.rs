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
const POLL: Duration = Duration::from_secs(3);
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
    let mut token = crate::http::auth::bearer(&req);
    for (name, value) in query_pairs(&req)? {
        match name.as_str() {
            "access_token" if token.is_none() => token = Some(value),
            "access_token" => {}
            other => {
                return Err(ApiError::invalid(
                    other,
                    "is not a parameter of this endpoint",
                ));
            }
        }
    }
    let user = crate::http::auth::caller_of(&state, token, client_ip(&req)).await?;
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
    let live = Live {
        bell: state.bell(),
        state: state.clone(),
        user: user.id,
        last,
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
    /// The id of the last notification sent (`""`: none yet).
    last: String,
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
            let (user, last) = (self.user.clone(), self.last.clone());
            let new = self
                .state
                .db(move |c| notifications::after(c, &user, &last))
                .await
                .ok()?;
            for n in new {
                self.last = n.id.to_string();
                let json = serde_json::to_string(&n).ok()?;
                self.out.push_back(Bytes::from(format!(
                    "id: {}\nevent: notification\ndata: {json}\n\n",
                    n.id
                )));
            }
            if self.out.is_empty() && self.sent_at.elapsed() >= KEEP_ALIVE {
                self.out.push_back(Bytes::from_static(b": keep-alive\n\n"));
            }
        }
    }
}
