//! Sample records for the demo city (filled in by `demo::install`, inside its transaction, once
//! the units and users exist).
//!
//! Every sample is a form as the app would post it, dated relative to "now" in China time. It
//! goes through the API's path: read with `shared::json`, parsed by its kind's
//! [`FormKind::parse`] as of the day it was received (so no date in it lies after that day),
//! its unit and author checked as the API checks them, then stored as version 1 by
//! [`store::insert_first`] with a `create` line in the audit log. Ids are UUIDv5 of a fixed
//! namespace and the sample's name, so the same `now` gives the same demo.
//!
//! What the demo shows (days are counted back from today):
//!
//! - visit records of all three categories and levels: red by escalation, by six months open
//!   and resolved red; orange by months and by unstable signs; yellow ones; some resolved, some
//!   with follow-ups (one overdue), and two that still owe a must-report (a child-abuse clue not
//!   reported to the city federation, violence against a victim without capacity not reported
//!   to the police);
//! - key-person register rows, council meetings on the 8th (one "3" item not yet linked to a
//!   visit record), monthly reports for the last four months (zero reports, 顾庄村 missing one
//!   month, 新河村 late once);
//! - rights cases at the 白蒲镇 and 长江镇 stations: revisited, overdue, under investigation,
//!   closed without a revisit;
//! - 七有 self-assessments of three villages (met, not met, funds short), a 五有 of 白蒲镇, a
//!   示范妇女之家 application awaiting the city, and this year's town assessments written by
//!   the city (如城街道 and 长江镇 above 100 raw, so normalisation shows).

use std::cell::Cell;

use chrono::{DateTime, Datelike, Days, NaiveDate, SecondsFormat, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};
use shared::themes::ThemeTable;
use uuid::Uuid;

use crate::audit;
use crate::auth::{Role, User};
use crate::forms::FormKind;
use crate::forms::kinds::*;
use crate::forms::store;
use crate::org;

/// Namespace of the demo's record ids.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6a1a_7c3e_94d2_4f0b_8e51_2b7d_c0de_d3e0);

/// The stable id of the demo record `name` of kind `kind` (a [`FormKind::KIND`]).
pub fn record_id(kind: &str, name: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("{kind}/{name}").as_bytes())
}

/// One sample record: the form as the app would post it (with its id), who writes it and the
/// China date it is received on.
#[derive(Clone, Debug)]
pub struct Sample {
    /// [`FormKind::KIND`] of the form.
    pub kind: &'static str,
    /// Unique within the kind; the id is [`record_id`] of it.
    pub name: String,
    /// Username of the author.
    pub author: &'static str,
    pub received: NaiveDate,
    pub form: Value,
}

/// Adds a few months of sample records of every kind, dated relative to `now`.
pub fn install(conn: &Connection, now: DateTime<Utc>) -> Result<(), String> {
    let users = users(conn)?;
    let rules = crate::rules::load(conn).map_err(|e| format!("demo: rule tables: {e:?}"))?;
    let rules = &rules;
    let seq = Cell::new(0u32);
    for sample in samples(now) {
        let author = users
            .iter()
            .find(|u| u.username == sample.author)
            .ok_or_else(|| format!("demo: no user {}", sample.author))?;
        let at = received_at(&sample, now, seq.replace(seq.get() + 1));
        let added = match sample.kind {
            Visit::KIND => add::<Visit>(conn, author, &sample, &at, rules),
            KeyPersonKind::KIND => add::<KeyPersonKind>(conn, author, &sample, &at, rules),
            MeetingKind::KIND => add::<MeetingKind>(conn, author, &sample, &at, rules),
            MonthlyKind::KIND => add::<MonthlyKind>(conn, author, &sample, &at, rules),
            CaseKind::KIND => add::<CaseKind>(conn, author, &sample, &at, rules),
            SelfAssessmentKind::KIND => {
                add::<SelfAssessmentKind>(conn, author, &sample, &at, rules)
            }
            ModelHomeKind::KIND => add::<ModelHomeKind>(conn, author, &sample, &at, rules),
            TownAssessmentKind::KIND => {
                add::<TownAssessmentKind>(conn, author, &sample, &at, rules)
            }
            other => Err(format!("unknown kind {other}")),
        };
        added.map_err(|e| format!("demo {} {}: {e}", sample.kind, sample.name))?;
    }
    Ok(())
}

fn users(conn: &Connection) -> Result<Vec<User>, String> {
    let mut stmt = conn
        .prepare("SELECT id, username, display_name, role, unit FROM users")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| {
            Ok(User {
                id: r.get(0)?,
                username: r.get(1)?,
                display_name: r.get(2)?,
                role: Role::parse(&r.get::<_, String>(3)?).unwrap_or(Role::Village),
                unit: r.get(4)?,
            })
        })
        .map_err(|e| e.to_string())?;
    rows.collect::<Result<_, _>>().map_err(|e| e.to_string())
}

