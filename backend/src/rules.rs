//! 规则表: the tables that change every year — the working-day calendar (工作日历), the town
//! rubric (考核细则) and the monthly council themes (月月谈主题) — published as data, versioned
//! and audited. The files built into `shared` are the defaults until a year is published; every
//! check of a table is `shared`'s, run on the way in.
//!
//! Storage: `rule_tables` (migration 4), one row per published version, never changed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;
use shared::calendar::{WorkCalendar, YearTable};
use shared::rubric::Rubric;
use shared::themes::ThemeTable;
use shared::{FieldError, Problem, ValidationErrors};

use crate::auth::User;
use crate::error::ApiError;

/// Which table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// 工作日历: one year's holidays and make-up working days.
    Calendar,
    /// 考核细则: one year's town assessment rubric.
    Rubric,
    /// 月月谈主题: one year's council themes per month.
    Themes,
}

impl TableKind {
    pub const ALL: [TableKind; 3] = [TableKind::Calendar, TableKind::Rubric, TableKind::Themes];

    /// Stored name and audit `kind`.
    pub fn code(self) -> &'static str {
        match self {
            TableKind::Calendar => "calendar",
            TableKind::Rubric => "rubric",
            TableKind::Themes => "themes",
        }
    }

    /// URL segment under `/api/`.
    pub fn path(self) -> &'static str {
        match self {
            TableKind::Calendar => "calendars",
            TableKind::Rubric => "rubrics",
            TableKind::Themes => "themes",
        }
    }

    fn parse_code(code: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A checked table.
#[derive(Clone, Debug, PartialEq)]
pub enum Table {
    Calendar(YearTable),
    Rubric(Rubric),
    Themes(ThemeTable),
}

impl Table {
    /// Reads and checks a table of `kind` with `shared`'s rules. `year` is the year in the
    /// address: the table's own year must be it (themes without a year take it).
    pub fn parse(
        kind: TableKind,
        json: &str,
        year: Option<u16>,
    ) -> Result<Table, ValidationErrors> {
        let table = match kind {
            TableKind::Calendar => Table::Calendar(YearTable::from_json(json)?),
            TableKind::Rubric => Table::Rubric(Rubric::parse_json(json)?),
            TableKind::Themes => {
                let mut t = ThemeTable::parse_json(json)?;
                if t.year.is_none() {
                    t.year = year;
                }
                Table::Themes(t)
            }
        };
        match (year, table.year()) {
            (Some(want), Some(got)) if want != got => Err(ValidationErrors(vec![FieldError::new(
                "year",
                ("年份", "Year"),
                Problem::WrongYear { year: want.into() },
            )])),
            (_, None) => Err(ValidationErrors(vec![FieldError::new(
                "year",
                ("年份", "Year"),
                Problem::Required,
            )])),
            _ => Ok(table),
        }
    }

    /// The kind of a file by its shape: a rubric has `categories`, a theme table `months`,
    /// anything else is read as a calendar (and refused by its checks if it is not one).
    pub fn detect(json: &str) -> TableKind {
        let v: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        if v.get("categories").is_some() {
            TableKind::Rubric
        } else if v.get("months").is_some() {
            TableKind::Themes
        } else {
            TableKind::Calendar
        }
    }

    pub fn kind(&self) -> TableKind {
        match self {
            Table::Calendar(_) => TableKind::Calendar,
            Table::Rubric(_) => TableKind::Rubric,
            Table::Themes(_) => TableKind::Themes,
        }
    }

    pub fn year(&self) -> Option<u16> {
        match self {
            Table::Calendar(t) => u16::try_from(t.year).ok(),
            Table::Rubric(r) => Some(r.year),
            Table::Themes(t) => t.year,
        }
    }

    /// The table in the shape of its file.
    pub fn to_value(&self) -> Value {
        match self {
            Table::Calendar(t) => serde_json::to_value(t),
            Table::Rubric(r) => serde_json::to_value(r),
            Table::Themes(t) => serde_json::to_value(t),
        }
        .expect("a table always serialises")
    }
}

/// The tables in force: the built-in files, each year replaced by its latest published version.
#[derive(Clone, Debug)]
pub struct Rules {
    pub calendar: WorkCalendar,
    /// By year.
    rubrics: BTreeMap<u16, Rubric>,
    /// By year; the built-in table (for no year in particular) is `builtin_themes`.
    themes: BTreeMap<u16, ThemeTable>,
    builtin_themes: ThemeTable,
}

impl Rules {
    /// Only what is built in.
    pub fn builtin() -> Rules {
        let rubric = Rubric::builtin().clone();
        Rules {
            calendar: WorkCalendar::builtin(),
            rubrics: BTreeMap::from([(rubric.year, rubric)]),
            themes: BTreeMap::new(),
            builtin_themes: ThemeTable::builtin(),
        }
    }

    /// [`Rules::builtin`], made once: for form kinds that use no rule table.
    pub fn shared_builtin() -> Arc<Rules> {
        static BUILTIN: std::sync::OnceLock<Arc<Rules>> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| Arc::new(Rules::builtin())).clone()
    }

    fn with(mut self, table: Table) -> Result<Rules, ValidationErrors> {
        match table {
            Table::Calendar(t) => self.calendar = self.calendar.with_year(t)?,
            Table::Rubric(r) => {
                self.rubrics.insert(r.year, r);
            }
            Table::Themes(t) => {
                if let Some(y) = t.year {
                    self.themes.insert(y, t);
                }
            }
        }
        Ok(self)
    }

    /// The rubric made for `year`, if there is one.
    pub fn rubric_of(&self, year: u16) -> Option<&Rubric> {
        self.rubrics.get(&year)
    }

    /// The rubric an assessment of `year` is filled against: its own, else the newest before
    /// it (the caller says so), else the oldest there is (which will refuse the year).
    pub fn rubric_in_force(&self, year: u16) -> &Rubric {
        shared::rubric::year_in_force(self.rubrics.keys().copied(), year)
            .and_then(|y| self.rubrics.get(&y))
            .expect("the built-in rubric is always there")
    }

    /// The themes of `year`: its own, else the newest before it, else the built-in table.
    pub fn themes_in_force(&self, year: u16) -> &ThemeTable {
        shared::themes::year_in_force(self.themes.keys().copied(), year)
            .and_then(|y| self.themes.get(&y))
            .unwrap_or(&self.builtin_themes)
    }

    /// The built-in table of `kind` for `year`, if one is built in.
    pub fn builtin_table(kind: TableKind, year: u16) -> Option<Table> {
        match kind {
            TableKind::Calendar => WorkCalendar::builtin()
                .table(year.into())
                .cloned()
                .map(Table::Calendar),
            TableKind::Rubric => {
                let r = Rubric::builtin();
                (r.year == year).then(|| Table::Rubric(r.clone()))
            }
            TableKind::Themes => None,
        }
    }

    /// Every built-in table with a year.
    pub fn builtin_tables() -> Vec<Table> {
        let mut out: Vec<Table> = WorkCalendar::builtin()
            .years()
            .filter_map(|y| u16::try_from(y).ok())
            .filter_map(|y| Self::builtin_table(TableKind::Calendar, y))
            .collect();
        out.push(Table::Rubric(Rubric::builtin().clone()));
        out
    }
}

