//! Custom hooks: how a screen gets at the session, loads what it shows (from the phone's copy
//! or the server) and queues what the user does.

mod enqueue;
mod load;

pub use enqueue::{Fix, use_field_form, use_fixing};
pub use load::{use_loaded, use_local, use_local_record, use_users};

use yew::prelude::*;

use crate::app::SessionCtx;

/// Who is logged in and where sync stands (the context `App` provides).
#[hook]
pub fn use_session() -> SessionCtx {
    use_context::<SessionCtx>().expect("the session context")
}

/// Listens for `event`, which the map script dispatches on the element `id` after writing
/// what happened into the element's attributes, from the first render until the screen
/// closes; `read` gets the element.
#[hook]
pub fn use_map_event<F>(id: &'static str, event: &'static str, read: F)
where
    F: Fn(&web_sys::Element) + 'static,
{
    use_effect_with((), move |_| {
        crate::services::map::on_map_event(id, event, read)
    });
}
