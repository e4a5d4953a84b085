//! One input per indicator kind (an exhaustive `match`), sized for fingers, with numeric
//! keyboards for numbers. Inputs show exactly what was typed; parsing happens in `domain`.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::domain::answer::RawAnswer;
use crate::domain::framework::{Indicator, Kind};
use crate::state::{actions, use_app_state};
use crate::ui::i18n::{t, text, tr};

/// The answer control of one indicator of one assessment.
#[component]
pub fn IndicatorInput(
    /// The assessment being edited.
    assessment: String,
    /// The indicator (cloned from the framework).
    indicator: Indicator,
    /// The current raw answer.
    #[prop(into)]
    answer: Signal<Option<RawAnswer>>,
    /// Read-only (e.g. submitted).
    #[prop(into, optional)]
    readonly: Signal<bool>,
) -> impl IntoView {
    let state = use_app_state();
    let id = indicator.id.clone();
    let dom_id = format!("ind-{}", id.replace('.', "-"));
    let set = {
        let (a, i) = (assessment.clone(), id.clone());
        move |v: Option<RawAnswer>| actions::set_answer(state, &a, &i, v)
    };
    let lang = move || state.lang().get();
    match indicator.kind.clone() {
        Kind::YesNo => {
            let set_yes = set.clone();
            let set_no = set.clone();
            let set_clear = set.clone();
            let is = move |b: bool| answer.with(|a| a == &Some(RawAnswer::Flag(b)));
            let answered = move || answer.with(Option::is_some);
            let clear_id = format!("clear-{id}");
            view! {
                <div class="ca-yesno" role="radiogroup" aria-labelledby=format!("{dom_id}-title")>
                    <label class="ca-choice" class:ca-choice--on=move || is(true)>
                        <input
                            type="radio"
                            name=dom_id.clone()
                            data-testid=format!("yes-{id}")
                            prop:checked=move || is(true)
                            disabled=readonly
                            on:change=move |_| set_yes(Some(RawAnswer::Flag(true)))
                        />
                        {t("fill.yes")}
                    </label>
                    <label class="ca-choice" class:ca-choice--on=move || is(false)>
                        <input
                            type="radio"
                            name=dom_id.clone()
                            data-testid=format!("no-{id}")
                            prop:checked=move || is(false)
                            disabled=readonly
                            on:change=move |_| set_no(Some(RawAnswer::Flag(false)))
                        />
                        {t("fill.no")}
                    </label>
                    <Show when=move || answered() && !readonly.get()>
                        <button
                            class="ca-button ca-button--ghost"
                            data-testid=clear_id.clone()
                            on:click={
                                let set_clear = set_clear.clone();
                                move |_| set_clear(None)
                            }
                        >
                            {t("fill.clear")}
                        </button>
                    </Show>
                </div>
            }
            .into_any()
        }
        Kind::Number { unit, .. } => {
            let value = move || match answer.get() {
                Some(RawAnswer::Text(s)) => s,
                _ => String::new(),
            };
            view! {
                <div class="ca-number">
                    <input
                        id=format!("{dom_id}-value")
                        class="ca-input"
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        data-testid=format!("value-{id}")
                        aria-labelledby=format!("{dom_id}-title")
                        prop:value=value
                        disabled=readonly
                        on:input:target=move |ev| set(Some(RawAnswer::Text(ev.target().value())))
                    />
                    <span class="ca-unit">{text(unit)}</span>
                </div>
            }
            .into_any()
        }
        Kind::Points { max } => {
            let value = move || match answer.get() {
                Some(RawAnswer::Text(s)) => s,
                _ => String::new(),
            };
            view! {
                <div class="ca-number">
                    <input
                        class="ca-input"
                        type="text"
                        inputmode="decimal"
                        data-testid=format!("value-{id}")
                        aria-labelledby=format!("{dom_id}-title")
                        prop:value=value
                        disabled=readonly
                        on:input:target=move |ev| set(Some(RawAnswer::Text(ev.target().value())))
                    />
                    <span class="ca-unit">{format!("/ {max}")}</span>
                </div>
            }
            .into_any()
        }
        Kind::Ratio { numerator, denominator, part, .. } => pair_inputs(PairSpec {
            id,
            dom_id,
            answer,
            readonly,
            set: std::rc::Rc::new(set),
            first: Signal::derive(move || numerator.get(lang()).to_string()),
            second: Signal::derive(move || denominator.get(lang()).to_string()),
            part: part.map(|p| Signal::derive(move || p.title.get(lang()).to_string())),
            suffix: Some("%"),
        }),
        Kind::Roster => {
            let label = Signal::derive(move || tr(lang(), "fill.roster_counts"));
            pair_inputs(PairSpec {
                id,
                dom_id,
                answer,
                readonly,
                set: std::rc::Rc::new(set),
                first: label,
                second: Signal::derive(move || tr(lang(), "fill.met_of")),
                part: None,
                suffix: None,
            })
        }
        Kind::Choice { options, .. } => {
            let chosen = move || match answer.get() {
                Some(RawAnswer::Choice(c)) => c,
                _ => String::new(),
            };
            view! {
                <select
                    class="ca-input"
                    data-testid=format!("choice-{id}")
                    aria-labelledby=format!("{dom_id}-title")
                    disabled=readonly
                    on:change:target=move |ev| {
                        let v = ev.target().value();
                        set(if v.is_empty() { None } else { Some(RawAnswer::Choice(v)) })
                    }
                >
                    <option value="" selected=move || chosen().is_empty()>
                        "—"
                    </option>
                    {options
                        .into_iter()
                        .map(|o| {
                            let oid = o.id.clone();
                            let oid2 = o.id.clone();
                            view! {
                                <option value=oid selected=move || chosen() == oid2>
                                    {move || o.title.get(lang()).to_string()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Kind::Checklist { items, .. } => {
            let checked = move || match answer.get() {
                Some(RawAnswer::Checks(s)) => s,
                _ => BTreeSet::new(),
            };
            let set = std::rc::Rc::new(set);
            view! {
                <div class="ca-checklist" role="group" aria-labelledby=format!("{dom_id}-title")>
                    {items
                        .into_iter()
                        .map(|item| {
                            let item_id = item.id.clone();
                            let item_id2 = item.id.clone();
                            let set = set.clone();
                            view! {
                                <label class="ca-check">
                                    <input
                                        type="checkbox"
                                        data-testid=format!("check-{id}-{}", item.id)
                                        prop:checked=move || checked().contains(&item_id)
                                        disabled=readonly
                                        on:change:target=move |ev| {
                                            let mut s = checked();
                                            if ev.target().checked() {
                                                s.insert(item_id2.clone());
                                            } else {
                                                s.remove(&item_id2);
                                            }
                                            set(Some(RawAnswer::Checks(s)));
                                        }
                                    />
                                    {move || item.title.get(lang()).to_string()}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
    }
}

struct PairSpec {
    id: String,
    dom_id: String,
    answer: Signal<Option<RawAnswer>>,
    readonly: Signal<bool>,
    set: std::rc::Rc<dyn Fn(Option<RawAnswer>)>,
    first: Signal<String>,
    second: Signal<String>,
    /// The "trong đó" part of a ratio with two conditions (17.1), between the two.
    part: Option<Signal<String>>,
    suffix: Option<&'static str>,
}

/// Two numeric inputs (numerator/denominator, or met/total), and a third for the "trong đó"
/// part of a ratio with two conditions.
fn pair_inputs(p: PairSpec) -> AnyView {
    let PairSpec { id, dom_id, answer, readonly, set, first, second, part, suffix } = p;
    let with_part = part.is_some();
    let parts = move || match answer.get() {
        Some(RawAnswer::Pair(a, b)) => (a, b, String::new()),
        Some(RawAnswer::Triple(a, b, c)) => (a, b, c),
        _ => (String::new(), String::new(), String::new()),
    };
    let make = move |a: String, b: String, c: String| {
        if with_part {
            RawAnswer::Triple(a, b, c)
        } else {
            RawAnswer::Pair(a, b)
        }
    };
    let set_a = set.clone();
    let set_c = set.clone();
    let set_b = set;
    let part_input = part.map(|label| {
        let id = id.clone();
        view! {
            <label class="ca-field">
                <span class="ca-field__label">{label}</span>
                <input
                    class="ca-input"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    data-testid=format!("part-{id}")
                    prop:value=move || parts().2
                    disabled=readonly
                    on:input:target=move |ev| {
                        let (a, b, _) = parts();
                        set_c(Some(make(a, b, ev.target().value())))
                    }
                />
            </label>
        }
    });
    view! {
        <div class="ca-pair">
            <label class="ca-field">
                <span class="ca-field__label">{first}</span>
                <input
                    class="ca-input"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    data-testid=format!("num-{id}")
                    prop:value=move || parts().0
                    disabled=readonly
                    on:input:target=move |ev| {
                        let (_, b, c) = parts();
                        set_a(Some(make(ev.target().value(), b, c)))
                    }
                />
            </label>
            {part_input}
            <label class="ca-field">
                <span class="ca-field__label">{second}</span>
                <input
                    class="ca-input"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    data-testid=format!("den-{id}")
                    aria-describedby=format!("{dom_id}-title")
                    prop:value=move || parts().1
                    disabled=readonly
                    on:input:target=move |ev| {
                        let (a, _, c) = parts();
                        set_b(Some(make(a, ev.target().value(), c)))
                    }
                />
            </label>
            {suffix.map(|s| view! { <span class="ca-unit">{s}</span> })}
        </div>
    }
    .into_any()
}
