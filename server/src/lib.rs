//! The Gridwork server: configuration, startup, auth, routes, database, jobs.

pub mod assessment;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod geo_json;
pub mod grid;
pub mod import;
pub mod incidents;
pub mod jobs;
pub mod metrics;
pub mod openapi;
pub mod persons;
pub mod photos;
pub mod routes;
pub mod startup;
pub mod state;
pub mod sync;
pub mod telemetry;
pub mod time;
pub mod units;
