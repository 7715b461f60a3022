//! 工作台: warnings, reporting completeness, statistics and the town ranking at a glance.
//!
//! Every figure is the server's (`/api/views/…`, computed by `shared` over the stored records);
//! the page only lays them out, draws them and offers them for download. Town staff see their
//! town, its villages and their own assessment; city staff and admins see every town, may
//! narrow to one, and see the year's ranking. When the server cannot be reached the page says
//! so and shows no figures; figures read before the network went away are marked with the time
//! they were read.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use shared::monthly::{ReportStatus, YearMonth};
use shared::rubric::{Rubric, Score, TownScore};
use shared::stats::{Ratio, TownStatistics};
use shared::{Lang, Severity, Warning};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{Load, LoadError, clock, url_with, use_fetch, use_fetch_all, use_online};
use crate::components::{Bar, BarChart, unit_label};
use crate::i18n::tr;
use crate::route::{Link, RecordsQuery, Route};
use crate::session::{OrgUnit, Session};

/// Months shown in the completeness grid, this one included.
pub const GRID_MONTHS: usize = 6;

// ---------------------------------------------------------------------------------------------
// Downloads: every table as the server's XLSX and CSV.

/// One download offered under a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Download {
    pub label: AttrValue,
    pub href: String,
    /// The file's name.
    pub file: String,
}

#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    pub lang: Lang,
    pub items: Vec<Download>,
}

/// 导出: the downloads offered for a table.
#[component]
pub fn Downloads(p: &DownloadsProps) -> Html {
    html! {
        <div class="downloads">
            <span class="downloads-label">{tr(p.lang, "导出：", "Download: ")}</span>
            { for p.items.iter().map(|d| html! {
                <a class="download" href={d.href.clone()} download={d.file.clone()}
                    data-file={d.file.clone()}>{d.label.clone()}</a>
            }) }
        </div>
    }
}

/// The server's export `what` as XLSX and CSV, with the same filters.
fn server_export(lang: Lang, what: &'static str, pairs: &[(&str, &str)]) -> Vec<Download> {
    ["xlsx", "csv"]
        .into_iter()
        .map(|ext| Download {
            label: format!("{} {}", label_of_export(lang, what), ext.to_uppercase()).into(),
            href: url_with(&format!("/api/export/{what}.{ext}"), pairs),
            file: format!("{what}.{ext}"),
        })
        .collect()
}

/// The dashboard's tables are exported in the page's language (`lang` left out for Chinese).
fn lang_param(lang: Lang) -> &'static str {
    lang.pick("", "en")
}

fn label_of_export(lang: Lang, what: &str) -> &'static str {
    match what {
        "assessments" => lang.pick("考核结果", "Assessment results"),
        _ => lang.pick("本表", "This table"),
    }
}

// ---------------------------------------------------------------------------------------------
// The server's views, as the app reads them.

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

