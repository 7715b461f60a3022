//! Storage and HTTP handlers shared by every form kind.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::{NaiveDate, SecondsFormat};
use rusqlite::{Connection, OptionalExtension, ToSql, params, params_from_iter};
use serde::Serialize;
use serde_json::Value;
use shared::Problem;
use uuid::Uuid;

use super::{FormKind, ViewCtx};
use crate::AppState;
use crate::audit;
use crate::auth::{CurrentUser, User};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::org::{self, below_pattern, sql_within};

/// A record as the API returns it: the checked record, what the rules say of it today, and its
/// place in the store.
#[derive(Debug, Serialize)]
pub struct Stored {
    pub record: Value,
    /// Computed on every read (levels and deadlines move with the date).
    pub assessment: Value,
    pub version: i64,
    pub unit: String,
    pub received_at: String,
    /// Username of whoever wrote this version.
    pub author: Option<String>,
}

struct Head {
    version: i64,
    unit: String,
}

fn head(conn: &Connection, kind: &str, id: &str) -> Result<Option<Head>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT version, unit FROM heads WHERE kind = ?1 AND id = ?2")?
        .query_row([kind, id], |r| {
            Ok(Head {
                version: r.get(0)?,
                unit: r.get(1)?,
            })
        })
        .optional()?)
}

fn body_at(conn: &Connection, kind: &str, id: &str, version: i64) -> Result<String, ApiError> {
    Ok(conn.query_row(
        "SELECT body FROM records WHERE kind = ?1 AND id = ?2 AND version = ?3",
        params![kind, id, version],
        |r| r.get(0),
    )?)
}

/// Everything a new version writes besides its body.
struct Index {
    unit: String,
    period: String,
    status: Option<String>,
    category: Option<String>,
}

fn index<K: FormKind>(record: &K::Record, today: NaiveDate) -> Index {
    Index {
        unit: K::unit(record).to_owned(),
        period: K::period(record, today).to_string(),
        status: K::status(record),
        category: K::category(record),
    }
}

/// One new row of `records`.
struct NewVersion<'a> {
    kind: &'a str,
    id: &'a str,
    number: i64,
    author: i64,
    body: &'a str,
    at: &'a str,
}

fn insert_version(conn: &Connection, v: &NewVersion<'_>, ix: &Index) -> Result<(), ApiError> {
    // Cached: every submission runs these two, and SQLite's parser showed in profiles.
    conn.prepare_cached(
        "INSERT INTO records (kind, id, version, unit, author, body, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        v.kind, v.id, v.number, ix.unit, v.author, v.body, v.at
    ])?;
    conn.prepare_cached(
        "INSERT INTO heads (kind, id, version, unit, period, status, category)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, unit = excluded.unit,
             period = excluded.period, status = excluded.status, category = excluded.category",
    )?
    .execute(params![
        v.kind,
        v.id,
        v.number,
        ix.unit,
        ix.period,
        ix.status,
        ix.category
    ])?;
    Ok(())
}

/// Writes version 1 of a new record of kind `K` (its `records` row and its `heads` row), as
/// `author`, received at `at` (China date `received`). The caller has parsed the record,
/// checked its unit and made sure `id` is free. Used by [`submit`] and by the demo data.
pub fn insert_first<K: FormKind>(
    conn: &Connection,
    id: &str,
    record: &K::Record,
    author: i64,
    received: NaiveDate,
    at: &str,
) -> Result<(), ApiError> {
    let body = serde_json::to_string(record)?;
    insert_version(
        conn,
        &NewVersion {
            kind: K::KIND,
            id,
            number: 1,
            author,
            body: &body,
            at,
        },
        &index::<K>(record, received),
    )
}

/// The unit a record names must lie within the user's units (else 404: other units' business
/// is not revealed), and the role must be allowed to write the kind (else 403).
fn check_access<K: FormKind>(user: &User, record: &K::Record) -> Result<(), ApiError> {
    if !user.sees(K::unit(record)) {
        return Err(ApiError::NotFound);
    }
    if !K::may_write(user.role) {
        return Err(ApiError::Forbidden);
    }
    Ok(())
}

