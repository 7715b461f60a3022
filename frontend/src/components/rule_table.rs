//! 年度规则表: what the three rule pages (calendar, rubric, themes) share — reading the table in
//! force for a year, the year chooser, the tabs, and the preview → reason → publish steps with
//! the server's answer (`/api/{calendars,rubrics,themes}/{year}`, see the backend's
//! `routes/rule_tables.rs`). Each page edits its own table and hands the JSON body in.

use std::rc::Rc;

use gloo::net::http::{Request, RequestBuilder, Response};
use serde::Deserialize;
use serde_json::Value;
use shared::Lang;
use yew::prelude::*;

use super::TextField;
use crate::i18n::tr;
use crate::route::{Link, Route};
use crate::storage::RefusedField;

/// One of the three tables, by its address under `/api/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Calendar,
    Rubric,
    Themes,
}

impl RuleKind {
    pub fn path(self) -> &'static str {
        match self {
            RuleKind::Calendar => "calendars",
            RuleKind::Rubric => "rubrics",
            RuleKind::Themes => "themes",
        }
    }
}

/// The table in force for a year, as `GET /api/{kind}/{year}` answers.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Published {
    /// The year the table was made for: an earlier one when the year has none of its own
    /// (rubric, themes); none for the built-in themes.
    pub table_year: Option<u16>,
    /// 0 for a built-in table.
    pub version: i64,
    pub builtin: bool,
    pub published_at: Option<String>,
    pub published_by: Option<String>,
    pub reason: Option<String>,
    pub table: Value,
    /// Only in the answer to a publish: whether a new version was made.
    #[serde(default)]
    pub changed: bool,
}

/// What the page knows of the year's table.
#[derive(Clone, Debug, PartialEq)]
pub enum InForce {
    Loading,
    /// `None`: the server has no table for the year (a calendar never published or built in).
    Ready(Option<Rc<Published>>),
    Failed(String),
}

/// A refusal or failure, in the server's words when it gave any.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
    pub message_en: String,
    pub fields: Vec<RefusedField>,
}

