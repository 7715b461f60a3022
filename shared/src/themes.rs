//! 月月谈主题 (000 附件1): the council's theme for each month, as data.
//!
//! The source table has rows without a month; each belongs to the month above it, which gives
//! March two themes, April three, May two, June two and October two.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// 议事主题表: month (1–12) → themes, in the source's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeTable {
    /// The year the table is for; a published table always has one, the built-in 2020 table
    /// serves any year without its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Where the table comes from, for people editing it.
    #[serde(default)]
    pub source: String,
    pub months: BTreeMap<u32, Vec<String>>,
}

/// A theme table that cannot be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ThemeTableError {
    #[error("主题表不是有效的 JSON：{0}")]
    Json(String),
    #[error("月份 {0} 不在 1–12 之间")]
    BadMonth(u32),
    #[error("{0} 月有空主题")]
    EmptyTheme(u32),
}

const BUILTIN: &str = include_str!("../data/themes-2020.json");

/// The year whose published themes are in force in `year`: the newest of `published` not after
/// it (`None`: none is, and the built-in table stands). The server and the app both choose so.
pub fn year_in_force(published: impl IntoIterator<Item = u16>, year: u16) -> Option<u16> {
    published.into_iter().filter(|y| *y <= year).max()
}

impl ThemeTable {
    /// The 2020 table of 000 附件1, the default until a federation loads its own.
    pub fn builtin() -> ThemeTable {
        Self::from_json(BUILTIN).expect("the built-in theme table is valid")
    }

    /// Reads an edited table; every month key must be 1–12 and no theme empty.
    pub fn from_json(json: &str) -> Result<ThemeTable, ThemeTableError> {
        let table: ThemeTable =
            serde_json::from_str(json).map_err(|e| ThemeTableError::Json(e.to_string()))?;
        for (month, themes) in &table.months {
            if !(1..=12).contains(month) {
                return Err(ThemeTableError::BadMonth(*month));
            }
            if themes.iter().any(|t| t.trim().is_empty()) {
                return Err(ThemeTableError::EmptyTheme(*month));
            }
        }
        Ok(table)
    }

    /// Reads a table as [`ThemeTable::from_json`] does, but reports every problem as a field
    /// error: `year`, `months.<m>` (not 1–12), `months.<m>[<i>]` (an empty theme).
    pub fn parse_json(json: &str) -> Result<ThemeTable, crate::ValidationErrors> {
        use crate::error::{Collector, FieldError, Problem};
        let table: ThemeTable = serde_json::from_str(json).map_err(|e| {
            crate::ValidationErrors(vec![FieldError::new(
                "",
                ("主题表", "Theme table"),
                Problem::Malformed {
                    detail: e.to_string(),
                },
            )])
        })?;
        let mut c = Collector::default();
        if table.year.is_some_and(|y| !(2000..=2100).contains(&y)) {
            c.push(
                "year",
                ("年份", "Year"),
                Problem::OutOfRange {
                    min: 2000,
                    max: 2100,
                },
            );
        }
        for (month, themes) in &table.months {
            if !(1..=12).contains(month) {
                c.push(
                    format!("months.{month}"),
                    (&format!("{month}月"), &format!("Month {month}")),
                    Problem::OutOfRange { min: 1, max: 12 },
                );
            }
            for (i, t) in themes.iter().enumerate() {
                if t.trim().is_empty() {
                    c.push(
                        format!("months.{month}[{i}]"),
                        (
                            &format!("{month}月主题{}", i + 1),
                            &format!("Month {month} theme {}", i + 1),
                        ),
                        Problem::Required,
                    );
                }
            }
        }
        c.finish()?;
        Ok(table)
    }

    /// The themes of `month` (1–12); empty when the table has none.
    pub fn for_month(&self, month: u32) -> &[String] {
        self.months
            .get(&month)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The theme to suggest for a meeting in `month`: the first of the month's themes that
    /// `used` (themes already discussed this year) does not contain, else the first.
    pub fn suggest(&self, month: u32, used: &[String]) -> Option<&str> {
        let themes = self.for_month(month);
        themes
            .iter()
            .find(|t| !used.contains(t))
            .or(themes.first())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_without_a_month_belong_to_the_month_above() {
        let t = ThemeTable::builtin();
        let counts: Vec<usize> = (1..=12).map(|m| t.for_month(m).len()).collect();
        assert_eq!(counts, [1, 1, 2, 3, 2, 2, 1, 1, 1, 2, 1, 1]);
        assert_eq!(t.for_month(3)[1], "理论进万家巾帼行动");
        assert_eq!(t.for_month(4)[2], "组织妇女带头移风易俗、弘扬时代新风");
        assert_eq!(
            t.for_month(10)[1],
            "组织巾帼志愿者慰问贫困户，实施脱贫攻坚暖心行动"
        );
        assert_eq!(t.for_month(12), ["法治宣传进万家"]);
    }

    #[test]
    fn the_suggestion_skips_themes_already_used() {
        let t = ThemeTable::builtin();
        assert_eq!(t.suggest(4, &[]), Some("组织开展全民阅读活动"));
        let used = vec!["组织开展全民阅读活动".to_owned()];
        assert_eq!(t.suggest(4, &used), Some("组织家庭开展爱国卫生运动"));
        let all: Vec<String> = t.for_month(7).to_vec();
        assert_eq!(t.suggest(7, &all), Some(all[0].as_str()));
        assert_eq!(t.suggest(13, &[]), None);
    }

    #[test]
    fn an_edited_table_is_checked() {
        assert_eq!(
            ThemeTable::from_json(r#"{"months":{"13":["x"]}}"#),
            Err(ThemeTableError::BadMonth(13))
        );
        assert_eq!(
            ThemeTable::from_json(r#"{"months":{"2":[" "]}}"#),
            Err(ThemeTableError::EmptyTheme(2))
        );
        let e = ThemeTable::parse_json(r#"{"year":2027,"months":{"0":["x"],"2":["a"," "]}}"#)
            .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["months.0", "months.2[1]"]);
        assert!(
            e.0[1].message.starts_with("2月主题2："),
            "{}",
            e.0[1].message
        );
        let t = ThemeTable::from_json(r#"{"months":{"2":["新春走访"]}}"#).unwrap();
        assert_eq!(t.suggest(2, &[]), Some("新春走访"));
    }
}

#[cfg(test)]
mod in_force_tests {
    /// Issue 18: a year's themes are its own, else the newest published before it, else the
    /// built-in table's (`None`).
    #[test]
    fn the_themes_in_force_are_the_years_own_else_the_newest_before() {
        assert_eq!(super::year_in_force([2025, 2027], 2027), Some(2027));
        assert_eq!(super::year_in_force([2025, 2027], 2026), Some(2025));
        assert_eq!(super::year_in_force([2025, 2027], 2024), None);
    }
}
