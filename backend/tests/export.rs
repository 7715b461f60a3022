//! CSV and XLSX exports: laid out like the paper forms, scoped to the user's units, and audited
//! for B and C visit records.
//!
//! The demo city comes with sample records, so each test adds a town of its own (units and
//! users written straight into the file) and exports only its units.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use backend::auth::Role;
use backend::org::Level;
use common::*;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOWN: &str = "rugao/ceshi";
const DONG: &str = "rugao/ceshi/dong";
const XI: &str = "rugao/ceshi/xi";

fn test_town(app: &TestApp) {
    let conn = rusqlite::Connection::open(app.db_path()).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    for (id, name, level) in [
        (TOWN, "测试镇", Level::Town),
        (DONG, "东村", Level::Village),
        (XI, "西村", Level::Village),
    ] {
        backend::org::add(&conn, id, name, level).unwrap();
    }
    for (username, role, unit) in [
        ("ceshi", Role::Town, TOWN),
        ("dongcun", Role::Village, DONG),
    ] {
        backend::auth::add_user(
            &conn,
            username,
            username,
            role,
            unit,
            backend::demo::PASSWORD,
            START,
        )
        .unwrap();
    }
}

async fn created(app: &TestApp, cookie: &str, uri: &str, body: &Value) {
    let res = app.post(uri, cookie, body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{uri}: {}", res.body);
}

fn key_person(id: &str, name: &str) -> Value {
    json!({
        "id": id, "org_unit": DONG, "name": name, "address": "3组12号", "phone": "13812341234",
        "woman": { "poor": true, "other": "=患病" },
        "child": { "left_behind": true },
        "care": [
            { "date": "2026-10-05", "by": "李娟", "content": "送米送油" },
            { "date": "2026-11-05", "content": "联系助学金" }
        ]
    })
}

const KEY_PERSON_HEADER: [&str; 14] = [
    "序号",
    "所属村（社区）",
    "姓名",
    "家庭住址",
    "联系电话",
    "妇女-贫困",
    "妇女-重残",
    "妇女-单亲",
    "妇女-其它",
    "儿童-孤儿",
    "儿童-困境",
    "儿童-留守",
    "儿童-其它",
    "关爱帮扶情况",
];

#[tokio::test]
async fn the_key_person_register_exports_like_attachment_2() {
    let app = TestApp::spawn();
    test_town(&app);
    let me = app.login("dongcun").await;
    created(&app, &me, "/api/key-persons", &key_person(&uuid(1), "赵兰")).await;
    created(&app, &me, "/api/key-persons", &key_person(&uuid(2), "钱芳")).await;

    let csv = app.download("/api/export/key-persons.csv", &me).await;
    let disposition = csv.header(header::CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with(
            "attachment; filename=\"key-persons_rugao-ceshi-dong_2026-11-29.csv\"; filename*=UTF-8''"
        ),
        "{disposition}"
    );
    assert_eq!(csv.header(header::CACHE_CONTROL), "no-store");
    let rows = csv.csv();
    assert_eq!(rows[0], KEY_PERSON_HEADER);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[1],
        [
            "1",
            "东村",
            "赵兰",
            "3组12号",
            "13812341234",
            "√",
            "",
            "",
            // Would be a formula in a spreadsheet.
            "'=患病",
            "",
            "",
            "√",
            "",
            "2026-10-05 李娟：送米送油\n2026-11-05 联系助学金"
        ]
    );
    assert_eq!(rows[2][2], "钱芳");

    let xlsx = app.download("/api/export/key-persons.xlsx", &me).await;
    assert!(
        xlsx.header(header::CONTENT_DISPOSITION)
            .contains("key-persons_rugao-ceshi-dong_2026-11-29.xlsx")
    );
    let (sheet, rows) = xlsx.xlsx();
    assert_eq!(sheet, "重点关注妇女儿童");
    // Two header rows, as on the paper form: 妇女 and 儿童 over their boxes.
    assert_eq!(
        rows[0],
        [
            "序号",
            "所属村（社区）",
            "姓名",
            "家庭住址",
            "联系电话",
            "妇女",
            "",
            "",
            "",
            "儿童",
            "",
            "",
            "",
            "关爱帮扶情况"
        ]
    );
    assert_eq!(
        rows[1][5..13],
        [
            "贫困", "重残", "单亲", "其它", "孤儿", "困境", "留守", "其它"
        ]
    );
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[2][..5],
        ["1", "东村", "赵兰", "3组12号", "13812341234"]
    );
    // No formula defusing in a typed cell.
    assert_eq!(rows[2][8], "=患病");
    assert_eq!(rows[3][2], "钱芳");
}

