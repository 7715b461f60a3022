//! CSV and XLSX exports: the registers laid out like the paper forms of 000 (附件2, 附件3), the
//! monthly reports, and a year's town assessment results.
//!
//! Each export is one [`Table`]: columns (some under a group heading, as on the paper form) and
//! rows of cells. `csv` writes it with a UTF-8 BOM, so that Excel reads the Chinese, and the
//! grouped headings flattened into one header row (`妇女-贫困`); `rust_xlsxwriter` writes it as
//! a workbook whose two header rows merge the group headings as the paper form does. Exporting
//! B and C visit records is audited, like reading them.

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use shared::Lang;
use shared::monthly::ReportingRules;
use shared::rubric::{Rubric, Score};

use super::views::{self, Params, received_on, unit_names};
use crate::AppState;
use crate::auth::{CurrentUser, User};
use crate::error::ApiError;
use crate::forms::kinds::*;
use crate::forms::store::{self, ListFilter};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/export/key-persons.csv",
            get(|s, u, q| key_persons(s, u, q, FileType::Csv)),
        )
        .route(
            "/export/key-persons.xlsx",
            get(|s, u, q| key_persons(s, u, q, FileType::Xlsx)),
        )
        .route(
            "/export/visits.csv",
            get(|s, u, q| visits(s, u, q, FileType::Csv)),
        )
        .route(
            "/export/visits.xlsx",
            get(|s, u, q| visits(s, u, q, FileType::Xlsx)),
        )
        .route(
            "/export/monthly-reports.csv",
            get(|s, u, q| monthly_reports(s, u, q, FileType::Csv)),
        )
        .route(
            "/export/monthly-reports.xlsx",
            get(|s, u, q| monthly_reports(s, u, q, FileType::Xlsx)),
        )
        .route(
            "/export/assessments.csv",
            get(|s, u, q| assessments(s, u, q, FileType::Csv)),
        )
        .route(
            "/export/assessments.xlsx",
            get(|s, u, q| assessments(s, u, q, FileType::Xlsx)),
        )
}

/// The file format asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileType {
    Csv,
    Xlsx,
}

impl FileType {
    fn extension(self) -> &'static str {
        match self {
            FileType::Csv => "csv",
            FileType::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            FileType::Csv => "text/csv; charset=utf-8",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

type Q = Query<HashMap<String, String>>;

// ---------------------------------------------------------------------------------------------
// The table and its two writers.

struct Column {
    /// The heading over several columns on the paper form (妇女, 儿童, 当事人详细信息).
    group: Option<&'static str>,
    name: String,
    /// Width in Excel character units.
    width: f64,
}

fn col(name: impl Into<String>, width: f64) -> Column {
    Column {
        group: None,
        name: name.into(),
        width,
    }
}

fn grouped(group: &'static str, name: &str, width: f64) -> Column {
    Column {
        group: Some(group),
        name: name.into(),
        width,
    }
}

enum Cell {
    Text(String),
    Int(i64),
    /// Points, written with two decimals.
    Score(Score),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn tick(b: bool) -> Cell {
    text(if b { "√" } else { "" })
}

fn opt<T: AsRef<str>>(v: &Option<T>) -> Cell {
    text(
        v.as_ref()
            .map(|t| t.as_ref().to_owned())
            .unwrap_or_default(),
    )
}

struct Table {
    /// Worksheet name: at most 31 characters, none of `[]:*?/\`.
    sheet: &'static str,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
}

/// Text that a spreadsheet would run as a formula is written with a leading apostrophe
/// (CSV only: XLSX cells are typed).
fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn to_csv(table: &Table) -> Result<Vec<u8>, ApiError> {
    let bom = "\u{feff}".as_bytes().to_vec();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(bom);
    let header = table.columns.iter().map(|c| match c.group {
        Some(g) => format!("{g}-{}", c.name),
        None => c.name.clone(),
    });
    w.write_record(header).map_err(ApiError::internal)?;
    for row in &table.rows {
        let cells = row.iter().map(|c| match c {
            Cell::Text(s) => defuse(s),
            Cell::Int(n) => n.to_string(),
            Cell::Score(s) => s.to_string(),
        });
        w.write_record(cells).map_err(ApiError::internal)?;
    }
    w.into_inner().map_err(ApiError::internal)
}

fn to_xlsx(table: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(table.sheet)?;
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let body = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let points = body.clone().set_num_format("0.00");
    let two_rows = table.columns.iter().any(|c| c.group.is_some());
    let mut c = 0;
    while c < table.columns.len() {
        let column = &table.columns[c];
        let at = c as u16;
        match column.group {
            None if two_rows => {
                sheet.merge_range(0, at, 1, at, &column.name, &head)?;
                c += 1;
            }
            None => {
                sheet.write_string_with_format(0, at, &column.name, &head)?;
                c += 1;
            }
            Some(group) => {
                let span = table.columns[c..]
                    .iter()
                    .take_while(|x| x.group == Some(group))
                    .count();
                let last = (c + span - 1) as u16;
                if span > 1 {
                    sheet.merge_range(0, at, 0, last, group, &head)?;
                } else {
                    sheet.write_string_with_format(0, at, group, &head)?;
                }
                for (i, x) in table.columns[c..c + span].iter().enumerate() {
                    sheet.write_string_with_format(1, at + i as u16, &x.name, &head)?;
                }
                c += span;
            }
        }
    }
    for (i, column) in table.columns.iter().enumerate() {
        sheet.set_column_width(i as u16, column.width)?;
    }
    let first = if two_rows { 2 } else { 1 };
    for (r, row) in table.rows.iter().enumerate() {
        let r = first + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => sheet.write_string_with_format(r, c, s, &body)?,
                Cell::Int(n) => sheet.write_number_with_format(r, c, *n as f64, &body)?,
                Cell::Score(s) => {
                    sheet.write_number_with_format(r, c, s.hundredths() as f64 / 100.0, &points)?
                }
            };
        }
    }
    sheet.set_freeze_panes(first, 0)?;
    book.save_to_buffer()
}

/// The file as a download. `name` is the ASCII file name; `title` the Chinese one that
/// browsers show (RFC 6266 `filename*`).
fn download(
    table: &Table,
    format: FileType,
    name: &str,
    title: &str,
) -> Result<Response, ApiError> {
    let bytes = match format {
        FileType::Csv => to_csv(table)?,
        FileType::Xlsx => to_xlsx(table).map_err(ApiError::internal)?,
    };
    let ext = format.extension();
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}.{ext}\"; filename*=UTF-8''{}.{ext}",
        utf8_percent_encode(title, NON_ALPHANUMERIC)
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
    );
    // Personal data: not to be kept by shared caches or the browser's.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The list filters (`unit`, `from`, `to`, `status`, `category`, `level`; `limit` when given),
