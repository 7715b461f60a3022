//! 启动页 — the hand-over from index.html's start screen, whose plain-HTML login form a worker
//! can type in (and submit) while the wasm downloads. The app takes what was typed when it
//! starts, before its first render, and removes the start screen; the login page then shows
//! the same name and password, keeps the focus where it was, and logs in at once if 登录 was
//! already pressed.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// What was typed into the start screen's login form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typed {
    pub username: String,
    pub password: String,
    /// 登录 was pressed with both fields filled in.
    pub submitted: bool,
    /// The password field had the focus (else the name field, if either had it).
    pub focus: Option<Field>,
}

/// Which of the login form's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Username,
    Password,
}

impl Field {
    /// The id of the app's own input (pages/login.rs).
    pub fn input_id(self) -> &'static str {
        match self {
            Field::Username => "login-username",
            Field::Password => "login-password",
        }
    }
}

thread_local! {
    static TYPED: RefCell<Option<Typed>> = const { RefCell::new(None) };
}

/// Takes over from the start screen: keeps what was typed for the login page and removes the
/// screen (the password with it, so it is held only by the app from here on).
pub fn take_over() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(screen) = document.get_element_by_id("boot") else {
        return;
    };
    let input = |id: &str| {
        document
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    };
    let (Some(username), Some(password)) = (input("boot-username"), input("boot-password")) else {
        screen.remove();
        return;
    };
    let active = document.active_element().map(|e| e.id());
    let typed = Typed {
        username: username.value(),
        password: password.value(),
        submitted: document
            .get_element_by_id("boot-login")
            .is_some_and(|f| f.get_attribute("data-submitted").is_some()),
        focus: match active.as_deref() {
            Some("boot-password") => Some(Field::Password),
            Some("boot-username") => Some(Field::Username),
            _ => None,
        },
    };
    password.set_value("");
    screen.remove();
    if typed != Typed::default() {
        TYPED.with(|t| *t.borrow_mut() = Some(typed));
    }
}

/// What was typed before the app started, once: the first login page takes it.
pub fn take_typed() -> Option<Typed> {
    TYPED.with(|t| t.borrow_mut().take())
}

/// Puts the focus (and the caret, at the end) back in the field that had it.
pub fn refocus(field: Field) {
    let input = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(field.input_id()))
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
    if let Some(input) = input {
        let _ = input.focus();
        let end = input.value().encode_utf16().count() as u32;
        let _ = input.set_selection_range(end, end);
    }
}
