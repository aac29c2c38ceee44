//! Keyset pagination: lists are ordered `created_at desc, id desc` and a cursor is the
//! last row's `(created_at, id)`, opaque to clients. The HTTP edge reads `limit` and
//! `cursor` from the query string (`http::paging`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;

#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub created_at: NaiveDateTime,
    pub id: String,
}

impl Cursor {
    pub fn new(created_at: NaiveDateTime, id: &str) -> Cursor {
        Cursor {
            created_at,
            id: id.to_string(),
        }
    }

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

/// A page to fetch: at most `limit` rows after `after`.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<Cursor>,
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
