//! 节假日安排 — the year's working-day calendar (issue #18), for city and admin staff: the
//! year's months with the holidays and make-up working days (调休上班) of the table in force
//! (published, built in, or none — it says which), changed by clicking a day or by pasting the
//! State Council's notice (`shared::calendar::parse_notice`), checked as typed by the same rules
//! the server runs (`YearTable::validate`), then previewed (which open cases' deadlines move)
//! and published with a reason.

use std::rc::Rc;

use chrono::{Datelike, NaiveDate, Weekday};
use shared::Lang;
use shared::calendar::{NoticeError, YearTable, parse_notice};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::{
    InForce, PublishBar, Published, RuleKind, RuleTabs, TextField, YearPicker, default_year,
    errors_html, field_messages, in_force_line, use_in_force,
};
use crate::i18n::tr;
use crate::storage::RefusedField;

#[derive(Properties, PartialEq)]
pub struct RulesCalendarProps {
    pub lang: Lang,
}

fn empty(year: u16) -> YearTable {
    YearTable {
        year: year.into(),
        source: String::new(),
        holidays: Vec::new(),
        make_up_workdays: Vec::new(),
    }
}

/// The checks `shared` runs (the server's own), as the messages the page shows by field.
fn local_errors(table: &YearTable) -> Vec<RefusedField> {
    match table.validate() {
        Ok(()) => Vec::new(),
        Err(e) => {
            e.0.into_iter()
                .map(|f| RefusedField {
                    field: f.field,
                    message: f.message,
                    message_en: f.message_en,
                })
                .collect()
        }
    }
}

const EXAMPLE: &str = "元旦：1月1日放假，共1天。春节：2月15日至23日放假调休，共9天。\
                       2月14日（周六）、2月28日（周六）上班。";

