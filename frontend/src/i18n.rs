//! Chinese first, English second: every user-facing string is a (zh, en) pair.

use gloo::storage::{LocalStorage, Storage};
pub use shared::Lang;
use yew::AttrValue;

const LANG_KEY: &str = "jiajia.v1.lang";

pub fn tr(lang: Lang, zh: &'static str, en: &'static str) -> AttrValue {
    AttrValue::Static(lang.pick(zh, en))
}

pub fn load_lang() -> Lang {
    LocalStorage::get(LANG_KEY).unwrap_or_default()
}

pub fn save_lang(lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang);
}
