//! Data: storage used (warning at 80%), full backup export, and restore from a backup file with
//! a preview of what will be added, updated, or would replace newer data (only if confirmed).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::backup::RestorePlan;
use crate::io::file::read_text;
use crate::state::{data, use_app_state};
use crate::ui::components::file_picker::FilePicker;
use crate::ui::i18n::{t, tr};

/// The data page.
#[component]
pub fn DataPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang.get();
    // Recomputed whenever the save status changes (i.e. after each write).
    let used = Memo::new(move |_| {
        state.save.track();
        data::usage()
    });
    let share = move || used.get() as f64 / data::QUOTA_ESTIMATE as f64;
    let (plan, set_plan) = signal(None::<Result<RestorePlan, String>>);
    let (replace_newer, set_replace_newer) = signal(false);
    let (done, set_done) = signal(false);
    let on_file = move |file: web_sys::File| {
        set_done.set(false);
        spawn_local(async move {
            let p = match read_text(file).await {
                Ok(text) => data::plan(state, &text),
                Err(e) => Err(e),
            };
            set_plan.set(Some(p));
        });
    };
    let restore = move |_| {
        if let Some(Ok(p)) = plan.get_untracked() {
            data::apply(state, p, replace_newer.get_untracked());
            set_plan.set(None);
            set_done.set(true);
        }
    };
    view! {
        <section class="ca-section">
            <h1>{t("data.title")}</h1>
            <p data-testid="storage-usage">
                {t("data.used")} ": " {move || format!("{:.0} KB", used.get() as f64 / 1024.0)}
                " / ~5 MB (" {move || format!("{:.0}%", share() * 100.0)} ")"
            </p>
            <Show when=move || { share() >= 0.8 }>
                <p class="ca-error" role="alert" data-testid="storage-warning">{move || tr(lang(), "data.warn80")}</p>
            </Show>
            <button class="ca-button" data-testid="backup-export" on:click=move |_| { let _ = data::export_backup(state); }>
                {t("data.export")}
            </button>
        </section>
        <section class="ca-section">
            <h2>{t("data.restore")}</h2>
            <FilePicker label="import.pick" accept=".json,application/json" testid="backup-file" on_file=Callback::new(on_file) />
            {move || {
                plan.get()
                    .map(|p| match p {
                        Err(e) => view! { <p class="ca-error" role="alert" data-testid="restore-error">{tr(lang(), "data.restore.bad")} " " {e}</p> }.into_any(),
                        Ok(p) => {
                            let newer = p.newer_here.len();
                            view! {
                                <ul data-testid="restore-plan">
                                    <li>{tr(lang(), "data.restore.add")} ": " {p.add.len()}</li>
                                    <li>{tr(lang(), "data.restore.update")} ": " {p.update.len()}</li>
                                    <li>{tr(lang(), "data.restore.same")} ": " {p.same}</li>
                                    <li>{tr(lang(), "data.restore.newer")} ": " {newer}</li>
                                </ul>
                                {(newer > 0).then(|| view! {
                                    <label class="ca-check">
                                        <input type="checkbox" data-testid="restore-replace-newer"
                                            on:change:target=move |ev| set_replace_newer.set(ev.target().checked()) />
                                        {tr(lang(), "data.restore.replace_newer")}
                                    </label>
                                })}
                                <button class="ca-button" data-testid="restore-apply" on:click=restore>
                                    {tr(lang(), "data.restore.apply")}
                                </button>
                            }.into_any()
                        }
                    })
            }}
            <Show when=move || done.get()>
                <p role="status" data-testid="restore-done">"✓ " {t("data.restore.done")}</p>
            </Show>
        </section>
    }
}
