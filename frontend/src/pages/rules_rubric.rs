//! 考核细则 — the year's town assessment rubric (issue #18), for city and admin staff: the rubric
//! in force for the year (its own, or the newest before it — it says which) laid out as seed
//! 004's table lays it out (项目 · 目标内容 · 分值 · 考核记分办法, then 加分项目); a new one loaded
//! from a JSON file in the shape of `shared/data/rubric-2018.json`, checked at once by `shared`'s
//! `Rubric::parse_json` (the server's own check), previewed (which assessments' scores move)
//! and published with a reason. The table in force can be downloaded as the file to start from.

use std::rc::Rc;

use serde_json::Value;
use shared::Lang;
use shared::rubric::{Rubric, Score};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{
    InForce, PublishBar, Published, RuleKind, RuleTabs, YearPicker, default_year, errors_html,
    field_messages, in_force_line, use_in_force,
};
use crate::i18n::tr;
use crate::storage::RefusedField;

#[derive(Properties, PartialEq)]
pub struct RulesRubricProps {
    pub lang: Lang,
}

/// A file loaded on the page.
#[derive(Clone, Debug, PartialEq)]
struct Loaded {
    year: u16,
    name: String,
    /// What is sent: the file as read, even when `shared` refuses it (the server then says the
    /// same, by field).
    body: Option<Rc<String>>,
    rubric: Option<Rc<Rubric>>,
    errors: Vec<RefusedField>,
}

fn refused(field: &str, zh: String, en: String) -> RefusedField {
    RefusedField {
        field: field.into(),
        message: zh,
        message_en: en,
    }
}

/// Reads a file's text as a rubric for `year` (the file's own year when it gives one).
fn load(name: String, text: &str, year: u16) -> Loaded {
    let body: Option<Value> = serde_json::from_str(text).ok();
    let file_year = body
        .as_ref()
        .and_then(|v| v.get("year"))
        .and_then(Value::as_u64)
        .and_then(|y| u16::try_from(y).ok())
        .filter(|y| (2000..=2100).contains(y));
    let (rubric, errors) = match (&body, Rubric::parse_json(text)) {
        (None, _) => (
            None,
            vec![refused(
                "",
                "文件不是有效的 JSON".into(),
                "The file is not valid JSON".into(),
            )],
        ),
        (Some(_), Ok(r)) => (Some(Rc::new(r)), Vec::new()),
        (Some(_), Err(e)) => (
            None,
            e.0.into_iter()
                .map(|f| refused(&f.field, f.message, f.message_en))
                .collect(),
        ),
    };
    Loaded {
        year: file_year.unwrap_or(year),
        name,
        body: body.is_some().then(|| Rc::new(text.to_owned())),
        rubric,
        errors,
    }
}

/// "1.00" as people write it: "1", "0.5".
fn pts(s: Score) -> String {
    let t = s.to_string();
    t.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 11] = [
        "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    match n {
        0..=10 => DIGITS[n].to_owned(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => n.to_string(),
    }
}

/// The rubric as seed 004 lays it out, with `errors` by the category or item they name.
fn rubric_table(lang: Lang, r: &Rubric, errors: &[RefusedField]) -> Html {
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let rows = r.categories.iter().enumerate().map(|(n, c)| {
        let cat_errors: Vec<String> = errors
            .iter()
            .filter(|e| e.field == c.id)
            .map(|e| e.message(lang).to_owned())
            .collect();
        html! {
            <tr class="rubric-category" data-category={c.id.clone()} data-points={c.points.to_string()} key={c.id.clone()}>
                <th scope="row">{match lang {
                    Lang::Zh => format!("{}、{}", chinese_number(n + 1), c.name),
                    Lang::En => format!("{}. {}", n + 1, c.name_en),
                }}{ errors_html(&cat_errors, &c.id) }</th>
                <td class="targets">
                    { for c.targets.iter().map(|x| html! { <p>{x.clone()}</p> }) }
                </td>
                <td class="points">{pts(c.points)}</td>
                <td class="items">
                    { for c.items.iter().map(|i| {
                        let messages = field_messages(errors, &i.id, lang);
                        html! {
                            <p class={classes!("rubric-item", (!messages.is_empty()).then_some("has-error"))}
                                data-item={i.id.clone()}>
                                <span lang="zh-CN">{i.text.clone()}</span>
                                if lang == Lang::En { <small class="gloss">{i.en.clone()}</small> }
                                { errors_html(&messages, &i.id) }
                            </p>
                        }
                    }) }
                </td>
            </tr>
        }
    });
    let bonus = html! {
        <tr class="rubric-bonus" data-cap={r.bonus.cap.to_string()}>
            <th scope="row">{t("加分项目", "Bonus")}</th>
            <td colspan="3">
                <p class="hint">{match lang {
                    Lang::Zh => format!("加分不超过{}分", pts(r.bonus.cap)),
                    Lang::En => format!("At most {} bonus points", pts(r.bonus.cap)),
                }}</p>
                { for r.bonus.items.iter().map(|b| html! {
                    <p class="rubric-item" data-item={b.id.clone()} data-points={b.points.to_string()}>
                        <span lang="zh-CN">{b.text.clone()}</span>
                        if lang == Lang::En { <small class="gloss">{b.en.clone()}</small> }
                    </p>
                }) }
            </td>
        </tr>
    };
    html! {
        <table id="rubric-table" class="table rubric-table" data-year={r.year.to_string()}
            data-full-marks={r.full_marks.to_string()}>
            <caption>{r.title.clone()}</caption>
            <thead><tr>
                <th>{t("项目", "Category")}</th><th>{t("目标内容", "Targets")}</th>
                <th>{t("分值", "Points")}</th><th>{t("考核记分办法", "How points are deducted")}</th>
            </tr></thead>
            <tbody>{ for rows }{bonus}</tbody>
            <tfoot><tr>
                <th>{t("合计", "Total")}</th><td></td><td>{pts(r.full_marks)}</td><td></td>
            </tr></tfoot>
        </table>
    }
}

