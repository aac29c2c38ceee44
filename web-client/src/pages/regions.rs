//! The region tree (district → towns and streets → communities and villages) and adding a
//! town or community under a region picked from the tree, with the code rules next to the
//! form: the parent's code is the fixed start of the new code, the admin types the last 3
//! digits.

use gridwork_shared::ErrorCode;
use gridwork_shared::api::{NewRegion, Region, Role};
use gridwork_shared::codes::RegionLevel;
use yew::prelude::*;

use super::admin::{Said, admins_only_page, said};
use crate::components::form::{field_errors, on_input, select_value};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::admin::AdminText;
use crate::i18n::{Text, t};
use crate::services::api::{self, ApiError};

/// The label of a region's level.
pub fn level_label(l: RegionLevel) -> &'static str {
    match l {
        RegionLevel::District => t(Text::District),
        RegionLevel::Town => t(Text::Town),
        RegionLevel::Community => t(Text::Community),
    }
}

/// Regions whose parent is `parent` (`None`: the tops of the tree — districts, and any
/// region whose parent the caller cannot see), by code.
fn children<'a>(all: &'a [Region], parent: Option<&str>) -> Vec<&'a Region> {
    let mut out: Vec<&Region> = all
        .iter()
        .filter(|r| match parent {
            Some(p) => r.parent_code.as_deref() == Some(p),
            None => r
                .parent_code
                .as_deref()
                .is_none_or(|p| !all.iter().any(|x| x.code == p)),
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

fn branch(all: &[Region], r: &Region) -> Html {
    let below = children(all, Some(&r.code));
    let label = html! {
        <>
        <strong>{ r.name.clone() }</strong>{ " " }<code>{ r.code.clone() }</code>{ " " }
        <span class="chip">{ level_label(r.level) }</span>
        </>
    };
    if below.is_empty() {
        return html! { <li data-testid="region" data-code={r.code.clone()}>{ label }</li> };
    }
    html! {
        <li data-testid="region" data-code={r.code.clone()}>
            <details open={r.level == RegionLevel::District}>
                <summary>{ label }{ format!(" · {} {}", below.len(), t(AdminText::Below)) }</summary>
                <ul class="tree">{ for below.iter().map(|c| branch(all, c)) }</ul>
            </details>
        </li>
    }
}

/// The new region's code from the parent and the digits typed, as a request; or what is
/// wrong with the digits, in the phone's own words.
pub fn new_region(
    parent: Option<&Region>,
    digits: &str,
    name: &str,
) -> Result<NewRegion, AdminText> {
    let digits = digits.trim();
    let (code, level, parent_code) = match parent {
        None => {
            if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(AdminText::DistrictDigits);
            }
            (digits.to_string(), RegionLevel::District, None)
        }
        Some(p) => {
            let Some(level) = p.level.child() else {
                return Err(AdminText::NoChildOfCommunity);
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(AdminText::ThreeDigits);
            }
            if digits == "000" {
                return Err(AdminText::NotZeroSerial);
            }
            (format!("{}{digits}", p.code), level, Some(p.code.clone()))
        }
    };
    Ok(NewRegion {
        code,
        name: name.trim().to_string(),
        level,
        parent_code,
    })
}

/// The parent picker's value for "a new district".
const NEW_DISTRICT: &str = "-";

#[component]
pub fn Regions() -> Html {
    let session = use_session();
    let reload = use_state(|| 0u32);
    let regions = use_loaded(*reload, |_| async {
        api::get::<Vec<Region>>("/api/v1/regions")
            .await
            .map_err(|e| e.message())
    });
    let parent = use_state(String::new);
    let digits = use_state(String::new);
    let name = use_state(String::new);
    let result = use_state(Said::default);
    let all: Vec<Region> = match &*regions {
        Some(Ok(list)) => list.clone(),
        _ => Vec::new(),
    };
    let parent_region = all.iter().find(|r| r.code == *parent).cloned();
    let create = {
        let (parent, digits, name, result, reload) = (
            parent.clone(),
            digits.clone(),
            name.clone(),
            result.clone(),
            reload.clone(),
        );
        let parent_region = parent_region.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if parent.is_empty() {
                result.set(Said::Failed(t(AdminText::ChooseParentFirst).into()));
                return;
            }
            let body = match new_region(parent_region.as_ref(), &digits, &name) {
                Ok(b) => b,
                Err(why) => {
                    result.set(Said::Failed(t(why).into()));
                    return;
                }
            };
            if let Err(errors) = body.validate() {
                result.set(Said::Failed(field_errors(&errors)));
                return;
            }
            let (digits, name, result, reload) =
                (digits.clone(), name.clone(), result.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, Region>("/api/v1/regions", &body).await {
                    Ok(r) => {
                        result.set(Said::Done(format!(
                            "{} {} {} ({})",
                            t(AdminText::Added),
                            level_label(r.level),
                            r.name,
                            r.code
                        )));
                        digits.set(String::new());
                        name.set(String::new());
                        reload.set(*reload + 1);
                    }
                    Err(ApiError::Problem(p)) if p.code == ErrorCode::CodeTaken => result.set(
                        Said::Failed(format!("{} {}", body.code, t(AdminText::CodeTaken))),
                    ),
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        })
    };
    if session.me.as_ref().map(|m| m.role) != Some(Role::Admin) {
        return admins_only_page(t(AdminText::RegionsTitle), t(AdminText::AdminsOnly));
    }
    // Regions a town or community can go under: districts and towns.
    let parents: Vec<&Region> = {
        let mut p: Vec<&Region> = all
            .iter()
            .filter(|r| r.level != RegionLevel::Community)
            .collect();
        p.sort_by(|a, b| a.code.cmp(&b.code));
        p
    };
    let (prefix, width) = match (&parent_region, parent.as_str()) {
        (Some(p), _) => (p.code.clone(), 3),
        (None, NEW_DISTRICT) => (String::new(), 6),
        _ => (String::new(), 3),
    };
    let new_level = parent_region
        .as_ref()
        .and_then(|p| p.level.child())
        .or((*parent == NEW_DISTRICT).then_some(RegionLevel::District));
    html! {
        <Page testid="regions">
            <h1>{ t(AdminText::RegionsTitle) }</h1>
            <section class="card">
                { match &*regions {
                    None => html! { <p>{ t(Text::Loading) }</p> },
                    Some(Err(e)) => crate::components::form::alert(&Some(e.clone())),
                    Some(Ok(_)) if all.is_empty() => html! { <p class="empty">{ t(Text::Nothing) }</p> },
                    Some(Ok(_)) => html! {
                        <ul class="tree" data-testid="region-tree">
                            { for children(&all, None).iter().map(|r| branch(&all, r)) }
                        </ul>
                    },
                } }
            </section>
            <section class="card">
                <h2>{ t(AdminText::AddRegion) }</h2>
                <div class="hint" data-testid="code-rules">
                    <p>{ t(AdminText::CodeRule) }</p>
                    <p>{ t(AdminText::TownSerials) }</p>
                    <p>{ t(AdminText::CommunitySerials) }</p>
                </div>
                <form onsubmit={create}>
                    <label>{ t(AdminText::Parent) }
                        <select name="parent" onchange={let p = parent.clone(); move |e: Event| p.set(select_value(&e))}>
                            <option value="" selected={parent.is_empty()}>{ t(AdminText::ChooseParent) }</option>
                            { for parents.iter().map(|r| html! {
                                <option value={r.code.clone()} selected={*parent == r.code}>
                                    { format!("{} {} ({})", r.name, r.code, level_label(r.level)) }
                                </option>
                            }) }
                            <option value={NEW_DISTRICT} selected={*parent == NEW_DISTRICT}>{ t(AdminText::NewDistrict) }</option>
                        </select>
                    </label>
                    { for new_level.map(|l| html! {
                        <p data-testid="new-level">{ format!("{} {}", t(AdminText::WillBe), level_label(l)) }</p>
                    }) }
                    <label>{ t(AdminText::Code) }
                        <span class="code-input">
                            <code class="prefix" data-testid="code-prefix">{ prefix.clone() }</code>
                            <input name="digits" inputmode="numeric" autocomplete="off"
                                maxlength={width.to_string()} placeholder={if width == 6 { "500117" } else { "001" }}
                                value={(*digits).clone()} oninput={on_input(&digits)} />
                        </span>
                    </label>
                    <label>{ t(AdminText::RegionName) }
                        <input name="region_name" placeholder={t(AdminText::RegionNameExample)}
                            value={(*name).clone()} oninput={on_input(&name)} />
                    </label>
                    <button class="primary" type="submit">{ t(AdminText::Add) }</button>
                </form>
                { said(&result, "region-result") }
            </section>
            <Back to={crate::app::Route::Admin} />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn town() -> Region {
        Region {
            code: "500117001".into(),
            name: "合阳城街道".into(),
            level: RegionLevel::Town,
            parent_code: Some("500117".into()),
        }
    }

    #[test]
    fn the_code_is_the_parents_and_three_digits() {
        let r = new_region(Some(&town()), " 007 ", " 新社区 ").unwrap();
        assert_eq!(r.code, "500117001007");
        assert_eq!(r.level, RegionLevel::Community);
        assert_eq!(r.parent_code.as_deref(), Some("500117001"));
        assert_eq!(r.name, "新社区");
        assert!(r.validate().is_ok());
        for bad in ["", "7", "0007", "00a", "000"] {
            assert!(new_region(Some(&town()), bad, "x").is_err(), "{bad}");
        }
        let d = new_region(None, "500118", "铜梁区").unwrap();
        assert_eq!((d.level, d.parent_code), (RegionLevel::District, None));
        assert!(new_region(None, "5001", "x").is_err());
        let community = Region {
            code: "500117001001".into(),
            level: RegionLevel::Community,
            ..town()
        };
        assert!(new_region(Some(&community), "001", "x").is_err());
    }

    #[test]
    fn the_tree_starts_at_regions_without_a_visible_parent() {
        let all = vec![
            town(),
            Region {
                code: "500117001001".into(),
                name: "文峰社区".into(),
                level: RegionLevel::Community,
                parent_code: Some("500117001".into()),
            },
        ];
        let tops = children(&all, None);
        assert_eq!(tops.len(), 1);
        assert_eq!(tops[0].code, "500117001");
        assert_eq!(children(&all, Some("500117001")).len(), 1);
    }
}
