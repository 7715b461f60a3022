//! 阵地自评 — a 妇女之家 against the 七有, a town rights station against the 五有, a village
//! station against the 三有 (SPEC §2.6, `shared::standards`). Each criterion is a section of its
//! sub-items: ticks, 不适用 where the table allows it, yearly counts with their minimums, and for
//! the 七有 the funds with the live “≥ 2 元 × 常住妇女” check. The preview beside it shows each
//! criterion 达标 / 未达标 with the failing sub-items, k/n and the percentage, computed by
//! `shared` on every change.

use shared::Lang;
use shared::standards::{
    Criterion, FundsCheck, Item, ItemKind, SelfAssessment, SelfAssessmentInput,
    SelfAssessmentResult, Standard,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::FormPageProps;
use crate::components::{
    Choice, ChoiceField, FormAction, SaveError, TextField, TextKind, fit_org_unit, on_flag,
    on_text, unit_choices, use_draft_form, use_fitted_unit,
};
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::storage;

/// The unit level a standard is assessed in: 妇女之家 and village stations are villages, the
/// 五有 station is the town's.
pub fn unit_level(standard: &str) -> &'static str {
    match Standard::parse(standard) {
        Ok(Standard::Five) => "town",
        _ => "village",
    }
}

/// Adds or removes `id` in a list of ids.
fn set_in(list: &mut Vec<String>, id: &str, on: bool) {
    list.retain(|x| x.trim() != id);
    if on {
        list.push(id.to_owned());
    }
}

/// Switches the standard. The answers belong to the old one (the same id means another thing
/// in another table, and funds are the 七有's only), so they are cleared; the unit stays when it
/// is of the right level.
fn switch_standard(i: &mut SelfAssessmentInput, code: String, units: &[Choice]) {
    if i.standard == code {
        return;
    }
    i.standard = code;
    i.ticked.clear();
    i.not_applicable.clear();
    i.counts.clear();
    i.annual_funds.clear();
    i.resident_women.clear();
    i.org_unit = fit_org_unit(&i.org_unit, units);
}

fn checkbox(
    name: &'static str,
    value: &str,
    label: AttrValue,
    checked: bool,
    on: Callback<bool>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        on.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
    });
    html! {
        <label class="check">
            <input type="checkbox" {name} value={value.to_owned()} {checked} {onchange} />
            {label}
        </label>
    }
}

