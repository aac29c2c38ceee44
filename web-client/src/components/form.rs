//! Reading form inputs behind events, and showing a form's error.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The value of an input element behind an event.
pub fn input_value(e: &InputEvent) -> String {
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
pub fn chosen_file(e: &Event) -> Option<web_sys::File> {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
}

/// The value of a select element behind a change event.
pub fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// Sets `state` to the value of the input or text area behind each input event.
pub fn on_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| state.set(input_value(&e)))
}

/// Sets `state` to the value of the select behind each change event.
pub fn on_select(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| state.set(select_value(&e)))
}

/// Field errors found on the phone, as one line in the current language for the form's alert.
pub fn field_errors(errors: &gridwork_shared::FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(crate::i18n::problems::field_line)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The form's error, if any, as an alert.
pub fn alert(error: &Option<String>) -> Html {
    html! { <>{ for error.iter().map(|e| html!{ <p class="error" role="alert">{ e }</p> }) }</> }
}

/// Lines of a result (one per field error, or a message), as the admin forms show them.
pub fn lines(v: &[String]) -> Html {
    html! { <ul class="messages">{ for v.iter().map(|l| html!{ <li>{ l }</li> }) }</ul> }
}
