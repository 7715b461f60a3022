//! 草稿: the drafts of one form kind on this device — listed with a recognisable first line and
//! when they were last edited, resumed, discarded (with a confirm), and 新建 for a fresh one.

use shared::Lang;
use uuid::Uuid;
use yew::prelude::*;

use crate::device::vault;
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::storage;

/// At most this many drafts are listed, the newest first.
const SHOWN: usize = 100;

#[derive(Properties, PartialEq)]
pub struct DraftListProps {
    pub lang: Lang,
    pub kind: FormKind,
    /// The draft open on the page.
    pub current: Uuid,
    /// The open draft's first line as typed now (so the list follows the typing).
    pub line: String,
    /// The id of the record the open draft is (its form's `id`).
    pub record: String,
    /// The open draft went on as a draft of its own after another tab changed it.
    #[prop_or_default]
    pub split: bool,
    /// Opens a draft; `None`: a new one.
    pub on_open: Callback<Option<Uuid>>,
}

/// "2026-12-07 14:05", local time.
fn when(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

#[component]
pub fn DraftList(p: &DraftListProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    // Other tabs add, change and remove drafts: the list follows.
    let changes = use_state(|| 0u32);
    {
        let changes = changes.clone();
        use_effect_with((), move |_| {
            let listener = vault::listen(move || changes.set(*changes + 1));
            move || drop(listener)
        });
    }
    let drafts = storage::drafts(p.kind);
    let others = drafts.iter().filter(|d| d.id != p.current).count();
    // The newest ones; a device holding hundreds says how many more there are.
    let shown = drafts.len().min(SHOWN);
    let rows = drafts.iter().take(SHOWN).map(|d| {
        let id = d.id;
        let current = id == p.current;
        let open = p.on_open.reform(move |_: MouseEvent| Some(id));
        let discard = {
            let (on_open, changes) = (p.on_open.clone(), changes.clone());
            let question = lang.pick("删除这份草稿？已填写的内容将无法恢复。", "Discard this draft? What was typed in it cannot be recovered.");
            Callback::from(move |_: MouseEvent| {
                if crate::components::confirm(question) {
                    storage::discard_draft(id);
                    if current {
                        on_open.emit(None);
                    }
                    changes.set(*changes + 1);
                }
            })
        };
        let line = if current { p.line.clone() } else { d.line.clone() };
        let line = if line.is_empty() { lang.pick("（未填写）", "(empty)").to_owned() } else { line };
        html! {
            <li key={id.to_string()} class={classes!("draft", current.then_some("current"))}
                data-draft={id.to_string()}>
                <span class="line">{line}</span>
                if let Some(v) = d.editing {
                    <small class="edit-of">{ match lang {
                        Lang::Zh => format!("续办第 {v} 版"),
                        Lang::En => format!("change of version {v}"),
                    } }</small>
                }
                <small class="when">{when(d.edited_ms)}</small>
                if current {
                    <small class="open-now">{t("正在填写", "open")}</small>
                } else {
                    <button type="button" class="link resume" onclick={open}>{t("继续填写", "Resume")}</button>
                }
                <button type="button" class="link danger discard" onclick={discard}>{t("删除", "Discard")}</button>
            </li>
        }
    });
    let new = p.on_open.reform(|_: MouseEvent| None);
    html! {
        <details class="drafts" id="drafts" open={others > 0 || p.split} data-count={drafts.len().to_string()}
            data-current={p.current.to_string()} data-record-id={p.record.clone()}>
            <summary>
                {t("草稿", "Drafts")}{format!(" ({})", drafts.len())}
                <button type="button" class="link new-draft" id="new-draft" onclick={new}>{t("新建", "New")}</button>
            </summary>
            if p.split {
                <p class="banner warn" id="draft-split" role="status">{t(
                    "另一个窗口同时修改了这份草稿：两边的内容都已保留，本窗口的内容另存为一份新草稿。",
                    "Another window changed this draft at the same time: both are kept; what you typed here went on as a draft of its own.")}</p>
            }
            if drafts.is_empty() {
                <p class="none">{t("还没有草稿：填写后自动保存在本机（加密）。", "No drafts yet: what you type is kept on this device, encrypted.")}</p>
            } else {
                <ul>{ for rows }</ul>
                if drafts.len() > shown {
                    <p class="hint">{ match lang {
                        Lang::Zh => format!("另有 {} 份较早的草稿。", drafts.len() - shown),
                        Lang::En => format!("{} older drafts are not listed.", drafts.len() - shown),
                    } }</p>
                }
            }
        </details>
    }
}
