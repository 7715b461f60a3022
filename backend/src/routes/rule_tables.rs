//! 规则表: `/api/calendars`, `/api/rubrics`, `/api/themes` — one resource, the yearly rule
//! tables (`crate::rules`), mounted once per kind.
//!
//! - `GET /api/{kind}`: every table in force (latest published version of each year, and the
//!   built-in ones not replaced), for any logged-in user — the app syncs them.
//! - `GET /api/{kind}/{year}`: the table in force for the year (a rubric or themes of an earlier
//!   year when the year has none; `table_year` says so); 404 when there is none.
//! - `PUT /api/{kind}/{year}?reason=`: publishes the body (the shape of the shipped file) as a
//!   new version: 201, or 200 when it equals the latest version; city and admin only.
//! - `POST /api/{kind}/{year}/preview`: checks the body and says what publishing it would move,
//!   without publishing; city and admin only.
//! - `GET /api/{kind}/{year}/versions[/{version}]`: every published version stays readable.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use chrono::{NaiveDate, SecondsFormat};
use serde::Serialize;
use serde_json::Value;
use shared::Problem;
use shared::calendar::Counted;

use crate::AppState;
use crate::auth::{CurrentUser, Role, User};
use crate::error::ApiError;
use crate::forms::kinds::{CaseKind, TownAssessmentKind};
use crate::forms::store;
use crate::json::JsonBody;
use crate::routes::views::{Params, everything};
use crate::rules::{self, Outcome, Published, Table, TableKind};

/// Longest reason kept with a version.
const MAX_REASON: usize = 500;

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for kind in TableKind::ALL {
        let base = format!("/{}", kind.path());
        router = router
            .route(
                &base,
                get(move |s: State<AppState>, u: CurrentUser| list(kind, s, u)),
            )
            .route(
                &format!("{base}/{{year}}"),
                get(move |s: State<AppState>, u: CurrentUser, p: Path<String>| read(kind, s, u, p))
                    .put(
                        move |s: State<AppState>,
                              u: CurrentUser,
                              p: Path<String>,
                              q: Query<HashMap<String, String>>,
                              b: JsonBody<Value>| {
                            publish(kind, s, u, p, q, b)
                        },
                    ),
            )
            .route(
                &format!("{base}/{{year}}/preview"),
                post(
                    move |s: State<AppState>,
                          u: CurrentUser,
                          p: Path<String>,
                          b: JsonBody<Value>| { preview(kind, s, u, p, b) },
                ),
            )
            .route(
                &format!("{base}/{{year}}/versions"),
                get(move |s: State<AppState>, u: CurrentUser, p: Path<String>| {
                    versions(kind, s, u, p)
                }),
            )
            .route(
                &format!("{base}/{{year}}/versions/{{version}}"),
                get(
                    move |s: State<AppState>, u: CurrentUser, p: Path<(String, String)>| {
                        version(kind, s, u, p)
                    },
                ),
            );
    }
    router
}

/// A year in the address; anything else is a table that does not exist.
fn year(raw: &str) -> Result<u16, ApiError> {
    raw.parse::<u16>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or(ApiError::NotFound)
}

fn may_publish(user: &User) -> Result<(), ApiError> {
    match user.role {
        Role::City | Role::Admin => Ok(()),
        Role::Village | Role::Town => Err(ApiError::Forbidden),
    }
}

async fn list(
    kind: TableKind,
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
) -> Result<Json<Vec<Published>>, ApiError> {
    let published = state.db.read(rules::latest).await?;
    Ok(Json(rules::listed(kind, published)))
}

