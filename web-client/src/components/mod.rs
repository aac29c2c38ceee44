//! Pieces that more than one screen shows: the top bar and the page around a screen, form
//! helpers, list rows and chips, the photo field, the place picker, the worker assignment.

pub mod assign;
pub mod choice;
pub mod deferred;
pub mod export;
pub mod form;
pub mod header;
pub mod list;
pub mod notices;
pub mod page;
pub mod photo;
pub mod photo_field;
pub mod place_picker;
pub mod position;
pub mod when;