#[component]
pub fn RulesCalendarPage(p: &RulesCalendarProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let year = use_state(default_year);
    let (in_force, replace_in_force) = use_in_force(RuleKind::Calendar, *year);
    // The table as changed on this page, for `year`; none until something is changed.
    let draft = use_state(|| None::<YearTable>);
    let refused = use_state(Vec::<RefusedField>::new);
    let notice = use_state(String::new);
    let notice_errors = use_state(Vec::<NoticeError>::new);
    let notice_read = use_state(|| None::<(usize, usize)>);

    let base: Option<YearTable> = match &in_force {
        InForce::Ready(Some(p)) => shared::json::read_value(&p.table).ok(),
        InForce::Ready(None) => Some(empty(*year)),
        InForce::Loading | InForce::Failed(_) => None,
    };
    let current: Option<YearTable> = draft
        .as_ref()
        .filter(|d| d.year == i32::from(*year))
        .cloned()
        .or(base);

    let change = {
        let (draft, current) = (draft.clone(), current.clone());
        move |f: Box<dyn Fn(&mut YearTable)>| {
            if let Some(mut table) = current.clone() {
                f(&mut table);
                draft.set(Some(table));
            }
        }
    };
    let change = Rc::new(change);

    let on_year = {
        let (year, draft, notice_read) = (year.clone(), draft.clone(), notice_read.clone());
        Callback::from(move |y: u16| {
            year.set(y);
            draft.set(None);
            notice_read.set(None);
        })
    };
    let on_refused = {
        let refused = refused.clone();
        Callback::from(move |f: Vec<RefusedField>| refused.set(f))
    };
    let on_published = {
        let draft = draft.clone();
        Callback::from(move |p: Rc<Published>| {
            draft.set(None);
            replace_in_force.emit(p);
        })
    };
    let on_notice = {
        let notice = notice.clone();
        Callback::from(move |e: InputEvent| {
            notice.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let parse = {
        let (notice, notice_errors, notice_read) =
            (notice.clone(), notice_errors.clone(), notice_read.clone());
        let (draft, current, y) = (draft.clone(), current.clone(), *year);
        Callback::from(move |_: MouseEvent| match parse_notice(&notice, y.into()) {
            Ok(mut table) => {
                if table.source.is_empty() {
                    table.source = current
                        .as_ref()
                        .map(|c| c.source.clone())
                        .unwrap_or_default();
                }
                notice_read.set(Some((table.holidays.len(), table.make_up_workdays.len())));
                notice_errors.set(Vec::new());
                draft.set(Some(table));
            }
            Err(e) => {
                notice_read.set(None);
                notice_errors.set(e);
            }
        })
    };
    let discard = {
        let (draft, notice_read) = (draft.clone(), notice_read.clone());
        Callback::from(move |_: MouseEvent| {
            draft.set(None);
            notice_read.set(None);
        })
    };

    let Some(table) = current else {
        return html! {
            <main id="rules-calendar" class="page rules" data-loading="true">
                <RuleTabs {lang} current={RuleKind::Calendar} />
                <h2>{t("节假日安排（工作日历）", "Holidays (working-day calendar)")}</h2>
                <YearPicker {lang} year={*year} on_change={on_year} />
                { in_force_line(lang, *year, &in_force, ("", "")) }
            </main>
        };
    };

    let mut errors = local_errors(&table);
    for f in refused.iter() {
        if !errors.contains(f) {
            errors.push(f.clone());
        }
    }
    let body = serde_json::to_string(&table).ok().map(Rc::new);
    let changed = draft.as_ref().is_some_and(|d| d.year == i32::from(*year));

    let months = (1..=12u32).map(|m| {
        let first = NaiveDate::from_ymd_opt(i32::from(*year), m, 1).expect("a valid month");
        let lead = first.weekday().num_days_from_monday() as usize;
        let days: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| d.month() == m)
            .collect();
        html! {
            <section class="cal-month" data-month={m.to_string()} key={m}>
                <h3>{match lang {
                    Lang::Zh => format!("{m}月"),
                    Lang::En => first.format("%B").to_string(),
                }}</h3>
                <div class="cal-grid" role="grid">
                    { for ["一", "二", "三", "四", "五", "六", "日"].iter().zip(["M", "T", "W", "T", "F", "S", "S"])
                        .map(|(zh, en)| html! { <span class="cal-wd">{lang.pick(zh, en)}</span> }) }
                    { for (0..lead).map(|_| html! { <span class="cal-pad"></span> }) }
                    { for days.into_iter().map(|d| {
                        let l = table.listed(d);
                        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
                        let kind = match (l.holiday, l.make_up) {
                            (true, true) => "conflict",
                            (true, false) => "holiday",
                            (false, true) => "make_up",
                            (false, false) if weekend => "weekend",
                            _ => "workday",
                        };
                        let name = table.holidays.iter().find(|h| h.from <= d && d <= h.to).map(|h| h.name.clone())
                            .or_else(|| table.make_up_workdays.iter().find(|x| x.date == d).map(|x| x.name.clone()))
                            .unwrap_or_default();
                        let what = match kind {
                            "conflict" => lang.pick("既放假又上班（错误）", "Both off and worked (wrong)"),
                            "holiday" => lang.pick("放假", "Holiday"),
                            "make_up" => lang.pick("调休上班", "Make-up working day"),
                            "weekend" => lang.pick("周末", "Weekend"),
                            _ => lang.pick("工作日", "Working day"),
                        };
                        let title = if name.is_empty() { format!("{d} {what}") } else { format!("{d} {name} {what}") };
                        let change = change.clone();
                        let onclick = Callback::from(move |_: MouseEvent| change(Box::new(move |t: &mut YearTable| t.cycle(d))));
                        html! {
                            <button type="button" class={classes!("cal-day", kind)} data-date={d.to_string()}
                                data-kind={kind} {title} aria-label={format!("{d} {what}")} {onclick}>
                                {d.day()}
                                if kind == "make_up" { <small>{lang.pick("班", "W")}</small> }
                                if kind == "holiday" { <small>{lang.pick("休", "H")}</small> }
                            </button>
                        }
                    }) }
                </div>
            </section>
        }
    });

    let holiday_rows = table.holidays.iter().enumerate().map(|(i, h)| {
        let field = format!("holidays[{i}]");
        let messages = field_messages(&errors, &field, lang);
        let days = (h.to - h.from).num_days() + 1;
        let on_name = {
            let change = change.clone();
            Callback::from(move |v: String| {
                change(Box::new(move |t: &mut YearTable| {
                    if let Some(h) = t.holidays.get_mut(i) {
                        h.name = v.clone();
                    }
                }))
            })
        };
        let remove = {
            let change = change.clone();
            Callback::from(move |_: MouseEvent| {
                change(Box::new(move |t: &mut YearTable| {
                    if i < t.holidays.len() {
                        t.holidays.remove(i);
                    }
                }))
            })
        };
        html! {
            <li class={classes!("holiday-row", (!messages.is_empty()).then_some("has-error"))}
                data-index={i.to_string()} data-from={h.from.to_string()} data-to={h.to.to_string()}>
                <TextField name={format!("{field}.name")} label={t("节日名称", "Holiday")}
                    value={h.name.clone()} on_change={on_name} />
                <span class="span">{match lang {
                    Lang::Zh => format!("{} 至 {}，共{days}天", h.from, h.to),
                    Lang::En => format!("{} to {}, {days} days", h.from, h.to),
                }}</span>
                <button type="button" class="remove" onclick={remove}>{t("删除", "Remove")}</button>
                { errors_html(&messages, &field) }
            </li>
        }
    });
    let make_up_rows = table.make_up_workdays.iter().enumerate().map(|(i, m)| {
        let field = format!("make_up_workdays[{i}]");
        let messages = field_messages(&errors, &field, lang);
        let on_name = {
            let change = change.clone();
            Callback::from(move |v: String| {
                change(Box::new(move |t: &mut YearTable| {
                    if let Some(m) = t.make_up_workdays.get_mut(i) {
                        m.name = v.clone();
                    }
                }))
            })
        };
        let remove = {
            let change = change.clone();
            Callback::from(move |_: MouseEvent| {
                change(Box::new(move |t: &mut YearTable| {
                    if i < t.make_up_workdays.len() {
                        t.make_up_workdays.remove(i);
                    }
                }))
            })
        };
        let wd = ["一", "二", "三", "四", "五", "六", "日"][m.date.weekday().num_days_from_monday() as usize];
        html! {
            <li class={classes!("make-up-row", (!messages.is_empty()).then_some("has-error"))}
                data-index={i.to_string()} data-date={m.date.to_string()}>
                <TextField name={format!("{field}.name")} label={t("为哪个节日调休", "For which holiday")}
                    value={m.name.clone()} on_change={on_name} />
                <span class="span">{match lang {
                    Lang::Zh => format!("{}（周{wd}）上班", m.date),
                    Lang::En => format!("{} ({}) worked", m.date, m.date.format("%a")),
                }}</span>
                <button type="button" class="remove" onclick={remove}>{t("删除", "Remove")}</button>
                { errors_html(&messages, &field) }
            </li>
        }
    });
    let on_source = {
        let change = change.clone();
        Callback::from(move |v: String| {
            change(Box::new(move |t: &mut YearTable| t.source = v.clone()))
        })
    };
    let top: Vec<String> = ["year", ""]
        .iter()
        .flat_map(|f| {
            errors
                .iter()
                .filter(move |e| e.field == *f)
                .map(|e| e.message(lang).to_owned())
        })
        .collect();

    html! {
        <main id="rules-calendar" class="page rules" data-loading="false" data-year={year.to_string()}
            data-changed={changed.to_string()} data-errors={errors.len().to_string()}>
            <RuleTabs {lang} current={RuleKind::Calendar} />
            <h2>{t("节假日安排（工作日历）", "Holidays (working-day calendar)")}</h2>
            <YearPicker {lang} year={*year} on_change={on_year} />
            { in_force_line(lang, *year, &in_force, (
                "该年尚无节假日安排：期限暂按周一至周五计算工作日。",
                "No holiday table for this year: deadlines count Monday to Friday.",
            )) }
            if changed {
                <p class="rule-changed" role="status">
                    {t("有未发布的修改。", "There are unpublished changes.")}
                    <button type="button" id="rule-discard" onclick={discard}>{t("放弃修改", "Discard changes")}</button>
                </p>
            }
            { errors_html(&top, "year") }

            <section class="notice-paste">
                <label for="notice-text">{t("粘贴国务院办公厅放假通知的文字", "Paste the text of the State Council's holiday notice")}</label>
                <textarea id="notice-text" rows="5" value={(*notice).clone()} oninput={on_notice}
                    placeholder={EXAMPLE} />
                <div class="actions">
                    <button type="button" id="notice-parse" onclick={parse}>{t("识别通知", "Read the notice")}</button>
                </div>
                if let Some((h, m)) = *notice_read {
                    <p id="notice-result" class="ok" role="status">{match lang {
                        Lang::Zh => format!("已识别：放假{h}处，调休上班{m}天。请核对下面的日历。"),
                        Lang::En => format!("Read: {h} holidays, {m} make-up working days. Check the calendar below."),
                    }}</p>
                }
                if !notice_errors.is_empty() {
                    <ul id="notice-errors" class="field-errors" role="alert">
                        { for notice_errors.iter().map(|e| html! { <li class="error">{e.message(lang)}</li> }) }
                    </ul>
                }
            </section>

            <p class="cal-legend">
                <span class="cal-day holiday">{t("休", "H")}</span>{t(" 放假 ", " holiday ")}
                <span class="cal-day make_up">{t("班", "W")}</span>{t(" 调休上班 ", " make-up working day ")}
                <span class="cal-day weekend">{"六"}</span>{t(" 周末", " weekend")}
                <small class="hint">{t("点击日期：工作日 → 放假 → 工作日；周末 → 放假 → 调休上班 → 周末。",
                    "Click a day: weekday → holiday → weekday; weekend → holiday → make-up working day → weekend.")}</small>
            </p>
            <div id="calendar-grid" class="cal-year">{ for months }</div>

            <section class="calendar-lists">
                <TextField name="source" label={t("依据（通知名称）", "Source (the notice's title)")}
                    value={table.source.clone()} on_change={on_source} />
                <h3>{t("放假", "Holidays")}</h3>
                if table.holidays.is_empty() {
                    <p class="none">{t("没有放假安排。", "No holidays.")}</p>
                }
                <ol id="holiday-list">{ for holiday_rows }</ol>
                <h3>{t("调休上班", "Make-up working days")}</h3>
                if table.make_up_workdays.is_empty() {
                    <p class="none">{t("没有调休上班日。", "No make-up working days.")}</p>
                }
                <ol id="make-up-list">{ for make_up_rows }</ol>
            </section>

            <PublishBar {lang} kind={RuleKind::Calendar} year={*year} {body}
                {on_refused} {on_published} />
        </main>
    }
}