/// every matching record otherwise.
fn export_filter(q: &HashMap<String, String>) -> Result<ListFilter, ApiError> {
    let mut filter = ListFilter::from_query(q)?;
    if !q.contains_key("limit") {
        filter.limit = u32::MAX;
    }
    Ok(filter)
}

/// What the file names say the export covers: the unit and today.
fn scope_names(
    state: &AppState,
    user: &User,
    filter: &ListFilter,
    names: &BTreeMap<String, String>,
) -> (String, String) {
    let unit = filter.unit.clone().unwrap_or_else(|| user.unit.clone());
    let name = names.get(&unit).cloned().unwrap_or_else(|| unit.clone());
    let today = state.today();
    (format!("{unit}_{today}"), format!("{name}_{today}"))
}

fn unit_cell(names: &BTreeMap<String, String>, unit: &str) -> Cell {
    text(names.get(unit).cloned().unwrap_or_else(|| unit.to_owned()))
}

// ---------------------------------------------------------------------------------------------
// The exports.

/// `GET /api/export/key-persons.{csv,xlsx}`: 需要重点关注的妇女儿童信息统计表 (000 附件2).
async fn key_persons(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Q,
    format: FileType,
) -> Result<Response, ApiError> {
    let filter = export_filter(&q)?;
    let mut rows = store::current::<KeyPersonKind>(&state, &user, &filter, Some("export")).await?;
    rows.sort_by(|a, b| {
        (&a.stored.unit, &a.first_received_at, a.record.id).cmp(&(
            &b.stored.unit,
            &b.first_received_at,
            b.record.id,
        ))
    });
    let names = unit_names(&state, &user).await?;
    let columns = vec![
        col("序号", 6.0),
        col("所属村（社区）", 12.0),
        col("姓名", 10.0),
        col("家庭住址", 24.0),
        col("联系电话", 15.0),
        grouped("妇女", "贫困", 6.0),
        grouped("妇女", "重残", 6.0),
        grouped("妇女", "单亲", 6.0),
        grouped("妇女", "其它", 12.0),
        grouped("儿童", "孤儿", 6.0),
        grouped("儿童", "困境", 6.0),
        grouped("儿童", "留守", 6.0),
        grouped("儿童", "其它", 12.0),
        col("关爱帮扶情况", 40.0),
    ];
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let p = &row.record;
            let care = p
                .care
                .iter()
                .map(|c| match &c.by {
                    Some(by) => format!("{} {}：{}", c.date, by.as_str(), c.content.as_str()),
                    None => format!("{} {}", c.date, c.content.as_str()),
                })
                .collect::<Vec<_>>()
                .join("\n");
            vec![
                Cell::Int(i as i64 + 1),
                unit_cell(&names, &row.stored.unit),
                text(p.name.as_str()),
                text(p.address.as_str()),
                text(p.phone.as_ref().map(|x| x.as_str()).unwrap_or_default()),
                tick(p.woman.poor),
                tick(p.woman.severe_disability),
                tick(p.woman.single_parent),
                opt(&p.woman.other.as_ref().map(|t| t.as_str())),
                tick(p.child.orphan),
                tick(p.child.in_hardship),
                tick(p.child.left_behind),
                opt(&p.child.other.as_ref().map(|t| t.as_str())),
                text(care),
            ]
        })
        .collect();
    let table = Table {
        sheet: "重点关注妇女儿童",
        columns,
        rows,
    };
    let (name, title) = scope_names(&state, &user, &filter, &names);
    download(
        &table,
        format,
        &format!("key-persons_{name}"),
        &format!("需要重点关注的妇女儿童信息统计表_{title}"),
    )
}

