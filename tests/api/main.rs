//! Black-box API tests: every test runs once on SQLite and once on PostgreSQL.

mod audit;
mod auth;
mod backup;
mod calendar;
mod cells;
mod conventions;
mod crash;
mod deliberations;
mod demo;
mod exports;
mod incidents;
mod notifications;
mod open311;
mod ops;
mod persons;
mod regions;
mod responsibility;
mod schema_drift;
mod selections;
mod stats;
mod sync;
mod teams;
mod units;
mod users;