impl Refusal {
    fn offline() -> Self {
        Refusal {
            status: 0,
            message: "无法连接服务器，请联网后再试".into(),
            message_en: "The server cannot be reached; try again when online".into(),
            fields: Vec::new(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let m = lang.pick(&self.message, &self.message_en);
        if self.status == 0 {
            m.to_owned()
        } else {
            format!("{m}（HTTP {}）", self.status)
        }
    }

    async fn of(response: Response) -> Refusal {
        #[derive(Deserialize)]
        struct Body {
            #[serde(default)]
            message: String,
            #[serde(default)]
            message_en: String,
            #[serde(default)]
            fields: Vec<RefusedField>,
        }
        let status = response.status();
        let body = crate::api::body::<Body>(&response).await.ok();
        let (message, message_en, fields) = match body {
            Some(b) if !b.message.is_empty() => (b.message, b.message_en, b.fields),
            _ => (
                match status {
                    403 => "只有市妇联和管理员账号可以发布规则表".into(),
                    _ => "服务器拒绝了请求".into(),
                },
                match status {
                    403 => "Only city and admin accounts publish rule tables".into(),
                    _ => "The server refused the request".into(),
                },
                Vec::new(),
            ),
        };
        Refusal {
            status,
            message,
            message_en,
            fields,
        }
    }
}

/// A request to the table's address (with `body`, JSON text), answered with JSON text or
/// refused. Everything is read from text, through the one reader each type already has
/// (a second, from `serde_json::Value`, would grow the app).
async fn send(builder: RequestBuilder, body: Option<&str>) -> Result<String, Refusal> {
    let signal = web_sys::AbortSignal::timeout_with_u32(15_000);
    let builder = builder.abort_signal(Some(&signal));
    let request = match body {
        Some(b) => builder
            .header("Content-Type", "application/json")
            .body(b.to_owned()),
        None => builder.build(),
    }
    .map_err(|_| Refusal::offline())?;
    let response = request.send().await.map_err(|_| Refusal::offline())?;
    if response.ok() {
        response.text().await.map_err(|e| Refusal {
            status: response.status(),
            message: format!("服务器的答复无法读取：{e}"),
            message_en: format!("The server's answer cannot be read: {e}"),
            fields: Vec::new(),
        })
    } else {
        Err(Refusal::of(response).await)
    }
}

fn url(kind: RuleKind, year: u16) -> String {
    format!("/api/{}/{year}", kind.path())
}

/// The year's table in force, read again when `year` changes (an answer for a year no longer
/// chosen is dropped), and how to replace it with the version just published.
#[hook]
pub fn use_in_force(kind: RuleKind, year: u16) -> (InForce, Callback<Rc<Published>>) {
    let state = use_state(|| (0u16, InForce::Loading));
    let wanted = use_mut_ref(|| 0u16);
    {
        let state = state.clone();
        let wanted = wanted.clone();
        use_effect_with(year, move |year| {
            let year = *year;
            *wanted.borrow_mut() = year;
            wasm_bindgen_futures::spawn_local(async move {
                let got = match send(Request::get(&url(kind, year)), None).await {
                    Ok(v) => match shared::json::read::<Published>(&v) {
                        Ok(p) => InForce::Ready(Some(Rc::new(p))),
                        Err(e) => InForce::Failed(e.to_string()),
                    },
                    Err(r) if r.status == 404 => InForce::Ready(None),
                    Err(r) => InForce::Failed(r.message(Lang::Zh)),
                };
                if *wanted.borrow() == year {
                    state.set((year, got));
                }
            });
        });
    }
    let replace = {
        let state = state.clone();
        Callback::from(move |p: Rc<Published>| {
            if *wanted.borrow() == year {
                state.set((year, InForce::Ready(Some(p))));
            }
        })
    };
    let now = match &*state {
        (y, got) if *y == year => got.clone(),
        _ => InForce::Loading,
    };
    (now, replace)
}

/// The year a page opens on: next year once its notice is due (November on), else this one.
pub fn default_year() -> u16 {
    use chrono::Datelike;
    let today = crate::today();
    let y = today.year() + i32::from(today.month() >= 11);
    u16::try_from(y).unwrap_or(2026)
}

#[derive(Properties, PartialEq)]
pub struct RuleTabsProps {
    pub lang: Lang,
    pub current: RuleKind,
}

/// The three tables' pages, one tab each.
#[component]
pub fn RuleTabs(p: &RuleTabsProps) -> Html {
    let tab = |kind: RuleKind, to: Route, zh: &'static str, en: &'static str| {
        let active = kind == p.current;
        html! {
            <Link to={to} classes={classes!("rule-tab", active.then_some("active"))}>
                {tr(p.lang, zh, en)}
            </Link>
        }
    };
    html! {
        <nav class="rule-tabs" aria-label={tr(p.lang, "年度规则", "Yearly rules")}>
            { tab(RuleKind::Calendar, Route::RulesCalendar, "节假日安排", "Holidays") }
            { tab(RuleKind::Rubric, Route::RulesRubric, "考核细则", "Rubric") }
            { tab(RuleKind::Themes, Route::RulesThemes, "月月谈主题", "Monthly themes") }
        </nav>
    }
}

#[derive(Properties, PartialEq)]
pub struct YearPickerProps {
    pub lang: Lang,
    pub year: u16,
    pub on_change: Callback<u16>,
}

/// 年度: the year whose table is shown, with a step back and forward.
#[component]
pub fn YearPicker(p: &YearPickerProps) -> Html {
    let step = |by: i32| {
        let (year, cb) = (p.year, p.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let y = (i32::from(year) + by).clamp(2000, 2100);
            cb.emit(u16::try_from(y).unwrap_or(year));
        })
    };
    let onchange = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(y) = input.value().trim().parse::<u16>()
                && (2000..=2100).contains(&y)
            {
                cb.emit(y);
            }
        })
    };
    html! {
        <div class="year-picker">
            <label for="rule-year">{tr(p.lang, "年度", "Year")}</label>
            <button type="button" class="year-prev" onclick={step(-1)}
                aria-label={tr(p.lang, "上一年", "Previous year")}>{"‹"}</button>
            <input id="rule-year" type="text" inputmode="numeric" value={p.year.to_string()}
                {onchange} />
            <button type="button" class="year-next" onclick={step(1)}
                aria-label={tr(p.lang, "下一年", "Next year")}>{"›"}</button>
        </div>
    }
}

