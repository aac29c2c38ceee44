//! Gridwork's field client: a Yew progressive web app that works with no signal.

mod app;
mod components;
mod hooks;
mod i18n;
mod lazy;
mod logic;
mod pages;
mod services;

fn main() {
    let root = gloo_utils_root();
    yew::Renderer::<app::App>::with_root(root).render();
    register_service_worker();
}

fn gloo_utils_root() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    document
        .get_element_by_id("app")
        .expect("index.html has #app")
}

fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let sw = window.navigator().service_worker();
        let _ = sw.register("/sw.js");
    }
}