/// One published version, as the API shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Published {
    pub kind: TableKind,
    /// The year the table was asked for.
    pub year: u16,
    /// The year the table was made for: `year`, or an earlier one in force because `year` has
    /// none of its own (rubric and themes only).
    pub table_year: Option<u16>,
    /// 0 for a built-in table never published.
    pub version: i64,
    pub builtin: bool,
    pub published_at: Option<String>,
    pub published_by: Option<String>,
    pub reason: Option<String>,
    /// The table in the shape of its file.
    pub table: Value,
}

impl Published {
    fn builtin(table: &Table, year: u16) -> Published {
        Published {
            kind: table.kind(),
            year,
            table_year: table.year(),
            version: 0,
            builtin: true,
            published_at: None,
            published_by: None,
            reason: None,
            table: table.to_value(),
        }
    }
}

type Row = (String, i64, i64, String, String, Option<String>, String);

const SELECT: &str =
    "SELECT t.kind, t.year, t.version, t.body, t.published_at, u.username, t.reason
     FROM rule_tables t LEFT JOIN users u ON u.id = t.author";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn published((kind, year, version, body, at, by, reason): Row) -> Result<Published, ApiError> {
    let kind = TableKind::parse_code(&kind).ok_or_else(|| ApiError::internal("bad rule kind"))?;
    let year = u16::try_from(year).map_err(ApiError::internal)?;
    Ok(Published {
        kind,
        year,
        table_year: Some(year),
        version,
        builtin: false,
        published_at: Some(at),
        published_by: by,
        reason: Some(reason),
        table: serde_json::from_str(&body)?,
    })
}