async fn read(
    kind: TableKind,
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
    Path(raw): Path<String>,
) -> Result<Json<Published>, ApiError> {
    let year = year(&raw)?;
    state
        .db
        .read(move |conn| rules::in_force(conn, kind, year))
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

async fn versions(
    kind: TableKind,
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Published>>, ApiError> {
    let year = year(&raw)?;
    let all = state
        .db
        .read(move |conn| rules::versions(conn, kind, year))
        .await?;
    if all.is_empty() {
        return Err(ApiError::NotFound);
    }
    Ok(Json(all))
}

async fn version(
    kind: TableKind,
    State(state): State<AppState>,
    CurrentUser(_): CurrentUser,
    Path((raw, v)): Path<(String, String)>,
) -> Result<Json<Published>, ApiError> {
    let year = year(&raw)?;
    let v: i64 = v.parse().map_err(|_| ApiError::NotFound)?;
    state
        .db
        .read(move |conn| rules::versions(conn, kind, year))
        .await?
        .into_iter()
        .find(|p| p.version == v)
        .map(Json)
        .ok_or(ApiError::NotFound)
}

async fn publish(
    kind: TableKind,
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    JsonBody(body): JsonBody<Value>,
) -> Result<(StatusCode, Json<Outcome>), ApiError> {
    let year = year(&raw)?;
    may_publish(&user)?;
    let mut p = Params::new(q, &["reason"]);
    let label = ("变更原因", "Reason for the change");
    let reason = p.text("reason");
    match &reason {
        None => p.error("reason", label, Problem::Required),
        Some(r) if r.chars().count() > MAX_REASON => {
            p.error("reason", label, Problem::TooLong { max: MAX_REASON })
        }
        Some(_) => {}
    }
    let table = Table::parse(kind, &body.to_string(), Some(year));
    p.finish()?;
    let table = table?;
    let reason = reason.unwrap_or_default();
    let at = state.now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let outcome = state
        .db
        .write(move |conn| rules::publish(conn, &table, Some(&user), &reason, &at))
        .await?;
    let status = if outcome.changed {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(outcome)))
}

/// What publishing a table would move.
#[derive(Debug, Serialize)]
struct Preview {
    kind: TableKind,
    year: u16,
    /// Whether the table differs from the one in force for the year.
    changed: bool,
    /// Calendar: the open cases (within the user's units) whose reply deadline changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    cases: Option<Vec<CaseChange>>,
    /// Rubric: the year's assessments filled against this year's rubric whose score changes
    /// (or that no longer fit it).
    #[serde(skip_serializing_if = "Option::is_none")]
    assessments: Option<Vec<ScoreChange>>,
    /// Themes: the months whose themes change.
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<Vec<u32>>,
}

#[derive(Debug, Serialize)]
struct CaseChange {
    id: String,
    unit: String,
    accepted_on: Option<NaiveDate>,
    old: Counted<NaiveDate>,
    new: Counted<NaiveDate>,
}

#[derive(Debug, Serialize)]
struct ScoreChange {
    id: String,
    town: String,
    year: u16,
    old_raw_total: Option<String>,
    /// `None` with `error` when the answers do not fit the new rubric.
    new_raw_total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

async fn preview(
    kind: TableKind,
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Preview>, ApiError> {
    let year = year(&raw)?;
    may_publish(&user)?;
    let table = Table::parse(kind, &body.to_string(), Some(year))?;
    let current = state
        .db
        .read(move |conn| rules::in_force(conn, kind, year))
        .await?;
    let changed = current
        .as_ref()
        .is_none_or(|p| p.table_year != Some(year) || p.table != table.to_value());
    let rules = state.rules().await?;
    let all = everything(&user.unit);
    let mut out = Preview {
        kind,
        year,
        changed,
        cases: None,
        assessments: None,
        months: None,
    };
    match &table {
        Table::Calendar(t) => {
            let new = rules.calendar.clone().with_year(t.clone())?;
            let cases = store::current::<CaseKind>(&state, &user, &all, None).await?;
            out.cases = Some(
                cases
                    .iter()
                    .filter_map(|c| {
                        let change = c.record.deadline_change(&rules.calendar, &new)?;
                        Some(CaseChange {
                            id: c.record.id.to_string(),
                            unit: c.stored.unit.clone(),
                            accepted_on: c.record.accepted_on(),
                            old: change.old,
                            new: change.new,
                        })
                    })
                    .collect(),
            );
        }
        Table::Rubric(r) => {
            let towns = store::current::<TownAssessmentKind>(&state, &user, &all, None).await?;
            out.assessments = Some(
                towns
                    .iter()
                    .filter(|a| a.record.rubric_year() == year)
                    .filter_map(|a| {
                        let old = rules
                            .rubric_of(year)
                            .and_then(|o| a.record.score(o).ok())
                            .map(|s| s.raw_total.to_string());
                        let new = a.record.score(r);
                        let new_total = new.as_ref().ok().map(|s| s.raw_total.to_string());
                        (old != new_total).then(|| ScoreChange {
                            id: a.record.id.to_string(),
                            town: a.record.town.to_string(),
                            year: a.record.year,
                            old_raw_total: old,
                            new_raw_total: new_total,
                            error: new.err().map(|e| e.to_string()),
                        })
                    })
                    .collect(),
            );
        }
        Table::Themes(t) => {
            let old = rules.themes_in_force(year);
            out.months = Some(
                (1..=12)
                    .filter(|m| old.for_month(*m) != t.for_month(*m))
                    .collect(),
            );
        }
    }
    Ok(Json(out))
}
