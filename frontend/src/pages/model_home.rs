//! 示范妇女之家申报表 — the model women's-home application of 003 附件2 (SPEC §2.7,
//! `shared::model_home`): the paper form's fields and its three opinions in signing order
//! (所在乡镇（街道）党（工）委 → 区妇联 → 市妇联).
//!
//! Live beside it: funds per resident woman and the ≥ 2 元 check, where the application stands
//! in the chain, and whether it may be put forward given the unit's latest 七有 self-assessment
//! — the most recent one this device submitted (outbox and receipts) or the server holds.

use chrono::{Datelike, NaiveDate};
use gloo::net::http::Request;
use serde::Deserialize;
use shared::Lang;
use shared::model_home::{
    Decision, Eligibility, Ineligible, Level, ModelHomeApplication, ModelHomeInput, OpinionInput,
    Status, eligibility,
};
use shared::standards::{
    Funds, FundsCheck, MAX_RESIDENT_WOMEN, SelfAssessment, SelfAssessmentInput,
    SelfAssessmentResult, Standard, Yuan,
};
use yew::prelude::*;

use super::FormPageProps;
use super::self_assessment::FundsLine;
use crate::components::{
    Choice, ChoiceField, FormAction, SaveError, TextField, TextKind, on_text, unit_choices,
    use_draft_form, use_fitted_unit,
};
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::storage::{self, SendState};

/// Where a 七有 self-assessment was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SevenSource {
    /// Submitted on this device (waiting or sent).
    Device,
    /// Held by the server.
    Server,
}

/// A unit's 七有 self-assessment result and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct LatestSeven {
    pub result: SelfAssessmentResult,
    pub source: SevenSource,
}

/// The most recent 七有 self-assessment of `unit` among those this device submitted: waiting
/// or sent, not those the server refused. Latest by 自评日期, then by when it was queued.
pub fn latest_seven_on_device(unit: &str, today: NaiveDate) -> Option<LatestSeven> {
    storage::load_outbox()
        .into_iter()
        .filter(|i| i.kind == FormKind::SelfAssessment)
        .filter(|i| !matches!(i.state, SendState::Rejected { .. }))
        .filter_map(|i| {
            let input: SelfAssessmentInput = shared::json::read_value(&i.body).ok()?;
            if input.standard != Standard::Seven.code() || input.org_unit.trim() != unit {
                return None;
            }
            let result = SelfAssessment::parse(&input, today).ok()?.evaluate();
            Some((result, i.queued_ms))
        })
        .max_by(|(a, qa), (b, qb)| a.assessed_on.cmp(&b.assessed_on).then(qa.total_cmp(qb)))
        .map(|(result, _)| LatestSeven {
            result,
            source: SevenSource::Device,
        })
}

/// Of two candidates the later assessment; on the same day the device's (it may be newer than
/// what the server has seen).
pub fn later(a: Option<LatestSeven>, b: Option<LatestSeven>) -> Option<LatestSeven> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let a_first = (a.result.assessed_on, a.source == SevenSource::Device)
                >= (b.result.assessed_on, b.source == SevenSource::Device);
            Some(if a_first { a } else { b })
        }
        (a, b) => a.or(b),
    }
}

/// What the server said about a unit's 七有 self-assessments.
#[derive(Clone, Debug, PartialEq)]
pub enum ServerSeven {
    /// Not asked yet, or asking.
    Asking,
    /// No answer (offline, server down, or an error): only the device's records count.
    NoAnswer,
    /// The server's latest, if it holds any.
    Answered(Option<SelfAssessmentResult>),
}

#[derive(Deserialize)]
struct StoredSelfAssessment {
    assessment: SelfAssessmentResult,
}

/// `GET /api/self-assessments?unit=<id>&category=seven`: the unit's latest 七有 result.
async fn fetch_latest_seven(unit: &str) -> ServerSeven {
    let unit = String::from(js_sys::encode_uri_component(unit));
    let signal = web_sys::AbortSignal::timeout_with_u32(15_000);
    let Ok(response) = Request::get(&format!("/api/self-assessments?unit={unit}&category=seven"))
        .abort_signal(Some(&signal))
        .send()
        .await
    else {
        return ServerSeven::NoAnswer;
    };
    if !response.ok() {
        return ServerSeven::NoAnswer;
    }
    match crate::api::body::<Vec<StoredSelfAssessment>>(&response).await {
        Ok(list) => ServerSeven::Answered(
            list.into_iter()
                .map(|s| s.assessment)
                .filter(|r| r.standard == Standard::Seven)
                .max_by_key(|r| r.assessed_on),
        ),
        Err(_) => ServerSeven::NoAnswer,
    }
}

