//! Resolving a conflict: two copies of one assessment changed apart (another tab, a restored
//! backup). Each differing field is shown from both copies and the officer picks one; the
//! audit trail keeps every signed step of both. Until resolved, both copies are kept.

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;

use crate::domain::records::{describe, Field, Side};
use crate::state::{actions, use_app_state, Route};
use crate::ui::i18n::{t, tr};

/// The conflict page of assessment `id` (its first conflict copy).
#[component]
pub fn ConflictPage(
    /// The assessment id.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let here = state.assessments().with_untracked(|m| m.get(&id).cloned());
    let theirs = state.conflicts().with_untracked(|c| c.get(&id).and_then(|v| v.first().cloned()));
    let (Some(here), Some((key, theirs))) = (here, theirs) else {
        return view! {
            <section class="ca-section">
                <HelpTerms terms=&["xung-dot"] />
                <p data-testid="conflict-none">{t("conflict.none")}</p>
                <a href=Route::Assessment(id.clone()).href()>{t("common.back")}</a>
            </section>
        }
        .into_any();
    };
    // With the last copy both sides had (kept by sync), a field changed on one side only is
    // taken from that side; only the fields both changed are asked.
    let base = crate::io::storage::get(&crate::domain::persist::sync_base_key(&id))
        .ok()
        .flatten()
        .and_then(|t| crate::domain::persist::read_assessment(&t).ok());
    let (auto, fields) = crate::domain::sync::split(base.as_ref(), &here, &theirs);
    let merged = auto.len();
    let signed = [&theirs, &here].into_iter().map(|a| a.workflow.stage).find(|s| !s.answers_editable());
    let choices = RwSignal::new(auto);
    let (error, set_error) = signal(None::<String>);
    let when = |a: &crate::domain::assessment::Assessment| {
        format!("({} {})", crate::io::nav::hh_mm(a.updated_at), crate::io::nav::date(a.updated_at))
    };
    let (when_here, when_theirs) = (when(&here), when(&theirs));
    let aid = StoredValue::new(id.clone());
    let ckey = StoredValue::new(key.clone());
    let apply = move |_| {
        let id = aid.get_value();
        match actions::resolve_conflict(state, &id, &ckey.get_value(), &choices.get_untracked()) {
            Ok(()) => crate::state::browser::navigate(&Route::Assessment(id)),
            Err(e) => set_error.set(Some(e.message(lang()))),
        }
    };
    let label = move |f: &Field| match f {
        Field::Header => tr(lang(), "conflict.header"),
        Field::Entry(i) => format!("{} {i}", tr(lang(), "conflict.indicator")),
        Field::Roster => tr(lang(), "conflict.roster"),
        Field::Workflow => tr(lang(), "conflict.workflow"),
    };
    view! {
        <section class="ca-section" data-testid="conflict-page">
            <h1>{t("conflict.title")}</h1>
            <HelpTerms terms=&["xung-dot"] />
            <p>{format!("{}, {} · {}", here.commune.name, here.commune.province, here.round)}</p>
            <p class="ca-muted">{t("conflict.explain")}</p>
            {(merged > 0).then(|| view! {
                <p class="ca-ok" data-testid="conflict-merged">{format!("{merged} {}", tr(lang(), "conflict.merged"))}</p>
            })}
            // A copy past draft was signed with its answers: they are kept whatever is picked
            // (`records::resolve`); the officer is told before picking, not after.
            {signed.map(|stage| view! {
                <p class="ca-banner" role="note" data-testid="conflict-signed">
                    {format!("{} “{}”. {}", tr(lang(), "conflict.signed.before"), stage.label(lang()), tr(lang(), "conflict.signed.after"))}
                </p>
            })}
            <table class="ca-table">
                <thead>
                    <tr>
                        <th scope="col">{t("conflict.field")}</th>
                        <th scope="col">{t("conflict.here")} <span class="ca-muted ca-small">{when_here}</span></th>
                        <th scope="col">{t("conflict.theirs")} <span class="ca-muted ca-small">{when_theirs}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {fields.into_iter().map(|f| {
                        let name = label(&f);
                        let mine = describe(&here, &f, lang());
                        let other = describe(&theirs, &f, lang());
                        let group = format!("pick-{}", match &f { Field::Entry(i) => i.replace('.', "-"), Field::Header => "header".into(), Field::Roster => "roster".into(), Field::Workflow => "workflow".into() });
                        let f_here = f.clone();
                        let f_theirs = f.clone();
                        let f_check = f.clone();
                        view! {
                            <tr data-testid="conflict-row">
                                <th scope="row">{name}</th>
                                <td>
                                    <label class="ca-check">
                                        <input type="radio" name=group.clone() data-testid=format!("{group}-here")
                                            prop:checked=move || choices.with(|c| c.get(&f_check).copied().unwrap_or_default() == Side::Here)
                                            on:change=move |_| choices.update(|c| { c.insert(f_here.clone(), Side::Here); }) />
                                        {mine}
                                    </label>
                                </td>
                                <td>
                                    <label class="ca-check">
                                        <input type="radio" name=group.clone() data-testid=format!("{group}-theirs")
                                            on:change=move |_| choices.update(|c| { c.insert(f_theirs.clone(), Side::Theirs); }) />
                                        {other}
                                    </label>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="ca-muted">{t("conflict.audit_kept")}</p>
            <button class="ca-button" data-testid="conflict-apply" on:click=apply>{t("conflict.apply")}</button>
            {move || error.get().map(|e| view! { <p class="ca-error" role="alert">{e}</p> })}
        </section>
    }
    .into_any()
}
