//! The audit log (admins only): filtered by who acted (a user picked by name), the record
//! (its id) and dates on the district's clock; newest first, page by page. Each entry shows
//! when (local time), who, what was done to which record, how it ended, and what changed or
//! why, where the entry says.

use gridwork_shared::api::{AuditEntry, Page as Listed, Role, User};
use yew::prelude::*;
use yew_router::prelude::*;

use super::admin::{admins_only_page, more_button, use_paged};
use super::users::AuditLink;
use crate::app::Route;
use crate::components::form::{alert, input_value, on_input, select_value};
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::components::when::at;
use crate::hooks::{use_loaded, use_session, use_users};
use crate::i18n::admin::AdminText;
use crate::i18n::{Text, role, t};
use crate::services::api;

/// The label of an audited action, if this client knows it.
pub fn action_label(action: &str) -> Option<AdminText> {
    Some(match action {
        "login" => AdminText::ActLogin,
        "user_create" => AdminText::ActUserCreate,
        "user_update" => AdminText::ActUserUpdate,
        "user_unlock" => AdminText::ActUserUnlock,
        "password_change" => AdminText::ActPasswordChange,
        "region_create" => AdminText::ActRegionCreate,
        "cells_import" => AdminText::ActCellsImport,
        "cell_assign" => AdminText::ActCellAssign,
        "category_update" => AdminText::ActCategoryUpdate,
        "calendar_update" => AdminText::ActCalendarUpdate,
        "visit_interval_update" => AdminText::ActIntervalUpdate,
        "person_create" => AdminText::ActPersonCreate,
        "person_update" => AdminText::ActPersonUpdate,
        "person_transfer" => AdminText::ActPersonTransfer,
        "person_archive" => AdminText::ActPersonArchive,
        "person_view" => AdminText::ActPersonView,
        "persons_list" => AdminText::ActPersonsList,
        "persons_due" => AdminText::ActPersonsDue,
        "persons_pull" => AdminText::ActPersonsPull,
        "unit_certify" => AdminText::ActUnitCertify,
        _ => return None,
    })
}

/// The label of a kind of record, if this client knows it.
pub fn entity_label(kind: &str) -> Option<AdminText> {
    Some(match kind {
        "user" => AdminText::EntUser,
        "person" => AdminText::EntPerson,
        "safety_unit" => AdminText::EntUnit,
        "region" => AdminText::EntRegion,
        "cell" => AdminText::EntCell,
        "cells" => AdminText::EntCells,
        "category" => AdminText::EntCategory,
        "calendar" => AdminText::EntCalendar,
        "visit_interval" => AdminText::EntInterval,
        "incident" => AdminText::EntIncident,
        _ => return None,
    })
}

/// The label of an outcome (a certification's outcome is the level granted).
fn outcome_label(outcome: &str) -> Option<&'static str> {
    Some(match outcome {
        "success" => t(AdminText::OutSuccess),
        "failure" => t(AdminText::OutFailure),
        "refused" => t(AdminText::OutRefused),
        "not_found" => t(AdminText::OutNotFound),
        "none" => t(AdminText::OutNoCertification),
        "town" => t(Text::Town),
        "district" => t(Text::District),
        _ => return None,
    })
}

/// The label of a field named in an entry's detail, if this client knows it.
fn field_label(field: &str) -> Option<AdminText> {
    Some(match field {
        "display_name" => AdminText::Name,
        "role" => AdminText::RoleField,
        "region_code" => AdminText::Region,
        "active" => AdminText::State,
        "password" => AdminText::Password,
        "count" => AdminText::Count,
        "username" => AdminText::TriedUsername,
        "reason" => AdminText::Reason,
        "deadline_hours.community" => AdminText::DeadlineCommunity,
        "deadline_hours.town" => AdminText::DeadlineTown,
        "deadline_hours.district" => AdminText::DeadlineDistrict,
        "name" => AdminText::RegionName,
        "days" => AdminText::IntervalDays,
        _ => return None,
    })
}

/// A value named in an entry's detail, in words where it is a word of the system.
fn value_words(v: &str) -> String {
    if let Some(r) = Role::parse(v) {
        return t(role(r)).to_string();
    }
    match v {
        "true" => t(AdminText::Active).to_string(),
        "false" => t(AdminText::Inactive).to_string(),
        "set" => t(AdminText::PasswordWasSet).to_string(),
        other => other.to_string(),
    }
}

