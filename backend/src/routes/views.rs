//! Views computed by `shared` over stored data (warnings, completeness, ranking, statistics).
//!
//! Every view reads the current records within the user's units (`store::current`) and hands
//! them to the rules in `shared`; nothing here decides a level, a deadline or a score. The views
//! show only what the rules compute, so reading B and C visit records for them is not audited
//! as a read of the record (opening or exporting one is).

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use shared::monthly::{
    Completeness, ReportReceipt, ReportStatus, ReportingRules, YearMonth, completeness,
};
use shared::rubric::{Score, TownScore, normalise};
use shared::stats::{Period, TownStatistics, town_statistics};
use shared::tasks::{self, Held, TaskKind};
use shared::{FieldError, Problem, Severity, ValidationErrors, Warning};

use crate::AppState;
use crate::auth::{CurrentUser, Role, User};
use crate::error::ApiError;
use crate::forms::FormKind;
use crate::forms::kinds::*;
use crate::forms::store::{self, Current, ListFilter};
use crate::org::{self, Level, OrgUnit, covers};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/views/warnings", get(warnings))
        .route("/views/completeness", get(completeness_view))
        .route("/views/ranking", get(ranking_view))
        .route("/views/statistics", get(statistics))
}

// ---------------------------------------------------------------------------------------------
// Helpers shared with the exports.

/// A view's query parameters: only the `known` ones are accepted, and every bad one is named
/// in one 422.
pub(super) struct Params {
    q: HashMap<String, String>,
    errors: Vec<FieldError>,
}

impl Params {
    pub(super) fn new(q: HashMap<String, String>, known: &[&str]) -> Self {
        let mut unknown: Vec<&String> = q.keys().filter(|k| !known.contains(&k.as_str())).collect();
        unknown.sort();
        let errors = unknown
            .into_iter()
            .map(|k| FieldError::new(k.clone(), (k, k), Problem::UnknownChoice))
            .collect();
        Params { q, errors }
    }

    /// The parameter, trimmed; `None` when absent or blank.
    pub(super) fn text(&self, key: &str) -> Option<String> {
        self.q
            .get(key)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }

    /// The parameter read by `parse`; a failure is recorded against `key`.
    pub(super) fn parse<T>(
        &mut self,
        key: &str,
        label: (&str, &str),
        parse: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<T> {
        let raw = self.text(key)?;
        match parse(&raw) {
            Ok(v) => Some(v),
            Err(p) => {
                self.errors.push(FieldError::new(key, label, p));
                None
            }
        }
    }

    pub(super) fn error(&mut self, key: &str, label: (&str, &str), problem: Problem) {
        self.errors.push(FieldError::new(key, label, problem));
    }

    pub(super) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(ValidationErrors(self.errors)))
        }
    }
}

/// Every current record of `unit` and below, unpaged.
pub(super) fn everything(unit: &str) -> ListFilter {
    ListFilter {
        unit: Some(unit.to_owned()),
        limit: u32::MAX,
        ..ListFilter::default()
    }
}

/// The China date of a stored `received_at` timestamp (RFC 3339; a bare date is taken as is).
pub(super) fn received_on(at: &str) -> Result<NaiveDate, ApiError> {
    shared::time::china_day_of(at)
        .ok_or_else(|| ApiError::internal(format!("received_at {at:?} is not a time")))
}

/// The unit a view is about: `unit` when given, else the user's own. Outside the user's units,
/// or unknown, is 404.
pub(super) async fn scope_unit(
    state: &AppState,
    user: &User,
    unit: Option<String>,
) -> Result<OrgUnit, ApiError> {
    let id = unit.unwrap_or_else(|| user.unit.clone());
    if !user.sees(&id) {
        return Err(ApiError::NotFound);
    }
    state
        .db
        .read(move |conn| org::get(conn, &id))
        .await?
        .ok_or(ApiError::NotFound)
}

/// Every unit within `scope`, parents first.
pub(super) async fn units_within(state: &AppState, scope: &str) -> Result<Vec<OrgUnit>, ApiError> {
    let scope = scope.to_owned();
    state.db.read(move |conn| org::within(conn, &scope)).await
}

