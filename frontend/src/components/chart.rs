//! 柱状图: a small bar chart drawn by the app as SVG — nothing is loaded from another site, and
//! it needs no inline styles (the CSP forbids them): sizes are SVG attributes, colours come from
//! the stylesheet by class.

use yew::prelude::*;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Stable key (a category id, a month).
    pub key: AttrValue,
    /// Written under the bar.
    pub label: AttrValue,
    /// Drawn height, in the chart's units (0 ..= `max`).
    pub value: f64,
    /// Written over the bar (e.g. "9.50", "66.67%").
    pub text: AttrValue,
    /// Extra class on the bar, for its colour (`low`, `pending` …).
    pub class: Option<&'static str>,
}

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    /// What the chart shows, for screen readers and as its caption.
    pub title: AttrValue,
    pub bars: Vec<Bar>,
    /// The value of a full-height bar (10 points, 100 %).
    pub max: f64,
    /// Written next to the top grid line (e.g. "10", "100%").
    #[prop_or_default]
    pub max_text: Option<AttrValue>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// Height of the plotting area, in SVG units.
pub const PLOT_HEIGHT: f64 = 120.0;
const TOP: f64 = 18.0;
const LEFT: f64 = 34.0;
const SLOT: f64 = 56.0;
const BAR: f64 = 30.0;
const LABELS: f64 = 78.0;

/// The drawn height of a bar of `value` when `max` is full height: proportional, never below 0
/// or above the plot.
pub fn bar_height(value: f64, max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 || !value.is_finite() {
        return 0.0;
    }
    (value.clamp(0.0, max) / max) * PLOT_HEIGHT
}

fn num(v: f64) -> String {
    format!("{v:.2}")
}

#[component]
pub fn BarChart(p: &BarChartProps) -> Html {
    let n = p.bars.len().max(1) as f64;
    let width = LEFT + n * SLOT + 8.0;
    let base = TOP + PLOT_HEIGHT;
    let height = base + LABELS;
    let grid = [0.0, 0.5, 1.0].map(|f| {
        let y = base - f * PLOT_HEIGHT;
        let tick = if f == 1.0 {
            p.max_text.clone().unwrap_or_else(|| trim_num(p.max).into())
        } else {
            trim_num(p.max * f).into()
        };
        html! {
            <g class="grid">
                <line x1={num(LEFT)} x2={num(width - 4.0)} y1={num(y)} y2={num(y)} />
                <text x={num(LEFT - 4.0)} y={num(y + 4.0)} text-anchor="end">{tick}</text>
            </g>
        }
    });
    let bars = p.bars.iter().enumerate().map(|(i, b)| {
        let h = bar_height(b.value, p.max);
        let x = LEFT + i as f64 * SLOT + (SLOT - BAR) / 2.0;
        let cx = x + BAR / 2.0;
        let label_y = base + 14.0;
        html! {
            <g class="bar-group" key={b.key.to_string()}>
                <rect class={classes!("bar", b.class)} x={num(x)} y={num(base - h)}
                    width={num(BAR)} height={num(h)} data-key={b.key.clone()}
                    data-value={b.value.to_string()}>
                    <title>{format!("{}：{}", b.label, b.text)}</title>
                </rect>
                <text class="value" x={num(cx)} y={num(base - h - 4.0)} text-anchor="middle">{b.text.clone()}</text>
                <text class="label" x={num(cx)} y={num(label_y)} text-anchor="end"
                    transform={format!("rotate(-35 {} {})", num(cx), num(label_y))}>{short_label(&b.label)}</text>
            </g>
        }
    });
    html! {
        <figure class="chart" id={p.id.clone()}>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox={format!("0 0 {} {}", num(width), num(height))}
                width={num(width)} height={num(height)} role="img" aria-label={p.title.clone()}
                font-size="11">
                { for grid }
                { for bars }
            </svg>
            <figcaption>{p.title.clone()}</figcaption>
        </figure>
    }
}

/// `10` rather than `10.00` for axis ticks; two decimals only when needed.
fn trim_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Labels under the bars: at most about six Chinese characters or twelve Latin ones wide (the
/// full label is in the bar's tooltip).
fn short_label(label: &str) -> String {
    const WIDE: usize = 12;
    let width = |c: char| if c.is_ascii() { 1 } else { 2 };
    if label.chars().map(width).sum::<usize>() <= WIDE {
        return label.to_owned();
    }
    let mut used = 0;
    let mut out = String::new();
    for c in label.chars() {
        if used + width(c) > WIDE - 2 {
            break;
        }
        used += width(c);
        out.push(c);
    }
    out.push('…');
    out
}