/// A line saying which table is in force for `year`: a published version (who, when, why),
/// the built-in default, an earlier year's, or none.
pub fn in_force_line(lang: Lang, year: u16, in_force: &InForce, none: (&str, &str)) -> Html {
    let text = match in_force {
        InForce::Loading => lang.pick("正在读取……", "Reading…").to_owned(),
        InForce::Failed(e) => format!("{}{e}", lang.pick("读取失败：", "Could not read: ")),
        InForce::Ready(None) => lang.pick(none.0, none.1).to_owned(),
        InForce::Ready(Some(p)) => {
            let other = match p.table_year {
                Some(y) if y != year => match lang {
                    Lang::Zh => format!("{year}年尚无自己的表，现行为{y}年的表；"),
                    Lang::En => format!("{year} has no table of its own; {y}'s is in force; "),
                },
                _ => String::new(),
            };
            let what = if p.builtin {
                lang.pick(
                    "内置默认（随程序发布）",
                    "Built-in default (shipped with the app)",
                )
                .to_owned()
            } else {
                match lang {
                    Lang::Zh => format!(
                        "已发布第{}版（{}，{}，原因：{}）",
                        p.version,
                        p.published_at.as_deref().unwrap_or(""),
                        p.published_by.as_deref().unwrap_or("命令行"),
                        p.reason.as_deref().unwrap_or(""),
                    ),
                    Lang::En => format!(
                        "Published version {} ({}, by {}, reason: {})",
                        p.version,
                        p.published_at.as_deref().unwrap_or(""),
                        p.published_by.as_deref().unwrap_or("the command line"),
                        p.reason.as_deref().unwrap_or(""),
                    ),
                }
            };
            format!("{other}{what}")
        }
    };
    let source = match in_force {
        InForce::Ready(Some(p)) if p.builtin => "builtin",
        InForce::Ready(Some(_)) => "published",
        InForce::Ready(None) => "none",
        InForce::Loading => "loading",
        InForce::Failed(_) => "failed",
    };
    let version = match in_force {
        InForce::Ready(Some(p)) => p.version.to_string(),
        _ => String::new(),
    };
    html! {
        <p id="rule-in-force" class="rule-in-force" data-source={source} data-version={version}>
            <strong>{lang.pick("现行：", "In force: ")}</strong>{text}
        </p>
    }
}

