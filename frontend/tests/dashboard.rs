//! The dashboard's and the records list's pieces, in a real browser (headless Chromium):
//! masking, the SVG bar chart, the completeness grid, the CSV made in the browser.

use frontend::api::url_with;
use frontend::components::{Bar, BarChart, BarChartProps, PLOT_HEIGHT, mask_name, mask_phone};
use frontend::forms::FormKind;
use frontend::pages::dashboard::{
    CompletenessGrid, CompletenessGridProps, CompletenessView, RankingRow, category_bars,
    category_max, completeness_bar, completeness_cell, recent_months,
};
use frontend::pages::records::{Filters, StoredRecord, list_url, row_view};
use shared::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn attach() -> web_sys::Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

async fn settle() {
    for _ in 0..3 {
        yew::scheduler::flush().await;
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            gloo::utils::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
    }
}

fn all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into().unwrap())
        .collect()
}

fn attr(e: &web_sys::Element, name: &str) -> String {
    e.get_attribute(name)
        .unwrap_or_else(|| panic!("no {name} on {}", e.outer_html()))
}

#[wasm_bindgen_test]
fn names_and_phones_are_masked() {
    let names = [
        ("张三芳", "张*芳"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧**娜"),
        ("司马相如之", "司***之"),
        ("张", "*"),
        ("  王芳 ", "王*"),
        ("小军（化名）", "小*（化名）"),
        ("", ""),
    ];
    for (name, masked) in names {
        assert_eq!(mask_name(name), masked, "name {name:?}");
    }
    let phones = [
        ("13812341234", "138****1234"),
        ("138 1234 1234", "138 **** 1234"),
        ("0513-87654321", "051*-****4321"),
        ("87654321", "****4321"),
        ("12345", "***45"),
        ("", ""),
    ];
    for (phone, masked) in phones {
        assert_eq!(mask_phone(phone), masked, "phone {phone:?}");
    }
}

/// A town's row of `GET /api/views/ranking`, with its categories' scores.
fn ranking_row(scores: &[&str]) -> RankingRow {
    let categories: Vec<serde_json::Value> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::json!({
                "id": format!("cat{i}"), "name": format!("类别{i}"), "points": "10.00",
                "deductions": [], "deducted": "0.00", "score": s,
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "rank": 2, "town": "rugao/baipu", "town_name": "白蒲镇", "raw": "86.17",
        "normalised": "71.81", "assessment_id": "x",
        "score": {
            "town": "rugao/baipu", "year": 2018, "full_marks": "100.00",
            "categories": categories, "base": "81.17", "bonus_raw": "5.00", "bonus": "5.00",
            "raw_total": "86.17",
        },
    }))
    .expect("a ranking row as the server writes it")
}

#[wasm_bindgen_test]
async fn the_chart_draws_one_bar_per_category_in_proportion_to_its_score() {
    let scores = ["7.00", "9.50", "10.00", "0.00", "5.17"];
    let row = ranking_row(&scores);
    let bars = category_bars(Lang::Zh, &row.score);
    assert_eq!(category_max(&row.score), 10.0);
    let root = attach();
    yew::Renderer::<BarChart>::with_root_and_props(
        root.clone(),
        BarChartProps {
            title: "白蒲镇 各项得分".into(),
            bars,
            max: category_max(&row.score),
            max_text: None,
            id: Some("chart".into()),
        },
    )
    .render();
    settle().await;
    let rects = all(&root, "svg rect.bar");
    assert_eq!(rects.len(), scores.len(), "one bar per category");
    let base: f64 = rects
        .iter()
        .map(|r| attr(r, "y").parse::<f64>().unwrap() + attr(r, "height").parse::<f64>().unwrap())
        .next()
        .unwrap();
    for (rect, score) in rects.iter().zip(scores) {
        let height: f64 = attr(rect, "height").parse().unwrap();
        let y: f64 = attr(rect, "y").parse().unwrap();
        let expected = score.parse::<f64>().unwrap() / 10.0 * PLOT_HEIGHT;
        assert!(
            (height - expected).abs() < 0.01,
            "{score}: height {height}, expected {expected}"
        );
        // Every bar stands on the same base line.
        assert!((y + height - base).abs() < 0.01);
    }
    // Full marks fill the plot; a short category is coloured as such.
    assert_eq!(attr(&rects[2], "height"), format!("{PLOT_HEIGHT:.2}"));
    assert!(attr(&rects[0], "class").contains("low"));
    assert!(attr(&rects[2], "class").contains("full"));
    // Each bar says its category and score.
    let labels: Vec<String> = all(&root, "text.label")
        .iter()
        .map(|t| t.text_content().unwrap())
        .collect();
    assert_eq!(labels, ["类别0", "类别1", "类别2", "类别3", "类别4"]);
    let values: Vec<String> = all(&root, "text.value")
        .iter()
        .map(|t| t.text_content().unwrap())
        .collect();
    assert_eq!(values, scores);
    assert_eq!(
        attr(&root.query_selector("svg").unwrap().unwrap(), "aria-label"),
        "白蒲镇 各项得分"
    );
}

