//! 分数: exact points in hundredths.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// 分数: points counted in whole hundredths (0.01), so the browser (wasm) and the server add,
/// floor and scale to exactly the same cent; there is no binary fraction anywhere.
///
/// Written as a decimal string with exactly two decimals (`"97.50"`, `"-0.50"`): a string, not a
/// JSON number, because a JSON number is read as binary floating point by most clients.
/// Reading accepts a decimal string with at most two decimals (`"10"`, `"0.5"`, `"0.50"`) or a
/// JSON integer (`10`); a JSON number with a fraction (`0.5`) is refused rather than rounded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(i64);

/// Why text is not a [`Score`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseScoreError {
    #[error("empty score")]
    Empty,
    #[error("{0:?} is not a number with at most two decimals")]
    Invalid(String),
    #[error("{0:?} is too large")]
    TooLarge(String),
}

impl Score {
    pub const ZERO: Score = Score(0);

    /// Largest magnitude accepted when parsing: far beyond any rubric, far below `i64` overflow
    /// even after multiplying by counts and by 100 when normalising.
    pub const LIMIT: Score = Score(1_000_000_000);

    pub const fn from_hundredths(h: i64) -> Self {
        Score(h)
    }

    pub const fn points(p: i64) -> Self {
        Score(p * 100)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self × n`, for counted deductions.
    pub const fn times(self, n: u32) -> Self {
        Score(self.0 * n as i64)
    }

    /// Never below zero (the floor of a category).
    pub fn floor_zero(self) -> Self {
        self.max(Score::ZERO)
    }

    /// `self × num / den`, rounded half-up to the hundredth (half away from zero for negative
    /// values). Panics if `den` is zero.
    pub fn scale(self, num: i64, den: i64) -> Self {
        assert!(den != 0, "scale by a zero denominator");
        let (n, d) = (i128::from(self.0) * i128::from(num), i128::from(den));
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        let q = if n >= 0 {
            (2 * n + d) / (2 * d)
        } else {
            -((-2 * n + d) / (2 * d))
        };
        Score(i64::try_from(q).expect("scaled score fits in i64"))
    }

    /// Whole points at or below this score (for messages that speak in whole numbers).
    pub const fn floor_points(self) -> i64 {
        self.0.div_euclid(100)
    }

    /// Whole points at or above this score.
    pub const fn ceil_points(self) -> i64 {
        -((-self.0).div_euclid(100))
    }

    pub fn parse(raw: &str) -> Result<Self, ParseScoreError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(ParseScoreError::Empty);
        }
        let invalid = || ParseScoreError::Invalid(t.to_owned());
        let (negative, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !all_digits(whole)
            || !all_digits(frac)
            || frac.len() > 2
            || (digits.contains('.') && frac.is_empty())
        {
            return Err(invalid());
        }
        let too_large = || ParseScoreError::TooLarge(t.to_owned());
        // Leading zeros are harmless; only the significant digits can overflow.
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Err(too_large());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| invalid())?
        };
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| invalid())? * 10,
            _ => frac.parse().map_err(|_| invalid())?,
        };
        let h = whole * 100 + frac;
        if h > Self::LIMIT.0 {
            return Err(too_large());
        }
        Ok(Score(if negative { -h } else { h }))
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl FromStr for Score {
    type Err = ParseScoreError;
    fn from_str(s: &str) -> Result<Self, ParseScoreError> {
        Score::parse(s)
    }
}

impl Add for Score {
    type Output = Score;
    fn add(self, rhs: Score) -> Score {
        Score(self.0 + rhs.0)
    }
}

impl AddAssign for Score {
    fn add_assign(&mut self, rhs: Score) {
        self.0 += rhs.0;
    }
}

impl Sub for Score {
    type Output = Score;
    fn sub(self, rhs: Score) -> Score {
        Score(self.0 - rhs.0)
    }
}

impl Sum for Score {
    fn sum<I: Iterator<Item = Score>>(iter: I) -> Score {
        iter.fold(Score::ZERO, Add::add)
    }
}

impl Serialize for Score {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ScoreVisitor;
        impl Visitor<'_> for ScoreVisitor {
            type Value = Score;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a score as a decimal string with at most two decimals, or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Score, E> {
                Score::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Score, E> {
                v.checked_mul(100)
                    .filter(|h| h.abs() <= Score::LIMIT.0)
                    .map(Score)
                    .ok_or_else(|| E::custom(ParseScoreError::TooLarge(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Score, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom(ParseScoreError::TooLarge(v.to_string())))
                    .and_then(|v| self.visit_i64(v))
            }
        }
        d.deserialize_any(ScoreVisitor)
    }
}
