//! 镇（区、街道）年度考核 — the city assessor's form for one town and year, laid out like the
//! 考核细则 table of seed 004 (`shared::rubric`), with every category's score, the base, the
//! bonus and the raw total recomputed by `shared` on every keystroke.
//!
//! Only city and admin staff get this page (the route hides it from the others; the server
//! refuses anyone else's post with 403).

use shared::Lang;
use shared::rubric::{
    Item, ItemInput, Rubric, Rule, Score, TownAssessment, TownAssessmentInput, TownPreview,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::FormPageProps;
use crate::components::{
    Choice, ChoiceField, FormAction, FormDispatch, SaveError, TextField, TextKind, on_flag,
    on_text, unit_choices, use_draft_form, use_fitted_unit,
};
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::storage;

/// An edit of one item's answer (`items.<id>.<field>` is the field touched): a text or a choice.
fn on_item_text(
    d: &FormDispatch<TownAssessmentInput>,
    id: &str,
    field: &str,
    f: impl Fn(&mut ItemInput, String) + 'static,
) -> Callback<String> {
    let id = id.to_owned();
    on_text(d, format!("items.{id}.{field}"), move |i, v| {
        f(i.items.entry(id.clone()).or_default(), v)
    })
}

/// An item's tick box (`items.<id>.<field>` is the field touched).
fn on_item_flag(
    d: &FormDispatch<TownAssessmentInput>,
    id: &str,
    field: &str,
    f: impl Fn(&mut ItemInput, bool) + 'static,
) -> Callback<bool> {
    let id = id.to_owned();
    on_flag(d, format!("items.{id}.{field}"), move |i, v| {
        f(i.items.entry(id.clone()).or_default(), v)
    })
}

/// A new, empty assessment of `year`.
pub fn blank(year: u16) -> TownAssessmentInput {
    TownAssessmentInput {
        id: crate::new_id(),
        year: year.to_string(),
        ..Default::default()
    }
}

fn this_year() -> u16 {
    chrono::Datelike::year(&crate::today()) as u16
}

/// "1.00" without the trailing zeros people do not write: "1", "0.5", "3.33".
fn pts(s: Score) -> String {
    let t = s.to_string();
    t.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn checkbox(
    name: String,
    value: Option<String>,
    label: String,
    checked: bool,
    on: Callback<bool>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        on.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
    });
    html! {
        <label class="check">
            <input type="checkbox" {name} {value} {checked} {onchange} />
            {label}
        </label>
    }
}

