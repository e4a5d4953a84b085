//! Pages compiled into wasm chunks of their own (wasm-split), fetched the first time one opens.
//!
//! Each `#[wasm_split]` function below is a split point: the page it builds, and everything only
//! that page uses, leaves the main module. `scripts/post-build.mjs` cuts the chunks out of the
//! cargo artifact. A chunk that cannot be fetched (offline before it was cached, or an old tab
//! after an update removed its files) shows [`ChunkFailedNotice`] instead of a dead page.

// The split points expand to `unsafe extern "C"` imports and `#[unsafe(no_mangle)]` exports that
// wasm-split rewires; no unsafe code is written by hand here.
#![cfg_attr(feature = "split", allow(unsafe_code))]

use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::wasm_split;
use std::rc::Rc;

use crate::ui::pages::{
    assessment_page::AssessmentPage,
    compare_page::ComparePage,
    conflict_page::ConflictPage,
    dashboard_page::DashboardPage,
    data_page::DataPage,
    editor_page::FrameworkEditPage,
    framework_page::FrameworkPage,
    framework_page::FrameworksPage,
    gaps_page::GapsPage,
    guide_page::{GuidePage, HelpAside},
    import_page::ImportPage,
    new_page::NewPage,
    report_page::ReportPage,
    roster_page::RosterPage,
    sync_page::SyncPage,
    training_page::TrainingPage,
};

pub use crate::state::ChunkFailed;

/// Builds a page's view; its code lives in the page's chunk. Called like any page component,
/// under the route's owner and outside any future, so the page's signals, effects and cleanups
/// are owned exactly as those of a page in the main module.
pub type Build = Rc<dyn Fn() -> AnyView>;

/// What loading a chunk gives: the page's builder, or the failure.
pub type Page = Result<Build, ChunkFailed>;

macro_rules! split_page {
    ($(#[$doc:meta])* $chunk:ident, $fun:ident ($($arg:ident)?) => $view:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $fun($($arg: String)?) -> Page {
            Ok(Rc::new(move || {
                $(let $arg = $arg.clone();)?
                $view.into_any()
            }))
        }
        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $fun($($arg: String)?) -> Page {
            Ok(Rc::new(move || {
                $(let $arg = $arg.clone();)?
                $view.into_any()
            }))
        }
    };
}

// Five chunks, by what an officer does: assess (a new assessment, the assessment itself),
// frameworks (list, a set, import, gaps, the editor), results (dashboard, report, compare),
// records (data, conflicts, sync), cadres (roster, training). The main module keeps the shell
// and the home page. A chunk per page cut the app into 75 files whose gzip was 44 KB larger.
split_page!(assess, assessment(id) => view! { <AssessmentPage id=id /> });
split_page!(assess, new_assessment() => view! { <NewPage /> });
split_page!(
    /// The framework editor (the largest page; only for officers completing a set).
    frameworks, framework_edit(id) => view! { <FrameworkEditPage id=id /> }
);
split_page!(frameworks, frameworks() => view! { <FrameworksPage /> });
split_page!(frameworks, framework(key) => view! { <FrameworkPage key=key /> });
split_page!(frameworks, import() => view! { <ImportPage /> });
split_page!(records, data() => view! { <DataPage /> });
split_page!(cadres, roster(id) => view! { <RosterPage id=id /> });
split_page!(records, conflict(id) => view! { <ConflictPage id=id /> });
split_page!(results, report(id) => view! { <ReportPage id=id /> });
split_page!(results, compare(id) => view! { <ComparePage id=id /> });
split_page!(cadres, training() => view! { <TrainingPage /> });
split_page!(results, dashboard() => view! { <DashboardPage /> });
split_page!(records, sync() => view! { <SyncPage /> });
split_page!(frameworks, gaps() => view! { <GapsPage /> });
// The guide, its help panel and the welcome ride with the records' pages: a split of their own
// cut the code they share with every page into 25 more shared chunks, and an assessment's open
// took 17 more files.
split_page!(
    /// The guide: fetched the first time it opens.
    records, guide_page(at) => view! { <GuidePage at=(!at.is_empty()).then(|| at.clone()) /> }
);
split_page!(
    /// The help panel beside the page, with one paragraph of the guide.
    records, help_panel(id) => view! { <HelpAside id=id /> }
);
split_page!(
    /// The first-start welcome of a new tablet (on home, shown once the first screen is up).
    records, welcome() => view! { <crate::ui::pages::guide_page::Welcome /> }
);

