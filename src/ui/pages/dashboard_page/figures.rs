//! The headline a leader reads from the back of the room (recognised, meeting every criterion,
//! in progress, drafts, by commune group) and the charts beside it, drawn from `rollup::Figures`
//! whether they came from this tablet or from the server.

use leptos::prelude::*;

use crate::domain::dashboard::{Bar, Matrix};
use crate::domain::framework::Framework;
use crate::domain::text::Lang;
use crate::ui::components::charts::BarChart;
use crate::ui::i18n::tr;

use super::{Drawn, State};

/// A count with its thousands grouped as a reader of `l` writes them ("2.079", "2,079").
pub(super) fn count(n: u64, l: Lang) -> String {
    crate::domain::text::group_digits(n, l)
}

/// "k/n (p%)", the counts grouped for `l`.
pub(super) fn of(k: u64, n: u64, l: Lang) -> String {
    let pct = (k * 100).checked_div(n).unwrap_or(0);
    format!("{}/{} ({pct}%)", count(k, l), count(n, l))
}

/// The title of commune group (or region) `id` in `fw`, or the id itself.
pub(super) fn group_title(fw: &Framework, id: &str, l: Lang) -> String {
    fw.dimension
        .values
        .iter()
        .find(|v| v.id == id)
        .map_or_else(|| id.to_string(), |v| v.title.get(l).to_string())
}

