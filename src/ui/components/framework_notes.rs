//! What a criteria set does not yet know, said where people choose and use it: how many
//! indicators are not verified against the official text, and the set's own notes (a
//! provisional set says there what it lacks).

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::components::help::HelpLink;

use crate::domain::framework::Framework;
use crate::state::{use_app_state, Route};
use crate::ui::i18n::{t, tr};

/// "⚠ 10/10 indicators not verified against the official text", with a link to the set; with
/// a region or commune group chosen, the values deciding each indicator there, by source.
#[component]
pub fn UnverifiedCensus(
    framework: Arc<Framework>,
    /// The region or commune group chosen (empty: none yet).
    #[prop(into, optional)]
    dimension: Signal<String>,
) -> impl IntoView {
    let state = use_app_state();
    let column_fw = framework.clone();
    let column = move || {
        let d = dimension.get();
        let value = column_fw.dimension_value(&d)?;
        let c = column_fw.census_for(&d);
        let l = state.lang().get();
        Some(format!(
            "{}: {}/{n} {} · {} {} · {} {} · {} {}",
            value.title.get(l),
            c.official,
            tr(l, "fw.col.official"),
            c.secondary,
            tr(l, "fw.col.secondary"),
            c.flagged,
            tr(l, "fw.col.flagged"),
            c.not_found,
            tr(l, "fw.col.not_found"),
            n = c.total(),
        ))
    };
    let unverified = framework.indicators.iter().filter(|i| !i.verified).count();
    let total = framework.indicators.len();
    let official = framework
        .indicators
        .iter()
        .filter(|i| i.provenance == crate::domain::framework::Provenance::Official)
        .count();
    let href = Route::Framework(framework.key()).href();
    view! {
        {(unverified > 0).then(|| {
            view! {
                <p class="ca-note" data-testid="unverified-census">
                    <span class="ca-flag">"⚠ " {format!("{unverified}/{total}")}</span>
                    " " {t("fw.census")} " · " {format!("{official}/{total}")} " " {t("fw.census.official")} " · "
                    <a class="ca-link" href=href>{t("fw.census.see")}</a>
                    <HelpLink term="chua-xac-minh" />
                    <HelpLink term="nguon" />
                </p>
            }
        })}
        {move || column().map(|text| view! { <p class="ca-note" data-testid="column-census">{text} <HelpLink term="nguon" /></p> })}
    }
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
                .map(|n| view! { <li>{move || n.get(state.lang().get()).to_string()}</li> })
                .collect_view()}
        </ul>
    }
}
