//! 月报（含零上报） — 000 二.2: "对议事中排查发现的问题和线索要每月填表上报（如没有也要进行零上报）".
//!
//! One report per village and month (SPEC §2.4). A zero report says explicitly that nothing new
//! was found: ticking it sets the three new-item counts to 0 and locks them. A count already
//! typed is not wiped by the tick: it keeps its value and its message says it must be 0, so
//! nothing typed disappears without the user seeing it. The preview shows the due date
//! (`ReportingRules`, computed by `shared`), whether the report would be on time if sent today,
//! the new items and what stays open at the month's end.

use std::rc::Rc;

use chrono::{Datelike, NaiveDate};
use shared::Lang;
use shared::monthly::{MonthlyReport, MonthlyReportInput, ReportingRules, YearMonth};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::FormPageProps;
use crate::components::{
    Check, Choice, ChoiceField, FormAction, SaveError, on_flag, on_text, unit_choices,
    use_draft_form, use_fitted_unit,
};
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::storage;

/// The three new-item counts, by category A/B/C: field key and label.
pub const NEW_ITEM_FIELDS: [(&str, &str, &str); 3] = [
    (
        "new_a",
        "新发现A类（婚姻家庭纠纷）",
        "New A (marriage & family disputes)",
    ),
    (
        "new_b",
        "新发现B类（家庭暴力）",
        "New B (domestic violence)",
    ),
    (
        "new_c",
        "新发现C类（未成年人性侵线索）",
        "New C (clues of sexual abuse of minors)",
    ),
];

/// The month before `today`'s: the month a report is usually for.
pub fn last_month(today: NaiveDate) -> YearMonth {
    let first = today.with_day(1).expect("every month has a first day");
    YearMonth::of(first.pred_opt().expect("not the first day of time"))
}

/// A new report for last month.
pub fn blank_report(id: uuid::Uuid, today: NaiveDate) -> MonthlyReportInput {
    MonthlyReportInput {
        id,
        month: last_month(today).to_string(),
        ..Default::default()
    }
}

/// Ticks or unticks 零上报. Ticking sets the blank new-item counts to 0; a count already typed
/// keeps its value (its message then says a zero report needs 0 there).
pub fn set_zero_report(input: &mut MonthlyReportInput, zero: bool) {
    input.zero_report = zero;
    if zero {
        for n in [&mut input.new_a, &mut input.new_b, &mut input.new_c] {
            if n.trim().is_empty() {
                *n = "0".into();
            }
        }
    }
}

/// A count as typed, read leniently: blank is 0, anything that is not a whole number is unknown.
fn lenient_count(raw: &str) -> Option<u32> {
    let t = raw.trim();
    if t.is_empty() {
        Some(0)
    } else {
        t.parse().ok()
    }
}

/// What the preview shows, from a form that may be half filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportPreview {
    pub month: Option<YearMonth>,
    /// 应报日期 (`ReportingRules::default().due_date`).
    pub due: Option<NaiveDate>,
    /// Sent today, would it be on time?
    pub on_time_today: Option<bool>,
    /// Days from today to the due date: negative once past.
    pub days_to_due: Option<i64>,
    /// The month has not ended yet.
    pub month_open: bool,
    /// A + B + C, once all three read.
    pub new_total: Option<u32>,
    /// 月末未化解 = carried over + new − resolved; negative when more are resolved than open.
    pub open_at_end: Option<i64>,
}

pub fn report_preview(input: &MonthlyReportInput, today: NaiveDate) -> ReportPreview {
    let month = input.month.parse::<YearMonth>().ok();
    let due = month.map(|m| ReportingRules::default().due_date(m));
    let counts = [&input.new_a, &input.new_b, &input.new_c].map(|n| lenient_count(n));
    let new_total = counts
        .iter()
        .try_fold(0u32, |sum, n| n.map(|n| sum.saturating_add(n)));
    let open_at_end = match (
        lenient_count(&input.carried_over),
        new_total,
        lenient_count(&input.resolved),
    ) {
        (Some(c), Some(n), Some(r)) => Some(i64::from(c) + i64::from(n) - i64::from(r)),
        _ => None,
    };
    ReportPreview {
        month,
        due,
        on_time_today: due.map(|d| today <= d),
        days_to_due: due.map(|d| (d - today).num_days()),
        month_open: month.is_some_and(|m| m >= YearMonth::of(today)),
        new_total,
        open_at_end,
    }
}

