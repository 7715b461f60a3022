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
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use shared::monthly::{ReportingRules, YearMonth};
use shared::rubric::Score;
use shared::stats::{Period, TownStatistics};
use shared::{Lang, Problem};

use super::views::{self, Params, received_on, unit_names};
use crate::AppState;
use crate::auth::{CurrentUser, User};
use crate::error::ApiError;
use crate::forms::FormKind;
use crate::forms::kinds::*;
use crate::forms::store::{self, ListFilter};

pub fn routes() -> Router<AppState> {
    Router::new().route("/export/{file}", get(export))
}

/// `GET /api/export/{name}.{csv|xlsx}`: every export in both formats; an unknown name or
/// extension is 404.
async fn export(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (name, ext) = file.rsplit_once('.').ok_or(ApiError::NotFound)?;
    let format = match ext {
        "csv" => FileType::Csv,
        "xlsx" => FileType::Xlsx,
        _ => return Err(ApiError::NotFound),
    };
    let (state, user) = (&state, &user);
    match name {
        "key-persons" => key_persons(state, user, q, format).await,
        "visits" => visits(state, user, q, format).await,
        "monthly-reports" => monthly_reports(state, user, q, format).await,
        "assessments" => assessments(state, user, q, format).await,
        "warnings" => warnings(state, user, q, format).await,
        "rights-cases-due" => cases_due(state, user, q, format).await,
        "completeness" => completeness(state, user, q, format).await,
        "statistics" => statistics(state, user, q, format).await,
        _ => Err(ApiError::NotFound),
    }
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
/// (CSV only: XLSX cells are typed). Control characters other than line breaks and tabs
/// (refused in input since issue #14, but possibly stored before) are left out.
fn defuse(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

fn to_csv(table: &Table) -> Result<Vec<u8>, ApiError> {
    let bom = "\u{feff}".as_bytes().to_vec();
    // Every cell quoted: a cell quoted only when it holds a comma is split again by a
    // spreadsheet whose list separator is `;`, and a formula after the `;` would run.
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
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
fn export_filter<K: FormKind>(q: &HashMap<String, String>) -> Result<ListFilter, ApiError> {
    let mut filter = ListFilter::from_query::<K>(q)?;
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
    let unit = filter.unit.as_deref().unwrap_or(&user.unit);
    view_names(names, unit, state.today())
}

fn unit_cell(names: &BTreeMap<String, String>, unit: &str) -> Cell {
    text(names.get(unit).cloned().unwrap_or_else(|| unit.to_owned()))
}

// ---------------------------------------------------------------------------------------------
// The exports.

/// `GET /api/export/key-persons.{csv,xlsx}`: 需要重点关注的妇女儿童信息统计表 (000 附件2).
async fn key_persons(
    state: &AppState,
    user: &User,
    q: HashMap<String, String>,
    format: FileType,
) -> Result<Response, ApiError> {
    let filter = export_filter::<KeyPersonKind>(&q)?;
    let mut rows = store::current::<KeyPersonKind>(state, user, &filter, Some("export")).await?;
    rows.sort_by(|a, b| {
        (&a.stored.unit, &a.first_received_at, a.record.id).cmp(&(
            &b.stored.unit,
            &b.first_received_at,
            b.record.id,
        ))
    });
    let names = unit_names(state, user).await?;
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
    let (name, title) = scope_names(state, user, &filter, &names);
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
    state: &AppState,
    user: &User,
    q: HashMap<String, String>,
    format: FileType,
) -> Result<Response, ApiError> {
    let filter = export_filter::<Visit>(&q)?;
    let mut rows = store::current::<Visit>(state, user, &filter, Some("export")).await?;
    rows.sort_by(|a, b| {
        (a.record.visit_date, &a.stored.unit, a.record.id).cmp(&(
            b.record.visit_date,
            &b.stored.unit,
            b.record.id,
        ))
    });
    let names = unit_names(state, user).await?;
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
    let (name, title) = scope_names(state, user, &filter, &names);
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
    state: &AppState,
    user: &User,
    q: HashMap<String, String>,
    format: FileType,
) -> Result<Response, ApiError> {
    let filter = export_filter::<MonthlyKind>(&q)?;
    let mut rows = store::current::<MonthlyKind>(state, user, &filter, Some("export")).await?;
    rows.sort_by(|a, b| {
        (a.record.month, &a.stored.unit, &a.first_received_at).cmp(&(
            b.record.month,
            &b.stored.unit,
            &b.first_received_at,
        ))
    });
    let names = unit_names(state, user).await?;
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
    let (name, title) = scope_names(state, user, &filter, &names);
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
    state: &AppState,
    user: &User,
    q: HashMap<String, String>,
    format: FileType,
) -> Result<Response, ApiError> {
    let mut p = Params::new(q, &["year"]);
    let year = p.parse("year", ("考核年度", "Year"), views::parse_year);
    p.finish()?;
    let ranking = views::ranking(state, user, year).await?;
    let rules = state.rules().await?;
    let rubric = rules.rubric_in_force(ranking.year.unwrap_or_default());
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

// ---------------------------------------------------------------------------------------------
// The dashboard's tables: the same rows as the page, in the language the page was in.

/// Takes `lang` (`zh`, the default, or `en`) out of the query.
fn take_lang(q: &mut HashMap<String, String>) -> Result<Lang, ApiError> {
    match q.remove("lang").as_deref().map(str::trim) {
        None | Some("" | "zh" | "zh-CN") => Ok(Lang::Zh),
        Some("en") => Ok(Lang::En),
        Some(_) => Err(ApiError::field(
            "lang",
            ("语言", "Language"),
            Problem::UnknownChoice,
        )),
    }
}

/// A unit's name; a village's under its town's when the export covers a whole city.
fn unit_label(names: &BTreeMap<String, String>, id: &str, city_wide: bool) -> String {
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    match id.match_indices('/').nth(1) {
        Some((town_end, _)) if city_wide => format!("{} · {}", name(&id[..town_end]), name(id)),
        _ => name(id),
    }
}

/// `GET /api/export/warnings.{csv,xlsx}?unit=&severity=&lang=`: the open warnings, as the
/// dashboard lists them.
async fn warnings(
    state: &AppState,
    user: &User,
    mut q: HashMap<String, String>,
    format: FileType,
) -> Result<Response, ApiError> {
    let lang = take_lang(&mut q)?;
    let view = views::warnings_of(state, user, views::WarningsQuery::parse(q)?).await?;
    let names = unit_names(state, user).await?;
    let city_wide = !view.unit.contains('/');
    let l = |zh, en| lang.pick(zh, en);
    let table = Table {
        sheet: l("预警", "Warnings"),
        columns: vec![
            col(l("序号", "No."), 6.0),
            col(l("严重程度", "Severity"), 9.0),
            col(l("单位", "Unit"), 18.0),
            col(l("预警类型", "Kind"), 16.0),
            col(l("预警内容", "Warning"), 60.0),
            col(l("记录编号", "Record id"), 38.0),
        ],
        rows: view
            .warnings
            .iter()
            .enumerate()
            .map(|(i, w)| {
                vec![
                    Cell::Int(i as i64 + 1),
                    text(w.warning.severity.label(lang)),
                    text(unit_label(&names, &w.unit, city_wide)),
                    text(w.warning.code.label(lang)),
                    text(w.warning.message(lang)),
                    text(w.record.as_ref().map(|r| r.id.as_str()).unwrap_or_default()),
                ]
            })
            .collect(),
    };
    let (name, title) = view_names(&names, &view.unit, view.as_of);
    download(
        &table,
        format,
        &format!("warnings_{name}"),
        &format!("{}_{title}", l("预警", "warnings")),
    )
}

/// `GET /api/export/rights-cases-due.{csv,xlsx}?unit=&lang=`: rights cases overdue or due
/// within two working days (the `case.overdue` and `case.due_soon` warnings).
async fn cases_due(
    state: &AppState,
    user: &User,
    mut q: HashMap<String, String>,
    format: FileType,
) -> Result<Response, ApiError> {
    let lang = take_lang(&mut q)?;
    let p = Params::new(q, &["unit"]);
    let unit = p.text("unit");
    p.finish()?;
    let query = views::WarningsQuery { unit, min: None };
    let view = views::warnings_of(state, user, query).await?;
    let names = unit_names(state, user).await?;
    let city_wide = !view.unit.contains('/');
    let l = |zh, en| lang.pick(zh, en);
    let rows = view
        .warnings
        .iter()
        .filter(|w| matches!(w.warning.code.as_str(), "case.overdue" | "case.due_soon"))
        .enumerate()
        .map(|(i, w)| {
            let overdue = w.warning.code.as_str() == "case.overdue";
            vec![
                Cell::Int(i as i64 + 1),
                text(if overdue {
                    l("已逾期", "Overdue")
                } else {
                    l("将到期", "Due soon")
                }),
                text(unit_label(&names, &w.unit, city_wide)),
                text(w.warning.message(lang)),
                text(w.record.as_ref().map(|r| r.id.as_str()).unwrap_or_default()),
            ]
        })
        .collect();
    let table = Table {
        sheet: l("维权个案期限", "Case deadlines"),
        columns: vec![
            col(l("序号", "No."), 6.0),
            col(l("状态", "State"), 8.0),
            col(l("单位", "Unit"), 18.0),
            col(l("说明", "Detail"), 60.0),
            col(l("个案编号", "Case id"), 38.0),
        ],
        rows,
    };
    let (name, title) = view_names(&names, &view.unit, view.as_of);
    download(
        &table,
        format,
        &format!("rights-cases-due_{name}"),
        &format!("{}_{title}", l("维权个案到期", "rights-cases-due")),
    )
}

/// The most months one completeness export covers.
const MAX_MONTHS: i64 = 24;

/// `GET /api/export/completeness.{csv,xlsx}?town=&from=YYYY-MM&to=YYYY-MM&lang=`: villages ×
/// months as the dashboard's grid, with each town's on-time rate per month. Defaults: the
/// six months up to this one, every town in the user's units.
async fn completeness(
    state: &AppState,
    user: &User,
    mut q: HashMap<String, String>,
    format: FileType,
) -> Result<Response, ApiError> {
    let lang = take_lang(&mut q)?;
    let today = state.today();
    let mut p = Params::new(q, &["town", "from", "to"]);
    let to = p.parse("to", ("截止月份", "To month"), |raw| {
        views::parse_past_month(raw, today)
    });
    let from = p.parse("from", ("起始月份", "From month"), |raw| {
        views::parse_past_month(raw, today)
    });
    let to = to.unwrap_or(YearMonth::of(today));
    let from = from.unwrap_or_else(|| (1..6).fold(to, |m, _| m.previous()));
    let span = i64::from(to.year() - from.year()) * 12 + i64::from(to.month())
        - i64::from(from.month())
        + 1;
    if span < 1 {
        p.error(
            "to",
            ("截止月份", "To month"),
            Problem::TooEarly {
                earliest: from.to_string(),
            },
        );
    } else if span > MAX_MONTHS {
        p.error(
            "from",
            ("起始月份", "From month"),
            Problem::OutOfRange {
                min: 1,
                max: MAX_MONTHS,
            },
        );
    }
    let town = p.text("town");
    p.finish()?;
    let mut months = vec![from];
    while months.len() < span as usize {
        months.push(months[months.len() - 1].next());
    }
    let mut views = Vec::with_capacity(months.len());
    for month in &months {
        views.push(views::completeness_of(state, user, town.clone(), *month).await?);
    }
    let l = |zh, en| lang.pick(zh, en);
    let mut columns = vec![
        col(l("镇（街道）", "Town"), 14.0),
        col(l("村（社区）", "Village"), 14.0),
    ];
    columns.extend(
        months
            .iter()
            .map(|m| grouped(l("上报情况", "Reports"), &m.to_string(), 13.0)),
    );
    let mut rows = Vec::new();
    // Villages as of the last month (the grid's rows).
    let latest = views.last().expect("at least one month");
    for town in &latest.towns {
        for village in &town.villages {
            let mut row = vec![text(&town.town_name), text(&village.name)];
            row.extend(views.iter().map(|v| {
                let report = town_in(v, &town.town)
                    .and_then(|t| t.villages.iter().find(|r| r.unit == village.unit));
                text(report.map_or("—", |r| r.status.label(r.zero_report == Some(true), lang)))
            }));
            rows.push(row);
        }
        let mut rate = vec![text(&town.town_name), text(l("按时上报率", "On-time rate"))];
        rate.extend(views.iter().map(|v| {
            text(town_in(v, &town.town).map_or("—".to_owned(), |t| {
                let f = &t.figures;
                if f.expected > 0 && f.pending == f.expected {
                    l("未到期", "Not yet due").to_owned()
                } else {
                    format!("{}/{} {}", f.on_time, f.expected, t.rate_text)
                }
            }))
        }));
        rows.push(rate);
    }
    let table = Table {
        sheet: l("月报完整率", "Completeness"),
        columns,
        rows,
    };
    let names = unit_names(state, user).await?;
    let scope = town.as_deref().unwrap_or(&user.unit);
    let scope_name = names.get(scope).map_or(scope, String::as_str);
    download(
        &table,
        format,
        &format!("completeness_{scope}_{from}_{to}"),
        &format!(
            "{}_{scope_name}_{from}_{to}",
            l("月报上报完整率", "completeness")
        ),
    )
}

/// `GET /api/export/statistics.{csv,xlsx}?unit=&from=&to=&lang=`: the figures of SPEC §7
/// for each unit one level down, then the unit's own total.
async fn statistics(
    state: &AppState,
    user: &User,
    mut q: HashMap<String, String>,
    format: FileType,
) -> Result<Response, ApiError> {
    let lang = take_lang(&mut q)?;
    let query = views::StatisticsQuery::parse(q, state.today())?;
    let period = query.period;
    let view = views::statistics_of(state, user, query).await?;
    let l = |zh, en| lang.pick(zh, en);
    let mut columns = vec![col(l("单位", "Unit"), 16.0)];
    columns.extend(
        TownStatistics::FIGURES
            .iter()
            .map(|(_, zh, en)| col(l(zh, en), 10.0)),
    );
    let rows = view
        .parts
        .iter()
        .chain([&view.total])
        .map(|s| {
            let mut row = vec![text(&s.unit_name)];
            row.extend(s.figures.counts().map(|n| Cell::Int(n.into())));
            row.push(text(&s.resolution_rate_text));
            row
        })
        .collect();
    let table = Table {
        sheet: l("统计", "Statistics"),
        columns,
        rows,
    };
    let Period { from, to } = period;
    let unit = &view.total.unit;
    download(
        &table,
        format,
        &format!("statistics_{unit}_{from}_{to}"),
        &format!(
            "{}_{}_{from}_{to}",
            l("统计", "statistics"),
            view.total.unit_name
        ),
    )
}

fn town_in<'a>(
    view: &'a views::CompletenessView,
    town: &str,
) -> Option<&'a views::TownCompleteness> {
    view.towns.iter().find(|t| t.town == town)
}

/// File names for a view of `unit` as of `day`: the ASCII one and the titled one.
fn view_names(names: &BTreeMap<String, String>, unit: &str, day: NaiveDate) -> (String, String) {
    let name = names.get(unit).map_or(unit, String::as_str);
    (format!("{unit}_{day}"), format!("{name}_{day}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_in_csv_only_for_text() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-1+2"), "'-1+2");
        assert_eq!(defuse("王芳"), "王芳");
        assert_eq!(defuse("王\u{0}芳\u{1b}[0m"), "王芳[0m");
        // Issue #14: `x;=cmd…` went out unquoted, and a `;` spreadsheet read a formula cell.
        let table = Table {
            sheet: "t",
            columns: vec![col("a", 1.0), col("b", 1.0), col("c", 1.0)],
            rows: vec![vec![
                text("=1+1"),
                Cell::Int(-3),
                text("x;=cmd|' /C calc'!A0;"),
            ]],
        };
        let bytes = to_csv(&table).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}\"a\",\"b\",\"c\"\r\n\"'=1+1\",\"-3\",\"x;=cmd|' /C calc'!A0;\"\r\n"
        );
    }
}
