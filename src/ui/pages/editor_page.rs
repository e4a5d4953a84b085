//! The framework editor (`#/frameworks/edit/<draft>`): the set's metadata, its criteria and
//! indicators with a threshold per region or commune group, each value with its level and
//! source; every problem the loader finds shown at its field; undo and redo; the CSV template
//! out and back in; publishing as a new version after its differences are shown. Each change
//! is kept in the draft at once.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::framework::diff::{diff, FrameworkDiff};
use crate::domain::framework::doc::{CellDoc, CriterionDoc, FrameworkDoc, IndicatorDoc, KINDS};
use crate::domain::framework::edit::{self, check, Draft, Editor, Meta, Op, Target};
use crate::domain::framework::{template, Severity};
use crate::domain::text::Lang;
use crate::io::{download, file::read_text, nav};
use crate::state::{editor, use_app_state, Route};
use crate::ui::components::file_picker::FilePicker;
use crate::ui::i18n::{t, tr};

/// One problem of the set: where it is (a JSON path), and what it says.
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    path: String,
    error: bool,
    message: String,
}

/// Level choices of a value or an indicator: (stored id, locale key).
const LEVELS: [(&str, &str); 4] = [
    ("", "edit.level.inherit"),
    ("official", "edit.level.official"),
    ("secondary", "edit.level.secondary"),
    ("not_found", "edit.level.not_found"),
];
const COMPARATORS: [&str; 5] = ["≥", "≤", ">", "<", "="];

