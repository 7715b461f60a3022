//! 待办: the open tasks of a village or town worker's unit — follow-ups due or overdue,
//! must-report items missing their dates, case deadlines, a self-assessment's or an
//! application's shortfalls, the month's report due or missing. Computed on the device from
//! her replica by the rules the server's warnings view runs (`shared::tasks`), so the list is
//! the same as the dashboard's and is there offline too.

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use shared::Lang;
use shared::monthly::{MonthlyReport, ReportReceipt, ReportingRules};
use shared::sync::SyncRecord;
use shared::tasks::{self, Held, Records, Task, TaskKind};
use yew::prelude::*;

use crate::api::clock;
use crate::components::unit_label;
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::replica;
use crate::route::{Link, RecordsQuery, Route};
use crate::session::Session;

#[derive(Properties, PartialEq)]
pub struct TasksPageProps {
    pub lang: Lang,
    pub session: Session,
}

/// The replica's records of `kind` with their parsed values; one the rules cannot read (stored
/// by a newer release) raises no task rather than hiding every other.
fn parsed<R: DeserializeOwned>(kind: FormKind) -> Vec<(SyncRecord, R)> {
    replica::records(kind)
        .into_iter()
        .filter_map(|s| {
            let r = shared::json::read_value(&s.record).ok()?;
            Some((s, r))
        })
        .collect()
}

fn held<R>(rows: &[(SyncRecord, R)]) -> Vec<Held<'_, R>> {
    rows.iter()
        .map(|(s, record)| Held {
            unit: &s.unit,
            id: s.id,
            received_at: &s.received_at,
            record,
        })
        .collect()
}

/// Every open task of the session's unit and below on `today`, most severe first: the
/// server's warnings view, from the replica.
pub fn open_tasks(session: &Session, today: NaiveDate) -> Vec<Task> {
    let visits = parsed(FormKind::Visit);
    let cases = parsed(FormKind::RightsCase);
    let assessments = parsed(FormKind::SelfAssessment);
    let homes = parsed(FormKind::ModelHome);
    let records = Records {
        visits: held(&visits),
        cases: held(&cases),
        self_assessments: held(&assessments),
        homes: held(&homes),
    };
    let mut found = tasks::record_tasks(&records, &replica::calendar(), today);
    // A report counts as received the day its first version was stored.
    let receipts: Vec<ReportReceipt> = parsed::<MonthlyReport>(FormKind::MonthlyReport)
        .into_iter()
        .filter_map(|(s, r)| {
            Some(ReportReceipt {
                org_unit: r.org_unit.as_str().to_owned(),
                month: r.month,
                received_on: shared::time::china_day_of(&s.first_received_at)?,
                zero_report: r.zero_report,
            })
        })
        .collect();
    let villages: Vec<String> = session.villages().into_iter().map(|u| u.id).collect();
    found.extend(tasks::report_tasks(
        &villages,
        &receipts,
        ReportingRules::default(),
        today,
        &session.user.unit,
    ));
    tasks::sort(&mut found);
    found
}

fn form_kind(kind: TaskKind) -> FormKind {
    match kind {
        TaskKind::Visit => FormKind::Visit,
        TaskKind::RightsCase => FormKind::RightsCase,
        TaskKind::SelfAssessment => FormKind::SelfAssessment,
        TaskKind::ModelHome => FormKind::ModelHome,
    }
}

/// Where the worker acts on a task: the record it is about, or the monthly report form.
fn action(lang: Lang, task: &Task) -> Html {
    match task.record {
        Some((kind, id)) => {
            let query = RecordsQuery {
                kind: Some(form_kind(kind).name().to_owned()),
                id: Some(id.to_string()),
            };
            html! {
                <Link to={Route::Records} query={query.to_query()} classes="open-record">
                    {tr(lang, "查看并续办", "Open and continue")}
                </Link>
            }
        }
        None => html! {
            <Link to={Route::MonthlyReport} classes="open-report">
                {tr(lang, "填报月报", "File the monthly report")}
            </Link>
        },
    }
}

#[component]
pub fn TasksPage(p: &TasksPageProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let _changes = replica::use_changes();
    use_effect_with((), |_| {
        wasm_bindgen_futures::spawn_local(async {
            replica::pull(false).await;
        });
    });
    // Worked out from a whole replica only: half of a first sync would show reports that are
    // on the server as missing.
    let body = if replica::pulled_at().is_none() {
        match replica::last_failure() {
            Some(e) if !replica::pulling() => {
                html! { <p class="banner error" id="tasks-failed">{e.message(lang)}</p> }
            }
            _ => {
                html! { <p class="none" id="tasks-loading">{t("正在同步本单位的记录…", "Syncing your unit's records…")}</p> }
            }
        }
    } else {
        let found = open_tasks(&p.session, crate::today());
        let at = replica::pulled_at().map(clock).unwrap_or_default();
        html! {
            <>
                <p class="hint" id="tasks-as-of">{match lang {
                    Lang::Zh => format!("根据本机保存的本单位记录计算（{at} 同步），离线时也可查看。"),
                    Lang::En => format!("Worked out from your unit's records kept on this device (synced {at}); available offline too."),
                }}</p>
                if found.is_empty() {
                    <p class="none" id="tasks-none">{t("没有待办事项。", "Nothing to do.")}</p>
                } else {
                    <ul class="warnings tasks" id="task-list" data-count={found.len().to_string()}>
                        { for found.iter().map(|task| {
                            let code = task.warning.severity.code();
                            html! {
                                <li class={format!("task sev-{code}")} data-code={task.warning.code.as_str()}
                                    data-severity={code} data-unit={task.unit.clone()}
                                    data-record={task.record.map(|(_, id)| id.to_string())}>
                                    <span class="sev">{task.warning.severity.label(lang)}</span>
                                    <span class="unit">{unit_label(&p.session.units, &task.unit, &task.unit)}</span>
                                    <p class="what">{task.warning.message(lang).to_owned()}</p>
                                    {action(lang, task)}
                                </li>
                            }
                        }) }
                    </ul>
                }
            </>
        }
    };
    html! {
        <section class="tasks-page" id="tasks">
            <h2>{t("待办事项", "Tasks")}</h2>
            {body}
        </section>
    }
}