#[component]
pub fn SelfAssessmentPage(p: &FormPageProps) -> Html {
    let lang = p.lang;
    let (form, drafts) = use_draft_form(FormKind::SelfAssessment, lang, move || {
        SelfAssessmentInput::blank(crate::new_id(), Standard::Seven, crate::today())
    });
    let units_of = {
        let units = p.units.clone();
        move |standard: &str| unit_choices(&units, unit_level(standard))
    };
    let unit_choices_now = units_of(&form.input.standard);
    use_fitted_unit(&form, unit_choices_now.clone(), |i| &mut i.org_unit);

    let today = crate::today();
    let parsed = SelfAssessment::parse(&form.input, today);
    let errors = parsed.as_ref().err();
    let err = |key: &str| -> Option<AttrValue> {
        if !form.shows(key) {
            return None;
        }
        errors
            .and_then(|e| e.get(key))
            .map(|e| AttrValue::from(e.message(lang).to_owned()))
    };
    let preview = form.input.preview(today);
    let d = form.dispatcher();
    let input = &form.input;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let standard = Standard::parse(&input.standard).ok();

    let onsubmit = {
        let form = form.clone();
        let on_queued = p.on_queued.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if SelfAssessment::parse(&form.input, crate::today()).is_err() {
                form.dispatch(FormAction::ShowAllErrors);
                focus_first_error();
                return;
            }
            let now = js_sys::Date::now();
            match storage::enqueue_page(
                FormKind::SelfAssessment,
                form.input.id,
                form.editing.as_ref().map(|e| e.version),
                &form.input,
                now,
            ) {
                Ok(()) => {
                    let standard = Standard::parse(&form.input.standard).unwrap_or(Standard::Seven);
                    let mut next =
                        SelfAssessmentInput::blank(crate::new_id(), standard, crate::today());
                    next.org_unit = form.input.org_unit.clone();
                    next.assessor = form.input.assessor.clone();
                    form.dispatch(FormAction::Replace(Box::new(next)));
                    on_queued.emit(());
                }
                Err(_) => form.dispatch(FormAction::SaveFailed),
            }
        })
    };

    let standards: Vec<Choice> = Standard::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().into(),
            label: s.label(lang).into(),
        })
        .collect();
    let on_standard = {
        let units_of = units_of.clone();
        on_text(&d, "standard", move |i, v| {
            let choices = units_of(&v);
            switch_standard(i, v, &choices)
        })
    };

    let item_control = |item: &Item, failing: bool| -> Html {
        let id = item.id;
        let label: AttrValue = item.label(lang).into();
        let control = match item.kind {
            ItemKind::Tick => checkbox(
                "ticked",
                id,
                label,
                input.ticked.iter().any(|x| x.trim() == id),
                on_flag(&d, (), move |i, on| set_in(&mut i.ticked, id, on)),
            ),
            ItemKind::TickOrNotApplicable => {
                let na = input.not_applicable.iter().any(|x| x.trim() == id);
                html! {
                    <>
                        { checkbox("ticked", id, label, input.ticked.iter().any(|x| x.trim() == id),
                            on_flag(&d, (), move |i, on| {
                                set_in(&mut i.ticked, id, on);
                                if on { set_in(&mut i.not_applicable, id, false); }
                            })) }
                        <span class="sa-na">
                            { checkbox("not_applicable", id, t("不适用", "N/A"), na,
                                on_flag(&d, (), move |i, on| {
                                    set_in(&mut i.not_applicable, id, on);
                                    if on { set_in(&mut i.ticked, id, false); }
                                })) }
                        </span>
                    </>
                }
            }
            ItemKind::AtLeast {
                min,
                unit_zh,
                unit_en,
            } => {
                let key = format!("counts.{id}");
                html! {
                    <TextField name={key.clone()} kind={TextKind::Number} required=true
                        label={match lang {
                            Lang::Zh => format!("{}（不少于 {min} {unit_zh}）", item.zh),
                            Lang::En => format!("{} (at least {min} {unit_en})", item.en),
                        }}
                        value={input.counts.get(id).cloned().unwrap_or_default()} error={err(&key)}
                        on_change={on_text(&d, key.clone(), move |i, v| {
                            if v.trim().is_empty() {
                                i.counts.remove(id);
                            } else {
                                i.counts.insert(id.to_owned(), v);
                            }
                        })} />
                }
            }
            ItemKind::Funds => {
                let check = preview.as_ref().and_then(|r| r.funds);
                html! {
                    <div class="sa-funds">
                        <p class="sa-item-label">{label}</p>
                        <div class="grid">
                            <TextField name="annual_funds" label={t("工作经费（元/年）", "Annual funds (yuan)")}
                                required=true kind={TextKind::Number} value={input.annual_funds.clone()}
                                error={err("annual_funds")}
                                on_change={on_text(&d, "annual_funds", |i, v| i.annual_funds = v)} />
                            <TextField name="resident_women" label={t("常住妇女人口（人）", "Resident women")}
                                required=true kind={TextKind::Number} value={input.resident_women.clone()}
                                error={err("resident_women")}
                                on_change={on_text(&d, "resident_women", |i, v| i.resident_women = v)} />
                        </div>
                        <FundsLine {lang} {check} />
                    </div>
                }
            }
        };
        html! {
            <div class={classes!("sa-item", failing.then_some("unmet"))} data-item={id}>
                {control}
            </div>
        }
    };

    let criterion_section = |n: usize, c: &Criterion, result: Option<&SelfAssessmentResult>| {
        let r = result.and_then(|r| r.criterion(c.id));
        let met = r.is_some_and(|r| r.met);
        let failing = |id: &str| r.is_some_and(|r| r.failures.iter().any(|f| f.item == id));
        let mut group = None;
        let items = c.items.iter().map(|item| {
            let heading = (item.group != group).then_some(item.group).flatten();
            group = item.group;
            html! {
                <>
                    if let Some(g) = heading {
                        <h5 class="sa-group">{lang.pick(g.zh, g.en)}</h5>
                    }
                    { item_control(item, failing(item.id)) }
                </>
            }
        });
        html! {
            <section class={classes!("sa-criterion", if met { "met" } else { "unmet" })} key={c.id}
                data-criterion={c.id} data-met={met.to_string()}>
                <header class="sa-head">
                    <h3>{format!("{}. ", n + 1)}{c.label(lang)}</h3>
                    <span class={classes!("sa-status", if met { "met" } else { "unmet" })}>
                        { if met { t("达标", "Met") } else { t("未达标", "Not met") } }
                    </span>
                </header>
                <p class="sa-wording"><q lang="zh-CN">{c.wording}</q><small>{"（"}{c.source}{"）"}</small></p>
                <div class="sa-items">{ for items }</div>
            </section>
        }
    };

    html! {
        <div class="std-page sa-page">
            <form class="std-form sa-form" {onsubmit} novalidate=true>
                <h2>{t("阵地建设自评", "Standards self-assessment")}</h2>
                {drafts}
                if form.save_error {
                    <SaveError {lang} />
                }
                <section>
                    <ChoiceField name="standard" label={t("自评标准", "Standard")} required=true radio=true
                        value={input.standard.clone()} choices={standards} error={err("standard")}
                        on_change={on_standard} />
                    <p class="hint">{t("切换标准会清空已填写的各项。", "Switching the standard clears the answers.")}</p>
                    <div class="grid">
                        <ChoiceField name="org_unit"
                            label={if unit_level(&input.standard) == "town" { t("所属镇（区、街道）", "Town") } else { t("所属村（社区）", "Village") }}
                            required=true value={input.org_unit.clone()} choices={unit_choices_now.clone()}
                            error={err("org_unit")}
                            on_change={on_text(&d, "org_unit", |i, v| i.org_unit = v)} />
                        <TextField name="assessed_on" label={t("自评日期", "Date")} kind={TextKind::Date} required=true
                            value={input.assessed_on.clone()} error={err("assessed_on")}
                            on_change={on_text(&d, "assessed_on", |i, v| i.assessed_on = v)} />
                        <TextField name="assessor" label={t("自评人", "Assessor")} required=true
                            value={input.assessor.clone()} error={err("assessor")}
                            on_change={on_text(&d, "assessor", |i, v| i.assessor = v)} />
                    </div>
                    if unit_choices_now.is_empty() {
                        <p class="hint">{ if unit_level(&input.standard) == "town" {
                            t("当前账号下没有镇（区、街道）单位，无法提交“五有”自评。", "This account has no town units for a “five haves” assessment.")
                        } else {
                            t("当前账号下没有村（社区）单位，无法提交此自评。", "This account has no village units for this assessment.")
                        } }</p>
                    }
                    <p class="hint">{t("次数按自评日期前十二个月计。", "Counts are for the twelve months up to the date.")}</p>
                </section>
                if let Some(s) = standard {
                    { for s.criteria().iter().enumerate().map(|(n, c)| criterion_section(n, c, preview.as_ref())) }
                }
                <section>
                    <TextField name="remarks" label={t("备注", "Remarks")} kind={TextKind::Multiline}
                        value={input.remarks.clone()} error={err("remarks")}
                        on_change={on_text(&d, "remarks", |i, v| i.remarks = v)} />
                </section>
                <div class="actions">
                    <button type="submit" class="primary">{t("提交", "Submit")}</button>
                    <small class="hint">{t(
                        "提交后进入待发送队列，联网时自动发送；草稿随时自动保存。",
                        "Submitted records wait in the outbox and are sent when online; drafts save automatically.")}</small>
                </div>
            </form>
            if let Some(r) = &preview {
                <div class="std-bar" aria-hidden="true">
                    <span>{r.standard.label(lang)}</span>
                    <span>{t("达标 ", "Met ")}<strong>{format!("{}/{}", r.met, r.total)}</strong>{format!(" · {}", r.percent_text())}</span>
                    if let Some(f) = r.funds {
                        <span class={if f.ok { "ok" } else { "pending" }}>{match lang {
                            Lang::Zh => format!("人均经费 {} 元", f.per_woman),
                            Lang::En => format!("{} yuan per woman", f.per_woman),
                        }}</span>
                    }
                </div>
            }
            <ResultPreview {lang} result={preview.clone()} />
        </div>
    }
}

