//! Training needs across the communes of a province, grouped by the training needed, with a CSV
//! download that Excel opens with Vietnamese intact.

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;

use crate::domain::roster_csv::needs_csv;
use crate::io::download;
use crate::state::roster::training_needs;
use crate::state::use_app_state;
use crate::ui::i18n::{t, tr};

/// The training-needs page.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let provinces = move || {
        state.assessments().with(|m| {
            let mut v: Vec<String> = m.values().map(|a| a.commune.province.clone()).collect();
            v.sort();
            v.dedup();
            v
        })
    };
    let (province, set_province) = signal(provinces().first().cloned().unwrap_or_default());
    let needs = Memo::new(move |_| {
        state.assessments().track();
        state.assessments().with_untracked(|m| training_needs(m, &province.get(), lang()))
    });
    let download_csv = move |_| {
        let name = format!("nhu-cau-dao-tao-{}.csv", province.get_untracked().replace(' ', "-"));
        let _ = download::download(&name, "text/csv;charset=utf-8", &needs_csv(&needs.get_untracked()));
    };
    view! {
        <section class="ca-section">
            <h1>{t("training.title")}</h1>
            <HelpTerms terms=&["doi-ngu", "nguon", "chua-xac-minh"] />
            <label class="ca-field">
                <span class="ca-field__label">{t("new.province")}</span>
                <select class="ca-input" data-testid="training-province" on:change:target=move |ev| set_province.set(ev.target().value())>
                    {move || provinces().into_iter().map(|p| { let p2 = p.clone(); view! { <option value=p.clone() selected=move || province.get() == p2>{p.clone()}</option> } }).collect_view()}
                </select>
            </label>
            <button class="ca-button" data-testid="training-download" on:click=download_csv>{t("training.download")}</button>
            <div data-testid="training-list">
                {move || {
                    let list = needs.get();
                    if list.is_empty() {
                        return view! { <p>{tr(lang(), "training.none")}</p> }.into_any();
                    }
                    let mut groups: Vec<(String, Vec<_>)> = Vec::new();
                    for n in list {
                        match groups.last_mut() {
                            Some((t, v)) if *t == n.training => v.push(n),
                            _ => groups.push((n.training.clone(), vec![n])),
                        }
                    }
                    groups.into_iter().map(|(t, people)| view! {
                        <h2>{t} " (" {people.len()} ")"</h2>
                        <ul>{people.into_iter().map(|n| view! {
                            <li>{n.name} " — " {n.title} ", " {n.commune} " (" {n.have} ")"
                                {(!n.deadline.is_empty()).then(|| format!(" · {} {}", tr(lang(), "roster.transition"), n.deadline))}</li>
                        }).collect_view()}</ul>
                    }).collect_view().into_any()
                }}
            </div>
        </section>
    }
}
