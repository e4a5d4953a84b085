//! Importing a framework file by file picker, drag-and-drop or paste. Every problem is listed
//! with its JSON path and line:column; a file with errors is refused and nothing stored changes.
//! A new version of a known framework shows its differences before it is accepted.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::framework::diff::{diff, FrameworkDiff};
use crate::domain::framework::{load_str, Loaded, Severity};
use crate::io::file::read_text;
use crate::state::{actions, use_app_state, Route};
use crate::ui::components::file_picker::FilePicker;
use crate::ui::i18n::{t, tr};

/// The import screen.
#[component]
pub fn ImportPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    // The text being checked is kept out of the reactive graph: mirroring a 1 MB file into the
    // textarea on every check would cost more than parsing it.
    let text = StoredValue::new(String::new());
    // Shared, not cloned: a checked 1 MB framework is read by the result view and the diff.
    let (checked, set_checked) = signal(None::<Arc<Loaded>>);
    let (message, set_message) = signal(None::<String>);
    let (dragging, set_dragging) = signal(false);

    let check = move |t: String| {
        set_message.set(None);
        set_checked.set(Some(Arc::new(load_str(&t))));
        text.set_value(t);
    };
    let read_file = move |file: web_sys::File| {
        spawn_local(async move {
            match read_text(file).await {
                Ok(t) => check(t),
                Err(e) => set_message.set(Some(e.message(state.lang().get_untracked()))),
            }
        });
    };
    let existing_diff = move || -> Option<(bool, FrameworkDiff)> {
        checked.with(|c| {
            let fw = c.as_ref()?.framework.as_ref()?;
            let exists = state.framework_by_key(&fw.key()).is_some();
            let previous = state
                .frameworks()
                .with(|fs| fs.iter().rev().find(|f| f.id == fw.id && f.version != fw.version).cloned());
            previous.map(|p| (exists, diff(&p, fw))).or(Some((exists, FrameworkDiff::default())))
        })
    };
    let accept = move |_| {
        // The framework as checked: accepting does not parse the text again.
        let Some(fw) = checked.with_untracked(|c| c.as_ref().and_then(|c| c.framework.clone())) else {
            return;
        };
        match text.with_value(|t| actions::import_framework(state, t, fw)) {
            Ok(fw) => {
                set_message.set(Some(format!("{}: {}", tr(lang(), "import.done"), fw.title.get(lang()))));
                set_checked.set(None);
                crate::state::browser::navigate(&Route::Framework(fw.key()));
            }
            Err(e) => set_message.set(Some(format!(
                "{} {}",
                tr(lang(), "import.storage_failed"),
                e.message(lang())
            ))),
        }
    };

    view! {
        <section class="ca-section">
            <h1>{t("import.title")}</h1>
            <FilePicker label="import.pick" accept=".json,application/json" testid="import-file" on_file=Callback::new(read_file) />
            <div
                class="ca-drop"
                class:ca-drop--on=dragging
                data-testid="import-drop"
                on:dragover=move |ev| {
                    ev.prevent_default();
                    set_dragging.set(true);
                }
                on:dragleave=move |_| set_dragging.set(false)
                on:drop=move |ev| {
                    ev.prevent_default();
                    set_dragging.set(false);
                    if let Some(f) = ev.data_transfer().and_then(|d| d.files()).and_then(|l| l.get(0)) {
                        read_file(f);
                    }
                }
            >
                {t("import.drop")}
            </div>
            <label class="ca-field">
                <span class="ca-field__label">{t("import.paste")}</span>
                <textarea
                    class="ca-input ca-input--code"
                    rows="8"
                    data-testid="import-text"
                    on:input:target=move |ev| {
                        text.set_value(ev.target().value());
                        // A result shown is for the text as checked: editing it asks for a new check.
                        if checked.with_untracked(Option::is_some) {
                            set_checked.set(None);
                        }
                    }
                ></textarea>
            </label>
            <button class="ca-button" data-testid="import-check" on:click=move |_| check(text.get_value())>
                {t("import.check")}
            </button>
            {move || message.get().map(|m| view! { <p class="ca-note" role="status" data-testid="import-message">{m}</p> })}
            {move || {
                checked
                    .get()
                    .map(|loaded| {
                        let l = lang();
                        let errors: Vec<String> = loaded.errors().map(|i| i.message(l)).collect();
                        let warnings: Vec<String> = loaded.issues.iter().filter(|i| i.severity == Severity::Warning).map(|i| i.message(l)).collect();
                        let ok = loaded.framework.is_some();
                        view! {
                            <div class="ca-import-result" data-testid="import-result">
                                {(!errors.is_empty()).then(|| view! {
                                    <h2 class="ca-error">{tr(l, "import.errors")}</h2>
                                    <ul class="ca-issues" data-testid="import-errors">
                                        {errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                                    </ul>
                                })}
                                {(!warnings.is_empty()).then(|| view! {
                                    <h2>{tr(l, "import.warnings")}</h2>
                                    <ul class="ca-issues" data-testid="import-warnings">
                                        {warnings.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                                    </ul>
                                })}
                                {ok.then(|| view! { <p data-testid="import-ok">"✓ " {tr(l, "import.ok")}</p> })}
                                {existing_diff().map(|(exists, d)| {
                                    if exists {
                                        view! { <p data-testid="import-exists">{tr(l, "import.exists")}</p> }.into_any()
                                    } else {
                                        view! {
                                            <DiffView diff=d />
                                            <button class="ca-button" data-testid="import-accept" on:click=accept>
                                                {tr(l, "import.accept")}
                                            </button>
                                        }.into_any()
                                    }
                                })}
                            </div>
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn DiffView(diff: FrameworkDiff) -> impl IntoView {
    let state = use_app_state();
    let l = state.lang().get_untracked();
    if diff.is_empty() {
        return view! { <p class="ca-muted">{tr(l, "import.diff.none")}</p> }.into_any();
    }
    view! {
        <div data-testid="import-diff">
            <h2>{tr(l, "import.diff")}</h2>
            <p>{tr(l, "import.diff.added")} ": " {diff.added.join(", ")}</p>
            <p>{tr(l, "import.diff.removed")} ": " {diff.removed.join(", ")}</p>
            <ul>
                {diff
                    .changed
                    .into_iter()
                    .map(|(id, a, b)| view! { <li>{tr(l, "import.diff.changed")} " " {id} ": " {a} " → " {b}</li> })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