/// The unit a record names must exist and be of a level its kind allows. Run inside the write
/// that stores the record, so a submission waits on one thread, not two.
fn check_unit<K: FormKind>(conn: &Connection, record: &K::Record) -> Result<(), ApiError> {
    let found = org::get(conn, K::unit(record))?;
    let levels = K::levels(record);
    let label = ("所属单位", "Org unit");
    match found {
        None => Err(ApiError::field(
            K::unit_field(),
            label,
            Problem::UnknownChoice,
        )),
        Some(u) if !levels.contains(&u.level) => {
            let want = levels
                .iter()
                .map(|l| l.label().0)
                .collect::<Vec<_>>()
                .join("或");
            let want_en = levels
                .iter()
                .map(|l| l.label().1)
                .collect::<Vec<_>>()
                .join(" or ");
            Err(ApiError::field(
                K::unit_field(),
                label,
                Problem::WrongUnitLevel {
                    expected: want,
                    expected_en: want_en,
                },
            ))
        }
        Some(_) => Ok(()),
    }
}

/// The rule tables for a kind: read (from the cache) only by the kinds whose parse or view
/// uses them, so that the others take no extra trip to the database.
async fn rules_for<K: FormKind>(
    state: &AppState,
) -> Result<std::sync::Arc<crate::rules::Rules>, ApiError> {
    if K::USES_RULES {
        state.rules().await
    } else {
        Ok(crate::rules::Rules::shared_builtin())
    }
}

fn timestamp(state: &AppState) -> String {
    state.now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `POST /api/{kind}`: 201 stored; 200 the same record again (a retry); 409 the id holds other
/// content; 422 field errors.
pub async fn submit<K: FormKind>(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    JsonBody(input): JsonBody<K::Input>,
) -> Result<(StatusCode, Json<Stored>), ApiError> {
    let today = state.today();
    let rules = rules_for::<K>(&state).await?;
    let record = K::parse(&input, today, &rules)?;
    check_access::<K>(&user, &record)?;
    let id = K::id(&input).to_string();
    let at = timestamp(&state);
    let (writer, key, body, when) = (user.clone(), id.clone(), record.clone(), at.clone());
    let created = state
        .db
        .write(move |conn| {
            check_unit::<K>(conn, &body)?;
            if let Some(h) = head(conn, K::KIND, &key)? {
                if !writer.sees(&h.unit) {
                    return Err(ApiError::NotFound);
                }
                // A retry carries the body first sent, whatever edits came since.
                let first: K::Record = serde_json::from_str(&body_at(conn, K::KIND, &key, 1)?)?;
                return if first == body {
                    Ok(false)
                } else {
                    Err(ApiError::Conflict(K::id(&input)))
                };
            }
            insert_first::<K>(conn, &key, &body, writer.id, today, &when)?;
            audit::append(
                conn,
                &when,
                Some(&writer),
                "create",
                Some(K::KIND),
                Some(&key),
                None,
            )?;
            Ok(true)
        })
        .await?;
    if !created {
        // A retry: answered with what is stored now.
        let stored = load::<K>(&state, &user, &id, None, false).await?;
        return Ok((StatusCode::OK, Json(stored)));
    }
    // Just written as version 1 by this user: answered without reading it back.
    let ctx = ViewCtx {
        today,
        rules: &rules,
    };
    let stored = Stored {
        assessment: K::view(&record, &ctx),
        record: serde_json::to_value(&record)?,
        version: 1,
        unit: K::unit(&record).to_owned(),
        received_at: at,
        author: Some(user.username.clone()),
    };
    Ok((StatusCode::CREATED, Json(stored)))
}

/// The record id in the address (`/api/{kind}/{id}`). Anything that is not an id — not even
/// UTF-8 once decoded — is a record that does not exist: a JSON `404` like any other, never the
/// router's plain-text `400`.
pub struct RecordId(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for RecordId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        Uuid::parse_str(&raw)
            .map(RecordId)
            .map_err(|_| ApiError::NotFound)
    }
}

