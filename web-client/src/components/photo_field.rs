//! "Take a photo": the camera or the gallery on a phone (no `capture`, which on some phones
//! leaves only the camera); the picture is scaled down and re-encoded in the browser before
//! anything is queued.

use std::rc::Rc;

use yew::prelude::*;

use super::form::chosen_file;
use crate::i18n::screens::ScreenText;
use crate::i18n::t;

/// A photo compressed on the phone, waiting for its form to be sent.
pub type Photo = UseStateHandle<Option<Rc<Vec<u8>>>>;

#[derive(Properties, PartialEq)]
pub struct PhotoFieldProps {
    pub photo: Photo,
    pub error: UseStateHandle<Option<String>>,
    /// The input's name (and the test id of the "photo ready" line).
    #[prop_or(AttrValue::Static("photo"))]
    pub name: AttrValue,
    /// The label; "photo" unless said.
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

#[component]
pub fn PhotoField(props: &PhotoFieldProps) -> Html {
    let pick = {
        let (photo, error) = (props.photo.clone(), props.error.clone());
        Callback::from(move |e: Event| {
            let Some(file) = chosen_file(&e) else {
                return;
            };
            let (photo, error) = (photo.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match crate::services::photo::compress(&file).await {
                    Ok(jpeg) => photo.set(Some(Rc::new(jpeg))),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <>
        <label>{ props.label.clone().unwrap_or_else(|| t(ScreenText::Photo).into()) }
            <input type="file" name={props.name.clone()} accept="image/*" onchange={pick} />
        </label>
        { for props.photo.iter().map(|p| html!{ <p class="cell" data-testid={props.name.clone()}>{ format!("{} {} KB", t(ScreenText::PhotoReady), p.len() / 1024) }</p> }) }
        </>
    }
}