#[derive(Properties, PartialEq)]
struct InputProps {
    name: AttrValue,
    label: AttrValue,
    value: AttrValue,
    on_change: Callback<String>,
    #[prop_or_default]
    error: Option<AttrValue>,
    #[prop_or_default]
    required: bool,
    #[prop_or_default]
    disabled: bool,
    #[prop_or_default]
    hint: Option<AttrValue>,
    /// `month` (`YYYY-MM`) or a whole number.
    #[prop_or_default]
    month: Option<AttrValue>,
}

/// A labelled count or month input with its message underneath (like `TextField`, which has
/// neither a month input nor a locked state).
#[component]
fn NumberField(p: &InputProps) -> Html {
    let id = format!("f-{}", p.name);
    let error_id = format!("{id}-error");
    let cb = p.on_change.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    let control = match &p.month {
        Some(max) => html! {
            <input id={id.clone()} type="month" name={p.name.clone()} value={p.value.clone()}
                max={max.clone()} placeholder="YYYY-MM" {oninput}
                aria-invalid={p.error.is_some().then_some("true")}
                aria-describedby={p.error.as_ref().map(|_| error_id.clone())} />
        },
        None => html! {
            <input id={id.clone()} type="text" inputmode="numeric" name={p.name.clone()}
                value={p.value.clone()} disabled={p.disabled} {oninput}
                aria-invalid={p.error.is_some().then_some("true")}
                aria-describedby={p.error.as_ref().map(|_| error_id.clone())} />
        },
    };
    html! {
        <div class={classes!("field", p.error.is_some().then_some("has-error"), p.disabled.then_some("locked"))}>
            <label for={id.clone()}>
                {p.label.clone()}
                if p.required { <span class="req" aria-hidden="true">{"*"}</span> }
            </label>
            {control}
            if let Some(hint) = &p.hint { <small class="hint">{hint.clone()}</small> }
            if let Some(err) = &p.error {
                <small class="error" id={error_id} role="alert">{err.clone()}</small>
            }
        </div>
    }
}

