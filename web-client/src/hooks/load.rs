//! Loading what a screen shows: once per change of what it depends on, keeping the last
//! answer while the next one comes, and dropping an answer that a newer load overtook.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use gridwork_shared::api::User;
use yew::prelude::*;

use super::use_session;
use crate::services::api;
use crate::services::queue::{self, Record};

/// Set when the effect that started a task runs again (its inputs changed) or its screen
/// closes: the task's answer is then out of date and must not overwrite a newer one that
/// arrived first. The effect returns the second half as its cleanup.
struct Superseded(Rc<Cell<bool>>);

impl Superseded {
    fn new() -> (Superseded, impl FnOnce()) {
        let flag = Rc::new(Cell::new(false));
        let set = flag.clone();
        (Superseded(flag), move || set.set(true))
    }

    fn get(&self) -> bool {
        self.0.get()
    }
}

/// What `load(deps)` answers, loaded again whenever `deps` changes: `None` until the first
/// answer, then the latest answer (the previous one stays while the next is on its way).
#[hook]
pub fn use_loaded<D, T, F, Fut>(deps: D, load: F) -> UseStateHandle<Option<T>>
where
    D: PartialEq + Clone + 'static,
    T: 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = T> + 'static,
{
    let value = use_state(|| None::<T>);
    {
        let value = value.clone();
        use_effect_with(deps, move |deps| {
            let (superseded, cleanup) = Superseded::new();
            let answer = load(deps.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = answer.await;
                if !superseded.get() {
                    value.set(Some(answer));
                }
            });
            cleanup
        });
    }
    value
}

/// What `load` reads from the phone's copy, read again after every pull.
#[hook]
pub fn use_local<T, F, Fut>(load: F) -> UseStateHandle<Option<T>>
where
    T: 'static,
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = T> + 'static,
{
    let generation = use_session().generation;
    use_loaded(generation, move |_| load())
}

/// The local record (a person, a unit…) with this id, read again after every pull; `None`
/// until it is read or when the phone does not have it.
#[hook]
pub fn use_local_record<R: Record + Clone>(id: &str) -> Option<R> {
    let generation = use_session().generation;
    let record = use_loaded((id.to_string(), generation), move |(id, _)| async move {
        queue::records::<R>()
            .await
            .into_iter()
            .find(|r| r.key() == id)
    });
    (*record).clone().flatten().filter(|r| r.key() == id)
}

/// The users the caller may see (`GET /users`), when `wanted`; loaded again when `reload`
/// changes. Empty until they come, when not wanted, and with no network.
#[hook]
pub fn use_users(wanted: bool, reload: u32) -> Rc<Vec<User>> {
    let users = use_loaded((wanted, reload), |(wanted, _)| async move {
        match wanted {
            true => Rc::new(api::users().await.unwrap_or_default()),
            false => Rc::default(),
        }
    });
    (*users).clone().unwrap_or_default()
}
