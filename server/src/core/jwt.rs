//! Access tokens: HS256 JWTs with a pinned algorithm and required `exp, iat, nbf, iss, aud, sub`.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "gridwork";
pub const AUDIENCE: &str = "gridwork-api";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "iss", "aud", "sub"]);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(&self, user_id: &str, now: i64, ttl_secs: i64) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id.to_string(),
            iat: now,
            nbf: now,
            exp: now + ttl_secs,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_and_verifies() {
        let keys = JwtKeys::new(&[7u8; 32]);
        let now = chrono::Utc::now().timestamp();
        let t = keys.issue("u1", now, 900).unwrap();
        assert_eq!(keys.verify(&t).unwrap().sub, "u1");
        assert!(JwtKeys::new(&[8u8; 32]).verify(&t).is_none());
        let expired = keys.issue("u1", now - 2000, 900).unwrap();
        assert!(keys.verify(&expired).is_none());
        let future = keys.issue("u1", now + 600, 900).unwrap();
        assert!(keys.verify(&future).is_none(), "nbf in the future");
    }

    #[test]
    fn refuses_other_algorithms() {
        let keys = JwtKeys::new(&[7u8; 32]);
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "u1".into(),
            iat: now,
            nbf: now,
            exp: now + 60,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(&[7u8; 32]),
        )
        .unwrap();
        assert!(keys.verify(&hs512).is_none());
    }
}