#[component]
pub fn RulesRubricPage(p: &RulesRubricProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let year = use_state(default_year);
    let (in_force, replace_in_force) = use_in_force(RuleKind::Rubric, *year);
    let file = use_state(|| None::<Loaded>);
    let refused_fields = use_state(Vec::<RefusedField>::new);
    let reading = use_state(|| false);

    let on_year = {
        let (year, file) = (year.clone(), file.clone());
        Callback::from(move |y: u16| {
            year.set(y);
            file.set(None);
        })
    };
    let on_refused = {
        let r = refused_fields.clone();
        Callback::from(move |f: Vec<RefusedField>| r.set(f))
    };
    let on_published = {
        let file = file.clone();
        Callback::from(move |p: Rc<Published>| {
            file.set(None);
            replace_in_force.emit(p);
        })
    };
    let on_file = {
        let (file, year, reading) = (file.clone(), year.clone(), reading.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(f) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            let (file, year, reading) = (file.clone(), year.clone(), reading.clone());
            reading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let text = JsFuture::from(f.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                let loaded = load(f.name(), &text, *year);
                // The file says its year: show that year's table in force beside it.
                year.set(loaded.year);
                file.set(Some(loaded));
                reading.set(false);
                input.set_value("");
            });
        })
    };
    let discard = {
        let file = file.clone();
        Callback::from(move |_: MouseEvent| file.set(None))
    };

    let loaded = file.as_ref().filter(|f| f.year == *year);
    let in_force_json = match &in_force {
        InForce::Ready(Some(p)) => Some(p.table.to_string()),
        _ => None,
    };
    let in_force_rubric = in_force_json
        .as_deref()
        .and_then(|json| Rubric::from_json(json).ok());
    let mut errors: Vec<RefusedField> = loaded.map(|f| f.errors.clone()).unwrap_or_default();
    for f in refused_fields.iter() {
        if !errors.contains(f) {
            errors.push(f.clone());
        }
    }
    let body = loaded.and_then(|f| f.body.clone());
    let download = in_force_json
        .as_deref()
        .zip(in_force_rubric.as_ref())
        .map(|(json, r)| {
            (
                format!(
                    "data:application/json;charset=utf-8,{}",
                    String::from(js_sys::encode_uri_component(json))
                ),
                format!("rubric-{}.json", r.year),
            )
        });

    let shown = match (loaded, &in_force_rubric) {
        (Some(f), _) => match &f.rubric {
            Some(r) => rubric_table(lang, r, &errors),
            None => html! {
                <p class="none">{t("文件未通过检查，无法按细则排版；请按下面的错误修改文件后重新载入。",
                    "The file did not pass the checks and cannot be laid out; correct it as the errors below say and load it again.")}</p>
            },
        },
        (None, Some(r)) => rubric_table(lang, r, &[]),
        (None, None) => html! {},
    };

    html! {
        <main id="rules-rubric" class="page rules" data-year={year.to_string()}
            data-loading={matches!(in_force, InForce::Loading).to_string()}
            data-file={loaded.map(|f| f.name.clone()).unwrap_or_default()}
            data-errors={errors.len().to_string()}>
            <RuleTabs {lang} current={RuleKind::Rubric} />
            <h2>{t("镇（区、街道）考核细则", "Town assessment rubric")}</h2>
            <YearPicker {lang} year={*year} on_change={on_year} />
            { in_force_line(lang, *year, &in_force, (
                "该年及以前均无考核细则。",
                "No rubric for this year or any before it.",
            )) }
            <section class="rubric-file">
                <label for="rubric-file">{t("从文件载入新细则（JSON，格式同内置的 rubric-2018.json）",
                    "Load a new rubric from a file (JSON, in the shape of the built-in rubric-2018.json)")}</label>
                <input id="rubric-file" type="file" accept=".json,application/json" onchange={on_file} />
                if let Some((href, name)) = download {
                    <a id="rubric-download" href={href} download={name}>{t("下载现行细则作为模板", "Download the rubric in force as a template")}</a>
                }
                if *reading {
                    <p class="hint">{t("正在读取文件……", "Reading the file…")}</p>
                }
                if let Some(f) = loaded {
                    <p class="rule-changed" role="status">
                        {match lang {
                            Lang::Zh => format!("已载入文件 {}，尚未发布。", f.name),
                            Lang::En => format!("Loaded {}; not published yet.", f.name),
                        }}
                        <button type="button" id="rule-discard" onclick={discard}>{t("放弃", "Discard")}</button>
                    </p>
                    if f.errors.is_empty() {
                        <p id="rubric-check" class="ok" data-ok="true">{t("检查通过：分值合计、编号、扣分规则均符合要求。",
                            "Checked: the points add up, the ids and the rules are sound.")}</p>
                    }
                }
                if !errors.is_empty() {
                    <ul id="rubric-errors" class="field-errors" role="alert">
                        { for errors.iter().map(|e| html! {
                            <li class="error" data-field={e.field.clone()}>{e.message(lang).to_owned()}</li>
                        }) }
                    </ul>
                }
            </section>
            {shown}
            <PublishBar {lang} kind={RuleKind::Rubric} year={*year} {body}
                {on_refused} {on_published} />
        </main>
    }
}
