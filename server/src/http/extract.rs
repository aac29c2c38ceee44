//! Request extractors that keep the contract's order of checks:
//! 401 → 403 (role) → 400 / 413 / 415 → 422 → 404.
//!
//! Only [`crate::flow::caller::CurrentUser`] rejects while extracting. [`Body`] does not even
//! read the payload: a handler checks the caller and the role first and reads the body
//! afterwards, so a refused caller costs no upload. Query strings are parsed inside
//! handlers for the same reason.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use gridwork_shared::ErrorCode;
use serde::de::DeserializeOwned;

use crate::http::error::{ApiError, ApiResult};

/// The largest body a route accepts; set per route with `.app_data(BodyLimit(n))`.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// A request body, not yet read: a handler checks the caller and its role first and reads
/// the body only then, so a caller who may not use the endpoint is refused at once, before
/// any of a large body is received.
pub struct Body {
    payload: Payload,
    limit: usize,
    declared: Option<usize>,
    content_type: Option<String>,
}

impl FromRequest for Body {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Body, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<BodyLimit>()
            .map(|l| l.0)
            .unwrap_or(DEFAULT_BODY_LIMIT);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.to_ascii_lowercase());
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        std::future::ready(Ok(Body {
            payload: payload.take(),
            limit,
            declared,
            content_type,
        }))
    }
}

impl Body {
    /// Reads the body: 413 beyond the route's limit (at once when the declared length says
    /// so), 400 when it breaks off.
    pub async fn bytes(mut self) -> ApiResult<web::Bytes> {
        let too_large = |limit: usize| {
            ApiError::new(
                ErrorCode::TooLarge,
                format!("the request body exceeds {limit} bytes"),
            )
        };
        if self.declared.is_some_and(|n| n > self.limit) {
            return Err(too_large(self.limit));
        }
        let mut buf = web::BytesMut::new();
        while let Some(chunk) = self.payload.next().await {
            let c = chunk.map_err(|e| {
                ApiError::new(
                    ErrorCode::BadRequest,
                    format!("the body could not be read: {e}"),
                )
            })?;
            if buf.len() + c.len() > self.limit {
                return Err(too_large(self.limit));
            }
            buf.extend_from_slice(&c);
        }
        Ok(buf.freeze())
    }

    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Checks that the body is JSON (415 otherwise), then reads it (413).
    pub async fn json_bytes(self) -> ApiResult<web::Bytes> {
        let ct = self.content_type.as_deref().unwrap_or("");
        let mime = ct.split(';').next().unwrap_or("").trim();
        let is_json = mime == "application/json"
            || (mime.starts_with("application/") && mime.ends_with("+json"));
        if !is_json {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMedia,
                "the body must be application/json",
            ));
        }
        self.bytes().await
    }

    /// Reads and parses the JSON body into `T`: 400 `malformed_json` for syntax, 422 for
    /// values.
    pub async fn json<T: DeserializeOwned>(self) -> ApiResult<T> {
        Ok(crate::flow::decode::json(&self.json_bytes().await?)?)
    }
}

/// A query string's parameters as (name, value), decoded; 422 for one that is not a query
/// string or holds a NUL character.
pub fn query_pairs(req: &HttpRequest) -> ApiResult<Vec<(String, String)>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| ApiError::invalid("query", e.to_string()))?;
    for (name, value) in &pairs {
        if value.contains('\0') || name.contains('\0') {
            return Err(ApiError::invalid(name, "must not contain NUL characters"));
        }
    }
    Ok(pairs)
}

/// Parses a query string into `T` (unknown parameters are refused): 422 on failure.
pub fn parse_query<T: DeserializeOwned>(req: &HttpRequest) -> ApiResult<T> {
    query_pairs(req)?;
    serde_urlencoded::from_str::<T>(req.query_string())
        .map_err(|e| ApiError::invalid("query", e.to_string()))
}

/// A path id that is not a UUID names nothing: 404.
pub fn path_uuid(raw: &str) -> ApiResult<String> {
    Ok(crate::flow::parse_id(raw)?)
}

/// The caller's address for throttling and the audit log: the peer's, or — when the peer
/// is a trusted proxy (`GRIDWORK_TRUSTED_PROXIES`) — the nearest address in
/// `X-Forwarded-For` that is not one of the trusted proxies.
pub fn client_ip(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".to_string();
    };
    let trusted = req
        .app_data::<web::Data<crate::app::state::AppState>>()
        .map(|s| s.config.trusted_proxies.as_slice())
        .unwrap_or_default();
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    real_client(peer, &forwarded, trusted).to_string()
}

/// Walks `X-Forwarded-For` from the nearest hop while the hop is a trusted proxy.
fn real_client(
    peer: std::net::IpAddr,
    forwarded: &[&str],
    trusted: &[ipnet::IpNet],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.trim().parse::<std::net::IpAddr>() {
            Ok(ip) => client = ip,
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::real_client;

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy = "10.0.0.5".parse().unwrap();
        let trusted = crate::app::config::parse_networks("10.0.0.0/8").unwrap();
        let client = "203.0.113.7".parse().unwrap();
        // No trusted proxy: the peer, whatever the header says.
        assert_eq!(real_client(client, &["198.51.100.1"], &[]), client);
        assert_eq!(real_client(proxy, &["203.0.113.7"], &[]), proxy);
        // Through the proxy: the address it saw.
        assert_eq!(real_client(proxy, &["203.0.113.7"], &trusted), client);
        // A client cannot put itself behind a forged hop.
        assert_eq!(
            real_client(proxy, &["198.51.100.1", "203.0.113.7"], &trusted),
            client
        );
        assert_eq!(real_client(proxy, &["not an address"], &trusted), proxy);
    }
}
