//! Category deadlines per handling level (working hours, fractions allowed), the days
//! between visits per special-population category and risk level, and the working calendar's
//! holidays and make-up working days. Each row is saved on its own, with its result line.

use chrono::NaiveDate;
use gridwork_shared::api::Role;
use gridwork_shared::calendar::{Calendar, CalendarUpdate};
use gridwork_shared::incident::{Category, CategoryPatch, DeadlinePatch, is_dispute};
use gridwork_shared::person::{PersonCategory, RiskLevel, VisitInterval};
use yew::prelude::*;

use super::admin::{Said, admins_only_page, said};
use crate::components::form::{alert, field_errors, input_value};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::admin::AdminText;
use crate::i18n::{Text, english, risk, t};
use crate::services::api;

/// The label of a special-population category.
pub fn person_category(c: PersonCategory) -> AdminText {
    match c {
        PersonCategory::CommunityCorrection => AdminText::CommunityCorrection,
        PersonCategory::ReleasedPrisoner => AdminText::ReleasedPrisoner,
        PersonCategory::DrugUser => AdminText::DrugUser,
        PersonCategory::SevereMentalDisorder => AdminText::SevereMentalDisorder,
        PersonCategory::KeyYouth => AdminText::KeyYouth,
        PersonCategory::AidsRisk => AdminText::AidsRisk,
        PersonCategory::Cult => AdminText::Cult,
    }
}

/// Hours as typed: a number of hours, fractions allowed (a comma taken as the decimal point).
pub fn hours(typed: &str) -> Option<f64> {
    typed
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|h| h.is_finite())
}

/// The change of a category's deadlines from what is typed: only the levels that differ;
/// `Ok(None)` when none does; what is wrong, in the phone's words or the shared rule's.
pub fn deadline_patch(
    c: &Category,
    typed: &[String; 3],
) -> Result<Option<CategoryPatch>, Result<AdminText, gridwork_shared::FieldErrors>> {
    let mut values = [0.0; 3];
    for (v, s) in values.iter_mut().zip(typed) {
        *v = hours(s).ok_or(Ok(AdminText::HoursNotANumber))?;
    }
    let now = [
        c.deadline_hours.community,
        c.deadline_hours.town,
        c.deadline_hours.district,
    ];
    let changed = |i: usize| (values[i] != now[i]).then_some(values[i]);
    let d = DeadlinePatch {
        community: changed(0),
        town: changed(1),
        district: changed(2),
    };
    if d == DeadlinePatch::default() {
        return Ok(None);
    }
    let p = CategoryPatch {
        deadline_hours: Some(d),
        ..CategoryPatch::default()
    };
    p.validate(&c.code).map_err(Err)?;
    Ok(Some(p))
}