/// The English UI strings (`locales/en.json`): only an officer who switches to English fetches
/// them.
#[cfg(feature = "split")]
#[wasm_split(strings_en, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn english_strings() -> Result<&'static str, ChunkFailed> {
    Ok(include_str!("../../locales/en.json"))
}

/// The English UI strings (unsplit build: in the one module).
#[cfg(not(feature = "split"))]
pub async fn english_strings() -> Result<&'static str, ChunkFailed> {
    Ok(include_str!("../../locales/en.json"))
}

/// Renders a page from its chunk: a loading line while it is fetched, the notice if it fails.
///
/// Only the fetch is asynchronous. The page itself is built synchronously once its builder has
/// arrived, so that leaving it disposes it in the usual order (building it inside a `Suspend`
/// future gave its signals and its render effects different owners, and leaving the roster page
/// then read a disposed value).
pub fn lazy_page<Fut>(load: Fut) -> AnyView
where
    Fut: std::future::Future<Output = Page> + 'static,
{
    // One body for every page: only the boxing is made once per page's future type.
    lazy_boxed(Box::pin(load))
}

fn lazy_boxed(load: std::pin::Pin<Box<dyn std::future::Future<Output = Page>>>) -> AnyView {
    let state = crate::state::use_app_state();
    let loaded = RwSignal::new_local(None::<Page>);
    leptos::task::spawn_local(async move {
        // Every page may list or use any bundled set and any record: the sets and the records
        // come with the page's chunk, at once.
        let sets = crate::state::browser::ensure_bundled_sets(state);
        let records = crate::state::store::ensure(state);
        let (sets, records, page) = futures::future::join3(sets, records, load).await;
        let page = sets.and(records).and(page);
        // The officer may have left before the chunk arrived: then there is no one to tell.
        let _ = loaded.try_set(Some(page));
        // Once the page is on screen (or says why not), the worker's precache may use the line.
        crate::io::nav::after_next_paint(move || crate::state::browser::register_service_worker(state));
    });
    (move || match loaded.get() {
        None => view! {
            <p class="ca-loading" data-testid="chunk-loading">{crate::ui::i18n::t("chunk.loading")}</p>
        }
        .into_any(),
        Some(Ok(build)) => untrack(|| build()),
        Some(Err(ChunkFailed)) => view! { <ChunkFailedNotice /> }.into_any(),
    })
    .into_any()
}

/// A part of a page from a chunk that the page can do without: nothing while it is fetched,
/// nothing if it cannot be (the welcome of a new tablet), and no wait for the records or sets.
pub fn lazy_extra<Fut>(load: Fut) -> AnyView
where
    Fut: std::future::Future<Output = Page> + 'static,
{
    let loaded = RwSignal::new_local(None::<Build>);
    leptos::task::spawn_local(async move {
        if let Ok(build) = load.await {
            let _ = loaded.try_set(Some(build));
        }
    });
    (move || loaded.get().map(|build| untrack(|| build()))).into_any()
}

/// Shown instead of a page whose chunk did not load. An old tab left behind by an update (its
/// files are gone from the server) saves its draft and reloads into the new release once; else
/// the officer can retry, and nothing stored is touched.
#[component]
pub fn ChunkFailedNotice() -> impl IntoView {
    let state = crate::state::use_app_state();
    crate::state::browser::on_chunk_failed(state);
    view! {
        <section class="ca-panel ca-error" role="alert" data-testid="chunk-failed">
            <h1>{crate::ui::i18n::t("chunk.failed.title")}</h1>
            <p>{crate::ui::i18n::t("chunk.failed.body")}</p>
            <p>
                <button class="ca-button" data-testid="chunk-retry"
                    on:click=move |_| crate::state::browser::retry_page(state)>
                    {crate::ui::i18n::t("chunk.retry")}
                </button>
                " "
                <button class="ca-button ca-button--ghost" data-testid="chunk-reload"
                    on:click=move |_| crate::state::browser::reload_saved(state)>
                    {crate::ui::i18n::t("chunk.reload")}
                </button>
            </p>
            <Show when=move || state.reload_refused().get()>
                <p class="ca-error" data-testid="chunk-reload-refused">
                    {crate::ui::i18n::t("update.refused")} " "
                    <button class="ca-button ca-button--ghost" data-testid="chunk-export"
                        on:click=move |_| { crate::state::data::export_backup_from_main(state); }>
                        {crate::ui::i18n::t("save.export")}
                    </button>
                </p>
            </Show>
        </section>
    }
}