/// The version an edit is based on, from `If-Match: "3"` (or `3`).
fn base_version(headers: &HeaderMap) -> Result<i64, ApiError> {
    let raw = headers
        .get(header::IF_MATCH)
        .ok_or(ApiError::VersionRequired)?;
    raw.to_str()
        .ok()
        .map(|s| s.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|s| s.parse().ok())
        .ok_or(ApiError::VersionRequired)
}

/// `PUT /api/{kind}/{id}` with `If-Match: <version>`: stores the edit as a new version. The
/// same content again is answered from storage; an edit based on an older version is 409.
pub async fn edit<K: FormKind>(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    RecordId(path_id): RecordId,
    headers: HeaderMap,
    JsonBody(input): JsonBody<K::Input>,
) -> Result<Json<Stored>, ApiError> {
    let base = base_version(&headers)?;
    let today = state.today();
    let rules = rules_for::<K>(&state).await?;
    let record = K::parse(&input, today, &rules)?;
    if K::id(&input) != path_id {
        return Err(ApiError::field("id", ("编号", "Id"), Problem::IdMismatch));
    }
    check_access::<K>(&user, &record)?;
    let ix = index::<K>(&record, today);
    let body = serde_json::to_string(&record)?;
    let at = timestamp(&state);
    let writer = user.clone();
    let key = path_id.to_string();
    state
        .db
        .write(move |conn| {
            check_unit::<K>(conn, &record)?;
            let h = head(conn, K::KIND, &key)?.ok_or(ApiError::NotFound)?;
            if !writer.sees(&h.unit) {
                return Err(ApiError::NotFound);
            }
            let current: K::Record =
                serde_json::from_str(&body_at(conn, K::KIND, &key, h.version)?)?;
            if current == record {
                return Ok(()); // a retried edit: already stored
            }
            if h.version != base {
                return Err(ApiError::StaleVersion { current: h.version });
            }
            K::check_edit(&current, &record)?;
            let version = h.version + 1;
            insert_version(
                conn,
                &NewVersion {
                    kind: K::KIND,
                    id: &key,
                    number: version,
                    author: writer.id,
                    body: &body,
                    at: &at,
                },
                &ix,
            )?;
            let detail = format!("version {version}");
            audit::append(
                conn,
                &at,
                Some(&writer),
                "edit",
                Some(K::KIND),
                Some(&key),
                Some(&detail),
            )?;
            Ok(())
        })
        .await?;
    Ok(Json(
        load::<K>(&state, &user, &path_id.to_string(), None, false).await?,
    ))
}

/// Reads one record (the head, or `version`), within the user's units; audits the read when
/// the kind says it is sensitive and `audit_read` is set.
async fn load<K: FormKind>(
    state: &AppState,
    user: &User,
    id: &str,
    version: Option<i64>,
    audit_read: bool,
) -> Result<Stored, ApiError> {
    let key = id.to_owned();
    let row = state
        .db
        .read(move |conn| {
            let h = match head(conn, K::KIND, &key)? {
                Some(h) => h,
                None => return Ok(None),
            };
            let v = version.unwrap_or(h.version);
            let row = conn
                .query_row(
                    "SELECT r.body, r.received_at, r.unit, u.username FROM records r
                     LEFT JOIN users u ON u.id = r.author
                     WHERE r.kind = ?1 AND r.id = ?2 AND r.version = ?3",
                    params![K::KIND, key, v],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get(3)?,
                        ))
                    },
                )
                .optional()?;
            Ok(row.map(|r| (v, h.unit, r)))
        })
        .await?;
    let (version, head_unit, (body, received_at, unit, author)) = row.ok_or(ApiError::NotFound)?;
    // Whoever may read the record now may read its history, from wherever it was moved.
    if !user.sees(&head_unit) {
        return Err(ApiError::NotFound);
    }
    let record: K::Record = serde_json::from_str(&body)?;
    if audit_read && K::sensitive(&record) {
        let at = timestamp(state);
        let (who, key) = (user.clone(), id.to_owned());
        let detail = format!("version {version}");
        state
            .db
            .write(move |conn| {
                audit::append(
                    conn,
                    &at,
                    Some(&who),
                    "read",
                    Some(K::KIND),
                    Some(&key),
                    Some(&detail),
                )
            })
            .await?;
    }
    let rules = rules_for::<K>(state).await?;
    let ctx = ViewCtx {
        today: state.today(),
        rules: &rules,
    };
    Ok(Stored {
        assessment: K::view(&record, &ctx),
        record: serde_json::to_value(&record)?,
        version,
        unit,
        received_at,
        author,
    })
}

