//! Helpers that know nothing of HTTP, the database or the rules: field encryption, the
//! domain clock, time formats, passwords, tokens, login throttling arithmetic, stored
//! geometry text, and the photo codec with its content-addressed files.

pub mod audit_chain;
pub mod clock;
pub mod crypto;
pub mod geo_json;
pub mod jwt;
pub mod password;
pub mod photo;
pub mod signed;
pub mod throttle;
pub mod time;
