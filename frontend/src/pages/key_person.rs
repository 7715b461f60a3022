//! 需要重点关注的妇女儿童信息统计表 — the key women & children register (000 附件2): one row
//! per person, with the 妇女 and 儿童 boxes side by side as on the paper form, dated 关爱帮扶
//! entries, and a live line saying whom the row counts as.

use shared::Lang;
use shared::register::{CareInput, KeyPerson, KeyPersonInput};
use yew::prelude::*;

use super::FormPageProps;
use crate::components::{
    Check, ChoiceField, FormAction, SaveError, TextField, TextKind, on_click, on_flag, on_text,
    unit_choices, use_draft_form, use_fitted_unit,
};
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::storage;

/// A fresh row for the register.
pub fn blank(id: uuid::Uuid) -> KeyPersonInput {
    KeyPersonInput {
        id,
        ..Default::default()
    }
}

/// 统计为: whom a row counts as, read from the boxes as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counts {
    Nobody,
    Woman,
    Child,
    Both,
}

impl Counts {
    pub fn of(input: &KeyPersonInput) -> Counts {
        match (input.woman.any(), input.child.any()) {
            (false, false) => Counts::Nobody,
            (true, false) => Counts::Woman,
            (false, true) => Counts::Child,
            (true, true) => Counts::Both,
        }
    }

    /// The same codes the server lists the row under (`category`), `none` while nothing is
    /// ticked.
    pub fn code(self) -> &'static str {
        match self {
            Counts::Nobody => "none",
            Counts::Woman => "woman",
            Counts::Child => "child",
            Counts::Both => "both",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Counts::Nobody => lang.pick("尚未勾选类别", "No box ticked yet"),
            Counts::Woman => lang.pick("妇女", "Woman"),
            Counts::Child => lang.pick("儿童", "Child"),
            Counts::Both => lang.pick("妇女、儿童", "Woman and child"),
        }
    }
}

/// The ticked boxes in words, for the preview.
fn ticked(input: &KeyPersonInput, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let w = &input.woman;
    let c = &input.child;
    let mut push = |on: bool, zh: &str, en: &str| {
        if on {
            out.push(lang.pick(zh, en).to_owned());
        }
    };
    push(w.poor, "妇女·贫困", "Woman · poor");
    push(
        w.severe_disability,
        "妇女·重残",
        "Woman · severe disability",
    );
    push(w.single_parent, "妇女·单亲", "Woman · single parent");
    if !w.other.trim().is_empty() {
        out.push(format!(
            "{}{}",
            lang.pick("妇女·其它：", "Woman · other: "),
            w.other.trim()
        ));
    }
    let mut push = |on: bool, zh: &str, en: &str| {
        if on {
            out.push(lang.pick(zh, en).to_owned());
        }
    };
    push(c.orphan, "儿童·孤儿", "Child · orphan");
    push(c.in_hardship, "儿童·困境", "Child · in hardship");
    push(c.left_behind, "儿童·留守", "Child · left behind");
    if !c.other.trim().is_empty() {
        out.push(format!(
            "{}{}",
            lang.pick("儿童·其它：", "Child · other: "),
            c.other.trim()
        ));
    }
    out
}