/// When the sample reached the server: during office hours of its day (China time), spread a
/// little so that lists do not show one identical time, and never after `now`.
fn received_at(sample: &Sample, now: DateTime<Utc>, seq: u32) -> String {
    let minutes = 9 * 60 + (seq * 37) % (8 * 60);
    let local = sample
        .received
        .and_hms_opt(minutes / 60, minutes % 60, 0)
        .expect("a time of day");
    // China is UTC+8 all year.
    let at = (local - chrono::Duration::hours(8)).and_utc().min(now);
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Stores one sample as the API would: parsed as of the day it was received, its unit of a
/// level the kind allows and within the author's, then version 1 and an audit line.
fn add<K: FormKind>(
    conn: &Connection,
    author: &User,
    sample: &Sample,
    at: &str,
    rules: &crate::rules::Rules,
) -> Result<(), String> {
    let input: K::Input =
        shared::json::from_value(sample.form.clone()).map_err(|e| format!("{e:?}"))?;
    let record = K::parse(&input, sample.received, rules).map_err(|e| format!("{e:?}"))?;
    let unit = K::unit(&record);
    if !author.sees(unit) || !K::may_write(author.role) {
        return Err(format!("{} may not write for {unit}", author.username));
    }
    match org::get(conn, unit).map_err(|e| e.to_string())? {
        Some(u) if K::levels(&record).contains(&u.level) => {}
        _ => return Err(format!("{unit} is not a unit of the right level")),
    }
    let id = K::id(&input).to_string();
    store::insert_first::<K>(conn, &id, &record, author.id, sample.received, at)
        .map_err(|e| e.to_string())?;
    audit::append(
        conn,
        at,
        Some(author),
        "create",
        Some(K::KIND),
        Some(&id),
        Some("demo"),
    )
    .map_err(|e| e.to_string())
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Builds the samples, each dated by days before `today`.
struct Builder {
    today: NaiveDate,
    out: Vec<Sample>,
}

impl Builder {
    /// `n` days before today.
    fn ago(&self, n: u64) -> NaiveDate {
        self.today - Days::new(n)
    }

    /// `n` days before today, as the form writes it.
    fn day(&self, n: u64) -> String {
        ymd(self.ago(n))
    }

    fn push(
        &mut self,
        kind: &'static str,
        name: &str,
        author: &'static str,
        received: NaiveDate,
        mut form: Value,
    ) {
        form["id"] = json!(record_id(kind, name));
        self.out.push(Sample {
            kind,
            name: name.to_owned(),
            author,
            received,
            form,
        });
    }
}

/// Every sample record of the demo installed at `now`.
pub fn samples(now: DateTime<Utc>) -> Vec<Sample> {
    let mut b = Builder {
        today: shared::time::china_today(now),
        out: Vec::new(),
    };
    visits(&mut b);
    key_persons(&mut b);
    meetings(&mut b);
    monthly_reports(&mut b);
    rights_cases(&mut b);
    self_assessments(&mut b);
    model_home(&mut b);
    town_assessments(&mut b);
    b.out
}

const LINZI: &str = "rugao/baipu/linzi";
const XINHE: &str = "rugao/baipu/xinhe";
const GUZHUANG: &str = "rugao/baipu/guzhuang";
const GANGKOU: &str = "rugao/changjiang/gangkou";
const YONGHONG: &str = "rugao/changjiang/yonghong";
const JIANGAN: &str = "rugao/changjiang/jiangan";

fn visits(b: &mut Builder) {
    let k = Visit::KIND;
    // 林梓村: red by escalation, fully reported, followed up.
    let form = json!({
        "org_unit": LINZI,
        "parties": [
            { "name": "王芳", "address": "林梓村3组12号", "age": "36", "family_role": "妻子", "phone": "138 1234 1234" },
            { "name": "刘强", "address": "林梓村3组12号", "age": "39", "family_role": "丈夫" }
        ],
        "category": "B",
        "summary": "丈夫酒后多次动手，妻子身上有明显伤痕，邻居报告",
        "handling": "当日报派出所出警，村妇联陪同验伤；已申请告诫书",
        "follow_ups": [
            { "date": b.day(3), "by": "李娟", "outcome": "丈夫已写保证书，近期未再动手", "satisfaction": "basically_satisfied" }
        ],
        "visitor": "李娟",
        "visit_date": b.day(9),
        "severe_violence": true,
        "escalation": { "may_intensify": true },
        "reports": { "village_committee": b.day(9), "police": b.day(9), "town_federation": b.day(8) }
    });
    b.push(k, "linzi-violence-red", "linzi", b.ago(3), form);
    // 林梓村: four months open (orange), follow-ups stopped 40 days ago (overdue), the town not
    // told.
    let form = json!({
        "org_unit": LINZI,
        "parties": [
            { "name": "陈桂兰", "address": "林梓村6组3号", "age": "58", "family_role": "婆婆" },
            { "name": "赵静", "address": "林梓村6组3号", "age": "31", "family_role": "儿媳", "phone": "13962711234" }
        ],
        "category": "A",
        "summary": "婆媳因赡养和带孩子问题长期争吵，儿子在外打工",
        "handling": "网格员上门调解两次，约儿子春节回家后再协商",
        "follow_ups": [
            { "date": b.day(100), "by": "李娟", "outcome": "争吵减少", "satisfaction": "basically_satisfied" },
            { "date": b.day(70), "by": "李娟", "outcome": "又因带孩子争吵", "satisfaction": "dissatisfied" },
            { "date": b.day(40), "by": "李娟", "outcome": "双方同意等儿子回来再谈", "satisfaction": "basically_satisfied" }
        ],
        "visitor": "李娟",
        "visit_date": b.day(130),
        "reports": { "village_committee": b.day(128) }
    });
    b.push(k, "linzi-family-orange", "linzi", b.ago(40), form);
    // 林梓村: resolved within a month.
    let form = json!({
        "org_unit": LINZI,
        "parties": [{ "name": "周晓红", "address": "林梓村2组8号", "age": "42", "family_role": "妻子" }],
        "category": "A",
        "summary": "夫妻因宅基地翻建费用分担发生争执",
        "handling": "老娘舅调解员调解，双方签订协议",
        "follow_ups": [
            { "date": b.day(45), "by": "李娟", "outcome": "协议已履行", "satisfaction": "satisfied" }
        ],
        "visitor": "李娟",
        "visit_date": b.day(75),
        "resolved_on": b.day(50),
        "reports": { "village_committee": b.day(74) }
    });
    b.push(k, "linzi-family-resolved", "linzi", b.ago(45), form);
    // 林梓村: a child-abuse clue reported at once to the police and the city federation.
    let form = json!({
        "org_unit": LINZI,
        "parties": [{ "name": "小燕（化名）", "age": "12", "family_role": "女儿" }],
        "category": "C",
        "summary": "学校老师反映学生疑似遭邻居猥亵，家长已知情",
        "handling": "当日报警并报市妇联，联系心理老师陪伴",
        "visitor": "李娟",
        "visit_date": b.day(25),
        "reports": { "police": b.day(25), "city_federation": b.day(25), "town_federation": b.day(25), "village_committee": b.day(25) }
    });
    b.push(k, "linzi-child-reported", "linzi", b.ago(24), form);

    // 新河村: open for more than six months (red), followed up every month.
    let follow_ups: Vec<Value> = [170, 140, 110, 80, 50, 20]
        .iter()
        .map(|n| json!({ "date": b.day(*n), "by": "王秀英", "outcome": "仍在协商财产分割", "satisfaction": "basically_satisfied" }))
        .collect();
    let form = json!({
        "org_unit": XINHE,
        "parties": [
            { "name": "孙丽", "address": "新河村4组15号", "age": "45", "family_role": "妻子", "phone": "13805131234" },
            { "name": "钱国华", "address": "新河村4组15号", "age": "47", "family_role": "丈夫" }
        ],
        "category": "A",
        "summary": "夫妻分居两年，离婚财产分割争议大",
        "handling": "村调委会多次调解未果，建议走诉讼程序",
        "follow_ups": follow_ups,
        "visitor": "王秀英",
        "visit_date": b.day(200),
        "reports": { "village_committee": b.day(198), "town_federation": b.day(190) }
    });
    b.push(k, "xinhe-divorce-red", "xinhe", b.ago(20), form);
    // 新河村: unstable signs (orange), the town not told yet.
    let form = json!({
        "org_unit": XINHE,
        "parties": [{ "name": "吴小梅", "address": "新河村1组2号", "age": "29", "family_role": "妻子" }],
        "category": "B",
        "summary": "丈夫赌博输钱后摔砸家具，妻子害怕",
        "visitor": "王秀英",
        "visit_date": b.day(12),
        "unstable_signs": true,
        "reports": { "village_committee": b.day(11) }
    });
    b.push(k, "xinhe-violence-orange", "xinhe", b.ago(11), form);
    let form = json!({
        "org_unit": XINHE,
        "parties": [{ "name": "冯秀珍", "address": "新河村7组1号", "age": "66", "family_role": "母亲" }],
        "category": "A",
        "summary": "老人反映儿子儿媳不按时给生活费",
        "visitor": "王秀英",
        "visit_date": b.day(2)
    });
    b.push(k, "xinhe-support-yellow", "xinhe", b.ago(2), form);

    // 顾庄村 (entered by the town): a child-abuse clue not yet reported to the city federation.
    let form = json!({
        "org_unit": GUZHUANG,
        "parties": [{ "name": "小军（化名）", "age": "9", "family_role": "儿子" }],
        "category": "C",
        "summary": "留守儿童向网格员透露曾被同村成年人带走并有不当接触",
        "handling": "已报派出所，联系孩子在外打工的母亲",
        "visitor": "顾春梅",
        "visit_date": b.day(1),
        "reports": { "police": b.day(1) }
    });
    b.push(k, "guzhuang-child-unreported", "baipu", b.ago(1), form);

    // 港口村: violence against a victim without full capacity, not reported to the police.
    let form = json!({
        "org_unit": GANGKOU,
        "parties": [
            { "name": "张秀兰", "address": "港口村5组20号", "age": "34", "family_role": "妻子" },
            { "name": "李大海", "address": "港口村5组20号", "family_role": "丈夫" }
        ],
        "category": "B",
        "summary": "智力残疾妇女被丈夫打骂，亲属反映",
        "visitor": "张敏",
        "visit_date": b.day(6),
        "victim_lacks_capacity": true,
        "unstable_signs": true,
        "reports": { "village_committee": b.day(6) }
    });
    b.push(k, "gangkou-violence-capacity", "gangkou", b.ago(6), form);
    let form = json!({
        "org_unit": GANGKOU,
        "parties": [{ "name": "郑美华", "address": "港口村2组6号", "age": "51", "family_role": "母亲" }],
        "category": "A",
        "summary": "兄弟二人为老人赡养轮流问题争执",
        "handling": "村两委召集兄弟协商，约定轮流赡养",
        "follow_ups": [
            { "date": b.day(55), "by": "张敏", "outcome": "已按约定轮流照顾", "satisfaction": "satisfied" }
        ],
        "visitor": "张敏",
        "visit_date": b.day(100),
        "resolved_on": b.day(60),
        "reports": { "village_committee": b.day(99) }
    });
    b.push(k, "gangkou-support-resolved", "gangkou", b.ago(55), form);
    // 港口村: hard to control (red), handled at the town and resolved.
    let form = json!({
        "org_unit": GANGKOU,
        "parties": [
            { "name": "何玉芬", "address": "港口村8组9号", "age": "40", "family_role": "妻子" },
            { "name": "马建军", "address": "港口村8组9号", "age": "43", "family_role": "丈夫" }
        ],
        "category": "A",
        "summary": "夫妻双方家族因彩礼返还问题聚集争吵，局面一度失控",
        "handling": "报镇“好大姐”工作室，联合司法所调解达成协议",
        "follow_ups": [
            { "date": b.day(15), "by": "张敏", "outcome": "协议履行中", "satisfaction": "basically_satisfied" }
        ],
        "visitor": "张敏",
        "visit_date": b.day(30),
        "escalation": { "hard_to_control": true },
        "resolved_on": b.day(5),
        "reports": { "village_committee": b.day(30), "town_federation": b.day(29) }
    });
    b.push(k, "gangkou-family-red-resolved", "gangkou", b.ago(5), form);

    // 永红村 and 江安社区 (entered by the town).
    let form = json!({
        "org_unit": YONGHONG,
        "parties": [{ "name": "许婷", "address": "永红村3组4号", "age": "27", "family_role": "妻子" }],
        "category": "A",
        "summary": "新婚夫妻因买房出资问题争吵",
        "visitor": "陆红",
        "visit_date": b.day(15)
    });
    b.push(k, "yonghong-family-yellow", "changjiang", b.ago(15), form);
    let form = json!({
        "org_unit": JIANGAN,
        "parties": [{ "name": "施文娟", "address": "江安社区12幢301室", "age": "38", "family_role": "妻子", "phone": "0513-87651234" }],
        "category": "B",
        "summary": "丈夫醉酒后殴打妻子致轻伤",
        "handling": "报警后丈夫被行政拘留，妻子申请了人身安全保护令",
        "follow_ups": [
            { "date": b.day(30), "by": "陆红", "outcome": "保护令已送达", "satisfaction": "satisfied" }
        ],
        "visitor": "陆红",
        "visit_date": b.day(50),
        "severe_violence": true,
        "resolved_on": b.day(10),
        "reports": { "police": b.day(50), "village_committee": b.day(50), "town_federation": b.day(49) }
    });
    b.push(
        k,
        "jiangan-violence-resolved",
        "changjiang",
        b.ago(10),
        form,
    );
}

fn key_persons(b: &mut Builder) {
    let k = KeyPersonKind::KIND;
    let rows: [(&str, &str, &'static str, u64, Value); 8] = [
        (
            "linzi-chen",
            LINZI,
            "linzi",
            60,
            json!({ "name": "陈小雨", "address": "林梓村5组8号", "phone": "0513-87654321",
                    "child": { "in_hardship": true, "left_behind": true },
                    "care": [{ "date": b.day(61), "by": "李娟", "content": "送去冬衣和学习用品" }] }),
        ),
        (
            "linzi-wang",
            LINZI,
            "linzi",
            45,
            json!({ "name": "王桂英", "address": "林梓村1组3号",
                    "woman": { "poor": true, "severe_disability": true },
                    "care": [{ "date": b.day(46), "by": "李娟", "content": "协助申请残疾人两项补贴" }] }),
        ),
        (
            "linzi-liu",
            LINZI,
            "linzi",
            20,
            json!({ "name": "刘梅", "address": "林梓村4组10号", "phone": "13706281234",
                    "woman": { "single_parent": true } }),
        ),
        (
            "xinhe-zhou",
            XINHE,
            "xinhe",
            50,
            json!({ "name": "周子涵", "address": "新河村3组6号",
                    "child": { "orphan": true },
                    "care": [
                        { "date": b.day(80), "by": "王秀英", "content": "联系爱心企业结对助学" },
                        { "date": b.day(51), "by": "王秀英", "content": "开学前家访" }
                    ] }),
        ),
        (
            "xinhe-feng",
            XINHE,
            "xinhe",
            30,
            json!({ "name": "冯兰", "address": "新河村2组11号",
                    "woman": { "poor": true, "other": "丈夫重病卧床" } }),
        ),
        (
            "guzhuang-gu",
            GUZHUANG,
            "baipu",
            25,
            json!({ "name": "顾佳怡", "address": "顾庄村6组2号",
                    "child": { "left_behind": true } }),
        ),
        (
            "gangkou-zhang",
            GANGKOU,
            "gangkou",
            40,
            json!({ "name": "张秀兰", "address": "港口村5组20号",
                    "woman": { "severe_disability": true },
                    "care": [{ "date": b.day(7), "by": "张敏", "content": "上门了解家庭暴力情况" }] }),
        ),
        (
            "gangkou-li",
            GANGKOU,
            "gangkou",
            12,
            json!({ "name": "李思雨", "address": "港口村3组1号",
                    "woman": { "single_parent": true },
                    "child": { "in_hardship": true } }),
        ),
    ];
    for (name, unit, author, days, mut form) in rows {
        // A care entry dated after the row was sent comes with a later version, not here.
        let received = b.ago(days).max(latest_care(&form));
        form["org_unit"] = json!(unit);
        b.push(k, name, author, received, form);
    }
}

fn latest_care(form: &Value) -> NaiveDate {
    form["care"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["date"].as_str())
        .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .max()
        .unwrap_or(NaiveDate::MIN)
}

/// The 8th of the last three months that have had it.
fn meeting_dates(today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut month = shared::monthly::YearMonth::of(today);
    while out.len() < 3 {
        let date = month.day_clamped(8);
        if date <= today {
            out.push(date);
        }
        month = previous(month);
    }
    out
}

fn previous(m: shared::monthly::YearMonth) -> shared::monthly::YearMonth {
    let (y, mo) = if m.month() == 1 {
        (m.year() - 1, 12)
    } else {
        (m.year(), m.month() - 1)
    };
    shared::monthly::YearMonth::new(y, mo).expect("a month after 2000")
}

fn meetings(b: &mut Builder) {
    let k = MeetingKind::KIND;
    let themes = ThemeTable::builtin();
    let councils: [(&str, &'static str, [&str; 5]); 3] = [
        (LINZI, "linzi", ["周丽", "李娟", "陈红", "王秀梅", "张兰"]),
        (XINHE, "xinhe", ["王秀英", "钱芳", "孙雪", "赵红霞", "吴敏"]),
        (
            GANGKOU,
            "gangkou",
            ["张敏", "何丽", "马芸", "朱春燕", "陆玲"],
        ),
    ];
    for (unit, author, members) in councils {
        for (i, date) in meeting_dates(b.today).into_iter().enumerate() {
            let theme = themes
                .for_month(date.month())
                .first()
                .cloned()
                .unwrap_or_default();
            let convener = members[i % 3];
            let none = json!({ "none_found": true });
            let (disputes, violence) = match (unit, i) {
                // The latest 林梓村 meeting heard of violence no visit record covers yet.
                (LINZI, 0) => (
                    none.clone(),
                    json!({ "items": [{ "party": "沈娟", "summary": "邻居反映丈夫经常辱骂殴打妻子" }] }),
                ),
                // 新河村 discussed its long-open divorce dispute, linked to its visit record.
                (XINHE, _) => (
                    json!({ "items": [{ "party": "孙丽", "summary": "离婚财产分割仍未谈妥",
                                        "visit_id": record_id(Visit::KIND, "xinhe-divorce-red") }] }),
                    none.clone(),
                ),
                _ => (none.clone(), none.clone()),
            };
            let form = json!({
                "org_unit": unit,
                "date": ymd(date),
                "convener": convener,
                "theme": theme,
                "attendees": members,
                "recorder": members[1],
                "must_discuss": "本月排查情况及冬季留守老人儿童安全",
                "disputes": disputes,
                "violence": violence,
                "child_abuse": none,
                "topics": [
                    { "topic": "修订村规民约中的移风易俗条款", "discussion": "红白喜事简办，彩礼不超过当地标准",
                      "votes_for": "4", "votes_against": "0", "abstentions": "1" }
                ]
            });
            let name = format!("{author}-{}", date.format("%Y-%m"));
            b.push(k, &name, author, date, form);
        }
    }
}

fn monthly_reports(b: &mut Builder) {
    let k = MonthlyKind::KIND;
    // (unit, author, mostly zero reports)
    let villages: [(&str, &'static str, bool); 9] = [
        (LINZI, "linzi", false),
        (XINHE, "xinhe", false),
        (GUZHUANG, "baipu", true),
        (GANGKOU, "gangkou", false),
        (YONGHONG, "changjiang", true),
        (JIANGAN, "changjiang", false),
        // 如城街道 has no accounts in the demo: the city keys in its villages' paper reports.
        ("rugao/rucheng/dongfang", "city", true),
        ("rugao/rucheng/xiangyang", "city", false),
        ("rugao/rucheng/qingyuan", "city", true),
    ];
    let mut month = previous(shared::monthly::YearMonth::of(b.today));
    let mut months = Vec::new();
    for _ in 0..4 {
        months.push(month);
        month = previous(month);
    }
    // Oldest first; index 2 is two months back.
    months.reverse();
    for (m, month) in months.iter().enumerate() {
        for (v, (unit, author, quiet)) in villages.iter().enumerate() {
            let name = format!("{}-{month}", unit.rsplit('/').next().unwrap_or(unit));
            // 顾庄村 did not report two months back.
            if *unit == GUZHUANG && m == 1 {
                continue;
            }
            // 新河村 reported late once (due on the 8th).
            let day = if *unit == XINHE && m == 2 {
                12
            } else {
                2 + ((m + v) % 6) as u32
            };
            let received = month.next().day_clamped(day);
            if received > b.today {
                continue; // not sent yet
            }
            let zero = (*quiet && m % 2 == 0) || (m + v) % 5 == 0;
            let counts = |n: usize| if zero { 0 } else { (m + v + n) % 3 };
            let new = [counts(0), counts(1) / 2, 0];
            let carried = (v + m) % 3;
            let form = json!({
                "org_unit": unit,
                "month": month.to_string(),
                "zero_report": zero,
                "households_visited": (30 + 3 * v + 2 * m).to_string(),
                "new_a": new[0].to_string(),
                "new_b": new[1].to_string(),
                "new_c": new[2].to_string(),
                "carried_over": carried.to_string(),
                "resolved": ((carried + new[0]) / 2).to_string(),
                "meeting_held": true
            });
            b.push(k, &name, author, received, form);
        }
    }
}

fn rights_cases(b: &mut Builder) {
    let k = CaseKind::KIND;
    // 白蒲镇: closed and revisited.
    let form = json!({
        "org_unit": "rugao/baipu",
        "channel": "visit",
        "area": "marriage_family",
        "complainant": { "name": "陈丽", "phone": "13957712345" },
        "respondent": "丈夫张某",
        "facts": "丈夫长期不给付家庭生活费，并以离婚相威胁。",
        "request": "要求丈夫按月给付生活费。",
        "stages": [
            { "stage": "applied", "date": b.day(60), "handler": "周丽", "note": "来访登记" },
            { "stage": "accepted", "date": b.day(60), "handler": "周丽", "complexity": "ordinary" },
            { "stage": "investigated", "date": b.day(58), "handler": "周丽", "note": "走访邻居、村妇联核实" },
            { "stage": "handled", "date": b.day(55), "handler": "周丽", "note": "约双方到调解室调解" },
            { "stage": "closed", "date": b.day(45), "handler": "周丽", "result": "双方达成调解协议，丈夫每月10日前给付生活费2000元" },
            { "stage": "revisited", "date": b.day(30), "handler": "周丽", "note": "电话回访，已按时给付", "satisfaction": "satisfied" }
        ]
    });
    b.push(k, "baipu-maintenance", "baipu", b.ago(30), form);
    // 白蒲镇: accepted a month ago, no answer yet: overdue.
    let form = json!({
        "org_unit": "rugao/baipu",
        "channel": "phone",
        "area": "labour_social_security",
        "complainant": { "name": "周敏" },
        "respondent": "某服装厂",
        "facts": "怀孕后被单位以岗位调整为由辞退。",
        "request": "要求恢复劳动关系。",
        "stages": [
            { "stage": "applied", "date": b.day(30), "handler": "周丽" },
            { "stage": "accepted", "date": b.day(29), "handler": "周丽", "complexity": "ordinary" },
            { "stage": "investigated", "date": b.day(27), "handler": "周丽", "note": "已联系企业人事部门" }
        ]
    });
    b.push(k, "baipu-dismissal-overdue", "baipu", b.ago(27), form);
    // 长江镇: complex, under investigation, a group petition reported up.
    let form = json!({
        "org_unit": "rugao/changjiang",
        "channel": "visit",
        "area": "property",
        "complainant": { "name": "陆美玲", "phone": "13813141516" },
        "respondent": "港口村村民小组",
        "facts": "出嫁女在土地征收补偿分配中被排除，十余名妇女一同来访。",
        "request": "要求按村民待遇分配征地补偿款。",
        "stages": [
            { "stage": "applied", "date": b.day(10), "handler": "吴芳", "note": "集体来访" },
            { "stage": "accepted", "date": b.day(9), "handler": "吴芳", "complexity": "complex" },
            { "stage": "investigated", "date": b.day(4), "handler": "吴芳", "note": "调取村组分配方案" }
        ],
        "petition": { "kind": "group", "reported_on": b.day(9), "reported_to": "如皋市妇联" }
    });
    b.push(k, "changjiang-land-complex", "changjiang", b.ago(4), form);
    // 长江镇: closed forty days ago and never revisited.
    let form = json!({
        "org_unit": "rugao/changjiang",
        "channel": "online",
        "area": "personal",
        "complainant": { "name": "朱琳" },
        "facts": "前男友持续发送骚扰信息并在单位门口纠缠。",
        "request": "希望得到法律帮助，制止骚扰。",
        "stages": [
            { "stage": "applied", "date": b.day(70), "handler": "吴芳" },
            { "stage": "accepted", "date": b.day(70), "handler": "吴芳", "complexity": "simple" },
            { "stage": "investigated", "date": b.day(70), "handler": "吴芳" },
            { "stage": "handled", "date": b.day(70), "handler": "吴芳", "note": "当场告知报警及申请人身安全保护令的途径" },
            { "stage": "closed", "date": b.day(40), "handler": "吴芳", "result": "派出所已对其训诫，骚扰停止" }
        ],
        "forward": { "date": b.day(70), "department": "长江镇派出所", "feedback": "已训诫", "feedback_on": b.day(41) }
    });
    b.push(
        k,
        "changjiang-harassment-closed",
        "changjiang",
        b.ago(40),
        form,
    );
}

/// Every tick sub-item of the 七有, as the example form has them.
const SEVEN_TICKED: &[&str] = &[
    "venue",
    "organisation",
    "part_time_leaders",
    "volunteer_teams",
    "plaque",
    "emblem_on_wall",
    "rules_on_wall",
    "equipment_in_use",
    "brand",
    "rules",
    "local_rules",
    "roster_women",
    "roster_representatives",
    "roster_village_representatives",
    "roster_party_members",
    "roster_volunteers",
    "roster_needy",
    "roster_left_behind",
    "diary",
    "meeting_minutes",
    "study_records",
    "activity_records",
    "opinion_ledger",
    "relief_records",
    "petition_records",
    "annual_plan",
    "annual_summary",
    "upper_documents",
    "local_materials",
    "honours",
];

fn self_assessments(b: &mut Builder) {
    let k = SelfAssessmentKind::KIND;
    let counts = |work: &str| {
        json!({
            "work_meetings": work, "representative_meetings": "2", "reports_to_party": "2",
            "reports_to_federation": "2", "representative_contacts": "10",
            "legal_education": "1", "volunteer_meetings": "4"
        })
    };
    let not_applicable = ["roster_talent", "roster_groups", "other_materials"];
    // 林梓村: every criterion met.
    let form = json!({
        "org_unit": LINZI, "standard": "seven", "assessed_on": b.day(50), "assessor": "李娟",
        "ticked": SEVEN_TICKED, "not_applicable": not_applicable, "counts": counts("12"),
        "annual_funds": "1,600.00", "resident_women": "800", "remarks": ""
    });
    b.push(k, "linzi-seven", "linzi", b.ago(50), form);
    // 新河村: no brand activity, monthly meetings missed.
    let ticked: Vec<&str> = SEVEN_TICKED
        .iter()
        .copied()
        .filter(|t| !matches!(*t, "brand" | "honours" | "volunteer_teams"))
        .collect();
    let form = json!({
        "org_unit": XINHE, "standard": "seven", "assessed_on": b.day(35), "assessor": "王秀英",
        "ticked": ticked, "not_applicable": not_applicable, "counts": counts("8"),
        "annual_funds": "1,500.00", "resident_women": "720", "remarks": "特色品牌正在培育"
    });
    b.push(k, "xinhe-seven", "xinhe", b.ago(35), form);
    // 港口村: funds below 2 元 per resident woman.
    let form = json!({
        "org_unit": GANGKOU, "standard": "seven", "assessed_on": b.day(20), "assessor": "张敏",
        "ticked": SEVEN_TICKED, "not_applicable": not_applicable, "counts": counts("12"),
        "annual_funds": "1,000.00", "resident_women": "650", "remarks": "经费待镇里追加"
    });
    b.push(k, "gangkou-seven", "gangkou", b.ago(20), form);
    // 白蒲镇 station: 五有, training and reward rules still being written.
    let form = json!({
        "org_unit": "rugao/baipu", "standard": "five", "assessed_on": b.day(15), "assessor": "周丽",
        "ticked": [
            "leading_body", "duties_assigned", "fixed_office", "plaque", "person_in_charge",
            "calls_answered", "letters_answered", "visits_received", "team_formed", "team_mediates",
            "daily_management", "joint_meetings", "petition_reception", "information_feedback"
        ],
        "remarks": "学习培训、考核奖励制度正在制定"
    });
    b.push(k, "baipu-five", "baipu", b.ago(15), form);
}

fn model_home(b: &mut Builder) {
    // The year applied for: this year, or last year early in January and February (its
    // opinions must be dated within it).
    let year = if b.today.ordinal() > 60 {
        b.today.year()
    } else {
        b.today.year() - 1
    };
    let form = json!({
        "org_unit": LINZI,
        "year": year.to_string(),
        "applicant_unit": "白蒲镇林梓村妇女之家",
        "head_name": "李娟",
        "head_title": "村妇联主席",
        "full_time_staff": "1",
        "part_time_staff": "6",
        "resident_women": "800",
        "annual_funds": "1,600.00",
        "standardisation": "达到“七有”标准：活动场所与党群服务中心共享，制度上墙，台账齐全。",
        "featured_activities": "“林梓姐妹说”家风宣讲品牌，全年开展12场。",
        "opinions": {
            "town": { "decision": "approve", "text": "同意推荐", "date": b.day(30) },
            "district": { "decision": "approve", "text": "同意推荐", "date": b.day(12) }
        }
    });
    b.push(
        ModelHomeKind::KIND,
        "linzi-application",
        "linzi",
        b.ago(12),
        form,
    );
}

fn town_assessments(b: &mut Builder) {
    let k = TownAssessmentKind::KIND;
    // This year's, against the rubric in force (the built-in 2018 one until a year's is
    // published).
    let year = b.today.year().to_string();
    let full = |count: &str| {
        json!({
            "women_development.training": { "count": "2" },
            "women_development.pairing": { "checked": ["pairing", "spring_jobs", "role_models"] },
            "rights.activities": { "count": "4" },
            "rights.safe_family": { "checked": ["plan", "assessment", "commendation", "activities", "summary", "reporting"] },
            "rights.mediator": { "count": "1" },
            "committee.single_mothers_care": { "count": "1" },
            "children_family.brand": { "option": "active" },
            "publicity.media_campaigns": { "count": "4" },
            "information.published": { "count": count },
            "innovation.work": { "applied": true, "score": "10" },
            "other.publicity_tasks": { "done": "3", "total": "3" }
        })
    };
    let baipu = json!({
        "town": "rugao/baipu",
        "year": year,
        "items": {
            "women_development.training": { "count": "3" },
            "women_development.pairing": { "checked": ["pairing", "spring_jobs"] },
            "women_development.civilised_post": { "holds": true },
            "rights.activities": { "count": "4" },
            "rights.safe_family": { "checked": ["plan", "assessment", "commendation", "activities", "summary", "reporting"] },
            "rights.mediator": { "count": "1" },
            "rights.council_inactive": { "deduction": "0.5", "reason": "议事会全年仅开会一次，未形成议事成果" },
            "committee.single_mothers_care": { "count": "2" },
            "committee.cancer_aid_petitions": { "count": "1" },
            "children_family.brand": { "option": "inactive" },
            "organisation.regional": { "deduction": "2", "reason": "辖区内企业妇联组织覆盖率不足50%" },
            "publicity.media_campaigns": { "count": "3" },
            "information.published": { "count": "9" },
            "innovation.work": { "applied": true, "score": "8.5" },
            "other.city_activities": { "count": "1" },
            "other.late_materials": { "count": "2" },
            "other.publicity_tasks": { "done": "2", "total": "3" }
        },
        "bonus": { "city_meeting": "1", "nantong_meeting": "1", "chunlei_class": "2" }
    });
    let rucheng = json!({
        "town": "rugao/rucheng",
        "year": year,
        "items": full("12"),
        "bonus": { "city_meeting": "2", "nantong_meeting": "3", "chunlei_class": "2", "investment": "3" }
    });
    let mut changjiang_items = full("10");
    changjiang_items["women_development.civilised_post"] = json!({ "holds": true });
    let changjiang = json!({
        "town": "rugao/changjiang",
        "year": year,
        "items": changjiang_items,
        "bonus": { "chunlei_class": "1", "investment": "1" }
    });
    for (name, form, days) in [
        ("baipu-2018", baipu, 21),
        ("rucheng-2018", rucheng, 21),
        ("changjiang-2018", changjiang, 20),
    ] {
        b.push(k, name, "city", b.ago(days), form);
    }
}
