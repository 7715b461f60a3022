//! 维权个案 — a case at a women's rights station (001 三; SPEC §2.5), with a live preview of
//! its stage, reply deadline in working days and warnings, computed by `shared` in wasm.
//!
//! The stages 申请→受理→调查→处理→结案→回访 are rows; only the next stage can be added and only
//! the last one removed, so the rows always follow the workflow. 受理 carries the complexity
//! that sets the deadline, 结案 the result, 回访 the satisfaction.
//!
//! This page registers new cases (`POST /api/rights-cases`), with every stage already done, and
//! continues stored ones (续办): a case opened from the records page comes back here with its
//! stored stages, the next ones are added, and the change is queued as `PUT` with `If-Match`.
//! What the server will not take in a change (a stored stage altered or removed,
//! `RightsCase::check_transition`) shows on the fields as they are typed.

use std::rc::Rc;

use chrono::NaiveDate;
use shared::Lang;
use shared::calendar::WorkCalendar;
use shared::case::{
    CaseAssessment, CaseInput, Channel, Complexity, PetitionKind, RightsArea, RightsCase, Stage,
    StageInput,
};
use shared::visit::Satisfaction;
use yew::prelude::*;

use super::FormPageProps;
use crate::components::{
    Choice, ChoiceField, FormAction, SaveError, TextField, TextKind, on_click, on_text,
    unit_choices, use_draft_form, use_fitted_unit,
};
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::session::OrgUnit;
use crate::storage;

/// 所属单位 choices: the user's town stations, then their village stations.
pub fn station_choices(units: &[OrgUnit], lang: Lang) -> Vec<Choice> {
    let named = |level: &str, zh: &'static str, en: &'static str| -> Vec<Choice> {
        unit_choices(units, level)
            .into_iter()
            .map(|c| Choice {
                value: c.value,
                label: format!("{}{}", c.label, lang.pick(zh, en)).into(),
            })
            .collect()
    };
    let mut all = named("town", "（镇维权站）", " (town station)");
    all.extend(named("village", "（村维权站）", " (village station)"));
    all
}

/// Appends a row for `stage`, dated `today`, with the previous row's handler.
pub fn add_stage(input: &mut CaseInput, stage: Stage, today: NaiveDate) {
    let handler = input
        .stages
        .last()
        .map(|r| r.handler.clone())
        .unwrap_or_default();
    input.stages.push(StageInput {
        stage: stage.code().into(),
        date: today.to_string(),
        handler,
        ..Default::default()
    });
}

fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> Vec<Choice> {
    all.iter()
        .map(|&x| Choice {
            value: code(x).into(),
            label: label(x).into(),
        })
        .collect()
}

/// What each complexity means for the reply (001 三(二)).
fn complexity_rule(c: Complexity, lang: Lang) -> &'static str {
    match c {
        Complexity::Simple => lang.pick("即时答复", "reply at once"),
        Complexity::Ordinary => lang.pick("7个工作日内答复", "reply within 7 working days"),
        Complexity::Complex => lang.pick("1个月内答复", "reply within 1 month"),
        Complexity::Difficult => lang.pick("及时转报上级并跟踪", "refer up at once, then track"),
    }
}

/// A new case after `done`: the next one is usually at the same station.
fn next_case(done: &CaseInput) -> CaseInput {
    let mut next = CaseInput::blank(crate::new_id(), crate::today());
    next.org_unit = done.org_unit.clone();
    next
}

