//! Decoding a request body the same way wherever it arrives (an endpoint's body, an
//! operation inside a sync push, a file given to the command line).

use gridwork_shared::{ErrorCode, FieldErrors};
use serde::de::DeserializeOwned;

use crate::flow::error::{Error, Result};

/// Parses JSON: a syntax error is 400 `malformed_json`; a wrong or unknown field is 422
/// with the field's path.
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    // Anything that is not one whole JSON document is malformed, even when a value early
    // in it would also be refused: read the syntax through before the values.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(Error::new(
            ErrorCode::MalformedJson,
            format!("the body is not valid JSON: {e}"),
        ));
    }
    // No database keeps a NUL character in text, and none belongs in a record.
    if has_nul_escape(bytes) {
        return Err(Error::invalid(
            "",
            "text must not contain NUL characters (\\u0000)",
        ));
    }
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

/// Whether a JSON document (already known to be well formed) writes a NUL character: the
/// only way to is the escape `\u0000` inside a string.
fn has_nul_escape(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'u') && bytes.get(i + 2..i + 6) == Some(b"0000") {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nul_escapes_are_found_and_escaped_backslashes_are_not() {
        assert!(super::has_nul_escape(br#"{"a":"x\u0000y"}"#));
        assert!(!super::has_nul_escape(br#"{"a":"x\\u0000y"}"#));
        assert!(!super::has_nul_escape(br#"{"a":"\u00e9"}"#));
        assert!(super::json::<serde_json::Value>(br#"{"a":"\u0000"}"#).is_err());
    }
}