#[component]
pub fn TownAssessmentPage(p: &FormPageProps) -> Html {
    let lang = p.lang;
    // The current year first, filled against its published rubric (the newest before it when
    // it has none, as the note says).
    let (form, drafts) = use_draft_form(FormKind::TownAssessment, lang, || blank(this_year()));
    let year: u16 = form
        .input
        .year
        .trim()
        .parse()
        .unwrap_or_else(|_| this_year());
    let rubric = crate::replica::rubric_in_force(year);
    let towns = unit_choices(&p.units, "town");
    use_fitted_unit(&form, towns.clone(), |i| &mut i.town);

    let parsed = TownAssessment::parse(&form.input, rubric);
    let errors = parsed.as_ref().err();
    let err = |key: &str| -> Option<AttrValue> {
        if !form.shows(key) {
            return None;
        }
        errors
            .and_then(|e| e.get(key))
            .map(|e| AttrValue::from(e.message(lang).to_owned()))
    };
    let preview = form.input.preview(rubric);
    let d = form.dispatcher();
    let input = &form.input;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);

    let onsubmit = {
        let form = form.clone();
        let on_queued = p.on_queued.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if TownAssessment::parse(&form.input, rubric).is_err() {
                form.dispatch(FormAction::ShowAllErrors);
                focus_first_error();
                return;
            }
            let now = js_sys::Date::now();
            match storage::enqueue_page(
                FormKind::TownAssessment,
                form.input.id,
                form.editing.as_ref().map(|e| e.version),
                &form.input,
                now,
            ) {
                Ok(()) => {
                    // The next town, same year.
                    let mut next = blank(year);
                    next.year = form.input.year.clone();
                    form.dispatch(FormAction::Replace(Box::new(next)));
                    on_queued.emit(());
                }
                Err(_) => form.dispatch(FormAction::SaveFailed),
            }
        })
    };

    let mut year_list: Vec<u16> = (this_year() - 2..=this_year()).collect();
    year_list.extend([year, rubric.year]);
    shared::order::sort_by(&mut year_list, |a, b| b.cmp(a));
    year_list.dedup();
    let years: Vec<Choice> = year_list
        .into_iter()
        .map(|y| Choice {
            value: y.to_string().into(),
            label: y.to_string().into(),
        })
        .collect();

    let item_row = |n: usize, item: &Item| -> Html {
        let id = item.id.as_str();
        let empty = ItemInput::default();
        let a = input.items.get(id).unwrap_or(&empty);
        let key = |f: &str| format!("items.{id}.{f}");
        let control = match &item.rule {
            Rule::Shortfall {
                required,
                per_missing,
            } => html! {
                <TextField name={key("count")} kind={TextKind::Number} required=true
                    label={match lang {
                        Lang::Zh => format!("完成数（要求 {required}，少一次扣 {} 分）", pts(*per_missing)),
                        Lang::En => format!("Number done (required {required}; {} per one short)", pts(*per_missing)),
                    }}
                    value={a.count.clone()} error={err(&key("count"))}
                    on_change={on_item_text(&d, id, "count", |a, v| a.count = v)} />
            },
            Rule::Flag { deduction } => html! {
                <div class="ta-flag">
                    { checkbox(key("holds"), None, match lang {
                        Lang::Zh => format!("存在此情形，扣 {} 分", pts(*deduction)),
                        Lang::En => format!("This applies: −{}", pts(*deduction)),
                    }, a.holds, on_item_flag(&d, id, "holds", |a, v| a.holds = v)) }
                </div>
            },
            Rule::Checklist {
                elements,
                per_missing,
            } => {
                let checked = a.checked.clone();
                let error = err(&key("checked"));
                html! {
                    <div class={classes!("field", "ta-checklist", error.is_some().then_some("has-error"))}>
                        <span class="checks-label">{match lang {
                            Lang::Zh => format!("已具备的项目（每缺一项扣 {} 分）", pts(*per_missing)),
                            Lang::En => format!("What the town has ({} per missing one)", pts(*per_missing)),
                        }}<span class="req" aria-hidden="true">{"*"}</span></span>
                        <div class="checks">
                            { for elements.iter().map(|el| {
                                let on = checked.as_ref().is_some_and(|c| c.contains(&el.id));
                                let el_id = el.id.clone();
                                let cb = on_item_flag(&d, id, "checked", move |a, v| {
                                    let mut list = a.checked.take().unwrap_or_default();
                                    list.retain(|x| *x != el_id);
                                    if v {
                                        list.push(el_id.clone());
                                    }
                                    a.checked = Some(list);
                                });
                                checkbox(key("checked"), Some(el.id.clone()), lang.pick(&el.name, &el.name_en).to_owned(), on, cb)
                            }) }
                            { checkbox(key("none"), None, lang.pick("以上均无", "None of these").to_owned(),
                                checked.as_ref().is_some_and(Vec::is_empty),
                                on_item_flag(&d, id, "checked", |a, v| a.checked = v.then(Vec::new))) }
                        </div>
                        if let Some(e) = error { <small class="error" role="alert">{e}</small> }
                    </div>
                }
            }
            Rule::PerOccurrence { per_occurrence } => html! {
                <TextField name={key("count")} kind={TextKind::Number}
                    label={match lang {
                        Lang::Zh => format!("发生次数（每次扣 {} 分；没有填 0 或留空）", pts(*per_occurrence)),
                        Lang::En => format!("Occurrences ({} each; none: 0 or empty)", pts(*per_occurrence)),
                    }}
                    value={a.count.clone()} error={err(&key("count"))}
                    on_change={on_item_text(&d, id, "count", |a, v| a.count = v)} />
            },
            Rule::Choice { options } => {
                let choices: Vec<Choice> = options
                    .iter()
                    .map(|o| {
                        let d = o.deduction.unwrap_or(Score::ZERO);
                        let name = lang.pick(&o.name, &o.name_en);
                        Choice {
                            value: o.id.clone().into(),
                            label: if d.is_zero() {
                                format!("{name}{}", lang.pick("（不扣分）", " (no deduction)"))
                            } else {
                                match lang {
                                    Lang::Zh => format!("{name}（扣 {} 分）", pts(d)),
                                    Lang::En => format!("{name} (−{})", pts(d)),
                                }
                            }
                            .into(),
                        }
                    })
                    .collect();
                html! {
                    <ChoiceField name={key("option")} label={t("情形", "Which applies")} required=true radio=true
                        value={a.option.clone()} {choices} error={err(&key("option"))}
                        on_change={on_item_text(&d, id, "option", |a, v| a.option = v)} />
                }
            }
            Rule::Discretionary { min, max } => {
                let range = if min.is_zero() {
                    format!("0–{}", pts(*max))
                } else {
                    match lang {
                        Lang::Zh => format!("0 或 {}–{}", pts(*min), pts(*max)),
                        Lang::En => format!("0 or {}–{}", pts(*min), pts(*max)),
                    }
                };
                let deducting = Score::parse(&a.deduction).is_ok_and(|s| !s.is_zero());
                html! {
                    <div class="ta-discretionary">
                        <TextField name={key("deduction")} kind={TextKind::Number}
                            label={match lang {
                                Lang::Zh => format!("酌情扣分（{range}；不扣填 0 或留空）"),
                                Lang::En => format!("Deduction ({range}; none: 0 or empty)"),
                            }}
                            value={a.deduction.clone()} error={err(&key("deduction"))}
                            on_change={on_item_text(&d, id, "deduction", |a, v| a.deduction = v)} />
                        <TextField name={key("reason")} label={t("扣分理由", "Reason")} required={deducting}
                            value={a.reason.clone()} error={err(&key("reason"))}
                            on_change={on_item_text(&d, id, "reason", |a, v| a.reason = v)} />
                    </div>
                }
            }
            Rule::Proportional { max } => html! {
                <div class="ta-proportional">
                    <TextField name={key("done")} kind={TextKind::Number} required=true
                        label={t("已完成任务数", "Tasks completed")}
                        value={a.done.clone()} error={err(&key("done"))}
                        on_change={on_item_text(&d, id, "done", |a, v| a.done = v)} />
                    <TextField name={key("total")} kind={TextKind::Number} required=true
                        label={t("任务总数", "Tasks assigned")}
                        hint={match lang {
                            Lang::Zh => format!("未完成部分按比例扣分，最多 {} 分；无任务填 0", pts(*max)),
                            Lang::En => format!("The unfinished share of {} points is deducted; no tasks: 0", pts(*max)),
                        }}
                        value={a.total.clone()} error={err(&key("total"))}
                        on_change={on_item_text(&d, id, "total", |a, v| a.total = v)} />
                </div>
            },
            Rule::AssessorScore { max } => html! {
                <div class="ta-innovation">
                    { checkbox(key("applied"), None, lang.pick("已申报创新工作", "Innovative work applied for").to_owned(),
                        a.applied, on_item_flag(&d, id, "applied", |a, v| a.applied = v)) }
                    if a.applied {
                        <TextField name={key("score")} kind={TextKind::Number} required=true
                            label={match lang {
                                Lang::Zh => format!("考评得分（0–{}）", pts(*max)),
                                Lang::En => format!("Score awarded (0–{})", pts(*max)),
                            }}
                            value={a.score.clone()} error={err(&key("score"))}
                            on_change={on_item_text(&d, id, "score", |a, v| a.score = v)} />
                    } else {
                        <p class="hint">{match lang {
                            Lang::Zh => format!("未申报不得分（扣 {} 分）", pts(*max)),
                            Lang::En => format!("Not applied for: no points (−{})", pts(*max)),
                        }}</p>
                    }
                </div>
            },
        };
        let pending = preview.is_pending(id);
        let cost = preview.deduction(id);
        html! {
            <div class={classes!("ta-item", pending.then_some("pending"))} key={item.id.clone()}
                data-item={item.id.clone()}>
                <div class="ta-clause">
                    <span class="ta-item-name">{format!("{}. ", n + 1)}{lang.pick(&item.name, &item.name_en)}</span>
                    <q lang="zh-CN">{item.text.clone()}</q>
                    if lang == Lang::En { <small class="gloss">{item.en.clone()}</small> }
                </div>
                <div class="ta-answer">{control}</div>
                <div class={classes!("ta-cost", (!cost.is_zero()).then_some("deducted"))}
                    data-points={cost.to_string()} data-pending={pending.to_string()}>
                    if pending {
                        {t("未填", "To fill")}
                    } else if cost.is_zero() {
                        {"0"}
                    } else {
                        {format!("−{}", cost)}
                    }
                </div>
            </div>
        }
    };

    let categories = rubric.categories.iter().enumerate().map(|(n, c)| {
        let result = preview.score.categories.iter().find(|r| r.id == c.id);
        let score = result.map_or(c.points, |r| r.score);
        let deducted = result.map_or(Score::ZERO, |r| r.deducted);
        html! {
            <section class="ta-category" key={c.id.clone()} data-category={c.id.clone()}>
                <header class="ta-cat-head">
                    <h3>{match lang {
                        Lang::Zh => format!("{}、{}", chinese_number(n + 1), c.name),
                        Lang::En => format!("{}. {}", n + 1, c.name_en),
                    }}</h3>
                    <span class="ta-points">{t("分值 ", "Points ")}{pts(c.points)}</span>
                    <span class="ta-cat-score" data-score={score.to_string()}>
                        {t("得分 ", "Score ")}{score.to_string()}
                        if !deducted.is_zero() {
                            <small>{match lang {
                                Lang::Zh => format!("（扣 {deducted}）"),
                                Lang::En => format!(" (−{deducted})"),
                            }}</small>
                        }
                    </span>
                </header>
                if !c.targets.is_empty() {
                    <details class="ta-targets">
                        <summary>{t("目标内容", "Targets")}</summary>
                        <ul lang="zh-CN">{ for c.targets.iter().map(|x| html! { <li>{x.clone()}</li> }) }</ul>
                    </details>
                }
                <div class="ta-items">
                    <div class="ta-item ta-head" aria-hidden="true">
                        <span>{t("考核记分办法", "Scoring rule")}</span>
                        <span>{t("考核情况", "Finding")}</span>
                        <span>{t("扣分", "Deducted")}</span>
                    </div>
                    { for c.items.iter().enumerate().map(|(i, item)| item_row(i, item)) }
                </div>
            </section>
        }
    });

    let bonus = rubric.bonus.items.iter().map(|b| {
        let key = format!("bonus.{}", b.id);
        let bid = b.id.clone();
        html! {
            <div class="ta-item ta-bonus" key={b.id.clone()} data-bonus={b.id.clone()}>
                <div class="ta-clause">
                    <span class="ta-item-name">{lang.pick(&b.name, &b.name_en)}</span>
                    <q lang="zh-CN">{b.text.clone()}</q>
                    if lang == Lang::En { <small class="gloss">{b.en.clone()}</small> }
                </div>
                <div class="ta-answer">
                    <TextField name={key.clone()} kind={TextKind::Number}
                        label={match lang {
                            Lang::Zh => format!("次数（每次加 {} 分）", pts(b.points)),
                            Lang::En => format!("Times (+{} each)", pts(b.points)),
                        }}
                        value={input.bonus.get(&b.id).cloned().unwrap_or_default()} error={err(&key)}
                        on_change={on_text(&d, key.clone(), move |i, v| {
                            if v.is_empty() {
                                i.bonus.remove(&bid);
                            } else {
                                i.bonus.insert(bid.clone(), v);
                            }
                        })} />
                </div>
                <div class="ta-cost bonus">{
                    if preview.is_pending(&key) {
                        t("未填", "To fill").to_string()
                    } else {
                        let n = input.bonus.get(&b.id).and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(0);
                        if n == 0 { "0".to_owned() } else { format!("+{}", b.points.times(n)) }
                    }
                }</div>
            </div>
        }
    });

    html! {
        <div class="std-page ta-page">
            <form class="std-form ta-form" {onsubmit} novalidate=true>
                <h2>{t("镇（区、街道）妇女工作年度考核", "Town annual assessment")}</h2>
                <p class="std-source">{rubric.title.clone()}</p>
                if rubric.year != year {
                    <p class="banner info" id="rubric-note" data-rubric-year={rubric.year.to_string()}>{ match lang {
                        Lang::Zh => format!("{year} 年尚未发布考核细则，按 {} 年版填写。", rubric.year),
                        Lang::En => format!("No rubric published for {year}: filled against the {} rubric.", rubric.year),
                    } }</p>
                }
                {drafts}
                if form.save_error {
                    <SaveError {lang} />
                }
                <section class="grid">
                    <ChoiceField name="town" label={t("镇（区、街道）", "Town")} required=true
                        value={input.town.clone()} choices={towns.clone()} error={err("town")}
                        on_change={on_text(&d, "town", |i, v| i.town = v)} />
                    <ChoiceField name="year" label={t("考核年度", "Year")} required=true
                        value={input.year.clone()} choices={years} error={err("year")}
                        on_change={on_text(&d, "year", |i, v| i.year = v)} />
                </section>
                if towns.is_empty() {
                    <p class="hint">{t("当前账号下没有镇（区、街道）单位，无法提交考核。",
                        "This account has no town units: assessments cannot be submitted.")}</p>
                }
                { for categories }
                <section class="ta-category ta-bonus-section">
                    <header class="ta-cat-head">
                        <h3>{t("加分项目", "Bonus")}</h3>
                        <span class="ta-points">{match lang {
                            Lang::Zh => format!("加分不超过 {} 分", pts(rubric.bonus.cap)),
                            Lang::En => format!("At most {} points", pts(rubric.bonus.cap)),
                        }}</span>
                    </header>
                    <div class="ta-items">{ for bonus }</div>
                </section>
                <div class="actions">
                    <button type="submit" class="primary">{t("提交", "Submit")}</button>
                    <small class="hint">{t(
                        "提交后进入待发送队列，联网时自动发送；草稿随时自动保存。",
                        "Submitted assessments wait in the outbox and are sent when online; drafts save automatically.")}</small>
                </div>
            </form>
            <ScorePreview {lang} preview={preview.clone()} />
            <div class="std-bar" aria-hidden="true">
                <span>{t("原始总分 ", "Raw total ")}<strong>{preview.score.raw_total.to_string()}</strong></span>
                <span>{t("基本分 ", "Base ")}{preview.score.base.to_string()}{t(" · 加分 ", " · bonus ")}{preview.score.bonus.to_string()}</span>
                if !preview.pending.is_empty() {
                    <span class="pending">{match lang {
                        Lang::Zh => format!("{} 项未填", preview.pending.len()),
                        Lang::En => format!("{} to fill", preview.pending.len()),
                    }}</span>
                }
            </div>
        </div>
    }
}

