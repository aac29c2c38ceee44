//! The report's place picker: a map of the caller's cells drawn from the phone's copy (so it
//! works with no signal), centred on the place so far; a tap sets the place.

use gridwork_shared::api::{Cell, FeatureCollection};
use yew::prelude::*;

use crate::hooks::use_map_event;
use crate::services::{map, queue};

#[derive(Properties, PartialEq)]
pub struct PlacePickerProps {
    /// The place so far, as typed or from GPS (empty or not a number: none yet).
    pub lon: AttrValue,
    pub lat: AttrValue,
    /// A tap: (longitude, latitude) with six decimals.
    pub onpick: Callback<(String, String)>,
    pub onerror: Callback<String>,
}

#[component]
pub fn PlacePicker(props: &PlacePickerProps) -> Html {
    {
        let onpick = props.onpick.clone();
        use_map_event("pick-map", "gridwork-pick", move |el| {
            let read = |name: &str| el.get_attribute(name).unwrap_or_default();
            onpick.emit((read("data-lon"), read("data-lat")));
        });
    }
    {
        let (place, onerror) = (
            (props.lon.clone(), props.lat.clone()),
            props.onerror.clone(),
        );
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = map::leaflet().await {
                    onerror.emit(e);
                    return;
                }
                let cells = FeatureCollection::new(queue::records::<Cell>().await);
                let number = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
                let drawn = map::call_map_script(
                    "gridworkPick",
                    &[
                        "pick-map".into(),
                        map::json(&cells).into(),
                        map::tiles().into(),
                        number(&place.0).into(),
                        number(&place.1).into(),
                    ],
                );
                if let Err(e) = drawn {
                    onerror.emit(e);
                }
            });
        });
    }
    html! { <div id="pick-map" class="map pick" data-testid="pick-map"></div> }
}
