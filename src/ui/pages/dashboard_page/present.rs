//! Present mode ("Trình chiếu"): the figures as slides for a projector, full screen, large type —
//! the summary, each criterion's share, the provinces, then the communes still short and what
//! they lack (from the gap list) — paged by the arrow keys, Page Up/Down (a clicker), space and
//! Home/End, left with Esc, and printed one slide per A4 landscape page.

use leptos::prelude::*;

use crate::domain::dashboard::Bar;
use crate::domain::report::GapLine;
use crate::domain::text::Lang;
use crate::ui::components::charts::BarChart;
use crate::ui::i18n::tr;

use super::figures::{count, group_title, of};
use super::{Drawn, State};

/// Communes on one "still short" slide, and lines each.
const SHORT_PER_SLIDE: usize = 5;
const LINES_PER_COMMUNE: usize = 3;
/// Provinces on one slide.
const PROVINCES_PER_SLIDE: usize = 12;

/// One commune still short: its name and round, and the indicators it lacks.
struct Short {
    commune: String,
    lines: Vec<GapLine>,
}

/// The gap list of the communes the matrix shows that do not meet every criterion, grouped by
/// commune in the matrix's order.
fn short_communes(state: State, d: &Drawn, l: Lang) -> Vec<Short> {
    let Some(m) = &d.matrix else { return Vec::new() };
    let ids: Vec<&str> = m
        .rows
        .iter()
        .filter(|r| r.verdict != crate::domain::score::Verdict::Met)
        .map(|r| r.assessment_id.as_str())
        .collect();
    let lines = state.assessments().with_untracked(|all| {
        crate::domain::report::gap_list(ids.iter().filter_map(|id| all.get(*id)).map(|a| (a, &*d.fw)), l)
    });
    let mut out: Vec<Short> = Vec::new();
    for line in lines {
        match out.last_mut() {
            Some(s) if s.lines[0].assessment_id == line.assessment_id => s.lines.push(line),
            _ => out.push(Short {
                commune: format!("{} · {} · {}", line.commune, line.province, line.round),
                lines: vec![line],
            }),
        }
    }
    out
}

