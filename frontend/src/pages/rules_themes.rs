//! 月月谈主题 — the year's council themes per month (issue #18), for city and admin staff: the
//! table in force for the year (its own, an earlier year's, or the built-in 2020 table of 000
//! 附件1 — it says which), one box per month with one theme a line, checked by `shared`'s
//! `ThemeTable::parse_json` (the server's own check), previewed (which months change) and
//! published with a reason.

use std::collections::BTreeMap;
use std::rc::Rc;

use shared::Lang;
use shared::themes::ThemeTable;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::{
    InForce, PublishBar, Published, RuleKind, RuleTabs, TextField, YearPicker, default_year,
    errors_html, field_messages, in_force_line, use_in_force,
};
use crate::i18n::tr;
use crate::storage::RefusedField;

#[derive(Properties, PartialEq)]
pub struct RulesThemesProps {
    pub lang: Lang,
}

/// The page's boxes as typed: the source and each month's lines.
#[derive(Clone, Debug, PartialEq)]
struct Typed {
    year: u16,
    source: String,
    months: [String; 12],
}

impl Typed {
    fn of(table: &ThemeTable, year: u16) -> Typed {
        Typed {
            year,
            source: table.source.clone(),
            months: std::array::from_fn(|i| table.for_month(i as u32 + 1).join("\n")),
        }
    }

    /// The table the boxes say: one theme a line, blank lines left out.
    fn table(&self) -> ThemeTable {
        let months: BTreeMap<u32, Vec<String>> = self
            .months
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let themes = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>();
                (i as u32 + 1, themes)
            })
            .filter(|(_, t)| !t.is_empty())
            .collect();
        ThemeTable {
            year: Some(self.year),
            source: self.source.trim().to_owned(),
            months,
        }
    }
}

#[component]
pub fn RulesThemesPage(p: &RulesThemesProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let year = use_state(default_year);
    let (in_force, replace_in_force) = use_in_force(RuleKind::Themes, *year);
    let draft = use_state(|| None::<Typed>);
    let refused = use_state(Vec::<RefusedField>::new);

    let base: Option<Typed> = match &in_force {
        InForce::Ready(Some(p)) => shared::json::read_value::<ThemeTable>(&p.table)
            .ok()
            .map(|t| Typed::of(&t, *year)),
        InForce::Ready(None) => Some(Typed::of(&ThemeTable::builtin(), *year)),
        InForce::Loading | InForce::Failed(_) => None,
    };
    let current = draft.as_ref().filter(|d| d.year == *year).cloned().or(base);

    let on_year = {
        let (year, draft) = (year.clone(), draft.clone());
        Callback::from(move |y: u16| {
            year.set(y);
            draft.set(None);
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

    let Some(typed) = current else {
        return html! {
            <main id="rules-themes" class="page rules" data-loading="true">
                <RuleTabs {lang} current={RuleKind::Themes} />
                <h2>{t("月月谈主题", "Monthly council themes")}</h2>
                <YearPicker {lang} year={*year} on_change={on_year} />
                { in_force_line(lang, *year, &in_force, ("", "")) }
            </main>
        };
    };

    let table = typed.table();
    // `shared`'s check of the table as it will be sent (the server runs the same).
    let mut errors: Vec<RefusedField> = serde_json::to_string(&table)
        .ok()
        .and_then(|json| ThemeTable::parse_json(&json).err())
        .map(|e| {
            e.0.into_iter()
                .map(|f| RefusedField {
                    field: f.field,
                    message: f.message,
                    message_en: f.message_en,
                })
                .collect()
        })
        .unwrap_or_default();
    for f in refused.iter() {
        if !errors.contains(f) {
            errors.push(f.clone());
        }
    }
    let body = serde_json::to_string(&table).ok().map(Rc::new);
    let changed = draft.as_ref().is_some_and(|d| d.year == *year);

    let edit = {
        let (draft, typed) = (draft.clone(), typed.clone());
        Rc::new(move |f: Box<dyn Fn(&mut Typed)>| {
            let mut next = typed.clone();
            f(&mut next);
            draft.set(Some(next));
        })
    };
    let on_source = {
        let edit = edit.clone();
        Callback::from(move |v: String| edit(Box::new(move |t: &mut Typed| t.source = v.clone())))
    };
    let discard = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| draft.set(None))
    };
    let top: Vec<String> = errors
        .iter()
        .filter(|e| e.field == "year" || e.field.is_empty())
        .map(|e| e.message(lang).to_owned())
        .collect();

    let months = (1..=12u32).map(|m| {
        let i = m as usize - 1;
        let field = format!("months.{m}");
        let messages = field_messages(&errors, &field, lang);
        let id = format!("theme-month-{m}");
        let oninput = {
            let edit = edit.clone();
            Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
                edit(Box::new(move |t: &mut Typed| t.months[i] = v.clone()))
            })
        };
        let count = table.for_month(m).len();
        html! {
            <div class={classes!("field", "theme-month", (!messages.is_empty()).then_some("has-error"))}
                data-month={m.to_string()} data-count={count.to_string()} key={m}>
                <label for={id.clone()}>{match lang {
                    Lang::Zh => format!("{m}月（{count}个主题）"),
                    Lang::En => format!("Month {m} ({count} themes)"),
                }}</label>
                <textarea id={id} name={field.clone()} rows="2" value={typed.months[i].clone()} {oninput} />
                { errors_html(&messages, &field) }
            </div>
        }
    });

    html! {
        <main id="rules-themes" class="page rules" data-loading="false" data-year={year.to_string()}
            data-changed={changed.to_string()} data-errors={errors.len().to_string()}>
            <RuleTabs {lang} current={RuleKind::Themes} />
            <h2>{t("月月谈主题", "Monthly council themes")}</h2>
            <YearPicker {lang} year={*year} on_change={on_year} />
            { in_force_line(lang, *year, &in_force, ("", "")) }
            if changed {
                <p class="rule-changed" role="status">
                    {t("有未发布的修改。", "There are unpublished changes.")}
                    <button type="button" id="rule-discard" onclick={discard}>{t("放弃修改", "Discard changes")}</button>
                </p>
            }
            { errors_html(&top, "year") }
            <p class="hint">{t("每行一个主题；空行不计。会议页面按月推荐当月主题。",
                "One theme a line; blank lines are left out. The meeting page suggests the month's themes.")}</p>
            <TextField name="source" label={t("依据", "Source")}
                value={typed.source.clone()} on_change={on_source} />
            <div id="theme-months" class="theme-months">{ for months }</div>
            <PublishBar {lang} kind={RuleKind::Themes} year={*year} {body}
                {on_refused} {on_published} />
        </main>
    }
}