#[tokio::test]
async fn visit_records_export_like_attachment_3_and_b_items_are_audited() {
    let app = TestApp::spawn();
    test_town(&app);
    let town = app.login("ceshi").await;
    let b = uuid(1);
    created(&app, &town, "/api/visits", &visit(&b, DONG)).await;
    let mut a = visit(&uuid(2), XI);
    a["category"] = json!("A");
    a["escalation"] = json!({});
    a["visit_date"] = json!("2026-11-01");
    a["parties"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "刘强", "age": "40", "family_role": "丈夫" }));
    a["follow_ups"] = json!([{ "date": "2026-11-10", "by": "李娟", "outcome": "已和好", "satisfaction": "satisfied" }]);
    created(&app, &town, "/api/visits", &a).await;
    let audited = |app: &TestApp| {
        let conn = rusqlite::Connection::open(app.db_path()).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT username, kind, detail FROM audit WHERE action = 'export' ORDER BY seq",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
    };
    assert!(audited(&app).is_empty());

    let rows = app.download("/api/export/visits.csv", &town).await.csv();
    assert_eq!(
        rows[0],
        [
            "序号",
            "所属村（社区）",
            "当事人详细信息-姓名",
            "当事人详细信息-家庭住址",
            "当事人详细信息-年龄",
            "当事人详细信息-家庭角色",
            "当事人详细信息-联系电话",
            "矛盾纠纷、隐患线索类别",
            "矛盾纠纷、隐患线索情况概述",
            "矛盾纠纷、隐患线索办理情况",
            "跟踪回访情况",
            "备注",
            "排查、走访人",
            "时间",
            "化解日期",
            "风险预警等级"
        ]
    );
    assert_eq!(rows.len(), 3);
    // Oldest first: the A item of 1 November, then the B item of 20 November.
    assert_eq!(
        rows[1],
        [
            "1",
            "西村",
            "王芳\n刘强",
            "3组\n",
            "36\n40",
            "妻子\n丈夫",
            "13812341234\n",
            "A 婚姻家庭纠纷",
            "丈夫酒后多次动手",
            "",
            "2026-11-10 李娟（满意）：已和好",
            "",
            "李娟",
            "2026-11-01",
            "",
            "黄色预警"
        ]
    );
    assert_eq!(rows[2][7], "B 家庭暴力现象");
    assert_eq!(rows[2][15], "红色预警");
    // The export names the B record, not the A one.
    assert_eq!(
        audited(&app),
        [("ceshi".to_owned(), "visit".to_owned(), b.clone())]
    );

    let (sheet, rows) = app
        .download("/api/export/visits.xlsx?category=B", &town)
        .await
        .xlsx();
    assert_eq!(sheet, "排查登记表");
    assert_eq!(rows[0][2], "当事人详细信息");
    assert_eq!(
        rows[1][2..7],
        ["姓名", "家庭住址", "年龄", "家庭角色", "联系电话"]
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2][8], "丈夫酒后多次动手");
    assert_eq!(audited(&app).len(), 2);

    // Filters as the lists: nothing matches, nothing is audited.
    let rows = app
        .download("/api/export/visits.csv?unit=rugao/ceshi/xi", &town)
        .await
        .csv();
    assert_eq!(rows.len(), 2);
    let rows = app
        .download("/api/export/visits.csv?level=red", &town)
        .await
        .csv();
    assert_eq!((rows.len(), rows[1][7].as_str()), (2, "B 家庭暴力现象"));
    assert_eq!(audited(&app).len(), 3);
    let (_, rows) = app
        .download("/api/export/visits.xlsx?from=2026-12-01", &town)
        .await
        .xlsx();
    assert_eq!(rows.len(), 2);
    assert_eq!(audited(&app).len(), 3);
}

