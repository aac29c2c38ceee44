pub mod admin;
pub mod header;
pub mod home;
pub mod incident;
pub mod login;
pub mod map;
pub mod report;
pub mod units;
pub mod visit;

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

/// The value of a select element behind a change event.
pub fn select_value(e: &yew::Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}