#[component]
pub(super) fn Present(
    drawn: Memo<Option<Result<super::Drawn, String>>>,
    close: Callback<()>,
    state: State,
) -> impl IntoView {
    let lang = move || state.lang().get();
    let (at, set_at) = signal(0usize);
    let (slides_n, set_slides_n) = signal(1usize);
    let step = move |by: isize| {
        let n = slides_n.get_untracked().max(1);
        set_at.update(|i| *i = i.saturating_add_signed(by).min(n - 1));
    };
    // The keys a presenter (or a clicker: Page Up/Down) uses.
    let keys = window_event_listener(leptos::ev::keydown, move |e| match e.key().as_str() {
        "ArrowRight" | "ArrowDown" | "PageDown" | " " | "Enter" => {
            e.prevent_default();
            step(1);
        }
        "ArrowLeft" | "ArrowUp" | "PageUp" | "Backspace" => {
            e.prevent_default();
            step(-1);
        }
        "Home" => set_at.set(0),
        "End" => set_at.set(slides_n.get_untracked().saturating_sub(1)),
        "Escape" => close.run(()),
        _ => {}
    });
    // Leaving full screen (the browser's own Esc) leaves present mode too.
    let entered = StoredValue::new(false);
    let screen = window_event_listener_untyped("fullscreenchange", move |_| {
        let full = document().fullscreen_element().is_some();
        if full {
            entered.set_value(true);
        } else if entered.get_value() {
            close.run(());
        }
    });
    on_cleanup(move || {
        keys.remove();
        screen.remove();
    });
    let dialog = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = dialog.get() {
            let _ = el.focus();
        }
    });
    let slides = move || {
        let l = lang();
        let Some(Ok(d)) = drawn.get() else { return Vec::new() };
        let mut slides: Vec<AnyView> = Vec::new();
        let f = &d.figures;
        let n = f.records;
        let title = d.fw.short_title.get(l).to_string();
        let shown_demo = d.demo;
        let demo =
            move || shown_demo.then(|| view! { <p class="ca-slide__demo">{tr(l, "present.demo")}</p> });
        // 1. The summary.
        let groups = f
            .by_group
            .iter()
            .map(|(g, k, met)| view! { <li>{format!("{}: {met}/{k} {}", group_title(&d.fw, g, l), tr(l, "kpi.met_short"))}</li> })
            .collect_view();
        let in_progress = f.by_stage[1] + f.by_stage[2] + f.by_stage[3];
        slides.push(view! {
            <h2 class="ca-slide__title">{format!("{} — {}", tr(l, "present.summary"), title)}</h2>
            <p class="ca-slide__scope" data-testid="slide-scope">{d.scope.clone()}</p>
            {demo()}
            <div class="ca-slide__kpis">
                <div class="ca-slide__kpi ca-slide__kpi--strong"><span class="ca-slide__big">{count(f.by_stage[4], l)}</span><span>{tr(l, "kpi.recognised")}</span><span class="ca-slide__small">{of(f.by_stage[4], n, l)}</span></div>
                <div class="ca-slide__kpi ca-slide__kpi--strong"><span class="ca-slide__big">{count(f.all_met, l)}</span><span>{tr(l, "kpi.met")}{d.provisional.then(|| format!(" ({})", tr(l, "kpi.provisional")))}</span><span class="ca-slide__small">{of(f.all_met, n, l)}</span></div>
                <div class="ca-slide__kpi"><span class="ca-slide__big">{count(in_progress, l)}</span><span>{tr(l, "kpi.in_progress")}</span><span class="ca-slide__small">{of(in_progress, n, l)}</span></div>
                <div class="ca-slide__kpi"><span class="ca-slide__big">{count(f.by_stage[0], l)}</span><span>{tr(l, "kpi.draft")}</span><span class="ca-slide__small">{of(f.by_stage[0], n, l)}</span></div>
            </div>
            <ul class="ca-slide__groups">{groups}</ul>
        }.into_any());
        // 2. Each criterion's share.
        let total = usize::try_from(n).unwrap_or(usize::MAX);
        let bars = f
            .per_criterion
            .iter()
            .map(|(id, k)| {
                let name =
                    d.fw.criteria
                        .iter()
                        .find(|c| &c.id == id)
                        .map(|c| c.title.get(l).to_string())
                        .unwrap_or_default();
                Bar { label: format!("{id}. {name}"), value: usize::try_from(*k).unwrap_or(0) }
            })
            .collect::<Vec<_>>();
        let note = if d.provisional { tr(l, "dash.chart.provisional") } else { String::new() };
        slides.push(view! {
            <h2 class="ca-slide__title">{tr(l, "dash.chart.criteria_share")}</h2>
            {demo()}
            <div class="ca-slide__chart"><BarChart title=title.clone() bars=bars total=total testid="slide-criteria" note=note label_width=430.0 /></div>
        }.into_any());
        // 3. The provinces, when there are several.
        if f.by_province.len() > 1 {
            for chunk in f.by_province.chunks(PROVINCES_PER_SLIDE) {
                let rows = chunk
                    .iter()
                    .map(|p| view! {
                        <tr><th scope="row">{p.province.clone()}</th><td>{count(p.records, l)}</td><td>{of(p.all_met, p.records, l)}</td><td>{of(p.recognised, p.records, l)}</td></tr>
                    })
                    .collect_view();
                slides.push(view! {
                    <h2 class="ca-slide__title">{tr(l, "present.provinces")}</h2>
                    {demo()}
                    <table class="ca-slide__table">
                        <thead><tr><th scope="col">{tr(l, "dash.province")}</th><th scope="col">{tr(l, "dash.communes_short")}</th><th scope="col">{tr(l, "kpi.met")}</th><th scope="col">{tr(l, "kpi.recognised")}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any());
            }
        }
        // 4. The communes still short and what they lack.
        if d.matrix.is_none() {
            slides.push(
                view! {
                    <h2 class="ca-slide__title">{tr(l, "present.short")}</h2>
                    <p class="ca-slide__text">{tr(l, "present.server_short")}</p>
                }
                .into_any(),
            );
        } else {
            let short = short_communes(state, &d, l);
            if short.is_empty() {
                slides.push(
                    view! {
                        <h2 class="ca-slide__title">{tr(l, "present.short")}</h2>
                        <p class="ca-slide__text">{tr(l, "present.no_short")}</p>
                    }
                    .into_any(),
                );
            }
            for chunk in short.chunks(SHORT_PER_SLIDE) {
                let items = chunk
                    .iter()
                    .map(|s| {
                        let more = s.lines.len().saturating_sub(LINES_PER_COMMUNE);
                        let lines = s
                            .lines
                            .iter()
                            .take(LINES_PER_COMMUNE)
                            .map(|g| {
                                let gap = if g.gap.is_empty() { g.verdict.label(l).to_string() } else { g.gap.clone() };
                                // A criterion of one indicator is named by the criterion (its
                                // indicator's title restates it at length).
                                let what = match d.fw.criteria.iter().find(|c| c.id == g.criterion) {
                                    Some(c) if c.indicators.len() == 1 => format!("{}. {}", c.id, c.title.get(l)),
                                    _ => format!("{} {}", g.indicator, g.title),
                                };
                                view! { <li>{format!("{what} — {gap}")}</li> }
                            })
                            .collect_view();
                        view! {
                            <li class="ca-slide__commune" data-testid="slide-short">
                                <strong>{s.commune.clone()}</strong>
                                <ul>{lines}{(more > 0).then(|| view! { <li class="ca-muted">{format!("… {more} {}", tr(l, "present.more"))}</li> })}</ul>
                            </li>
                        }
                    })
                    .collect_view();
                slides.push(
                    view! {
                        <h2 class="ca-slide__title">{tr(l, "present.short")}</h2>
                        {demo()}
                        <ul class="ca-slide__short">{items}</ul>
                    }
                    .into_any(),
                );
            }
        }
        slides
    };
    view! {
        <div class="ca-present" role="dialog" aria-modal="true" aria-label=move || tr(lang(), "present.open") tabindex="-1" node_ref=dialog data-testid="present">
            {move || {
                let list = slides();
                let n = list.len();
                set_slides_n.set(n.max(1));
                let now = at.get().min(n.saturating_sub(1));
                list.into_iter()
                    .enumerate()
                    .map(|(i, s)| view! {
                        <section class=if i == now { "ca-slide ca-slide--current" } else { "ca-slide" } data-testid="slide" aria-hidden=(i != now).to_string()>
                            {s}
                            <p class="ca-slide__foot">{format!("{} {}/{n}", tr(lang(), "present.page"), i + 1)}</p>
                        </section>
                    })
                    .collect_view()
            }}
            <div class="ca-present__nav ca-noprint">
                <button class="ca-button" data-testid="present-prev" on:click=move |_| step(-1)>"◀ " {move || tr(lang(), "present.prev")}</button>
                <span class="ca-present__where" data-testid="present-where" aria-live="polite">{move || format!("{}/{}", at.get() + 1, slides_n.get())}</span>
                <button class="ca-button" data-testid="present-next" on:click=move |_| step(1)>{move || tr(lang(), "present.next")} " ▶"</button>
                <span class="ca-muted ca-present__keys">{move || tr(lang(), "present.keys")}</span>
                <button class="ca-button ca-button--ghost" data-testid="present-print" on:click=move |_| crate::io::nav::print()>{move || tr(lang(), "present.print")}</button>
                <button class="ca-button ca-button--ghost" data-testid="present-close" on:click=move |_| close.run(())>{move || tr(lang(), "present.close")}</button>
            </div>
        </div>
    }
}