fn focus_first_error() {
    gloo::timers::callback::Timeout::new(0, || {
        let doc = gloo::utils::document();
        if let Ok(Some(el)) =
            doc.query_selector(".sa-form .has-error input, .sa-form .has-error select")
        {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    })
    .forget();
}

#[derive(Properties, PartialEq)]
pub struct FundsLineProps {
    pub lang: Lang,
    pub check: Option<FundsCheck>,
    /// The element's id (a page showing the line twice gives the second another).
    #[prop_or(AttrValue::Static("funds-check"))]
    pub id: AttrValue,
}

/// 经费测算: “经费 1,600.00 元 ≥ 2 元 × 800 人 = 1,600.00 元” and the share per woman, as soon
/// as both numbers are readable.
#[component]
pub fn FundsLine(p: &FundsLineProps) -> Html {
    let lang = p.lang;
    match p.check {
        None => html! {
            <p class="funds-check pending" id={p.id.clone()} data-ok="">
                {tr(lang, "填写经费和常住妇女人口后，自动核算是否达到每人 2 元。",
                    "Enter the funds and the resident women to check 2 yuan per woman.")}
            </p>
        },
        Some(c) => html! {
            <p class={classes!("funds-check", if c.ok { "ok" } else { "short" })} id={p.id.clone()}
                data-ok={c.ok.to_string()}>
                <strong>{ if c.ok { tr(lang, "达到", "Met") } else { tr(lang, "不足", "Short") } }</strong>
                {" "}{c.explain(lang)}
                <small>{match lang {
                    Lang::Zh => format!("（人均 {} 元）", c.per_woman),
                    Lang::En => format!(" ({} yuan per woman)", c.per_woman),
                }}</small>
            </p>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct ResultPreviewProps {
    pub lang: Lang,
    pub result: Option<SelfAssessmentResult>,
}

/// 自评结果: k/n met, the percentage, and each criterion with why it fails.
#[component]
pub fn ResultPreview(p: &ResultPreviewProps) -> Html {
    let lang = p.lang;
    let Some(r) = &p.result else {
        return html! {
            <aside class="preview std-preview sa-preview" aria-live="polite">
                <h3>{tr(lang, "自评结果", "Result")}</h3>
                <p class="none">{tr(lang, "请先选择自评标准。", "Choose a standard first.")}</p>
            </aside>
        };
    };
    html! {
        <aside class="preview std-preview sa-preview" aria-live="polite">
            <h3>{tr(lang, "自评结果", "Result")}{"："}{r.standard.label(lang)}</h3>
            <div id="sa-score" class={classes!("sa-score", if r.all_met() { "met" } else { "unmet" })}
                data-met={r.met.to_string()} data-total={r.total.to_string()}>
                <strong>{format!("{}/{}", r.met, r.total)}</strong>
                <small>{ if r.all_met() { tr(lang, "全部达标", "all met") } else { tr(lang, "项达标", "met") } }</small>
                <span class="sa-percent" id="sa-percent">{r.percent_text()}</span>
            </div>
            <ul class="sa-results" id="sa-results">
                { for r.standard.criteria().iter().zip(&r.criteria).map(|(c, cr)| html! {
                    <li key={c.id} data-criterion={c.id} data-met={cr.met.to_string()}
                        class={if cr.met { "met" } else { "unmet" }}>
                        <span class="sa-mark">{ if cr.met { "✓" } else { "✗" } }</span>
                        <span class="sa-name">{c.label(lang)}</span>
                        <span class="sa-status">{ if cr.met { tr(lang, "达标", "Met") } else { tr(lang, "未达标", "Not met") } }</span>
                        if !cr.failures.is_empty() {
                            <ul class="sa-failures">
                                { for cr.failures.iter().map(|f| html! {
                                    <li data-item={f.item.clone()}>{lang.pick(&f.message, &f.message_en).to_owned()}</li>
                                }) }
                            </ul>
                        }
                    </li>
                }) }
            </ul>
        </aside>
    }
}