/// Hours as the form shows them: no trailing zeros.
fn shown(h: f64) -> String {
    let s = format!("{h:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[derive(Properties, PartialEq)]
struct CategoryRowProps {
    category: Category,
}

/// One category: its three deadlines and their save button.
#[component]
fn CategoryRow(props: &CategoryRowProps) -> Html {
    let c = use_state(|| props.category.clone());
    let typed = use_state(|| {
        let d = &props.category.deadline_hours;
        [shown(d.community), shown(d.town), shown(d.district)]
    });
    let result = use_state(Said::default);
    let set = |i: usize| {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let mut v = (*typed).clone();
            v[i] = input_value(&e);
            typed.set(v);
        })
    };
    let save = {
        let (c, typed, result) = (c.clone(), typed.clone(), result.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let patch = match deadline_patch(&c, &typed) {
                Ok(Some(p)) => p,
                Ok(None) => {
                    result.set(Said::Failed(t(AdminText::NothingChanged).into()));
                    return;
                }
                Err(Ok(why)) => {
                    result.set(Said::Failed(t(why).into()));
                    return;
                }
                Err(Err(errors)) => {
                    result.set(Said::Failed(field_errors(&errors)));
                    return;
                }
            };
            let (c, result) = (c.clone(), result.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/categories/{}", c.code);
                match api::patch::<_, Category>(&path, &patch).await {
                    Ok(now) => {
                        let d = &now.deadline_hours;
                        result.set(Said::Done(format!(
                            "{} {} {} / {} {} / {} {} {}",
                            t(AdminText::Saved),
                            t(Text::Community),
                            shown(d.community),
                            t(Text::Town),
                            shown(d.town),
                            t(Text::District),
                            shown(d.district),
                            t(AdminText::Hours),
                        )));
                        c.set(now);
                    }
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        })
    };
    // Public in Open311: saved at once, on its own.
    let toggle = {
        let (c, result) = (c.clone(), result.clone());
        Callback::from(move |e: Event| {
            let on = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .is_some_and(|i| i.checked());
            let patch = CategoryPatch {
                public: Some(on),
                ..CategoryPatch::default()
            };
            if let Err(errors) = patch.validate(&c.code) {
                result.set(Said::Failed(field_errors(&errors)));
                return;
            }
            let (c, result) = (c.clone(), result.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/categories/{}", c.code);
                match api::patch::<_, Category>(&path, &patch).await {
                    Ok(now) => {
                        let words = if now.public {
                            AdminText::NowPublic
                        } else {
                            AdminText::NowPrivate
                        };
                        result.set(Said::Done(t(words).into()));
                        c.set(now);
                    }
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        })
    };
    let dispute = is_dispute(&c.code);
    let name = if english() { &c.name_en } else { &c.name };
    let input = |i: usize, label: Text, field: &'static str| {
        html! {
            <label>{ format!("{} ({})", t(label), t(AdminText::Hours)) }
                <input name={field} type="number" inputmode="decimal" step="any" min="0.001"
                    value={typed[i].clone()} oninput={set(i)} />
            </label>
        }
    };
    html! {
        <form class="card deadlines" data-testid="category" data-code={c.code.clone()} onsubmit={save}>
            <h3>{ format!("{} {name}", c.code) }</h3>
            <div class="row3">
                { input(0, Text::Community, "community") }
                { input(1, Text::Town, "town") }
                { input(2, Text::District, "district") }
            </div>
            <label class="check">
                <input type="checkbox" name="public" checked={c.public} disabled={dispute}
                    onchange={toggle} />
                { t(AdminText::PublicService) }
            </label>
            if dispute {
                <p class="hint">{ t(AdminText::DisputeNeverPublic) }</p>
            }
            <button class="primary" type="submit">{ t(AdminText::Save) }</button>
            { said(&result, "category-result") }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct IntervalRowProps {
    category: PersonCategory,
    /// Days per risk level, low to high, as read.
    days: Vec<(RiskLevel, i64)>,
}

/// Days as typed: a whole number from 1 to 366.
pub fn days(typed: &str) -> Option<i64> {
    typed
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=366).contains(d))
}

/// One category's visit intervals: a number of days per risk level and the save button,
/// which sends each level that changed.
#[component]
fn IntervalRow(props: &IntervalRowProps) -> Html {
    let saved = use_state(|| props.days.clone());
    let typed = use_state(|| {
        props
            .days
            .iter()
            .map(|(_, d)| d.to_string())
            .collect::<Vec<_>>()
    });
    let result = use_state(Said::default);
    let save = {
        let (saved, typed, result, category) =
            (saved.clone(), typed.clone(), result.clone(), props.category);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut changes = Vec::new();
            for ((risk_level, before), s) in saved.iter().zip(typed.iter()) {
                let Some(d) = days(s) else {
                    result.set(Said::Failed(t(AdminText::DaysOutOfRange).into()));
                    return;
                };
                if d != *before {
                    changes.push(VisitInterval {
                        category,
                        risk_level: *risk_level,
                        days: d,
                    });
                }
            }
            if changes.is_empty() {
                result.set(Said::Failed(t(AdminText::NothingChanged).into()));
                return;
            }
            let (saved, result) = (saved.clone(), result.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut now = (*saved).clone();
                for v in changes {
                    match api::put::<_, VisitInterval>("/api/v1/visit-intervals", &v).await {
                        Ok(v) => {
                            if let Some(slot) = now.iter_mut().find(|(r, _)| *r == v.risk_level) {
                                slot.1 = v.days;
                            }
                            saved.set(now.clone());
                        }
                        Err(e) => {
                            result.set(Said::Failed(e.message()));
                            return;
                        }
                    }
                }
                result.set(Said::Done(t(AdminText::Saved).into()));
            });
        })
    };
    let set = |i: usize| {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let mut v = (*typed).clone();
            v[i] = input_value(&e);
            typed.set(v);
        })
    };
    html! {
        <form class="card intervals" data-testid="interval" data-category={props.category.as_str()} onsubmit={save}>
            <h3>{ t(person_category(props.category)) }</h3>
            <div class="row3">
                { for saved.iter().enumerate().map(|(i, (r, _))| html! {
                    <label>{ format!("{} ({})", t(risk(*r)), t(AdminText::Days)) }
                        <input name={r.as_str()} type="number" inputmode="numeric" min="1" max="366" step="1"
                            value={typed[i].clone()} oninput={set(i)} />
                    </label>
                }) }
            </div>
            <button class="primary" type="submit">{ t(AdminText::Save) }</button>
            { said(&result, "interval-result") }
        </form>
    }
}

