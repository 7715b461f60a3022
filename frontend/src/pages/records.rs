//! 我的记录: the user's stored records, names and phones masked until a record is opened.
//!
//! One tab per kind of form; the list is `GET /api/<path>` with the filters (unit, period, and
//! the kind's own category, status and risk level). People are shown masked (张*芳,
//! 138****1234); opening a record reads it whole from `GET /api/<path>/<id>`, which the server
//! logs for B and C visit records. The page's address names the tab and the open record
//! (`/records?kind=visit&id=…`), so the dashboard's warnings link straight to their records.
//! Without the server nothing is listed: the page says it is offline rather than showing an
//! old list as if it were current.

use chrono::Timelike;
use std::rc::Rc;

use serde::Deserialize;
use serde_json::Value;
use shared::case::{Channel, Complexity, PetitionKind, RightsArea, Stage};
use shared::model_home::{Decision, Level, Status as HomeStatus};
use shared::rubric::{Answer, Rubric};
use shared::standards::{Standard, Yuan};
use shared::sync::SyncRecord;
use shared::visit::{Category, Satisfaction};
use shared::{DisputeTier, Lang, RiskLevel};
use yew::prelude::*;

use crate::api::{Load, LoadError, clock, url_with, use_fetch_all, use_online};
use crate::components::{
    Choice, ChoiceField, ContinueRecord, TextField, TextKind, mask_name, mask_phone, unit_label,
};
use crate::forms::{FIELDS, FormKind, field_label};
use crate::i18n::tr;
use crate::replica;
use crate::route::{RecordsQuery, Route, use_navigator, use_query};
use crate::session::{OrgUnit, Session};

/// Records listed at most; the newest first.
pub const LIST_LIMIT: usize = 200;
/// Rows drawn at first, and added by each 显示更多 (show more): drawing all 200 was most of a
/// filter change's time on a phone (BENCHMARKS.md, "The offline replica at scale").
const SHOWN_STEP: usize = 20;

/// A record as the API answers it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct StoredRecord {
    pub record: Value,
    #[serde(default)]
    pub assessment: Value,
    pub version: i64,
    pub unit: String,
    pub received_at: String,
    #[serde(default)]
    pub author: Option<String>,
}

impl StoredRecord {
    pub fn id(&self) -> String {
        text(&self.record, "/id")
    }
}

/// The kinds a role may look up: every kind; village staff have no town assessments.
pub fn kinds_for(role: &str) -> Vec<FormKind> {
    FormKind::ALL
        .into_iter()
        .filter(|k| *k != FormKind::TownAssessment || role != "village")
        .collect()
}

pub fn kind_named(name: &str) -> Option<FormKind> {
    FormKind::ALL.into_iter().find(|k| k.name() == name)
}

