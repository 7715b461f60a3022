//! 表单状态: every form page's state — the form as typed, and which fields have been touched.
//!
//! A field's error shows once the user has typed in it, or after a try to submit; a form that
//! could not be put in the outbox (storage full) says so and keeps its draft. Each page keeps
//! its own input type `T` (`VisitInput`, `CaseInput`, …) and edits it through the callbacks
//! here, so the reducer and its wiring exist once.

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct FormState<T> {
    pub input: T,
    pub touched: BTreeSet<String>,
    pub show_all: bool,
    /// Set when the outbox could not be written (storage full): the draft stays.
    pub save_error: bool,
}

pub enum FormAction<T> {
    /// Changes the input; `keys` are the fields touched (none for a button or a box whose
    /// error belongs to another field).
    Edit {
        keys: Vec<String>,
        apply: Rc<dyn Fn(&mut T)>,
    },
    ShowAllErrors,
    SaveFailed,
    /// Starts over with `input` (after a submit).
    Replace(Box<T>),
}

impl<T> FormState<T> {
    pub fn new(input: T) -> Self {
        FormState {
            input,
            touched: BTreeSet::new(),
            show_all: false,
            save_error: false,
        }
    }

    /// Whether `key`'s error is to be shown yet.
    pub fn shows(&self, key: &str) -> bool {
        self.show_all || self.touched.contains(key)
    }
}

impl<T: Clone + 'static> Reducible for FormState<T> {
    type Action = FormAction<T>;

    fn reduce(self: Rc<Self>, action: FormAction<T>) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            FormAction::Edit { keys, apply } => {
                apply(&mut next.input);
                next.touched.extend(keys);
            }
            FormAction::ShowAllErrors => next.show_all = true,
            FormAction::SaveFailed => next.save_error = true,
            FormAction::Replace(input) => next = FormState::new(*input),
        }
        Rc::new(next)
    }
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
pub fn on_text<T: Clone + 'static>(
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
pub fn on_flag<T: Clone + 'static>(
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
pub fn on_click<T: Clone + 'static>(
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
