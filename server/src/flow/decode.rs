//! Decoding a request body the same way wherever it arrives (an endpoint's body, an
//! operation inside a sync push, a file given to the command line).

use gridwork_shared::{ErrorCode, FieldErrors};
use serde::de::DeserializeOwned;

use crate::flow::error::{Error, Result};

/// Parses JSON: a syntax error is 400 `malformed_json`; a wrong or unknown field is 422
/// with the field's path.
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let field = if path == "." { String::new() } else { path };
                    let mut e = FieldErrors::new();
                    e.push(field, strip_position(&inner.to_string()));
                    Err(Error::validation(e))
                }
                _ => Err(Error::new(
                    ErrorCode::MalformedJson,
                    format!("the body is not valid JSON: {inner}"),
                )),
            }
        }
    }
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