fn text(v: &Value, pointer: &str) -> String {
    match v.pointer(pointer) {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn flag(v: &Value, pointer: &str) -> bool {
    v.pointer(pointer).and_then(Value::as_bool).unwrap_or(false)
}

fn short(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

fn joined(parts: impl IntoIterator<Item = String>) -> String {
    parts
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

/// One line of the list, with people masked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowView {
    pub date: String,
    /// Masked names.
    pub who: String,
    /// Masked phone numbers.
    pub phone: String,
    pub what: String,
    /// A badge: its class and words (risk level, stage, status).
    pub badge: Option<(String, String)>,
}

/// What the list shows of a record: its date, who it is about (masked), and what it is.
pub fn row_view(kind: FormKind, s: &StoredRecord, lang: Lang) -> RowView {
    let r = &s.record;
    let a = &s.assessment;
    let mut row = RowView::default();
    match kind {
        FormKind::Visit => {
            row.date = text(r, "/visit_date");
            let parties = r
                .get("parties")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            row.who = joined(parties.iter().map(|p| mask_name(&text(p, "/name"))));
            row.phone = joined(parties.iter().map(|p| mask_phone(&text(p, "/phone"))));
            let category = Category::parse(&text(r, "/category"))
                .map(|c| c.label(lang).to_owned())
                .unwrap_or_default();
            let resolved = if text(r, "/resolved_on").is_empty() {
                lang.pick("未化解", "open")
            } else {
                lang.pick("已化解", "resolved")
            };
            row.what = format!(
                "{category} · {} · {resolved}",
                short(&text(r, "/summary"), 28)
            );
            row.badge = match text(a, "/level").as_str() {
                "red" => Some(RiskLevel::Red),
                "orange" => Some(RiskLevel::Orange),
                "yellow" => Some(RiskLevel::Yellow),
                _ => None,
            }
            .map(|l| (format!("level-{}", l.as_str()), l.short(lang).to_owned()));
        }
        FormKind::KeyPerson => {
            row.date = s.received_at.get(..10).unwrap_or_default().to_owned();
            row.who = mask_name(&text(r, "/name"));
            row.phone = mask_phone(&text(r, "/phone"));
            let marks = [
                ("/woman/poor", "贫困", "poor"),
                ("/woman/severe_disability", "重度残疾", "severe disability"),
                ("/woman/single_parent", "单亲", "single parent"),
                ("/child/left_behind", "留守儿童", "left-behind child"),
                ("/child/orphan", "孤儿", "orphan"),
                ("/child/in_hardship", "困境儿童", "child in hardship"),
            ];
            row.what = joined(
                marks
                    .iter()
                    .filter(|(p, _, _)| flag(r, p))
                    .map(|(_, zh, en)| lang.pick(zh, en).to_owned())
                    .chain([text(r, "/woman/other"), text(r, "/child/other")]),
            );
        }
        FormKind::Meeting => {
            row.date = text(r, "/date");
            row.what = joined([text(r, "/theme"), short(&text(r, "/must_discuss"), 24)]);
        }
        FormKind::MonthlyReport => {
            row.date = text(r, "/month");
            row.what = if flag(r, "/zero_report") {
                lang.pick("零上报", "Zero report").to_owned()
            } else {
                let n = |i: usize| text(r, &format!("/new_items/{i}"));
                match lang {
                    Lang::Zh => format!(
                        "走访 {} 户；新增 A{} B{} C{}；化解 {}",
                        text(r, "/households_visited"),
                        n(0),
                        n(1),
                        n(2),
                        text(r, "/resolved")
                    ),
                    Lang::En => format!(
                        "{} households visited; new A{} B{} C{}; {} resolved",
                        text(r, "/households_visited"),
                        n(0),
                        n(1),
                        n(2),
                        text(r, "/resolved")
                    ),
                }
            };
        }
        FormKind::RightsCase => {
            row.date = text(r, "/stages/0/date");
            row.who = mask_name(&text(r, "/complainant/name"));
            row.phone = mask_phone(&text(r, "/complainant/phone"));
            let area = RightsArea::parse(&text(r, "/area"))
                .map(|x| x.label(lang).to_owned())
                .unwrap_or_default();
            let deadline = text(a, "/reply_deadline");
            row.what = joined([
                area,
                if deadline.is_empty() {
                    String::new()
                } else {
                    format!("{}{deadline}", lang.pick("答复期限 ", "reply due "))
                },
            ]);
            row.badge = Stage::parse(&text(a, "/current_stage"))
                .ok()
                .map(|st| (format!("stage-{}", st.code()), st.label(lang).to_owned()));
        }
        FormKind::SelfAssessment => {
            row.date = text(r, "/assessed_on");
            let standard = Standard::parse(&text(r, "/standard"))
                .map(|x| x.label(lang).to_owned())
                .unwrap_or_default();
            let (met, total) = (text(a, "/met"), text(a, "/total"));
            row.what = if met.is_empty() {
                standard
            } else {
                format!("{standard} · {met}/{total}")
            };
        }
        FormKind::ModelHome => {
            row.date = text(r, "/year");
            row.what = text(r, "/applicant_unit");
            row.badge = a
                .get("status")
                .and_then(|v| shared::json::read_value::<HomeStatus>(v).ok())
                .map(|st| ("home-status".to_owned(), st.label(lang)));
        }
        FormKind::TownAssessment => {
            row.date = text(r, "/year");
            let total = text(a, "/raw_total");
            row.what = if total.is_empty() {
                String::new()
            } else {
                format!("{}{total}", lang.pick("原始得分 ", "raw score "))
            };
        }
    }
    row
}

/// The category, status and level choices a kind's list can be filtered by.
pub fn category_choices(kind: FormKind, lang: Lang) -> Vec<Choice> {
    let c = |v: &str, l: &str| Choice {
        value: v.to_owned().into(),
        label: l.to_owned().into(),
    };
    match kind {
        FormKind::Visit => Category::ALL
            .iter()
            .map(|x| c(x.code(), x.label(lang)))
            .collect(),
        FormKind::KeyPerson => vec![
            c("woman", lang.pick("妇女", "Woman")),
            c("child", lang.pick("儿童", "Child")),
            c("both", lang.pick("妇女兼儿童", "Both")),
        ],
        FormKind::RightsCase => RightsArea::ALL
            .iter()
            .map(|x| c(x.code(), x.label(lang)))
            .collect(),
        FormKind::SelfAssessment => Standard::ALL
            .iter()
            .map(|x| c(x.code(), x.label(lang)))
            .collect(),
        _ => Vec::new(),
    }
}

pub fn status_choices(kind: FormKind, lang: Lang) -> Vec<Choice> {
    let c = |v: &str, l: &str| Choice {
        value: v.to_owned().into(),
        label: l.to_owned().into(),
    };
    match kind {
        FormKind::Visit => vec![
            c("open", lang.pick("未化解", "Open")),
            c("resolved", lang.pick("已化解", "Resolved")),
        ],
        FormKind::MonthlyReport => vec![
            c("report", lang.pick("月报", "Report")),
            c("zero", lang.pick("零上报", "Zero report")),
        ],
        FormKind::RightsCase => Stage::ALL
            .iter()
            .map(|x| c(x.code(), x.label(lang)))
            .collect(),
        FormKind::ModelHome => vec![
            c("pending", lang.pick("审核中", "Pending")),
            c("approved", lang.pick("已通过", "Approved")),
            c("rejected", lang.pick("未通过", "Rejected")),
        ],
        _ => Vec::new(),
    }
}

pub fn level_choices(kind: FormKind, lang: Lang) -> Vec<Choice> {
    if kind != FormKind::Visit {
        return Vec::new();
    }
    [RiskLevel::Red, RiskLevel::Orange, RiskLevel::Yellow]
        .iter()
        .map(|l| Choice {
            value: l.as_str().into(),
            label: l.label(lang).into(),
        })
        .collect()
}

/// The list filters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    pub unit: String,
    pub from: String,
    pub to: String,
    pub category: String,
    pub status: String,
    pub level: String,
}

/// `GET /api/<path>?…` for the filters; a choice the kind does not have is left out.
pub fn list_url(kind: FormKind, f: &Filters) -> String {
    let valid = |v: &str, choices: Vec<Choice>| {
        if choices.iter().any(|c| c.value == v) {
            v.to_owned()
        } else {
            String::new()
        }
    };
    let category = valid(&f.category, category_choices(kind, Lang::Zh));
    let status = valid(&f.status, status_choices(kind, Lang::Zh));
    let level = valid(&f.level, level_choices(kind, Lang::Zh));
    let limit = LIST_LIMIT.to_string();
    url_with(
        &format!("/api/{}", kind.path()),
        &[
            ("unit", &f.unit),
            ("from", &f.from),
            ("to", &f.to),
            ("category", &category),
            ("status", &status),
            ("level", &level),
            ("limit", &limit),
        ],
    )
}

impl From<SyncRecord> for StoredRecord {
    fn from(r: SyncRecord) -> Self {
        StoredRecord {
            record: r.record,
            assessment: r.assessment,
            version: i64::from(r.version),
            unit: r.unit,
            received_at: r.received_at,
            author: r.author,
        }
    }
}

impl StoredRecord {
    /// This record as the replica keeps it (what a city account opened). The list facets are
    /// not in a single record's answer: its period is the day it was stored.
    fn to_sync(&self, kind: FormKind) -> Option<SyncRecord> {
        Some(SyncRecord {
            kind: kind.path().to_owned(),
            id: self.id().parse().ok()?,
            version: u32::try_from(self.version).ok()?,
            unit: self.unit.clone(),
            received_at: self.received_at.clone(),
            author: self.author.clone(),
            record: self.record.clone(),
            assessment: self.assessment.clone(),
            period: self.received_at.get(..10).unwrap_or_default().to_owned(),
            status: None,
            category: None,
            first_received_at: self.received_at.clone(),
        })
    }
}

/// The list from the replica, filtered as the server's list would be, with how many matched
/// in all; loading until the first pull has come in, failed when it could not be made.
fn replicated_list(kind: FormKind, f: &Filters) -> (Load<Vec<Vec<StoredRecord>>>, usize) {
    if !replica::has_pulled() {
        let load = match replica::last_failure() {
            Some(e) if !replica::pulling() => Load::Failed(e),
            _ => Load::Loading,
        };
        return (load, 0);
    }
    let valid = |v: &str, choices: Vec<Choice>| {
        if choices.iter().any(|c| c.value == v) {
            v.to_owned()
        } else {
            String::new()
        }
    };
    let query = replica::Query {
        unit: f.unit.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        status: valid(&f.status, status_choices(kind, Lang::Zh)),
        category: valid(&f.category, category_choices(kind, Lang::Zh)),
        level: valid(&f.level, level_choices(kind, Lang::Zh)),
    };
    let (rows, matched) = replica::list(kind, &query, LIST_LIMIT);
    let load = Load::Ready {
        data: Rc::new(vec![rows.into_iter().map(StoredRecord::from).collect()]),
        at_ms: replica::pulled_at().unwrap_or(0.0),
    };
    (load, matched)
}

#[derive(Properties, PartialEq)]
pub struct RecordsPageProps {
    pub lang: shared::Lang,
    pub session: Session,
}

#[component]
pub fn RecordsPage(p: &RecordsPageProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let query = RecordsQuery::parse(&use_query());
    let navigator = use_navigator();
    let kinds = kinds_for(&p.session.user.role);
    let kind = query
        .kind
        .as_deref()
        .and_then(kind_named)
        .filter(|k| kinds.contains(k))
        .unwrap_or(FormKind::Visit);
    let open_id = query.id.clone().filter(|s| !s.is_empty());
    let filters = use_state(Filters::default);
    let (online, returns) = use_online();
    let retry = use_state(|| 0u32);
    let again = returns + *retry;

    // Village and town accounts read their replica (online and offline); a city account asks
    // the server, and keeps what it opens for offline use.
    let replicated = replica::replicates(&p.session.user.role);
    let _changes = replica::use_changes();
    use_effect_with(again, |_| {
        wasm_bindgen_futures::spawn_local(async {
            replica::pull(false).await;
        });
    });
    let fetched_list = use_fetch_all::<Vec<StoredRecord>>(
        if replicated {
            Vec::new()
        } else {
            vec![list_url(kind, &filters)]
        },
        again,
    );
    // How many matched before the list was cut to LIST_LIMIT (the server's list says nothing
    // of it: its length then).
    let (list, matched) = if replicated {
        let (list, matched) = replicated_list(kind, &filters);
        (list, Some(matched))
    } else {
        (fetched_list, None)
    };
    let local = open_id
        .as_deref()
        .and_then(|id| replica::record(kind, id))
        .map(StoredRecord::from);
    let fetched_detail = use_fetch_all::<StoredRecord>(
        open_id
            .iter()
            .filter(|_| !(replicated && local.is_some()))
            .map(|id| format!("/api/{}/{}", kind.path(), crate::api::enc(id)))
            .collect(),
        again,
    );
    use_effect_with(fetched_detail.clone(), move |d| {
        if let Load::Ready { data, .. } = d
            && let Some(s) = data.first()
            && let Some(r) = s.to_sync(kind)
        {
            replica::keep(r);
        }
    });
    let detail = match (local, fetched_detail) {
        (Some(s), _) if replicated => Load::Ready {
            data: Rc::new(vec![s]),
            at_ms: replica::pulled_at().unwrap_or(0.0),
        },
        // Offline, a city account sees the copy it kept when it last opened the record.
        (Some(s), Load::Failed(LoadError::Offline)) => Load::Ready {
            data: Rc::new(vec![s]),
            at_ms: 0.0,
        },
        (_, fetched) => fetched,
    };

    let go = {
        let navigator = navigator.clone();
        move |kind: FormKind, id: Option<String>| {
            if let Some(n) = &navigator {
                n.push_with_query(
                    &Route::Records,
                    &RecordsQuery {
                        kind: Some(kind.name().to_owned()),
                        id,
                    }
                    .to_query(),
                );
            }
        }
    };
    let set = |f: fn(&mut Filters, String)| {
        let filters = filters.clone();
        Callback::from(move |v: String| {
            let mut next = (*filters).clone();
            f(&mut next, v);
            filters.set(next);
        })
    };
    let on_retry = {
        let retry = retry.clone();
        Callback::from(move |_: MouseEvent| retry.set(*retry + 1))
    };
    // Rows drawn: more after each 显示更多, back to the first SHOWN_STEP for another list
    // (other filters or kind) without an effect's extra render.
    let more = use_state(|| (Filters::default(), kind, 0usize));
    let shown = if more.0 == *filters && more.1 == kind {
        SHOWN_STEP + more.2
    } else {
        SHOWN_STEP
    };
    let on_more = {
        let (more, filters) = (more.clone(), filters.clone());
        Callback::from(move |_: MouseEvent| more.set(((*filters).clone(), kind, shown)))
    };

    let unit_choices: Vec<Choice> = p
        .session
        .units
        .iter()
        .map(|u| Choice {
            value: u.id.clone().into(),
            label: unit_label(&p.session.units, &u.id, &u.name).into(),
        })
        .collect();
    let categories = category_choices(kind, lang);
    let statuses = status_choices(kind, lang);
    let levels = level_choices(kind, lang);

    let tabs = kinds.iter().map(|k| {
        let go = go.clone();
        let k = *k;
        let onclick = Callback::from(move |_: MouseEvent| go(k, None));
        html! {
            <button type="button" role="tab" aria-selected={(k == kind).to_string()}
                class={classes!("tab", (k == kind).then_some("active"))} data-kind={k.name()} {onclick}>
                {k.label(lang)}
            </button>
        }
    });

    let detail_view = open_id.as_ref().map(|id| {
        let close = {
            let go = go.clone();
            Callback::from(move |_: MouseEvent| go(kind, None))
        };
        let body = match &detail {
            Load::Loading => html! { <p class="loading">{t("正在读取…", "Loading…")}</p> },
            Load::Failed(e) => html! {
                <p class={classes!("banner", "error", "load-error", matches!(e, LoadError::Offline).then_some("offline"))}
                    role="alert">{e.message(lang)}</p>
            },
            Load::Ready { data, at_ms } => match data.first() {
                Some(s) => html! {
                    <>
                        if !online && *at_ms > 0.0 {
                            <p class="banner warn stale">{match lang {
                                Lang::Zh => format!("当前离线：此记录于 {} 读取，可能不是最新。", clock(*at_ms)),
                                Lang::En => format!("Offline: this record was read at {} and may be out of date.", clock(*at_ms)),
                            }}</p>
                        }
                        <RecordDetail {lang} kind={kind} stored={s.clone()} units={p.session.units.clone()} />
                    </>
                },
                None => html! {},
            },
        };
        html! {
            <section class="record-detail" id="record-detail" data-id={id.clone()} data-kind={kind.name()}>
                <div class="detail-head">
                    <h3>{kind.label(lang)}{t(" · 完整记录", " · full record")}</h3>
                    <button type="button" class="secondary" id="close-record" onclick={close}>{t("关闭", "Close")}</button>
                </div>
                {body}
            </section>
        }
    });

    let list_view = match &list {
        Load::Loading => html! { <p class="loading">{t("正在读取…", "Loading…")}</p> },
        Load::Failed(e) => html! {
            <>
                <p class={classes!("banner", "error", "load-error", matches!(e, LoadError::Offline).then_some("offline"))}
                    id="records-error" role="alert">{e.message(lang)}</p>
                <button type="button" class="secondary" onclick={on_retry.clone()}>{t("重新读取", "Read again")}</button>
            </>
        },
        Load::Ready { data, at_ms } => {
            let rows = data.first().cloned().unwrap_or_default();
            html! {
                <>
                    if replicated && *at_ms == 0.0 {
                        // A first sync under way (or cut short): part of the unit's records.
                        <p class="banner warn syncing" id="records-syncing" role="status">{ if replica::pulling() {
                            t("正在与服务器同步本单位的记录：已收到的先显示，其余陆续加入。",
                                "Syncing this unit's records with the server: those received are shown; the rest follow.")
                        } else {
                            t("同步未完成：以下只是已收到的部分记录，联网后继续同步。",
                                "Sync not finished: only the records received so far are shown; it goes on once back online.")
                        } }</p>
                    } else if replicated {
                        <p class={classes!("banner", "synced", (!online).then_some("stale"))} id="records-synced" role="status">{match (lang, online) {
                            (Lang::Zh, true) => format!("本机副本，{} 与服务器同步；离线时也可查看。", clock(*at_ms)),
                            (Lang::En, true) => format!("This device's copy, brought up to date at {}; it works offline too.", clock(*at_ms)),
                            (Lang::Zh, false) => format!("当前离线：以下是本机副本，{} 与服务器同步；联网后自动更新。", clock(*at_ms)),
                            (Lang::En, false) => format!("Offline: this device's copy, brought up to date at {}; updated once back online.", clock(*at_ms)),
                        }}</p>
                    } else if !online {
                        <p class="banner warn stale" id="records-stale" role="status">{match lang {
                            Lang::Zh => format!("当前离线：以下列表于 {} 从服务器读取，可能不是最新；联网后自动更新。", clock(*at_ms)),
                            Lang::En => format!("Offline: this list was read from the server at {}; it may be out of date and is read again once back online.", clock(*at_ms)),
                        }}</p>
                    }
                    <p class="count-note" id="records-count" data-count={rows.len().to_string()}
                        data-total={matched.unwrap_or(rows.len()).to_string()}>
                        {match lang {
                            Lang::Zh => format!("共 {} 条{}", rows.len(), if rows.len() >= LIST_LIMIT { format!("（仅显示最新 {LIST_LIMIT} 条，请缩小查询范围）") } else { String::new() }),
                            Lang::En => format!("{} record(s){}", rows.len(), if rows.len() >= LIST_LIMIT { format!(" (only the newest {LIST_LIMIT}; narrow the filters)") } else { String::new() }),
                        }}
                        <small class="hint">{t("　姓名、电话已脱敏，打开记录后显示完整信息。", "  Names and phones are masked until a record is opened.")}</small>
                    </p>
                    if rows.is_empty() {
                        <p class="none">{t("没有符合条件的记录", "No records match")}</p>
                    } else {
                        <table class="data records-table" id="records-table">
                            <thead><tr>
                                <th>{t("日期", "Date")}</th>
                                <th>{t("单位", "Unit")}</th>
                                <th>{t("人员", "Person")}</th>
                                <th>{t("电话", "Phone")}</th>
                                <th>{t("内容", "About")}</th>
                                <th></th>
                            </tr></thead>
                            <tbody>
                                { for rows.iter().take(shown).map(|s| {
                                    let id = s.id();
                                    let row = row_view(kind, s, lang);
                                    let open = {
                                        let (go, id) = (go.clone(), id.clone());
                                        Callback::from(move |_: MouseEvent| go(kind, Some(id.clone())))
                                    };
                                    html! {
                                        <tr key={id.clone()} data-id={id.clone()}
                                            class={classes!((open_id.as_deref() == Some(id.as_str())).then_some("open"))}>
                                            <td class="date">{row.date}</td>
                                            <td>{unit_label(&p.session.units, &s.unit, "")}</td>
                                            <td class="who">{row.who}</td>
                                            <td class="phone">{row.phone}</td>
                                            <td class="what">
                                                if let Some((class, label)) = row.badge {
                                                    <span class={classes!("badge", class)}>{label}</span>{" "}
                                                }
                                                {row.what}
                                            </td>
                                            <td><button type="button" class="link open-record" onclick={open}>{t("打开", "Open")}</button></td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                        if rows.len() > shown {
                            <button type="button" class="secondary" id="records-more" onclick={on_more}>{match lang {
                                Lang::Zh => format!("显示更多（已显示 {shown} / {} 条）", rows.len()),
                                Lang::En => format!("Show more ({shown} of {} shown)", rows.len()),
                            }}</button>
                        }
                        if kind == FormKind::KeyPerson {
                            <details class="print-toggle" id="register-print">
                                <summary>{t("打印登记表（附件2，含完整姓名和电话）", "Print the register (form 2, with full names and phones)")}</summary>
                                <crate::components::print::RegisterPrint {lang}
                                    rows={rows.iter().map(|s| s.record.clone()).collect::<Vec<_>>()}
                                    unit_name={unit_label(&p.session.units, &p.session.user.unit, "")} />
                            </details>
                        }
                    }
                </>
            }
        }
    };

    html! {
        <div class="records-page" id="records" data-kind={kind.name()}
            data-loading={(matches!(list, Load::Loading) || matches!(detail, Load::Loading)).to_string()}>
            <h2>{t("记录查询", "Records")}</h2>
            <div class="tabs" role="tablist">{ for tabs }</div>
            {detail_view}
            <form class="record-filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <ChoiceField name="unit" label={t("单位", "Unit")} value={filters.unit.clone()}
                    choices={unit_choices} on_change={set(|f, v| f.unit = v)} />
                <TextField name="from" label={t("起始日期", "From")} kind={TextKind::Date}
                    value={filters.from.clone()} on_change={set(|f, v| f.from = v)} />
                <TextField name="to" label={t("截止日期", "To")} kind={TextKind::Date}
                    value={filters.to.clone()} on_change={set(|f, v| f.to = v)} />
                if !categories.is_empty() {
                    <ChoiceField name="category" label={t("类别", "Category")} value={filters.category.clone()}
                        choices={categories} on_change={set(|f, v| f.category = v)} />
                }
                if !statuses.is_empty() {
                    <ChoiceField name="status" label={t("状态", "Status")} value={filters.status.clone()}
                        choices={statuses} on_change={set(|f, v| f.status = v)} />
                }
                if !levels.is_empty() {
                    <ChoiceField name="level" label={t("风险等级", "Risk level")} value={filters.level.clone()}
                        choices={levels} on_change={set(|f, v| f.level = v)} />
                }
            </form>
            {list_view}
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// One record, whole.

fn field_rank(key: &str) -> usize {
    FIELDS
        .iter()
        .position(|(k, _, _)| *k == key)
        .unwrap_or(FIELDS.len())
}

/// The words for a choice stored as its code, where the field is a choice list.
fn code_label(key: &str, code: &str, lang: Lang) -> Option<String> {
    fn pick<T>(
        parsed: Result<T, shared::Problem>,
        label: impl Fn(T) -> &'static str,
    ) -> Option<String> {
        parsed.ok().map(|x| label(x).to_owned())
    }
    match key {
        "category" => pick(Category::parse(code), |x| x.label(lang)),
        "satisfaction" => pick(Satisfaction::parse(code), |x| x.label(lang)),
        "area" => pick(RightsArea::parse(code), |x| x.label(lang)),
        "channel" => pick(Channel::parse(code), |x| x.label(lang)),
        "stage" => pick(Stage::parse(code), |x| x.label(lang)),
        "complexity" => pick(Complexity::parse(code), |x| x.label(lang)),
        "standard" => pick(Standard::parse(code), |x| x.label(lang)),
        "tier" => pick(DisputeTier::parse(code), |x| x.label(lang)),
        "decision" => pick(Decision::parse(code), |x| x.label(lang)),
        "kind" => pick(PetitionKind::parse(code), |x| x.label(lang)),
        _ => None,
    }
}

/// A stored timestamp (RFC 3339) as China time, `YYYY-MM-DD HH:MM`; anything else as it is.
pub fn china_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .ok()
        .and_then(|t| {
            chrono::FixedOffset::east_opt(8 * 3600).map(|cn| {
                let t = t.with_timezone(&cn);
                format!("{} {:02}:{:02}", t.date_naive(), t.hour(), t.minute())
            })
        })
        .unwrap_or_else(|| at.to_owned())
}

fn scalar(v: &Value, lang: Lang) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::Bool(true) => lang.pick("是", "yes").to_owned(),
        Value::Bool(false) => lang.pick("否", "no").to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// What the detail knows besides a value: the page's language, the units by name, and a
/// self-assessment's standard (whose sub-items name the ids in `ticked` and `counts`).
struct Words<'a> {
    lang: Lang,
    units: &'a [OrgUnit],
    standard: Option<Standard>,
}

/// The name of field `key` inside field `parent`: most are in [`FIELDS`]; the keys of
/// `opinions`, `counts` and `bonus` are levels, sub-items and bonus items.
fn key_label(parent: &str, key: &str, w: &Words) -> String {
    let lang = w.lang;
    let named = match parent {
        "opinions" => Level::ALL
            .iter()
            .find(|l| l.code() == key)
            .map(|l| l.label(lang).to_owned()),
        "counts" => w
            .standard
            .and_then(|s| s.item(key))
            .map(|(_, i)| i.label(lang).to_owned()),
        // A town assessment's (the staff build's: a village's records hold none).
        "bonus" if cfg!(feature = "staff") => Rubric::builtin()
            .bonus_item(key)
            .map(|b| lang.pick(&b.name, &b.name_en).to_owned()),
        _ => None,
    };
    named.unwrap_or_else(|| field_label(key, lang))
}

/// Sub-item ids (`ticked`, `not_applicable`) by their names, under their criteria.
fn items_html(ids: &[Value], w: &Words) -> Html {
    let Some(standard) = w.standard else {
        return html! { {ids.iter().map(|i| scalar(i, w.lang)).collect::<Vec<_>>().join("、")} };
    };
    let has = |id: &str| ids.iter().any(|i| i.as_str() == Some(id));
    html! {
        <dl class="fields">
            { for standard.criteria().iter().filter(|c| c.items.iter().any(|i| has(i.id))).map(|c| html! {
                <>
                    <dt>{c.label(w.lang)}</dt>
                    <dd>{c.items.iter().filter(|i| has(i.id)).map(|i| i.label(w.lang)).collect::<Vec<_>>().join("、")}</dd>
                </>
            }) }
        </dl>
    }
}

/// A town assessment's answers, under the rubric's categories and items, each in words.
fn answers_html(answers: &serde_json::Map<String, Value>, lang: Lang) -> Html {
    let rubric = Rubric::builtin();
    let category = |c: &shared::rubric::Category| {
        let items = c.items.iter().filter_map(|i| {
            let answer: Answer = shared::json::read_value(answers.get(&i.id)?).ok()?;
            Some(html! {
                <>
                    <dt data-key={i.id.clone()} title={lang.pick(&i.text, &i.en).to_owned()}>
                        {lang.pick(&i.name, &i.name_en).to_owned()}
                    </dt>
                    <dd data-key={i.id.clone()}>{answer.describe(i, lang)}</dd>
                </>
            })
        });
        html! {
            <>
                <dt>{lang.pick(&c.name, &c.name_en).to_owned()}</dt>
                <dd><dl class="fields">{ for items }</dl></dd>
            </>
        }
    };
    html! { <dl class="fields">{ for rubric.categories.iter().map(category) }</dl> }
}

/// A stored value, nested as it is stored; `key` is the field it is the value of, `parent`
/// the field that holds it.
fn value_html(parent: &str, key: &str, v: &Value, w: &Words) -> Html {
    let lang = w.lang;
    match v {
        // 必谈项: explicitly nothing found, or what was.
        Value::Object(map) if map.contains_key("found") => match map.get("items") {
            Some(items) => value_html(key, "items", items, w),
            None => html! { {lang.pick("未发现", "None found")} },
        },
        // A town assessment's, in the staff build (a village's records hold none).
        Value::Object(map) if key == "answers" && cfg!(feature = "staff") => {
            answers_html(map, lang)
        }
        Value::Object(map) if map.is_empty() => html! { {"—"} },
        Value::Object(map) => {
            // An item of a list (a stage, a party) leaves out what it does not have.
            let item = key.is_empty() && !parent.is_empty();
            let mut entries: Vec<(&String, &Value)> =
                map.iter().filter(|(_, v)| !(item && v.is_null())).collect();
            crate::sort_by_key(&mut entries, |(k, _)| {
                match (key, w.standard) {
                    ("counts", Some(s)) => s
                        .criteria()
                        .iter()
                        .flat_map(|c| c.items)
                        .position(|i| i.id == *k),
                    _ => None,
                }
                .unwrap_or_else(|| field_rank(k)) as f64
            });
            html! {
                <dl class="fields">
                    { for entries.into_iter().map(|(k, v)| html! {
                        <>
                            <dt data-key={k.clone()}>{key_label(key, k, w)}</dt>
                            <dd data-key={k.clone()}>{value_html(key, k, v, w)}</dd>
                        </>
                    }) }
                </dl>
            }
        }
        Value::Array(items) if items.is_empty() => html! { {"—"} },
        Value::Array(ids) if matches!(key, "ticked" | "not_applicable") => items_html(ids, w),
        // 新增: A, B and C, in that order.
        Value::Array(counts) if key == "new_items" => html! {
            { Category::ALL.iter().zip(counts).map(|(c, n)| format!("{} {}", c.label(lang), scalar(n, lang))).collect::<Vec<_>>().join("、") }
        },
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            html! { {items.iter().map(|i| scalar(i, lang)).collect::<Vec<_>>().join("、")} }
        }
        Value::Array(items) => html! {
            <ol class="items">{ for items.iter().map(|i| html! { <li>{value_html(key, "", i, w)}</li> }) }</ol>
        },
        Value::String(id) if matches!(key, "org_unit" | "town") => {
            html! { {unit_label(w.units, id, "")} }
        }
        Value::String(code) => match code_label(key, code, lang) {
            Some(label) => html! { {label} },
            None => html! { {code.clone()} },
        },
        // Money is stored in fen.
        Value::Number(n) if key == "annual_funds" || (parent, key) == ("funds", "annual") => {
            let yuan = n.as_i64().and_then(Yuan::from_fen);
            html! { {yuan.map_or(n.to_string(), |y| format!("{y}{}", lang.pick(" 元", " yuan")))} }
        }
        Value::Number(n) if matches!(parent, "counts" | "bonus") => {
            html! { {format!("{n}{}", lang.pick(" 次", " times"))} }
        }
        other => html! { {scalar(other, lang)} },
    }
}

#[derive(Properties, PartialEq)]
pub struct RecordDetailProps {
    pub lang: Lang,
    pub kind: FormKind,
    pub stored: StoredRecord,
    pub units: Vec<OrgUnit>,
}

/// The whole record as stored, with what the rules say of it today.
#[component]
pub fn RecordDetail(p: &RecordDetailProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    let s = &p.stored;
    let a = &s.assessment;
    let level = text(a, "/level");
    let warnings: Vec<shared::Warning> = a
        .get("warnings")
        .and_then(|w| shared::json::read_value(w).ok())
        .unwrap_or_default();
    let words = Words {
        lang,
        units: &p.units,
        standard: (p.kind == FormKind::SelfAssessment)
            .then(|| Standard::parse(&text(&s.record, "/standard")).ok())
            .flatten(),
    };
    html! {
        <div class="record-full">
            <p class="meta">
                <span>{t("单位：", "Unit: ")}{unit_label(&p.units, &s.unit, "")}</span>
                <span>{t("版本：", "Version: ")}{s.version}</span>
                <span>{t("提交：", "Stored: ")}{china_time(&s.received_at)}</span>
                if let Some(author) = &s.author { <span>{t("填报人账号：", "By: ")}{author.clone()}</span> }
            </p>
            if !level.is_empty() {
                <p class={classes!("level-line", format!("level-{level}"))} data-level={level.clone()}>
                    {t("当前风险等级：", "Risk level today: ")}
                    { match level.as_str() { "red" => RiskLevel::Red.label(lang), "orange" => RiskLevel::Orange.label(lang), _ => RiskLevel::Yellow.label(lang) } }
                </p>
            }
            if !text(a, "/reply_deadline").is_empty() {
                <p class="deadline">{t("答复期限：", "Reply due: ")}{text(a, "/reply_deadline")}</p>
            }
            if !warnings.is_empty() {
                <ul class="warnings">
                    { for warnings.iter().map(|w| html! {
                        <li class={format!("sev-{:?}", w.severity).to_ascii_lowercase()} data-code={w.code.as_str()}>
                            <span class="sev">{w.severity.label(lang)}</span>{w.message(lang).to_owned()}
                        </li>
                    }) }
                </ul>
            }
            <div class="record-body" id="record-body">{value_html("", "", &s.record, &words)}</div>
            <ContinueRecord {lang} kind={p.kind} record={s.record.clone()} version={s.version} />
            if p.kind == FormKind::Visit {
                <details class="print-toggle" id="visit-print">
                    <summary>{t("打印视图（附件3 排查登记表）", "Print view (form 3)")}</summary>
                    <crate::components::print::VisitPrint {lang} record={s.record.clone()}
                        assessment={s.assessment.clone()} unit_name={unit_label(&p.units, &s.unit, "")} />
                </details>
            }
        </div>
    }
}
