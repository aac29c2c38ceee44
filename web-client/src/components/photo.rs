//! Photos the API serves (an incident's, its steps', a visit's): thumbnails in a row, and a
//! tap on one shows the photo at full size over the screen until it is closed. An `<img>`
//! cannot send the session's token, so each image is fetched with it and shown from an
//! object URL that is revoked when the image leaves the screen.

use std::cell::{Cell as Flag, RefCell};
use std::rc::Rc;

use gridwork_shared::incident::PhotoRef;
use yew::prelude::*;

use crate::i18n::screens::ScreenText;
use crate::i18n::t;
use crate::services::api;

/// What an image is while it loads: not yet in, in (its object URL), or refused or lost.
#[derive(Clone, PartialEq)]
enum Image {
    Loading,
    Shown(String),
    Unavailable,
}

/// An image the API serves, as an object URL while the component shows it.
#[hook]
fn use_image(path: String) -> Image {
    let image = use_state(|| Image::Loading);
    {
        let image = image.clone();
        use_effect_with(path, move |path| {
            let made = Rc::new(RefCell::new(None::<String>));
            let live = Rc::new(Flag::new(true));
            image.set(Image::Loading);
            {
                let (made, live, path) = (made.clone(), live.clone(), path.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let got = api::image_url(&path).await;
                    if !live.get() {
                        if let Ok(u) = got {
                            let _ = web_sys::Url::revoke_object_url(&u);
                        }
                        return;
                    }
                    match got {
                        Ok(u) => {
                            made.replace(Some(u.clone()));
                            image.set(Image::Shown(u));
                        }
                        Err(_) => image.set(Image::Unavailable),
                    }
                });
            }
            move || {
                live.set(false);
                if let Some(u) = made.take() {
                    let _ = web_sys::Url::revoke_object_url(&u);
                }
            }
        });
    }
    (*image).clone()
}

fn shown(image: Image) -> Html {
    match image {
        Image::Loading => html! { <span class="wait">{ "…" }</span> },
        Image::Shown(src) => html! { <img src={src} alt={t(ScreenText::Photo)} /> },
        Image::Unavailable => {
            html! { <span class="error">{ t(ScreenText::PhotoUnavailable) }</span> }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct PhotosProps {
    pub photos: Vec<PhotoRef>,
}

/// The photos as thumbnails; a tap opens one at full size.
#[component]
pub fn Photos(props: &PhotosProps) -> Html {
    let open = use_state(|| None::<PhotoRef>);
    let close = {
        let open = open.clone();
        Callback::from(move |_: ()| open.set(None))
    };
    html! {
        <div class="thumbs">
            { for props.photos.iter().map(|p| {
                let onopen = {
                    let (open, p) = (open.clone(), p.clone());
                    Callback::from(move |_| open.set(Some(p.clone())))
                };
                html! { <Thumb key={p.id.to_string()} photo={p.clone()} {onopen} /> }
            }) }
            { for (*open).clone().map(|p| html! { <FullPhoto photo={p} onclose={close.clone()} /> }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ThumbProps {
    photo: PhotoRef,
    onopen: Callback<()>,
}

#[component]
fn Thumb(props: &ThumbProps) -> Html {
    let image = use_image(props.photo.thumbnail_url.clone());
    let open = props.onopen.reform(|_: MouseEvent| ());
    html! {
        <button class="thumb" type="button" data-testid="photo-thumb" aria-label={t(ScreenText::PhotoOpen)} onclick={open}>
            { shown(image) }
        </button>
    }
}

#[derive(Properties, PartialEq)]
struct FullPhotoProps {
    photo: PhotoRef,
    onclose: Callback<()>,
}

#[component]
fn FullPhoto(props: &FullPhotoProps) -> Html {
    let image = use_image(props.photo.url.clone());
    let close = props.onclose.reform(|_: MouseEvent| ());
    html! {
        <div class="photo-full" role="dialog" data-testid="photo-full">
            { shown(image) }
            <button class="primary" type="button" data-testid="photo-close" onclick={close}>{ t(ScreenText::Close) }</button>
        </div>
    }
}
