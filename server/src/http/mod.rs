//! The HTTP edge: routes (one file per resource), extractors, paging parameters,
//! problem+json and the OpenAPI document. Handlers parse, check the role, call `flow` and
//! render; the rules live in `flow`.

pub mod auth;
pub mod error;
pub mod export;
pub mod extract;
pub mod openapi;
pub mod paging;
pub mod register;
pub mod routes;
