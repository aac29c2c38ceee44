pub mod api;
pub mod queue;
pub mod store;
