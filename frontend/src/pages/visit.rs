//! 排查登记表 — the visit record form (000 附件3), with a live preview of its risk level,
//! suggested tier and warnings.

use shared::visit::{Category, FollowUpInput, PartyInput, Satisfaction};
use shared::{DisputeTier, Lang, VisitAssessment, VisitInput, VisitRecord};
use yew::prelude::*;

use crate::components::{
    Check, Choice, ChoiceField, FormAction, SaveError, TextField, TextKind, on_click, on_flag,
    on_text, use_draft_form, use_fitted_unit,
};
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::session::OrgUnit;
use crate::storage;

#[derive(Properties, PartialEq)]
pub struct VisitPageProps {
    pub lang: Lang,
    /// The logged-in user's units (组织单位); the record's 所属村（社区） is one of the villages.
    pub units: Vec<OrgUnit>,
    /// A record was put in the outbox.
    pub on_queued: Callback<()>,
}

/// 所属村（社区） choices: the user's village units, named with their town when the user has
/// villages in more than one town.
pub fn village_choices(units: &[OrgUnit]) -> Vec<Choice> {
    crate::components::unit_choices(units, "village")
}

pub use crate::components::fit_org_unit;

/// A new record after `done`: the next household is usually in the same village, by the same
/// visitor.
fn next_visit(done: &VisitInput) -> VisitInput {
    let mut next = VisitInput::blank(crate::new_id(), crate::today());
    next.org_unit = done.org_unit.clone();
    next.visitor = done.visitor.clone();
    next
}

