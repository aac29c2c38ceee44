//! One's own profile (`GET /me`) and changing one's own password: the current one, and the
//! new one typed twice and checked on the phone. The server then ends every session of the
//! user; this phone signs in again at once with the new password, so the user stays in.

use gridwork_shared::api::{Me, PasswordChange, Region};
use gridwork_shared::{ErrorCode, FieldErrors, validate};
use yew::prelude::*;

use crate::components::form::{alert, field_errors, on_input};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::admin::MeText;
use crate::i18n::{Text, role, t};
use crate::services::api::{self, ApiError};

/// The change to send for what was typed, checked on the phone; what is wrong otherwise.
pub fn password_change(
    current: &str,
    new: &str,
    again: &str,
) -> Result<PasswordChange, Result<MeText, FieldErrors>> {
    if current.is_empty() {
        return Err(Ok(MeText::TypeCurrent));
    }
    if new != again {
        return Err(Ok(MeText::PasswordsDiffer));
    }
    if new == current {
        return Err(Ok(MeText::SameAsCurrent));
    }
    let mut e = FieldErrors::new();
    validate::password(&mut e, "new", new);
    e.into_result().map_err(Err)?;
    Ok(PasswordChange {
        current: current.to_string(),
        new: new.to_string(),
    })
}

/// What the last change came to.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Changed,
    ChangedSignInAgain,
    Failed(String),
}

#[component]
pub fn MePage() -> Html {
    let session = use_session();
    // The profile as the server has it, else as this phone remembers it (offline).
    let fresh = use_loaded((), |_| async { api::get::<Me>("/api/v1/me").await.ok() });
    let regions = use_loaded((), |_| async {
        api::get::<Vec<Region>>("/api/v1/regions")
            .await
            .unwrap_or_default()
    });
    let current = use_state(String::new);
    let new = use_state(String::new);
    let again = use_state(String::new);
    let outcome = use_state(|| None::<Outcome>);
    let busy = use_state(|| false);
    let me = (*fresh).clone().flatten().or_else(|| session.me.clone());
    let change = {
        let (current, new, again, outcome, busy) = (
            current.clone(),
            new.clone(),
            again.clone(),
            outcome.clone(),
            busy.clone(),
        );
        let username = me.as_ref().map(|m| m.username.clone()).unwrap_or_default();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = match password_change(&current, &new, &again) {
                Ok(b) => b,
                Err(Ok(why)) => {
                    outcome.set(Some(Outcome::Failed(t(why).into())));
                    return;
                }
                Err(Err(errors)) => {
                    outcome.set(Some(Outcome::Failed(field_errors(&errors))));
                    return;
                }
            };
            busy.set(true);
            let (current, new, again, outcome, busy, username) = (
                current.clone(),
                new.clone(),
                again.clone(),
                outcome.clone(),
                busy.clone(),
                username.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, ()>("/api/v1/me/password", &body).await {
                    Ok(()) => {
                        current.set(String::new());
                        new.set(String::new());
                        again.set(String::new());
                        // Every session of the user has just ended, this one too: sign in
                        // again with the new password.
                        let signed_in = api::login(&username, &body.new).await.is_ok();
                        outcome.set(Some(if signed_in {
                            Outcome::Changed
                        } else {
                            Outcome::ChangedSignInAgain
                        }));
                    }
                    Err(ApiError::Problem(p))
                        if p.code == ErrorCode::ValidationFailed
                            && p.errors.iter().any(|f| f.field == "current") =>
                    {
                        outcome.set(Some(Outcome::Failed(t(MeText::CurrentWrong).into())));
                    }
                    Err(e) => outcome.set(Some(Outcome::Failed(e.message()))),
                }
                busy.set(false);
            });
        })
    };
    let Some(me) = me else {
        return html! { <Page><p>{ t(Text::Loading) }</p><Back /></Page> };
    };
    let region = if me.region_code.is_empty() {
        t(MeText::WholeSystem).to_string()
    } else {
        match regions.iter().flatten().find(|r| r.code == me.region_code) {
            Some(r) => format!("{} {}", r.name, r.code),
            None => me.region_code.clone(),
        }
    };
    html! {
        <Page testid="me">
            <h1>{ t(MeText::Title) }</h1>
            <section class="card">
                <dl data-testid="profile">
                    <dt>{ t(MeText::Name) }</dt><dd>{ me.display_name.clone() }</dd>
                    <dt>{ t(Text::Username) }</dt><dd data-testid="me-username">{ me.username.clone() }</dd>
                    <dt>{ t(MeText::Role) }</dt><dd data-testid="me-role">{ t(role(me.role)) }</dd>
                    <dt>{ t(MeText::Region) }</dt><dd>{ region }</dd>
                </dl>
                { if fresh.as_ref().is_some_and(Option::is_none) { html! {
                    <p class="notice">{ t(MeText::OfflineProfile) }</p>
                } } else { html! {} } }
            </section>
            <section class="card">
                <h2>{ t(MeText::ChangePassword) }</h2>
                <form onsubmit={change} data-testid="change-password">
                    <label>{ t(MeText::Current) }
                        <input name="current" type="password" autocomplete="current-password"
                            value={(*current).clone()} oninput={on_input(&current)} />
                    </label>
                    <label>{ t(MeText::New) }
                        <input name="new" type="password" autocomplete="new-password"
                            value={(*new).clone()} oninput={on_input(&new)} />
                    </label>
                    <label>{ t(MeText::Again) }
                        <input name="again" type="password" autocomplete="new-password"
                            value={(*again).clone()} oninput={on_input(&again)} />
                    </label>
                    <p class="hint">{ t(MeText::Rule) }</p>
                    <button class="primary" type="submit" disabled={*busy}>{ t(MeText::Change) }</button>
                </form>
                <div data-testid="password-result">
                    { match &*outcome {
                        None => html! {},
                        Some(Outcome::Changed) => html! { <p class="done" role="status">{ format!("✓ {}", t(MeText::Changed)) }</p> },
                        Some(Outcome::ChangedSignInAgain) => html! {
                            <p class="done" role="status">{ format!("✓ {}", t(MeText::ChangedSignInAgain)) }</p>
                        },
                        Some(Outcome::Failed(why)) => alert(&Some(why.clone())),
                    } }
                </div>
            </section>
            <Back />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_password_is_checked_on_the_phone() {
        let ok = password_change("old password", "a new password", "a new password").unwrap();
        assert_eq!(
            (ok.current.as_str(), ok.new.as_str()),
            ("old password", "a new password")
        );
        assert_eq!(
            password_change("", "a new password", "a new password").unwrap_err(),
            Ok(MeText::TypeCurrent)
        );
        assert_eq!(
            password_change("old password", "a new password", "a new passwort").unwrap_err(),
            Ok(MeText::PasswordsDiffer)
        );
        assert_eq!(
            password_change("old password", "old password", "old password").unwrap_err(),
            Ok(MeText::SameAsCurrent)
        );
        assert!(
            password_change("old password", "short", "short")
                .unwrap_err()
                .is_err()
        );
    }
}
