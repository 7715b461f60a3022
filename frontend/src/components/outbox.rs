//! 待发送 — the outbox list: every finished form and where it stands with the server.

use shared::Lang;
use uuid::Uuid;
use yew::prelude::*;

use crate::i18n::tr;
use crate::storage::{OutboxItem, SendState};

#[derive(Properties, PartialEq)]
pub struct OutboxProps {
    pub lang: Lang,
    pub items: Vec<OutboxItem>,
    /// The item being sent right now, if any.
    pub sending: Option<Uuid>,
}

#[component]
pub fn OutboxList(p: &OutboxProps) -> Html {
    let lang = p.lang;
    if p.items.is_empty() {
        return html! {
            <section class="outbox" id="outbox">
                <h3>{tr(lang, "提交记录", "Submitted records")}</h3>
                <p class="none">{tr(lang, "还没有提交的记录", "Nothing submitted yet")}</p>
            </section>
        };
    }
    let rows = p.items.iter().rev().map(|item| {
        let (state, label, detail) = match &item.state {
            _ if p.sending == Some(item.id) => ("sending", tr(lang, "发送中…", "Sending…"), None),
            SendState::Waiting { last_error, .. } => (
                "waiting",
                tr(lang, "等待发送", "Waiting"),
                last_error.clone().map(|e| html! { <small class="detail">{e}</small> }),
            ),
            SendState::Sent { .. } => ("sent", tr(lang, "已发送", "Sent"), None),
            SendState::Rejected { message, fields, .. } => (
                "rejected",
                tr(lang, "被退回", "Rejected"),
                Some(html! {
                    <div class="detail">
                        <small>{message.clone()}</small>
                        <ul>{ for fields.iter().map(|f| html! { <li>{f.message(lang).to_owned()}</li> }) }</ul>
                    </div>
                }),
            ),
        };
        // A receipt shows its masked line; an unsent item, the form's own words (the
        // worker's vault is open).
        let what = if item.is_unsent() || item.line.is_empty() {
            crate::forms::describe(item.kind, &item.body)
        } else {
            item.line.clone()
        };
        html! {
            <li key={item.id.to_string()} class={classes!("item", state)} data-id={item.id.to_string()}
                data-state={state} data-kind={item.kind.name()} data-attempts={item.attempts.to_string()}
                data-record-id={item.record_id.map(|r| r.to_string()).unwrap_or_default()}>
                <span class="badge">{label}</span>
                <span class="what"><small class="kind">{item.kind.label(lang)}</small>
                    if let Some(base) = item.edit_of {
                        <small class="edit-of">{ match lang {
                            Lang::Zh => format!("续办（第 {base} 版后）"),
                            Lang::En => format!("change of version {base}"),
                        } }</small>
                    }
                    {" "}{what}</span>
                <span class="when">{crate::forms::date_of(item.kind, &item.body)}</span>
                {detail}
            </li>
        }
    });
    html! {
        <section class="outbox" id="outbox">
            <h3>{tr(lang, "提交记录", "Submitted records")}</h3>
            <ul>{ for rows }</ul>
        </section>
    }
}