/// The headline cards: big numbers, each with what it counts.
#[component]
pub(super) fn Headline(drawn: Drawn, lang: Lang) -> impl IntoView {
    let f = &drawn.figures;
    let l = lang;
    let n = f.records;
    let in_progress = f.by_stage[1] + f.by_stage[2] + f.by_stage[3];
    let card =
        |id: &'static str, label: String, big: u64, small: String, flag: Option<String>, strong: bool| {
            view! {
                <div class=if strong { "ca-kpi ca-kpi--strong" } else { "ca-kpi" } data-testid=id>
                    <span class="ca-kpi__label">{label}</span>
                    <span class="ca-kpi__big">{count(big, l)}</span>
                    <span class="ca-kpi__small">{small}</span>
                    {flag.map(|t| view! { <span class="ca-flag ca-kpi__flag">"⚠ " {t}</span> })}
                </div>
            }
        };
    let unit = tr(l, "dash.communes_short");
    let groups = f
        .by_group
        .iter()
        .map(|(g, k, met)| {
            view! {
                <li>
                    <span class="ca-kpi__group">{group_title(&drawn.fw, g, l)}</span>
                    <span>{format!("{} {unit} · {} {}", count(*k, l), count(*met, l), tr(l, "kpi.met_short"))}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="ca-dash__scope" data-testid="dash-scope">{drawn.scope.clone()}</p>
        {(drawn.left_out > 0).then(|| view! {
            <p class="ca-dash__source ca-dash__source--stale" role="status" data-testid="dash-left-out">
                {format!("{} {}", count(drawn.left_out, l), tr(l, "dash.source.left_out"))}
            </p>
        })}
        <div class="ca-kpis" data-testid="dash-headline">
            {card("kpi-recognised", tr(l, "kpi.recognised"), f.by_stage[4], of(f.by_stage[4], n, l), None, true)}
            {card("kpi-met", tr(l, "kpi.met"), f.all_met, format!("{} · {}", of(f.all_met, n, l), tr(l, "kpi.met.note")), drawn.provisional.then(|| tr(l, "kpi.provisional")), true)}
            {card("kpi-progress", tr(l, "kpi.in_progress"), in_progress, of(in_progress, n, l), None, false)}
            {card("kpi-draft", tr(l, "kpi.draft"), f.by_stage[0], of(f.by_stage[0], n, l), None, false)}
            <div class="ca-kpi ca-kpi--groups" data-testid="kpi-groups">
                <span class="ca-kpi__label">{tr(l, "kpi.groups")}</span>
                <ul class="ca-kpi__list">{groups}</ul>
            </div>
        </div>
    }
}

/// The one-line summary under the headline (this tablet's matrix): every stage counted, "đạt
/// chuẩn" only for recognised communes.
pub(super) fn summary_line(m: &Matrix, l: Lang) -> String {
    let n = m.rows.len();
    let stages = crate::domain::dashboard::STAGES
        .iter()
        .zip(m.by_stage)
        .map(|(s, k)| format!("{}: {k}", s.label(l)))
        .collect::<Vec<_>>()
        .join(" · ");
    format!(
        "{}/{n} {} · {}/{n} {} · {stages}",
        m.recognised,
        tr(l, "dash.recognised"),
        m.communes_met,
        tr(l, "dash.communes_met"),
    )
}

/// The history chart: communes meeting every criterion round by round, a round across the
/// 01/07/2025 merger split by units list (this tablet's records only).
pub(super) fn rounds_chart(
    state: State,
    fw: &Framework,
    m: &Matrix,
    province: &str,
    group: &str,
    l: Lang,
) -> Vec<Bar> {
    let units = crate::state::browser::units(state);
    let rounds = state.assessments().with_untracked(|all| {
        let picked = all.values().filter(|a| {
            (province.is_empty()
                || crate::domain::text::name_key(&a.commune.province)
                    == crate::domain::text::name_key(province))
                && (group.is_empty() || a.dimension_value == group)
        });
        units.with_untracked(|lists| crate::domain::dashboard::by_round(fw, picked, m, lists))
    });
    rounds
        .iter()
        .map(|r| {
            let split = rounds.iter().filter(|o| o.round == r.round).count() > 1;
            let label = match (&r.units, split) {
                (Some(id), true) => units.with_untracked(|lists| {
                    lists.iter().find(|u| &u.id == id).map_or_else(
                        || format!("{} · {id}", r.round),
                        |u| {
                            format!(
                                "{} · {} ({})",
                                r.round,
                                u.province.name,
                                u.period_text(&tr(l, "new.units.now"))
                            )
                        },
                    )
                }),
                (None, true) => format!("{} · {}", r.round, tr(l, "dash.rounds.other_units")),
                _ => r.round.to_string(),
            };
            Bar { label, value: r.met }
        })
        .collect()
}

/// The charts: stages, the share meeting each criterion, by group; from this tablet also the
/// distribution of criteria met and the rounds.
#[component]
pub(super) fn Charts(drawn: Drawn, lang: Lang, rounds: Option<Vec<Bar>>) -> impl IntoView {
    let l = lang;
    let f = &drawn.figures;
    let n = usize::try_from(f.records).unwrap_or(usize::MAX);
    let note = if drawn.provisional { tr(l, "dash.chart.provisional") } else { String::new() };
    let count = |k: u64| usize::try_from(k).unwrap_or(usize::MAX);
    let stage_bars = crate::domain::dashboard::STAGES
        .iter()
        .zip(f.by_stage)
        .map(|(s, k)| Bar { label: s.label(l).to_string(), value: count(k) })
        .collect::<Vec<_>>();
    let title_of =
        |id: &str| drawn.fw.criteria.iter().find(|c| c.id == id).map(|c| c.title.get(l).to_string());
    let crit_bars = f
        .per_criterion
        .iter()
        .map(|(id, k)| {
            let label = match title_of(id) {
                Some(t) if drawn.fw.criteria.len() <= 12 => format!("{id}. {t}"),
                _ => format!("{} {id}", tr(l, "report.criterion")),
            };
            Bar { label, value: count(*k) }
        })
        .collect::<Vec<_>>();
    // Names of the criteria (a set of a dozen or fewer) need room; ids alone do not.
    let label_width = if drawn.fw.criteria.len() <= 12 { 330.0 } else { 210.0 };
    let group_bars = f
        .by_group
        .iter()
        .map(|(g, _, met)| Bar { label: group_title(&drawn.fw, g, l), value: count(*met) })
        .collect::<Vec<_>>();
    let distribution = drawn.matrix.as_ref().map(|m| {
        m.distribution(drawn.fw.criteria.len())
            .into_iter()
            .map(|b| Bar { label: format!("{} {}", b.label, tr(l, "dash.chart.criteria")), value: b.value })
            .collect::<Vec<_>>()
    });
    view! {
        <div class="ca-charts" data-testid="dash-charts">
            <BarChart title=tr(l, "dash.chart.stages") bars=stage_bars total=n testid="chart-stages" />
            <BarChart title=tr(l, "dash.chart.criteria_share") bars=crit_bars total=n testid="chart-criteria" note=note.clone() label_width=label_width />
            {distribution.map(|bars| view! { <BarChart title=tr(l, "dash.chart.distribution") bars=bars total=n testid="chart-distribution" note=note.clone() /> })}
            <BarChart title=tr(l, "dash.chart.groups") bars=group_bars testid="chart-groups" note=note.clone() />
            {rounds.map(|bars| view! { <BarChart title=tr(l, "dash.chart.rounds") bars=bars testid="chart-rounds" note=note.clone() label_width=330.0 /> })}
        </div>
    }
}