/// `#/frameworks/edit/<id>`.
#[component]
pub fn FrameworkEditPage(
    /// The draft's id.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let Some(draft) = editor::load(state.env().kv, &id) else {
        return view! { <p class="ca-error" data-testid="edit-missing">{t("edit.missing")}</p> }.into_any();
    };
    let meta = StoredValue::new((draft.id.clone(), draft.base.clone(), draft.saved_at));
    let ed = RwSignal::new(Editor::new(draft.doc));
    let (op_error, set_op_error) = signal(None::<String>);
    let (saved_error, set_saved_error) = signal(None::<String>);
    let (selected, set_selected) = signal(0usize);
    let (publishing, set_publishing) = signal(false);
    let (published, set_published) = signal(None::<String>);
    let (csv_issues, set_csv_issues) = signal(Vec::<String>::new());
    // What the last table import did, said once it is done (a table equal to the set changes nothing).
    let (csv_status, set_csv_status) = signal(None::<&'static str>);

    let problems = Memo::new(move |_| {
        ed.with(|e| {
            check(&e.doc)
                .issues
                .iter()
                .map(|i| Problem {
                    path: i.path.to_string(),
                    error: i.severity == Severity::Error,
                    message: i.message(state.lang().get()),
                })
                .collect::<Vec<_>>()
        })
    });
    let errors = Memo::new(move |_| problems.with(|p| p.iter().filter(|p| p.error).count()));
    // Written over the copy this page knows; a newer copy from another tab is never replaced.
    let persist = move || {
        let (id, base, expected) = meta.get_value();
        let doc = ed.with_untracked(|e| e.doc.clone());
        let now = nav::now_ms();
        match editor::save_over(state.env().kv, &Draft::new(id.clone(), base.clone(), doc, now), expected) {
            Ok(()) => {
                meta.set_value((id, base, now));
                set_saved_error.set(None)
            }
            Err(crate::state::ActionError::Stale) => set_saved_error.set(Some(tr(lang(), "edit.stale"))),
            Err(e) => set_saved_error.set(Some(e.message(lang()))),
        }
    };
    let apply = move |op: Op| {
        // Applied without waking anything; only a real change is announced and kept.
        let result = ed.try_update_untracked(|e| e.apply(op)).unwrap_or(Ok(false));
        match result {
            Ok(changed) => {
                set_op_error.set(None);
                if changed {
                    ed.notify();
                    set_published.set(None);
                    persist();
                }
            }
            Err(e) => set_op_error.set(Some(if lang() == Lang::Vi { e.vi } else { e.en })),
        }
    };
    let undo = move |_| {
        ed.update(|e| {
            e.undo();
        });
        persist();
    };
    let redo = move |_| {
        ed.update(|e| {
            e.redo();
        });
        persist();
    };
    let export_csv = move |_| {
        let (csv, id) = ed.with_untracked(|e| (template::export(&e.doc), e.doc.id.clone()));
        let _ = download::download(&format!("mau-{id}.csv"), "text/csv;charset=utf-8", &csv);
    };
    let export_json = move |_| {
        let (json, name) =
            ed.with_untracked(|e| (edit::to_json(&e.doc), format!("{}@{}", e.doc.id, e.doc.version)));
        let _ =
            download::download(&format!("{}.json", name.replace(['@', '/'], "-")), "application/json", &json);
    };
    let import_csv = Callback::new(move |file: web_sys::File| {
        spawn_local(async move {
            let l = state.lang().get_untracked();
            let text = match read_text(file).await {
                Ok(t) => t,
                Err(e) => {
                    set_csv_issues.set(vec![e.message(l)]);
                    return;
                }
            };
            let base = ed.with_untracked(|e| e.doc.clone());
            match template::import(&base, &text) {
                Ok(doc) if doc == base => {
                    set_csv_issues.set(Vec::new());
                    set_csv_status.set(Some("edit.csv_same"));
                }
                Ok(doc) => {
                    ed.update(|e| e.replace(doc));
                    set_csv_issues.set(Vec::new());
                    set_csv_status.set(Some("edit.csv_done"));
                    persist();
                }
                Err(issues) => {
                    set_csv_status.set(None);
                    set_csv_issues.set(issues.iter().map(|i| i.message(l)).collect())
                }
            }
        });
    });
    let base_fw = move || meta.get_value().1.and_then(|k| state.framework_by_key(&k));
    let pending_diff = Memo::new(move |_| {
        if !publishing.get() {
            return None;
        }
        let fw = ed.with(|e| check(&e.doc).framework)?;
        Some(base_fw().map(|b| diff(&b, &fw)).unwrap_or_default())
    });
    let publish = move |_| {
        let (id, base, saved_at) = meta.get_value();
        let doc = ed.with_untracked(|e| e.doc.clone());
        let draft = Draft::new(id.clone(), base, doc, nav::now_ms());
        match crate::state::actions::publish_draft(state, &draft) {
            Ok(fw) => {
                // The next version is compared with this one.
                meta.set_value((id, Some(fw.key()), saved_at));
                persist();
                set_publishing.set(false);
                set_op_error.set(None);
                set_published.set(Some(fw.key()));
            }
            Err(refusal) => set_op_error.set(Some(refusal.message(lang()))),
        }
    };

    let doc = move || ed.with(|e| e.doc.clone());
    let form = Memo::new(move |_| {
        let k = selected.get();
        ed.with(|e| {
            let (g, c) = e
                .doc
                .groups
                .iter()
                .enumerate()
                .flat_map(|(g, grp)| (0..grp.criteria.len()).map(move |c| (g, c)))
                .nth(k)?;
            shape(&e.doc, g, c).map(|kinds| (g, c, kinds))
        })
    });
    view! {
        <section class="ca-section ca-editor" data-testid="editor">
            <h1>{t("edit.title")}</h1>
            <p class="ca-muted">{t("edit.explain")}</p>
            <div class="ca-editor__tools">
                <button class="ca-button ca-button--ghost" data-testid="edit-undo" disabled=move || !ed.with(|e| e.can_undo()) on:click=undo>{t("edit.undo")}</button>
                <button class="ca-button ca-button--ghost" data-testid="edit-redo" disabled=move || !ed.with(|e| e.can_redo()) on:click=redo>{t("edit.redo")}</button>
                <button class="ca-button ca-button--ghost" data-testid="edit-csv" on:click=export_csv>{t("edit.csv_export")}</button>
                <FilePicker label="edit.csv_import" accept=".csv,text/csv" testid="edit-csv-import" on_file=import_csv />
                <button class="ca-button ca-button--ghost" data-testid="edit-json" on:click=export_json>{t("edit.json_export")}</button>
                <button class="ca-button" data-testid="edit-publish" disabled=move || { errors.get() > 0 } on:click=move |_| set_publishing.set(true)>{t("edit.publish")}</button>
            </div>
            <p data-testid="edit-status" class=move || { if errors.get() > 0 { "ca-error" } else { "ca-ok" } } role="status">
                {move || {
                    let (e, w) = problems.with(|p| (p.iter().filter(|p| p.error).count(), p.iter().filter(|p| !p.error).count()));
                    if e == 0 { format!("{} · {w} {}", tr(lang(), "edit.no_errors"), tr(lang(), "edit.warnings")) }
                    else { format!("{e} {} · {w} {}", tr(lang(), "edit.errors"), tr(lang(), "edit.warnings")) }
                }}
            </p>
            {move || op_error.get().map(|e| view! { <p class="ca-error" role="alert" data-testid="edit-op-error">{e}</p> })}
            {move || saved_error.get().map(|e| view! { <p class="ca-error" role="alert" data-testid="edit-save-error">{tr(lang(), "edit.not_saved")} ": " {e}</p> })}
            {move || csv_status.get().map(|k| view! { <p class="ca-muted" role="status" data-testid="edit-csv-status">{tr(lang(), k)}</p> })}
            {move || (!csv_issues.get().is_empty()).then(|| view! {
                <div class="ca-error" role="alert" data-testid="edit-csv-issues">
                    <p>{tr(lang(), "edit.csv_refused")}</p>
                    <ul>{csv_issues.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
            })}
            {move || published.get().map(|k| view! {
                <p class="ca-ok" role="status" data-testid="edit-published">
                    {format!("{}: {k}", tr(lang(), "edit.published"))} " "
                    <a class="ca-link" href=Route::Framework(k.clone()).href()>{t("common.open")}</a> " · "
                    <a class="ca-link" href=Route::New.href()>{t("edit.new_assessment")}</a>
                </p>
            })}
            {move || pending_diff.get().map(|d| view! {
                <DiffPanel diff=d key=ed.with(|e| format!("{}@{}", e.doc.id, e.doc.version)) base=meta.get_value().1 />
                <button class="ca-button" data-testid="edit-publish-confirm" on:click=publish>{t("edit.publish_confirm")}</button>
                " "
                <button class="ca-button ca-button--ghost" on:click=move |_| set_publishing.set(false)>{t("common.cancel")}</button>
            })}
            <details class="ca-editor__problems" open=move || { errors.get() > 0 }>
                <summary>{t("edit.problems")}</summary>
                <ul data-testid="edit-problems">
                    {move || problems.get().into_iter().map(|p| view! {
                        <li class={if p.error { "ca-error" } else { "ca-muted" }}>
                            <code>{p.path.clone()}</code> " " {p.message.clone()}
                        </li>
                    }).collect_view()}
                </ul>
            </details>

            <MetaForm ed=ed apply=apply problems=problems />
            <div class="ca-editor__body">
                <nav class="ca-editor__nav" aria-label=move || tr(lang(), "common.criteria")>
                    {move || {
                        let d = doc();
                        let mut n = 0usize;
                        d.groups.iter().enumerate().map(|(g, grp)| {
                            let items = grp.criteria.iter().enumerate().map(|(c, crit)| {
                                let k = n;
                                n += 1;
                                let bad = problems.with(|p| p.iter().any(|p| p.error && p.path.starts_with(&format!("groups[{g}].criteria[{c}]"))));
                                let label = format!("{} {}{}", crit.id, crit.title.vi, if bad { " ⚠" } else { "" });
                                view! {
                                    <li>
                                        <button class=move || if selected.get() == k { "ca-nav-item ca-nav-item--on" } else { "ca-nav-item" }
                                            data-testid="edit-criterion" on:click=move |_| set_selected.set(k)>{label}</button>
                                    </li>
                                }
                            }).collect_view();
                            view! { <p class="ca-muted">{grp.id.clone()} ". " {grp.title.vi.clone()}</p><ul class="ca-plain">{items}</ul> }
                        }).collect_view()
                    }}
                    <button class="ca-button ca-button--ghost" data-testid="edit-add-group" on:click=move |_| {
                        let n = ed.with_untracked(|e| e.doc.groups.len());
                        apply(Op::Add(Target::Group(n)));
                        set_selected.set(ed.with_untracked(|e| e.doc.groups.iter().map(|g| g.criteria.len()).sum::<usize>()).saturating_sub(1));
                    }>{t("edit.add_group")}</button>
                    <button class="ca-button ca-button--ghost" data-testid="edit-add-criterion" on:click=move |_| {
                        let (g, c) = ed.with_untracked(|e| { let g = e.doc.groups.len().saturating_sub(1); (g, e.doc.groups.get(g).map_or(0, |x| x.criteria.len())) });
                        apply(Op::Add(Target::Criterion(g, c)));
                        set_selected.set(ed.with_untracked(|e| e.doc.groups.iter().map(|g| g.criteria.len()).sum::<usize>()).saturating_sub(1));
                    }>{t("edit.add_criterion")}</button>
                </nav>
                <div class="ca-editor__main">
                    {move || {
                        // Redrawn only when the criterion shown or its indicators' kinds change.
                        form.get().map(|(g, c, kinds)| view! { <CriterionEditor ed=ed g=g c=c kinds=kinds apply=apply problems=problems /> })
                    }}
                </div>
            </div>
            <ConditionsEditor ed=ed apply=apply />
        </section>
    }
    .into_any()
}

/// The differences shown before publishing.
#[component]
fn DiffPanel(diff: FrameworkDiff, key: String, base: Option<String>) -> impl IntoView {
    let state = use_app_state();
    let l = state.lang().get_untracked();
    let against = base.unwrap_or_else(|| tr(l, "edit.diff.no_base"));
    view! {
        <div class="ca-card" data-testid="edit-diff">
            <h2>{format!("{} {key} — {} {against}", tr(l, "edit.diff.title"), tr(l, "edit.diff.against"))}</h2>
            <p data-testid="edit-diff-summary">{format!("{} {} · {} {} · {} {}",
                diff.added.len(), tr(l, "edit.diff.added"), diff.removed.len(), tr(l, "edit.diff.removed"), diff.changed.len(), tr(l, "edit.diff.changed"))}</p>
            <ul>
                {diff.added.iter().map(|i| view! { <li data-testid="edit-diff-added">"+ " {i.clone()}</li> }).collect_view()}
                {diff.removed.iter().map(|i| view! { <li data-testid="edit-diff-removed">"− " {i.clone()}</li> }).collect_view()}
                {diff.changed.iter().map(|(i, a, b)| view! { <li data-testid="edit-diff-changed">{format!("{i}: {a} → {b}")}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// A field's problems, under it.
fn field_problems(problems: Memo<Vec<Problem>>, path: String) -> impl IntoView {
    move || {
        problems.with(|ps| {
            ps.iter()
                .filter(|p| p.path == path || p.path.starts_with(&format!("{path}.")))
                .map(|p| view! { <span class={if p.error { "ca-error ca-small" } else { "ca-muted ca-small" }} data-testid="field-problem">{p.message.clone()}</span> })
                .collect_view()
        })
    }
}

/// A labelled text input showing `value` (read from the set, so typing elsewhere never
/// redraws it) that calls `on_change` when changed.
fn text_field(
    label: String,
    value: impl Fn() -> String + Send + Sync + 'static,
    testid: String,
    problems: Memo<Vec<Problem>>,
    path: String,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="ca-field">
            <span>{label}</span>
            <input class="ca-input" prop:value=value data-testid=testid on:change:target=move |ev| on_change(ev.target().value()) />
            {field_problems(problems, path)}
        </label>
    }
}

/// A set-level field: what it sets, its label key, its JSON path, and how to read it.
type MetaField = (Meta, &'static str, &'static str, fn(&FrameworkDoc) -> String);

#[component]
fn MetaForm(
    ed: RwSignal<Editor>,
    apply: impl Fn(Op) + Copy + Send + Sync + 'static,
    problems: Memo<Vec<Problem>>,
) -> impl IntoView {
    let state = use_app_state();
    let l = state.lang().get_untracked();
    let fields: [MetaField; 11] = [
        (Meta::Id, "edit.meta.id", "id", |d| d.id.clone()),
        (Meta::Version, "edit.meta.version", "version", |d| d.version.clone()),
        (Meta::Title, "edit.meta.title", "title", |d| d.title.vi.clone()),
        (Meta::TitleEn, "edit.meta.title_en", "title", |d| d.title.en.clone()),
        (Meta::ShortTitle, "edit.meta.short_title", "short_title", |d| {
            d.short_title.as_ref().map(|t| t.vi.clone()).unwrap_or_default()
        }),
        (Meta::Decision, "edit.meta.decision", "legal_basis.decision", |d| d.legal_basis.decision.clone()),
        (Meta::Signed, "edit.meta.signed", "legal_basis.signed", |d| d.legal_basis.signed.clone()),
        (Meta::InForce, "edit.meta.in_force", "legal_basis.in_force", |d| d.legal_basis.in_force.clone()),
        (Meta::LegalSource, "edit.meta.source", "legal_basis.source", |d| {
            d.legal_basis.source.clone().unwrap_or_default()
        }),
        (Meta::PeriodFrom, "edit.meta.from", "period", |d| d.period.0.to_string()),
        (Meta::PeriodTo, "edit.meta.to", "period", |d| d.period.1.to_string()),
    ];
    view! {
        <fieldset class="ca-editor__meta" data-testid="edit-meta">
            <legend>{t("edit.meta")}</legend>
            {fields.into_iter().map(|(m, key, path, get)| {
                let testid = if matches!(m, Meta::TitleEn) { "meta-title-en".to_string() } else { format!("meta-{path}") };
                text_field(tr(l, key), move || ed.with(|e| get(&e.doc)), testid, problems, path.to_string(), move |s| apply(Op::Meta(m, s)))
            }).collect_view()}
            <label class="ca-field ca-field--check">
                <input type="checkbox" data-testid="meta-provisional" prop:checked=move || ed.with(|e| e.doc.provisional)
                    on:change:target=move |ev| apply(Op::Meta(Meta::Provisional, ev.target().checked().to_string())) />
                <span>{t("edit.meta.provisional")}</span>
            </label>
            <p class="ca-muted">
                {t("edit.meta.dimension")} ": "
                {move || ed.with(|e| e.doc.dimension.values.iter().map(|v| format!("{} ({})", v.title.vi, v.id)).collect::<Vec<_>>().join(", "))}
            </p>
        </fieldset>
    }
}

/// What a criterion's form is built from: its indicators' kinds. Values are read live; only a
/// change of this shape redraws the form (and so moves the focus).
fn shape(doc: &FrameworkDoc, g: usize, c: usize) -> Option<Vec<String>> {
    let crit = doc.groups.get(g)?.criteria.get(c)?;
    Some(crit.indicators.iter().map(|i| i.kind.clone()).collect())
}

/// One criterion: its fields, then each indicator.
#[component]
fn CriterionEditor(
    ed: RwSignal<Editor>,
    g: usize,
    c: usize,
    kinds: Vec<String>,
    apply: impl Fn(Op) + Copy + Send + Sync + 'static,
    problems: Memo<Vec<Problem>>,
) -> impl IntoView {
    let state = use_app_state();
    let l = state.lang().get_untracked();
    let n = kinds.len();
    let n_crit = ed.with_untracked(|e| e.doc.groups[g].criteria.len());
    let base = format!("groups[{g}].criteria[{c}]");
    let columns: Vec<(String, String)> = ed.with_untracked(|e| {
        e.doc
            .dimension
            .values
            .iter()
            .filter(|v| v.uses.is_none())
            .map(|v| (v.id.clone(), v.title.get(l).to_string()))
            .collect()
    });
    let at = Target::Criterion(g, c);
    let crit = move |f: fn(&CriterionDoc) -> String| {
        move || ed.with(|e| e.doc.groups.get(g).and_then(|x| x.criteria.get(c)).map(f).unwrap_or_default())
    };
    let rule = |c: &CriterionDoc| match &c.rule {
        Some(crate::domain::framework::doc::RuleDoc::AtLeast { count }) => format!("at_least {count}"),
        Some(crate::domain::framework::doc::RuleDoc::Score { .. }) => "score".into(),
        _ => "all".into(),
    };
    let group = move |f: fn(&crate::domain::framework::doc::GroupDoc) -> String| {
        move || ed.with(|e| e.doc.groups.get(g).map(f).unwrap_or_default())
    };
    let gat = Target::Group(g);
    view! {
        <div class="ca-card" data-testid="edit-criterion-card">
            <div class="ca-editor__row ca-muted" data-testid="edit-group">
                {text_field(tr(l, "edit.group_code"), group(|x| x.id.clone()), "group-id".into(), problems, format!("groups[{g}].id"), move |s| apply(Op::Set(gat, "id", s)))}
                {text_field(tr(l, "edit.group_title"), group(|x| x.title.vi.clone()), "group-title".into(), problems, format!("groups[{g}].title"), move |s| apply(Op::Set(gat, "title", s)))}
            </div>
            <h2>{move || format!("{} {}", tr(l, "report.criterion"), crit(|c| format!("{} {}", c.id, c.title.vi))())}</h2>
            <div class="ca-editor__row">
                {text_field(tr(l, "edit.code"), crit(|c| c.id.clone()), "crit-id".into(), problems, format!("{base}.id"), move |s| apply(Op::Set(at, "id", s)))}
                {text_field(tr(l, "edit.wording"), crit(|c| c.title.vi.clone()), "crit-title".into(), problems, format!("{base}.title"), move |s| apply(Op::Set(at, "title", s)))}
                {text_field(tr(l, "edit.wording_en"), crit(|c| c.title.en.clone()), "crit-title-en".into(), problems, format!("{base}.title"), move |s| apply(Op::Set(at, "title_en", s)))}
                {text_field(tr(l, "edit.rule"), crit(rule), "crit-rule".into(), problems, format!("{base}.rule"), move |s| apply(Op::Set(at, "rule", s)))}
            </div>
            {text_field(tr(l, "edit.note"), crit(|c| c.note.as_ref().map(|n| n.vi.clone()).unwrap_or_default()), "crit-note".into(), problems, format!("{base}.note"), move |s| apply(Op::Set(at, "note", s)))}
            <div class="ca-editor__row">
                <button class="ca-button ca-button--ghost" disabled={c == 0} on:click=move |_| apply(Op::Move(at, c.saturating_sub(1)))>{t("edit.up")}</button>
                <button class="ca-button ca-button--ghost" disabled={c + 1 >= n_crit} on:click=move |_| apply(Op::Move(at, c + 1))>{t("edit.down")}</button>
                <button class="ca-button ca-button--ghost" data-testid="edit-remove-criterion" on:click=move |_| apply(Op::Remove(at))>{t("edit.remove_criterion")}</button>
            </div>
            {field_problems(problems, format!("{base}.indicators"))}
            {kinds.into_iter().enumerate().map(|(i, kind)| view! {
                <IndicatorEditor ed=ed kind=kind at=Target::Indicator(g, c, i) last={i + 1 == n} columns=columns.clone() apply=apply problems=problems path=format!("{base}.indicators[{i}]") />
            }).collect_view()}
            <button class="ca-button ca-button--ghost" data-testid="edit-add-indicator" on:click=move |_| apply(Op::Add(Target::Indicator(g, c, n)))>{t("edit.add_indicator")}</button>
        </div>
    }
}

/// (value, level, source) of a threshold cell as the inputs show it.
fn cell_inputs(cell: Option<&Option<CellDoc>>) -> (String, String, String) {
    let num = |v: f64| format!("{v}").replace('.', ",");
    match cell {
        None => Default::default(),
        Some(None) => ("?".into(), String::new(), String::new()),
        Some(Some(CellDoc::Value(v))) => (num(*v), String::new(), String::new()),
        Some(Some(CellDoc::Detailed { value, source, provenance, .. })) => {
            (num(*value), provenance.clone().unwrap_or_default(), source.clone().unwrap_or_default())
        }
    }
}

/// The inputs of one threshold cell of the indicator at `at` (`column` `None`: national).
fn cell_now(ed: RwSignal<Editor>, at: Target, part: bool, column: Option<&str>) -> (String, String, String) {
    let Target::Indicator(g, c, i) = at else { return Default::default() };
    ed.with(|e| {
        let ind = e.doc.groups.get(g).and_then(|x| x.criteria.get(c)).and_then(|x| x.indicators.get(i));
        let t =
            ind.and_then(
                |ind| if part { ind.part.as_ref().map(|p| &p.threshold) } else { ind.threshold.as_ref() },
            );
        match column {
            None => cell_inputs(t.and_then(|t| t.national.clone()).map(Some).as_ref()),
            Some(col) => cell_inputs(t.and_then(|t| t.by.as_ref()).and_then(|b| b.get(col))),
        }
    })
}

#[component]
fn IndicatorEditor(
    ed: RwSignal<Editor>,
    kind: String,
    at: Target,
    last: bool,
    columns: Vec<(String, String)>,
    apply: impl Fn(Op) + Copy + Send + Sync + 'static,
    problems: Memo<Vec<Problem>>,
    path: String,
) -> impl IntoView {
    let state = use_app_state();
    let l = state.lang().get_untracked();
    let Target::Indicator(g, c, i) = at else { return ().into_any() };
    let set = move |f: &'static str| move |s: String| apply(Op::Set(at, f, s));
    let get = move |f: fn(&IndicatorDoc) -> String| {
        move || {
            ed.with(|e| {
                e.doc
                    .groups
                    .get(g)
                    .and_then(|x| x.criteria.get(c))
                    .and_then(|x| x.indicators.get(i))
                    .map(f)
                    .unwrap_or_default()
            })
        }
    };
    let numeric = matches!(kind.as_str(), "number" | "ratio");
    let threshold_rows = |part: bool| {
        let mut rows = vec![(None::<String>, tr(l, "fw.threshold.national"))];
        rows.extend(columns.iter().map(|(id, title)| (Some(id.clone()), title.clone())));
        let tpath = format!("{path}.{}", if part { "part.threshold" } else { "threshold" });
        view! {
            <table class="ca-table ca-editor__cells" data-testid={if part { "edit-part-cells" } else { "edit-cells" }}>
                <caption>{tr(l, if part { "edit.part_thresholds" } else { "edit.thresholds" })}</caption>
                <thead><tr><th scope="col">{tr(l, "edit.column")}</th><th scope="col">{tr(l, "edit.value")}</th><th scope="col">{tr(l, "edit.level")}</th><th scope="col">{tr(l, "edit.source")}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(col, title)| {
                        let cell_path = match &col { None => format!("{tpath}.national"), Some(c) => format!("{tpath}.by.{c}") };
                        let name = col.clone().unwrap_or_else(|| "chung".into());
                        let col = StoredValue::new(col);
                        let now = move || cell_now(ed, at, part, col.with_value(|c| c.clone()).as_deref());
                        // A change of one input keeps the other two as they are now.
                        let change = move |which: usize, v: String| {
                            let (mut value, mut level, mut source) = now();
                            match which { 0 => value = v, 1 => level = v, _ => source = v }
                            apply(Op::Cell { at, part, column: col.get_value(), value, level, source });
                        };
                        view! {
                            <tr data-testid="edit-cell-row" data-column=name.clone()>
                                <th scope="row">{title.clone()}</th>
                                <td>
                                    <input class="ca-input ca-input--num" aria-label=format!("{} — {}", tr(l, "edit.value"), title) prop:value=move || now().0 data-testid=format!("cell-{name}")
                                        on:change:target=move |ev| change(0, ev.target().value()) />
                                    {field_problems(problems, cell_path)}
                                </td>
                                <td>
                                    <select class="ca-input" aria-label=format!("{} — {}", tr(l, "edit.level"), title) data-testid=format!("level-{name}")
                                        on:change:target=move |ev| change(1, ev.target().value())>
                                        {LEVELS.iter().map(|(id, key)| view! { <option value=*id prop:selected=move || now().1 == *id>{tr(l, key)}</option> }).collect_view()}
                                    </select>
                                </td>
                                <td>
                                    <input class="ca-input" aria-label=format!("{} — {}", tr(l, "edit.source"), title) prop:value=move || now().2 data-testid=format!("source-{name}")
                                        on:change:target=move |ev| change(2, ev.target().value()) />
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <button class="ca-button ca-button--ghost" data-testid={if part { "edit-part-same" } else { "edit-same-for-all" }} on:click=move |_| apply(Op::SameForAll { at, part })>{tr(l, "edit.same_for_all")}</button>
        }
    };
    let cells = numeric.then(|| threshold_rows(false));
    // The "trong đó" condition folded away until a ratio has one.
    let has_part = ed.with_untracked(|e| {
        e.doc
            .groups
            .get(g)
            .and_then(|x| x.criteria.get(c))
            .and_then(|x| x.indicators.get(i))
            .is_some_and(|x| x.part.is_some())
    });
    let part_cells = (kind == "ratio").then(|| {
        view! {
            <details open=has_part>
                <summary>{tr(l, "edit.part_thresholds")}</summary>
                {threshold_rows(true)}
            </details>
        }
    });
    view! {
        <fieldset class="ca-editor__indicator" data-testid="edit-indicator">
            <legend>{move || format!("{} {}", tr(l, "edit.indicator"), get(|x| x.id.clone())())}</legend>
            {field_problems(problems, path.clone())}
            <div class="ca-editor__row">
                {text_field(tr(l, "edit.code"), get(|x| x.id.clone()), "ind-id".into(), problems, format!("{path}.id"), set("id"))}
                <label class="ca-field">
                    <span>{tr(l, "edit.kind")}</span>
                    <select class="ca-input" data-testid="ind-kind" on:change:target=move |ev| apply(Op::Set(at, "kind", ev.target().value()))>
                        {KINDS.iter().map(|k| view! { <option value=*k selected={*k == kind}>{tr(l, &format!("edit.kind.{k}"))}</option> }).collect_view()}
                    </select>
                </label>
                {numeric.then(|| view! {
                    <label class="ca-field">
                        <span>{tr(l, "edit.comparator")}</span>
                        <select class="ca-input" data-testid="ind-comparator"
                            on:change:target=move |ev| apply(Op::Set(at, "comparator", ev.target().value()))>
                            {COMPARATORS.iter().map(|c| {
                                let now = get(|x| x.comparator.as_deref().and_then(crate::domain::framework::Comparator::parse).map(|c| c.symbol().to_string()).unwrap_or_default());
                                view! { <option value=*c prop:selected=move || now() == *c>{*c}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="ca-field ca-field--check">
                        <input type="checkbox" data-testid="ind-whole" prop:checked=move || get(|x| (x.whole == Some(true)).to_string())() == "true"
                            on:change:target=move |ev| apply(Op::Set(at, "whole", ev.target().checked().to_string())) />
                        <span>{tr(l, "edit.whole")}</span>
                    </label>
                })}
            </div>
            {text_field(tr(l, "edit.wording"), get(|x| x.title.vi.clone()), "ind-title".into(), problems, format!("{path}.title"), set("title"))}
            {text_field(tr(l, "edit.wording_en"), get(|x| x.title.en.clone()), "ind-title-en".into(), problems, format!("{path}.title"), set("title_en"))}
            {text_field(tr(l, "edit.note"), get(|x| x.note.as_ref().map(|n| n.vi.clone()).unwrap_or_default()), "ind-note".into(), problems, format!("{path}.note"), set("note"))}
            {(kind == "number").then(|| text_field(tr(l, "edit.unit"), get(|x| x.unit.as_ref().map(|u| u.vi.clone()).unwrap_or_default()), "ind-unit".into(), problems, format!("{path}.unit"), set("unit")))}
            {(kind == "ratio").then(|| view! {
                <div class="ca-editor__row">
                    {text_field(tr(l, "edit.numerator"), get(|x| x.numerator.as_ref().map(|u| u.vi.clone()).unwrap_or_default()), "ind-numerator".into(), problems, format!("{path}.numerator"), set("numerator"))}
                    {text_field(tr(l, "edit.denominator"), get(|x| x.denominator.as_ref().map(|u| u.vi.clone()).unwrap_or_default()), "ind-denominator".into(), problems, format!("{path}.denominator"), set("denominator"))}
                </div>
            })}
            {matches!(kind.as_str(), "choice" | "checklist").then(|| view! {
                <label class="ca-field">
                    <span>{tr(l, "edit.options")}</span>
                    <textarea class="ca-input" rows="3" data-testid="ind-options"
                        prop:value=get(|x| x.options.clone().or(x.items.clone()).unwrap_or_default().iter().map(|o| format!("{}: {}", o.id, o.title.vi)).collect::<Vec<_>>().join("\n"))
                        on:change:target=move |ev| apply(Op::Set(at, "options", ev.target().value()))></textarea>
                    {field_problems(problems, format!("{path}.options"))}
                </label>
            })}
            <div class="ca-editor__row">
                {text_field(tr(l, "edit.source"), get(|x| x.source.clone()), "ind-source".into(), problems, format!("{path}.source"), set("source"))}
                <label class="ca-field">
                    <span>{tr(l, "edit.level")}</span>
                    <select class="ca-input" data-testid="ind-provenance" on:change:target=move |ev| apply(Op::Set(at, "provenance", ev.target().value()))>
                        {LEVELS.iter().map(|(id, key)| {
                            let key = if id.is_empty() { "edit.level.unset" } else { key };
                            let now = get(|x| x.provenance.clone().unwrap_or_default());
                            view! { <option value=*id prop:selected=move || now() == *id>{tr(l, key)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="ca-field ca-field--check">
                    <input type="checkbox" data-testid="ind-verified" prop:checked=move || get(|x| x.verified.to_string())() == "true"
                        on:change:target=move |ev| apply(Op::Set(at, "verified", ev.target().checked().to_string())) />
                    <span>{tr(l, "edit.verified")}</span>
                </label>
            </div>
            {cells}
            {part_cells}
            <div class="ca-editor__row">
                <button class="ca-button ca-button--ghost" disabled={i == 0} on:click=move |_| apply(Op::Move(at, i.saturating_sub(1)))>{tr(l, "edit.up")}</button>
                <button class="ca-button ca-button--ghost" disabled=last on:click=move |_| apply(Op::Move(at, i + 1))>{tr(l, "edit.down")}</button>
                <button class="ca-button ca-button--ghost" data-testid="edit-remove-indicator" on:click=move |_| apply(Op::Remove(at))>{tr(l, "edit.remove_indicator")}</button>
            </div>
        </fieldset>
    }
    .into_any()
}

/// The recognition conditions beyond the criteria, and the set's notes.
#[component]
fn ConditionsEditor(
    ed: RwSignal<Editor>,
    apply: impl Fn(Op) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_app_state();
    let l = move || state.lang().get();
    view! {
        <fieldset class="ca-editor__meta" data-testid="edit-conditions">
            <legend>{t("edit.conditions")}</legend>
            {move || {
                let conds = ed.with(|e| e.doc.recognition_conditions.clone());
                conds.into_iter().enumerate().map(|(k, c)| {
                    let at = Target::Condition(k);
                    view! {
                        <div class="ca-editor__row" data-testid="edit-condition">
                            <label class="ca-field"><span>{tr(l(), "edit.code")}</span><input class="ca-input" prop:value=c.id on:change:target=move |ev| apply(Op::Set(at, "id", ev.target().value())) /></label>
                            <label class="ca-field ca-field--wide"><span>{tr(l(), "edit.wording")}</span><input class="ca-input" prop:value=c.title.vi on:change:target=move |ev| apply(Op::Set(at, "title", ev.target().value())) /></label>
                            <label class="ca-field"><span>{tr(l(), "edit.source")}</span><input class="ca-input" prop:value=c.source on:change:target=move |ev| apply(Op::Set(at, "source", ev.target().value())) /></label>
                            <label class="ca-field">
                                <span>{tr(l(), "edit.level")}</span>
                                <select class="ca-input" on:change:target=move |ev| apply(Op::Set(at, "provenance", ev.target().value()))>
                                    {LEVELS[1..].iter().map(|(id, key)| view! { <option value=*id selected={c.provenance == *id}>{tr(l(), key)}</option> }).collect_view()}
                                </select>
                            </label>
                            <button class="ca-button ca-button--ghost" on:click=move |_| apply(Op::Remove(at))>{tr(l(), "edit.remove")}</button>
                        </div>
                    }
                }).collect_view()
            }}
            <button class="ca-button ca-button--ghost" data-testid="edit-add-condition" on:click=move |_| {
                let n = ed.with_untracked(|e| e.doc.recognition_conditions.len());
                apply(Op::Add(Target::Condition(n)))
            }>{t("edit.add_condition")}</button>
        </fieldset>
        <fieldset class="ca-editor__meta" data-testid="edit-notes">
            <legend>{t("edit.notes")}</legend>
            {move || ed.with(|e| e.doc.notes.clone()).into_iter().enumerate().map(|(k, note)| {
                let at = Target::Note(k);
                view! {
                    <div class="ca-editor__row">
                        <label class="ca-field ca-field--wide"><span>{tr(l(), "edit.note")}</span>
                            <textarea class="ca-input" rows="2" prop:value=note.vi on:change:target=move |ev| apply(Op::Set(at, "vi", ev.target().value()))></textarea>
                        </label>
                        <button class="ca-button ca-button--ghost" on:click=move |_| apply(Op::Remove(at))>{tr(l(), "edit.remove")}</button>
                    </div>
                }
            }).collect_view()}
            <button class="ca-button ca-button--ghost" on:click=move |_| {
                let n = ed.with_untracked(|e| e.doc.notes.len());
                apply(Op::Add(Target::Note(n)))
            }>{t("edit.add_note")}</button>
        </fieldset>
    }
}
