//! Wiring: configuration, startup, the state every request shares, background jobs,
//! telemetry and metrics.

pub mod config;
pub mod embedded;
pub mod jobs;
pub mod metrics;
pub mod startup;
pub mod state;
pub mod telemetry;
