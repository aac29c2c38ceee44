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

/// Field errors as one line for the form's alert.
pub fn field_errors(errors: &gridwork_shared::FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Queues a field operation, asks for a sync and goes to `then`; on failure shows the
/// error in the form instead.
pub fn queue_and_go(
    kind: &'static str,
    body: serde_json::Value,
    session: crate::app::SessionCtx,
    navigator: yew_router::prelude::Navigator,
    then: crate::app::Route,
    error: yew::UseStateHandle<Option<String>>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        match crate::services::queue::enqueue(kind, body).await {
            Ok(()) => {
                session.sync_now.emit(());
                navigator.push(&then);
            }
            Err(e) => error.set(Some(e)),
        }
    });
}