/// The latest published version of every (kind, year), by kind and year.
pub fn latest(conn: &Connection) -> Result<Vec<Published>, ApiError> {
    let sql = format!(
        "{SELECT} WHERE t.version = (SELECT max(version) FROM rule_tables m
             WHERE m.kind = t.kind AND m.year = t.year)
         ORDER BY t.kind, t.year"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], row)?;
    rows.map(|r| published(r?)).collect()
}

/// Every table of `kind` in force, by year: the built-in ones (as version 0) each replaced by
/// the latest published version of its year, and the published years besides. `published`:
/// what [`latest`] read. (`GET /api/calendars` and the like, and the sync feed's reference.)
pub fn listed(kind: TableKind, published: Vec<Published>) -> Vec<Published> {
    let mut by_year: BTreeMap<u16, Published> = Rules::builtin_tables()
        .into_iter()
        .filter(|t| t.kind() == kind)
        .filter_map(|t| Some((t.year()?, Published::builtin(&t, t.year()?))))
        .collect();
    by_year.extend(
        published
            .into_iter()
            .filter(|p| p.kind == kind)
            .map(|p| (p.year, p)),
    );
    by_year.into_values().collect()
}

/// Every published version of one table, oldest first.
pub fn versions(conn: &Connection, kind: TableKind, year: u16) -> Result<Vec<Published>, ApiError> {
    let sql = format!("{SELECT} WHERE t.kind = ?1 AND t.year = ?2 ORDER BY t.version");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![kind.code(), year], row)?;
    rows.map(|r| published(r?)).collect()
}

/// A table as published or built in, for reading: the latest published version of `year`, else
/// the built-in one; for rubric and themes, else the one in force (`table_year` says which).
pub fn in_force(
    conn: &Connection,
    kind: TableKind,
    year: u16,
) -> Result<Option<Published>, ApiError> {
    if let Some(p) = versions(conn, kind, year)?.pop() {
        return Ok(Some(p));
    }
    if let Some(t) = Rules::builtin_table(kind, year) {
        return Ok(Some(Published::builtin(&t, year)));
    }
    let rules = load(conn)?;
    let fallback = match kind {
        TableKind::Calendar => None,
        TableKind::Rubric => {
            let r = rules.rubric_in_force(year);
            (r.year <= year).then(|| Table::Rubric(r.clone()))
        }
        TableKind::Themes => Some(Table::Themes(rules.themes_in_force(year).clone())),
    };
    let Some(table) = fallback else {
        return Ok(None);
    };
    // The one in force may itself be published: show its version.
    if let Some(made_for) = table.year()
        && let Some(mut p) = versions(conn, kind, made_for)?.pop()
    {
        p.year = year;
        return Ok(Some(p));
    }
    Ok(Some(Published::builtin(&table, year)))
}

/// The tables in force, read from `conn`.
pub fn load(conn: &Connection) -> Result<Rules, ApiError> {
    let mut rules = Rules::builtin();
    for p in latest(conn)? {
        let json = p.table.to_string();
        // Checked when published; a row that no longer passes (rules tightened since) is a
        // server fault, not something to guess around.
        let table = Table::parse(p.kind, &json, Some(p.year)).map_err(ApiError::internal)?;
        rules = rules.with(table).map_err(ApiError::internal)?;
    }
    Ok(rules)
}

/// The rules of the last [`cached`] call with the table generation they were read at.
#[derive(Clone, Default)]
pub struct Cache(Arc<Mutex<Option<Snapshot>>>);