/// The messages of `fields` whose field is `field` or inside it (`holidays[0]` takes
/// `holidays[0].to`).
pub fn field_messages(fields: &[RefusedField], field: &str, lang: Lang) -> Vec<String> {
    fields
        .iter()
        .filter(|f| {
            f.field == field
                || f.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
        .map(|f| f.message(lang).to_owned())
        .collect()
}

/// Field errors under an entry.
pub fn errors_html(messages: &[String], field: &str) -> Html {
    if messages.is_empty() {
        return html! {};
    }
    html! {
        <ul class="field-errors" data-field={field.to_owned()} role="alert">
            { for messages.iter().map(|m| html! { <li class="error">{m.clone()}</li> }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct PublishProps {
    pub lang: Lang,
    pub kind: RuleKind,
    pub year: u16,
    /// The table as edited; `None` while there is nothing to publish.
    pub body: Option<Rc<String>>,
    /// The server refused the body: its field errors, for the page to show by field (empty
    /// once the body changes or is accepted).
    pub on_refused: Callback<Vec<RefusedField>>,
    /// A new version was published (or the same table was already in force): the version now
    /// in force.
    pub on_published: Callback<Rc<Published>>,
}

/// What publishing the body would move, as the server previews it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
struct Preview {
    changed: bool,
    #[serde(default)]
    cases: Option<Vec<CaseChange>>,
    #[serde(default)]
    assessments: Option<Vec<ScoreChange>>,
    #[serde(default)]
    months: Option<Vec<u32>>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct Counted {
    value: String,
    #[serde(default)]
    missing_years: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct CaseChange {
    id: String,
    unit: String,
    accepted_on: Option<String>,
    old: Counted,
    new: Counted,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct ScoreChange {
    id: String,
    town: String,
    old_raw_total: Option<String>,
    new_raw_total: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Idle,
    Working,
    /// Previewed this body.
    Previewed(Rc<String>, Rc<Preview>),
    Published {
        version: i64,
        changed: bool,
    },
    Refused(Refusal),
}

/// 预览 → 变更原因 → 发布. Publishing is offered once the body on screen has been previewed.
#[component]
pub fn PublishBar(p: &PublishProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let step = use_state(|| Step::Idle);
    let reason = use_state(String::new);
    let reason_error = use_state(|| false);

    // A changed body (or year) forgets the preview, the refusal and its field errors.
    {
        let (step, on_refused) = (step.clone(), p.on_refused.clone());
        use_effect_with((p.body.clone(), p.year), move |_| {
            if !matches!(*step, Step::Idle | Step::Published { .. }) {
                step.set(Step::Idle);
                on_refused.emit(Vec::new());
            }
        });
    }

    let preview = {
        let (step, body, kind, year) = (step.clone(), p.body.clone(), p.kind, p.year);
        let on_refused = p.on_refused.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(body) = body.clone() else { return };
            let (step, on_refused) = (step.clone(), on_refused.clone());
            step.set(Step::Working);
            wasm_bindgen_futures::spawn_local(async move {
                let req = Request::post(&format!("{}/preview", url(kind, year)));
                match send(req, Some(body.as_str())).await {
                    Ok(v) => match shared::json::read::<Preview>(&v) {
                        Ok(pv) => {
                            on_refused.emit(Vec::new());
                            step.set(Step::Previewed(body, Rc::new(pv)));
                        }
                        Err(e) => step.set(Step::Refused(Refusal {
                            status: 200,
                            message: format!("预览无法读取：{e}"),
                            message_en: format!("The preview cannot be read: {e}"),
                            fields: Vec::new(),
                        })),
                    },
                    Err(r) => {
                        on_refused.emit(r.fields.clone());
                        step.set(Step::Refused(r));
                    }
                }
            });
        })
    };

    let publish = {
        let (step, body, kind, year) = (step.clone(), p.body.clone(), p.kind, p.year);
        let (reason, reason_error) = (reason.clone(), reason_error.clone());
        let (on_refused, on_published) = (p.on_refused.clone(), p.on_published.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(body) = body.clone() else { return };
            let why = reason.trim().to_owned();
            if why.is_empty() {
                reason_error.set(true);
                return;
            }
            reason_error.set(false);
            let (step, on_refused, on_published) =
                (step.clone(), on_refused.clone(), on_published.clone());
            step.set(Step::Working);
            let encoded = String::from(js_sys::encode_uri_component(&why));
            wasm_bindgen_futures::spawn_local(async move {
                let req = Request::put(&format!("{}?reason={encoded}", url(kind, year)));
                match send(req, Some(body.as_str())).await {
                    Ok(v) => {
                        on_refused.emit(Vec::new());
                        match shared::json::read::<Published>(&v) {
                            Ok(p) => {
                                step.set(Step::Published {
                                    version: p.version,
                                    changed: p.changed,
                                });
                                on_published.emit(Rc::new(p));
                            }
                            Err(e) => step.set(Step::Refused(Refusal {
                                status: 200,
                                message: format!("已发布，但答复无法读取：{e}"),
                                message_en: format!(
                                    "Published, but the answer cannot be read: {e}"
                                ),
                                fields: Vec::new(),
                            })),
                        }
                    }
                    Err(r) => {
                        on_refused.emit(r.fields.clone());
                        step.set(Step::Refused(r));
                    }
                }
            });
        })
    };

    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |v: String| reason.set(v))
    };
    let working = *step == Step::Working;
    let previewed = match &*step {
        Step::Previewed(b, _) => p.body.as_ref() == Some(b),
        _ => false,
    };

    let outcome = match &*step {
        Step::Idle | Step::Working => html! {},
        Step::Previewed(_, pv) => preview_html(lang, pv),
        Step::Published { version, changed } => html! {
            <p id="rule-published" class="ok" data-version={version.to_string()} role="status">
                { if *changed {
                    match lang {
                        Lang::Zh => format!("已发布为第{version}版。"),
                        Lang::En => format!("Published as version {version}."),
                    }
                } else {
                    match lang {
                        Lang::Zh => format!("与现行第{version}版相同，未生成新版本。"),
                        Lang::En => format!("The same as version {version} in force: no new version."),
                    }
                } }
            </p>
        },
        Step::Refused(r) => html! {
            <div id="rule-refused" class="refused" role="alert" data-status={r.status.to_string()}>
                <p class="error">{r.message(lang)}</p>
                if !r.fields.is_empty() {
                    <ul class="field-errors">
                        { for r.fields.iter().map(|f| html! {
                            <li class="error" data-field={f.field.clone()}>{f.message(lang).to_owned()}</li>
                        }) }
                    </ul>
                }
            </div>
        },
    };

    html! {
        <section class="rule-publish" aria-label={t("预览与发布", "Preview and publish")}>
            <div class="actions">
                <button type="button" id="rule-preview" onclick={preview}
                    disabled={working || p.body.is_none()}>{t("预览变化", "Preview changes")}</button>
            </div>
            {outcome}
            <TextField name="reason" label={t("变更原因", "Reason for the change")} required=true
                value={(*reason).clone()} on_change={on_reason}
                hint={t("例如：依据国务院办公厅通知录入", "e.g. entered from the State Council's notice")}
                error={reason_error.then(|| t("变更原因：必填", "Reason for the change is required"))} />
            <div class="actions">
                <button type="button" id="rule-publish" class="primary" onclick={publish}
                    disabled={working || !previewed}>{t("发布", "Publish")}</button>
                if !previewed && p.body.is_some() {
                    <small class="hint">{t("先预览，再发布。", "Preview first, then publish.")}</small>
                }
            </div>
        </section>
    }
}

fn preview_html(lang: Lang, pv: &Preview) -> Html {
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let date = |c: &Counted| {
        if c.missing_years.is_empty() {
            c.value.clone()
        } else {
            format!(
                "{}{}",
                c.value,
                lang.pick("（按周一至周五估算）", " (counted Monday–Friday)")
            )
        }
    };
    let body = if let Some(cases) = &pv.cases {
        if cases.is_empty() {
            html! { <p class="none">{t("没有在办个案的答复期限因此改变。", "No open case's reply deadline changes.")}</p> }
        } else {
            html! {
                <table id="preview-cases" class="table">
                    <caption>{match lang {
                        Lang::Zh => format!("{}件在办个案的答复期限将改变", cases.len()),
                        Lang::En => format!("{} open cases' reply deadlines change", cases.len()),
                    }}</caption>
                    <thead><tr>
                        <th>{t("个案", "Case")}</th><th>{t("单位", "Unit")}</th>
                        <th>{t("受理日期", "Accepted")}</th><th>{t("原期限", "Old deadline")}</th>
                        <th>{t("新期限", "New deadline")}</th>
                    </tr></thead>
                    <tbody>
                        { for cases.iter().map(|c| html! {
                            <tr data-id={c.id.clone()} data-old={c.old.value.clone()} data-new={c.new.value.clone()}>
                                <td>{c.id.chars().take(8).collect::<String>()}</td>
                                <td>{c.unit.clone()}</td>
                                <td>{c.accepted_on.clone().unwrap_or_default()}</td>
                                <td>{date(&c.old)}</td>
                                <td>{date(&c.new)}</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        }
    } else if let Some(a) = &pv.assessments {
        if a.is_empty() {
            html! { <p class="none">{t("没有本年度考核的得分因此改变。", "No assessment's score of the year changes.")}</p> }
        } else {
            html! {
                <table id="preview-assessments" class="table">
                    <thead><tr>
                        <th>{t("镇（区、街道）", "Town")}</th><th>{t("原得分", "Old score")}</th>
                        <th>{t("新得分", "New score")}</th>
                    </tr></thead>
                    <tbody>
                        { for a.iter().map(|s| html! {
                            <tr data-id={s.id.clone()}>
                                <td>{s.town.clone()}</td>
                                <td>{s.old_raw_total.clone().unwrap_or_else(|| "—".into())}</td>
                                <td>{s.new_raw_total.clone().or_else(|| s.error.clone()).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        }
    } else if let Some(months) = &pv.months {
        if months.is_empty() {
            html! { <p class="none">{t("各月主题没有变化。", "No month's themes change.")}</p> }
        } else {
            let list = months
                .iter()
                .map(|m| match lang {
                    Lang::Zh => format!("{m}月"),
                    Lang::En => format!("month {m}"),
                })
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", "));
            html! { <p id="preview-months">{t("主题改变的月份：", "Months whose themes change: ")}{list}</p> }
        }
    } else {
        html! {}
    };
    html! {
        <div id="rule-preview-result" class="rule-preview" data-changed={pv.changed.to_string()}>
            if !pv.changed {
                <p class="none">{t("与现行的表相同。", "The same as the table in force.")}</p>
            }
            {body}
        </div>
    }
}
