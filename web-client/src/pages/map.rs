//! The supervisor's map: cells coloured by what is late (`/map/cells`). Leaflet and the
//! map script are loaded only when this screen opens; an admin taps a cell to assign its
//! workers.

use gridwork_shared::api::Role;
use gridwork_shared::stats::MapCells;
use yew::prelude::*;

use crate::components::assign::Assign;
use crate::components::form::alert;
use crate::components::page::Page;
use crate::hooks::{use_loaded, use_map_event, use_session};
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::services::{api, map};

#[component]
pub fn MapPage() -> Html {
    let session = use_session();
    let admin = session.me.as_ref().is_some_and(|m| m.role == Role::Admin);
    // The cell last tapped on the map: the map script marks it on the element and says so
    // with a `gridwork-cell` event.
    let selected = use_state(String::new);
    {
        let selected = selected.clone();
        use_map_event("map", "gridwork-cell", move |el| {
            selected.set(el.get_attribute("data-selected").unwrap_or_default());
        });
    }
    // Drawn once: the map script, then the cells; what went wrong, if anything.
    let drawn = use_loaded((), |_| async {
        map::leaflet().await?;
        let cells = api::get::<MapCells>("/api/v1/map/cells")
            .await
            .map_err(|e| e.message())?;
        map::call_map_script(
            "gridworkMap",
            &[
                "map".into(),
                map::json(&cells).into(),
                map::tiles().into(),
                map::tooltip_labels().into(),
            ],
        )
    });
    let error = (*drawn).clone().and_then(Result::err);
    html! {
        <Page wide=true>
            <h2>{ t(Text::Map) }</h2>
            <p class="legend"><span class="sw red"></span>{ t(ScreenText::LegendRed) }<span class="sw yellow"></span>{ t(ScreenText::LegendYellow) }<span class="sw green"></span>{ t(ScreenText::LegendGreen) }</p>
            { alert(&error) }
            <div id="map" class="map" data-testid="map"></div>
            { if !selected.is_empty() { html! {
                <p data-testid="selected-cell">{ format!("{}: {}", t(ScreenText::Cell), *selected) }</p>
            } } else { html!{} } }
            { if admin && !selected.is_empty() { html! {
                <Assign cell={(*selected).clone()} />
            } } else { html!{} } }
        </Page>
    }
}
