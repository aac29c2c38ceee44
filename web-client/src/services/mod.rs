pub mod api;
pub mod live;
pub mod map;
pub mod photo;
pub mod queue;
pub mod store;
