//! The live notification stream (`/me/notifications/stream`, Server-Sent Events) while the
//! app is open and signed in. A notification only wakes the sync loop: the pull that follows
//! brings the notification and its record to the phone, so what the bell counts is always
//! what IndexedDB holds.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::EventSource;

use super::api;

/// The open stream, if any, and its handler.
#[derive(Default)]
pub struct Stream {
    source: Option<EventSource>,
    _on_notice: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Stream {
    pub fn close(&mut self) {
        if let Some(s) = self.source.take() {
            s.close();
        }
        self._on_notice = None;
    }

    /// Open and not given up: the browser reconnects by itself after a network failure,
    /// and gives up when the server refuses (an expired token).
    fn alive(&self) -> bool {
        self.source
            .as_ref()
            .is_some_and(|s| s.ready_state() != EventSource::CLOSED)
    }
}

/// Opens the stream unless one is alive; `on_notice` runs for each notification, and
/// each time the stream (re)opens — what was made while it was closed comes with the sync
/// that starts.
pub fn keep_open(stream: &std::rc::Rc<std::cell::RefCell<Stream>>, on_notice: impl Fn() + 'static) {
    let mut s = stream.borrow_mut();
    if s.alive() {
        return;
    }
    s.close();
    let Some(token) = api::access_token() else {
        return;
    };
    let url = format!(
        "/api/v1/me/notifications/stream?access_token={}",
        js_sys::encode_uri_component(&token)
    );
    let Ok(source) = EventSource::new(&url) else {
        return;
    };
    let handler = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| on_notice());
    for event in ["notification", "open"] {
        let _ = source.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    }
    s.source = Some(source);
    s._on_notice = Some(handler);
}
