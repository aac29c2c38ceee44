//! Inspect a safety unit: where the worker is (GPS, or a tap on the map), safe or a hazard
//! with the days given to fix it, a note and a photo. The inspection is queued first and
//! pushed when the server answers.

use chrono::{Duration, Utc};
use gridwork_shared::safety::{InspectionResult, NewHazard, NewInspection, Unit, UnitStatus};
use gridwork_shared::sync::{OnUnit, Operation};
use yew::prelude::*;

use crate::app::Route;
use crate::components::choice::{Choice, keep};
use crate::components::form::{alert, field_errors, on_input};
use crate::components::list::chip;
use crate::components::page::{Back, Page, Waiting};
use crate::components::photo_field::PhotoField;
use crate::components::position::{Fix, Position, recorded_position};
use crate::hooks::{use_field_form, use_fixing, use_local_record};
use crate::i18n::screens::ScreenText;
use crate::i18n::{t, unit_status};
use crate::logic::PhotoOwner;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
}

#[component]
pub fn Inspect(props: &Props) -> Html {
    let unit = use_local_record::<Unit>(&props.id);
    // Nothing is chosen until the worker chooses it.
    let result = use_state(String::new);
    let hazard = use_state(String::new);
    let days = use_state(|| "7".to_string());
    let note = use_state(String::new);
    let here = use_state(|| None::<Fix>);
    let form = use_field_form();
    // A refused inspection opened to be fixed (`?fix=KEY`): its answers; its id, time and
    // place kept.
    let (fixing, draft) = use_fixing(|op| match op {
        Operation::InspectionCreate(i) => Some(i.body),
        _ => None,
    });
    {
        let (result, hazard, days, note) =
            (result.clone(), hazard.clone(), days.clone(), note.clone());
        use_effect_with(draft.clone(), move |draft| {
            if let Some(i) = draft {
                result.set(i.result.as_str().to_string());
                if let Some(h) = i.hazards.first() {
                    hazard.set(h.description.clone());
                    let left = (h.deadline - i.inspected_at).num_days().max(1);
                    days.set(left.to_string());
                }
                note.set(i.note.clone());
            }
        });
    }
    let Some(u) = unit else {
        return html! { <Waiting /> };
    };
    let onfix = {
        let here = here.clone();
        Callback::from(move |f: Fix| here.set(Some(f)))
    };
    let submit = {
        let (result, hazard, days, note, here, form, u) = (
            result.clone(),
            hazard.clone(),
            days.clone(),
            note.clone(),
            here.clone(),
            form.clone(),
            u.clone(),
        );
        let (draft, fixing) = (draft.clone(), fixing.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // A fixed inspection keeps when and where it was made.
            let now = draft.as_ref().map_or_else(Utc::now, |d| d.inspected_at);
            // Where the worker is, never the unit's registered place.
            let recorded = draft.as_ref().map(|d| Fix {
                location: d.location,
                accuracy_m: d.accuracy_m,
            });
            let Some(fix) = recorded.or(*here) else {
                form.fail(t(ScreenText::PositionRequired).into());
                return;
            };
            let Some(res) = InspectionResult::parse(&result) else {
                form.fail(t(ScreenText::ResultRequired).into());
                return;
            };
            let hazards = match res {
                InspectionResult::Hazard => {
                    // The days sent are the days shown.
                    let Some(days) = days
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .filter(|d| (1..=365).contains(d))
                    else {
                        form.fail(t(ScreenText::DaysInvalid).into());
                        return;
                    };
                    vec![NewHazard {
                        description: (*hazard).clone(),
                        deadline: now + Duration::days(days),
                    }]
                }
                InspectionResult::Safe => vec![],
            };
            let ins = NewInspection {
                id: draft.as_ref().map_or_else(uuid::Uuid::new_v4, |d| d.id),
                inspected_at: now,
                location: fix.location,
                result: res,
                hazards,
                note: (*note).clone(),
                accuracy_m: fix.accuracy_m,
                picked_on_map: draft
                    .as_ref()
                    .map_or(fix.accuracy_m.is_none(), |d| d.picked_on_map),
            };
            if let Err(errs) = ins.validate(Utc::now()) {
                form.fail(field_errors(&errs));
                return;
            }
            let owner = (PhotoOwner::Inspection, ins.id.to_string());
            let operation = Operation::InspectionCreate(OnUnit {
                unit_id: u.id,
                body: ins,
            });
            form.send_in_place_of(
                operation,
                Some(owner),
                Route::Unit {
                    id: u.id.to_string(),
                },
                fixing.clone(),
            );
        })
    };
    let status = |s: UnitStatus| t(unit_status(s));
    html! {
        <Page>
            <form class="card" onsubmit={submit}>
                <h1>{ format!("{} · {}", t(ScreenText::Inspect), u.name) }</h1>
                <p>{ chip(status(u.status), false) }</p>
                { if fixing.is_some() { html!{ <p class="notice" data-testid="fixing">{ t(ScreenText::FixingRecord) }</p> } } else { html!{} } }
                { match &draft {
                    Some(d) => recorded_position(&d.location, d.accuracy_m, d.picked_on_map),
                    None => html! { <Position onfix={onfix} /> },
                } }
                <label>{ t(ScreenText::Result) }
                    <Choice name="result" value={(*result).clone()} onchange={keep(&result)} empty={t(ScreenText::Choose)}
                        options={vec![
                            (AttrValue::from("safe"), AttrValue::from(status(UnitStatus::Safe))),
                            (AttrValue::from("hazard"), AttrValue::from(status(UnitStatus::Hazard))),
                        ]} />
                </label>
                { if *result == "hazard" { html! {
                    <>
                    <label>{ t(ScreenText::Hazard) }<input name="hazard" value={(*hazard).clone()} oninput={on_input(&hazard)} /></label>
                    <label>{ t(ScreenText::DeadlineDays) }<input name="days" inputmode="numeric" value={(*days).clone()} oninput={on_input(&days)} /></label>
                    </>
                } } else { html!{} } }
                <label>{ t(ScreenText::Note) }<textarea name="note" value={(*note).clone()} oninput={on_input(&note)} /></label>
                <PhotoField photo={form.photo.clone()} error={form.error.clone()} />
                { alert(&form.error) }
                // A form opened to fix a refused record sends nothing until that record is in it.
                <button class="primary big" type="submit" disabled={fixing.is_some() && draft.is_none()}>{ t(ScreenText::Submit) }</button>
                <Back to={Route::Units} />
            </form>
        </Page>
    }
}