#[tokio::test]
async fn exports_stay_within_the_users_units() {
    let app = TestApp::spawn();
    test_town(&app);
    let village = app.login("dongcun").await;
    let baipu = app.login("baipu").await;
    for uri in [
        "/api/export/visits.csv?unit=rugao/ceshi",
        "/api/export/visits.xlsx?unit=rugao/ceshi/xi",
        "/api/export/key-persons.csv?unit=rugao",
        "/api/export/monthly-reports.xlsx?unit=rugao/baipu",
        "/api/export/assessments.csv?year=2018",
    ] {
        let res = app.download(uri, &village).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}");
        let body: Value = serde_json::from_slice(&res.bytes).unwrap();
        assert_eq!(body["error"], "not_found");
    }
    assert_eq!(
        app.download("/api/export/visits.csv?unit=rugao/ceshi", &baipu)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A visit in another town is not in the town's export.
    let city = app.login("city").await;
    created(&app, &city, "/api/visits", &visit(&uuid(9), XI)).await;
    let rows = app.download("/api/export/visits.csv", &baipu).await.csv();
    assert!(rows.iter().all(|r| r[1] != "西村"));
    // Bad filters are named; no login, no file.
    let bad = app
        .download("/api/export/visits.csv?from=yesterday&colour=red", &city)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let req = Request::get("/api/export/visits.xlsx")
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn monthly_reports_export_with_when_they_came() {
    let app = TestApp::spawn();
    test_town(&app);
    let town = app.login("ceshi").await;
    let report = |id: &str, unit: &str, month: &str, zero: bool| {
        json!({
            "id": id, "org_unit": unit, "month": month, "zero_report": zero,
            "households_visited": "46", "new_a": if zero { "0" } else { "2" },
            "carried_over": "1", "resolved": "1", "meeting_held": true
        })
    };
    created(
        &app,
        &town,
        "/api/monthly-reports",
        &report(&uuid(1), DONG, "2026-11", true),
    )
    .await;
    created(
        &app,
        &town,
        "/api/monthly-reports",
        &report(&uuid(2), XI, "2026-10", false),
    )
    .await;
    let rows = app
        .download("/api/export/monthly-reports.csv?unit=rugao/ceshi", &town)
        .await
        .csv();
    assert_eq!(
        rows,
        [
            vec![
                "序号",
                "所属村（社区）",
                "报告月份",
                "零上报",
                "走访户数",
                "新发现-A类 婚姻家庭纠纷",
                "新发现-B类 家庭暴力",
                "新发现-C类 未成年人性侵线索",
                "上月结转未化解",
                "本月化解",
                "召开议事会",
                "上报日期",
                "按时上报"
            ],
            vec![
                "1",
                "西村",
                "2026-10",
                "否",
                "46",
                "2",
                "0",
                "0",
                "1",
                "1",
                "是",
                "2026-11-29",
                "迟报"
            ],
            vec![
                "2",
                "东村",
                "2026-11",
                "是",
                "46",
                "0",
                "0",
                "0",
                "1",
                "1",
                "是",
                "2026-11-29",
                "按时"
            ],
        ]
    );
    let (sheet, rows) = app
        .download("/api/export/monthly-reports.xlsx?status=zero", &town)
        .await
        .xlsx();
    assert_eq!(sheet, "月报");
    assert_eq!(
        (rows[0][5].as_str(), rows[1][5].as_str()),
        ("新发现", "A类 婚姻家庭纠纷")
    );
    assert_eq!(rows.len(), 3);
    // Counts are numbers in the workbook.
    assert_eq!(rows[2][..5], ["1", "东村", "2026-11", "是", "46"]);
}

#[tokio::test]
async fn assessment_results_export_by_rank() {
    let app = TestApp::spawn();
    test_town(&app);
    let city = app.login("city").await;
    // The 白蒲镇 example of `examples/town_assessments.json`, for 测试镇.
    let examples: Value =
        serde_json::from_str(include_str!("../../examples/town_assessments.json")).unwrap();
    let mut form = examples["form"]["towns"][0].clone();
    form["id"] = json!(uuid(1));
    form["town"] = json!(TOWN);
    created(&app, &city, "/api/town-assessments", &form).await;
    let (_, rows) = app
        .download("/api/export/assessments.xlsx?year=2018", &city)
        .await
        .xlsx();
    let header = &rows[0];
    assert_eq!(header.len(), 17);
    assert_eq!(
        [header[0].as_str(), header[1].as_str(), header[10].as_str()],
        ["镇（区、街道）", "妇女发展", "其他"]
    );
    assert_eq!(
        header[11..],
        [
            "基本分",
            "加分（封顶前）",
            "加分",
            "原始总分",
            "折算得分",
            "排名"
        ]
    );
    let ranking = app.get("/api/views/ranking?year=2018", &city).await.body;
    let ranked = ranking["rows"].as_array().unwrap();
    assert_eq!(rows.len(), ranked.len() + 1);
    let csv = app
        .download("/api/export/assessments.csv?year=2018", &city)
        .await;
    assert!(
        csv.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment; filename=\"assessments_2018.csv\"")
    );
    let lines = csv.csv();
    assert_eq!(lines.len(), ranked.len() + 1);
    for (line, r) in lines[1..].iter().zip(ranked) {
        assert_eq!(line[0], r["town_name"].as_str().unwrap());
        assert_eq!(line[11], r["score"]["base"].as_str().unwrap());
        assert_eq!(line[14], r["raw"].as_str().unwrap());
        assert_eq!(line[15], r["normalised"].as_str().unwrap());
        assert_eq!(line[16], r["rank"].to_string());
    }
    // The workbook holds the same points as numbers.
    assert_eq!(
        rows[1][15].parse::<f64>().unwrap(),
        lines[1][15].parse::<f64>().unwrap()
    );
    // A town gets its own row.
    let town = app.login("ceshi").await;
    let own = app
        .download("/api/export/assessments.csv?year=2018", &town)
        .await
        .csv();
    let mine = lines.iter().find(|l| l[0] == "测试镇").unwrap();
    assert_eq!((own.len(), &own[1]), (2, mine));
    assert_eq!(
        mine[1..15],
        [
            "7.00", "9.50", "8.00", "9.00", "8.00", "9.00", "10.00", "7.00", "8.50", "5.17",
            "81.17", "5.00", "5.00", "86.17"
        ]
        .map(String::from)
    );
    let bad = app
        .download("/api/export/assessments.csv?year=2018&unit=rugao", &city)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