/// The funds rule on the figures typed so far, once both are readable.
pub fn funds_so_far(input: &ModelHomeInput) -> Option<FundsCheck> {
    let annual = Yuan::parse(&input.annual_funds).ok()?;
    let women = input.resident_women.trim().parse::<u32>().ok()?;
    (1..=MAX_RESIDENT_WOMEN).contains(&women).then(|| {
        Funds {
            annual,
            resident_women: women,
        }
        .check()
    })
}

/// Where the chain stands on the opinions typed so far: the first level without a decision is
/// awaited, the first 不同意 ends it. (For a form that parses this is
/// [`ModelHomeApplication::status`].)
pub fn status_so_far(input: &ModelHomeInput) -> Status {
    for level in Level::ALL {
        match Decision::parse(&input.opinions.get(level).decision) {
            Ok(Decision::Approve) => {}
            Ok(Decision::Reject) => return Status::Rejected(level),
            Err(_) => return Status::Pending(level),
        }
    }
    Status::Approved
}

/// Eligibility on what is typed so far: `shared`'s own [`eligibility`] once the form parses;
/// before that the same two checks on the figures that are readable (`None` for funds not yet
/// entered).
pub fn eligibility_so_far(
    input: &ModelHomeInput,
    parsed: Option<&ModelHomeApplication>,
    latest: Option<&SelfAssessmentResult>,
) -> (Eligibility, bool) {
    if let Some(app) = parsed {
        return (eligibility(app, latest), true);
    }
    let funds = funds_so_far(input);
    let mut reasons = Vec::new();
    if let Some(c) = funds.filter(|c| !c.ok) {
        reasons.push(Ineligible::FundsBelowMinimum(c));
    }
    let seven_ok = match latest {
        None => {
            reasons.push(Ineligible::NoSelfAssessment);
            false
        }
        Some(r) if !r.all_met() => {
            reasons.push(Ineligible::SevenNotMet {
                assessed_on: r.assessed_on,
                met: r.met,
                total: r.total,
                unmet: r
                    .criteria
                    .iter()
                    .filter(|c| !c.met)
                    .map(|c| c.id.clone())
                    .collect(),
            });
            false
        }
        Some(_) => true,
    };
    let funds_ok = funds.is_some_and(|c| c.ok);
    (
        Eligibility {
            funds_ok,
            seven_ok,
            eligible: funds_ok && seven_ok,
            reasons,
        },
        funds.is_some(),
    )
}

