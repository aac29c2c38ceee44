//! `limit` and `cursor` of a list endpoint's query string, checked into a [`PageRequest`].

use serde::Deserialize;

use crate::flow::{Cursor, PageRequest};
use crate::http::error::{ApiError, ApiResult};

pub use crate::flow::{DEFAULT_LIMIT, MAX_LIMIT};

/// `limit` and `cursor` as a list endpoint receives them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

impl PageParams {
    /// 422 for a limit outside 1–500 or a cursor we did not issue.
    pub fn validate(&self) -> ApiResult<PageRequest> {
        let limit = crate::flow::page_limit(self.limit.as_deref())?;
        let after = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(s) => Some(Cursor::decode(s).ok_or_else(|| {
                ApiError::invalid("cursor", "is not a cursor this server issued")
            })?),
        };
        Ok(PageRequest { limit, after })
    }
}

/// `limit` and `cursor` as a list's own query struct carries them.
pub fn page(limit: &Option<String>, cursor: &Option<String>) -> ApiResult<PageRequest> {
    PageParams {
        limit: limit.clone(),
        cursor: cursor.clone(),
    }
    .validate()
}
