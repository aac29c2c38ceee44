//! Photos taken on the phone: scaled down and re-encoded as JPEG in the browser (a phone's
//! several-megabyte photo becomes a couple of hundred kilobytes) before they are queued.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Longest side of a queued photo, in pixels.
const MAX_SIDE: f64 = 1280.0;

fn js(e: JsValue) -> String {
    format!("{e:?}")
}

/// Decodes, scales to at most 1280 px and re-encodes as JPEG (quality 0.8). A file the
/// browser cannot read as an image is refused in the user's words (the browser's own
/// account goes to the console).
pub async fn compress(file: &web_sys::File) -> Result<Vec<u8>, String> {
    compress_file(file).await.map_err(|why| {
        web_sys::console::warn_1(&format!("photo: {why}").into());
        crate::i18n::t(crate::i18n::screens::ScreenText::PhotoUnreadable).to_string()
    })
}

async fn compress_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).map_err(js)?)
            .await
            .map_err(js)?
            .dyn_into()
            .map_err(|_| "unexpected type".to_string())?;
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (MAX_SIDE / w.max(h)).min(1.0);
    let (tw, th) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let doc = window.document().ok_or("no document")?;
    let canvas: web_sys::HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(js)?
        .dyn_into()
        .map_err(|_| "unexpected type".to_string())?;
    canvas.set_width(tw as u32);
    canvas.set_height(th as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js)?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "unexpected type".to_string())?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw, th)
        .map_err(js)?;
    let blob = JsFuture::from(js_sys::Promise::new(&mut |resolve, reject| {
        if let Err(e) = canvas.to_blob_with_type_and_encoder_options(
            &resolve,
            "image/jpeg",
            &JsValue::from_f64(0.8),
        ) {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    }))
    .await
    .map_err(js)?;
    let blob: web_sys::Blob = blob.dyn_into().map_err(|_| "unexpected type".to_string())?;
    let buf = JsFuture::from(blob.array_buffer()).await.map_err(js)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}