#[component]
pub fn ModelHomePage(p: &FormPageProps) -> Html {
    let lang = p.lang;
    let (form, drafts) = use_draft_form(FormKind::ModelHome, lang, move || {
        ModelHomeInput::blank(crate::new_id(), crate::today().year())
    });
    let villages = unit_choices(&p.units, "village");
    use_fitted_unit(&form, villages.clone(), |i| &mut i.org_unit);
    // The server's latest 七有 of the chosen unit, asked for whenever the unit changes.
    let server = use_state(|| (String::new(), ServerSeven::NoAnswer));
    use_effect_with(form.input.org_unit.trim().to_owned(), {
        let server = server.clone();
        move |unit: &String| {
            let unit = unit.clone();
            if !unit.is_empty() {
                server.set((unit.clone(), ServerSeven::Asking));
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = fetch_latest_seven(&unit).await;
                    server.set((unit, answer));
                });
            }
        }
    });

    let today = crate::today();
    let parsed = ModelHomeApplication::parse(&form.input, today);
    // 续办: the stored application this draft changes; its opinions already given are signed and
    // stay as they are (the server refuses a change of them too).
    let stored = form
        .editing
        .as_ref()
        .and_then(|e| ModelHomeApplication::parse(&e.base, today).ok());
    let locked = match (&parsed, &stored) {
        (Ok(new), Some(old)) => ModelHomeApplication::check_change(old, new).err(),
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
    let d = form.dispatcher();
    let input = &form.input;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);

    let unit = input.org_unit.trim();
    let server_seven = if server.0 == unit {
        server.1.clone()
    } else {
        ServerSeven::Asking
    };
    let latest = if unit.is_empty() {
        None
    } else {
        let from_server = match &server_seven {
            ServerSeven::Answered(Some(r)) => Some(LatestSeven {
                result: r.clone(),
                source: SevenSource::Server,
            }),
            _ => None,
        };
        later(latest_seven_on_device(unit, today), from_server)
    };

    let onsubmit = {
        let form = form.clone();
        let locked_now = locked.clone();
        let on_queued = p.on_queued.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if locked_now.is_some()
                || ModelHomeApplication::parse(&form.input, crate::today()).is_err()
            {
                form.dispatch(FormAction::ShowAllErrors);
                focus_first_error();
                return;
            }
            let now = js_sys::Date::now();
            match storage::enqueue_page(
                FormKind::ModelHome,
                form.input.id,
                form.editing.as_ref().map(|e| e.version),
                &form.input,
                now,
            ) {
                Ok(()) => {
                    let mut next = ModelHomeInput::blank(crate::new_id(), crate::today().year());
                    next.org_unit = form.input.org_unit.clone();
                    form.dispatch(FormAction::Replace(Box::new(next)));
                    on_queued.emit(());
                }
                Err(_) => form.dispatch(FormAction::SaveFailed),
            }
        })
    };

    let text = |key: &'static str,
                zh: &'static str,
                en: &'static str,
                kind: TextKind,
                value: &str,
                f: fn(&mut ModelHomeInput, String)| {
        html! {
            <TextField name={key} label={t(zh, en)} required=true {kind} value={value.to_owned()}
                error={err(key)} on_change={on_text(&d, key, f)} />
        }
    };

    let decisions: Vec<Choice> = Decision::ALL
        .iter()
        .map(|x| Choice {
            value: x.code().into(),
            label: x.label(lang).into(),
        })
        .collect();
    let status = match &parsed {
        Ok(app) => app.status(),
        Err(_) => status_so_far(input),
    };
    let rejected_at = match status {
        Status::Rejected(l) => Some(l),
        _ => None,
    };
    let opinions = Level::ALL.iter().enumerate().map(|(n, &level)| {
        let o = input.opinions.get(level);
        let key = |f: &str| format!("opinions.{}.{f}", level.code());
        let after_rejection = rejected_at.is_some_and(|r| level > r);
        let rejecting = Decision::parse(&o.decision) == Ok(Decision::Reject);
        if let Some(given) = stored.as_ref().and_then(|a| a.opinions.get(level)) {
            return html! {
                <fieldset class="row mh-opinion signed" data-level={level.code()} data-signed="true">
                    <legend>{format!("{}. ", n + 1)}{level.label(lang)}{t("意见", " opinion")}</legend>
                    <dl class="fields">
                        <dt>{t("意见", "Decision")}</dt><dd>{given.decision.label(lang)}</dd>
                        if let Some(text) = &given.text {
                            <dt>{t("意见内容", "Opinion")}</dt><dd>{text.as_str().to_owned()}</dd>
                        }
                        <dt>{t("盖章日期", "Date")}</dt><dd>{given.date.to_string()}</dd>
                    </dl>
                    <p class="hint">{t("已签署的意见，续办时不能修改。", "Given and signed: it cannot be changed here.")}</p>
                    if let Some(e) = err(&key("decision")) { <p class="error" role="alert">{e}</p> }
                </fieldset>
            };
        }
        html! {
            <fieldset class={classes!("row", "mh-opinion", after_rejection.then_some("closed"))}
                data-level={level.code()}>
                <legend>{format!("{}. ", n + 1)}{level.label(lang)}{t("意见", " opinion")}</legend>
                <ChoiceField name={key("decision")} label={t("意见", "Decision")} radio=true
                    value={o.decision.clone()} choices={decisions.clone()} error={err(&key("decision"))}
                    on_change={on_text(&d, key("decision"), move |i, v| opinion_mut(i, level).decision = v)} />
                <TextField name={key("text")} label={t("意见内容（不同意时必填）", "Opinion (required when rejecting)")}
                    required={rejecting} kind={TextKind::Multiline} value={o.text.clone()} error={err(&key("text"))}
                    on_change={on_text(&d, key("text"), move |i, v| opinion_mut(i, level).text = v)} />
                <TextField name={key("date")} label={t("盖章日期", "Date")} kind={TextKind::Date}
                    value={o.date.clone()} error={err(&key("date"))}
                    on_change={on_text(&d, key("date"), move |i, v| opinion_mut(i, level).date = v)} />
                if after_rejection {
                    <p class="hint">{t("上一级已不同意，申报到此结束，本级不再填写。",
                        "An earlier level rejected the application: this level is not filled in.")}</p>
                }
            </fieldset>
        }
    });

    let (elig, funds_known) = eligibility_so_far(
        input,
        parsed.as_ref().ok(),
        latest.as_ref().map(|l| &l.result),
    );

    html! {
        <div class="std-page mh-page">
            <form class="std-form mh-form" {onsubmit} novalidate=true>
                <h2>{t("示范妇女之家申报表", "Model women's home application")}</h2>
                <p class="std-source">{t("（003 附件2）", "(003 annex 2)")}</p>
                {drafts}
                if form.save_error {
                    <SaveError {lang} />
                }
                <section>
                    <div class="grid">
                        <ChoiceField name="org_unit" label={t("所属村（社区）", "Village")} required=true
                            value={input.org_unit.clone()} choices={villages.clone()} error={err("org_unit")}
                            on_change={on_text(&d, "org_unit", |i, v| i.org_unit = v)} />
                        { text("year", "申报年度", "Year", TextKind::Number, &input.year, |i, v| i.year = v) }
                    </div>
                    if villages.is_empty() {
                        <p class="hint">{t("当前账号下没有村（社区）单位，无法提交申报表。",
                            "This account has no village units: applications cannot be submitted.")}</p>
                    }
                    { text("applicant_unit", "申报单位", "Applicant unit", TextKind::Text, &input.applicant_unit, |i, v| i.applicant_unit = v) }
                    <div class="grid">
                        { text("head_name", "负责人姓名", "Head's name", TextKind::Text, &input.head_name, |i, v| i.head_name = v) }
                        { text("head_title", "职务", "Title", TextKind::Text, &input.head_title, |i, v| i.head_title = v) }
                        { text("full_time_staff", "专职人员（人）", "Full-time staff", TextKind::Number, &input.full_time_staff, |i, v| i.full_time_staff = v) }
                        { text("part_time_staff", "兼职人员（人）", "Part-time staff", TextKind::Number, &input.part_time_staff, |i, v| i.part_time_staff = v) }
                        { text("resident_women", "常住妇女人口（人）", "Resident women", TextKind::Number, &input.resident_women, |i, v| i.resident_women = v) }
                        { text("annual_funds", "工作经费（元/年）", "Annual funds (yuan)", TextKind::Number, &input.annual_funds, |i, v| i.annual_funds = v) }
                    </div>
                    <FundsLine {lang} check={funds_so_far(input)} id="mh-funds-inline" />
                    { text("standardisation", "规范化建设情况", "Standardisation", TextKind::Multiline, &input.standardisation, |i, v| i.standardisation = v) }
                    { text("featured_activities", "特色活动和品牌", "Featured activities and brand", TextKind::Multiline, &input.featured_activities, |i, v| i.featured_activities = v) }
                </section>
                <section>
                    <h3>{t("审核意见（按顺序逐级填写）", "Opinions (in signing order)")}</h3>
                    { for opinions }
                </section>
                <div class="actions">
                    <button type="submit" class="primary">{t("提交", "Submit")}</button>
                    <small class="hint">{t(
                        "提交后进入待发送队列，联网时自动发送；草稿随时自动保存。",
                        "Submitted records wait in the outbox and are sent when online; drafts save automatically.")}</small>
                </div>
            </form>
            <aside class="preview std-preview mh-preview" aria-live="polite">
                <h3>{t("经费", "Funds")}</h3>
                <FundsLine {lang} check={funds_so_far(input)} />
                <h3>{t("审批状态", "Approval")}</h3>
                <p id="mh-status" class={classes!("mh-status", status_class(status))}
                    data-status={status_code(status)}>{status.label(lang)}</p>
                <ol class="mh-chain">
                    { for Level::ALL.iter().map(|&l| {
                        let (cls, word) = match status {
                            Status::Approved => ("done", t("同意", "Approved")),
                            Status::Pending(at) if l < at => ("done", t("同意", "Approved")),
                            Status::Pending(at) if l == at => ("current", t("待审核", "Awaiting")),
                            Status::Rejected(at) if l < at => ("done", t("同意", "Approved")),
                            Status::Rejected(at) if l == at => ("rejected", t("不同意", "Rejected")),
                            _ => ("later", t("—", "—")),
                        };
                        html! { <li class={cls} data-level={l.code()}><span>{l.label(lang)}</span><small>{word}</small></li> }
                    }) }
                </ol>
                <h3>{t("申报资格", "Eligibility")}</h3>
                <SevenLine {lang} latest={latest.clone()} server={server_seven} unit_chosen={!unit.is_empty()} />
                <p id="mh-eligibility" class={classes!("mh-eligibility", if elig.eligible { "ok" } else if funds_known { "no" } else { "open" })}
                    data-eligible={elig.eligible.to_string()}>
                    { if elig.eligible {
                        t("符合申报条件", "Eligible")
                    } else if elig.reasons.is_empty() || (!funds_known && elig.seven_ok) {
                        t("填写经费和常住妇女人口后判断", "Enter the funds and resident women to decide")
                    } else {
                        t("暂不符合申报条件", "Not eligible")
                    } }
                </p>
                if !elig.reasons.is_empty() {
                    <ul class="warnings mh-reasons" id="mh-reasons">
                        { for elig.reasons.iter().map(|r| html! {
                            <li class="sev-medium" data-code={reason_code(r)}>{r.message(lang)}</li>
                        }) }
                    </ul>
                }
            </aside>
            <div class="std-bar" aria-hidden="true">
                <span>{status.label(lang)}</span>
                <span class={if elig.eligible { "ok" } else { "pending" }}>{ if elig.eligible {
                    t("符合申报条件", "Eligible")
                } else {
                    t("暂不符合申报条件", "Not eligible yet")
                } }</span>
            </div>
        </div>
    }
}