/// The database file, its table generation (`max(rowid)` of `rule_tables`) and what was read.
type Snapshot = (PathBuf, i64, Arc<Rules>);

/// The tables in force, read again only when a version was published since (by the API or the
/// CLI, which writes the file directly).
pub fn cached(
    conn: &Connection,
    path: &std::path::Path,
    cache: &Cache,
) -> Result<Arc<Rules>, ApiError> {
    let generation: i64 =
        conn.query_row("SELECT coalesce(max(rowid), 0) FROM rule_tables", [], |r| {
            r.get(0)
        })?;
    let mut slot = cache.0.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((p, g, rules)) = slot.as_ref()
        && p == path
        && *g == generation
    {
        return Ok(rules.clone());
    }
    let rules = Arc::new(load(conn)?);
    *slot = Some((path.to_owned(), generation, rules.clone()));
    Ok(rules)
}

/// What publishing did.
#[derive(Debug, Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub published: Published,
    /// `false` when the table equals the latest version: no new version was made.
    pub changed: bool,
}

/// Publishes `table` as the next version of its year, in the caller's transaction, and
/// audits it. `user` is `None` for the CLI. A table equal to the latest version makes none.
pub fn publish(
    conn: &Connection,
    table: &Table,
    user: Option<&User>,
    reason: &str,
    at: &str,
) -> Result<Outcome, ApiError> {
    let kind = table.kind();
    let year = table
        .year()
        .ok_or_else(|| ApiError::internal("a table without a year"))?;
    let body = table.to_value().to_string();
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT version, body FROM rule_tables WHERE kind = ?1 AND year = ?2
             ORDER BY version DESC LIMIT 1",
            params![kind.code(), year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((version, stored)) = &last
        && *stored == body
    {
        let p = versions(conn, kind, year)?
            .pop()
            .filter(|p| p.version == *version)
            .ok_or_else(|| ApiError::internal("the latest version vanished"))?;
        return Ok(Outcome {
            published: p,
            changed: false,
        });
    }
    let version = last.map_or(1, |(v, _)| v + 1);
    conn.execute(
        "INSERT INTO rule_tables (kind, year, version, body, author, published_at, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            kind.code(),
            year,
            version,
            body,
            user.map(|u| u.id),
            at,
            reason
        ],
    )?;
    crate::audit::append(
        conn,
        at,
        user,
        "publish",
        Some(kind.code()),
        Some(&year.to_string()),
        Some(&format!("version {version}: {reason}")),
    )?;
    Ok(Outcome {
        published: Published {
            kind,
            year,
            table_year: Some(year),
            version,
            builtin: false,
            published_at: Some(at.to_owned()),
            published_by: user.map(|u| u.username.clone()),
            reason: Some(reason.to_owned()),
            table: table.to_value(),
        },
        changed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rubric_in_force_is_the_newest_not_after_the_year() {
        let rules = Rules::builtin();
        assert_eq!(rules.rubric_in_force(2026).year, 2018);
        assert_eq!(rules.rubric_in_force(2018).year, 2018);
        // Before any rubric: the oldest, which refuses the year when an assessment is parsed.
        assert_eq!(rules.rubric_in_force(2010).year, 2018);
        assert!(rules.rubric_of(2026).is_none());
    }

    #[test]
    fn a_file_is_told_by_its_shape() {
        assert_eq!(
            Table::detect(shared::rubric::RUBRIC_2018_JSON),
            TableKind::Rubric
        );
        assert_eq!(Table::detect(r#"{"months":{}}"#), TableKind::Themes);
        assert_eq!(Table::detect(r#"{"year":2027}"#), TableKind::Calendar);
    }

    #[test]
    fn a_table_for_another_year_than_the_address_is_refused() {
        let e = Table::parse(TableKind::Calendar, r#"{"year":2027}"#, Some(2028)).unwrap_err();
        assert_eq!(e.0[0].field, "year");
        let e = Table::parse(TableKind::Themes, r#"{"months":{"1":["x"]}}"#, None).unwrap_err();
        assert_eq!(e.0[0].problem, Problem::Required);
    }
}