/// An entry's detail (`field: old → new; field: value` or `field=value`) with the fields
/// and values this client knows put in words; what it does not know stays as written.
pub fn detail_words(detail: &str) -> String {
    detail
        .split("; ")
        .map(|part| {
            let split = part.split_once(": ").or_else(|| part.split_once('='));
            let Some((field, rest)) = split else {
                return part.to_string();
            };
            let Some(label) = field_label(field) else {
                return part.to_string();
            };
            let rest = rest
                .split(" → ")
                .map(value_words)
                .collect::<Vec<_>>()
                .join(" → ");
            format!("{}: {rest}", t(label))
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Where a record of an entry opens, if it has a screen.
fn record_route(kind: &str, id: &str) -> Option<Route> {
    let id = id.to_string();
    match kind {
        "user" if !id.is_empty() => Some(Route::AdminUser { id }),
        "person" => Some(Route::Person { id }),
        "safety_unit" => Some(Route::Unit { id }),
        "incident" => Some(Route::Incident { id }),
        "cell" => Some(Route::Cell { code: id }),
        _ => None,
    }
}

/// The API's instant for the start (`end` false) or the end of a day on the district's
/// clock; `None` unless `day` is a date.
pub fn day_bound(day: &str, end: bool) -> Option<String> {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Some(match end {
        false => format!("{day}T00:00:00+08:00"),
        true => format!("{day}T23:59:59.999999+08:00"),
    })
}

/// The audit list's path for the filters (`limit` and the filters given, URL-encoded).
pub fn audit_path(actor: &str, entity: &str, from: &str, to: &str) -> String {
    let mut path = "/api/v1/audit?limit=50".to_string();
    let from = day_bound(from, false).unwrap_or_default();
    let to = day_bound(to, true).unwrap_or_default();
    for (key, value) in [
        ("actor", actor.trim()),
        ("entity", entity.trim()),
        ("from", from.as_str()),
        ("to", to.as_str()),
    ] {
        if !value.is_empty() {
            path.push_str(&format!("&{key}={}", encode(value)));
        }
    }
    path
}

/// A query string value, percent-encoded.
pub fn encode(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[component]
pub fn Audit() -> Html {
    let session = use_session();
    let link = use_location()
        .and_then(|l| l.query::<AuditLink>().ok())
        .unwrap_or_default();
    let actor = use_state(|| link.actor.clone());
    let actor_search = use_state(String::new);
    let entity = use_state(|| link.entity.clone());
    let from = use_state(String::new);
    let to = use_state(String::new);
    let admin = session.me.as_ref().map(|m| m.role) == Some(Role::Admin);
    // Names of the users who act, for the entries.
    let known = use_users(admin, 0);
    // Users matching the actor search, for the actor picker.
    let found = use_loaded(
        (admin, (*actor_search).trim().to_string()),
        |(admin, q)| async move {
            if !admin {
                return Vec::new();
            }
            let path = format!("/api/v1/users?limit=50&q={}", encode(&q));
            api::get::<Listed<User>>(&path)
                .await
                .map(|p| p.items)
                .unwrap_or_default()
        },
    );
    let path = audit_path(&actor, &entity, &from, &to);
    let entries = use_paged::<AuditEntry>(if admin { path } else { String::new() }, 0);
    if !admin {
        return admins_only_page(t(AdminText::AuditTitle), t(AdminText::AuditAdminsOnly));
    }
    let name_of = |id: &str| -> String {
        known
            .iter()
            .chain(found.iter().flatten())
            .find(|u| u.id.to_string() == id)
            .map(|u| format!("{} ({})", u.display_name, u.username))
            .unwrap_or_else(|| id.to_string())
    };
    let mut choices: Vec<User> = found.as_deref().unwrap_or_default().to_vec();
    let chosen_missing = !actor.is_empty() && !choices.iter().any(|u| u.id.to_string() == *actor);
    if chosen_missing && let Some(u) = known.iter().find(|u| u.id.to_string() == *actor) {
        choices.insert(0, u.clone());
    }
    let chosen_unnamed = !actor.is_empty() && !choices.iter().any(|u| u.id.to_string() == *actor);
    let entry = |e: &AuditEntry| -> Html {
        let action = match action_label(&e.action) {
            Some(l) => html! { <strong>{ t(l) }</strong> },
            None => html! { <strong><code>{ e.action.clone() }</code></strong> },
        };
        let kind = entity_label(&e.entity_type)
            .map(|l| t(l).to_string())
            .unwrap_or_else(|| e.entity_type.clone());
        let record = match record_route(&e.entity_type, &e.entity_id) {
            Some(to) => {
                html! { <Link<Route> to={to}><code>{ e.entity_id.clone() }</code></Link<Route>> }
            }
            None => html! { <code>{ e.entity_id.clone() }</code> },
        };
        let outcome = outcome_label(&e.outcome)
            .map(str::to_string)
            .unwrap_or_else(|| e.outcome.clone());
        let failed = !matches!(e.outcome.as_str(), "success" | "none" | "town" | "district");
        let who = match &e.actor_id {
            Some(id) => html! {
                <Link<Route> to={Route::AdminUser { id: id.clone() }}>{ name_of(id) }</Link<Route>>
            },
            None => html! { <span>{ t(AdminText::System) }</span> },
        };
        html! {
            <li class={classes!("item", "entry", failed.then_some("late"))} data-testid="audit-entry"
                data-action={e.action.clone()} data-entity={e.entity_id.clone()}>
                { action }
                { chip(outcome, failed) }
                <span class="line">{ at(&e.at) }{ format!(" · {}: ", t(AdminText::Who)) }{ who }</span>
                <span class="line">{ format!("{kind} ") }{ record }</span>
                { for e.detail.iter().map(|d| html! {
                    <span class="line detail" data-testid="audit-detail">{ detail_words(d) }</span>
                }) }
                { for e.ip.iter().map(|ip| html! { <small class="line">{ format!("IP {ip}") }</small> }) }
            </li>
        }
    };
    html! {
        <Page testid="audit">
            <h1>{ t(AdminText::AuditTitle) }</h1>
            <form class="card filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <label>{ t(AdminText::ActorSearch) }
                    <input name="actor_search" type="search" placeholder={t(AdminText::SearchExample)}
                        value={(*actor_search).clone()}
                        oninput={let s = actor_search.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                </label>
                <label>{ t(AdminText::Actor) }
                    <select name="actor" onchange={let a = actor.clone(); move |e: Event| a.set(select_value(&e))}>
                        <option value="" selected={actor.is_empty()}>{ t(AdminText::AnyActor) }</option>
                        { if chosen_unnamed { html! {
                            <option value={(*actor).clone()} selected=true>{ (*actor).clone() }</option>
                        } } else { html! {} } }
                        { for choices.iter().map(|u| {
                            let id = u.id.to_string();
                            html! {
                                <option value={id.clone()} selected={*actor == id}>
                                    { format!("{} ({}, {})", u.display_name, u.username, t(role(u.role))) }
                                </option>
                            }
                        }) }
                    </select>
                </label>
                <label>{ t(AdminText::RecordId) }
                    <input name="entity" placeholder={t(AdminText::RecordIdExample)}
                        value={(*entity).clone()} oninput={on_input(&entity)} />
                </label>
                <div class="pair">
                    <label>{ t(AdminText::FromDay) }
                        <input name="from" type="date" value={(*from).clone()} oninput={on_input(&from)} />
                    </label>
                    <label>{ t(AdminText::ToDay) }
                        <input name="to" type="date" value={(*to).clone()} oninput={on_input(&to)} />
                    </label>
                </div>
            </form>
            <ul class="list" data-testid="audit-entries">
                { match &entries.items {
                    None => html! { <li class="empty">{ t(Text::Loading) }</li> },
                    Some(Err(e)) => html! { <li>{ alert(&Some(e.clone())) }</li> },
                    Some(Ok(list)) if list.is_empty() => html! { <li class="empty">{ t(Text::Nothing) }</li> },
                    Some(Ok(list)) => html! { <>{ for list.iter().map(entry) }</> },
                } }
            </ul>
            { more_button(&entries, t(AdminText::More)) }
            <Back to={Route::Admin} />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_the_query_with_days_on_the_district_clock() {
        assert_eq!(audit_path("", "", "", ""), "/api/v1/audit?limit=50");
        assert_eq!(
            audit_path("a-1", " 0101 ", "2026-12-01", "2026-12-02"),
            "/api/v1/audit?limit=50&actor=a-1&entity=0101\
             &from=2026-12-01T00%3A00%3A00%2B08%3A00&to=2026-12-02T23%3A59%3A59.999999%2B08%3A00"
        );
        // A day half typed filters nothing yet.
        assert_eq!(audit_path("", "", "2026-12", ""), "/api/v1/audit?limit=50");
    }

    #[test]
    fn every_action_the_server_writes_has_a_label() {
        for a in [
            "login",
            "user_create",
            "user_update",
            "user_unlock",
            "password_change",
            "region_create",
            "cells_import",
            "cell_assign",
            "category_update",
            "calendar_update",
            "visit_interval_update",
            "person_create",
            "person_view",
            "unit_certify",
        ] {
            assert!(action_label(a).is_some(), "{a}");
        }
        assert!(action_label("something_new").is_none());
    }

    #[test]
    fn records_open_on_their_screens() {
        assert_eq!(
            record_route("user", "u1"),
            Some(Route::AdminUser { id: "u1".into() })
        );
        assert_eq!(
            record_route("cell", "500117001001001"),
            Some(Route::Cell {
                code: "500117001001001".into()
            })
        );
        assert_eq!(record_route("category", "0101"), None);
    }
}
