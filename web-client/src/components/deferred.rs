//! Parts of the first screens whose code waits in the sync chunk: the first screen shows
//! without them, and they appear once the chunk is in (it is fetched for the first sync round
//! anyway). Keeps what loads before the first screen small.

use yew::prelude::*;

/// Which part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Below the top bar: refused changes, other users' changes waiting on this phone.
    Notices,
    /// The home screen's incidents: reports not on the server yet, then the phone's
    /// incidents (a supervisor's as a queue), their cells named.
    Incidents,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub part: Part,
}

#[component]
pub fn Deferred(props: &Props) -> Html {
    let html = use_state(|| None::<Html>);
    {
        let html = html.clone();
        use_effect_with(props.part, move |part| {
            let part = *part;
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(h) = crate::lazy::deferred(part).await {
                    html.set(Some(h));
                }
            });
        });
    }
    (*html).clone().unwrap_or_default()
}