/// `GET /api/{kind}/{id}`.
pub async fn read<K: FormKind>(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    RecordId(id): RecordId,
) -> Result<Json<Stored>, ApiError> {
    Ok(Json(
        load::<K>(&state, &user, &id.to_string(), None, true).await?,
    ))
}

/// `GET /api/{kind}/{id}/versions`: every version, oldest first.
pub async fn versions<K: FormKind>(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    RecordId(id): RecordId,
) -> Result<Json<Vec<Stored>>, ApiError> {
    let id = id.to_string();
    let key = id.clone();
    let latest = state
        .db
        .read(move |conn| Ok(head(conn, K::KIND, &key)?.map(|h| h.version)))
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut out = Vec::with_capacity(latest as usize);
    for v in 1..=latest {
        out.push(load::<K>(&state, &user, &id, Some(v), v == latest).await?);
    }
    Ok(Json(out))
}

/// Filters of a list, from the query string.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// A unit within the user's; the user's own when absent.
    pub unit: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub status: Option<String>,
    pub category: Option<String>,
    /// Risk level (visit records), as of today.
    pub level: Option<String>,
    pub limit: u32,
}

pub const MAX_LIST: u32 = 5_000;

impl ListFilter {
    pub fn from_query<K: FormKind>(q: &HashMap<String, String>) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let mut date = |key: &str, zh: &str, en: &str| match q
            .get(key)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(raw) => match shared::value::parse_date(raw) {
                Ok(d) => Some(d),
                Err(p) => {
                    errors.push(shared::FieldError::new(key, (zh, en), p));
                    None
                }
            },
        };
        let from = date("from", "起始日期", "From");
        let to = date("to", "截止日期", "To");
        let limit = match q.get("limit") {
            None => 500,
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if (1..=MAX_LIST).contains(&n) => n,
                _ => {
                    errors.push(shared::FieldError::new(
                        "limit",
                        ("条数", "Limit"),
                        Problem::OutOfRange {
                            min: 1,
                            max: MAX_LIST as i64,
                        },
                    ));
                    500
                }
            },
        };
        let known = ["unit", "from", "to", "status", "category", "level", "limit"];
        for key in q.keys().filter(|k| !known.contains(&k.as_str())) {
            errors.push(shared::FieldError::new(
                key.clone(),
                (key, key),
                Problem::UnknownChoice,
            ));
        }
        let text = |k: &str| {
            q.get(k)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        for (key, allowed, label) in [
            ("status", K::STATUSES, ("状态", "Status")),
            ("category", K::CATEGORIES, ("类别", "Category")),
            ("level", K::LEVELS, ("预警等级", "Level")),
        ] {
            if text(key).is_some_and(|v| !allowed.contains(&v.as_str())) {
                errors.push(shared::FieldError::new(key, label, Problem::UnknownChoice));
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Invalid(shared::ValidationErrors(errors)));
        }
        Ok(ListFilter {
            unit: text("unit"),
            from,
            to,
            status: text("status"),
            category: text("category"),
            level: text("level"),
            limit,
        })
    }
}

/// Current records of kind `K` within the user's units that pass `filter`, newest first.
/// Reading B and C visit records is audited.
pub async fn query<K: FormKind>(
    state: &AppState,
    user: &User,
    filter: &ListFilter,
) -> Result<Vec<Stored>, ApiError> {
    Ok(current::<K>(state, user, filter, Some("read"))
        .await?
        .into_iter()
        .map(|c| c.stored)
        .collect())
}