/// `GET /api/export/visits.{csv,xlsx}`: 排查登记表 (000 附件3), one row per record, with the
/// risk level as of today. Exporting B and C records is audited.
async fn visits(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Q,
    format: FileType,
) -> Result<Response, ApiError> {
    let filter = export_filter(&q)?;
    let mut rows = store::current::<Visit>(&state, &user, &filter, Some("export")).await?;
    rows.sort_by(|a, b| {
        (a.record.visit_date, &a.stored.unit, a.record.id).cmp(&(
            b.record.visit_date,
            &b.stored.unit,
            b.record.id,
        ))
    });
    let names = unit_names(&state, &user).await?;
    let today = state.today();
    let party = "当事人详细信息";
    let columns = vec![
        col("序号", 6.0),
        col("所属村（社区）", 12.0),
        grouped(party, "姓名", 10.0),
        grouped(party, "家庭住址", 20.0),
        grouped(party, "年龄", 6.0),
        grouped(party, "家庭角色", 8.0),
        grouped(party, "联系电话", 15.0),
        col("矛盾纠纷、隐患线索类别", 14.0),
        col("矛盾纠纷、隐患线索情况概述", 36.0),
        col("矛盾纠纷、隐患线索办理情况", 30.0),
        col("跟踪回访情况", 30.0),
        col("备注", 16.0),
        col("排查、走访人", 10.0),
        col("时间", 11.0),
        col("化解日期", 11.0),
        col("风险预警等级", 10.0),
    ];
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let v = &row.record;
            // One line per party, so the lines of the five party columns match.
            let parties = |f: &dyn Fn(&shared::visit::Party) -> String| {
                text(v.parties.iter().map(f).collect::<Vec<_>>().join("\n"))
            };
            let follow_ups = v
                .follow_ups
                .iter()
                .map(|f| {
                    let mut line = format!(
                        "{} {}（{}）",
                        f.date,
                        f.by.as_str(),
                        f.satisfaction.label(Lang::Zh)
                    );
                    if let Some(o) = &f.outcome {
                        line.push('：');
                        line.push_str(o.as_str());
                    }
                    line
                })
                .collect::<Vec<_>>()
                .join("\n");
            vec![
                Cell::Int(i as i64 + 1),
                unit_cell(&names, &row.stored.unit),
                parties(&|p| p.name.as_str().to_owned()),
                parties(&|p| {
                    p.address
                        .as_ref()
                        .map(|a| a.as_str().to_owned())
                        .unwrap_or_default()
                }),
                parties(&|p| p.age.map(|a| a.years().to_string()).unwrap_or_default()),
                parties(&|p| {
                    p.family_role
                        .as_ref()
                        .map(|a| a.as_str().to_owned())
                        .unwrap_or_default()
                }),
                parties(&|p| {
                    p.phone
                        .as_ref()
                        .map(|a| a.as_str().to_owned())
                        .unwrap_or_default()
                }),
                text(v.category.label(Lang::Zh)),
                text(v.summary.as_str()),
                opt(&v.handling.as_ref().map(|t| t.as_str())),
                text(follow_ups),
                opt(&v.remarks.as_ref().map(|t| t.as_str())),
                text(v.visitor.as_str()),
                text(v.visit_date.to_string()),
                text(v.resolved_on.map(|d| d.to_string()).unwrap_or_default()),
                text(v.assess(today).level.label(Lang::Zh)),
            ]
        })
        .collect();
    let table = Table {
        sheet: "排查登记表",
        columns,
        rows,
    };
    let (name, title) = scope_names(&state, &user, &filter, &names);
    download(
        &table,
        format,
        &format!("visits_{name}"),
        &format!("家家访月月谈排查登记表_{title}"),
    )
}

