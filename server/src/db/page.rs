//! Keyset pagination: lists are ordered `created_at desc, id desc` and a cursor is the
//! last row's `(created_at, id)`, opaque to clients.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub created_at: NaiveDateTime,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = format!(
            "{}|{}",
            self.created_at.and_utc().timestamp_micros(),
            self.id
        );
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s).ok()?).ok()?;
        let (micros, id) = raw.split_once('|')?;
        let created_at = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
        (!id.is_empty()).then(|| Cursor {
            created_at,
            id: id.to_string(),
        })
    }
}

/// `limit` and `cursor` as a list endpoint receives them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<Cursor>,
}

impl PageParams {
    /// 422 for a limit outside 1–500 or a cursor we did not issue.
    pub fn validate(&self) -> ApiResult<PageRequest> {
        let limit = match self.limit.as_deref() {
            None | Some("") => DEFAULT_LIMIT,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(ApiError::invalid(
                        "limit",
                        "must be an integer from 1 to 500",
                    ));
                }
            },
        };
        let after = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(s) => Some(Cursor::decode(s).ok_or_else(|| {
                ApiError::invalid("cursor", "is not a cursor this server issued")
            })?),
        };
        Ok(PageRequest { limit, after })
    }
}

/// Cuts a fetched `limit + 1` rows down to a page and its next cursor.
pub fn finish<R>(
    mut rows: Vec<R>,
    limit: i64,
    key: impl Fn(&R) -> Cursor,
) -> (Vec<R>, Option<String>) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|r| key(r).encode())
    } else {
        None
    };
    (rows, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let c = Cursor {
            created_at: chrono::DateTime::from_timestamp_micros(1_764_000_000_123_456)
                .unwrap()
                .naive_utc(),
            id: "0193-abc".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("!!"), None);
    }
}
