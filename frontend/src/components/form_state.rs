//! 表单状态: every form page's state — the form as typed, and which fields have been touched.
//!
//! A field's error shows once the user has typed in it, or after a try to submit; a form that
//! could not be put in the outbox (no open vault) says so and keeps its draft. Every form is
//! kept as a draft of its own ([`use_draft_form`]): any number per kind. Each page keeps
//! its own input type `T` (`VisitInput`, `CaseInput`, …) and edits it through the callbacks
//! here, so the reducer and its wiring exist once.

use std::collections::BTreeSet;
use std::rc::Rc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::Lang;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::{Choice, Continuing, DraftList, fit_org_unit};
use crate::device::vault;
use crate::forms::FormKind;
use crate::storage::{self, Editing};

#[derive(Clone, PartialEq)]
pub struct FormState<T> {
    pub input: T,
    pub touched: BTreeSet<String>,
    pub show_all: bool,
    /// Set when the outbox could not be written (no open vault): the draft stays.
    pub save_error: bool,
    /// 草稿: the id of the draft this form is kept as.
    pub draft: Uuid,
    /// Typed in since it was opened: only such drafts are listed.
    pub edited: bool,
    /// 续办: the stored record this draft is a change of.
    pub editing: Option<Editing<T>>,
    /// A draft just finished (queued, or its 续办 dropped): removed from the device.
    pub finished: Option<Uuid>,
    /// Another tab changed this draft at the same time: what was typed here went on as a
    /// draft of its own (both kept), and the page says so.
    pub split: bool,
}

pub enum FormAction<T> {
    /// Changes the input; `keys` are the fields touched (none for a button or a box whose
    /// error belongs to another field).
    Edit {
        keys: Vec<String>,
        apply: Rc<dyn Fn(&mut T)>,
    },
    /// Fits the input to its context (the only village filled in): no typing, so it keeps no
    /// draft by itself.
    Fit(Rc<dyn Fn(&mut T)>),
    ShowAllErrors,
    SaveFailed,
    /// The draft is done (queued, or its 续办 dropped): starts a new one with `input`.
    Replace(Box<T>),
    /// Opens another draft (or a new one), keeping this one.
    Open {
        draft: Uuid,
        input: Box<T>,
        editing: Option<Editing<T>>,
    },
    /// The vault changed from elsewhere: `moved_to`, this draft went on under that id after a
    /// conflict with another tab; `stored`, another tab's newer text of this draft.
    External {
        draft: Uuid,
        moved_to: Option<Uuid>,
        stored: Option<Box<T>>,
    },
}

impl<T> FormState<T> {
    pub fn new(input: T) -> Self {
        Self::opened(crate::new_id(), input, None)
    }

    pub fn opened(draft: Uuid, input: T, editing: Option<Editing<T>>) -> Self {
        FormState {
            input,
            touched: BTreeSet::new(),
            show_all: false,
            save_error: false,
            draft,
            edited: false,
            editing,
            finished: None,
            split: false,
        }
    }

    /// Whether `key`'s error is to be shown yet.
    pub fn shows(&self, key: &str) -> bool {
        self.show_all || self.touched.contains(key)
    }
}

impl<T: Clone + PartialEq + 'static> Reducible for FormState<T> {
    type Action = FormAction<T>;

    fn reduce(self: Rc<Self>, action: FormAction<T>) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            FormAction::Edit { keys, apply } => {
                apply(&mut next.input);
                next.touched.extend(keys);
                next.edited = true;
            }
            FormAction::Fit(apply) => apply(&mut next.input),
            FormAction::ShowAllErrors => next.show_all = true,
            FormAction::SaveFailed => next.save_error = true,
            FormAction::Replace(input) => {
                next = FormState::new(*input);
                next.finished = Some(self.draft);
            }
            FormAction::Open {
                draft,
                input,
                editing,
            } => next = FormState::opened(draft, *input, editing),
            FormAction::External {
                draft,
                moved_to,
                stored,
            } => {
                if draft != self.draft {
                    return self;
                }
                if let Some(to) = moved_to {
                    next.draft = to;
                    next.split = true;
                } else if let Some(stored) = stored.filter(|s| **s != self.input) {
                    next.input = *stored;
                } else {
                    return self;
                }
            }
        }
        Rc::new(next)
    }
}