/// The dates typed one a line (or separated by commas or spaces), in order and once each;
/// the first word that is not a date otherwise.
pub fn dates(typed: &str) -> Result<Vec<NaiveDate>, String> {
    let mut out = Vec::new();
    for word in typed.split(|c: char| c.is_whitespace() || c == ',' || c == '，') {
        if word.is_empty() {
            continue;
        }
        let d = NaiveDate::parse_from_str(word, "%Y-%m-%d").map_err(|_| word.to_string())?;
        out.push(d);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn lines(days: &[NaiveDate]) -> String {
    days.iter()
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Properties, PartialEq)]
struct CalendarFormProps {
    calendar: Calendar,
}

/// The holidays and make-up working days, one date a line, saved together.
#[component]
fn CalendarForm(props: &CalendarFormProps) -> Html {
    let holidays = use_state(|| lines(&props.calendar.holidays));
    let workdays = use_state(|| lines(&props.calendar.workdays));
    let result = use_state(Said::default);
    let save = {
        let (holidays, workdays, result) = (holidays.clone(), workdays.clone(), result.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let update = match (dates(&holidays), dates(&workdays)) {
                (Ok(holidays), Ok(workdays)) => CalendarUpdate { holidays, workdays },
                (Err(w), _) | (_, Err(w)) => {
                    result.set(Said::Failed(format!("{} {w}", t(AdminText::BadDate))));
                    return;
                }
            };
            if let Err(errs) = update.validate() {
                result.set(Said::Failed(field_errors(&errs)));
                return;
            }
            let (holidays, workdays, result) = (holidays.clone(), workdays.clone(), result.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, Calendar>("/api/v1/calendar", &update).await {
                    Ok(c) => {
                        holidays.set(lines(&c.holidays));
                        workdays.set(lines(&c.workdays));
                        result.set(Said::Done(t(AdminText::CalendarSaved).into()));
                    }
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        })
    };
    let typed = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(input_value(&e)))
    };
    html! {
        <form class="card" data-testid="calendar" onsubmit={save}>
            <p>{ format!("{}: {} (UTC{})", t(AdminText::WorkingWeek), props.calendar.weekly, props.calendar.utc_offset) }</p>
            <div class="pair">
                <label>{ t(AdminText::Holidays) }
                    <textarea name="holidays" rows="8" value={(*holidays).clone()} oninput={typed(&holidays)} />
                </label>
                <label>{ t(AdminText::Workdays) }
                    <textarea name="workdays" rows="8" value={(*workdays).clone()} oninput={typed(&workdays)} />
                </label>
            </div>
            <button class="primary" type="submit">{ t(AdminText::Save) }</button>
            { said(&result, "calendar-result") }
        </form>
    }
}

