//! Sending what the user did: to the queue first, then a sync round, then the next screen.

use gridwork_shared::sync::Operation;
use yew::prelude::*;
use yew_router::prelude::*;

use super::use_session;
use crate::app::{Route, SessionCtx};
use crate::components::photo_field::Photo;
use crate::logic::PhotoOwner;
use crate::services::queue;

/// A form that queues a field operation: its error line, its photo (taken on the phone,
/// compressed, not sent yet) and the sending.
#[derive(Clone)]
pub struct FieldForm {
    /// What went wrong, shown in the form.
    pub error: UseStateHandle<Option<String>>,
    pub photo: Photo,
    session: SessionCtx,
    navigator: Navigator,
}

impl FieldForm {
    /// Shows `message` in the form.
    pub fn fail(&self, message: String) {
        self.error.set(Some(message));
    }

    /// Queues a field operation (then the form's photo, if any, for `owner`: it uploads once
    /// the operation applied), asks for a sync and goes to `then`; on failure shows the error
    /// in the form instead. With `refused`, the operation is the fix of that refused one,
    /// which then leaves the phone.
    pub fn send_in_place_of(
        &self,
        operation: Operation,
        owner: Option<(PhotoOwner, String)>,
        then: Route,
        refused: Option<String>,
    ) {
        let photo = owner.zip((*self.photo).clone());
        let FieldForm {
            error,
            session,
            navigator,
            ..
        } = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let queued = match match &refused {
                None => queue::enqueue(operation).await,
                Some(key) => queue::enqueue_in_place_of(operation, Some(key))
                    .await
                    .map(|_| ()),
            } {
                Ok(()) => match photo {
                    Some(((owner, id), jpeg)) => queue::enqueue_photo(owner, &id, jpeg.to_vec())
                        .await
                        .map(|_| ()),
                    None => Ok(()),
                },
                Err(e) => Err(e),
            };
            match queued {
                Ok(()) => {
                    session.sync_now.emit(());
                    navigator.push(&then);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    }
}

#[hook]
pub fn use_field_form() -> FieldForm {
    FieldForm {
        error: use_state(|| None),
        photo: use_state(|| None),
        session: use_session(),
        navigator: use_navigator().expect("the router"),
    }
}

/// The query of a form opened to fix a refused operation (`/report?fix=KEY`,
/// `/persons/{id}/visit?fix=KEY`…): the refused operation's key in the outbox.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    pub fix: String,
}

/// The refused operation the form was opened to fix: its key (from the URL) and, once read
/// from the phone, what `pick` takes of it (the form's fields, its record's id kept).
#[hook]
pub fn use_fixing<T>(pick: fn(Operation) -> Option<T>) -> (Option<String>, Option<T>)
where
    T: Clone + 'static,
{
    let fixing = use_location()
        .and_then(|l| l.query::<Fix>().ok())
        .map(|f| f.fix);
    let draft = super::use_loaded(fixing.clone(), move |key| async move {
        pick(queue::refused_operation(key.as_deref()?).await?)
    });
    (fixing, (*draft).clone().flatten())
}
