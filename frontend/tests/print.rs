//! The print views (000 附件3 and 附件2), mounted in a real browser (headless Chromium), fed with
//! records in the exact JSON the server stores and answers (made by `shared`'s own parse).

use chrono::NaiveDate;
use frontend::components::print::{
    RISK_NOTE_ZH, RegisterPrint, RegisterPrintProps, VisitPrint, VisitPrintProps,
};
use serde_json::{Value, json};
use shared::register::{KeyPerson, KeyPersonInput};
use shared::{Lang, VisitInput, VisitRecord};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

/// examples/visit.json's form, stored: `(record, assessment)` as `GET /api/visits/{id}` has them.
fn stored_visit(edit: impl FnOnce(&mut Value)) -> (Value, Value) {
    let example: Value = serde_json::from_str(include_str!("../../examples/visit.json")).unwrap();
    let mut form = example["form"].clone();
    edit(&mut form);
    let input: VisitInput = serde_json::from_value(form).unwrap();
    let record = VisitRecord::parse(&input, today()).expect("the example is valid");
    let assessment = serde_json::to_value(record.assess(today())).unwrap();
    (serde_json::to_value(&record).unwrap(), assessment)
}

fn stored_key_person(form: Value) -> Value {
    let input: KeyPersonInput = serde_json::from_value(form).unwrap();
    serde_json::to_value(KeyPerson::parse(&input, today()).expect("valid")).unwrap()
}

fn attach() -> Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

async fn mount_visit(props: VisitPrintProps) -> Element {
    let root = attach();
    yew::Renderer::<VisitPrint>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

async fn mount_register(props: RegisterPrintProps) -> Element {
    let root = attach();
    yew::Renderer::<RegisterPrint>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// The visible text of every element matching `selector`, in order.
fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .dyn_into::<HtmlElement>()
                .unwrap()
                .inner_text()
                .trim()
                .to_owned()
        })
        .collect()
}

fn one(root: &Element, selector: &str) -> String {
    let all = texts(root, selector);
    assert_eq!(all.len(), 1, "one {selector}: {all:?}");
    all.into_iter().next().unwrap()
}

#[wasm_bindgen_test]
async fn the_visit_sheet_has_every_row_of_annex_3_filled_in() {
    let (record, assessment) = stored_visit(|f| {
        f["remarks"] = json!("当事人要求保密");
        f["escalation"] = json!({ "may_intensify": true });
    });
    let root = mount_visit(VisitPrintProps {
        lang: Lang::Zh,
        record,
        assessment,
        unit_name: "林梓村".into(),
    })
    .await;

    assert_eq!(
        one(&root, ".print-title"),
        "妇女议事会“家家访 月月谈”排查登记表"
    );
    assert_eq!(one(&root, ".print-unit"), "所属村（社区）：林梓村");
    // Every label of the paper form, in the paper's order.
    assert_eq!(
        texts(&root, ".visit-table th"),
        [
            "当事人详细信息",
            "姓名",
            "家庭住址",
            "年龄",
            "家庭角色",
            "联系电话",
            "矛盾纠纷、隐患线索类别（请选择：A:婚姻家庭纠纷；B:家庭暴力现象；C:未成年人性侵案件线索）",
            "矛盾纠纷、隐患线索情况概述",
            "矛盾纠纷、隐患线索办理情况",
            "跟踪回访情况",
            "备注",
        ]
    );
    // One row per party, each cell under its heading; the phone as stored (normalised).
    assert_eq!(
        texts(&root, "tr.party:not(.blank) td"),
        [
            "王芳",
            "林梓村3组12号",
            "36",
            "妻子",
            "13812341234",
            "刘强",
            "",
            "",
            "丈夫",
            ""
        ]
    );
    assert_eq!(root.query_selector_all("tr.party").unwrap().length(), 2);
    // The group label spans its heading row and the party rows.
    let group = root.query_selector("th.group").unwrap().unwrap();
    assert_eq!(group.get_attribute("rowspan").as_deref(), Some("3"));

    // B is ticked, A and C are not.
    assert_eq!(
        texts(&root, ".category .tick"),
        [
            "A 婚姻家庭纠纷□",
            "B 家庭暴力现象☑",
            "C 未成年人性侵案件线索□"
        ]
    );
    let summary = one(&root, ".summary td");
    assert!(
        summary.starts_with("丈夫酒后多次动手，妻子多次求助"),
        "{summary}"
    );
    assert!(
        summary.contains("风险情形：严重家庭暴力；可能激化成较大矛盾；存在不稳定苗头"),
        "{summary}"
    );
    let handling = one(&root, ".handling td");
    assert!(
        handling.starts_with("老舅妈调解员上门调解，已报村两委"),
        "{handling}"
    );
    assert!(
        handling.contains("已报：村（社区）两委 2026-06-01；公安机关 2026-06-02"),
        "{handling}"
    );
    assert!(handling.contains("化解情况：未化解"), "{handling}");
    assert_eq!(
        one(&root, ".follow-ups td"),
        "2026-09-20 李娟（基本满意）：近期未再动手"
    );
    assert_eq!(one(&root, ".remarks td"), "当事人要求保密");
    assert_eq!(one(&root, ".print-sign .visitor"), "排查、走访人：李娟");
    assert_eq!(one(&root, ".print-sign .date"), "时间：2026 年 5 月 31 日");

    // May intensify: red, as the rules computed it; and the 说明 underneath.
    let level = root.query_selector("#print-level").unwrap().unwrap();
    assert_eq!(level.get_attribute("data-level").as_deref(), Some("red"));
    assert_eq!(one(&root, ".print-level"), "（风险预警等级：红色预警）");
    assert_eq!(one(&root, ".print-note"), RISK_NOTE_ZH);
    assert!(RISK_NOTE_ZH.contains("红色预警：连续上报6个月以上未化解"));
    assert!(one(&root, ".print-actions").contains("打印"));
}

