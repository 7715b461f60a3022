//! 待发送 — the outbox list: every finished form and where it stands with the server.

use shared::Lang;
use uuid::Uuid;
use yew::prelude::*;

use std::collections::BTreeMap;

use serde_json::Value;
use shared::merge::Side;

use crate::device::vault;
use crate::forms;
use crate::i18n::tr;
use crate::route::{Route, use_navigator};
use crate::storage::{self, Conflicted, OutboxItem, SendState};

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
            SendState::Rejected { message, fields, conflict, .. } => (
                "rejected",
                tr(lang, "被退回", "Rejected"),
                Some(html! {
                    <div class="detail">
                        <small>{message.clone()}</small>
                        <ul>{ for fields.iter().map(|f| html! { <li>{f.message(lang).to_owned()}</li> }) }</ul>
                        if let Some(c) = conflict {
                            <MergeChoices {lang} id={item.id} conflict={c.clone()} />
                        }
                        <RefusedActions {lang} item={item.clone()} />
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

#[derive(Properties, PartialEq)]
struct RefusedProps {
    lang: Lang,
    item: OutboxItem,
}

/// What a refused record can become: opened on its form to be corrected (it leaves the outbox
/// for a draft), sent again as it is, or discarded after a confirm. What was typed stays until
/// the worker decides.
#[component]
fn RefusedActions(p: &RefusedProps) -> Html {
    let navigator = use_navigator();
    let lang = p.lang;
    let open = {
        let item = p.item.clone();
        Callback::from(move |_: MouseEvent| {
            if storage::reopen(&item).is_ok()
                && let Some(n) = &navigator
            {
                n.push(&Route::form(item.kind));
            }
            vault::notify();
        })
    };
    let again = {
        let item = p.item.clone();
        Callback::from(move |_: MouseEvent| {
            storage::send_again(item.id, item.body.clone(), None);
            vault::notify();
        })
    };
    let discard = {
        let id = p.item.id;
        Callback::from(move |_: MouseEvent| {
            if crate::components::confirm(lang.pick(
                "删除这条被退回的记录？所填内容将不再保留。",
                "Discard this refused record? What was typed in it is not kept.",
            )) {
                storage::discard_item(id);
                vault::notify();
            }
        })
    };
    html! {
        <p class="actions">
            <button type="button" class="secondary open-refused" onclick={open}>{tr(lang, "打开修改", "Open to correct")}</button>
            <button type="button" class="secondary send-again" onclick={again}>{tr(lang, "重新发送", "Send again")}</button>
            <button type="button" class="link discard-refused" onclick={discard}>{tr(lang, "删除", "Discard")}</button>
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct MergeProps {
    lang: Lang,
    id: Uuid,
    conflict: Conflicted,
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) if s.is_empty() => "（空）".into(),
        Value::String(s) => s.clone(),
        Value::Null => "（空）".into(),
        other => other.to_string(),
    }
}

/// 对比合并: each field both sides changed, theirs beside mine, for the worker to choose; the
/// merge goes as the change of the version stored now once every field is chosen.
#[component]
fn MergeChoices(p: &MergeProps) -> Html {
    let lang = p.lang;
    let chosen = use_state(BTreeMap::<String, Side>::new);
    let rows = p.conflict.fields.iter().map(|(field, _, mine, theirs)| {
        let pick = |side: Side| {
            let (chosen, field) = (chosen.clone(), field.clone());
            Callback::from(move |_: Event| {
                let mut next = (*chosen).clone();
                next.insert(field.clone(), side);
                chosen.set(next);
            })
        };
        let is = |side| chosen.get(field) == Some(&side);
        html! {
            <tr data-field={field.clone()}>
                <th>{forms::field_path_label(field, lang)}</th>
                <td><label><input type="radio" name={format!("pick-{field}")} value="theirs"
                    checked={is(Side::Theirs)} onchange={pick(Side::Theirs)} />{shown(theirs)}</label></td>
                <td><label><input type="radio" name={format!("pick-{field}")} value="mine"
                    checked={is(Side::Mine)} onchange={pick(Side::Mine)} />{shown(mine)}</label></td>
            </tr>
        }
    });
    let ready = chosen.len() == p.conflict.fields.len();
    let send = {
        let (chosen, conflict, id) = (chosen.clone(), p.conflict.clone(), p.id);
        Callback::from(move |_: MouseEvent| {
            let mut merge = conflict.to_merge();
            for (field, side) in chosen.iter() {
                merge.choose(field, *side);
            }
            storage::send_again(id, merge.value, Some(conflict.current));
            vault::notify();
        })
    };
    html! {
        <div class="merge" data-fields={p.conflict.fields.len().to_string()}>
            <table class="data">
                <thead><tr>
                    <th>{tr(lang, "字段", "Field")}</th>
                    <th>{match lang {
                        Lang::Zh => format!("对方（第 {} 版）", p.conflict.current),
                        Lang::En => format!("Theirs (version {})", p.conflict.current),
                    }}</th>
                    <th>{tr(lang, "我的", "Mine")}</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <button type="button" class="primary send-merged" disabled={!ready} onclick={send}>
                {tr(lang, "合并后发送", "Send the merge")}
            </button>
        </div>
    }
}
