//! "Take a photo": the camera on a phone; the picture is scaled down and re-encoded in the
//! browser before anything is queued.

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
        <label>{ t(ScreenText::Photo) }
            <input type="file" name="photo" accept="image/*" capture="environment" onchange={pick} />
        </label>
        { for props.photo.iter().map(|p| html!{ <p class="cell" data-testid="photo">{ format!("{} {} KB", t(ScreenText::PhotoReady), p.len() / 1024) }</p> }) }
        </>
    }
}
