//! Tokens the server hands out and must get back unchanged (sync cursors): the text, a dot,
//! and an HMAC-SHA256 tag over the text under a key of their own purpose.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How many bytes of the tag a token carries (128 bits).
const TAG: usize = 16;

#[derive(Clone)]
pub struct Signer {
    key: [u8; 32],
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

fn mac(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length")
}

impl Signer {
    /// A signer whose key is derived from `secret` for one `purpose`, so that a token of
    /// one kind is never taken for another.
    pub fn derive(secret: &[u8], purpose: &str) -> Signer {
        let mut m = mac(secret);
        m.update(purpose.as_bytes());
        Signer {
            key: m.finalize().into_bytes().into(),
        }
    }

    pub fn sign(&self, text: &str) -> String {
        let mut m = mac(&self.key);
        m.update(text.as_bytes());
        let tag = m.finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(text),
            URL_SAFE_NO_PAD.encode(&tag[..TAG])
        )
    }

    /// The text of a token this signer made; `None` for anything forged or edited.
    pub fn open(&self, token: &str) -> Option<String> {
        let (text, tag) = token.split_once('.')?;
        let text = URL_SAFE_NO_PAD.decode(text).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        if tag.len() != TAG {
            return None;
        }
        let mut m = mac(&self.key);
        m.update(&text);
        m.verify_truncated_left(&tag).ok()?;
        String::from_utf8(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_only_unchanged_and_under_its_own_key() {
        let s = Signer::derive(b"secret", "sync-cursor");
        let t = s.sign("c|7|abc");
        assert_eq!(s.open(&t).as_deref(), Some("c|7|abc"));
        let (text, tag) = t.split_once('.').unwrap();
        let edited = format!("{}.{tag}", URL_SAFE_NO_PAD.encode("c|0|abc"));
        assert_eq!(s.open(&edited), None);
        assert_eq!(s.open(text), None);
        assert_eq!(s.open(&format!("{text}.AAAA")), None);
        assert_eq!(Signer::derive(b"secret", "other").open(&t), None);
        assert_eq!(Signer::derive(b"other", "sync-cursor").open(&t), None);
        assert_eq!(s.open("garbage"), None);
    }
}
