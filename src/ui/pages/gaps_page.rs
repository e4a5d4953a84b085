//! The gap list (`#/gaps`): for one province or all, what each commune (its standing
//! assessment under the chosen set) still lacks to reach "đạt", indicator by indicator with the
//! distance. Filter by text, sort by commune or by indicator, print, export CSV: the officers'
//! work plan and budget request.

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;

use crate::domain::dashboard::matrix;
use crate::domain::framework::Framework;
use crate::domain::report::{gap_list, gaps_csv, GapLine};
use crate::domain::text::name_key;
use crate::io::{download, nav};
use crate::state::{use_app_state, Route};
use crate::ui::i18n::{t, tr};

#[component]
pub fn GapsPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let frameworks = Memo::new(move |_| {
        let mut keys: Vec<String> = state
            .assessments()
            .with(|m| m.values().map(|a| format!("{}@{}", a.framework_id, a.framework_version)).collect());
        keys.sort();
        keys.dedup();
        keys.into_iter().filter_map(|k| state.framework_by_key(&k)).collect::<Vec<Arc<Framework>>>()
    });
    let (chosen, set_chosen) = signal(None::<String>);
    let (province, set_province) = signal(String::new());
    let (filter, set_filter) = signal(String::new());
    let (by_indicator, set_by_indicator) = signal(false);
    let provinces = Memo::new(move |_| {
        let mut v: Vec<String> =
            state.assessments().with(|m| m.values().map(|a| a.commune.province.clone()).collect());
        v.sort();
        v.dedup();
        v
    });
    let lines = Memo::new(move |_| {
        let list = frameworks.get();
        let fw = chosen
            .get()
            .and_then(|k| list.iter().find(|f| f.key() == k).cloned())
            .or_else(|| list.first().cloned())?;
        let p = province.get();
        let ids: Vec<String> = state.assessments().with(|m| {
            matrix(&fw, m.values(), (!p.is_empty()).then_some(p.as_str()))
                .rows
                .into_iter()
                .map(|r| r.assessment_id)
                .collect()
        });
        let l = lang();
        let picked: Vec<_> =
            state.assessments().with(|m| ids.iter().filter_map(|id| m.get(id).cloned()).collect());
        let mut lines = gap_list(picked.iter().map(|a| (a, &*fw)), l);
        if by_indicator.get() {
            lines.sort_by(|a, b| {
                crate::domain::text::natural_cmp(&a.indicator, &b.indicator)
                    .then_with(|| a.commune.cmp(&b.commune))
            });
        }
        let f = name_key(&filter.get());
        if !f.is_empty() {
            lines.retain(|g| {
                name_key(&format!("{} {} {} {}", g.commune, g.indicator, g.title, g.gap)).contains(&f)
            });
        }
        Some(lines)
    });
    let export = move |_| {
        if let Some(lines) = lines.get_untracked() {
            let name = format!("con-thieu-{}.csv", nav::date(nav::now_ms()).replace('/', "-"));
            let _ = download::download(&name, "text/csv;charset=utf-8", &gaps_csv(&lines, ';', lang()));
        }
    };
    view! {
        <section class="ca-section" data-testid="gaps-page">
            <h1>{t("gaps.title")}</h1>
            <HelpTerms terms=&["tam-tinh", "tham-tra", "chua-xac-minh"] />
            <p class="ca-muted ca-noprint">{t("gaps.explain")}</p>
            <div class="ca-form ca-form--inline ca-noprint">
                <label class="ca-field">
                    <span class="ca-field__label">{t("new.framework")}</span>
                    <select class="ca-input" data-testid="gaps-framework" on:change:target=move |ev| set_chosen.set(Some(ev.target().value()))>
                        {move || frameworks.get().into_iter().map(|f| view! { <option value=f.key()>{f.short_title.get(lang()).to_string()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("dash.province")}</span>
                    <select class="ca-input" data-testid="gaps-province" on:change:target=move |ev| set_province.set(ev.target().value())>
                        <option value="">{t("dash.all_provinces")}</option>
                        {move || provinces.get().into_iter().map(|p| view! { <option value=p.clone()>{p.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("gaps.filter")}</span>
                    <input class="ca-input" data-testid="gaps-filter" on:input:target=move |ev| set_filter.set(ev.target().value()) />
                </label>
                <label class="ca-check">
                    <input type="checkbox" data-testid="gaps-by-indicator" on:change:target=move |ev| set_by_indicator.set(ev.target().checked()) />
                    {t("gaps.by_indicator")}
                </label>
                <button class="ca-button" on:click=move |_| nav::print()>{t("report.print")}</button>
                <button class="ca-button ca-button--ghost" data-testid="gaps-csv" on:click=export>{t("report.csv_people")}</button>
            </div>
            {move || match lines.get() {
                None => view! { <p data-testid="gaps-empty">{t("dash.empty")}</p> }.into_any(),
                Some(lines) => {
                    let l = lang();
                    let communes = {
                        let mut c: Vec<&str> = lines.iter().map(|g| g.assessment_id.as_str()).collect();
                        c.sort_unstable();
                        c.dedup();
                        c.len()
                    };
                    view! {
                        <p data-testid="gaps-count">{format!("{} {} · {} {}", lines.len(), tr(l, "gaps.lines"), communes, tr(l, "gaps.communes"))}</p>
                        <table class="ca-table ca-report__table" data-testid="gaps-table">
                            <thead><tr>
                                <th scope="col">{t("gaps.commune")}</th><th scope="col">"#"</th>
                                <th scope="col">{t("report.col.indicator")}</th><th scope="col">{t("report.gap")}</th>
                            </tr></thead>
                            <tbody>
                                {lines.into_iter().map(|g: GapLine| view! {
                                    <tr class="ca-report__row" data-testid="gaps-row">
                                        <td><a href=Route::Assessment(g.assessment_id.clone()).href()>{format!("{}, {} · {}", g.commune, g.province, g.round)}</a>
                                            {crate::domain::demo::is_demo(&g.assessment_id).then(|| view! { " " <span class="ca-flag">{tr(l, "demo.short")}</span> })}</td>
                                        <td class="ca-code">{g.indicator.clone()}</td>
                                        <td>{g.title.clone()}</td>
                                        <td>{g.gap.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}
