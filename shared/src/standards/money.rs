//! 金额: money as whole fen (分), so sums and comparisons are exact in the browser and on the
//! server alike (no binary floating point anywhere).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Problem;

/// 金额（元）, held as whole fen. Never negative. Serialised as the integer number of fen
/// (`160000` is 1,600.00 元), parsed back through the same range check.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Yuan(i64);

impl Yuan {
    /// Largest amount accepted: 999,999,999.99 元. Far above any 妇女之家 budget, and small
    /// enough that `2 元 × resident women` can never overflow.
    pub const MAX: Yuan = Yuan(99_999_999_999);

    pub const ZERO: Yuan = Yuan(0);

    /// `fen` whole fen; `None` when negative or above [`Yuan::MAX`].
    pub const fn from_fen(fen: i64) -> Option<Yuan> {
        if fen >= 0 && fen <= Self::MAX.0 {
            Some(Yuan(fen))
        } else {
            None
        }
    }

    /// Whole yuan; `None` when out of range.
    pub fn from_yuan(yuan: i64) -> Option<Yuan> {
        yuan.checked_mul(100).and_then(Self::from_fen)
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// Parses what people type: `1234`, `1234.5`, `1,234.50`, `¥1234`, `1234元`. Commas must
    /// group thousands correctly (a stray comma is more likely a typo than a separator); at most
    /// two decimals, because a third would have to be rounded away silently.
    pub fn parse(raw: &str) -> Result<Yuan, Problem> {
        let t = raw.trim();
        let t = t
            .strip_prefix(['¥', '￥'])
            .unwrap_or(t)
            .trim_start()
            .trim_end_matches('元')
            .trim_end();
        if t.is_empty() {
            return Err(Problem::Required);
        }
        let malformed = || Problem::InvalidAmount;
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(frac) || frac.len() > 2 {
            return Err(malformed());
        }
        let int = int.replace('，', ",");
        let groups: Vec<&str> = int.split(',').collect();
        let grouped_ok = groups.len() == 1
            || (!groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3));
        if int.is_empty() || !grouped_ok || !groups.iter().all(|g| digits(g)) {
            return Err(malformed());
        }
        let whole: String = groups.concat();
        let too_large = || Problem::AmountTooLarge {
            max: Self::MAX.to_string(),
        };
        // More than 12 digits cannot fit under MAX; checking first keeps `parse` from overflowing.
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Err(too_large());
        }
        let yuan: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| malformed())?
        };
        let fen: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| malformed())? * 10,
            _ => frac.parse().map_err(|_| malformed())?,
        };
        Self::from_fen(yuan * 100 + fen).ok_or_else(too_large)
    }

    /// `n` times this amount, or `None` past [`Yuan::MAX`].
    pub fn times(self, n: u32) -> Option<Yuan> {
        self.0.checked_mul(i64::from(n)).and_then(Self::from_fen)
    }

    /// This amount shared among `n`, rounded down to the fen; `None` when `n` is 0. Rounding
    /// down means a share shown as 2.00 is never really 1.995.
    pub fn per(self, n: u32) -> Option<Yuan> {
        (n > 0).then(|| Yuan(self.0 / i64::from(n)))
    }
}

impl TryFrom<i64> for Yuan {
    type Error = Problem;
    fn try_from(fen: i64) -> Result<Self, Problem> {
        Self::from_fen(fen).ok_or(Problem::OutOfRange {
            min: 0,
            max: Self::MAX.0,
        })
    }
}

impl From<Yuan> for i64 {
    fn from(y: Yuan) -> i64 {
        y.0
    }
}

/// `1,234.50`: thousands separated by commas, always two decimals, no currency sign.
impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = (self.0 / 100).to_string();
        let mut out = String::with_capacity(whole.len() + whole.len() / 3 + 3);
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        write!(f, "{out}.{:02}", self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let bad = || Problem::InvalidAmount;
        let cases: [(&str, Result<i64, Problem>); 22] = [
            ("1234", Ok(123_400)),
            ("1234.5", Ok(123_450)),
            ("1,234.50", Ok(123_450)),
            ("1，234.50", Ok(123_450)),
            (" ¥1,600 ", Ok(160_000)),
            ("￥ 1600.00元", Ok(160_000)),
            ("0.01", Ok(1)),
            ("0", Ok(0)),
            ("1234.", Ok(123_400)),
            ("12,345,678.09", Ok(1_234_567_809)),
            ("999,999,999.99", Ok(99_999_999_999)),
            ("0001600", Ok(160_000)),
            ("", Err(Problem::Required)),
            ("元", Err(Problem::Required)),
            ("1.234", Err(bad())),
            ("-5", Err(bad())),
            ("12,34", Err(bad())),
            (",123", Err(bad())),
            ("1 600", Err(bad())),
            ("1e3", Err(bad())),
            ("１６００", Err(bad())),
            (
                "1,000,000,000",
                Err(Problem::AmountTooLarge {
                    max: "999,999,999.99".into(),
                }),
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(Yuan::parse(raw).map(Yuan::fen), want, "{raw:?}");
        }
    }

    #[test]
    fn display_groups_thousands_with_two_decimals() {
        let cases = [
            (0, "0.00"),
            (5, "0.05"),
            (150_000, "1,500.00"),
            (123_450, "1,234.50"),
            (99_999, "999.99"),
            (100_000_000, "1,000,000.00"),
            (99_999_999_999, "999,999,999.99"),
        ];
        for (fen, want) in cases {
            let y = Yuan::from_fen(fen).unwrap();
            assert_eq!(y.to_string(), want);
            assert_eq!(Yuan::parse(want), Ok(y), "round trip {want}");
        }
    }

    #[test]
    fn shares_round_down_and_serde_is_whole_fen() {
        let y = Yuan::from_yuan(1000).unwrap();
        assert_eq!(y.per(3).unwrap().to_string(), "333.33");
        assert_eq!(y.per(0), None);
        assert_eq!(
            Yuan::from_fen(200).unwrap().times(800),
            Yuan::from_yuan(1600)
        );
        assert_eq!(serde_json::to_string(&y).unwrap(), "100000");
        assert!(serde_json::from_str::<Yuan>("-1").is_err());
        assert_eq!(
            serde_json::from_str::<Yuan>("160000").unwrap().to_string(),
            "1,600.00"
        );
    }
}