#[wasm_bindgen_test]
async fn a_one_party_record_keeps_a_blank_party_row_and_a_missing_level_stays_blank() {
    let (record, _) = stored_visit(|f| {
        f["parties"] = json!([{ "name": "赵敏", "age": "41" }]);
        f["category"] = json!("A");
        f["severe_violence"] = json!(false);
        f["resolved_on"] = json!("2026-10-01");
    });
    let root = mount_visit(VisitPrintProps {
        lang: Lang::Zh,
        record,
        assessment: Value::Null,
        unit_name: "".into(),
    })
    .await;
    assert_eq!(texts(&root, "tr.party:not(.blank) td.name"), ["赵敏"]);
    assert_eq!(
        root.query_selector_all("tr.party.blank").unwrap().length(),
        1
    );
    assert_eq!(root.query_selector_all(".print-unit").unwrap().length(), 0);
    assert_eq!(texts(&root, ".category .tick.ticked"), ["A 婚姻家庭纠纷☑"]);
    assert!(one(&root, ".handling td").contains("化解日期：2026 年 10 月 1 日"));
    let level = root.query_selector("#print-level").unwrap().unwrap();
    assert_eq!(level.get_attribute("data-level"), None);
    assert!(
        !one(&root, ".print-level").contains("预警："),
        "no level printed"
    );
}

#[wasm_bindgen_test]
async fn a_whole_stored_item_prints_with_its_own_assessment_and_english_labels() {
    let (record, assessment) = stored_visit(|_| {});
    let item = json!({ "record": record, "assessment": assessment, "version": 1 });
    let root = mount_visit(VisitPrintProps {
        lang: Lang::En,
        record: item,
        assessment: Value::Null,
        unit_name: "".into(),
    })
    .await;
    assert_eq!(
        texts(&root, "tr.party:not(.blank) td.name"),
        ["王芳", "刘强"]
    );
    assert_eq!(
        one(&root, ".print-level"),
        "(Risk alert level: Orange alert)"
    );
    assert_eq!(texts(&root, ".visit-table th")[0], "Parties");
    assert_eq!(one(&root, ".print-sign .date"), "Date: 2026-05-31");
}

#[wasm_bindgen_test]
async fn the_register_ticks_the_boxes_of_annex_2() {
    let example: Value =
        serde_json::from_str(include_str!("../../examples/key_person.json")).unwrap();
    let child = stored_key_person(example["form"].clone());
    let woman = stored_key_person(json!({
        "id": "5d0c6f1e-7a43-4c8b-9d0f-1b2c3d4e5f60",
        "org_unit": "rugao/baipu/linzi",
        "name": "王桂英",
        "address": "林梓村1组3号",
        "phone": "",
        "woman": { "poor": true, "severe_disability": true, "other": "独居" },
        "care": [
            { "date": "2026-10-15", "by": "李娟", "content": "协助申请残疾人两项补贴" },
            { "date": "2026-11-02", "content": "送米送油" }
        ]
    }));
    // The list answer's items (`{record, …}`) print as well as bare records.
    let rows = vec![child, json!({ "record": woman, "version": 1 })];
    let root = mount_register(RegisterPrintProps {
        lang: Lang::Zh,
        rows,
        unit_name: "林梓村".into(),
    })
    .await;

    assert_eq!(
        one(&root, ".print-title"),
        "需要重点关注的妇女儿童信息统计表"
    );
    assert_eq!(
        texts(&root, ".register-table thead th"),
        [
            "序号",
            "姓名",
            "家庭住址",
            "联系电话",
            "妇女",
            "儿童",
            "关爱帮扶情况"
        ]
    );
    assert!(one(&root, ".print-unit").starts_with("村（社区）：林梓村"));
    assert_eq!(texts(&root, "tr.person td.no"), ["1", "2"]);
    assert_eq!(texts(&root, "tr.person td.name"), ["陈小雨", "王桂英"]);
    assert_eq!(texts(&root, "tr.person td.phone"), ["0513-87654321", ""]);
    assert_eq!(texts(&root, "tr.person td.address")[1], "林梓村1组3号");

    let boxes = |row: usize, col: &str| -> Vec<String> {
        texts(
            &root,
            &format!("tr.person:nth-child({}) td.{col} .tick", row + 1),
        )
    };
    // The child of examples/key_person.json: in hardship and left behind.
    assert_eq!(boxes(0, "woman"), ["贫困□", "重残□", "单亲□", "其它□"]);
    assert_eq!(boxes(0, "child"), ["孤儿□", "困境☑", "留守☑", "其它□"]);
    // The woman: poor, severely disabled, and "other" with what it is.
    assert_eq!(
        boxes(1, "woman"),
        ["贫困☑", "重残☑", "单亲□", "其它☑（独居）"]
    );
    assert_eq!(boxes(1, "child"), ["孤儿□", "困境□", "留守□", "其它□"]);
    assert_eq!(
        texts(&root, "tr.person:nth-child(2) td.care .care"),
        [
            "2026-10-15 李娟：协助申请残疾人两项补贴",
            "2026-11-02：送米送油"
        ]
    );
    assert_eq!(root.query_selector_all(".tick.ticked").unwrap().length(), 5);
}

#[wasm_bindgen_test]
async fn an_empty_register_says_so() {
    let root = mount_register(RegisterPrintProps {
        lang: Lang::Zh,
        rows: vec![],
        unit_name: "".into(),
    })
    .await;
    assert_eq!(one(&root, "tr.empty"), "没有记录");
    assert_eq!(root.query_selector_all("tr.person").unwrap().length(), 0);
}
