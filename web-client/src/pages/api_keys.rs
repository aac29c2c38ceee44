//! The admin's API keys for Open311: issue one (its key shown once, to be copied then), the
//! list (never the keys), and revoking one after a confirmation.

use gridwork_shared::api::Role;
use gridwork_shared::open311::{ApiKey, IssuedApiKey, NewApiKey};
use uuid::Uuid;
use yew::prelude::*;

use super::admin::{Said, admins_only_page, said};
use crate::components::form::{field_errors, on_input};
use crate::components::page::{Back, Page};
use crate::components::when::at;
use crate::hooks::{use_loaded, use_session};
use crate::i18n::admin::AdminText;
use crate::i18n::{Text, t};
use crate::services::api;

#[component]
pub fn ApiKeys() -> Html {
    let session = use_session();
    let generation = use_state(|| 0u32);
    let keys = use_loaded(*generation, |_| async {
        api::get::<gridwork_shared::api::Page<ApiKey>>("/api/v1/api-keys?limit=500")
            .await
            .map(|p| p.items)
            .map_err(|e| e.message())
    });
    let name = use_state(String::new);
    let issued = use_state(|| None::<IssuedApiKey>);
    let result = use_state(Said::default);
    let revoking = use_state(|| None::<Uuid>);
    let create = {
        let (name, issued, result, generation) = (
            name.clone(),
            issued.clone(),
            result.clone(),
            generation.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let new = NewApiKey {
                name: (*name).clone(),
            };
            if let Err(errors) = new.validate() {
                result.set(Said::Failed(field_errors(&errors)));
                return;
            }
            let (name, issued, result, generation) = (
                name.clone(),
                issued.clone(),
                result.clone(),
                generation.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, IssuedApiKey>("/api/v1/api-keys", &new).await {
                    Ok(k) => {
                        result.set(Said::Nothing);
                        name.set(String::new());
                        issued.set(Some(k));
                        generation.set(*generation + 1);
                    }
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        })
    };
    let revoke = {
        let (revoking, result, generation) = (revoking.clone(), result.clone(), generation.clone());
        Callback::from(move |id: Uuid| {
            let (revoking, result, generation) =
                (revoking.clone(), result.clone(), generation.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::delete(&format!("/api/v1/api-keys/{id}")).await {
                    Ok(()) => {
                        result.set(Said::Done(t(AdminText::KeyRevoked).into()));
                        generation.set(*generation + 1);
                    }
                    Err(e) => result.set(Said::Failed(e.message())),
                }
                revoking.set(None);
            });
        })
    };
    if session.me.as_ref().map(|m| m.role) != Some(Role::Admin) {
        return admins_only_page(t(AdminText::ApiKeysTitle), t(AdminText::AdminsOnly));
    }
    let row = |k: &ApiKey| {
        let id = k.id;
        let asking = *revoking == Some(id);
        let ask = {
            let revoking = revoking.clone();
            Callback::from(move |_: MouseEvent| revoking.set(Some(id)))
        };
        let cancel = {
            let revoking = revoking.clone();
            Callback::from(move |_: MouseEvent| revoking.set(None))
        };
        let confirm = {
            let revoke = revoke.clone();
            Callback::from(move |_: MouseEvent| revoke.emit(id))
        };
        html! {
            <li class="card" data-testid="api-key" data-id={id.to_string()}>
                <strong>{ k.name.clone() }</strong>
                <p class="hint">{ t(AdminText::KeyIssued) }{ " " }{ at(&k.created_at) }</p>
                { match k.revoked_at {
                    Some(when) => html! {
                        <p class="hint" data-testid="revoked">{ t(AdminText::KeyRevokedAt) }{ " " }{ at(&when) }</p>
                    },
                    None if asking => html! {
                        <div role="alertdialog" aria-label={t(AdminText::RevokeKey)}>
                            <p>{ t(AdminText::RevokeConfirm) }</p>
                            <button class="danger" type="button" data-testid="revoke-yes" onclick={confirm}>{ t(AdminText::RevokeKey) }</button>
                            <button type="button" onclick={cancel}>{ t(AdminText::Cancel) }</button>
                        </div>
                    },
                    None => html! {
                        <button type="button" data-testid="revoke" onclick={ask}>{ t(AdminText::RevokeKey) }</button>
                    },
                } }
            </li>
        }
    };
    html! {
        <Page testid="api-keys">
            <h1>{ t(AdminText::ApiKeysTitle) }</h1>
            <p class="hint">{ t(AdminText::ApiKeysHelp) }</p>
            <form class="card" onsubmit={create}>
                <label>{ t(AdminText::KeyName) }
                    <input name="name" maxlength="100" value={(*name).clone()} oninput={on_input(&name)} />
                </label>
                <button class="primary" type="submit">{ t(AdminText::IssueKey) }</button>
            </form>
            if let Some(k) = &*issued {
                <section class="card" data-testid="issued-key">
                    <p role="status">{ t(AdminText::KeyShownOnce) }</p>
                    <label>{ format!("{} · {}", t(AdminText::TheKey), k.name) }
                        <input name="key" readonly=true value={k.key.clone()} data-testid="key" />
                    </label>
                </section>
            }
            { said(&result, "api-key-result") }
            { match &*keys {
                None => html! { <p>{ t(Text::Loading) }</p> },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.clone() }</p> },
                Some(Ok(list)) if list.is_empty() => html! { <p>{ t(AdminText::NoKeys) }</p> },
                Some(Ok(list)) => html! { <ul class="list">{ for list.iter().map(row) }</ul> },
            } }
            <Back />
        </Page>
    }
}