/// A form page's state kept as a draft in the vault: opens this tab's current draft of `kind`
/// (or a blank one), stores every change once something was typed, removes a finished draft,
/// and follows other tabs. Returns the state and the page's list of drafts (to render).
#[hook]
pub fn use_draft_form<T>(
    kind: FormKind,
    lang: Lang,
    blank: impl Fn() -> T + 'static,
) -> (UseReducerHandle<FormState<T>>, Html)
where
    T: Clone + PartialEq + Serialize + DeserializeOwned + 'static,
{
    let blank: Rc<dyn Fn() -> T> = Rc::new(blank);
    let form = use_reducer({
        let blank = blank.clone();
        move || {
            let current = storage::current_draft(kind)
                .and_then(|id| storage::load_draft::<T>(id).map(|d| (id, d)));
            match current {
                Some((id, d)) => FormState::opened(id, d.input, d.editing),
                // A blank form reuses a blank draft: visiting a form leaves no pile of them.
                None => FormState::opened(
                    storage::blank_draft(kind).unwrap_or_else(crate::new_id),
                    blank(),
                    None,
                ),
            }
        }
    });
    {
        let state = form.clone();
        use_effect_with(
            (form.input.clone(), form.draft, form.edited),
            move |(input, draft, edited)| {
                let editing = state.editing.as_ref();
                if storage::save_draft(*draft, kind, input, editing, *edited).is_err() {
                    gloo::console::error!("draft not kept: no vault is open");
                }
                storage::set_current_draft(kind, Some(*draft));
            },
        );
    }
    use_effect_with(form.finished, move |finished| {
        if let Some(id) = finished {
            storage::discard_draft(*id);
        }
    });
    {
        let d = form.dispatcher();
        use_effect_with(form.draft, move |draft| {
            let draft = *draft;
            let listener = vault::listen(move || {
                let moved_to = storage::take_moved(draft);
                let stored = (moved_to.is_none() && !vault::is_dirty(&format!("draft:{draft}")))
                    .then(|| storage::load_draft::<T>(draft))
                    .flatten()
                    .map(|d| Box::new(d.input));
                d.dispatch(FormAction::External {
                    draft,
                    moved_to,
                    stored,
                });
            });
            move || drop(listener)
        });
    }
    let on_open = {
        let d = form.dispatcher();
        Callback::from(move |id: Option<Uuid>| {
            let opened = id.and_then(|id| storage::load_draft::<T>(id).map(|x| (id, x)));
            let (draft, input, editing) = match opened {
                Some((id, x)) => (id, x.input, x.editing),
                None => (crate::new_id(), blank(), None),
            };
            storage::set_current_draft(kind, Some(draft));
            d.dispatch(FormAction::Open {
                draft,
                input: Box::new(input),
                editing,
            });
        })
    };
    let value = crate::to_value(&form.input).unwrap_or_default();
    let line = crate::forms::describe(kind, &value);
    let record = value
        .get("id")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_owned();
    // 续办: the banner of a form holding a change of a stored record. Starting a new record
    // leaves the change among the drafts.
    let banner = form.editing.as_ref().map(|e| {
        html! {
            <Continuing {lang} version={e.version} what={crate::forms::change_hint(kind, lang)}
                stop_label={crate::i18n::tr(lang, "另起新记录（此修改留在草稿中）", "Start a new record (this change stays among the drafts)")}
                on_stop={on_open.reform(|_: MouseEvent| None)} />
        }
    });
    let list = html! {
        <>
            {for banner}
            <DraftList {lang} {kind} current={form.draft} {line} {record} split={form.split} {on_open} />
        </>
    };
    (form, list)
}

pub type FormDispatch<T> = UseReducerDispatcher<FormState<T>>;

/// The fields an edit touches: `"org_unit"`, `format!("parties[{n}].phone")`, a list of them,
/// or `()` for none.
pub struct Touches(pub Vec<String>);

impl From<&str> for Touches {
    fn from(key: &str) -> Self {
        Touches(vec![key.to_owned()])
    }
}

impl From<String> for Touches {
    fn from(key: String) -> Self {
        Touches(vec![key])
    }
}

impl From<Vec<String>> for Touches {
    fn from(keys: Vec<String>) -> Self {
        Touches(keys)
    }
}

impl From<()> for Touches {
    fn from((): ()) -> Self {
        Touches(Vec::new())
    }
}

/// A text field's (or a choice's) change: `f` stores the value in the input.
pub fn on_text<T: Clone + PartialEq + 'static>(
    d: &FormDispatch<T>,
    keys: impl Into<Touches>,
    f: impl Fn(&mut T, String) + 'static,
) -> Callback<String> {
    let (d, f, keys) = (d.clone(), Rc::new(f), keys.into().0);
    Callback::from(move |v: String| {
        let f = f.clone();
        d.dispatch(FormAction::Edit {
            keys: keys.clone(),
            apply: Rc::new(move |i| f(i, v.clone())),
        })
    })
}

/// A tick box's change.
pub fn on_flag<T: Clone + PartialEq + 'static>(
    d: &FormDispatch<T>,
    keys: impl Into<Touches>,
    f: impl Fn(&mut T, bool) + 'static,
) -> Callback<bool> {
    let (d, f, keys) = (d.clone(), Rc::new(f), keys.into().0);
    Callback::from(move |v: bool| {
        let f = f.clone();
        d.dispatch(FormAction::Edit {
            keys: keys.clone(),
            apply: Rc::new(move |i| f(i, v)),
        })
    })
}

/// A button that edits the input (add a row, remove one, …).
pub fn on_click<T: Clone + PartialEq + 'static>(
    d: &FormDispatch<T>,
    keys: impl Into<Touches>,
    f: impl Fn(&mut T) + 'static,
) -> Callback<MouseEvent> {
    let (d, f, keys) = (d.clone(), Rc::new(f), keys.into().0);
    let apply: Rc<dyn Fn(&mut T)> = f;
    Callback::from(move |_| {
        d.dispatch(FormAction::Edit {
            keys: keys.clone(),
            apply: apply.clone(),
        })
    })
}

/// Fits the form's unit field to the user's `choices` (the only one filled in, one not among
/// them cleared) whenever the choices change or another draft opens.
#[hook]
pub fn use_fitted_unit<T>(
    form: &UseReducerHandle<FormState<T>>,
    choices: Vec<Choice>,
    field: fn(&mut T) -> &mut String,
) where
    T: Clone + PartialEq + 'static,
{
    let form = form.clone();
    use_effect_with((choices, form.draft), move |(choices, _)| {
        let mut input = form.input.clone();
        let current = field(&mut input).clone();
        if fit_org_unit(&current, choices) != current {
            let choices = choices.clone();
            form.dispatch(FormAction::Fit(Rc::new(move |i| {
                let unit = field(i);
                *unit = fit_org_unit(unit, &choices);
            })));
        }
    });
}
