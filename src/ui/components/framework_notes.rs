//! What a criteria set does not yet know, said where people choose and use it: how many
//! indicators are not verified against the official text, and the set's own notes (a
//! provisional set says there what it lacks).

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::framework::Framework;
use crate::state::{use_app_state, Route};
use crate::ui::i18n::t;

/// "⚠ 10/10 indicators not verified against the official text", with a link to the set.
#[component]
pub fn UnverifiedCensus(framework: Arc<Framework>) -> impl IntoView {
    let unverified = framework.indicators.iter().filter(|i| !i.verified).count();
    let total = framework.indicators.len();
    let official = framework
        .indicators
        .iter()
        .filter(|i| i.provenance == crate::domain::framework::Provenance::Official)
        .count();
    let href = Route::Framework(framework.key()).href();
    (unverified > 0).then(|| {
        view! {
            <p class="ca-note" data-testid="unverified-census">
                <span class="ca-flag">"⚠ " {format!("{unverified}/{total}")}</span>
                " " {t("fw.census")} " · " {format!("{official}/{total}")} " " {t("fw.census.official")} " · "
                <a class="ca-link" href=href>{t("fw.census.see")}</a>
            </p>
        }
    })
}

/// The set's notes, as a list.
#[component]
pub fn FrameworkNotes(framework: Arc<Framework>) -> impl IntoView {
    let state = use_app_state();
    view! {
        <ul class="ca-notes" data-testid="framework-notes">
            {framework
                .notes
                .iter()
                .cloned()
                .map(|n| view! { <li>{move || n.get(state.lang.get()).to_string()}</li> })
                .collect_view()}
        </ul>
    }
}
