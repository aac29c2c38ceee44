//! The web client in headless Chromium against the real server: a worker logs in, reports
//! an incident while the server is away, reloads with no network, gets the server back and
//! sees the report synced exactly once; a supervisor dispatches it and the worker sees it.
//! Every wait is for a condition, with a deadline; nothing sleeps for a fixed time.

mod admin;
mod duty;
mod field;
mod halls;
mod incident;
mod notifications;
mod office;
mod offline_day;
mod open311;
mod persons;
mod support;
mod teams;
mod units;
