//! The supervisor's map: cells coloured by what is late (`/map/cells`), each named in its
//! tooltip. Leaflet and the map script are loaded only when this screen opens. A tap on a
//! cell opens the cell's page; an admin's tap selects the cell instead, to assign its
//! workers here or open its page. The map is drawn again in the other language when the
//! language changes, so its words follow.

use std::rc::Rc;

use gridwork_shared::api::Role;
use gridwork_shared::stats::MapCells;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::assign::Assign;
use crate::components::form::alert;
use crate::components::page::Page;
use crate::hooks::{use_loaded, use_map_event, use_session};
use crate::i18n::office::OfficeText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, english, t};
use crate::services::{api, map};

#[component]
pub fn MapPage() -> Html {
    let session = use_session();
    let admin = session.me.as_ref().is_some_and(|m| m.role == Role::Admin);
    let navigator = use_navigator().expect("the router");
    // The cell an admin last tapped (code, name): the map script marks it on the element
    // and says so with a `gridwork-cell` event. Anyone else goes to the cell's page.
    let selected = use_state(|| None::<(String, String)>);
    {
        let selected = selected.clone();
        use_map_event("map", "gridwork-cell", move |el| {
            let code = el.get_attribute("data-selected").unwrap_or_default();
            let name = el.get_attribute("data-selected-name").unwrap_or_default();
            if admin {
                selected.set(Some((code, name)));
            } else {
                navigator.push(&Route::Cell { code });
            }
        });
    }
    // The cells, read once: the map script, then the cells as the JSON text it draws.
    let cells = use_loaded((), |_| async {
        map::leaflet().await?;
        let cells = api::get::<MapCells>("/api/v1/map/cells")
            .await
            .map_err(|e| e.message())?;
        Ok::<_, String>(Rc::new(map::json(&cells)))
    });
    // Drawn when the cells come and again in the other language; what went wrong, if anything.
    let drawn = use_state(|| None::<String>);
    {
        let drawn = drawn.clone();
        use_effect_with(
            ((*cells).clone(), english()),
            move |(cells, _)| match cells {
                Some(Ok(json)) => {
                    let json = json.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let done = async {
                            map::leaflet().await?;
                            map::call_map_script(
                                "gridworkMap",
                                &[
                                    "map".into(),
                                    json.as_str().into(),
                                    map::tiles().into(),
                                    map::tooltip_labels().into(),
                                ],
                            )
                        };
                        drawn.set(done.await.err());
                    });
                }
                Some(Err(e)) => drawn.set(Some(e.clone())),
                None => {}
            },
        );
    }
    html! {
        <Page wide=true>
            <h2>{ t(Text::Map) }</h2>
            <p class="legend"><span class="sw red"></span>{ t(ScreenText::LegendRed) }<span class="sw yellow"></span>{ t(ScreenText::LegendYellow) }<span class="sw green"></span>{ t(ScreenText::LegendGreen) }</p>
            <p><small>{ t(OfficeText::MapHint) }</small></p>
            { alert(&drawn) }
            <div id="map" class="map" data-testid="map"></div>
            { for selected.iter().filter(|_| admin).map(|(code, name)| html! {
                <>
                <p data-testid="selected-cell">{ format!("{}: {name} {code}", t(ScreenText::Cell)) }</p>
                <Link<Route> to={Route::Cell { code: code.clone() }} classes="big">{ t(OfficeText::OpenCell) }</Link<Route>>
                <Assign cell={code.clone()} />
                </>
            }) }
        </Page>
    }
}
