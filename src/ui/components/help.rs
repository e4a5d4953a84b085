//! The "?" beside a term or a warning: one tap opens the guide's paragraph about it in a side
//! panel over the page, and closing it leaves the officer where they were (nothing navigates).
//! The panel comes with the records' pages' chunk, fetched the first time a "?" is pressed.

use leptos::prelude::*;

use crate::state::{use_app_state, Route};
use crate::ui::i18n::tr;

/// Which guide paragraph the help panel shows (`None`: closed). Provided by the app shell.
#[derive(Clone, Copy)]
pub struct HelpPanel(pub RwSignal<Option<String>>);

/// The help panel's state, from the shell.
pub fn use_help() -> HelpPanel {
    expect_context::<HelpPanel>()
}

/// A "?" that opens the guide at `term` (an id of `locales/guide.<lang>.md`, e.g. `tam-tinh`).
/// It is a real link to `#/guide/<term>`, so it also works opened in a new tab or printed.
#[component]
pub fn HelpLink(
    /// The guide paragraph's id.
    term: &'static str,
) -> impl IntoView {
    let state = use_app_state();
    let help = use_help();
    let label = move || {
        format!(
            "{}: {}",
            tr(state.lang().get(), "help.label"),
            tr(state.lang().get(), &format!("help.term.{term}"))
        )
    };
    view! {
        <a
            class="ca-help ca-noprint"
            href=Route::Guide(Some(term.to_string())).href()
            data-guide=term
            aria-label=label
            title=label
            on:click=move |ev| {
                ev.prevent_default();
                // Where the focus returns when the panel closes: this "?", not another one of the term.
                crate::io::nav::mark_return_point(ev.current_target());
                help.0.set(Some(term.to_string()));
            }
        >
            "?"
        </a>
    }
}

/// A line under a page's title: the terms this page shows, each with its "?" ("Giải thích:
/// tạm tính ? · thẩm tra và thẩm định ?"). Screen only.
#[component]
pub fn HelpTerms(
    /// The guide paragraphs' ids.
    terms: &'static [&'static str],
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    view! {
        <p class="ca-help-terms ca-noprint ca-small" data-testid="help-terms">
            {move || tr(lang(), "help.label")} ": "
            {terms
                .iter()
                .enumerate()
                .map(|(i, &term)| {
                    view! {
                        {(i > 0).then_some(" · ")}
                        <span class="ca-help-terms__term">{move || tr(lang(), &format!("help.term.{term}"))}</span>
                        <HelpLink term=term />
                    }
                })
                .collect_view()}
        </p>
    }
}
