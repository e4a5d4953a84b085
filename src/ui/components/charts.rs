//! Bar charts drawn by the app as SVG (no chart library): a title, one bar per label with its
//! count written beside it, scaled to the largest bar or to a given total. Readable on a
//! projector: large type, strong contrast, the numbers always printed, not only drawn.

use leptos::prelude::*;

use crate::domain::dashboard::Bar;

/// A horizontal bar chart. `total` (when set) is what a full bar means (e.g. all communes).
#[component]
pub fn BarChart(
    title: String,
    bars: Vec<Bar>,
    #[prop(optional)] total: Option<usize>,
    #[prop(optional)] testid: &'static str,
    /// A note beside the title (e.g. "kết quả tạm tính"); empty for none.
    #[prop(optional)]
    note: String,
    /// The labels' width in the drawing's units (210 when not given): wider for long names.
    #[prop(optional)]
    label_width: Option<f64>,
) -> impl IntoView {
    let row_h = 30.0;
    let label_w = label_width.unwrap_or(210.0);
    let bar_w = 330.0;
    let height = row_h * bars.len() as f64 + 8.0;
    let max = total.unwrap_or_else(|| bars.iter().map(|b| b.value).max().unwrap_or(0)).max(1) as f64;
    let sum: usize = bars.iter().map(|b| b.value).sum();
    // Counts written as the page's reader writes them ("2.791" in Vietnamese).
    let lang = crate::state::use_app_state().lang().get_untracked();
    let count = move |n: usize| crate::domain::text::group_digits(n as u64, lang);
    let aria = format!("{title}: Σ {sum}");
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as f64 * row_h + 4.0;
            let w = (b.value as f64 / max * bar_w).max(if b.value > 0 { 2.0 } else { 0.0 });
            let text = match total {
                Some(t) => format!("{} ({:.0}%)", count(b.value), b.value as f64 * 100.0 / t.max(1) as f64),
                None => count(b.value),
            };
            view! {
                <g data-testid="chart-bar" data-value=b.value.to_string()>
                    <text x=label_w - 8.0 y=y + row_h * 0.62 text-anchor="end" class="ca-chart__label">{b.label.clone()}</text>
                    <rect x=label_w y=y + 4.0 width=w height=row_h - 10.0 rx="3" class="ca-chart__bar" />
                    <text x=label_w + w + 6.0 y=y + row_h * 0.62 class="ca-chart__value">{text}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="ca-chart" data-testid=testid data-sum=sum.to_string()>
            <figcaption class="ca-chart__title">{title} {(!note.is_empty()).then(|| view! { <span class="ca-flag">" ⚠ " {note}</span> })}</figcaption>
            <svg viewBox=format!("0 0 {} {height}", label_w + bar_w + 90.0) role="img" aria-label=aria preserveAspectRatio="xMinYMin meet">
                {rows}
            </svg>
        </figure>
    }
}