/// One current record: the typed record beside what [`query`] returns, and when its first
/// version was received (what a report's punctuality and a register row's "added" go by).
pub struct Current<R> {
    pub record: R,
    pub stored: Stored,
    pub first_received_at: String,
}

/// [`query`] with the typed records. Sensitive records among them are audited under
/// `audit_action` (`"read"`, `"export"`), or not at all with `None`, for views that show only
/// what the rules compute from them.
pub async fn current<K: FormKind>(
    state: &AppState,
    user: &User,
    filter: &ListFilter,
    audit_action: Option<&str>,
) -> Result<Vec<Current<K::Record>>, ApiError> {
    let scope = filter.unit.clone().unwrap_or_else(|| user.unit.clone());
    if !user.sees(&scope) {
        return Err(ApiError::NotFound);
    }
    let f = filter.clone();
    let rows = state
        .db
        .read(move |conn| {
            let mut sql = format!(
                "SELECT h.id, h.version, r.unit, r.body, r.received_at, u.username,
                     (SELECT f.received_at FROM records f
                      WHERE f.kind = h.kind AND f.id = h.id AND f.version = 1)
                 FROM heads h JOIN records r ON r.kind = h.kind AND r.id = h.id AND r.version = h.version
                 LEFT JOIN users u ON u.id = r.author
                 WHERE h.kind = ?1 AND {}",
                sql_within("h.unit", 2)
            );
            let mut args: Vec<Box<dyn ToSql>> =
                vec![Box::new(K::KIND), Box::new(scope.clone()), Box::new(below_pattern(&scope))];
            let mut add = |clause: &str, value: Box<dyn ToSql>| {
                args.push(value);
                sql.push_str(&format!(" AND {clause} ?{}", args.len()));
            };
            if let Some(d) = f.from {
                add("h.period >=", Box::new(d.to_string()));
            }
            if let Some(d) = f.to {
                add("h.period <=", Box::new(d.to_string()));
            }
            if let Some(s) = &f.status {
                add("h.status =", Box::new(s.clone()));
            }
            if let Some(c) = &f.category {
                add("h.category =", Box::new(c.clone()));
            }
            sql.push_str(&format!(" ORDER BY h.period DESC, h.id LIMIT {}", f.limit));
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(args.iter().map(|a| a.as_ref())), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    let rules = rules_for::<K>(state).await?;
    let ctx = ViewCtx {
        today: state.today(),
        rules: &rules,
    };
    let mut out = Vec::with_capacity(rows.len());
    for (_, version, unit, body, received_at, author, first) in rows {
        let record: K::Record = serde_json::from_str(&body)?;
        let assessment = K::view(&record, &ctx);
        if let Some(level) = &filter.level
            && assessment.get("level").and_then(Value::as_str) != Some(level.as_str())
        {
            continue;
        }
        out.push((
            K::sensitive(&record),
            Current {
                stored: Stored {
                    record: serde_json::to_value(&record)?,
                    assessment,
                    version,
                    unit,
                    received_at: received_at.clone(),
                    author,
                },
                first_received_at: first.unwrap_or(received_at),
                record,
            },
        ));
    }
    let sensitive: Vec<String> = out
        .iter()
        .filter(|(s, _)| *s)
        .filter_map(|(_, c)| {
            c.stored
                .record
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    if let Some(action) = audit_action
        && !sensitive.is_empty()
    {
        let at = timestamp(state);
        let who = user.clone();
        let detail = sensitive.join(",");
        let action = action.to_owned();
        state
            .db
            .write(move |conn| {
                audit::append(
                    conn,
                    &at,
                    Some(&who),
                    &action,
                    Some(K::KIND),
                    None,
                    Some(&detail),
                )
            })
            .await?;
    }
    Ok(out.into_iter().map(|(_, c)| c).collect())
}

/// `GET /api/{kind}?unit=&from=&to=&status=&category=&level=&limit=`.
pub async fn list<K: FormKind>(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Vec<Stored>>, ApiError> {
    let filter = ListFilter::from_query::<K>(&q)?;
    Ok(Json(query::<K>(&state, &user, &filter).await?))
}
