//! 打印: paper-like views of stored records, laid out as the forms of 000 — a visit record as
//! 附件3 (妇女议事会“家家访 月月谈”排查登记表) and the key-person register as 附件2
//! (需要重点关注的妇女儿童信息统计表). On screen they look like a sheet of paper with a 打印
//! button; printed (`60-print.css`) they fill A4 with nothing of the app around them.
//!
//! Both read the JSON the server answers (a stored record's `record`, and its `assessment`)
//! leniently: a missing field prints as an empty cell rather than failing the whole sheet.

use chrono::Datelike;
use serde_json::Value;
use shared::visit::{Category, Satisfaction};
use shared::{DisputeTier, Lang, RiskLevel};
use yew::prelude::*;

use crate::i18n::tr;

/// The 说明 printed under 附件3, in the seed's words.
pub const RISK_NOTE_ZH: &str = "说明：风险预警等级：实行“红、橙、黄”三级分类预警。红色预警：连续上报6个月以上未化解或易发生民转刑、激化成较大或可能发生局面较难控制的矛盾纠纷、隐患线索；橙色预警：连续上报3个月以上6个月以下未化解或存在不稳定苗头的矛盾纠纷、隐患线索；黄色预警：一般性、常见性的矛盾纠纷、隐患线索。";
pub const RISK_NOTE_EN: &str = "Note: risk alerts have three levels, red, orange and yellow. Red: an item reported for 6 months or more without being resolved, or likely to turn criminal, to intensify into a major conflict or to get out of control. Orange: an item reported for 3 to 6 months without being resolved, or showing unstable signs. Yellow: a general, common dispute or clue.";

/// Paper rows for parties: the form has two, so a one-party record still prints a blank row
/// to write in.
const PAPER_PARTY_ROWS: usize = 2;

/// The text of a JSON value as printed: strings trimmed, numbers as written, nothing for null.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// `v.a.b` for a path `"a.b"`; `Null` where anything is missing.
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(v, |v, key| v.get(key).unwrap_or(&Value::Null))
}

fn flag(v: &Value, path: &str) -> bool {
    at(v, path).as_bool().unwrap_or(false)
}

/// A stored item (`{record, assessment, …}`) or its `record`: the record either way.
fn record_of(v: &Value) -> &Value {
    match v.get("record") {
        Some(r) if r.is_object() => r,
        _ => v,
    }
}

/// `2026-11-21` as the paper writes it: `2026 年 11 月 21 日` (English: as is).
fn paper_date(lang: Lang, raw: &str) -> String {
    match (lang, shared::value::parse_date(raw)) {
        (Lang::Zh, Ok(d)) => format!("{} 年 {} 月 {} 日", d.year(), d.month(), d.day()),
        _ => raw.to_owned(),
    }
}

/// A box as printed on the paper form: the label, then ☑ or □.
fn tick_box(label: &str, ticked: bool, extra: Option<String>) -> Html {
    let mark = if ticked { "☑" } else { "□" };
    html! {
        <span class={classes!("tick", ticked.then_some("ticked"))} data-ticked={ticked.to_string()}>
            {label}{mark}
            if let Some(extra) = extra {
                <span class="tick-extra">{format!("（{extra}）")}</span>
            }
        </span>
    }
}

/// Multi-line text kept as typed.
fn para(s: String) -> Html {
    if s.is_empty() {
        Html::default()
    } else {
        html! { <div class="typed">{s}</div> }
    }
}

