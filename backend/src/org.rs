//! 组织: city → town → village. A unit's id is its path (`rugao/baipu/linzi`), so "this unit
//! and every unit below it" is a prefix test, in Rust and in SQL alike.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// 层级.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 市.
    City,
    /// 镇（区、街道）.
    Town,
    /// 村（社区）.
    Village,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Level::City => "city",
            Level::Town => "town",
            Level::Village => "village",
        }
    }

    pub fn parse(code: &str) -> Option<Level> {
        [Level::City, Level::Town, Level::Village]
            .into_iter()
            .find(|l| l.code() == code)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Level::City => ("市", "city"),
            Level::Town => ("镇（区、街道）", "town"),
            Level::Village => ("村（社区）", "village"),
        }
    }
}

/// 组织单位.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: String,
    pub name: String,
    pub level: Level,
    pub parent: Option<String>,
}

/// Whether `unit` is `scope` or lies below it.
pub fn covers(scope: &str, unit: &str) -> bool {
    unit == scope || (unit.starts_with(scope) && unit[scope.len()..].starts_with('/'))
}

/// SQL for "column is the scope or below it", with the scope bound twice as `?N`, `?N+1`.
pub fn sql_within(column: &str, n: usize) -> String {
    format!("({column} = ?{n} OR {column} LIKE ?{} ESCAPE '\\')", n + 1)
}

/// The LIKE pattern for units strictly below `scope`.
pub fn below_pattern(scope: &str) -> String {
    let escaped = scope
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("{escaped}/%")
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<OrgUnit>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT id, name, level, parent FROM org_units WHERE id = ?1")?
        .query_row([id], row)
        .optional()?)
}

/// Every unit within `scope`, parents before children.
pub fn within(conn: &Connection, scope: &str) -> Result<Vec<OrgUnit>, ApiError> {
    let sql = format!(
        "SELECT id, name, level, parent FROM org_units WHERE {} ORDER BY id",
        sql_within("id", 1)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![scope, below_pattern(scope)], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OrgUnit> {
    let level: String = r.get(2)?;
    Ok(OrgUnit {
        id: r.get(0)?,
        name: r.get(1)?,
        level: Level::parse(&level).unwrap_or(Level::Village),
        parent: r.get(3)?,
    })
}

/// Why a unit cannot be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUnitError {
    #[error("单位编号只能由小写字母、数字、连字符和“/”组成：{0}")]
    BadId(String),
    #[error("上级单位 {0} 不存在")]
    NoParent(String),
    #[error("层级不对：{child} 应在 {parent} 之下一级")]
    WrongLevel { parent: String, child: String },
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

/// Adds a unit; its parent is the path without its last part and must be one level up.
pub fn add(conn: &Connection, id: &str, name: &str, level: Level) -> Result<(), AddUnitError> {
    let ok_part = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !id.split('/').all(ok_part) {
        return Err(AddUnitError::BadId(id.to_owned()));
    }
    let parent = id.rsplit_once('/').map(|(p, _)| p.to_owned());
    let expected_parent_level = match level {
        Level::City => None,
        Level::Town => Some(Level::City),
        Level::Village => Some(Level::Town),
    };
    match (&parent, expected_parent_level) {
        (None, None) => {}
        (Some(p), Some(want)) => {
            let found: Option<String> = conn
                .query_row("SELECT level FROM org_units WHERE id = ?1", [p], |r| {
                    r.get(0)
                })
                .optional()?;
            match found.as_deref().and_then(Level::parse) {
                None => return Err(AddUnitError::NoParent(p.clone())),
                Some(l) if l != want => {
                    return Err(AddUnitError::WrongLevel {
                        parent: p.clone(),
                        child: id.to_owned(),
                    });
                }
                Some(_) => {}
            }
        }
        _ => {
            return Err(AddUnitError::WrongLevel {
                parent: parent.unwrap_or_default(),
                child: id.to_owned(),
            });
        }
    }
    conn.execute(
        "INSERT INTO org_units (id, name, level, parent) VALUES (?1, ?2, ?3, ?4)",
        params![id, name, level.code(), parent],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_covers_itself_and_what_lies_below() {
        assert!(covers("rugao/baipu", "rugao/baipu"));
        assert!(covers("rugao/baipu", "rugao/baipu/linzi"));
        assert!(!covers("rugao/baipu", "rugao/baipuxi"));
        assert!(!covers("rugao/baipu", "rugao"));
        assert!(!covers("rugao/baipu/linzi", "rugao/baipu"));
        assert!(covers("rugao", "rugao/changjiang/x"));
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(below_pattern("a_b"), "a\\_b/%");
    }
}