#[wasm_bindgen_test]
async fn a_bar_above_the_maximum_or_below_zero_stays_inside_the_plot() {
    let bar = |key: &str, value: f64| Bar {
        key: key.to_owned().into(),
        label: key.to_owned().into(),
        value,
        text: value.to_string().into(),
        class: None,
    };
    let root = attach();
    yew::Renderer::<BarChart>::with_root_and_props(
        root.clone(),
        BarChartProps {
            title: "t".into(),
            bars: vec![bar("over", 150.0), bar("under", -5.0), bar("half", 50.0)],
            max: 100.0,
            max_text: None,
            id: None,
        },
    )
    .render();
    settle().await;
    let heights: Vec<f64> = all(&root, "rect.bar")
        .iter()
        .map(|r| attr(r, "height").parse().unwrap())
        .collect();
    assert_eq!(heights, [PLOT_HEIGHT, 0.0, PLOT_HEIGHT / 2.0]);
}

/// `GET /api/views/completeness?month=…` for one town of three villages.
fn month(
    month: &str,
    villages: [(&str, Option<bool>); 3],
    counts: (u32, u32, u32, u32),
) -> CompletenessView {
    let names = ["顾庄村", "林梓村", "新河村"];
    let ids = [
        "rugao/baipu/guzhuang",
        "rugao/baipu/linzi",
        "rugao/baipu/xinhe",
    ];
    let (on_time, late, missing, pending) = counts;
    serde_json::from_value(serde_json::json!({
        "as_of": "2026-11-30", "month": month, "due": "2026-12-08",
        "towns": [{
            "town": "rugao/baipu", "town_name": "白蒲镇", "month": month, "due": "2026-12-08",
            "expected": 3, "on_time": on_time, "late": late, "zero_reports": 1,
            "missing": missing, "pending": pending, "late_units": [], "missing_units": [],
            "rate": {"numerator": on_time, "denominator": 3},
            "rate_text": shared::stats::Ratio::new(on_time.into(), 3).percent_text(),
            "villages": villages.iter().zip(ids).zip(names).map(|(((status, zero), id), name)| serde_json::json!({
                "unit": id, "name": name, "status": status,
                "received_on": zero.map(|_| "2026-10-05"), "zero_report": zero,
            })).collect::<Vec<_>>(),
        }],
    }))
    .expect("a completeness view as the server writes it")
}

#[wasm_bindgen_test]
async fn the_completeness_grid_marks_each_village_s_month() {
    let months = vec![
        month(
            "2026-09",
            [
                ("on_time", Some(true)),
                ("late", Some(false)),
                ("missing", None),
            ],
            (1, 1, 1, 0),
        ),
        month(
            "2026-10",
            [
                ("on_time", Some(false)),
                ("late", Some(true)),
                ("on_time", Some(false)),
            ],
            (2, 1, 0, 0),
        ),
        month(
            "2026-11",
            [("pending", None), ("pending", None), ("pending", None)],
            (0, 0, 0, 3),
        ),
    ];
    let root = attach();
    yew::Renderer::<CompletenessGrid>::with_root_and_props(
        root.clone(),
        CompletenessGridProps {
            lang: Lang::Zh,
            months: months.clone(),
        },
    )
    .render();
    settle().await;
    let cell = |unit: &str, month: &str| {
        root.query_selector(&format!(
            "td[data-unit=\"rugao/baipu/{unit}\"][data-month=\"{month}\"]"
        ))
        .unwrap()
        .unwrap_or_else(|| panic!("no cell {unit} {month}"))
    };
    let expect = [
        ("guzhuang", "2026-09", "cell on-time zero", "零上报"),
        ("linzi", "2026-09", "cell late", "迟报"),
        ("xinhe", "2026-09", "cell missing", "未报"),
        ("guzhuang", "2026-10", "cell on-time", "按时"),
        ("linzi", "2026-10", "cell late zero", "迟报·零上报"),
        ("xinhe", "2026-10", "cell on-time", "按时"),
        ("guzhuang", "2026-11", "cell pending", "未到期"),
        ("xinhe", "2026-11", "cell pending", "未到期"),
    ];
    for (unit, m, class, text) in expect {
        let c = cell(unit, m);
        assert_eq!(attr(&c, "class"), class, "{unit} {m}");
        assert_eq!(c.text_content().unwrap(), text, "{unit} {m}");
    }
    // Three villages × three months, in the months' order, and each month's rate.
    assert_eq!(all(&root, "td.cell").len(), 9);
    let heads: Vec<String> = all(&root, "th.month")
        .iter()
        .map(|h| h.text_content().unwrap())
        .collect();
    assert_eq!(heads, ["2026-09", "2026-10", "2026-11"]);
    let rates: Vec<String> = all(&root, "td.rate")
        .iter()
        .map(|h| h.text_content().unwrap())
        .collect();
    assert_eq!(rates, ["1/3 · 33.33%", "2/3 · 66.67%", "未到期"]);
    // The chart's bar for a month: the on-time rate, or "not yet due".
    let bar = completeness_bar(Lang::Zh, &months[1]);
    assert_eq!((bar.value, bar.text.as_str()), (66.67, "66.67%"));
    let bar = completeness_bar(Lang::Zh, &months[2]);
    assert_eq!(
        (bar.value, bar.text.as_str(), bar.class),
        (0.0, "未到期", Some("pending"))
    );
}

