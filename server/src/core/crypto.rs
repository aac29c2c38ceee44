//! Field encryption for sensitive personal data (PIPL): ChaCha20-Poly1305 with a random
//! nonce per value and the record id and field name as associated data, so a ciphertext
//! cannot be moved to another record or field unnoticed.
//!
//! Stored form: `v1.<key id>.<base64(nonce ‖ ciphertext)>`, where the key id is the first
//! 8 hex digits of SHA-256 of the key. **Rotation:** set the new key as
//! `GRIDWORK_ENCRYPTION_KEY` and the old one in `GRIDWORK_ENCRYPTION_KEYS_OLD` (comma
//! list); values written with an old key still decrypt, and `gridwork persons reencrypt`
//! rewrites them all under the new key, after which the old key can be dropped.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{AeadCore, ChaCha20Poly1305, Nonce};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct Keyring {
    current: (String, ChaCha20Poly1305),
    old: Vec<(String, ChaCha20Poly1305)>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("current", &self.current.0)
            .finish_non_exhaustive()
    }
}

fn key_id(key: &[u8]) -> String {
    hex::encode(&Sha256::digest(key)[..4])
}

fn cipher(key: &[u8]) -> (String, ChaCha20Poly1305) {
    (
        key_id(key),
        ChaCha20Poly1305::new_from_slice(key).expect("keys are 32 bytes"),
    )
}

impl Keyring {
    /// `current` and each old key are 32 bytes.
    pub fn new(current: &[u8], old: &[Vec<u8>]) -> Keyring {
        Keyring {
            current: cipher(current),
            old: old.iter().map(|k| cipher(k)).collect(),
        }
    }

    pub fn current_key_id(&self) -> &str {
        &self.current.0
    }

    pub fn encrypt(&self, plaintext: &str, aad: &str) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ct = self
            .current
            .1
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .expect("encryption of a bounded value cannot fail");
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        format!("v1.{}.{}", self.current.0, STANDARD_NO_PAD.encode(blob))
    }

    pub fn decrypt(&self, stored: &str, aad: &str) -> anyhow::Result<String> {
        let mut parts = stored.splitn(3, '.');
        let (Some("v1"), Some(kid), Some(data)) = (parts.next(), parts.next(), parts.next()) else {
            anyhow::bail!("not an encrypted value");
        };
        let cipher = std::iter::once(&self.current)
            .chain(self.old.iter())
            .find(|(id, _)| id == kid)
            .map(|(_, c)| c)
            .ok_or_else(|| {
                anyhow::anyhow!("no key {kid} in the keyring; set GRIDWORK_ENCRYPTION_KEYS_OLD")
            })?;
        let blob = STANDARD_NO_PAD.decode(data)?;
        anyhow::ensure!(blob.len() > 12, "encrypted value too short");
        let (nonce, ct) = blob.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().expect("split at 12");
        let pt = cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("an encrypted value failed authentication"))?;
        Ok(String::from_utf8(pt)?)
    }

    /// Whether a stored value is under the current key.
    pub fn is_current(&self, stored: &str) -> bool {
        stored.split('.').nth(1) == Some(self.current.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_binding_and_rotation() {
        let old = Keyring::new(&[1u8; 32], &[]);
        let v = old.encrypt("11010519491231002X", "p1:id_number");
        assert!(!v.contains("1101051949"));
        assert_eq!(
            old.decrypt(&v, "p1:id_number").unwrap(),
            "11010519491231002X"
        );
        assert!(
            old.decrypt(&v, "p2:id_number").is_err(),
            "bound to its record"
        );
        assert_ne!(
            old.encrypt("x", "a"),
            old.encrypt("x", "a"),
            "random nonces"
        );
        let new = Keyring::new(&[2u8; 32], &[vec![1u8; 32]]);
        assert_eq!(
            new.decrypt(&v, "p1:id_number").unwrap(),
            "11010519491231002X"
        );
        assert!(!new.is_current(&v));
        assert!(
            Keyring::new(&[2u8; 32], &[])
                .decrypt(&v, "p1:id_number")
                .is_err()
        );
    }
}
