//! The screens, one a file. Login and home are in the main wasm module; every other screen
//! is reached through a split point in `lazy.rs`.

pub mod admin;
pub mod cells;
pub mod figures;
pub mod home;
pub mod incident;
pub mod inspect;
pub mod login;
pub mod map;
pub mod overdue;
pub mod queue;
pub mod report;
pub mod units;
pub mod visit;