#[component]
pub fn VisitPage(p: &VisitPageProps) -> Html {
    let lang = p.lang;
    let (form, drafts) = use_draft_form(FormKind::Visit, lang, || {
        VisitInput::blank(crate::new_id(), crate::today())
    });
    let villages = village_choices(&p.units);
    use_fitted_unit(&form, villages.clone(), |i| &mut i.org_unit);

    let today = crate::today();
    let parsed = VisitRecord::parse(&form.input, today);
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

    let onsubmit = {
        let form = form.clone();
        let on_queued = p.on_queued.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if VisitRecord::parse(&form.input, crate::today()).is_err() {
                form.dispatch(FormAction::ShowAllErrors);
                focus_first_error();
                return;
            }
            let input = &form.input;
            let base = form.editing.as_ref().map(|e| e.version);
            let now = js_sys::Date::now();
            match storage::enqueue_page(FormKind::Visit, input.id, base, input, now) {
                Ok(()) => {
                    form.dispatch(FormAction::Replace(Box::new(next_visit(input))));
                    on_queued.emit(());
                }
                Err(_) => form.dispatch(FormAction::SaveFailed),
            }
        })
    };

    let parties = input.parties.iter().enumerate().map(|(n, party)| {
        let key = |f: &str| format!("parties[{n}].{f}");
        let edit = |field: &str, f: fn(&mut PartyInput, String)| {
            on_text(&d, key(field), move |i, v| {
                if let Some(p) = i.parties.get_mut(n) {
                    f(p, v)
                }
            })
        };
        html! {
            <fieldset class="row party" key={n}>
                <legend>{format!("{} {}", t("当事人", "Party"), n + 1)}</legend>
                <TextField name={key("name")} label={t("姓名", "Name")} required=true
                    value={party.name.clone()} error={err(&key("name"))}
                    on_change={edit("name", |p, v| p.name = v)} />
                <TextField name={key("address")} label={t("家庭住址", "Address")}
                    value={party.address.clone()} error={err(&key("address"))}
                    on_change={edit("address", |p, v| p.address = v)} />
                <TextField name={key("age")} label={t("年龄", "Age")} kind={TextKind::Number}
                    value={party.age.clone()} error={err(&key("age"))}
                    on_change={edit("age", |p, v| p.age = v)} />
                <TextField name={key("family_role")} label={t("家庭角色", "Family role")}
                    value={party.family_role.clone()} error={err(&key("family_role"))}
                    on_change={edit("family_role", |p, v| p.family_role = v)} />
                <TextField name={key("phone")} label={t("联系电话", "Phone")} kind={TextKind::Tel}
                    value={party.phone.clone()} error={err(&key("phone"))}
                    on_change={edit("phone", |p, v| p.phone = v)} />
                if input.parties.len() > 1 {
                    <button type="button" class="link danger"
                        onclick={on_click(&d, (), move |i| { i.parties.remove(n); })}>
                        {t("删除此当事人", "Remove party")}
                    </button>
                }
            </fieldset>
        }
    });

    let follow_ups = input.follow_ups.iter().enumerate().map(|(n, v)| {
        let key = |f: &str| format!("follow_ups[{n}].{f}");
        let edit = |field: &str, f: fn(&mut FollowUpInput, String)| {
            on_text(&d, key(field), move |i, val| {
                if let Some(x) = i.follow_ups.get_mut(n) {
                    f(x, val)
                }
            })
        };
        let satisfaction: Vec<Choice> = Satisfaction::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: s.label(lang).into(),
            })
            .collect();
        html! {
            <fieldset class="row follow-up" key={n}>
                <legend>{format!("{} {}", t("回访", "Follow-up"), n + 1)}</legend>
                <TextField name={key("date")} label={t("日期", "Date")} kind={TextKind::Date}
                    required=true value={v.date.clone()} error={err(&key("date"))}
                    on_change={edit("date", |f, x| f.date = x)} />
                <TextField name={key("by")} label={t("回访人", "By")} required=true
                    value={v.by.clone()} error={err(&key("by"))}
                    on_change={edit("by", |f, x| f.by = x)} />
                <TextField name={key("outcome")} label={t("回访情况", "Outcome")}
                    value={v.outcome.clone()} error={err(&key("outcome"))}
                    on_change={edit("outcome", |f, x| f.outcome = x)} />
                <ChoiceField name={key("satisfaction")} label={t("群众满意度", "Satisfaction")}
                    required=true value={v.satisfaction.clone()} choices={satisfaction}
                    error={err(&key("satisfaction"))}
                    on_change={edit("satisfaction", |f, x| f.satisfaction = x)} />
                <button type="button" class="link danger"
                    onclick={on_click(&d, (), move |i| { i.follow_ups.remove(n); })}>
                    {t("删除此回访", "Remove follow-up")}
                </button>
            </fieldset>
        }
    });

    let categories: Vec<Choice> = Category::ALL
        .iter()
        .map(|c| Choice {
            value: c.code().into(),
            label: c.label(lang).into(),
        })
        .collect();
    let is_b = input.category == Category::DomesticViolence.code();
    let tiers: Vec<Choice> = [DisputeTier::Two, DisputeTier::Three]
        .iter()
        .map(|t| Choice {
            value: t.code().into(),
            label: t.label(lang).into(),
        })
        .collect();
    let date_field = |key: &'static str,
                      zh: &'static str,
                      en: &'static str,
                      value: &str,
                      f: fn(&mut VisitInput, String)| {
        html! {
            <TextField name={key} label={t(zh, en)} kind={TextKind::Date} value={value.to_owned()}
                error={err(key)} on_change={on_text(&d, key, f)} />
        }
    };

    html! {
        <div class="visit-page">
            <form class="visit-form" {onsubmit} novalidate=true>
                <h2>{t("妇女议事会“家家访 月月谈”排查登记表", "Household visit record")}</h2>
                {drafts}
                if form.save_error {
                    <SaveError {lang} />
                }
                <section>
                    <h3>{t("当事人详细信息", "Parties")}</h3>
                    { for parties }
                    if let Some(e) = err("parties") { <p class="error">{e}</p> }
                    <button type="button" class="secondary"
                        onclick={on_click(&d, (), |i| i.parties.push(PartyInput::default()))}>
                        {t("＋ 添加当事人", "+ Add party")}
                    </button>
                </section>
                <section>
                    <h3>{t("矛盾纠纷、隐患线索", "Dispute or clue")}</h3>
                    <ChoiceField name="org_unit" label={t("所属村（社区）", "Village")} required=true
                        value={input.org_unit.clone()} choices={villages.clone()} error={err("org_unit")}
                        on_change={on_text(&d, "org_unit", |i, v| i.org_unit = v)} />
                    if villages.is_empty() {
                        <p class="hint">{t("当前账号下没有村（社区）单位，无法提交排查登记表。",
                            "This account has no village units: visit records cannot be submitted.")}</p>
                    }
                    <ChoiceField name="category" label={t("类别", "Category")} required=true radio=true
                        value={input.category.clone()} choices={categories} error={err("category")}
                        on_change={on_text(&d, "category", |i, v| i.category = v)} />
                    if is_b {
                        <div class="checks b-only">
                            <Check name="severe_violence" label={t("严重家庭暴力", "Severe violence")}
                                checked={input.severe_violence}
                                on_change={on_flag(&d, (), |i, v| i.severe_violence = v)} />
                            <Check name="victim_lacks_capacity"
                                label={t("受害人为无/限制民事行为能力人", "Victim lacks full civil capacity")}
                                checked={input.victim_lacks_capacity}
                                on_change={on_flag(&d, (), |i, v| i.victim_lacks_capacity = v)} />
                        </div>
                    }
                    <div class="checks">
                        <span class="checks-label">{t("风险研判", "Risk signs")}</span>
                        <Check name="escalation.may_turn_criminal" label={t("易发生民转刑", "May turn criminal")}
                            checked={input.escalation.may_turn_criminal}
                            on_change={on_flag(&d, (), |i, v| i.escalation.may_turn_criminal = v)} />
                        <Check name="escalation.may_intensify" label={t("可能激化成较大矛盾", "May intensify")}
                            checked={input.escalation.may_intensify}
                            on_change={on_flag(&d, (), |i, v| i.escalation.may_intensify = v)} />
                        <Check name="escalation.hard_to_control" label={t("局面较难控制", "Hard to control")}
                            checked={input.escalation.hard_to_control}
                            on_change={on_flag(&d, (), |i, v| i.escalation.hard_to_control = v)} />
                        <Check name="unstable_signs" label={t("存在不稳定苗头", "Unstable signs")}
                            checked={input.unstable_signs}
                            on_change={on_flag(&d, (), |i, v| i.unstable_signs = v)} />
                    </div>
                    <div class="grid">
                        <ChoiceField name="tier_raise.tier" label={t("提级处置（可选，只能提级）", "Raise the tier (optional)")}
                            value={input.tier_raise.tier.clone()} choices={tiers} error={err("tier_raise.tier")}
                            on_change={on_text(&d, "tier_raise.tier", |i, v| i.tier_raise.tier = v)} />
                        if !input.tier_raise.tier.is_empty() {
                            <TextField name="tier_raise.by" label={t("提级人", "Raised by")} required=true
                                value={input.tier_raise.by.clone()} error={err("tier_raise.by")}
                                on_change={on_text(&d, "tier_raise.by", |i, v| i.tier_raise.by = v)} />
                        }
                    </div>
                    <TextField name="summary" label={t("情况概述", "Summary")} required=true
                        kind={TextKind::Multiline} value={input.summary.clone()} error={err("summary")}
                        on_change={on_text(&d, "summary", |i, v| i.summary = v)} />
                    <TextField name="handling" label={t("办理情况", "Handling")}
                        kind={TextKind::Multiline} value={input.handling.clone()} error={err("handling")}
                        on_change={on_text(&d, "handling", |i, v| i.handling = v)} />
                </section>
                <section>
                    <h3>{t("上报情况", "Reported to")}</h3>
                    <div class="grid">
                        { date_field("reports.police", "报公安机关日期", "Police", &input.reports.police, |i, v| i.reports.police = v) }
                        { date_field("reports.city_federation", "报市妇联日期", "City federation", &input.reports.city_federation, |i, v| i.reports.city_federation = v) }
                        { date_field("reports.village_committee", "报村（社区）两委日期", "Village committee", &input.reports.village_committee, |i, v| i.reports.village_committee = v) }
                        { date_field("reports.town_federation", "报镇（区、街道）妇联日期", "Town federation", &input.reports.town_federation, |i, v| i.reports.town_federation = v) }
                    </div>
                </section>
                <section>
                    <h3>{t("跟踪回访情况", "Follow-up visits")}</h3>
                    { for follow_ups }
                    <button type="button" class="secondary"
                        onclick={on_click(&d, (), |i| i.follow_ups.push(FollowUpInput::default()))}>
                        {t("＋ 添加回访", "+ Add follow-up")}
                    </button>
                </section>
                <section>
                    <TextField name="remarks" label={t("备注", "Remarks")} kind={TextKind::Multiline}
                        value={input.remarks.clone()} error={err("remarks")}
                        on_change={on_text(&d, "remarks", |i, v| i.remarks = v)} />
                    <div class="grid">
                        <TextField name="visitor" label={t("排查、走访人", "Visitor")} required=true
                            value={input.visitor.clone()} error={err("visitor")}
                            on_change={on_text(&d, "visitor", |i, v| i.visitor = v)} />
                        { date_field("visit_date", "走访日期", "Visit date", &input.visit_date, |i, v| i.visit_date = v) }
                        { date_field("resolved_on", "化解日期（已化解时填写）", "Date resolved (if resolved)", &input.resolved_on, |i, v| i.resolved_on = v) }
                    </div>
                </section>
                <div class="actions">
                    <button type="submit" class="primary">{t("提交", "Submit")}</button>
                    <small class="hint">{t(
                        "提交后记录进入待发送队列，联网时自动发送；草稿随时自动保存。",
                        "Submitted records wait in the outbox and are sent when online; drafts save automatically.")}</small>
                </div>
            </form>
            <Preview {lang} assessment={preview} />
        </div>
    }
}

