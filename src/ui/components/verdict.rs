//! Verdict badge and "unverified" flag. Colour is never the only signal: each badge carries a
//! symbol and a word.

use leptos::prelude::*;

use crate::ui::components::help::HelpLink;

use crate::domain::score::Verdict;
use crate::state::use_app_state;
use crate::ui::i18n::tr;

/// A small badge: ✓ Đạt, ✗ Chưa đạt, … Chưa xác định.
#[component]
pub fn VerdictBadge(
    /// The verdict to show.
    #[prop(into)]
    verdict: Signal<Verdict>,
) -> impl IntoView {
    let state = use_app_state();
    let parts = move || badge(verdict.get(), state.lang().get());
    let class = move || parts().0;
    let text = move || parts().1;
    view! { <span class=class data-testid="verdict">{text}</span> }
}

/// The class and text of a verdict badge, for lists that render it without reactive parts.
pub fn badge(verdict: Verdict, lang: crate::domain::text::Lang) -> (&'static str, String) {
    match verdict {
        Verdict::Met => ("ca-badge ca-badge--met", format!("✓ {}", tr(lang, "verdict.met"))),
        Verdict::NotMet => ("ca-badge ca-badge--not-met", format!("✗ {}", tr(lang, "verdict.not_met"))),
        Verdict::Pending => ("ca-badge ca-badge--pending", format!("… {}", tr(lang, "verdict.pending"))),
    }
}

/// As `badge`, for a commune's overall verdict: a "met" resting on values not from the official
/// text (or on a provisional set) says so, never a bare "Đạt".
pub fn commune_badge(
    verdict: Verdict,
    provisional: bool,
    lang: crate::domain::text::Lang,
) -> (&'static str, String) {
    match (verdict, provisional) {
        (Verdict::Met, true) => {
            ("ca-badge ca-badge--met", format!("✓ {}", tr(lang, "verdict.met_provisional")))
        }
        _ => badge(verdict, lang),
    }
}

/// The "chưa xác minh" flag shown next to anything not checked against the official text.
#[component]
pub fn UnverifiedFlag() -> impl IntoView {
    let state = use_app_state();
    view! {
        <span
            class="ca-flag"
            data-testid="unverified"
            title=move || tr(state.lang().get(), "fw.unverified.title")
        >
            "⚠ "
            {move || tr(state.lang().get(), "fw.unverified")}
        </span>
        <HelpLink term="chua-xac-minh" />
    }
}

/// A verdict badge for static content (a printed report, a comparison).
pub fn badge_view(verdict: Verdict, lang: crate::domain::text::Lang) -> impl IntoView {
    let (class, text) = badge(verdict, lang);
    view! { <span class=class>{text}</span> }
}
