//! The screens, one a file. Login and home are in the main wasm module; every other screen
//! is reached through a split point in `lazy.rs`.

pub mod admin;
pub mod api_keys;
pub mod audit;
pub mod cell;
pub mod cells;
pub mod departments;
pub mod figures;
pub mod hall;
pub mod home;
pub mod incident;
pub mod inspect;
pub mod login;
pub mod map;
pub mod me;
pub mod my_tasks;
pub mod notifications;
pub mod outbox;
pub mod overdue;
pub mod performance;
pub mod person;
pub mod persons;
pub mod queue;
pub mod regions;
pub mod report;
pub mod safety;
pub mod selections;
pub mod settings;
pub mod tasks;
pub mod team;
pub mod teams;
pub mod unit;
pub mod units;
pub mod users;
pub mod visit;
