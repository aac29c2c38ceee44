pub mod api;
pub mod photo;
pub mod queue;
pub mod store;