#[component]
pub fn KeyPersonPage(p: &FormPageProps) -> Html {
    let lang = p.lang;
    let (form, drafts) = use_draft_form(FormKind::KeyPerson, lang, move || blank(crate::new_id()));
    let villages = unit_choices(&p.units, "village");
    use_fitted_unit(&form, villages.clone(), |i| &mut i.org_unit);

    let today = crate::today();
    let parsed = KeyPerson::parse(&form.input, today);
    let errors = parsed.as_ref().err();
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

    let onsubmit = {
        let form = form.clone();
        let on_queued = p.on_queued.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if KeyPerson::parse(&form.input, crate::today()).is_err() {
                form.dispatch(FormAction::ShowAllErrors);
                focus_first_error();
                return;
            }
            let queued = storage::enqueue_page(
                FormKind::KeyPerson,
                form.input.id,
                form.editing.as_ref().map(|e| e.version),
                &form.input,
                js_sys::Date::now(),
            );
            match queued {
                Ok(()) => {
                    // The next person is usually of the same village.
                    let mut next = blank(crate::new_id());
                    next.org_unit = form.input.org_unit.clone();
                    form.dispatch(FormAction::Replace(Box::new(next)));
                    on_queued.emit(());
                }
                Err(_) => form.dispatch(FormAction::SaveFailed),
            }
        })
    };

    let care = input.care.iter().enumerate().map(|(n, c)| {
        let key = |f: &str| format!("care[{n}].{f}");
        let edit = |field: &str, f: fn(&mut CareInput, String)| {
            on_text(&d, key(field), move |i, v| {
                if let Some(c) = i.care.get_mut(n) {
                    f(c, v)
                }
            })
        };
        html! {
            <fieldset class="row care" key={n}>
                <legend>{format!("{} {}", t("帮扶", "Care"), n + 1)}</legend>
                <TextField name={key("date")} label={t("日期", "Date")} kind={TextKind::Date}
                    required=true value={c.date.clone()} error={err(&key("date"))}
                    on_change={edit("date", |c, v| c.date = v)} />
                <TextField name={key("by")} label={t("帮扶人", "By")}
                    value={c.by.clone()} error={err(&key("by"))}
                    on_change={edit("by", |c, v| c.by = v)} />
                <div class="wide">
                    <TextField name={key("content")} label={t("帮扶情况", "What was done")} required=true
                        kind={TextKind::Multiline} value={c.content.clone()} error={err(&key("content"))}
                        on_change={edit("content", |c, v| c.content = v)} />
                </div>
                <button type="button" class="link danger"
                    onclick={on_click(&d, (), move |i| { i.care.remove(n); })}>
                    {t("删除此帮扶记录", "Remove entry")}
                </button>
            </fieldset>
        }
    });

    let counts = Counts::of(input);
    // Ticking or unticking a box touches the at-least-one-box rule (`flags`).
    let flags_error = err("flags");
    let add_care = {
        let today = today.to_string();
        on_click(&d, (), move |i| {
            i.care.push(CareInput {
                date: today.clone(),
                ..Default::default()
            })
        })
    };

    html! {
        <div class="kp-page">
            <form class="kp-form" {onsubmit} novalidate=true>
                <h2>{t("需要重点关注的妇女儿童信息统计表", "Key women & children register")}</h2>
                {drafts}
                if form.save_error {
                    <SaveError {lang} />
                }
                <section>
                    <ChoiceField name="org_unit" label={t("所属村（社区）", "Village")} required=true
                        value={input.org_unit.clone()} choices={villages.clone()} error={err("org_unit")}
                        on_change={on_text(&d, "org_unit", |i, v| i.org_unit = v)} />
                    if villages.is_empty() {
                        <p class="hint">{t("当前账号下没有村（社区）单位，无法提交此表。",
                            "This account has no village units: this form cannot be submitted.")}</p>
                    }
                    <div class="grid">
                        <TextField name="name" label={t("姓名", "Name")} required=true
                            value={input.name.clone()} error={err("name")}
                            on_change={on_text(&d, "name", |i, v| i.name = v)} />
                        <TextField name="phone" label={t("联系电话", "Phone")} kind={TextKind::Tel}
                            value={input.phone.clone()} error={err("phone")}
                            on_change={on_text(&d, "phone", |i, v| i.phone = v)} />
                    </div>
                    <TextField name="address" label={t("家庭住址", "Address")} required=true
                        value={input.address.clone()} error={err("address")}
                        hint={t("同一住址的人计为同一重点家庭", "People at one address count as one key household")}
                        on_change={on_text(&d, "address", |i, v| i.address = v)} />
                </section>
                <section>
                    <h3>{t("类别", "Category")}<span class="req" aria-hidden="true">{"*"}</span>
                        <small class="hint">{t("（至少勾选一项）", " (tick at least one)")}</small></h3>
                    <div id="f-flags" class={classes!("kp-flags", flags_error.is_some().then_some("has-error"))}>
                        <fieldset class="kp-column woman">
                            <legend>{t("妇女", "Woman")}</legend>
                            <Check name="woman.poor" label={t("贫困", "Poor")} checked={input.woman.poor}
                                on_change={on_flag(&d, "flags", |i, v| i.woman.poor = v)} />
                            <Check name="woman.severe_disability" label={t("重残", "Severe disability")}
                                checked={input.woman.severe_disability}
                                on_change={on_flag(&d, "flags", |i, v| i.woman.severe_disability = v)} />
                            <Check name="woman.single_parent" label={t("单亲", "Single parent")}
                                checked={input.woman.single_parent}
                                on_change={on_flag(&d, "flags", |i, v| i.woman.single_parent = v)} />
                            <TextField name="woman.other" label={t("其它（请注明）", "Other (say what)")}
                                value={input.woman.other.clone()} error={err("woman.other")}
                                on_change={on_text(&d, "woman.other", |i, v| i.woman.other = v)} />
                        </fieldset>
                        <fieldset class="kp-column child">
                            <legend>{t("儿童", "Child")}</legend>
                            <Check name="child.orphan" label={t("孤儿", "Orphan")} checked={input.child.orphan}
                                on_change={on_flag(&d, "flags", |i, v| i.child.orphan = v)} />
                            <Check name="child.in_hardship" label={t("困境", "In hardship")}
                                checked={input.child.in_hardship}
                                on_change={on_flag(&d, "flags", |i, v| i.child.in_hardship = v)} />
                            <Check name="child.left_behind" label={t("留守", "Left behind")}
                                checked={input.child.left_behind}
                                on_change={on_flag(&d, "flags", |i, v| i.child.left_behind = v)} />
                            <TextField name="child.other" label={t("其它（请注明）", "Other (say what)")}
                                value={input.child.other.clone()} error={err("child.other")}
                                on_change={on_text(&d, "child.other", |i, v| i.child.other = v)} />
                        </fieldset>
                    </div>
                    if let Some(e) = flags_error {
                        <p class="error" id="flags-error" role="alert">{e}</p>
                    }
                </section>
                <section>
                    <h3>{t("关爱帮扶情况", "Care and help given")}</h3>
                    { for care }
                    if input.care.is_empty() {
                        <p class="none">{t("尚无帮扶记录", "No entries yet")}</p>
                    }
                    <button type="button" class="secondary" id="add-care" onclick={add_care}>
                        {t("＋ 添加帮扶记录", "+ Add entry")}
                    </button>
                </section>
                <div class="actions">
                    <button type="submit" class="primary">{t("提交", "Submit")}</button>
                    <small class="hint">{t(
                        "提交后记录进入待发送队列，联网时自动发送；草稿随时自动保存。",
                        "Submitted records wait in the outbox and are sent when online; drafts save automatically.")}</small>
                </div>
            </form>
            <aside class="preview kp-preview" aria-live="polite">
                <h3>{t("统计为", "Counts as")}</h3>
                <div id="kp-counts" class={classes!("kp-counts", format!("counts-{}", counts.code()))}
                    data-counts={counts.code()}>
                    {counts.label(lang)}
                </div>
                if counts == Counts::Both {
                    <p class="hint">{t("妇女和儿童两类统计均计入。", "Counted among both women and children.")}</p>
                }
                if counts == Counts::Nobody {
                    <p class="hint">{t("请至少勾选一项妇女或儿童类别。", "Tick at least one woman or child box.")}</p>
                } else {
                    <ul class="kp-ticked">
                        { for ticked(input, lang).into_iter().map(|s| html! { <li>{s}</li> }) }
                    </ul>
                }
                <p class="kp-care-count">
                    { match lang {
                        Lang::Zh => format!("关爱帮扶 {} 次", input.care.len()),
                        Lang::En => format!("{} care entries", input.care.len()),
                    } }
                </p>
            </aside>
        </div>
    }
}

fn focus_first_error() {
    // After the re-render that marks the fields invalid.
    gloo::timers::callback::Timeout::new(0, || {
        let doc = gloo::utils::document();
        let selector = ".kp-form [aria-invalid=\"true\"], .kp-form .has-error input, .kp-form .has-error select";
        if let Ok(Some(el)) = doc.query_selector(selector) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    })
    .forget();
}