fn focus_first_error() {
    // After the re-render that marks the fields invalid.
    gloo::timers::callback::Timeout::new(0, || {
        let doc = gloo::utils::document();
        if let Ok(Some(el)) = doc.query_selector("[aria-invalid=\"true\"], .has-error input") {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    })
    .forget();
}

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub lang: Lang,
    pub assessment: VisitAssessment,
}

/// 风险预警: the level, tier and warnings, recomputed on every keystroke.
#[component]
pub fn Preview(p: &PreviewProps) -> Html {
    let lang = p.lang;
    let a = &p.assessment;
    let level = a.level.as_str();
    html! {
        <aside class="preview" aria-live="polite">
            <h3>{tr(lang, "风险预警等级", "Risk level")}</h3>
            <div id="risk-level" class={classes!("level", format!("level-{level}"))} data-level={level}>
                {a.level.label(lang)}
            </div>
            <p class="months">
                { match lang {
                    Lang::Zh => format!("已持续 {} 个月未化解", a.months_open),
                    Lang::En => format!("Open for {} months", a.months_open),
                } }
            </p>
            <p class="tier" data-tier={a.tier.code()}>
                {tr(lang, "处置层级：", "Tier: ")}{a.tier.label(lang)}
                if a.tier != a.suggested_tier {
                    <small>{tr(lang, "（已提级；建议：", " (raised; suggested: ")}{a.suggested_tier.label(lang)}{"）"}</small>
                }
            </p>
            <h4>{tr(lang, "预警提示", "Warnings")}</h4>
            if a.warnings.is_empty() {
                <p class="none">{tr(lang, "暂无", "None")}</p>
            } else {
                <ul class="warnings" id="warnings">
                    { for a.warnings.iter().map(|w| html! {
                        <li class={format!("sev-{:?}", w.severity).to_ascii_lowercase()} data-code={w.code.as_str()}>
                            <span class="sev">{w.severity.label(lang)}</span>
                            {w.message(lang)}
                        </li>
                    }) }
                </ul>
            }
        </aside>
    }
}