#[component]
pub fn Settings() -> Html {
    let session = use_session();
    let categories = use_loaded((), |_| async {
        api::get::<Vec<Category>>("/api/v1/categories")
            .await
            .map_err(|e| e.message())
    });
    let intervals = use_loaded((), |_| async {
        api::get::<Vec<VisitInterval>>("/api/v1/visit-intervals")
            .await
            .map_err(|e| e.message())
    });
    let calendar = use_loaded((), |_| async {
        api::get::<Calendar>("/api/v1/calendar")
            .await
            .map_err(|e| e.message())
    });
    if session.me.as_ref().map(|m| m.role) != Some(Role::Admin) {
        return admins_only_page(t(AdminText::SettingsTitle), t(AdminText::AdminsOnly));
    }
    let risks = [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High];
    html! {
        <Page testid="settings">
            <h1>{ t(AdminText::SettingsTitle) }</h1>
            <h2>{ t(AdminText::Deadlines) }</h2>
            <p class="hint">{ t(AdminText::DeadlinesHelp) }</p>
            { match &*categories {
                None => html! { <p>{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.clone())),
                Some(Ok(list)) => html! {
                    <div data-testid="categories">
                        { for list.iter().map(|c| html! { <CategoryRow key={c.code.clone()} category={c.clone()} /> }) }
                    </div>
                },
            } }
            <h2>{ t(AdminText::Intervals) }</h2>
            <p class="hint">{ t(AdminText::IntervalsHelp) }</p>
            { match &*intervals {
                None => html! { <p>{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.clone())),
                Some(Ok(list)) => html! {
                    <div data-testid="intervals">
                        { for PersonCategory::ALL.iter().map(|c| {
                            let days: Vec<(RiskLevel, i64)> = risks
                                .iter()
                                .filter_map(|r| list.iter()
                                    .find(|v| v.category == *c && v.risk_level == *r)
                                    .map(|v| (*r, v.days)))
                                .collect();
                            html! { <IntervalRow key={c.as_str()} category={*c} days={days} /> }
                        }) }
                    </div>
                },
            } }
            <h2>{ t(AdminText::Calendar) }</h2>
            <p class="hint">{ t(AdminText::CalendarHelp) }</p>
            { match &*calendar {
                None => html! { <p>{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.clone())),
                Some(Ok(c)) => html! { <CalendarForm calendar={c.clone()} /> },
            } }
            <Back to={crate::app::Route::Admin} />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridwork_shared::incident::DeadlineHours;

    fn category() -> Category {
        Category {
            code: "0101".into(),
            name: "邻里纠纷".into(),
            name_en: "Neighbour dispute".into(),
            deadline_hours: DeadlineHours {
                community: 48.0,
                town: 72.0,
                district: 120.0,
            },
            public: false,
        }
    }

    fn typed(a: &str, b: &str, c: &str) -> [String; 3] {
        [a.into(), b.into(), c.into()]
    }

    #[test]
    fn a_deadline_change_sends_only_the_levels_changed_and_takes_fractions() {
        let c = category();
        assert_eq!(deadline_patch(&c, &typed("48", "72", "120")), Ok(None));
        let p = deadline_patch(&c, &typed("1,5", "72", "120"))
            .unwrap()
            .unwrap();
        let d = p.deadline_hours.unwrap();
        assert_eq!((d.community, d.town, d.district), (Some(1.5), None, None));
        assert_eq!(
            deadline_patch(&c, &typed("soon", "72", "120")),
            Err(Ok(AdminText::HoursNotANumber))
        );
        assert!(matches!(
            deadline_patch(&c, &typed("0", "72", "120")),
            Err(Err(_))
        ));
        assert_eq!(shown(1.5), "1.5");
        assert_eq!(shown(48.0), "48");
        assert_eq!(shown(0.25), "0.25");
    }

    #[test]
    fn dates_are_read_one_a_line_or_between_commas() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            dates("2026-02-16\n 2026-02-15, 2026-02-16，2026-02-17\n\n").unwrap(),
            vec![d("2026-02-15"), d("2026-02-16"), d("2026-02-17")]
        );
        assert_eq!(dates("").unwrap(), vec![]);
        assert_eq!(dates("2026-02-16\n2026-02-30").unwrap_err(), "2026-02-30");
        assert_eq!(dates("16/02/2026").unwrap_err(), "16/02/2026");
    }

    #[test]
    fn days_are_whole_and_within_a_year() {
        assert_eq!(days(" 7 "), Some(7));
        for bad in ["0", "367", "1.5", "", "x"] {
            assert_eq!(days(bad), None, "{bad}");
        }
    }
}
