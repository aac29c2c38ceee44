//! Gridwork's shared core: wire types, typed codes, validation and geometry rules.
//!
//! This crate is compiled for the server and for the wasm32 web client alike, so the
//! client validates input, resolves points to cells and reports problems with the very
//! same code as the server. It must never depend on diesel, actix or anything that does I/O.

pub mod api;
pub mod calendar;
pub mod codes;
pub mod deliberation;
pub mod geometry;
pub mod incident;
pub mod notification;
pub mod open311;
pub mod person;
pub mod problem;
pub mod responsibility;
pub mod safety;
pub mod selection;
pub mod stats;
pub mod sync;
pub mod team;
pub mod utc;
pub mod validate;

pub use codes::{RegionCode, RegionLevel};
pub use problem::{ErrorCode, FieldError, Problem};
pub use validate::FieldErrors;
