//! Record a visit to a person (走访): where the worker is (GPS, or a tap on the map), the
//! outcome, a note, a photo and a new risk level if any. The visit is queued first and pushed
//! when the server answers; the person's page then shows how far from the registered
//! address it was made.

use chrono::Utc;
use gridwork_shared::person::{NewVisit, Outcome, PersonItem, RiskLevel};
use gridwork_shared::sync::{OnPerson, Operation};
use yew::prelude::*;

use crate::app::Route;
use crate::components::choice::{Choice, keep};
use crate::components::form::{alert, field_errors, on_input};
use crate::components::page::{Back, Page, Waiting};
use crate::components::photo_field::PhotoField;
use crate::components::position::{Fix, Position, recorded_position};
use crate::hooks::{use_field_form, use_fixing, use_local_record};
use crate::i18n::persons::PersonText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{outcome, risk, t};
use crate::logic::PhotoOwner;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
}

#[component]
pub fn VisitPage(props: &Props) -> Html {
    let person = use_local_record::<PersonItem>(&props.id);
    // Nothing is chosen until the worker chooses it.
    let found = use_state(String::new);
    let risk_level = use_state(String::new);
    let note = use_state(String::new);
    let here = use_state(|| None::<Fix>);
    let form = use_field_form();
    // A refused visit opened to be fixed (`?fix=KEY`): its answers; its id, time and place kept.
    let (fixing, draft) = use_fixing(|op| match op {
        Operation::VisitCreate(v) => Some(v.body),
        _ => None,
    });
    {
        let (found, risk_level, note) = (found.clone(), risk_level.clone(), note.clone());
        use_effect_with(draft.clone(), move |draft| {
            if let Some(v) = draft {
                found.set(v.outcome.as_str().to_string());
                risk_level.set(
                    v.risk_level
                        .map(|r| r.as_str().to_string())
                        .unwrap_or_default(),
                );
                note.set(v.note.clone());
            }
        });
    }
    let Some(p) = person else {
        return html! { <Waiting /> };
    };
    let onfix = {
        let here = here.clone();
        Callback::from(move |f: Fix| here.set(Some(f)))
    };
    let submit = {
        let (found, risk_level, note, here, form, p) = (
            found.clone(),
            risk_level.clone(),
            note.clone(),
            here.clone(),
            form.clone(),
            p.clone(),
        );
        let (draft, fixing) = (draft.clone(), fixing.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Where the worker is, never the registered address: the distance between the
            // two is the visit's proof. A fixed visit keeps where it was made.
            let recorded = draft.as_ref().map(|d| Fix {
                location: d.location,
                accuracy_m: d.accuracy_m,
            });
            let Some(fix) = recorded.or(*here) else {
                form.fail(t(ScreenText::PositionRequired).into());
                return;
            };
            let Some(found) = Outcome::parse(&found) else {
                form.fail(t(PersonText::OutcomeRequired).into());
                return;
            };
            let visit = NewVisit {
                id: draft.as_ref().map_or_else(uuid::Uuid::new_v4, |d| d.id),
                visited_at: draft.as_ref().map_or_else(Utc::now, |d| d.visited_at),
                location: fix.location,
                outcome: found,
                note: (*note).clone(),
                risk_level: RiskLevel::parse(&risk_level),
                accuracy_m: fix.accuracy_m,
                picked_on_map: draft
                    .as_ref()
                    .map_or(fix.accuracy_m.is_none(), |d| d.picked_on_map),
            };
            if let Err(errs) = visit.validate(Utc::now()) {
                form.fail(field_errors(&errs));
                return;
            }
            let owner = (PhotoOwner::Visit, visit.id.to_string());
            let operation = Operation::VisitCreate(OnPerson {
                person_id: p.id,
                body: visit,
            });
            form.send_in_place_of(
                operation,
                Some(owner),
                Route::Person {
                    id: p.id.to_string(),
                },
                fixing.clone(),
            );
        })
    };
    html! {
        <Page>
            <form class="card" onsubmit={submit}>
                <h1>{ format!("{} · {}", t(ScreenText::Visit), p.name) }</h1>
                <p>{ &p.address }<br/><small>{ &p.id_number_masked }</small></p>
                { if fixing.is_some() { html!{ <p class="notice" data-testid="fixing">{ t(ScreenText::FixingRecord) }</p> } } else { html!{} } }
                { match &draft {
                    Some(d) => recorded_position(&d.location, d.accuracy_m, d.picked_on_map),
                    None => html! { <Position onfix={onfix} /> },
                } }
                <label>{ t(ScreenText::Outcome) }
                    <Choice name="outcome" value={(*found).clone()} onchange={keep(&found)} empty={t(ScreenText::Choose)}
                        options={Outcome::ALL.iter().map(|o| (AttrValue::from(o.as_str()), AttrValue::from(t(outcome(*o))))).collect::<Vec<_>>()} />
                </label>
                <label>{ t(ScreenText::Risk) }
                    <Choice name="risk" value={(*risk_level).clone()} onchange={keep(&risk_level)} empty={t(PersonText::RiskUnchanged)}
                        options={RiskLevel::ALL.iter().map(|r| (AttrValue::from(r.as_str()), AttrValue::from(t(risk(*r))))).collect::<Vec<_>>()} />
                </label>
                <label>{ t(ScreenText::Note) }<textarea name="note" value={(*note).clone()} oninput={on_input(&note)} /></label>
                <PhotoField photo={form.photo.clone()} error={form.error.clone()} />
                { alert(&form.error) }
                // A form opened to fix a refused record sends nothing until that record is in it.
                <button class="primary big" type="submit" disabled={fixing.is_some() && draft.is_none()}>{ t(ScreenText::Submit) }</button>
                <Back to={Route::Person { id: p.id.to_string() }} />
            </form>
        </Page>
    }
}