/// 一 … 十, for the category headings as the table numbers them.
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

fn focus_first_error() {
    gloo::timers::callback::Timeout::new(0, || {
        let doc = gloo::utils::document();
        if let Ok(Some(el)) =
            doc.query_selector(".ta-form .has-error input, .ta-form .has-error select")
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
pub struct ScorePreviewProps {
    pub lang: Lang,
    pub preview: TownPreview,
}

/// 考核得分: every category, the base, the bonus before and after the cap, and the raw total —
/// the strings `shared` writes, the same the server stores.
#[component]
pub fn ScorePreview(p: &ScorePreviewProps) -> Html {
    let lang = p.lang;
    let s = &p.preview.score;
    let rubric = Rubric::builtin();
    let name = |id: &str, zh: &str| -> String {
        rubric
            .categories
            .iter()
            .find(|c| c.id == id)
            .map_or(zh.to_owned(), |c| lang.pick(&c.name, &c.name_en).to_owned())
    };
    let pending: Vec<String> = p
        .preview
        .pending
        .iter()
        .map(|id| match id.strip_prefix("bonus.") {
            Some(b) => rubric
                .bonus_item(b)
                .map_or(id.clone(), |b| lang.pick(&b.name, &b.name_en).to_owned()),
            None => rubric.item(id).map_or(id.clone(), |(_, i)| {
                lang.pick(&i.name, &i.name_en).to_owned()
            }),
        })
        .collect();
    html! {
        <aside class="preview std-preview ta-preview" aria-live="polite">
            <h3>{tr(lang, "考核得分", "Score")}</h3>
            <div class="ta-total" id="ta-raw-total" data-score={s.raw_total.to_string()}>
                <small>{tr(lang, "原始总分", "Raw total")}</small>
                <strong>{s.raw_total.to_string()}</strong>
            </div>
            <table class="ta-scores" id="ta-categories">
                <thead><tr>
                    <th>{tr(lang, "项目", "Category")}</th>
                    <th>{tr(lang, "扣分", "Deducted")}</th>
                    <th>{tr(lang, "得分", "Score")}</th>
                </tr></thead>
                <tbody>
                    { for s.categories.iter().map(|c| html! {
                        <tr data-category={c.id.clone()} data-score={c.score.to_string()}
                            class={classes!((!c.deducted.is_zero()).then_some("deducted"))}>
                            <th scope="row">{name(&c.id, &c.name)}</th>
                            <td class="num">{c.deducted.to_string()}</td>
                            <td class="num">{c.score.to_string()}{" / "}{c.points.to_string()}</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr id="ta-base" data-score={s.base.to_string()}>
                        <th scope="row">{tr(lang, "基本分", "Base")}</th><td></td>
                        <td class="num">{s.base.to_string()}{" / "}{s.full_marks.to_string()}</td>
                    </tr>
                    <tr id="ta-bonus-raw" data-score={s.bonus_raw.to_string()}>
                        <th scope="row">{tr(lang, "加分（未封顶）", "Bonus (before cap)")}</th><td></td>
                        <td class="num">{s.bonus_raw.to_string()}</td>
                    </tr>
                    <tr id="ta-bonus" data-score={s.bonus.to_string()}>
                        <th scope="row">{tr(lang, "加分（不超过20分）", "Bonus (capped at 20)")}</th><td></td>
                        <td class="num">{s.bonus.to_string()}</td>
                    </tr>
                    <tr class="total">
                        <th scope="row">{tr(lang, "原始总分", "Raw total")}</th><td></td>
                        <td class="num">{s.raw_total.to_string()}</td>
                    </tr>
                </tfoot>
            </table>
            if pending.is_empty() {
                <p class="ta-complete" id="ta-pending" data-count="0">{tr(lang, "各项均已填写。", "Every item is answered.")}</p>
            } else {
                <div class="ta-pending" id="ta-pending" data-count={pending.len().to_string()}>
                    <p>{match lang {
                        Lang::Zh => format!("还有 {} 项未填写（暂按不扣分计）：", pending.len()),
                        Lang::En => format!("{} items to fill in (counted as no deduction for now):", pending.len()),
                    }}</p>
                    <ul>{ for pending.iter().map(|n| html! { <li>{n.clone()}</li> }) }</ul>
                </div>
            }
            <p class="hint">{tr(lang,
                "总分按 100 分折算和排名在全市各镇考核汇总后计算。",
                "Scaling to 100 and the ranking are computed once every town is assessed.")}</p>
        </aside>
    }
}
