//! The root component: provides state, follows the URL hash, and lays out header and page.

use leptos::prelude::*;

use crate::domain::text::Lang;
use crate::io::nav;
use crate::state::{actions, provide_app_state, use_app_state, Route, SaveStatus};
use crate::ui::chunks::{self, lazy_page};
use crate::ui::components::help::HelpPanel;
use crate::ui::i18n::{t, tr};
use crate::ui::pages::home_page::HomePage;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = provide_app_state();
    let help = HelpPanel(RwSignal::new(None));
    provide_context(help);
    // English strings live in a chunk of their own (`mount` fetched them if they were saved):
    // a switch, or a restored backup's settings, shows Vietnamese for the moment they take to
    // arrive, then redraws. If they cannot be fetched, the page stays in Vietnamese.
    Effect::new(move |_| {
        let lang = state.lang().get();
        if !crate::ui::i18n::loaded(lang) {
            leptos::task::spawn_local(async move {
                if crate::ui::i18n::load(lang).await {
                    crate::state::browser::strings_arrived(state);
                }
            });
        }
    });
    crate::state::browser::follow_the_browser(state);
    let sync = crate::state::sync::install(state);
    // The records, read by their own chunk: at once when home has assessments to list;
    // otherwise once the first screen is painted (two frames: the first screen of a new tablet
    // does not wait for, or fetch, that code). Then the sync counts, and then — on home — the
    // service worker: its precache of a first visit starts once home is usable, and takes what
    // the page fetched from the HTTP cache instead of downloading it a second time beside the
    // page's own fetches (registered even if the chunk could not be fetched). Any other page
    // registers it once its own chunk is in (`ui::chunks::lazy_page`).
    let read_records = move || {
        leptos::task::spawn_local(async move {
            if crate::state::store::ensure(state).await.is_ok() {
                crate::state::sync::refresh_counts(state, sync);
            }
            if state.route().get_untracked() == Route::Home {
                crate::state::browser::register_service_worker(state);
            }
        })
    };
    if state.records_at_start() {
        read_records();
    } else {
        nav::after_next_paint(move || nav::after_next_paint(read_records));
    }
    view! {
        <Header />
        <main class="ca-main" id="main" tabindex="-1"
            data-store=move || if state.store_ready().get() { "ready" } else { "loading" }>
            {move || match state.route().get() {
                Route::Home => view! { <HomePage /> }.into_any(),
                Route::Frameworks => lazy_page(chunks::frameworks()),
                Route::Framework(key) => lazy_page(chunks::framework(key)),
                Route::FrameworkEdit(id) => lazy_page(chunks::framework_edit(id)),
                Route::Import => lazy_page(chunks::import()),
                Route::Data => lazy_page(chunks::data()),
                Route::New => lazy_page(chunks::new_assessment()),
                Route::Assessment(id) => lazy_page(chunks::assessment(id)),
                Route::Roster(id) => lazy_page(chunks::roster(id)),
                Route::Conflict(id) => lazy_page(chunks::conflict(id)),
                Route::Report(id) => lazy_page(chunks::report(id)),
                Route::Compare(id) => lazy_page(chunks::compare(id)),
                Route::Training => lazy_page(chunks::training()),
                Route::Dashboard => lazy_page(chunks::dashboard()),
                Route::Sync => lazy_page(chunks::sync()),
                Route::Gaps => lazy_page(chunks::gaps()),
                Route::Guide(at) => lazy_page(chunks::guide_page(at.unwrap_or_default())),
                Route::NotFound(_) => {
                    view! { <h1>{move || tr(state.lang().get(), "notfound.title")}</h1> }.into_any()
                }
            }}
        </main>
        // The help panel (its code comes with the records' pages' chunk, when a "?" is first pressed).
        {move || help.0.get().map(|id| chunks::lazy_extra(chunks::help_panel(id)))}
    }
}