#[component]
pub fn RightsCasePage(p: &FormPageProps) -> Html {
    let lang = p.lang;
    let (form, drafts) = use_draft_form(FormKind::RightsCase, lang, move || {
        CaseInput::blank(crate::new_id(), crate::today())
    });
    // The stored case this draft continues, if any.
    let editing = form.editing.clone();
    let calendar = use_memo((), |_| crate::replica::calendar());
    let stations = station_choices(&p.units, lang);
    use_fitted_unit(&form, stations.clone(), |i| &mut i.org_unit);

    let today = crate::today();
    let parsed = RightsCase::parse(&form.input, today);
    // A change of a stored case must also keep what was stored.
    let locked = match (&parsed, editing.as_ref()) {
        (Ok(new), Some(e)) => RightsCase::parse(&e.base, today)
            .ok()
            .and_then(|old| RightsCase::check_transition(&old, new).err()),
        _ => None,
    };
    let errors = parsed.as_ref().err().or(locked.as_ref());
    let err = |key: &str| -> Option<AttrValue> {
        if !form.shows(key) {
            return None;
        }
        errors
            .and_then(|e| e.get(key))
            .map(|e| AttrValue::from(e.message(lang).to_owned()))
    };
    let preview = form.input.preview(&calendar, today);
    let d = form.dispatcher();
    let input = &form.input;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);

    let onsubmit = {
        let form = form.clone();
        let on_queued = p.on_queued.clone();
        let refused = errors.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if refused {
                form.dispatch(FormAction::ShowAllErrors);
                focus_first_error();
                return;
            }
            let input = &form.input;
            let base = form.editing.as_ref().map(|e| e.version);
            let now = js_sys::Date::now();
            match storage::enqueue_page(FormKind::RightsCase, input.id, base, input, now) {
                Ok(()) => {
                    form.dispatch(FormAction::Replace(Box::new(next_case(input))));
                    on_queued.emit(());
                }
                Err(_) => form.dispatch(FormAction::SaveFailed),
            }
        })
    };

    let last = input.stages.len().saturating_sub(1);
    // Stages already stored stay: they cannot be removed from here.
    let stored_stages = editing.as_ref().map_or(0, |e| e.base.stages.len());
    let stage_rows = input.stages.iter().enumerate().map(|(n, row)| {
        let key = |f: &str| format!("stages[{n}].{f}");
        let edit = |field: &str, f: fn(&mut StageInput, String)| {
            on_text(&d, key(field), move |i, v| {
                if let Some(r) = i.stages.get_mut(n) {
                    f(r, v)
                }
            })
        };
        let stage = Stage::parse(&row.stage).ok();
        let title = match stage {
            Some(s) => s.label(lang).to_owned(),
            None => format!("{} {}", lang.pick("环节", "Stage"), n + 1),
        };
        let complexities = choices(Complexity::ALL, Complexity::code, |c| {
            format!("{} · {}", c.label(lang), complexity_rule(c, lang))
        });
        let satisfaction = choices(Satisfaction::ALL, Satisfaction::code, |s| s.label(lang).to_owned());
        html! {
            <fieldset class="row stage" key={n} data-stage={row.stage.clone()}>
                <legend><span class="step">{n + 1}</span>{title}</legend>
                <TextField name={key("date")} label={t("日期", "Date")} kind={TextKind::Date}
                    required=true value={row.date.clone()} error={err(&key("date"))}
                    on_change={edit("date", |r, v| r.date = v)} />
                <TextField name={key("handler")} label={t("经办人", "Handler")} required=true
                    value={row.handler.clone()} error={err(&key("handler"))}
                    on_change={edit("handler", |r, v| r.handler = v)} />
                if stage == Some(Stage::Accepted) {
                    <div class="wide">
                        <ChoiceField name={key("complexity")} label={t("个案类别", "Complexity")}
                            required=true radio=true value={row.complexity.clone()} choices={complexities}
                            error={err(&key("complexity"))}
                            on_change={edit("complexity", |r, v| r.complexity = v)} />
                    </div>
                }
                if stage == Some(Stage::Closed) {
                    <div class="wide">
                        <TextField name={key("result")} label={t("办理结果", "Result")} required=true
                            kind={TextKind::Multiline} value={row.result.clone()} error={err(&key("result"))}
                            on_change={edit("result", |r, v| r.result = v)} />
                    </div>
                }
                if stage == Some(Stage::Revisited) {
                    <div class="wide">
                        <ChoiceField name={key("satisfaction")} label={t("群众满意度", "Satisfaction")}
                            required=true radio=true value={row.satisfaction.clone()} choices={satisfaction}
                            error={err(&key("satisfaction"))}
                            on_change={edit("satisfaction", |r, v| r.satisfaction = v)} />
                    </div>
                }
                <div class="wide">
                    <TextField name={key("note")} label={t("备注", "Note")}
                        value={row.note.clone()} error={err(&key("note"))}
                        on_change={edit("note", |r, v| r.note = v)} />
                </div>
                if n == last && n > 0 && n >= stored_stages {
                    <button type="button" class="link danger remove-stage"
                        onclick={on_click(&d, (), move |i| { i.stages.truncate(n); })}>
                        {t("删除此环节", "Remove this stage")}
                    </button>
                }
            </fieldset>
        }
    });

    let next = preview.next_stage;
    let add_next = match next {
        Some(s) => html! {
            <button type="button" class="secondary" id="add-stage" data-stage={s.code()}
                onclick={on_click(&d, (), move |i| add_stage(i, s, crate::today()))}>
                {t("＋ 添加下一环节：", "+ Add the next stage: ")}{s.label(lang)}
            </button>
        },
        None => html! {
            <p class="hint" id="all-stages">{t("六个环节已全部录入。", "All six stages are recorded.")}</p>
        },
    };

    let channels = choices(Channel::ALL, Channel::code, |c| c.label(lang).to_owned());
    let areas = choices(RightsArea::ALL, RightsArea::code, |c| {
        c.label(lang).to_owned()
    });
    let petition_kinds = choices(PetitionKind::ALL, PetitionKind::code, |c| {
        c.label(lang).to_owned()
    });
    let difficult = preview.complexity == Some(Complexity::Difficult);
    let r = &input.referral;
    let show_referral = difficult || !(r.date.trim().is_empty() && r.to.trim().is_empty());
    let text = |key: &'static str,
                zh: &'static str,
                en: &'static str,
                kind: TextKind,
                required: bool,
                value: &str,
                f: fn(&mut CaseInput, String)| {
        html! {
            <TextField name={key} label={t(zh, en)} {kind} {required} value={value.to_owned()}
                error={err(key)} on_change={on_text(&d, key, f)} />
        }
    };

    html! {
        <div class="rc-page case-page">
            <form class="rc-form case-form" {onsubmit} novalidate=true>
                <h2>{t("妇女维权站个案登记", "Rights station case")}</h2>
                if editing.is_none() {
                    <p class="hint scope-note">{t(
                        "本页登记新个案，可一并录入已办完的环节。已提交的个案请在“记录查询”中打开，点“续办”补录后续环节。",
                        "This page registers new cases, with the stages already done. To add stages to a stored case, open it under Records and choose Continue.")}</p>
                }
                {drafts}
                if form.save_error {
                    <SaveError {lang} />
                }
                <section>
                    <h3>{t("来访登记", "Complaint")}</h3>
                    <div class="grid">
                        <ChoiceField name="org_unit" label={t("所属维权站", "Station")} required=true
                            value={input.org_unit.clone()} choices={stations.clone()} error={err("org_unit")}
                            on_change={on_text(&d, "org_unit", |i, v| i.org_unit = v)} />
                        <ChoiceField name="area" label={t("权益类别", "Rights area")} required=true
                            value={input.area.clone()} choices={areas} error={err("area")}
                            on_change={on_text(&d, "area", |i, v| i.area = v)} />
                    </div>
                    if stations.is_empty() {
                        <p class="hint">{t("当前账号下没有镇或村维权站，无法提交个案。",
                            "This account has no town or village station: cases cannot be submitted.")}</p>
                    }
                    <ChoiceField name="channel" label={t("来源渠道", "Channel")} required=true radio=true
                        value={input.channel.clone()} choices={channels} error={err("channel")}
                        on_change={on_text(&d, "channel", |i, v| i.channel = v)} />
                    <div class="grid">
                        { text("complainant.name", "申请人姓名", "Complainant", TextKind::Text, true,
                            &input.complainant.name, |i, v| i.complainant.name = v) }
                        { text("complainant.phone", "申请人联系电话", "Complainant phone", TextKind::Tel, false,
                            &input.complainant.phone, |i, v| i.complainant.phone = v) }
                        { text("respondent", "对方当事人", "Respondent", TextKind::Text, false,
                            &input.respondent, |i, v| i.respondent = v) }
                    </div>
                    { text("facts", "事实与理由", "Facts", TextKind::Multiline, true,
                        &input.facts, |i, v| i.facts = v) }
                    { text("request", "诉求", "Request", TextKind::Multiline, true,
                        &input.request, |i, v| i.request = v) }
                </section>
                <section>
                    <h3>{t("办理环节：申请→受理→调查→处理→结案→回访", "Stages: applied → accepted → investigated → handled → closed → revisited")}</h3>
                    <div class="stages">{ for stage_rows }</div>
                    if let Some(e) = err("stages") { <p class="error">{e}</p> }
                    {add_next}
                    <small class="hint">{t(
                        "环节只能按顺序逐个添加；只能删除最后一个环节。",
                        "Stages are added one at a time, in order; only the last one can be removed.")}</small>
                </section>
                if show_referral {
                    <section class="referral">
                        <h3>{t("转报上级（疑难个案）", "Referred up (difficult case)")}</h3>
                        <p class="hint">{t("疑难个案须及时转报上级主管部门，并跟踪协调解决。",
                            "A difficult case is referred to the higher federation at once, then tracked.")}</p>
                        <div class="grid">
                            { text("referral.date", "转报日期", "Date referred", TextKind::Date, false,
                                &r.date, |i, v| i.referral.date = v) }
                            { text("referral.to", "转报单位", "Referred to", TextKind::Text, false,
                                &r.to, |i, v| i.referral.to = v) }
                        </div>
                    </section>
                }
                <section class="forward">
                    <h3>{t("转送综治工作中心（室）", "Forwarded to the governance centre")}</h3>
                    <p class="hint">{t(
                        "侵害妇女合法权益的重大典型案件、需要有关部门处理的，由维权站转送综治工作中心（室）分流交办；相关部门将处理结果反馈至维权站。未转送的不填。",
                        "Major typical cases needing other departments go to the governance centre, which assigns a department; its result comes back to the station. Leave empty if not forwarded.")}</p>
                    <div class="grid">
                        { text("forward.date", "转送日期", "Date forwarded", TextKind::Date, false,
                            &input.forward.date, |i, v| i.forward.date = v) }
                        { text("forward.department", "分流交办部门", "Department assigned", TextKind::Text, false,
                            &input.forward.department, |i, v| i.forward.department = v) }
                        { text("forward.feedback_on", "反馈日期", "Feedback date", TextKind::Date, false,
                            &input.forward.feedback_on, |i, v| i.forward.feedback_on = v) }
                    </div>
                    { text("forward.feedback", "部门处理结果反馈", "Department's feedback", TextKind::Multiline, false,
                        &input.forward.feedback, |i, v| i.forward.feedback = v) }
                </section>
                <section class="petition">
                    <h3>{t("集体访、异常访上报", "Group or abnormal petition")}</h3>
                    <p class="hint">{t(
                        "涉及妇女儿童权益的重大、紧急信访或集体访、异常访，要及时上报上级妇联组织、上级维护妇女儿童合法权益协调组织。",
                        "Major or urgent, group and abnormal petitions are reported at once to the higher federation and the higher rights body.")}</p>
                    <div class="grid">
                        <ChoiceField name="petition.kind" label={t("信访类型", "Petition type")}
                            value={input.petition.kind.clone()} choices={petition_kinds} error={err("petition.kind")}
                            on_change={on_text(&d, "petition.kind", |i, v| i.petition.kind = v)} />
                        if !input.petition.kind.is_empty() || !input.petition.reported_on.is_empty()
                            || !input.petition.reported_to.is_empty() {
                            { text("petition.reported_on", "上报日期", "Date reported", TextKind::Date, false,
                                &input.petition.reported_on, |i, v| i.petition.reported_on = v) }
                            { text("petition.reported_to", "上报单位", "Reported to", TextKind::Text, false,
                                &input.petition.reported_to, |i, v| i.petition.reported_to = v) }
                        }
                    </div>
                </section>
                <div class="actions">
                    <button type="submit" class="primary">{t("提交", "Submit")}</button>
                    <small class="hint">{t(
                        "提交后个案进入待发送队列，联网时自动发送；草稿随时自动保存。",
                        "Submitted cases wait in the outbox and are sent when online; drafts save automatically.")}</small>
                </div>
            </form>
            <CasePreview {lang} assessment={preview} today={today} calendar={calendar} />
        </div>
    }
}

