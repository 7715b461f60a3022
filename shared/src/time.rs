//! Calendar arithmetic. Dates are plain calendar dates in China Standard Time.

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate, Utc};

/// The federation works in China Standard Time (UTC+8, no daylight saving). Using it on both
/// sides keeps "today" the same for the browser and a server whose clock is set to UTC.
pub fn china_today(now: DateTime<Utc>) -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    now.with_timezone(&cst).date_naive()
}

/// The day (China time) of a stored timestamp (RFC 3339, as the server writes `received_at`);
/// a bare `YYYY-MM-DD…` is taken as that day. `None` when it is neither.
pub fn china_day_of(at: &str) -> Option<NaiveDate> {
    match DateTime::parse_from_rfc3339(at) {
        Ok(t) => Some(china_today(t.with_timezone(&Utc))),
        Err(_) => at.get(..10)?.parse().ok(),
    }
}

/// Adds calendar months, clamping the day to the end of a shorter month
/// (31 May + 6 months = 30 November).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Whole calendar months from `from` to `to`: the largest `m` with `from + m months <= to`.
/// Zero when `to` is not after `from`.
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let span = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let span = span.max(0) as u32;
    if add_months(from, span) <= to {
        span
    } else {
        span.saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A report stored at 17:30 UTC on the 8th arrived on the 9th in China: it is late.
    #[test]
    fn a_stored_time_is_dated_in_china() {
        assert_eq!(
            china_day_of("2026-12-08T17:30:00.000Z"),
            Some(d(2026, 12, 9))
        );
        assert_eq!(china_day_of("2026-12-08T15:59:59Z"), Some(d(2026, 12, 8)));
        assert_eq!(china_day_of("2026-12-08"), Some(d(2026, 12, 8)));
        assert_eq!(china_day_of("yesterday"), None);
    }

    #[test]
    fn month_addition_clamps_the_day() {
        assert_eq!(add_months(d(2025, 5, 31), 6), d(2025, 11, 30));
        assert_eq!(add_months(d(2025, 1, 31), 1), d(2025, 2, 28));
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
    }

    #[test]
    fn whole_months_table() {
        let cases = [
            // (from, to, months)
            (d(2025, 5, 31), d(2025, 11, 30), 6),
            (d(2025, 5, 31), d(2025, 11, 29), 5),
            (d(2025, 1, 31), d(2025, 2, 28), 1),
            (d(2025, 1, 31), d(2025, 2, 27), 0),
            (d(2025, 3, 15), d(2025, 6, 14), 2),
            (d(2025, 3, 15), d(2025, 6, 15), 3),
            (d(2024, 12, 1), d(2025, 6, 1), 6),
            (d(2025, 6, 1), d(2025, 6, 1), 0),
            (d(2025, 6, 2), d(2025, 6, 1), 0),
            (d(2023, 2, 28), d(2024, 2, 29), 12),
        ];
        for (from, to, want) in cases {
            assert_eq!(whole_months(from, to), want, "{from} → {to}");
        }
    }

    #[test]
    fn today_is_taken_in_china_time() {
        let late_utc = "2026-05-31T17:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(china_today(late_utc), d(2026, 6, 1));
        let early_utc = "2026-05-31T15:59:59Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(china_today(early_utc), d(2026, 5, 31));
    }
}