#[component]
pub fn MonthlyReportPage(p: &FormPageProps) -> Html {
    let lang = p.lang;
    let (form, drafts) = use_draft_form(FormKind::MonthlyReport, lang, move || {
        blank_report(crate::new_id(), crate::today())
    });
    let villages: Vec<Choice> = unit_choices(&p.units, "village");
    use_fitted_unit(&form, villages.clone(), |i| &mut i.org_unit);

    let today = crate::today();
    let parsed = MonthlyReport::parse(&form.input, today);
    let errors = parsed.as_ref().err();
    let err = |key: &str| -> Option<AttrValue> {
        if !form.shows(key) {
            return None;
        }
        errors
            .and_then(|e| e.get(key))
            .map(|e| AttrValue::from(e.message(lang).to_owned()))
    };
    let preview = report_preview(&form.input, today);
    let d = form.dispatcher();
    let input = &form.input;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);

    let onsubmit = {
        let form = form.clone();
        let on_queued = p.on_queued.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if MonthlyReport::parse(&form.input, crate::today()).is_err() {
                form.dispatch(FormAction::ShowAllErrors);
                focus_first_error();
                return;
            }
            let input = &form.input;
            match storage::enqueue_page(
                FormKind::MonthlyReport,
                input.id,
                form.editing.as_ref().map(|e| e.version),
                input,
                js_sys::Date::now(),
            ) {
                Ok(()) => {
                    let mut next = blank_report(crate::new_id(), crate::today());
                    next.org_unit = input.org_unit.clone();
                    form.dispatch(FormAction::Replace(Box::new(next)));
                    on_queued.emit(());
                }
                Err(_) => form.dispatch(FormAction::SaveFailed),
            }
        })
    };

    let on_zero = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let zero = e.target_unchecked_into::<HtmlInputElement>().checked();
            d.dispatch(FormAction::Edit {
                // The counts' messages show at once: a zero report with a count typed is wrong.
                keys: NEW_ITEM_FIELDS.iter().map(|f| f.0.to_owned()).collect(),
                apply: Rc::new(move |i| set_zero_report(i, zero)),
            })
        })
    };

    let counts = [&input.new_a, &input.new_b, &input.new_c];
    let new_items = NEW_ITEM_FIELDS
        .iter()
        .zip(counts)
        .map(|(&(key, zh, en), value)| {
            let locked = input.zero_report && value.trim() == "0";
            let setter: fn(&mut MonthlyReportInput, String) = match key {
                "new_a" => |i, v| i.new_a = v,
                "new_b" => |i, v| i.new_b = v,
                _ => |i, v| i.new_c = v,
            };
            html! {
                <NumberField name={key} label={t(zh, en)} value={value.clone()} disabled={locked}
                    error={err(key)} on_change={on_text(&d, key, setter)}
                    hint={locked.then(|| t("零上报：为0", "Zero report: 0"))} />
            }
        });
    let max_month = YearMonth::of(today).to_string();
    let all_zero = preview.new_total == Some(0)
        && counts.iter().all(|c| !c.trim().is_empty())
        && !input.zero_report;

    html! {
        <div class="rc-page report-page">
            <form class="rc-form report-form" {onsubmit} novalidate=true>
                <h2>{t("妇女议事会排查月报（含零上报）", "Monthly report (incl. zero report)")}</h2>
                {drafts}
                if form.save_error {
                    <SaveError {lang} />
                }
                <section>
                    <div class="grid">
                        <ChoiceField name="org_unit" label={t("所属村（社区）", "Village")} required=true
                            value={input.org_unit.clone()} choices={villages.clone()} error={err("org_unit")}
                            on_change={on_text(&d, "org_unit", |i, v| i.org_unit = v)} />
                        <NumberField name="month" label={t("报告月份", "Month")} required=true
                            value={input.month.clone()} month={AttrValue::from(max_month)}
                            error={err("month")} on_change={on_text(&d, "month", |i, v| i.month = v)}
                            hint={t("默认为上个月", "Last month by default")} />
                    </div>
                    if villages.is_empty() {
                        <p class="hint">{t("当前账号下没有村（社区）单位，无法提交月报。",
                            "This account has no village units: monthly reports cannot be submitted.")}</p>
                    }
                </section>
                <section class={classes!("zero-box", input.zero_report.then_some("on"))}>
                    <label class="check zero-check">
                        <input type="checkbox" name="zero_report" checked={input.zero_report} onchange={on_zero} />
                        <strong>{t("零上报", "Zero report")}</strong>
                        {t("（本月排查未发现新的矛盾纠纷、家庭暴力和未成年人性侵线索）",
                            " (nothing new found this month)")}
                    </label>
                    <p class="zero-rule" id="zero-rule">{t(
                        "没有发现也要零上报；未报不等于零上报。",
                        "Report even when nothing was found: a missing report is not a zero report.")}</p>
                    if input.zero_report {
                        <p class="hint" id="zero-on">{t(
                            "已勾选零上报：三类新发现均应为0，已锁定。",
                            "Zero report: the three new-item counts are 0 and locked.")}</p>
                    } else if all_zero {
                        <p class="hint" id="zero-suggest">{t(
                            "三类新发现都是0？请勾选“零上报”，明确报告本月没有发现。",
                            "All three counts are 0? Tick “zero report” to say so explicitly.")}</p>
                    }
                </section>
                <section>
                    <h3>{t("本月排查情况", "This month")}</h3>
                    <div class="grid">
                        <NumberField name="households_visited" label={t("走访户数", "Households visited")}
                            value={input.households_visited.clone()} error={err("households_visited")}
                            on_change={on_text(&d, "households_visited", |i, v| i.households_visited = v)} />
                    </div>
                    <div class="grid new-items">
                        { for new_items }
                    </div>
                    <div class="grid">
                        <NumberField name="carried_over" label={t("上月结转未化解", "Carried over unresolved")}
                            value={input.carried_over.clone()} error={err("carried_over")}
                            on_change={on_text(&d, "carried_over", |i, v| i.carried_over = v)} />
                        <NumberField name="resolved" label={t("本月化解", "Resolved this month")}
                            value={input.resolved.clone()} error={err("resolved")}
                            hint={t("不超过结转与新发现之和", "At most carried over plus new")}
                            on_change={on_text(&d, "resolved", |i, v| i.resolved = v)} />
                    </div>
                    <div class="checks">
                        <Check name="meeting_held" label={t("本月已召开议事会（原则上每月8号集中议事）",
                                "The council met this month (normally on the 8th)")}
                            checked={input.meeting_held}
                            on_change={on_flag(&d, (), |i, v| i.meeting_held = v)} />
                    </div>
                </section>
                <div class="actions">
                    <button type="submit" class="primary">{t("提交", "Submit")}</button>
                    <small class="hint">{t(
                        "提交后月报进入待发送队列，联网时自动发送；草稿随时自动保存。",
                        "Submitted reports wait in the outbox and are sent when online; drafts save automatically.")}</small>
                </div>
            </form>
            <ReportPreviewPanel {lang} preview={preview} zero={input.zero_report} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PanelProps {
    lang: Lang,
    preview: ReportPreview,
    zero: bool,
}

/// 上报预览: due date, on time if sent today, totals; recomputed on every keystroke.
#[component]
fn ReportPreviewPanel(p: &PanelProps) -> Html {
    let lang = p.lang;
    let v = &p.preview;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let dash = || "—".to_owned();
    let due = v.due.map(|d| d.to_string());
    let timing = match (v.on_time_today, v.days_to_due) {
        (Some(true), _) if v.month_open => lang
            .pick(
                "按时（本月尚未结束）",
                "On time (the month is not over yet)",
            )
            .to_owned(),
        (Some(true), Some(0)) => lang
            .pick("按时（今天截止）", "On time (due today)")
            .to_owned(),
        (Some(true), Some(n)) => match lang {
            Lang::Zh => format!("按时（还剩{n}天）"),
            Lang::En => format!("On time ({n} day(s) left)"),
        },
        (Some(false), Some(n)) => match lang {
            Lang::Zh => format!("迟报（已过应报日期{}天）", -n),
            Lang::En => format!("Late ({} day(s) past the due date)", -n),
        },
        _ => dash(),
    };
    let state = match v.on_time_today {
        Some(true) => "on-time",
        Some(false) => "late",
        None => "unknown",
    };
    html! {
        <aside class="preview report-preview" aria-live="polite">
            <h3>{t("上报预览", "Report preview")}</h3>
            <div class={classes!("kind-badge", if p.zero { "zero" } else { "items" })} id="report-kind"
                data-zero={p.zero.to_string()}>
                { if p.zero { t("零上报", "Zero report") } else { t("月报", "Monthly report") } }
            </div>
            <dl class="facts">
                <dt>{t("报告月份", "Month")}</dt>
                <dd id="report-month">{v.month.map_or_else(dash, |m| m.to_string())}</dd>
                <dt>{t("应报日期", "Due")}</dt>
                <dd id="due-date" data-date={due.clone().unwrap_or_default()}>{due.unwrap_or_else(dash)}</dd>
                <dt>{t("今天发送", "If sent today")}</dt>
                <dd id="on-time" class={state} data-on-time={v.on_time_today.map(|b| b.to_string()).unwrap_or_default()}>{timing}</dd>
                <dt>{t("新发现合计", "New items")}</dt>
                <dd id="new-total">{v.new_total.map_or_else(dash, |n| n.to_string())}</dd>
                <dt>{t("月末未化解", "Open at month end")}</dt>
                <dd id="open-at-end" class={classes!(v.open_at_end.is_some_and(|n| n < 0).then_some("bad"))}>
                    {v.open_at_end.map_or_else(dash, |n| n.to_string())}
                </dd>
            </dl>
            <p class="hint">{t(
                "月末未化解 = 上月结转 + 本月新发现 − 本月化解。每月8日前上报上月情况；逾期未报按“未报”预警，不算零上报。",
                "Open at month end = carried over + new − resolved. Reports are due on the 8th of the next month; a missing report raises a warning and never counts as a zero report.")}</p>
        </aside>
    }
}

fn focus_first_error() {
    // After the re-render that marks the fields invalid.
    gloo::timers::callback::Timeout::new(0, || {
        let doc = gloo::utils::document();
        if let Ok(Some(el)) = doc
            .query_selector(".report-form [aria-invalid=\"true\"], .report-form .has-error select")
        {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    })
    .forget();
}