fn focus_first_error() {
    // After the re-render that marks the fields invalid.
    gloo::timers::callback::Timeout::new(0, || {
        let doc = gloo::utils::document();
        if let Ok(Some(el)) = doc.query_selector(
            ".case-form [aria-invalid=\"true\"], .case-form .has-error select, .case-form .has-error input",
        ) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    })
    .forget();
}

#[derive(Properties, PartialEq)]
pub struct CasePreviewProps {
    pub lang: Lang,
    pub assessment: CaseAssessment,
    pub today: NaiveDate,
    pub calendar: Rc<WorkCalendar>,
}

/// 办理预览: where the case stands, the reply deadline and the warnings, on every keystroke.
#[component]
pub fn CasePreview(p: &CasePreviewProps) -> Html {
    let lang = p.lang;
    let a = &p.assessment;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let reached = a.current_stage.map_or(0, |s| s.index() + 1);
    let track = Stage::ALL.iter().map(|s| {
        let state = if s.index() < reached {
            "done"
        } else if Some(*s) == a.next_stage {
            "next"
        } else {
            "todo"
        };
        html! { <li class={state} data-stage={s.code()}>{s.label(lang)}</li> }
    });

    let deadline = match (&a.reply_deadline, a.complexity, a.accepted_on) {
        (Some(due), Some(c), Some(accepted)) => {
            let day = due.value;
            let rule = match lang {
                Lang::Zh => format!(
                    "{}个案：受理（{accepted}）后{}",
                    c.label(lang),
                    complexity_rule(c, lang)
                ),
                Lang::En => format!(
                    "{} case: accepted {accepted}, {}",
                    c.label(lang),
                    complexity_rule(c, lang)
                ),
            };
            let status = match a.replied_late {
                Some(late) => {
                    let (zh, en) = if late {
                        ("已处理（超过答复期限）", "Handled after the deadline")
                    } else {
                        ("已按期处理", "Handled in time")
                    };
                    html! { <p class={classes!("due-status", if late { "late" } else { "ok" })} id="due-status">{t(zh, en)}</p> }
                }
                None if p.today > day => {
                    let n = (p.today - day).num_days();
                    html! { <p class="due-status late" id="due-status">{ match lang {
                        Lang::Zh => format!("已逾期{n}天，尚未处理"),
                        Lang::En => format!("{n} day(s) overdue, not yet handled"),
                    } }</p> }
                }
                None => {
                    let n = p.calendar.working_days_between(p.today, day).value;
                    html! { <p class="due-status ok" id="due-status">{ match lang {
                        Lang::Zh if n == 0 => "今天须答复".to_owned(),
                        Lang::Zh => format!("还剩{n}个工作日"),
                        Lang::En if n == 0 => "Reply due today".to_owned(),
                        Lang::En => format!("{n} working day(s) left"),
                    } }</p> }
                }
            };
            let missing = (!due.missing_years.is_empty()).then(|| {
                let years = due.missing_years.iter().map(|y| y.to_string()).collect::<Vec<_>>();
                html! {
                    <p class="calendar-note" id="calendar-note" data-years={years.join(",")}>{ match lang {
                        Lang::Zh => format!("日历中尚无{}年节假日安排，暂按周一至周五计算，期限可能不准。", years.join("、")),
                        Lang::En => format!("No holiday table for {}: counted Monday to Friday, the deadline may be off.", years.join(", ")),
                    } }</p>
                }
            });
            html! {
                <>
                    <div class="deadline" id="reply-deadline" data-date={day.to_string()}>{day.to_string()}</div>
                    <p class="rule">{rule}</p>
                    {status}
                    {missing}
                </>
            }
        }
        (None, Some(Complexity::Difficult), _) => html! {
            <p class="deadline-none" id="reply-deadline" data-date="">{t(
                "疑难个案不设答复期限：须及时转报上级主管部门并跟踪协调解决。",
                "Difficult cases have no reply deadline: refer up at once, then track.")}</p>
        },
        _ => html! {
            <p class="deadline-none" id="reply-deadline" data-date="">{t(
                "填写受理日期并选择个案类别后计算。",
                "Shown once the acceptance date and the complexity are in.")}</p>
        },
    };

    html! {
        <aside class="preview case-preview" aria-live="polite">
            <h3>{t("办理进度", "Progress")}</h3>
            <ol class="stage-track">{ for track }</ol>
            <p class="stage-line" id="current-stage" data-stage={a.current_stage.map(|s| s.code()).unwrap_or_default()}>
                {t("当前环节：", "Current stage: ")}
                <strong>{a.current_stage.map_or_else(|| "—".to_owned(), |s| s.label(lang).to_owned())}</strong>
            </p>
            <p class="stage-line" id="next-stage" data-stage={a.next_stage.map(|s| s.code()).unwrap_or_default()}>
                {t("下一环节：", "Next stage: ")}
                <strong>{ match a.next_stage {
                    Some(s) => s.label(lang).to_owned(),
                    None => lang.pick("无（已回访）", "none (revisited)").to_owned(),
                } }</strong>
            </p>
            <h4>{t("答复期限", "Reply deadline")}</h4>
            {deadline}
            <h4>{t("预警提示", "Warnings")}</h4>
            if a.warnings.is_empty() {
                <p class="none">{t("暂无", "None")}</p>
            } else {
                <ul class="warnings" id="case-warnings">
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