/// The 打印 button, left out of the printout.
fn print_button(lang: Lang) -> Html {
    let onclick = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().print();
    });
    html! {
        <div class="print-actions no-print">
            <button type="button" class="primary small print-button" {onclick}>
                {tr(lang, "打印", "Print")}
            </button>
            <span class="hint">{tr(lang, "按 A4 纸打印，页面其余部分不会打印。",
                "Prints on A4; nothing else of the page is printed.")}</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct VisitPrintProps {
    pub lang: Lang,
    /// A stored visit record's `record` (as `GET /api/visits/{id}` answers it). The whole
    /// stored item is accepted too.
    pub record: Value,
    /// Its `assessment` (`level`, `tier`, …); `Null` leaves the level blank, as on paper. When
    /// `record` is a whole stored item its own assessment is used.
    pub assessment: Value,
    /// 所属村（社区） by name, printed above the table; empty prints nothing.
    #[prop_or_default]
    pub unit_name: AttrValue,
}

/// 妇女议事会“家家访 月月谈”排查登记表 (000 附件3), filled in from a stored record.
#[component]
pub fn VisitPrint(p: &VisitPrintProps) -> Html {
    let l = p.lang;
    let r = record_of(&p.record);
    let assessment = match (&p.assessment, p.record.get("assessment")) {
        (Value::Null, Some(a)) => a,
        (a, _) => a,
    };
    let level = shared::json::read_value::<RiskLevel>(at(assessment, "level")).ok();

    let parties: Vec<&Value> = r
        .get("parties")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let party_rows = parties.len().max(PAPER_PARTY_ROWS);
    let party_row = |i: usize| match parties.get(i) {
        Some(party) => html! {
            <tr class="party" data-party={i.to_string()}>
                <td class="name">{text(at(party, "name"))}</td>
                <td class="address">{text(at(party, "address"))}</td>
                <td class="age">{text(at(party, "age"))}</td>
                <td class="family-role">{text(at(party, "family_role"))}</td>
                <td class="phone">{text(at(party, "phone"))}</td>
            </tr>
        },
        None => html! {
            <tr class="party blank"><td /><td /><td /><td /><td /></tr>
        },
    };

    let category = Category::parse(&text(at(r, "category"))).ok();
    let categories = Category::ALL
        .iter()
        .map(|c| tick_box(c.label(l), category == Some(*c), None))
        .collect::<Html>();

    // What makes the level: the flags ticked on the form.
    let facts: Vec<&str> = [
        ("severe_violence", "严重家庭暴力", "severe violence"),
        (
            "victim_lacks_capacity",
            "受害人为无/限制民事行为能力人",
            "victim lacks full civil capacity",
        ),
        (
            "escalation.may_turn_criminal",
            "易发生民转刑",
            "may turn criminal",
        ),
        (
            "escalation.may_intensify",
            "可能激化成较大矛盾",
            "may intensify",
        ),
        (
            "escalation.hard_to_control",
            "局面较难控制",
            "hard to control",
        ),
        ("unstable_signs", "存在不稳定苗头", "unstable signs"),
    ]
    .into_iter()
    .filter(|(path, ..)| flag(r, path))
    .map(|(_, zh, en)| l.pick(zh, en))
    .collect();

    let reports: Vec<String> = [
        (
            "reports.village_committee",
            "村（社区）两委",
            "village committee",
        ),
        (
            "reports.town_federation",
            "镇（区、街道）妇联",
            "town federation",
        ),
        ("reports.police", "公安机关", "police"),
        ("reports.city_federation", "市妇联", "city federation"),
    ]
    .into_iter()
    .filter_map(|(path, zh, en)| {
        let date = text(at(r, path));
        (!date.is_empty()).then(|| format!("{} {date}", l.pick(zh, en)))
    })
    .collect();
    let tier = DisputeTier::parse(&text(at(assessment, "tier"))).ok();
    let raised_by = text(at(r, "tier_raise.by"));
    let resolved_on = text(at(r, "resolved_on"));

    let follow_ups: Vec<String> = r
        .get("follow_ups")
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let mut line = format!("{} {}", text(at(f, "date")), text(at(f, "by")));
            if let Ok(s) = Satisfaction::parse(&text(at(f, "satisfaction"))) {
                line += &match l {
                    Lang::Zh => format!("（{}）", s.label(l)),
                    Lang::En => format!(" ({})", s.label(l)),
                };
            }
            let outcome = text(at(f, "outcome"));
            if !outcome.is_empty() {
                line += l.pick("：", ": ");
                line += &outcome;
            }
            line
        })
        .collect();

    let row = |class: &'static str, zh: &'static str, en: &'static str, value: Html| {
        html! {
            <tr class={classes!("sheet-row", class)}>
                <th scope="row" class="row-label">{tr(l, zh, en)}</th>
                <td colspan="5" class="value">{value}</td>
            </tr>
        }
    };
    let handling = html! {
        <>
            {para(text(at(r, "handling")))}
            if !reports.is_empty() {
                <div class="aside">
                    {l.pick("已报：", "Reported to: ")}
                    { for reports.iter().enumerate().map(|(i, r)| html! {
                        <>{if i > 0 { l.pick("；", "; ") } else { "" }}<span class="nowrap">{r.clone()}</span></>
                    }) }
                </div>
            }
            if let Some(tier) = tier {
                <div class="aside">
                    {l.pick("处置层级：", "Handling tier: ")}{tier.label(l)}
                    if !raised_by.is_empty() {
                        {format!("{}{raised_by}{}", l.pick("（提级人：", " (raised by "), l.pick("）", ")"))}
                    }
                </div>
            }
            <div class="aside resolved">
                if resolved_on.is_empty() {
                    {tr(l, "化解情况：未化解", "Resolved: not yet")}
                } else {
                    {l.pick("化解日期：", "Resolved on: ")}{paper_date(l, &resolved_on)}
                }
            </div>
        </>
    };
    let visit_date = text(at(r, "visit_date"));

    html! {
        <article class="print-sheet visit-print" data-record-id={text(at(r, "id"))}>
            {print_button(l)}
            <p class="print-level">
                {l.pick("（风险预警等级：", "(Risk alert level: ")}
                <strong id="print-level" class={classes!("level-mark", level.map(|x| x.as_str()))}
                    data-level={level.map(|x| x.as_str())}>
                    {level.map(|x| x.label(l)).unwrap_or("\u{3000}\u{3000}\u{3000}\u{3000}")}
                </strong>
                {l.pick("）", ")")}
            </p>
            <h1 class="print-title">{tr(l, "妇女议事会“家家访 月月谈”排查登记表",
                "Women's Council “Visit Every Home, Talk Every Month” Screening Record")}</h1>
            if !p.unit_name.is_empty() {
                <p class="print-unit">{tr(l, "所属村（社区）：", "Village: ")}{p.unit_name.clone()}</p>
            }
            <table class="print-table visit-table">
                <colgroup>
                    <col class="c-label" /><col class="c-name" /><col class="c-address" />
                    <col class="c-age" /><col class="c-role" /><col class="c-phone" />
                </colgroup>
                <tbody>
                    <tr class="party-head">
                        <th scope="rowgroup" rowspan={(party_rows + 1).to_string()} class="row-label group">
                            {tr(l, "当事人详细信息", "Parties")}
                        </th>
                        <th scope="col">{tr(l, "姓名", "Name")}</th>
                        <th scope="col">{tr(l, "家庭住址", "Address")}</th>
                        <th scope="col">{tr(l, "年龄", "Age")}</th>
                        <th scope="col">{tr(l, "家庭角色", "Family role")}</th>
                        <th scope="col">{tr(l, "联系电话", "Phone")}</th>
                    </tr>
                    { for (0..party_rows).map(party_row) }
                    { row("category",
                        "矛盾纠纷、隐患线索类别（请选择：A:婚姻家庭纠纷；B:家庭暴力现象；C:未成年人性侵案件线索）",
                        "Category (choose: A marriage/family dispute; B domestic violence; C clue of sexual abuse of a minor)",
                        html! { <div class="ticks">{categories}</div> }) }
                    { row("summary", "矛盾纠纷、隐患线索情况概述", "Summary of the dispute or clue", html! {
                        <>
                            {para(text(at(r, "summary")))}
                            if !facts.is_empty() {
                                <div class="aside">{l.pick("风险情形：", "Risk factors: ")}{facts.join(l.pick("；", "; "))}</div>
                            }
                        </>
                    }) }
                    { row("handling", "矛盾纠纷、隐患线索办理情况", "How it was handled", handling) }
                    { row("follow-ups", "跟踪回访情况", "Follow-up visits", html! {
                        { for follow_ups.into_iter().map(|f| html! { <div class="typed follow-up">{f}</div> }) }
                    }) }
                    { row("remarks", "备注", "Remarks", para(text(at(r, "remarks")))) }
                </tbody>
            </table>
            <p class="print-sign">
                <span class="visitor">{tr(l, "排查、走访人：", "Visited by: ")}<span class="fill">{text(at(r, "visitor"))}</span></span>
                <span class="date">{tr(l, "时间：", "Date: ")}<span class="fill">{paper_date(l, &visit_date)}</span></span>
            </p>
            <p class="print-note">{l.pick(RISK_NOTE_ZH, RISK_NOTE_EN)}</p>
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct RegisterPrintProps {
    pub lang: Lang,
    /// Key-person records in print order, each a stored record's `record` (or the whole stored
    /// item, `{record, …}`, as `GET /api/key-persons` lists them).
    pub rows: Vec<Value>,
    /// The village (or town) the register is of, by name; empty leaves the line blank.
    #[prop_or_default]
    pub unit_name: AttrValue,
}

/// 需要重点关注的妇女儿童信息统计表 (000 附件2): one row per person, the paper's boxes ticked.
#[component]
pub fn RegisterPrint(p: &RegisterPrintProps) -> Html {
    let l = p.lang;
    let row = |(i, item): (usize, &Value)| {
        let r = record_of(item);
        let other = |path: &str| Some(text(at(r, path))).filter(|s| !s.is_empty());
        let woman_other = other("woman.other");
        let child_other = other("child.other");
        let woman = [
            (flag(r, "woman.poor"), "贫困", "Poor"),
            (
                flag(r, "woman.severe_disability"),
                "重残",
                "Severely disabled",
            ),
            (flag(r, "woman.single_parent"), "单亲", "Single parent"),
        ];
        let child = [
            (flag(r, "child.orphan"), "孤儿", "Orphan"),
            (flag(r, "child.in_hardship"), "困境", "In hardship"),
            (flag(r, "child.left_behind"), "留守", "Left behind"),
        ];
        let boxes = |flags: [(bool, &'static str, &'static str); 3], other: Option<String>| {
            html! {
                <div class="ticks stacked">
                    { for flags.into_iter().map(|(on, zh, en)| tick_box(l.pick(zh, en), on, None)) }
                    { tick_box(l.pick("其它", "Other"), other.is_some(), other) }
                </div>
            }
        };
        let care = r
            .get("care")
            .and_then(Value::as_array)
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|c| {
                let (date, by, content) = (
                    text(at(c, "date")),
                    text(at(c, "by")),
                    text(at(c, "content")),
                );
                let who = if by.is_empty() {
                    String::new()
                } else {
                    format!(" {by}")
                };
                html! { <div class="typed care">{format!("{date}{who}{}{content}", l.pick("：", ": "))}</div> }
            })
            .collect::<Html>();
        html! {
            <tr class="person" data-id={text(at(r, "id"))}>
                <td class="no">{i + 1}</td>
                <td class="name">{text(at(r, "name"))}</td>
                <td class="address">{text(at(r, "address"))}</td>
                <td class="phone">{text(at(r, "phone"))}</td>
                <td class="woman">{boxes(woman, woman_other)}</td>
                <td class="child">{boxes(child, child_other)}</td>
                <td class="care">{care}</td>
            </tr>
        }
    };
    html! {
        <article class="print-sheet register-print">
            {print_button(l)}
            <h1 class="print-title">{tr(l, "需要重点关注的妇女儿童信息统计表",
                "Women and Children Needing Special Attention")}</h1>
            <p class="print-unit">
                <span>{tr(l, "村（社区）：", "Village: ")}<span class="fill">{p.unit_name.clone()}</span></span>
                <span class="print-count">{match l {
                    Lang::Zh => format!("共 {} 人", p.rows.len()),
                    Lang::En => format!("{} people", p.rows.len()),
                }}</span>
            </p>
            <table class="print-table register-table">
                <colgroup>
                    <col class="c-no" /><col class="c-name" /><col class="c-address" /><col class="c-phone" />
                    <col class="c-woman" /><col class="c-child" /><col class="c-care" />
                </colgroup>
                <thead>
                    <tr>
                        <th scope="col">{tr(l, "序号", "No.")}</th>
                        <th scope="col">{tr(l, "姓名", "Name")}</th>
                        <th scope="col">{tr(l, "家庭住址", "Address")}</th>
                        <th scope="col">{tr(l, "联系电话", "Phone")}</th>
                        <th scope="col">{tr(l, "妇女", "Woman")}</th>
                        <th scope="col">{tr(l, "儿童", "Child")}</th>
                        <th scope="col">{tr(l, "关爱帮扶情况", "Care and help")}</th>
                    </tr>
                </thead>
                <tbody>
                    { for p.rows.iter().enumerate().map(row) }
                    if p.rows.is_empty() {
                        <tr class="empty"><td colspan="7" class="none">{tr(l, "没有记录", "No records")}</td></tr>
                    }
                </tbody>
            </table>
        </article>
    }
}
