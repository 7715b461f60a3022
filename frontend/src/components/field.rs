use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum TextKind {
    #[default]
    Text,
    Date,
    Tel,
    Number,
    Multiline,
}

#[derive(Properties, PartialEq)]
pub struct TextProps {
    /// The field's key in the form (`parties[0].phone`): the input's `name`, and what field
    /// errors refer to.
    pub name: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub kind: TextKind,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

/// A labelled text input with its error message underneath.
#[component]
pub fn TextField(p: &TextProps) -> Html {
    let id = format!("f-{}", p.name);
    let error_id = format!("{id}-error");
    let invalid = p.error.is_some().then_some("true");
    let described = p.error.as_ref().map(|_| error_id.clone());
    let control = match p.kind {
        TextKind::Multiline => {
            let cb = p.on_change.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
            });
            html! {
                <textarea id={id.clone()} name={p.name.clone()} value={p.value.clone()} rows="3"
                    {oninput} aria-invalid={invalid} aria-describedby={described.clone()} />
            }
        }
        kind => {
            let cb = p.on_change.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
            });
            let (ty, mode) = match kind {
                TextKind::Date => ("date", None),
                TextKind::Tel => ("tel", Some("tel")),
                TextKind::Number => ("text", Some("numeric")),
                _ => ("text", None),
            };
            html! {
                <input id={id.clone()} type={ty} inputmode={mode} name={p.name.clone()}
                    value={p.value.clone()} {oninput} aria-invalid={invalid}
                    aria-describedby={described.clone()} />
            }
        }
    };
    html! {
        <div class={classes!("field", p.error.is_some().then_some("has-error"))}>
            <label for={id.clone()}>
                {p.label.clone()}
                if p.required { <span class="req" aria-hidden="true">{"*"}</span> }
            </label>
            {control}
            if let Some(hint) = &p.hint { <small class="hint">{hint.clone()}</small> }
            if let Some(err) = &p.error {
                <small class="error" id={error_id} role="alert">{err.clone()}</small>
            }
        </div>
    }
}

#[derive(Clone, PartialEq)]
pub struct Choice {
    pub value: AttrValue,
    pub label: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub name: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub choices: Vec<Choice>,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    /// Radio buttons rather than a drop-down: every option visible at once.
    #[prop_or_default]
    pub radio: bool,
}

/// A labelled choice among a few options.
#[component]
pub fn ChoiceField(p: &ChoiceProps) -> Html {
    let id = format!("f-{}", p.name);
    let control = if p.radio {
        html! {
            <div class="radios" role="radiogroup" aria-labelledby={format!("{id}-label")}>
                { for p.choices.iter().map(|c| {
                    let cb = p.on_change.clone();
                    let v = c.value.to_string();
                    let onchange = Callback::from(move |_: Event| cb.emit(v.clone()));
                    html! {
                        <label class="radio">
                            <input type="radio" name={p.name.clone()} value={c.value.clone()}
                                checked={c.value == p.value} {onchange} />
                            {c.label.clone()}
                        </label>
                    }
                }) }
            </div>
        }
    } else {
        let cb = p.on_change.clone();
        let onchange = Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        });
        html! {
            <select id={id.clone()} name={p.name.clone()} {onchange}>
                <option value="" selected={p.value.is_empty()}>{"—"}</option>
                { for p.choices.iter().map(|c| html! {
                    <option value={c.value.clone()} selected={c.value == p.value}>{c.label.clone()}</option>
                }) }
            </select>
        }
    };
    html! {
        <div class={classes!("field", p.error.is_some().then_some("has-error"))}>
            <label id={format!("{id}-label")} for={id.clone()}>
                {p.label.clone()}
                if p.required { <span class="req" aria-hidden="true">{"*"}</span> }
            </label>
            {control}
            if let Some(err) = &p.error { <small class="error" role="alert">{err.clone()}</small> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub name: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    pub on_change: Callback<bool>,
}

#[component]
pub fn Check(p: &CheckProps) -> Html {
    let cb = p.on_change.clone();
    let onchange = Callback::from(move |e: Event| {
        cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
    });
    html! {
        <label class="check">
            <input type="checkbox" name={p.name.clone()} checked={p.checked} {onchange} />
            {p.label.clone()}
        </label>
    }
}