/// `GET /api/export/monthly-reports.{csv,xlsx}`: 月报, by month then village, with the day each
/// was first received and whether that was on time.
async fn monthly_reports(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Q,
    format: FileType,
) -> Result<Response, ApiError> {
    let filter = export_filter(&q)?;
    let mut rows = store::current::<MonthlyKind>(&state, &user, &filter, Some("export")).await?;
    rows.sort_by(|a, b| {
        (a.record.month, &a.stored.unit, &a.first_received_at).cmp(&(
            b.record.month,
            &b.stored.unit,
            &b.first_received_at,
        ))
    });
    let names = unit_names(&state, &user).await?;
    let rules = ReportingRules::default();
    let columns = vec![
        col("序号", 6.0),
        col("所属村（社区）", 12.0),
        col("报告月份", 10.0),
        col("零上报", 7.0),
        col("走访户数", 8.0),
        grouped("新发现", "A类 婚姻家庭纠纷", 10.0),
        grouped("新发现", "B类 家庭暴力", 10.0),
        grouped("新发现", "C类 未成年人性侵线索", 12.0),
        col("上月结转未化解", 10.0),
        col("本月化解", 8.0),
        col("召开议事会", 8.0),
        col("上报日期", 11.0),
        col("按时上报", 8.0),
    ];
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let r = &row.record;
        let received = received_on(&row.first_received_at)?;
        let yes_no = |b: bool| text(if b { "是" } else { "否" });
        out.push(vec![
            Cell::Int(i as i64 + 1),
            unit_cell(&names, &row.stored.unit),
            text(r.month.to_string()),
            yes_no(r.zero_report),
            Cell::Int(r.households_visited.into()),
            Cell::Int(r.new_items[0].into()),
            Cell::Int(r.new_items[1].into()),
            Cell::Int(r.new_items[2].into()),
            Cell::Int(r.carried_over.into()),
            Cell::Int(r.resolved.into()),
            yes_no(r.meeting_held),
            text(received.to_string()),
            text(if received <= rules.due_date(r.month) {
                "按时"
            } else {
                "迟报"
            }),
        ]);
    }
    let table = Table {
        sheet: "月报",
        columns,
        rows: out,
    };
    let (name, title) = scope_names(&state, &user, &filter, &names);
    download(
        &table,
        format,
        &format!("monthly-reports_{name}"),
        &format!("月报_{title}"),
    )
}

/// `GET /api/export/assessments.{csv,xlsx}?year=`: a year's town assessment results, by rank;
/// scoped as the ranking view (a town gets its own row, a village 404).
async fn assessments(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Q,
    format: FileType,
) -> Result<Response, ApiError> {
    let mut p = Params::new(q, &["year"]);
    let year = p.parse("year", ("考核年度", "Year"), views::parse_year);
    p.finish()?;
    let ranking = views::ranking(&state, &user, year).await?;
    let rubric = Rubric::builtin();
    let mut columns = vec![col("镇（区、街道）", 14.0)];
    columns.extend(rubric.categories.iter().map(|c| col(&c.name, 10.0)));
    columns.extend([
        col("基本分", 9.0),
        col("加分（封顶前）", 9.0),
        col("加分", 8.0),
        col("原始总分", 9.0),
        col("折算得分", 9.0),
        col("排名", 6.0),
    ]);
    let rows = ranking
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![text(if r.town_name.is_empty() {
                r.town.clone()
            } else {
                r.town_name.clone()
            })];
            cells.extend(rubric.categories.iter().map(|c| {
                r.score
                    .categories
                    .iter()
                    .find(|s| s.id == c.id)
                    .map_or(text(""), |s| Cell::Score(s.score))
            }));
            cells.extend([
                Cell::Score(r.score.base),
                Cell::Score(r.score.bonus_raw),
                Cell::Score(r.score.bonus),
                Cell::Score(r.raw),
                Cell::Score(r.normalised),
                Cell::Int(r.rank.into()),
            ]);
            cells
        })
        .collect();
    let table = Table {
        sheet: "年度考核",
        columns,
        rows,
    };
    let year = ranking.year.map(|y| y.to_string()).unwrap_or_default();
    download(
        &table,
        format,
        &format!("assessments_{year}"),
        &format!("镇（区、街道）年度考核结果_{year}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_in_csv_only_for_text() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-1+2"), "'-1+2");
        assert_eq!(defuse("王芳"), "王芳");
        let table = Table {
            sheet: "t",
            columns: vec![col("a", 1.0), col("b", 1.0)],
            rows: vec![vec![text("=1+1"), Cell::Int(-3)]],
        };
        let bytes = to_csv(&table).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}a,b\r\n'=1+1,-3\r\n"
        );
    }
}