/// Unit id → name, for the units the user sees.
pub(super) async fn unit_names(
    state: &AppState,
    user: &User,
) -> Result<BTreeMap<String, String>, ApiError> {
    Ok(units_within(state, &user.unit)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Warnings.

/// The stored record a warning comes from.
#[derive(Debug, Serialize)]
pub(super) struct RecordRef {
    /// Stored kind, e.g. `visit`.
    pub kind: &'static str,
    /// API path segment, e.g. `visits`: the record is `GET /api/{path}/{id}`.
    pub path: &'static str,
    pub id: String,
}

/// One warning with what it is about.
#[derive(Debug, Serialize)]
pub(super) struct WarningItem {
    #[serde(flatten)]
    pub warning: Warning,
    /// The unit the warning concerns (the record's unit, or the village whose report is owed).
    pub unit: String,
    pub unit_name: String,
    /// `null` for a village's missing or late monthly report.
    pub record: Option<RecordRef>,
}

#[derive(Debug, Default, Serialize)]
pub(super) struct SeverityCounts {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
}

#[derive(Debug, Serialize)]
pub(super) struct WarningsView {
    pub as_of: NaiveDate,
    pub unit: String,
    /// Every warning in scope by severity, before the `severity` filter.
    pub counts: SeverityCounts,
    /// Most severe first.
    pub warnings: Vec<WarningItem>,
}

fn parse_severity(raw: &str) -> Result<Severity, Problem> {
    match raw {
        "critical" => Ok(Severity::Critical),
        "high" => Ok(Severity::High),
        "medium" => Ok(Severity::Medium),
        "low" => Ok(Severity::Low),
        _ => Err(Problem::UnknownChoice),
    }
}

/// Keeps, of the rows with the same `key`, the greatest by `order` (later received on a tie).
fn latest<R, K: Ord, O: Ord>(
    rows: Vec<Current<R>>,
    key: impl Fn(&Current<R>) -> K,
    order: impl Fn(&Current<R>) -> O,
) -> Vec<Current<R>> {
    let mut best: BTreeMap<K, Current<R>> = BTreeMap::new();
    for row in rows {
        let k = key(&row);
        let better = best.get(&k).is_none_or(|b| {
            (order(&row), &row.stored.received_at) > (order(b), &b.stored.received_at)
        });
        if better {
            best.insert(k, row);
        }
    }
    best.into_values().collect()
}

/// Received reports of `months` within `scope`, each dated by its first version.
async fn receipts(
    state: &AppState,
    user: &User,
    scope: &str,
    months: &[YearMonth],
) -> Result<Vec<ReportReceipt>, ApiError> {
    let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else {
        return Ok(Vec::new());
    };
    let filter = ListFilter {
        from: Some(first.day_clamped(1)),
        to: Some(last.day_clamped(1)),
        ..everything(scope)
    };
    store::current::<MonthlyKind>(state, user, &filter, None)
        .await?
        .into_iter()
        .map(|row| {
            Ok(ReportReceipt {
                org_unit: row.record.org_unit.as_str().to_owned(),
                month: row.record.month,
                received_on: received_on(&row.first_received_at)?,
                zero_report: row.record.zero_report,
            })
        })
        .collect()
}

/// The warnings view's query: `unit=&severity=` (the least severity shown).
pub(super) struct WarningsQuery {
    pub unit: Option<String>,
    pub min: Option<Severity>,
}

impl WarningsQuery {
    pub(super) fn parse(q: HashMap<String, String>) -> Result<Self, ApiError> {
        let mut p = Params::new(q, &["unit", "severity"]);
        let min = p.parse("severity", ("严重程度", "Severity"), parse_severity);
        let unit = p.text("unit");
        p.finish()?;
        Ok(WarningsQuery { unit, min })
    }
}

/// `GET /api/views/warnings?unit=&severity=`.
async fn warnings(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<WarningsView>, ApiError> {
    let query = WarningsQuery::parse(q)?;
    Ok(Json(warnings_of(&state, &user, query).await?))
}

/// Stored rows as `shared::tasks` reads them.
fn held<R>(rows: &[Current<R>]) -> Vec<Held<'_, R>> {
    rows.iter()
        .filter_map(|row| {
            Some(Held {
                unit: &row.stored.unit,
                id: row.stored.record.get("id")?.as_str()?.parse().ok()?,
                received_at: &row.stored.received_at,
                record: &row.record,
            })
        })
        .collect()
}

/// Every open warning within the query's unit, most severe first.
pub(super) async fn warnings_of(
    state: &AppState,
    user: &User,
    WarningsQuery { unit, min }: WarningsQuery,
) -> Result<WarningsView, ApiError> {
    let scope = scope_unit(state, user, unit).await?;
    let today = state.today();
    let names = unit_names(state, user).await?;
    let all = everything(&scope.id);

    let visits = store::current::<Visit>(state, user, &all, None).await?;
    let cases = store::current::<CaseKind>(state, user, &all, None).await?;
    let assessments = store::current::<SelfAssessmentKind>(state, user, &all, None).await?;
    let homes = store::current::<ModelHomeKind>(state, user, &all, None).await?;
    let rules = state.rules().await?;
    let records = tasks::Records {
        visits: held(&visits),
        cases: held(&cases),
        self_assessments: held(&assessments),
        homes: held(&homes),
    };
    let mut found = tasks::record_tasks(&records, &rules.calendar, today);

    let reporting = ReportingRules::default();
    let months = tasks::report_months(today, reporting);
    let villages: Vec<String> = units_within(state, &scope.id)
        .await?
        .into_iter()
        .filter(|u| u.level == Level::Village)
        .map(|u| u.id)
        .collect();
    let received = receipts(state, user, &scope.id, &months).await?;
    found.extend(tasks::report_tasks(
        &villages, &received, reporting, today, &scope.id,
    ));
    tasks::sort(&mut found);
    let mut items: Vec<WarningItem> = found
        .into_iter()
        .map(|t| WarningItem {
            unit_name: names.get(&t.unit).cloned().unwrap_or_default(),
            unit: t.unit,
            warning: t.warning,
            record: t.record.map(|(kind, id)| {
                let (kind, path) = match kind {
                    TaskKind::Visit => (Visit::KIND, Visit::PATH),
                    TaskKind::RightsCase => (CaseKind::KIND, CaseKind::PATH),
                    TaskKind::SelfAssessment => {
                        (SelfAssessmentKind::KIND, SelfAssessmentKind::PATH)
                    }
                    TaskKind::ModelHome => (ModelHomeKind::KIND, ModelHomeKind::PATH),
                };
                RecordRef {
                    kind,
                    path,
                    id: id.to_string(),
                }
            }),
        })
        .collect();

    let mut counts = SeverityCounts::default();
    for item in &items {
        *match item.warning.severity {
            Severity::Critical => &mut counts.critical,
            Severity::High => &mut counts.high,
            Severity::Medium => &mut counts.medium,
            Severity::Low => &mut counts.low,
        } += 1;
    }
    if let Some(min) = min {
        items.retain(|i| i.warning.severity >= min);
    }
    Ok(WarningsView {
        as_of: today,
        unit: scope.id,
        counts,
        warnings: items,
    })
}

// ---------------------------------------------------------------------------------------------
// Completeness.

/// One village's report for the month.
#[derive(Debug, Serialize)]
pub(super) struct VillageReport {
    pub unit: String,
    pub name: String,
    /// `on_time`, `late`, `missing` (past due) or `pending` (not yet due).
    pub status: ReportStatus,
    /// The day the first report for the month was received.
    pub received_on: Option<NaiveDate>,
    pub zero_report: Option<bool>,
}

#[derive(Debug, Serialize)]
pub(super) struct TownCompleteness {
    pub town: String,
    pub town_name: String,
    #[serde(flatten)]
    pub figures: Completeness,
    /// `rate` as a percentage to 0.01, e.g. "66.67%" ("—" with no villages).
    pub rate_text: String,
    pub villages: Vec<VillageReport>,
}

#[derive(Debug, Serialize)]
pub(super) struct CompletenessView {
    pub as_of: NaiveDate,
    pub month: YearMonth,
    pub due: NaiveDate,
    pub towns: Vec<TownCompleteness>,
}

/// A month up to this one (`YYYY-MM`).
pub(super) fn parse_past_month(raw: &str, today: NaiveDate) -> Result<YearMonth, Problem> {
    let m: YearMonth = raw.parse()?;
    if m > YearMonth::of(today) {
        return Err(Problem::FutureDate);
    }
    Ok(m)
}

/// `GET /api/views/completeness?town=&month=YYYY-MM`.
async fn completeness_view(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<CompletenessView>, ApiError> {
    let today = state.today();
    let mut p = Params::new(q, &["town", "month"]);
    let label = ("报告月份", "Month");
    let month = p.parse("month", label, |raw| parse_past_month(raw, today));
    let town = p.text("town");
    p.finish()?;
    let month = month.unwrap_or_else(|| YearMonth::of(today).previous());
    Ok(Json(completeness_of(&state, &user, town, month).await?))
}

/// How every village of `town` (every town in the user's units when `None`) reported for
/// `month`.
pub(super) async fn completeness_of(
    state: &AppState,
    user: &User,
    town: Option<String>,
    month: YearMonth,
) -> Result<CompletenessView, ApiError> {
    let today = state.today();
    let units = units_within(state, &user.unit).await?;
    let towns: Vec<&OrgUnit> = match &town {
        Some(id) => {
            let found = units
                .iter()
                .find(|u| &u.id == id)
                .ok_or(ApiError::NotFound)?;
            if found.level != Level::Town {
                return Err(ApiError::field(
                    "town",
                    ("镇（区、街道）", "Town"),
                    Problem::WrongUnitLevel {
                        expected: Level::Town.label().0.into(),
                        expected_en: Level::Town.label().1.into(),
                    },
                ));
            }
            vec![found]
        }
        None => units.iter().filter(|u| u.level == Level::Town).collect(),
    };
    let rules = ReportingRules::default();
    let mut out = Vec::with_capacity(towns.len());
    for town in towns {
        let villages: Vec<&OrgUnit> = units
            .iter()
            .filter(|u| u.level == Level::Village && covers(&town.id, &u.id))
            .collect();
        let ids: Vec<String> = villages.iter().map(|v| v.id.clone()).collect();
        let received = receipts(state, user, &town.id, &[month]).await?;
        let figures = completeness(&ids, month, &received, rules, today);
        let villages = villages
            .into_iter()
            .map(|v| {
                let first = received
                    .iter()
                    .filter(|r| r.org_unit == v.id)
                    .min_by_key(|r| r.received_on);
                let status = if figures.late_units.contains(&v.id) {
                    ReportStatus::Late
                } else if figures.missing_units.contains(&v.id) {
                    ReportStatus::Missing
                } else if first.is_some() {
                    ReportStatus::OnTime
                } else {
                    ReportStatus::Pending
                };
                VillageReport {
                    unit: v.id.clone(),
                    name: v.name.clone(),
                    status,
                    received_on: first.map(|r| r.received_on),
                    zero_report: first.map(|r| r.zero_report),
                }
            })
            .collect();
        out.push(TownCompleteness {
            town: town.id.clone(),
            town_name: town.name.clone(),
            rate_text: figures.rate.percent_text(),
            figures,
            villages,
        });
    }
    Ok(CompletenessView {
        as_of: today,
        month,
        due: rules.due_date(month),
        towns: out,
    })
}

// ---------------------------------------------------------------------------------------------
// Ranking.

/// One town's result in its year.
#[derive(Debug, Serialize)]
pub(super) struct RankingRow {
    /// 1 for the best; equal normalised scores share a rank.
    pub rank: u32,
    pub town: String,
    pub town_name: String,
    /// 原始得分 (categories + capped bonus).
    pub raw: Score,
    /// 折算后得分.
    pub normalised: Score,
    /// The stored town assessment (`GET /api/town-assessments/{id}`).
    pub assessment_id: String,
    /// The breakdown: categories with their deductions, base, bonus.
    pub score: TownScore,
}

#[derive(Debug, Serialize)]
pub(super) struct Ranking {
    /// The year asked for, else the current year.
    pub year: Option<u16>,
    /// The year of the rubric in force for `year`: `year` itself, or the newest before it when
    /// `year` has none of its own.
    pub rubric_year: u16,
    pub full_marks: Score,
    /// How many towns were ranked, all of the city (a town sees only its own row).
    pub towns_ranked: usize,
    /// By rank.
    pub rows: Vec<RankingRow>,
    /// Assessments (ids, within the user's units) whose answers do not fit the latest version
    /// of their rubric, so they are not ranked.
    pub unscored: Vec<String>,
}

/// The year's town assessments of the user's city, scored, normalised and ranked; only the
/// rows of towns within the user's units are kept. `year` defaults to the current year.
/// Each assessment is scored by the latest version of the rubric it was filled against.
/// Village users get 404.
pub(super) async fn ranking(
    state: &AppState,
    user: &User,
    year: Option<u16>,
) -> Result<Ranking, ApiError> {
    if user.role == Role::Village {
        return Err(ApiError::NotFound);
    }
    // Ranks are among every town of the city, whoever asks; unit ids are paths from the city.
    let city = User {
        unit: user.unit.split('/').next().unwrap_or_default().to_owned(),
        ..user.clone()
    };
    let rules = state.rules().await?;
    let year = year.unwrap_or_else(|| u16::try_from(state.today().year()).unwrap_or_default());
    let in_force = rules.rubric_in_force(year);
    let all =
        store::current::<TownAssessmentKind>(state, &city, &everything(&city.unit), None).await?;
    // A town assessed twice for a year counts by the assessment changed last.
    let current = latest(
        all.into_iter().filter(|r| r.record.year == year).collect(),
        |r| r.record.town.as_str().to_owned(),
        |_| (),
    );
    let mut scores = Vec::with_capacity(current.len());
    let mut ids = HashMap::new();
    let mut unscored = Vec::new();
    for row in &current {
        // A rubric republished with other items no longer fits the answers filled against its
        // earlier version: the assessment is named, not ranked, until it is filled again (the
        // rubric's preview lists such assessments before publishing).
        let Some(score) = rules
            .rubric_of(row.record.rubric_year())
            .and_then(|rubric| row.record.score(rubric).ok())
        else {
            if user.sees(row.record.town.as_str()) {
                unscored.push(row.record.id.to_string());
            }
            continue;
        };
        ids.insert(
            score.town.clone(),
            (row.record.id.to_string(), score.clone()),
        );
        scores.push(score);
    }
    let ranked = normalise(&scores).map_err(ApiError::internal)?;
    let names = unit_names(state, &city).await?;
    let towns_ranked = ranked.len();
    let rows = ranked
        .into_iter()
        .filter(|r| user.sees(&r.town))
        .filter_map(|r| {
            let (assessment_id, score) = ids.remove(&r.town)?;
            Some(RankingRow {
                rank: r.rank,
                town_name: names.get(&r.town).cloned().unwrap_or_default(),
                town: r.town,
                raw: r.raw,
                normalised: r.normalised,
                assessment_id,
                score,
            })
        })
        .collect();
    Ok(Ranking {
        year: Some(year),
        rubric_year: in_force.year,
        full_marks: in_force.full_marks,
        towns_ranked,
        rows,
        unscored,
    })
}

pub(super) fn parse_year(raw: &str) -> Result<u16, Problem> {
    raw.parse::<u16>()
        .ok()
        .filter(|y| (2000..=9999).contains(y))
        .ok_or(Problem::OutOfRange {
            min: 2000,
            max: 9999,
        })
}

/// `GET /api/views/ranking?year=`.
async fn ranking_view(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Ranking>, ApiError> {
    let mut p = Params::new(q, &["year"]);
    let year = p.parse("year", ("考核年度", "Year"), parse_year);
    p.finish()?;
    Ok(Json(ranking(&state, &user, year).await?))
}

// ---------------------------------------------------------------------------------------------
// Statistics.

#[derive(Debug, Serialize)]
pub(super) struct UnitStatistics {
    pub unit: String,
    pub unit_name: String,
    #[serde(flatten)]
    pub figures: TownStatistics,
    /// `resolution_rate` as a percentage to 0.01 ("—" when nothing was found).
    pub resolution_rate_text: String,
}

#[derive(Debug, Serialize)]
pub(super) struct StatisticsView {
    #[serde(flatten)]
    pub total: UnitStatistics,
    /// The same figures for each unit one level down (the towns of a city, the villages of a
    /// town); empty for a village.
    pub parts: Vec<UnitStatistics>,
}

/// The statistics view's query: `unit=&from=&to=`; defaults are the user's unit, 1 January
/// of this year and today.
pub(super) struct StatisticsQuery {
    pub unit: Option<String>,
    pub period: Period,
}

impl StatisticsQuery {
    pub(super) fn parse(q: HashMap<String, String>, today: NaiveDate) -> Result<Self, ApiError> {
        let mut p = Params::new(q, &["unit", "from", "to"]);
        let from = p.parse("from", ("起始日期", "From"), shared::value::parse_date);
        let to = p.parse("to", ("截止日期", "To"), shared::value::parse_date);
        let to_sent = p.text("to").is_some();
        let to_given = to.is_some();
        let from =
            from.unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
        let to = to.unwrap_or(today);
        if to < from {
            // The error goes to the parameter that was sent: `from` after today with no `to` is
            // about `from`.
            if to_given {
                p.error(
                    "to",
                    ("截止日期", "To"),
                    Problem::TooEarly {
                        earliest: from.to_string(),
                    },
                );
            } else if !to_sent {
                p.error("from", ("起始日期", "From"), Problem::FutureDate);
            }
        }
        let unit = p.text("unit");
        p.finish()?;
        Ok(StatisticsQuery {
            unit,
            period: Period { from, to },
        })
    }
}

/// `GET /api/views/statistics?unit=&from=&to=`.
async fn statistics(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<StatisticsView>, ApiError> {
    let query = StatisticsQuery::parse(q, state.today())?;
    Ok(Json(statistics_of(&state, &user, query).await?))
}

/// The figures of SPEC §7 for the query's unit and for each unit one level down.
pub(super) async fn statistics_of(
    state: &AppState,
    user: &User,
    StatisticsQuery { unit, period }: StatisticsQuery,
) -> Result<StatisticsView, ApiError> {
    let Period { from, to } = period;
    let scope = scope_unit(state, user, unit).await?;
    let dated = ListFilter {
        from: Some(from),
        to: Some(to),
        ..everything(&scope.id)
    };
    let visits = store::current::<Visit>(state, user, &dated, None).await?;
    let cases = store::current::<CaseKind>(state, user, &dated, None).await?;
    // A register row's own period is its last edit; "added" is its first version.
    let people = store::current::<KeyPersonKind>(state, user, &everything(&scope.id), None)
        .await?
        .into_iter()
        .map(|r| {
            Ok((
                r.stored.unit.clone(),
                r.record,
                received_on(&r.first_received_at)?,
            ))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let figures = |unit: &OrgUnit| {
        let mine = |u: &str| covers(&unit.id, u);
        let v: Vec<_> = visits
            .iter()
            .filter(|r| mine(&r.stored.unit))
            .map(|r| r.record.clone())
            .collect();
        let c: Vec<_> = cases
            .iter()
            .filter(|r| mine(&r.stored.unit))
            .map(|r| r.record.clone())
            .collect();
        let k: Vec<_> = people
            .iter()
            .filter(|(u, _, _)| mine(u))
            .map(|(_, p, added)| (p.clone(), *added))
            .collect();
        let figures = town_statistics(period, &v, &k, &c);
        UnitStatistics {
            unit: unit.id.clone(),
            unit_name: unit.name.clone(),
            resolution_rate_text: figures.resolution_rate.percent_text(),
            figures,
        }
    };
    let parts = units_within(state, &scope.id)
        .await?
        .iter()
        .filter(|u| u.parent.as_deref() == Some(scope.id.as_str()))
        .map(&figures)
        .collect();
    Ok(StatisticsView {
        total: figures(&scope),
        parts,
    })
}
