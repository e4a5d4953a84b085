//! Creating an assessment: framework and version, province and commune (from the shipped unit
//! lists, or typed), round, the region/group that selects thresholds, and the assessors.

use leptos::prelude::*;

use crate::ui::components::help::HelpTerms;

use crate::domain::assessment::{Commune, Person};
use crate::domain::framework::current::{current_index, default_round};
use crate::state::actions::{self, NewAssessment};
use crate::state::{use_app_state, Route};
use crate::ui::components::file_picker::FilePicker;
use crate::ui::components::framework_notes::{FrameworkNotes, UnverifiedCensus};
use crate::ui::i18n::{t, text, tr};

/// The "new assessment" form.
#[component]
pub fn NewPage() -> impl IntoView {
    let state = use_app_state();
    let lang = move || state.lang().get();
    let units = crate::state::browser::units(state);
    let frameworks = move || state.frameworks().get();

    // What a new assessment starts from today, as the data says: the set in force (51/2025 since
    // 15/02/2026) and the units list in force (Cà Mau's since 01/07/2025). Until the officer
    // picks a set, a set that arrives later (the bundled ones other than the default come in a
    // chunk of their own) can become the default.
    let today = crate::io::nav::iso_date(crate::io::nav::now_ms());
    let this_year: u16 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let current_key = {
        let today = today.clone();
        move || {
            let sets = frameworks();
            current_index(sets.iter().map(|f| &**f), &today).map(|i| sets[i].key()).unwrap_or_default()
        }
    };
    // The set the officer picked, if any; until then, the one in force (derived, so a set that
    // arrives later is followed without an effect writing a signal).
    let (picked_fw, set_picked_fw) = signal(None::<String>);
    let fw_key = Memo::new(move |_| picked_fw.get().unwrap_or_else(&current_key));
    // "0", "1": index into the shipped lists; "other": typed.
    let (province, set_province) = signal(
        units.with_untracked(|u| u.iter().position(|l| l.in_force_on(&today))).unwrap_or(0).to_string(),
    );
    let (province_name, set_province_name) = signal(String::new());
    let (commune, set_commune) = signal(String::new());
    let (commune_name, set_commune_name) = signal(String::new());
    let (district, set_district) = signal(String::new());
    let (round, set_round) = signal(String::new());
    // Empty: today for a current round, else 31/12 of the round (see default_assessment_date).
    let (assessed_on, set_assessed_on) = signal(String::new());
    let (dimension, set_dimension) = signal(String::new());
    let (assessor, set_assessor) = signal(String::new());
    let (assessor_title, set_assessor_title) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    // Assessments already made for the chosen commune and round; a second one is made only
    // when the officer confirms (`confirmed` holds what was confirmed).
    let duplicates = RwSignal::new(Vec::<(String, String)>::new());
    let confirmed = RwSignal::new(None::<(String, u16)>);
    // A ward (phường) is outside the NTM commune set: assessing one is asked once, not refused.
    let ward_asked = RwSignal::new(None::<String>);

    let framework = move || state.framework_by_key(&fw_key.get());
    // Default the round (this year while the set's period lasts, else its last year), and the
    // region to the province's.
    // The round follows the set only: changing the province keeps a round the officer typed.
    Effect::new(move |_| {
        if let Some(fw) = framework() {
            set_round.set(default_round(fw.period, this_year).to_string());
        }
    });
    Effect::new(move |_| {
        if let Some(fw) = framework() {
            // The province's region, as its units list says (data, not code); none: the
            // officer chooses (an imported province is no longer put in the Mekong Delta).
            let region = province
                .get()
                .parse::<usize>()
                .ok()
                .and_then(|i| units.with(|u| u.get(i).and_then(|l| l.province.region.clone())));
            let value = region.as_deref().and_then(|r| crate::domain::geography::region_value(&fw, r));
            set_dimension.set(value.unwrap_or_default().to_string());
        }
    });
    let list = move || province.get().parse::<usize>().ok().and_then(|i| units.with(|u| u.get(i).cloned()));
    // The unit picked (or typed) in the list, commune or ward.
    let picked_unit = move || {
        let l = list()?;
        let key = commune.get();
        let key = if key.is_empty() { commune_name.get() } else { key };
        l.find_unit(&key).cloned()
    };
    // The commune group the units data gives the picked commune, when the set is judged by
    // commune group (51/2025): the group is taken as the data says; unknown stays unknown.
    let data_group = move || {
        let fw = framework()?;
        let l = list()?;
        let g = l.groups.as_ref().filter(|g| g.dimension == fw.dimension.id)?;
        Some((
            g.note.clone(),
            picked_unit().and_then(|u| u.group).filter(|ug| fw.dimension_value(&ug.value).is_some()),
        ))
    };
    Effect::new(move |_| {
        if let Some((_, Some(g))) = data_group() {
            set_dimension.set(g.value);
        }
    });
    // A list not in force in the round's year (Bạc Liêu's ended on 30/06/2025): said at once,
    // beside the province, not refused (a late assessment of an old round is legitimate).
    let out_of_period = move || {
        let year: u16 = round.get().trim().parse().ok()?;
        let i: usize = province.get().parse().ok()?;
        let l = lang();
        units.with(|u| {
            let list = u.get(i).filter(|list| !list.in_force_in(year))?;
            Some(format!(
                "⚠ {} {}, {} {year}.",
                tr(l, "new.units.period"),
                list.period_text(&tr(l, "new.units.now")),
                tr(l, "new.units.not_round")
            ))
        })
    };
    let (units_errors, set_units_errors) = signal(Vec::<String>::new());
    let on_units_file = move |file: web_sys::File| {
        leptos::task::spawn_local(async move {
            let text = match crate::io::file::read_text(file).await {
                Ok(t) => t,
                Err(e) => return set_units_errors.set(vec![e.message(lang())]),
            };
            match actions::import_units(state, &text, lang()) {
                Ok(i) => {
                    set_units_errors.set(vec![]);
                    set_province.set(i.to_string());
                    set_commune.set(String::new());
                }
                Err(e) => set_units_errors.set(e),
            }
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang();
        let Some(fw) = framework() else { return };
        let (prov, unit) = match list() {
            Some(list) => {
                // By unit code where two communes share a name, else by name; a ward too.
                let unit = list
                    .find_unit(&commune.get_untracked())
                    .filter(|_| !commune.get_untracked().is_empty())
                    .cloned();
                (list.province.name.clone(), unit)
            }
            None => (province_name.get_untracked(), None),
        };
        let name = match &unit {
            Some(u) => u.name.clone(),
            None => commune_name.get_untracked().trim().to_string(),
        };
        if name.is_empty() {
            set_error.set(Some(tr(l, "new.error.commune")));
            return;
        }
        let year: Option<u16> = round.get_untracked().trim().parse().ok();
        let Some(year) = year.filter(|y| (fw.period.0..=fw.period.1).contains(y)) else {
            set_error.set(Some(format!("{} ({}–{}).", tr(l, "new.error.round"), fw.period.0, fw.period.1)));
            return;
        };
        let dim = dimension.get_untracked();
        if fw.dimension_value(&dim).is_none() {
            set_error.set(Some(tr(l, "new.error.dimension")));
            return;
        }
        // A ward, picked or typed: asked once (a second "create" goes on).
        let ward = unit
            .clone()
            .or_else(|| list().and_then(|l| l.find_unit(&name).cloned()))
            .filter(|u| u.kind != "xã");
        if let Some(w) = ward {
            if ward_asked.get_untracked().as_deref() != Some(w.name.as_str()) {
                ward_asked.set(Some(w.name.clone()));
                set_error.set(None);
                return;
            }
        }
        let typed_date = assessed_on.get_untracked();
        let date = if typed_date.trim().is_empty() {
            crate::domain::assessment::default_assessment_date(
                year,
                &crate::io::nav::iso_date(crate::io::nav::now_ms()),
            )
        } else {
            typed_date.trim().to_string()
        };
        if !crate::domain::date::is_iso(&date) {
            set_error.set(Some(tr(l, "new.error.date")));
            return;
        }
        let district_text = district.get_untracked();
        let commune = Commune {
            code: unit.as_ref().and_then(|u| u.code.clone()),
            name,
            province: prov,
            district: unit
                .as_ref()
                .and_then(|u| u.district.clone())
                .or_else(|| (!district_text.trim().is_empty()).then(|| district_text.trim().to_string())),
        };
        let dups = actions::duplicates_of(state, &commune, year);
        let this = (format!("{}|{}", commune.province, commune.name), year);
        if !dups.is_empty() && confirmed.get_untracked().as_ref() != Some(&this) {
            duplicates.set(
                dups.iter()
                    .map(|a| {
                        let label = format!(
                            "{}, {} · {} · {} · {} {}",
                            a.commune.name,
                            a.commune.province,
                            a.round,
                            a.workflow.stage.label(l),
                            a.entries.len(),
                            tr(
                                l,
                                if a.entries.len() == 1 { "common.indicator" } else { "common.indicators" }
                            )
                        );
                        (a.id.clone(), label)
                    })
                    .collect(),
            );
            confirmed.set(Some(this));
            set_error.set(None);
            return;
        }
        duplicates.set(vec![]);
        let assessors = if assessor.get_untracked().trim().is_empty() {
            vec![]
        } else {
            vec![Person {
                name: assessor.get_untracked().trim().into(),
                title: assessor_title.get_untracked().trim().into(),
            }]
        };
        let id = actions::create_assessment(
            state,
            NewAssessment {
                framework: fw,
                commune,
                round: year,
                dimension_value: dim,
                assessors,
                assessed_on: date,
            },
        );
        crate::state::browser::navigate(&Route::Assessment(id));
        // A new assessment opens at its top, not where the form was scrolled to.
        crate::io::nav::scroll_to(0.0);
    };

    view! {
        <section class="ca-section">
            <h1>{t("new.title")}</h1>
            <HelpTerms terms=&["nhom-xa", "chua-xac-minh", "nguon", "khung-tam"] />
            <form class="ca-form" on:submit=submit novalidate>
                <label class="ca-field">
                    <span class="ca-field__label">{t("new.framework")}</span>
                    <select
                        class="ca-input"
                        data-testid="new-framework"
                        on:change:target=move |ev| {
                            set_picked_fw.set(Some(ev.target().value()))
                        }
                    >
                        {move || {
                            frameworks()
                                .into_iter()
                                .map(|f| {
                                    let k = f.key();
                                    let k2 = k.clone();
                                    view! {
                                        <option value=k selected=move || fw_key.get() == k2>
                                            {f.short_title.get(lang()).to_string()} " — " {f.legal.decision.clone()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                {move || {
                    framework()
                        .map(|fw| {
                            view! {
                                <UnverifiedCensus framework=fw.clone() dimension=dimension />
                                <FrameworkNotes framework=fw />
                            }
                        })
                }}
                <label class="ca-field">
                    <span class="ca-field__label">{t("new.province")}</span>
                    <select
                        class="ca-input"
                        data-testid="new-province"
                        on:change:target=move |ev| {
                            set_province.set(ev.target().value());
                            set_commune.set(String::new());
                        }
                    >
                        <option value="0" selected=move || province.get() == "0">{t("geo.camau")}</option>
                        <option value="1" selected=move || province.get() == "1">{t("geo.baclieu")}</option>
                        {move || {
                            units
                                .get()
                                .into_iter()
                                .enumerate()
                                .skip(2)
                                .map(|(i, l)| {
                                    let v = i.to_string();
                                    let v2 = v.clone();
                                    view! { <option value=v selected=move || province.get() == v2>{l.province.name.clone()}</option> }
                                })
                                .collect_view()
                        }}
                        <option value="other" selected=move || province.get() == "other">{t("geo.other")}</option>
                    </select>
                </label>
                {move || out_of_period().map(|m| view! { <p class="ca-note ca-error" role="status" data-testid="units-out-of-period">{m}</p> })}
                <FilePicker label="geo.import" accept=".csv,.json,text/csv,application/json" testid="units-file" on_file=Callback::new(on_units_file) />
                <Show when=move || !units_errors.get().is_empty()>
                    <ul class="ca-issues ca-error" role="alert" data-testid="units-errors">
                        {move || units_errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                    </ul>
                </Show>
                <Show when=move || province.get() == "other">
                    <label class="ca-field">
                        <span class="ca-field__label">{t("geo.other.name")}</span>
                        <input class="ca-input" data-testid="new-province-name" on:input:target=move |ev| set_province_name.set(ev.target().value()) />
                    </label>
                </Show>
                <Show when=move || list().is_some()>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("new.commune")}</span>
                        <select
                            class="ca-input"
                            data-testid="new-commune"
                            on:change:target=move |ev| set_commune.set(ev.target().value())
                        >
                            <option value="">{t("new.commune.pick")}</option>
                            {move || {
                                list()
                                    .map(|l| {
                                        l.communes()
                                            .map(|u| {
                                                let label = match &u.district {
                                                    Some(d) => format!("{} ({d})", u.name),
                                                    None => u.name.clone(),
                                                };
                                                view! { <option value=l.pick_key(u)>{label}</option> }
                                            })
                                            .collect_view()
                                    })
                            }}
                            {move || {
                                list().map(|l| {
                                    let wards: Vec<_> = l.non_communes().map(|u| (l.pick_key(u), u.name.clone())).collect();
                                    (!wards.is_empty()).then(|| view! {
                                        <optgroup label=tr(lang(), "new.wards")>
                                            {wards.into_iter().map(|(k, n)| view! { <option value=k>{n}</option> }).collect_view()}
                                        </optgroup>
                                    })
                                })
                            }}
                            <option value="">{t("new.commune.other")}</option>
                        </select>
                    </label>
                </Show>
                <Show when=move || commune.get().is_empty()>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("new.commune.name")}</span>
                        <input class="ca-input" data-testid="new-commune-name" on:input:target=move |ev| set_commune_name.set(ev.target().value()) />
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("new.district")}</span>
                        <input class="ca-input" on:input:target=move |ev| set_district.set(ev.target().value()) />
                    </label>
                </Show>
                <label class="ca-field">
                    <span class="ca-field__label">{t("common.round")}</span>
                    <input
                        class="ca-input"
                        inputmode="numeric"
                        data-testid="new-round"
                        prop:value=move || round.get()
                        on:input:target=move |ev| set_round.set(ev.target().value())
                    />
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("new.assessed_on")}</span>
                    <input
                        class="ca-input"
                        type="date"
                        data-testid="new-assessed-on"
                        prop:value=move || assessed_on.get()
                        on:input:target=move |ev| set_assessed_on.set(ev.target().value())
                    />
                    <span class="ca-muted">{t("new.assessed_on.hint")}</span>
                </label>
                <label class="ca-field">
                    <span class="ca-field__label">{t("new.dimension")}</span>
                    <select
                        class="ca-input"
                        data-testid="new-dimension"
                        on:change:target=move |ev| set_dimension.set(ev.target().value())
                    >
                        <option value="">"—"</option>
                        {move || {
                            framework()
                                .map(|fw| {
                                    fw.dimension
                                        .values
                                        .iter()
                                        .map(|v| {
                                            let id = v.id.clone();
                                            let id2 = v.id.clone();
                                            let t = v.title.clone();
                                            view! {
                                                <option value=id selected=move || dimension.get() == id2>
                                                    {text(t)}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                })
                        }}
                    </select>
                </label>
                {move || data_group().map(|(note, g)| {
                    let l = lang();
                    let line = match g {
                        Some(g) => {
                            let title = framework()
                                .and_then(|fw| fw.dimension_value(&g.value).map(|v| v.title.get(l).to_string()))
                                .unwrap_or_else(|| g.value.clone());
                            let level = match g.level.as_str() {
                                "official" => String::new(),
                                "secondary" => format!(" — {}", tr(l, "new.group.secondary")),
                                _ => format!(" — {}", tr(l, "new.group.unverified")),
                            };
                            format!("{}: {title}{level}. {}", tr(l, "new.group.data"), g.basis)
                        }
                        None => tr(l, "new.group.unknown").to_string(),
                    };
                    view! {
                        <div class="ca-note" data-testid="new-group-note">
                            <p data-testid="new-group">{line}</p>
                            <p class="ca-muted ca-small">{note.get(l).to_string()}</p>
                        </div>
                    }
                })}
                {move || ward_asked.get().map(|w| view! {
                    <p class="ca-banner" role="alert" data-testid="new-ward">
                        {format!("{w}: {}", tr(lang(), "new.ward.asked"))}
                    </p>
                })}
                <div class="ca-row">
                    <label class="ca-field">
                        <span class="ca-field__label">{t("new.assessor")}</span>
                        <input class="ca-input" data-testid="new-assessor" on:input:target=move |ev| set_assessor.set(ev.target().value()) />
                    </label>
                    <label class="ca-field">
                        <span class="ca-field__label">{t("new.assessor.title")}</span>
                        <input class="ca-input" on:input:target=move |ev| set_assessor_title.set(ev.target().value()) />
                    </label>
                </div>
                {move || error.get().map(|e| view! { <p class="ca-error" role="alert" data-testid="new-error">{e}</p> })}
                <Show when=move || duplicates.with(|d| !d.is_empty())>
                    <div class="ca-banner" role="alert" data-testid="new-duplicate">
                        <p>{t("new.duplicate")}</p>
                        <ul>
                            {move || duplicates.get().into_iter().map(|(id, label)| view! {
                                <li><a href=Route::Assessment(id).href() data-testid="new-duplicate-open">{label}</a></li>
                            }).collect_view()}
                        </ul>
                        <p>{t("new.duplicate.again")}</p>
                    </div>
                </Show>
                <button class="ca-button" type="submit" data-testid="new-create">
                    {move || if duplicates.with(|d| d.is_empty()) { tr(lang(), "new.create") } else { tr(lang(), "new.create_second") }}
                </button>
            </form>
        </section>
    }
}
