pub mod admin;
pub mod assign;
pub mod cells;
pub mod figures;
pub mod header;
pub mod home;
pub mod incident;
pub mod login;
pub mod map;
pub mod overdue;
pub mod queue;
pub mod report;
pub mod units;
pub mod visit;

/// Set when the effect that started a task runs again (its inputs changed) or its screen
/// closes: the task's answer is then out of date and must not overwrite a newer one that
/// arrived first. The effect returns the second half as its cleanup.
pub struct Superseded(std::rc::Rc<std::cell::Cell<bool>>);

impl Superseded {
    pub fn new() -> (Superseded, impl FnOnce()) {
        let flag = std::rc::Rc::new(std::cell::Cell::new(false));
        let set = flag.clone();
        (Superseded(flag), move || set.set(true))
    }

    pub fn get(&self) -> bool {
        self.0.get()
    }
}

/// The value of an input element behind an event.
pub fn input_value(e: &yew::InputEvent) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| {
            t.dyn_into::<web_sys::HtmlInputElement>()
                .ok()
                .map(|i| i.value())
        })
        .or_else(|| {
            e.target().and_then(|t| {
                t.dyn_into::<web_sys::HtmlTextAreaElement>()
                    .ok()
                    .map(|i| i.value())
            })
        })
        .unwrap_or_default()
}

/// The first file chosen in the file input behind a change event.
pub fn chosen_file(e: &yew::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
}

/// The value of a select element behind a change event.
pub fn select_value(e: &yew::Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// Field errors as one line for the form's alert.
pub fn field_errors(errors: &gridwork_shared::FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A photo compressed on the phone, waiting for its form to be sent.
pub type Photo = yew::UseStateHandle<Option<std::rc::Rc<Vec<u8>>>>;

/// Queues a field operation (then its photo, which uploads once the operation applied),
/// asks for a sync and goes to `then`; on failure shows the error in the form instead.
pub fn queue_and_go(
    kind: &'static str,
    body: serde_json::Value,
    photo: Option<(crate::logic::PhotoOwner, String, std::rc::Rc<Vec<u8>>)>,
    session: crate::app::SessionCtx,
    navigator: yew_router::prelude::Navigator,
    then: crate::app::Route,
    error: yew::UseStateHandle<Option<String>>,
) {
    use crate::services::queue;
    wasm_bindgen_futures::spawn_local(async move {
        let queued = match queue::enqueue(kind, body).await {
            Ok(()) => match photo {
                Some((owner, id, jpeg)) => queue::enqueue_photo(owner, &id, jpeg.to_vec()).await,
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

#[derive(yew::Properties, PartialEq)]
pub struct PhotoFieldProps {
    pub photo: Photo,
    pub error: yew::UseStateHandle<Option<String>>,
}

/// "Take a photo": the camera on a phone; the picture is scaled down and re-encoded in the
/// browser before anything is queued.
#[yew::component]
pub fn PhotoField(props: &PhotoFieldProps) -> yew::Html {
    use yew::prelude::*;
    let pick = {
        let (photo, error) = (props.photo.clone(), props.error.clone());
        Callback::from(move |e: Event| {
            let Some(file) = chosen_file(&e) else {
                return;
            };
            let (photo, error) = (photo.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match crate::services::photo::compress(&file).await {
                    Ok(jpeg) => photo.set(Some(std::rc::Rc::new(jpeg))),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let t = crate::i18n::t;
    html! {
        <>
        <label>{ t("photo") }
            <input type="file" name="photo" accept="image/*" capture="environment" onchange={pick} />
        </label>
        { for props.photo.iter().map(|p| html!{ <p class="cell" data-testid="photo">{ format!("{} {} KB", t("photo_ready"), p.len() / 1024) }</p> }) }
        </>
    }
}
