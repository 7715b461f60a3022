//! A demo city for trying the product: 如皋市 with 3 towns and 9 villages, a user per role,
//! and a few months of sample records.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

use crate::auth::{Role, add_user};
use crate::org::{self, Level};

/// Every demo account's password.
pub const PASSWORD: &str = "jiajia-demo-2026";

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DemoError(pub String);

/// (id, name, level) of every demo unit, parents first.
pub const UNITS: &[(&str, &str, Level)] = &[
    ("rugao", "如皋市", Level::City),
    ("rugao/baipu", "白蒲镇", Level::Town),
    ("rugao/baipu/linzi", "林梓村", Level::Village),
    ("rugao/baipu/xinhe", "新河村", Level::Village),
    ("rugao/baipu/guzhuang", "顾庄村", Level::Village),
    ("rugao/changjiang", "长江镇", Level::Town),
    ("rugao/changjiang/gangkou", "港口村", Level::Village),
    ("rugao/changjiang/yonghong", "永红村", Level::Village),
    ("rugao/changjiang/jiangan", "江安社区", Level::Village),
    ("rugao/rucheng", "如城街道", Level::Town),
    ("rugao/rucheng/dongfang", "东方社区", Level::Village),
    ("rugao/rucheng/xiangyang", "向阳社区", Level::Village),
    ("rugao/rucheng/qingyuan", "清园社区", Level::Village),
];

/// (username, display name, role, unit) of every demo login.
pub const USERS: &[(&str, &str, Role, &str)] = &[
    ("admin", "系统管理员", Role::Admin, "rugao"),
    ("city", "市妇联 陈敏", Role::City, "rugao"),
    ("baipu", "白蒲镇妇联 周丽", Role::Town, "rugao/baipu"),
    (
        "changjiang",
        "长江镇妇联 吴芳",
        Role::Town,
        "rugao/changjiang",
    ),
    ("linzi", "林梓村 李娟", Role::Village, "rugao/baipu/linzi"),
    ("xinhe", "新河村 王秀英", Role::Village, "rugao/baipu/xinhe"),
    (
        "gangkou",
        "港口村 张敏",
        Role::Village,
        "rugao/changjiang/gangkou",
    ),
];

/// Installs the demo city with its sample records unless it is there; returns (username,
/// role, unit) of each login.
pub fn install(
    conn: &Connection,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String, String)>, DemoError> {
    install_with(conn, now, true)
}

/// The demo city's units and users only, without sample records (tests start from this).
pub fn install_city(
    conn: &Connection,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String, String)>, DemoError> {
    install_with(conn, now, false)
}

fn install_with(
    conn: &Connection,
    now: DateTime<Utc>,
    records: bool,
) -> Result<Vec<(String, String, String)>, DemoError> {
    let err = |e: &dyn std::fmt::Display| DemoError(e.to_string());
    let there: Option<String> = conn
        .query_row("SELECT id FROM org_units WHERE id = 'rugao'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| err(&e))?;
    if there.is_none() {
        let tx = conn.unchecked_transaction().map_err(|e| err(&e))?;
        for (id, name, level) in UNITS {
            org::add(&tx, id, name, *level).map_err(|e| err(&e))?;
        }
        let at = now.to_rfc3339();
        for (username, name, role, unit) in USERS {
            add_user(&tx, username, name, *role, unit, PASSWORD, &at).map_err(|e| err(&e))?;
        }
        if records {
            crate::demo_records::install(&tx, now).map_err(|e| err(&e))?;
        }
        tx.commit().map_err(|e| err(&e))?;
    }
    Ok(USERS
        .iter()
        .map(|(u, _, role, unit)| (u.to_string(), role.code().to_string(), unit.to_string()))
        .collect())
}