/// App name, navigation, save status and the language switch.
#[component]
fn Header() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let save_text = move || {
        let l = lang();
        match state.save().get() {
            SaveStatus::Idle => tr(l, "save.idle"),
            SaveStatus::Pending => tr(l, "save.pending"),
            SaveStatus::Saved(at) => format!("{} {}", tr(l, "save.saved"), nav::hh_mm(at)),
            SaveStatus::QuotaExceeded => tr(l, "save.quota"),
            SaveStatus::MemoryOnly => tr(l, "save.memory"),
            SaveStatus::Failed(e) => format!("{} {}", tr(l, "save.failed"), e.message(l)),
            SaveStatus::Conflict => tr(l, "save.conflict"),
        }
    };
    let save_class = move || match state.save().get() {
        SaveStatus::QuotaExceeded | SaveStatus::MemoryOnly | SaveStatus::Failed(_) | SaveStatus::Conflict => {
            "ca-save ca-save--alert"
        }
        _ => "ca-save",
    };
    let toggle = move |_| {
        let next = if state.lang().get_untracked() == Lang::Vi { Lang::En } else { Lang::Vi };
        actions::set_lang(state, next);
    };
    view! {
        // The first thing a keyboard reaches: straight to the first answer field (or the page).
        <button
            class="ca-skip"
            data-testid="skip-link"
            on:click=move |_| {
                nav::focus_first(&[
                    ".ca-indicator input:not([disabled]), .ca-indicator select:not([disabled])",
                    "#main h1",
                    "#main",
                ])
            }
        >
            {t("nav.skip")}
        </button>
        <header class="ca-header">
            <a class="ca-brand" href=Route::Home.href()>
                <strong>{t("app.name")}</strong>
                <span class="ca-brand__tag">{t("app.tagline")}</span>
            </a>
            <nav class="ca-nav" aria-label=t("nav.main")>
                <a href=Route::Home.href() data-testid="nav-home">
                    {t("nav.home")}
                </a>
                <a href=Route::Dashboard.href() data-testid="nav-dashboard">
                    {t("nav.dashboard")}
                </a>
                <a href=Route::Frameworks.href() data-testid="nav-frameworks">
                    {t("nav.frameworks")}
                </a>
                <a href=Route::Import.href() data-testid="nav-import">
                    {t("nav.import")}
                </a>
                <a href=Route::Gaps.href() data-testid="nav-gaps">
                    {t("nav.gaps")}
                </a>
                <a href=Route::Training.href() data-testid="nav-training">
                    {t("nav.training")}
                </a>
                <a href=Route::Data.href() data-testid="nav-data">
                    {t("nav.data")}
                </a>
                <a href=Route::Sync.href() data-testid="nav-sync">
                    {t("nav.sync")}
                </a>
                <a href=Route::Guide(None).href() data-testid="nav-guide">
                    {t("nav.guide")}
                </a>
            </nav>
            <SyncChip />
            <span class=save_class data-testid="save-status" role="status" aria-live="polite">
                {save_text}
                <Show when=move || {
                    matches!(state.save().get(), SaveStatus::QuotaExceeded | SaveStatus::MemoryOnly | SaveStatus::Failed(_))
                }>
                    " "
                    <button
                        class="ca-button ca-button--ghost"
                        data-testid="save-export"
                        on:click=move |_| {
                            crate::state::data::export_backup_from_main(state);
                        }
                    >
                        {t("save.export")}
                    </button>
                </Show>
            </span>
            <span
                class="ca-net"
                class:ca-net--off=move || !state.online().get()
                data-testid="online-status"
                role="status"
            >
                {move || if state.online().get() { format!("● {}", tr(lang(), "net.online")) } else { format!("○ {}", tr(lang(), "net.offline")) }}
            </span>
            <button
                class="ca-button ca-button--ghost"
                data-testid="lang-switch"
                aria-label=t("lang.switch.label")
                on:click=toggle
            >
                {t("lang.switch")}
            </button>
        </header>
        <Show when=move || state.update_ready().get()>
            <div class="ca-update" role="alert" data-testid="update-ready">
                {t("update.ready")} " "
                <button class="ca-button" data-testid="update-reload" on:click=move |_| crate::state::browser::apply_update(state)>
                    {t("update.reload")}
                </button>
                <Show when=move || state.reload_refused().get()>
                    <p class="ca-error" data-testid="update-refused">
                        {t("update.refused")} " "
                        <button class="ca-button ca-button--ghost" data-testid="update-export"
                            on:click=move |_| { crate::state::data::export_backup_from_main(state); }>
                            {t("save.export")}
                        </button>
                    </p>
                </Show>
            </div>
        </Show>
    }
}

/// The sync line of the header, once a server is set up: unsynced count, or the last error.
#[component]
fn SyncChip() -> impl IntoView {
    let state = use_app_state();
    let sync = crate::state::sync::use_sync();
    let lang = move || state.lang().get();
    move || {
        sync.config().with(|c| c.is_set()).then(|| {
            // Nothing counted before the records are read: neither "synced" nor a number.
            if !state.store_ready().get() {
                return view! { <a class="ca-sync" href=Route::Sync.href() data-testid="sync-chip">"⇅ …"</a> };
            }
            let s = sync.status().get();
            let (class, text) = if !s.blocked.is_empty() {
                (
                    "ca-sync ca-sync--error",
                    format!("⚠ {} {}", s.blocked.len(), tr(lang(), "sync.chip.blocked")),
                )
            } else if s.last_error.is_some() {
                ("ca-sync ca-sync--error", format!("⚠ {}", tr(lang(), "sync.chip.error")))
            } else if s.signed_in.is_none()
                && !s.session_known
                && sync.config().with(|c| c.account().is_some())
            {
                // Not known yet (an offline start, the server out of reach): asked again by
                // itself; nothing for the officer to do.
                let key = if state.online().get() { "sync.chip.connecting" } else { "sync.chip.waiting" };
                ("ca-sync ca-sync--pending", format!("⇅ {}", tr(lang(), key)))
            } else if s.signed_in.is_none() {
                ("ca-sync ca-sync--error", format!("⇅ {}", tr(lang(), "sync.signed_out")))
            } else if s.running {
                ("ca-sync", format!("⇅ {}", tr(lang(), "sync.chip.running")))
            } else if s.unsynced > 0 {
                ("ca-sync ca-sync--pending", format!("⇅ {} {}", s.unsynced, tr(lang(), "sync.chip.unsynced")))
            } else {
                ("ca-sync", format!("⇅ {}", tr(lang(), "sync.chip.synced")))
            };
            view! { <a class=class href=Route::Sync.href() data-testid="sync-chip">{text}</a> }
        })
    }
}
