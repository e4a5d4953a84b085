//! Home: the stored assessments with their verdicts, and the default criteria set's criteria so
//! a first-time user can start at once.

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;

use crate::domain::framework::outline::{self, Outline};
use crate::io::download::download;
use crate::state::{use_app_state, Route};
use crate::ui::components::record_state::RecordState;
use crate::ui::components::verdict::commune_badge;
use crate::ui::i18n::{indicators_key, static_text, t, tr};

/// Assessments listed before "show more" (the dashboard is the overview of all of them).
const PAGE: usize = 100;

/// The landing page.
#[component]
pub fn HomePage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let (shown, set_shown) = signal(PAGE);
    let in_force = outline::in_force_on(&crate::io::nav::iso_date(crate::io::nav::now_ms()));
    // Newest first; only the first `shown` are scored, by the records' chunk once it has read
    // them (`state::store`); until then the list is empty and says it is loading.
    let rows = Memo::new(move |_| {
        let limit = shown.get();
        if !state.store_ready().get() {
            return Vec::new();
        }
        state.hooks.get_value().map(|h| h.home_rows(state, limit)).unwrap_or_default()
    });
    let loading = move || !state.store_ready().get() && state.records_at_start();
    // A listed assessment made with a bundled set not read yet: read them (then the rows are
    // scored again). Once read, a set still missing is not on this tablet, and nothing repeats.
    Effect::new(move |_| {
        if rows.with(|r| r.iter().any(|r| r.set_missing)) {
            leptos::task::spawn_local(async move {
                let _ = crate::state::browser::ensure_bundled_sets(state).await;
            });
        }
    });
    // A new tablet's first start: what the app is for and where to begin, until dismissed (its
    // code comes with the records' pages' chunk, asked for once the first screen is painted).
    let welcome = RwSignal::new(false);
    if !state.welcomed() && !state.records_at_start() {
        crate::io::nav::after_next_paint(move || {
            let _ = welcome.try_set(true);
        });
    }
    view! {
        {move || welcome.get().then(|| crate::ui::chunks::lazy_extra(crate::ui::chunks::welcome()))}
        <section class="ca-section">
            <div class="ca-section__head">
                <h1>{t("home.assessments")}</h1>
                <HelpTerms terms=&["tam-tinh", "tham-tra", "xung-dot"] />
                <a class="ca-button" href=Route::New.href() data-testid="new-assessment">
                    {t("home.new")}
                </a>
            </div>
            <Show
                when=move || rows.with(|r| !r.is_empty())
                fallback=move || {
                    if state.store_failed().get() {
                        view! { <p class="ca-error" role="alert" data-testid="home-failed">{t("chunk.failed.body")}</p> }.into_any()
                    } else if loading() {
                        view! { <p class="ca-loading" data-testid="home-loading">{t("home.loading")}</p> }.into_any()
                    } else {
                        view! { <p data-testid="no-assessments">{t("home.none")}</p> }.into_any()
                    }
                }
            >
                <ul class="ca-cards" data-testid="assessment-list">
                    // Static rows, rebuilt when the list or the language changes: rows with
                    // reactive parts each cost more to create than to rebuild.
                    {move || {
                        let l = lang();
                        rows.with(|rows| {
                            rows.iter()
                                .map(|r| {
                                    let (class, verdict) = commune_badge(r.verdict, r.provisional, l);
                                    view! {
                                        <li class="ca-card">
                                            <a href=Route::Assessment(r.id.clone()).href() data-testid="assessment-link">
                                                <strong>{r.title.clone()}</strong>
                                            </a>
                                            <span>{r.province.clone()}</span>
                                            <span>{format!("{} {}", r.criteria, tr(l, "common.criteria"))}</span>
                                            <span class=class data-testid="verdict">{verdict}</span>
                                            <RecordState id=r.id.clone() stage=Signal::stored(r.stage) />
                                        </li>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </ul>
                {move || {
                    let more = state.assessments().with(|m| m.len()).saturating_sub(shown.get());
                    (more > 0)
                        .then(|| {
                            view! {
                                <button
                                    class="ca-button ca-button--ghost"
                                    data-testid="home-more"
                                    on:click=move |_| set_shown.update(|s| *s += PAGE)
                                >
                                    {format!("{} ({more})", tr(lang(), "dash.more"))}
                                </button>
                            }
                        })
                }}
            </Show>
        </section>
        <Show when=move || !state.quarantine().with(|q| q.is_empty())>
            <section class="ca-section ca-section--alert" data-testid="quarantine">
                <h2>{t("home.quarantine")}</h2>
                <ul>
                    {move || {
                        state
                            .quarantine()
                            .get()
                            .into_iter()
                            .map(|q| {
                                let raw = q.raw.clone();
                                let name = format!("{}.txt", q.key.replace('/', "_"));
                                view! {
                                    <li>
                                        <code>{q.key.clone()}</code>
                                        " — "
                                        {crate::domain::text::in_lang(&q.error, lang()).to_string()}
                                        " "
                                        <button
                                            class="ca-button ca-button--ghost"
                                            on:click=move |_| {
                                                let _ = download(&name, "text/plain", &raw);
                                            }
                                        >
                                            {t("home.quarantine.export")}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
        // The bundled set in force today, as the sets' own dates say (51/2025 since 15/02/2026):
        // the one a new assessment starts from.
        <section class="ca-section" data-testid="framework-in-force">
            <h2>{t("home.framework_in_force")} ": " {static_text(in_force.title)}</h2>
            <HelpTerms terms=&["khung-tam"] />
            <CriteriaList outline=in_force />
        </section>
    }
}

/// A set's groups and criteria with their indicator counts, from its outline (generated at
/// build time: the first screen needs neither the loader nor the set's data), and a link to it.
#[component]
fn CriteriaList(outline: &'static Outline) -> impl IntoView {
    view! {
        <ol class="ca-criteria" data-testid="criteria-list">
            {outline
                .groups
                .iter()
                .map(|g| {
                    view! {
                        <li class="ca-criteria__group">
                            <h3>{g.id} ". " {static_text(g.title)}</h3>
                            <ul>
                                {g.criteria
                                    .iter()
                                    .map(|c| {
                                        view! {
                                            <li data-testid="criterion">
                                                <span class="ca-code">{c.id}</span>
                                                {static_text(c.title)}
                                                <span class="ca-muted">
                                                    " (" {c.indicators} " "
                                                    {t(indicators_key(c.indicators))} ")"
                                                </span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <a class="ca-link" href=Route::Framework(outline.key()).href()>
            {t("common.open")} " →"
        </a>
    }
}