fn opinion_mut(i: &mut ModelHomeInput, level: Level) -> &mut OpinionInput {
    match level {
        Level::Town => &mut i.opinions.town,
        Level::District => &mut i.opinions.district,
        Level::City => &mut i.opinions.city,
    }
}

fn status_code(s: Status) -> &'static str {
    match s {
        Status::Pending(_) => "pending",
        Status::Approved => "approved",
        Status::Rejected(_) => "rejected",
    }
}

fn status_class(s: Status) -> &'static str {
    status_code(s)
}

fn reason_code(r: &Ineligible) -> &'static str {
    match r {
        Ineligible::FundsBelowMinimum(_) => "funds_below_minimum",
        Ineligible::NoSelfAssessment => "no_self_assessment",
        Ineligible::WrongStandard { .. } => "wrong_standard",
        Ineligible::OtherUnit { .. } => "other_unit",
        Ineligible::SevenNotMet { .. } => "seven_not_met",
    }
}

#[derive(Properties, PartialEq)]
pub struct SevenLineProps {
    pub lang: Lang,
    pub latest: Option<LatestSeven>,
    pub server: ServerSeven,
    pub unit_chosen: bool,
}

/// Which 七有 self-assessment the eligibility is judged on, or that none is known.
#[component]
pub fn SevenLine(p: &SevenLineProps) -> Html {
    let lang = p.lang;
    let note = match &p.server {
        ServerSeven::Asking => tr(lang, "（正在向服务器查询…）", " (asking the server…)"),
        ServerSeven::NoAnswer => tr(
            lang,
            "（服务器暂无应答，仅查看了本机记录）",
            " (no answer from the server: only this device's records were checked)",
        ),
        ServerSeven::Answered(_) => AttrValue::Static(""),
    };
    if !p.unit_chosen {
        return html! {
            <p class="mh-seven none" id="mh-seven" data-known="false">
                {tr(lang, "选择所属村（社区）后查找其“七有”自评。", "Choose the village to look up its “seven haves” self-assessment.")}
            </p>
        };
    }
    match &p.latest {
        None => html! {
            <p class="mh-seven unknown" id="mh-seven" data-known="false">
                {tr(lang, "未找到该单位的“七有”自评记录：请先完成并提交“七有”自评。",
                    "No “seven haves” self-assessment is known for this unit: complete and submit one first.")}
                <small>{note}</small>
            </p>
        },
        Some(l) => {
            let r = &l.result;
            let source = match l.source {
                SevenSource::Device => tr(lang, "本机提交记录", "submitted on this device"),
                SevenSource::Server => tr(lang, "服务器记录", "on the server"),
            };
            html! {
                <p class={classes!("mh-seven", if r.all_met() { "ok" } else { "no" })} id="mh-seven"
                    data-known="true" data-met={r.met.to_string()} data-assessed-on={r.assessed_on.to_string()}>
                    {match lang {
                        Lang::Zh => format!("最近一次“七有”自评：{}，达标 {}/{}（{}）", r.assessed_on, r.met, r.total, r.percent_text()),
                        Lang::En => format!("Latest “seven haves” self-assessment: {}, met {}/{} ({})", r.assessed_on, r.met, r.total, r.percent_text()),
                    }}
                    <small>{" · "}{source}{note}</small>
                </p>
            }
        }
    }
}

fn focus_first_error() {
    gloo::timers::callback::Timeout::new(0, || {
        let doc = gloo::utils::document();
        if let Ok(Some(el)) = doc.query_selector(
            ".mh-form .has-error input, .mh-form .has-error select, .mh-form .has-error textarea",
        ) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    })
    .forget();
}
