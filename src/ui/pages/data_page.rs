//! Data: storage used (warning at 80%), full backup export, restore from a backup file with a
//! per-record preview (added, later revisions, kept here, conflicts) and a report of what was
//! written and what failed; and the trash (restore, or empty for good after confirming).

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;
use leptos::task::spawn_local;

use crate::domain::backup::{Action, Keep, RestorePlan};
use crate::io::file::read_text;
use crate::state::records::RestoreReport;
use crate::state::{actions, data, use_app_state, Route};
use crate::ui::components::file_picker::FilePicker;
use crate::ui::i18n::{t, tr};

/// The data page.
#[component]
pub fn DataPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    // Recomputed whenever the save status or the trash changes (i.e. after each write).
    let used = Memo::new(move |_| {
        state.save().track();
        state.trash().track();
        data::usage()
    });
    let share = move || used.get() as f64 / data::QUOTA_ESTIMATE as f64;
    let (plan, set_plan) = signal(None::<Result<RestorePlan, String>>);
    let (report, set_report) = signal(None::<RestoreReport>);
    let on_file = move |file: web_sys::File| {
        set_report.set(None);
        spawn_local(async move {
            let p = match read_text(file).await {
                Ok(text) => data::plan(&text, state.lang().get_untracked()),
                Err(e) => Err(e.message(state.lang().get_untracked())),
            };
            set_plan.set(Some(p));
        });
    };
    let restore = move |_| {
        if let Some(Ok(p)) = plan.get_untracked() {
            set_report.set(Some(data::apply(state, &p)));
            set_plan.set(None);
        }
    };
    view! {
        <section class="ca-section">
            <h1>{t("data.title")}</h1>
            <HelpTerms terms=&["xung-dot", "dong-bo"] />
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
            <p class="ca-muted">{t("data.restore.rule")}</p>
            <FilePicker label="import.pick" accept=".json,application/json" testid="backup-file" on_file=Callback::new(on_file) />
            {move || {
                plan.get()
                    .map(|p| match p {
                        Err(e) => view! { <p class="ca-error" role="alert" data-testid="restore-error">{tr(lang(), "data.restore.bad")} " " {e}</p> }.into_any(),
                        Ok(p) => {
                            let l = lang();
                            let n = |f: fn(&Action) -> bool| p.count(f);
                            let rows = [
                                ("data.restore.add", n(|a| *a == Action::Add)),
                                ("data.restore.update", n(|a| *a == Action::Update)),
                                ("data.restore.same", n(|a| *a == Action::Same)),
                                ("data.restore.newer", n(|a| *a == Action::KeepHere(Keep::NewerHere))),
                                ("data.restore.differs", n(|a| *a == Action::KeepHere(Keep::DiffersHere))),
                                ("data.restore.unreadable_here", n(|a| *a == Action::KeepHere(Keep::UnreadableHere))),
                                ("data.restore.unreadable_backup", n(|a| *a == Action::KeepHere(Keep::UnreadableInBackup))),
                                ("data.restore.conflict", n(|a| *a == Action::Conflict)),
                                ("data.restore.invalid", n(|a| matches!(a, Action::Invalid(_)))),
                            ];
                            let invalid: Vec<(String, String)> = p
                                .items
                                .iter()
                                .filter_map(|i| match &i.action {
                                    // Named as the officer knows it: commune, province, round.
                                    Action::Invalid(e) => Some((
                                        crate::domain::persist::read_assessment(&i.text).map_or_else(
                                            |_| i.key.clone(),
                                            |a| format!("{}, {} · {}", a.commune.name, a.commune.province, a.round),
                                        ),
                                        e.message(l),
                                    )),
                                    _ => None,
                                })
                                .collect();
                            view! {
                                <ul data-testid="restore-plan">
                                    {rows
                                        .into_iter()
                                        .filter(|(k, c)| *c > 0 || matches!(*k, "data.restore.add" | "data.restore.same"))
                                        .map(|(k, c)| view! { <li>{tr(l, k)} ": " {c}</li> })
                                        .collect_view()}
                                </ul>
                                {(!invalid.is_empty()).then(|| view! {
                                    <ul class="ca-error" role="alert" data-testid="restore-invalid">
                                        {invalid.into_iter().map(|(k, why)| view! {
                                            <li>
                                                <strong>{tr(l, "record.invalid")}</strong>
                                                " — " {k} ": " {why}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })}
                                <button class="ca-button" data-testid="restore-apply" on:click=restore>
                                    {tr(l, "data.restore.apply")}
                                </button>
                            }.into_any()
                        }
                    })
            }}
            {move || report.get().map(|r| {
                let l = lang();
                let ok = r.failed.is_empty();
                view! {
                    <div role="status" data-testid=if ok { "restore-done" } else { "restore-failed" }>
                        <p>
                            {if ok { "✓ " } else { "⚠ " }}
                            {tr(l, if ok { "data.restore.done" } else { "data.restore.partial" })}
                            " " {format!("{} {}", r.written.len(), tr(l, "data.restore.written"))}
                        </p>
                        {(!r.conflicts.is_empty()).then(|| view! {
                            <p class="ca-banner" data-testid="restore-conflicts">
                                {format!("{}: {}", tr(l, "data.restore.conflicts_kept"), r.conflicts.len())}
                            </p>
                        })}
                        {(!ok).then(|| view! {
                            <ul class="ca-error">
                                {r.failed.iter().map(|(k, e)| view! { <li><code>{k.clone()}</code> " — " {e.to_string()}</li> }).collect_view()}
                            </ul>
                        })}
                    </div>
                }
            })}
        </section>
        <Trash />
    }
}

/// The trash: trashed assessments, each restorable, and emptying after a confirmation.
#[component]
fn Trash() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let (confirm, set_confirm) = signal(false);
    let (error, set_error) = signal(None::<String>);
    view! {
        <section class="ca-section" data-testid="trash">
            <h2>{t("trash.title")}</h2>
            <Show when=move || state.trash().with(|t| t.is_empty())>
                <p class="ca-muted">{t("trash.empty")}</p>
            </Show>
            <ul class="ca-list">
                {move || {
                    let l = lang();
                    state.trash().get().into_iter().map(|(key, a)| {
                        let k = key.clone();
                        view! {
                            <li data-testid="trash-item">
                                <span>{format!("{}, {} · {} · {}", a.commune.name, a.commune.province, a.round, a.workflow.stage.label(l))}</span>
                                " "
                                <button class="ca-button ca-button--ghost" data-testid="trash-restore"
                                    on:click=move |_| {
                                        match actions::untrash(state, &k) {
                                            Ok(()) => set_error.set(None),
                                            Err(e) => set_error.set(Some(e.message(state.lang().get_untracked()))),
                                        }
                                    }>
                                    {tr(l, "trash.restore")}
                                </button>
                                " "
                                <a href=Route::Assessment(a.id.clone()).href() class="ca-muted">{a.id.clone()}</a>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            {move || error.get().map(|e| view! { <p class="ca-error" role="alert">{e}</p> })}
            <Show when=move || !state.trash().with(|t| t.is_empty())>
                <Show
                    when=move || confirm.get()
                    fallback=move || view! {
                        <button class="ca-button ca-button--ghost" data-testid="trash-empty" on:click=move |_| set_confirm.set(true)>
                            {t("trash.empty_button")}
                        </button>
                    }
                >
                    <p class="ca-error" role="alert">
                        {move || format!("{} ({})", tr(lang(), "trash.confirm"), state.trash().with(|t| t.len()))}
                        " "
                        <button class="ca-button" data-testid="trash-empty-confirm" on:click=move |_| {
                            if let Err(e) = actions::empty_trash(state) { set_error.set(Some(e.message(state.lang().get_untracked()))); }
                            set_confirm.set(false);
                        }>
                            {t("trash.confirm_button")}
                        </button>
                        " "
                        <button class="ca-button ca-button--ghost" on:click=move |_| set_confirm.set(false)>
                            {t("common.cancel")}
                        </button>
                    </p>
                </Show>
            </Show>
        </section>
    }
}