impl SeverityCounts {
    pub fn of(&self, s: Severity) -> usize {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

/// The stored record a warning is about.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RecordRef {
    /// Stored kind (`visit`, `rights_case` …): a [`crate::forms::FormKind`] name.
    pub kind: String,
    pub path: String,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct WarningItem {
    #[serde(flatten)]
    pub warning: Warning,
    pub unit: String,
    pub unit_name: String,
    pub record: Option<RecordRef>,
}

/// `GET /api/views/warnings`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct WarningsView {
    pub as_of: String,
    pub unit: String,
    pub counts: SeverityCounts,
    pub warnings: Vec<WarningItem>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct VillageReport {
    pub unit: String,
    pub name: String,
    pub status: ReportStatus,
    pub received_on: Option<String>,
    pub zero_report: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TownCompleteness {
    pub town: String,
    pub town_name: String,
    pub expected: u32,
    pub on_time: u32,
    pub late: u32,
    pub zero_reports: u32,
    pub missing: u32,
    pub pending: u32,
    pub rate_text: String,
    pub villages: Vec<VillageReport>,
}

/// `GET /api/views/completeness?month=`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CompletenessView {
    pub as_of: String,
    pub month: String,
    pub due: String,
    pub towns: Vec<TownCompleteness>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct UnitStatistics {
    pub unit: String,
    pub unit_name: String,
    pub key_people: u32,
    pub key_households: u32,
    pub disputes_found: u32,
    /// A, B, C.
    pub disputes_by_category: [u32; 3],
    pub disputes_resolved: u32,
    pub calls_and_visits: u32,
    pub resolution_rate: Ratio,
    pub resolution_rate_text: String,
}

/// `GET /api/views/statistics`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct StatisticsView {
    #[serde(flatten)]
    pub total: UnitStatistics,
    pub parts: Vec<UnitStatistics>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RankingRow {
    pub rank: u32,
    pub town: String,
    pub town_name: String,
    pub raw: Score,
    pub normalised: Score,
    pub assessment_id: String,
    pub score: TownScore,
}

/// `GET /api/views/ranking`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Ranking {
    pub year: Option<u16>,
    pub full_marks: Score,
    pub towns_ranked: usize,
    pub rows: Vec<RankingRow>,
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// The last `n` months up to `today`'s, oldest first.
pub fn recent_months(today: NaiveDate, n: usize) -> Vec<YearMonth> {
    let mut months = Vec::with_capacity(n);
    let mut m = YearMonth::of(today);
    for _ in 0..n {
        months.push(m);
        let (y, mo) = if m.month() == 1 {
            (m.year() - 1, 12)
        } else {
            (m.year(), m.month() - 1)
        };
        match YearMonth::new(y, mo) {
            Some(prev) => m = prev,
            None => break,
        }
    }
    months.reverse();
    months
}

fn score_f64(s: Score) -> f64 {
    s.hundredths() as f64 / 100.0
}

const SEVERITIES: [Severity; 4] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
];

/// How one village's report for a month shows in the grid: its classes and its words.
pub fn completeness_cell(
    lang: Lang,
    status: ReportStatus,
    zero_report: Option<bool>,
) -> (&'static str, &'static str) {
    let zero = zero_report == Some(true);
    let class = match (status, zero) {
        (ReportStatus::OnTime, false) => "cell on-time",
        (ReportStatus::OnTime, true) => "cell on-time zero",
        (ReportStatus::Late, false) => "cell late",
        (ReportStatus::Late, true) => "cell late zero",
        (ReportStatus::Missing, _) => "cell missing",
        (ReportStatus::Pending, _) => "cell pending",
    };
    (class, status.label(zero, lang))
}

/// The status as the server names it (`on_time`, …), for tests and styles to find.
fn status_code(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::OnTime => "on_time",
        ReportStatus::Late => "late",
        ReportStatus::Missing => "missing",
        ReportStatus::Pending => "pending",
    }
}

#[derive(Properties, PartialEq)]
struct StateNoteProps {
    lang: Lang,
    /// `None` while loading.
    error: Option<LoadError>,
}

#[component]
fn StateNote(p: &StateNoteProps) -> Html {
    match &p.error {
        None => html! { <p class="loading">{tr(p.lang, "正在读取…", "Loading…")}</p> },
        Some(e) => html! {
            <p class={classes!("banner", "error", "load-error", matches!(e, LoadError::Offline).then_some("offline"))}
                role="alert">{e.message(p.lang)}</p>
        },
    }
}

/// The figures when ready; otherwise a note saying why not.
fn ready<T>(lang: Lang, load: &Load<T>, show: impl FnOnce(&T) -> Html) -> Html {
    match load {
        Load::Loading => html! { <StateNote {lang} error={None::<LoadError>} /> },
        Load::Failed(e) => html! { <StateNote {lang} error={Some(e.clone())} /> },
        Load::Ready { data, .. } => show(data),
    }
}

// ---------------------------------------------------------------------------------------------
// The page.

#[derive(Properties, PartialEq)]
pub struct DashboardPageProps {
    pub lang: shared::Lang,
    pub session: Session,
}

/// The filters at the top of the page.
#[derive(Clone, Debug, PartialEq)]
struct Filters {
    /// The unit the figures are about: the user's own, or (city staff) one town.
    scope: String,
    /// Statistics period, `YYYY-MM-DD`.
    from: String,
    to: String,
    /// Assessment year; blank: the latest assessed.
    year: String,
}

#[component]
pub fn DashboardPage(p: &DashboardPageProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let user = &p.session.user;
    let units = &p.session.units;
    let city = matches!(user.role.as_str(), "city" | "admin");
    let today = crate::today();
    let filters = use_state(|| Filters {
        scope: user.unit.clone(),
        from: format!("{}-01-01", today.year()),
        to: today.to_string(),
        year: String::new(),
    });
    let (online, returns) = use_online();
    let retry = use_state(|| 0u32);
    let again = returns + *retry;

    let scope_unit = units.iter().find(|u| u.id == filters.scope);
    let scope_is_town = scope_unit.is_some_and(|u| u.level == "town");
    let months = recent_months(today, GRID_MONTHS);

    let warnings = use_fetch::<WarningsView>(
        url_with("/api/views/warnings", &[("unit", &filters.scope)]),
        again,
    );
    let completeness_urls: Vec<String> = months
        .iter()
        .map(|m| {
            let town = if scope_is_town {
                filters.scope.as_str()
            } else {
                ""
            };
            url_with(
                "/api/views/completeness",
                &[("month", &m.to_string()), ("town", town)],
            )
        })
        .collect();
    let completeness = use_fetch_all::<CompletenessView>(completeness_urls, again);
    let statistics = use_fetch::<StatisticsView>(
        url_with(
            "/api/views/statistics",
            &[
                ("unit", &filters.scope),
                ("from", &filters.from),
                ("to", &filters.to),
            ],
        ),
        again,
    );
    let ranking = use_fetch::<Ranking>(
        url_with("/api/views/ranking", &[("year", &filters.year)]),
        again,
    );

    let set = |f: fn(&mut Filters, String)| {
        let filters = filters.clone();
        move |v: String| {
            let mut next = (*filters).clone();
            f(&mut next, v);
            filters.set(next);
        }
    };
    let on_scope = {
        let set = set(|f, v| f.scope = v);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_from = {
        let set = set(|f, v| f.from = v);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_to = {
        let set = set(|f, v| f.to = v);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_year = set(|f, v| f.year = v);
    let on_retry = {
        let retry = retry.clone();
        Callback::from(move |_: MouseEvent| retry.set(*retry + 1))
    };

    // Figures read earlier, now that the network is gone, are marked as such.
    let read_at = [
        ready_at(&warnings),
        ready_at(&completeness),
        ready_at(&statistics),
        ready_at(&ranking),
    ]
    .into_iter()
    .flatten()
    .reduce(f64::min);
    let loading = [
        matches!(warnings, Load::Loading),
        matches!(completeness, Load::Loading),
        matches!(statistics, Load::Loading),
        matches!(ranking, Load::Loading),
    ]
    .into_iter()
    .any(|l| l);
    let any_failed = [
        failed(&warnings),
        failed(&completeness),
        failed(&statistics),
        failed(&ranking),
    ]
    .into_iter()
    .any(|f| f);
    let as_of = match &warnings {
        Load::Ready { data, .. } => Some(data.as_of.clone()),
        _ => None,
    };
    let scope_name = scope_unit
        .map(|u| u.name.clone())
        .unwrap_or_else(|| filters.scope.clone());
    let scopes: Vec<&OrgUnit> = units
        .iter()
        .filter(|u| u.level == "city" || u.level == "town")
        .collect();

    html! {
        <div class={classes!("dashboard-page", if city { "city" } else { "town" })} id="dashboard"
            data-scope={filters.scope.clone()} data-loading={loading.to_string()}>
            <div class="dash-head">
                <h2>{t("工作台", "Dashboard")}{" · "}<span id="dash-scope">{scope_name.clone()}</span></h2>
                if let Some(d) = &as_of {
                    <span class="as-of">{t("数据截至 ", "As of ")}{d.clone()}</span>
                }
            </div>
            if !online {
                <p class="banner warn stale" id="offline-note" role="status">
                    {t("当前离线。", "You are offline. ")}
                    if let Some(at) = read_at {
                        {match lang {
                            Lang::Zh => format!("以下数据是 {} 从服务器读取的，可能不是最新；联网后自动更新。", clock(at)),
                            Lang::En => format!("The figures below were read from the server at {}; they may be out of date and are read again once back online.", clock(at)),
                        }}
                    }
                </p>
            }
            <form class="dash-filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                if city && scopes.len() > 1 {
                    <label class="field">
                        <span>{t("范围", "Scope")}</span>
                        <select id="dash-scope-select" name="scope" onchange={on_scope}>
                            { for scopes.iter().map(|u| html! {
                                <option value={u.id.clone()} selected={u.id == filters.scope}>
                                    { if u.level == "city" { format!("{}{}", u.name, lang.pick("（全市）", " (whole city)")) } else { u.name.clone() } }
                                </option>
                            }) }
                        </select>
                    </label>
                }
                <label class="field">
                    <span>{t("统计起始日期", "Statistics from")}</span>
                    <input type="date" name="from" id="dash-from" value={filters.from.clone()} onchange={on_from} />
                </label>
                <label class="field">
                    <span>{t("统计截止日期", "Statistics to")}</span>
                    <input type="date" name="to" id="dash-to" value={filters.to.clone()} onchange={on_to} />
                </label>
                if any_failed {
                    <button type="button" class="secondary" id="dash-retry" onclick={on_retry}>{t("重新读取", "Read again")}</button>
                }
            </form>

            <WarningsSection {lang} units={units.clone()} load={warnings.clone()} {city}
                scope={filters.scope.clone()} />
            <CasesSection {lang} units={units.clone()} load={warnings}
                scope={filters.scope.clone()} />
            <CompletenessSection {lang} load={completeness} {city}
                town={if scope_is_town { filters.scope.clone() } else { String::new() }} months={months.iter().map(|m| m.to_string()).collect::<Vec<_>>()} />
            <StatisticsSection {lang} load={statistics} scope={filters.scope.clone()}
                from={filters.from.clone()} to={filters.to.clone()} {city} />
            <RankingSection {lang} load={ranking} {city} year={filters.year.clone()}
                on_year={Callback::from(on_year)} />
        </div>
    }
}

fn ready_at<T>(load: &Load<T>) -> Option<f64> {
    match load {
        Load::Ready { at_ms, .. } => Some(*at_ms),
        _ => None,
    }
}

fn failed<T>(load: &Load<T>) -> bool {
    matches!(load, Load::Failed(_))
}

// ---------------------------------------------------------------------------------------------
// 预警.

#[derive(Properties, PartialEq)]
struct WarningsProps {
    lang: Lang,
    units: Vec<OrgUnit>,
    load: Load<WarningsView>,
    city: bool,
    scope: String,
}

/// The link to the record a warning is about.
fn record_link(lang: Lang, record: &Option<RecordRef>) -> Html {
    match record {
        Some(r) => html! {
            <Link to={Route::Records}
                query={RecordsQuery { kind: Some(r.kind.clone()), id: Some(r.id.clone()) }.to_query()}
                classes="open-record">
                {tr(lang, "查看记录", "Open record")}
            </Link>
        },
        None => html! { <span class="no-record">{tr(lang, "月报", "Monthly report")}</span> },
    }
}

#[component]
fn WarningsSection(p: &WarningsProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let body = ready(lang, &p.load, |v| {
        // Counts per unit and severity, units in tree order.
        let mut by_unit: BTreeMap<String, (String, [usize; 4])> = BTreeMap::new();
        for w in &v.warnings {
            let entry = by_unit
                .entry(w.unit.clone())
                .or_insert_with(|| (unit_label(&p.units, &w.unit, &w.unit_name), [0; 4]));
            let i = SEVERITIES
                .iter()
                .position(|s| *s == w.warning.severity)
                .unwrap_or(3);
            entry.1[i] += 1;
        }
        let downloads = server_export(
            lang,
            "warnings",
            &[("unit", &p.scope), ("lang", lang_param(lang))],
        );
        html! {
            <>
                <div class="counts" id="warn-counts">
                    { for SEVERITIES.iter().map(|s| html! {
                        <div class={classes!("count", format!("cnt-{}", s.code()))}
                            data-severity={s.code()} data-count={v.counts.of(*s).to_string()}>
                            <span class="n">{v.counts.of(*s)}</span>
                            <span class="what">{s.label(lang)}</span>
                        </div>
                    }) }
                </div>
                if v.warnings.is_empty() {
                    <p class="none">{t("没有未处理的预警", "No open warnings")}</p>
                } else {
                    <table class="data by-unit" id="warnings-by-unit">
                        <thead><tr>
                            <th>{if p.city { t("单位", "Unit") } else { t("村（社区）", "Village") }}</th>
                            { for SEVERITIES.iter().map(|s| html! { <th class="num">{s.label(lang)}</th> }) }
                            <th class="num">{t("合计", "Total")}</th>
                        </tr></thead>
                        <tbody>
                            { for by_unit.iter().map(|(unit, (name, n))| html! {
                                <tr data-unit={unit.clone()}>
                                    <td>{name.clone()}</td>
                                    { for n.iter().zip(SEVERITIES).map(|(c, s)| html! {
                                        <td class={classes!("num", (*c > 0).then(|| format!("has-{}", s.code())))}>{*c}</td>
                                    }) }
                                    <td class="num total">{n.iter().sum::<usize>()}</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <table class="data warnings-table" id="warnings-table">
                        <thead><tr>
                            <th>{t("严重程度", "Severity")}</th>
                            <th>{t("单位", "Unit")}</th>
                            <th>{t("预警内容", "Warning")}</th>
                            <th></th>
                        </tr></thead>
                        <tbody>
                            { for v.warnings.iter().map(|w| html! {
                                <tr class={format!("row-{}", w.warning.severity.code())}
                                    data-code={w.warning.code.as_str()} data-unit={w.unit.clone()}
                                    data-severity={w.warning.severity.code()}>
                                    <td><span class="sev">{w.warning.severity.label(lang)}</span></td>
                                    <td>{unit_label(&p.units, &w.unit, &w.unit_name)}</td>
                                    <td>{w.warning.message(lang).to_owned()}</td>
                                    <td>{record_link(lang, &w.record)}</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
                <Downloads {lang} items={downloads} />
            </>
        }
    });
    html! {
        <section class="dash-card warnings-card" id="dash-warnings">
            <h3>{t("未处理预警", "Open warnings")}</h3>
            {body}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// 维权个案到期.

#[derive(Properties, PartialEq)]
struct CasesProps {
    lang: Lang,
    units: Vec<OrgUnit>,
    load: Load<WarningsView>,
    scope: String,
}

#[component]
fn CasesSection(p: &CasesProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let body = ready(lang, &p.load, |v| {
        let cases: Vec<&WarningItem> = v
            .warnings
            .iter()
            .filter(|w| matches!(w.warning.code.as_str(), "case.overdue" | "case.due_soon"))
            .collect();
        let overdue = cases
            .iter()
            .filter(|w| w.warning.code.as_str() == "case.overdue")
            .count();
        let due_soon = cases.len() - overdue;
        let downloads = server_export(
            lang,
            "rights-cases-due",
            &[("unit", &p.scope), ("lang", lang_param(lang))],
        );
        html! {
            <>
                <div class="counts" id="case-counts">
                    <div class="count cnt-high" data-kind="overdue" data-count={overdue.to_string()}>
                        <span class="n">{overdue}</span><span class="what">{t("已逾期", "Overdue")}</span>
                    </div>
                    <div class="count cnt-medium" data-kind="due_soon" data-count={due_soon.to_string()}>
                        <span class="n">{due_soon}</span><span class="what">{t("2个工作日内到期", "Due within 2 working days")}</span>
                    </div>
                </div>
                if cases.is_empty() {
                    <p class="none">{t("没有将到期或逾期的个案", "No case is due soon or overdue")}</p>
                } else {
                    <table class="data" id="cases-table">
                        <thead><tr>
                            <th>{t("状态", "State")}</th>
                            <th>{t("单位", "Unit")}</th>
                            <th>{t("说明", "Detail")}</th>
                            <th></th>
                        </tr></thead>
                        <tbody>
                            { for cases.iter().map(|w| html! {
                                <tr data-code={w.warning.code.as_str()} data-unit={w.unit.clone()}
                                    class={format!("row-{}", w.warning.severity.code())}>
                                    <td><span class="sev">{case_state(lang, w.warning.code.as_str())}</span></td>
                                    <td>{unit_label(&p.units, &w.unit, &w.unit_name)}</td>
                                    <td>{w.warning.message(lang).to_owned()}</td>
                                    <td>{record_link(lang, &w.record)}</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
                <Downloads {lang} items={downloads} />
            </>
        }
    });
    html! {
        <section class="dash-card cases-card" id="dash-cases">
            <h3>{t("维权个案答复期限", "Rights cases: reply deadlines")}</h3>
            {body}
        </section>
    }
}

fn case_state(lang: Lang, code: &str) -> &'static str {
    if code == "case.overdue" {
        lang.pick("已逾期", "Overdue")
    } else {
        lang.pick("将到期", "Due soon")
    }
}

// ---------------------------------------------------------------------------------------------
// 上报完整率.

#[derive(Properties, PartialEq)]
pub struct CompletenessGridProps {
    pub lang: Lang,
    /// One view per month, oldest first.
    pub months: Vec<CompletenessView>,
}

/// Villages × months: how each village's monthly report stands, and each town's on-time rate.
#[component]
pub fn CompletenessGrid(p: &CompletenessGridProps) -> Html {
    let lang = p.lang;
    let Some(latest) = p.months.last() else {
        return html! {};
    };
    let many_towns = latest.towns.len() > 1;
    let find = |m: &CompletenessView, town: &str| m.towns.iter().find(|t| t.town == town).cloned();
    html! {
        <div class="grid-scroll">
        <table class="data completeness-grid" id="completeness-grid">
            <thead><tr>
                <th>{tr(lang, "村（社区）", "Village")}</th>
                { for p.months.iter().map(|m| html! {
                    <th class="month" data-month={m.month.clone()} title={format!("{}{}", lang.pick("截止 ", "due "), m.due)}>{m.month.clone()}</th>
                }) }
            </tr></thead>
            { for latest.towns.iter().map(|town| html! {
                <tbody data-town={town.town.clone()}>
                    if many_towns {
                        <tr class="town-head"><th colspan={(p.months.len() + 1).to_string()}>{town.town_name.clone()}</th></tr>
                    }
                    { for town.villages.iter().map(|v| html! {
                        <tr data-unit={v.unit.clone()}>
                            <th class="village">{v.name.clone()}</th>
                            { for p.months.iter().map(|m| {
                                let report = find(m, &town.town)
                                    .and_then(|t| t.villages.into_iter().find(|x| x.unit == v.unit));
                                match report {
                                    Some(r) => {
                                        let (class, word) = completeness_cell(lang, r.status, r.zero_report);
                                        let title = r.received_on.as_ref().map(|d| format!("{}{d}", lang.pick("收到于 ", "received "))) ;
                                        html! {
                                            <td class={class} data-unit={v.unit.clone()} data-month={m.month.clone()}
                                                data-status={status_code(r.status)} data-zero={r.zero_report.unwrap_or(false).to_string()}
                                                {title}>{word}</td>
                                        }
                                    }
                                    None => html! { <td class="cell unknown">{"—"}</td> },
                                }
                            }) }
                        </tr>
                    }) }
                    <tr class="rate-row">
                        <th>{tr(lang, "按时上报率", "On-time rate")}</th>
                        { for p.months.iter().map(|m| match find(m, &town.town) {
                            Some(t) => html! {
                                <td class="rate" data-town={t.town.clone()} data-month={m.month.clone()}
                                    data-on-time={t.on_time.to_string()} data-expected={t.expected.to_string()}
                                    title={format!("{} {} · {} {} · {} {} · {} {}",
                                        lang.pick("迟报", "late"), t.late, lang.pick("零上报", "zero"), t.zero_reports,
                                        lang.pick("未报", "missing"), t.missing, lang.pick("未到期", "pending"), t.pending)}>
                                    { if t.pending == t.expected && t.expected > 0 {
                                        lang.pick("未到期", "Not yet due").to_owned()
                                    } else {
                                        format!("{}/{} · {}", t.on_time, t.expected, t.rate_text)
                                    } }
                                </td>
                            },
                            None => html! { <td class="rate">{"—"}</td> },
                        }) }
                    </tr>
                </tbody>
            }) }
        </table>
        </div>
    }
}

/// The on-time rate of every town in `m` together, as a bar.
pub fn completeness_bar(lang: Lang, m: &CompletenessView) -> Bar {
    let (on, expected, pending) = m.towns.iter().fold((0, 0, 0), |(a, b, c), t| {
        (
            a + u64::from(t.on_time),
            b + u64::from(t.expected),
            c + u64::from(t.pending),
        )
    });
    let ratio = Ratio::new(on, expected);
    let all_pending = expected > 0 && pending == expected;
    Bar {
        key: m.month.clone().into(),
        label: m.month.clone().into(),
        value: ratio
            .percent_hundredths()
            .map(|h| h as f64 / 100.0)
            .unwrap_or(0.0),
        text: if all_pending {
            lang.pick("未到期", "Not due").into()
        } else {
            ratio.percent_text().into()
        },
        class: Some(if all_pending {
            "pending"
        } else if on < expected {
            "low"
        } else {
            "full"
        }),
    }
}

#[derive(Properties, PartialEq)]
struct CompletenessProps {
    lang: Lang,
    load: Load<Vec<CompletenessView>>,
    city: bool,
    /// The town the grid is narrowed to; blank for every town in the user's units.
    town: String,
    months: Vec<String>,
}

#[component]
fn CompletenessSection(p: &CompletenessProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let body = ready(lang, &p.load, |views| {
        let bars: Vec<Bar> = views.iter().map(|m| completeness_bar(lang, m)).collect();
        let downloads = server_export(
            lang,
            "completeness",
            &[
                ("town", &p.town),
                ("from", p.months.first().map_or("", String::as_str)),
                ("to", p.months.last().map_or("", String::as_str)),
                ("lang", lang_param(lang)),
            ],
        );
        let title = if p.city {
            t(
                "各月按时上报率（全部镇）",
                "On-time rate per month (all towns)",
            )
        } else {
            t("各月按时上报率", "On-time rate per month")
        };
        html! {
            <>
                <div class="legend">
                    { for [
                        (ReportStatus::OnTime, false),
                        (ReportStatus::OnTime, true),
                        (ReportStatus::Late, false),
                        (ReportStatus::Missing, false),
                        (ReportStatus::Pending, false),
                    ].into_iter().map(|(status, zero)| {
                        let (class, word) = completeness_cell(lang, status, Some(zero));
                        html! { <span class={classes!("key", class)}>{word}</span> }
                    }) }
                    <small class="hint">{t("每月8日前报上月月报；零上报也须按时上报。", "Reports are due on the 8th of the next month; a zero report is due too.")}</small>
                </div>
                <CompletenessGrid {lang} months={views.to_vec()} />
                <BarChart id="completeness-chart" title={title} bars={bars} max={100.0}
                    max_text={Some(AttrValue::from("100%"))} />
                <Downloads {lang} items={downloads} />
            </>
        }
    });
    html! {
        <section class="dash-card completeness-card" id="dash-completeness">
            <h3>{t("月报上报完整率（近6个月）", "Monthly reports: completeness (last 6 months)")}</h3>
            {body}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// 统计 (SPEC §7).

#[derive(Properties, PartialEq)]
struct StatisticsProps {
    lang: Lang,
    load: Load<StatisticsView>,
    scope: String,
    from: String,
    to: String,
    city: bool,
}

/// The figures of SPEC §7 (key, label, value), in the order of the table and its export.
fn stat_cells(lang: Lang, s: &UnitStatistics) -> Vec<(&'static str, &'static str, String)> {
    let [a, b, c] = s.disputes_by_category;
    let counts = [
        s.key_people,
        s.key_households,
        s.disputes_found,
        a,
        b,
        c,
        s.disputes_resolved,
        s.calls_and_visits,
    ];
    let values = counts
        .iter()
        .map(u32::to_string)
        .chain([s.resolution_rate_text.clone()]);
    TownStatistics::FIGURES
        .iter()
        .zip(values)
        .map(|((key, zh, en), value)| (*key, lang.pick(zh, en), value))
        .collect()
}

#[component]
fn StatisticsSection(p: &StatisticsProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let body = ready(lang, &p.load, |v| {
        let total = stat_cells(lang, &v.total);
        let downloads = server_export(
            lang,
            "statistics",
            &[
                ("unit", &p.scope),
                ("from", &p.from),
                ("to", &p.to),
                ("lang", lang_param(lang)),
            ],
        );
        html! {
            <>
                <p class="period">{t("统计期间：", "Period: ")}{format!("{} — {}", p.from, p.to)}</p>
                <div class="figures" id="stat-figures">
                    { for total.iter().map(|(key, label, value)| html! {
                        <div class={classes!("figure", format!("fig-{key}"))} id={format!("stat-{key}")} data-value={value.clone()}>
                            <span class="n">{value.clone()}</span>
                            <span class="what">{*label}</span>
                        </div>
                    }) }
                </div>
                if !v.parts.is_empty() {
                    <table class="data stats-table" id="stats-table">
                        <thead><tr>
                            <th>{if p.city { t("单位", "Unit") } else { t("村（社区）", "Village") }}</th>
                            { for total.iter().map(|(_, label, _)| html! { <th class="num">{*label}</th> }) }
                        </tr></thead>
                        <tbody>
                            { for v.parts.iter().map(|s| html! {
                                <tr data-unit={s.unit.clone()}>
                                    <td>{s.unit_name.clone()}</td>
                                    { for stat_cells(lang, s).into_iter().map(|(key, _, value)| html! {
                                        <td class="num" data-key={key}>{value}</td>
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                        <tfoot>
                            <tr data-unit={v.total.unit.clone()}>
                                <th>{t("合计", "Total")}</th>
                                { for total.iter().map(|(key, _, value)| html! { <td class="num" data-key={*key}>{value.clone()}</td> }) }
                            </tr>
                        </tfoot>
                    </table>
                }
                <Downloads {lang} items={downloads} />
            </>
        }
    });
    html! {
        <section class="dash-card stats-card" id="dash-statistics">
            <h3>{t("排查化解统计", "Screening and resolution statistics")}</h3>
            {body}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// 年度考核.

/// One bar per category of a town's score, heights proportional to the points scored.
pub fn category_bars(lang: Lang, score: &TownScore) -> Vec<Bar> {
    let rubric = Rubric::builtin();
    score
        .categories
        .iter()
        .map(|c| {
            let name = match lang {
                Lang::Zh => c.name.clone(),
                Lang::En => rubric
                    .categories
                    .iter()
                    .find(|r| r.id == c.id)
                    .map(|r| r.name_en.clone())
                    .unwrap_or_else(|| c.name.clone()),
            };
            Bar {
                key: c.id.clone().into(),
                label: name.into(),
                value: score_f64(c.score),
                text: c.score.to_string().into(),
                class: Some(if c.score < c.points { "low" } else { "full" }),
            }
        })
        .collect()
}

/// One bar per town, its normalised score.
pub fn town_bars(rows: &[RankingRow]) -> Vec<Bar> {
    rows.iter()
        .map(|r| Bar {
            key: r.town.clone().into(),
            label: r.town_name.clone().into(),
            value: score_f64(r.normalised),
            text: r.normalised.to_string().into(),
            class: None,
        })
        .collect()
}

/// The highest points of any category (10 in the 2018 rubric): a full bar.
pub fn category_max(score: &TownScore) -> f64 {
    score
        .categories
        .iter()
        .map(|c| score_f64(c.points))
        .fold(0.0, f64::max)
}

#[derive(Properties, PartialEq)]
struct RankingProps {
    lang: Lang,
    load: Load<Ranking>,
    city: bool,
    year: String,
    on_year: Callback<String>,
}

#[component]
fn RankingSection(p: &RankingProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let chosen = use_state(|| None::<String>);
    let year_input = {
        let on_year = p.on_year.clone();
        let onchange = Callback::from(move |e: Event| {
            on_year.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        });
        html! {
            <label class="field year">
                <span>{t("考核年度", "Year")}</span>
                <input type="text" inputmode="numeric" name="year" id="dash-year" value={p.year.clone()}
                    placeholder={t("最近一年", "Latest")} {onchange} />
            </label>
        }
    };
    let body = ready(lang, &p.load, |r| {
        let Some(year) = r.year else {
            return html! { <p class="none">{t("还没有镇年度考核记录", "No town has been assessed yet")}</p> };
        };
        if r.rows.is_empty() {
            return html! { <p class="none">{t("本年度没有考核结果", "No results for this year")}</p> };
        }
        let shown = chosen
            .as_ref()
            .and_then(|c| r.rows.iter().find(|row| &row.town == c))
            .unwrap_or(&r.rows[0]);
        let downloads = server_export(lang, "assessments", &[("year", &year.to_string())]);
        let bonus = |s: &TownScore| {
            if s.bonus_raw != s.bonus {
                format!(
                    "{}{}{}）",
                    s.bonus,
                    lang.pick("（封顶，原", " (capped; was "),
                    s.bonus_raw
                )
            } else {
                s.bonus.to_string()
            }
        };
        let chart_title = match lang {
            Lang::Zh => format!("{} {} 年度各项得分", shown.town_name, year),
            Lang::En => format!("{} {year}: points per category", shown.town_name),
        };
        let deductions: Vec<(String, String)> = shown
            .score
            .categories
            .iter()
            .flat_map(|c| c.deductions.iter())
            .map(|d| {
                let name = Rubric::builtin()
                    .item(&d.item)
                    .map(|(c, i)| match lang {
                        Lang::Zh => format!("{} · {}", c.name, i.name),
                        Lang::En => format!("{} · {}", c.name_en, i.name_en),
                    })
                    .unwrap_or_else(|| d.item.clone());
                (name, d.points.to_string())
            })
            .collect();
        html! {
            <>
                if p.city {
                    <table class="data ranking-table" id="ranking-table">
                        <thead><tr>
                            <th class="num">{t("名次", "Rank")}</th>
                            <th>{t("镇（街道）", "Town")}</th>
                            <th class="num">{t("折算后得分", "Normalised")}</th>
                            <th class="num">{t("原始得分", "Raw score")}</th>
                            <th class="num">{t("各项合计", "Categories")}</th>
                            <th class="num">{t("加分", "Bonus")}</th>
                            <th></th>
                        </tr></thead>
                        <tbody>
                            { for r.rows.iter().map(|row| {
                                let town = row.town.clone();
                                let chosen = chosen.clone();
                                let onclick = Callback::from(move |_: MouseEvent| chosen.set(Some(town.clone())));
                                html! {
                                    <tr data-town={row.town.clone()} class={classes!((row.town == shown.town).then_some("chosen"))}>
                                        <td class="num rank">{row.rank}</td>
                                        <td>{row.town_name.clone()}</td>
                                        <td class="num normalised">{row.normalised.to_string()}</td>
                                        <td class="num raw">{row.raw.to_string()}</td>
                                        <td class="num base">{row.score.base.to_string()}</td>
                                        <td class="num bonus">{bonus(&row.score)}</td>
                                        <td><button type="button" class="link show-categories" {onclick}>{t("看分项", "Categories")}</button></td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                } else {
                    <div class="own-rank" id="own-rank" data-rank={shown.rank.to_string()}
                        data-normalised={shown.normalised.to_string()} data-raw={shown.raw.to_string()}>
                        <div class="figure"><span class="n">{format!("{}/{}", shown.rank, r.towns_ranked)}</span>
                            <span class="what">{t("全市名次", "City-wide rank")}</span></div>
                        <div class="figure"><span class="n">{shown.normalised.to_string()}</span>
                            <span class="what">{t("折算后得分", "Normalised score")}</span></div>
                        <div class="figure"><span class="n">{shown.raw.to_string()}</span>
                            <span class="what">{t("原始得分", "Raw score")}</span></div>
                        <div class="figure"><span class="n">{shown.score.base.to_string()}</span>
                            <span class="what">{t("各项合计", "Categories")}</span></div>
                        <div class="figure"><span class="n">{bonus(&shown.score)}</span>
                            <span class="what">{t("加分", "Bonus")}</span></div>
                    </div>
                }
                <div class="charts">
                    <BarChart id="category-chart" title={AttrValue::from(chart_title)}
                        bars={category_bars(lang, &shown.score)} max={category_max(&shown.score)} />
                    if p.city {
                        <BarChart id="towns-chart" title={t("各镇折算后得分", "Normalised score per town")}
                            bars={town_bars(&r.rows)} max={score_f64(r.full_marks)} />
                    }
                </div>
                if !deductions.is_empty() {
                    <details class="deductions" id="deductions">
                        <summary>{t("扣分明细", "Deductions")}{format!("（{}）", shown.town_name)}</summary>
                        <ul>
                            { for deductions.iter().map(|(name, points)| html! {
                                <li><span>{name.clone()}</span><span class="num">{format!("−{points}")}</span></li>
                            }) }
                        </ul>
                    </details>
                }
                <Downloads {lang} items={downloads} />
            </>
        }
    });
    let year_text = match &p.load {
        Load::Ready { data, .. } => data.year.map(|y| y.to_string()),
        _ => None,
    };
    html! {
        <section class="dash-card ranking-card" id="dash-ranking">
            <div class="card-head">
                <h3>
                    { if p.city { t("镇（街道）年度考核排名", "Town annual assessment ranking") }
                      else { t("本镇年度考核", "Our annual assessment") } }
                    if let Some(y) = year_text { <span class="year-tag" id="ranking-year">{y}</span> }
                </h3>
                {year_input}
            </div>
            {body}
        </section>
    }
}
