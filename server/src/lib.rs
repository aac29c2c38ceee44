//! The Gridwork server, in layers (see ARCHITECTURE.md, "Layers"):
//!
//! - [`http`]: the edge — routes, extractors, paging parameters, problem+json, OpenAPI;
//! - [`flow`]: the rules of each resource, one module per resource;
//! - [`db`]: the only diesel and SQL; [`core`]: dependency-free helpers (crypto, time,
//!   passwords and tokens, photo codec, geometry text);
//! - [`app`]: configuration, startup, shared state, background jobs, telemetry, metrics;
//! - [`tools`]: the command line, the demo district and the benchmark generator.
//!
//! Imports point down only: `flow` never imports `http`; `db` and `core` import neither;
//! `tools` never imports `http` (checked by `cargo xtask layers` on every test run).

pub mod app;
pub mod core;
pub mod db;
pub mod flow;
pub mod http;
pub mod tools;