#[wasm_bindgen_test]
fn every_status_has_its_own_cell_class_and_word() {
    use shared::monthly::ReportStatus::*;
    let cells: Vec<(&str, &str)> = [
        (OnTime, Some(false)),
        (OnTime, Some(true)),
        (Late, None),
        (Late, Some(true)),
        (Missing, None),
        (Pending, None),
    ]
    .into_iter()
    .map(|(s, z)| completeness_cell(Lang::Zh, s, z))
    .collect();
    assert_eq!(
        cells,
        [
            ("cell on-time", "按时"),
            ("cell on-time zero", "零上报"),
            ("cell late", "迟报"),
            ("cell late zero", "迟报·零上报"),
            ("cell missing", "未报"),
            ("cell pending", "未到期")
        ]
    );
}

#[wasm_bindgen_test]
fn the_grid_shows_the_last_six_months_across_a_new_year() {
    let d = chrono::NaiveDate::from_ymd_opt(2027, 2, 3).unwrap();
    let months: Vec<String> = recent_months(d, 6).iter().map(|m| m.to_string()).collect();
    assert_eq!(
        months,
        [
            "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02"
        ]
    );
}

#[wasm_bindgen_test]
fn export_links_leave_blank_filters_out() {
    assert_eq!(
        url_with(
            "/api/export/visits.xlsx",
            &[("unit", "rugao/baipu"), ("from", ""), ("to", "2026-11-30")]
        ),
        "/api/export/visits.xlsx?unit=rugao%2Fbaipu&to=2026-11-30"
    );
}

fn stored_visit() -> StoredRecord {
    serde_json::from_value(serde_json::json!({
        "record": {
            "id": "b99fc3cf-fbeb-5280-a910-6db7d45dc3c8", "org_unit": "rugao/baipu/linzi",
            "category": "B", "visit_date": "2026-11-21", "resolved_on": null,
            "summary": "丈夫酒后多次动手，妻子身上有明显伤痕，邻居报告",
            "parties": [
                {"name": "王芳", "phone": "13812341234", "address": "林梓村3组12号"},
                {"name": "刘大强", "phone": null, "address": "林梓村3组12号"},
            ],
        },
        "assessment": {"level": "red"},
        "version": 1, "unit": "rugao/baipu/linzi", "received_at": "2026-11-21T01:00:00Z",
        "author": "linzi",
    }))
    .unwrap()
}

#[wasm_bindgen_test]
fn the_list_shows_people_masked_and_never_their_address() {
    let row = row_view(FormKind::Visit, &stored_visit(), Lang::Zh);
    assert_eq!(row.who, "王*、刘*强");
    assert_eq!(row.phone, "138****1234");
    assert_eq!(row.date, "2026-11-21");
    assert!(row.what.starts_with("B 家庭暴力现象"), "{}", row.what);
    assert!(!row.what.contains("林梓村3组"));
    assert_eq!(row.badge, Some(("level-red".into(), "红".into())));
}

#[wasm_bindgen_test]
fn the_list_asks_only_for_filters_the_kind_has() {
    let f = Filters {
        unit: "rugao/baipu/linzi".into(),
        from: "2026-01-01".into(),
        category: "B".into(),
        level: "red".into(),
        status: "open".into(),
        ..Filters::default()
    };
    assert_eq!(
        list_url(FormKind::Visit, &f),
        "/api/visits?unit=rugao%2Fbaipu%2Flinzi&from=2026-01-01&category=B&status=open&level=red&limit=200"
    );
    // A meeting has no category, status or level: left out rather than refused by the server.
    assert_eq!(
        list_url(FormKind::Meeting, &f),
        "/api/meetings?unit=rugao%2Fbaipu%2Flinzi&from=2026-01-01&limit=200"
    );
}
