//! Typed field values. Each is built only by parsing, so holding one means it is valid;
//! deserialising (e.g. from the database) goes through the same parser.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Problem;

/// 文本: trimmed, non-empty text of at most `MAX` characters, without control characters or
/// text-direction overrides (which make a name display as something else, and reach the CSV
/// exports raw). Texts of fewer than [`MULTI_LINE_FROM`] characters are one line: no line
/// breaks or tabs, and zero-width characters are dropped; longer ones are free text, where
/// line breaks and tabs are kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text<const MAX: usize>(String);

/// 姓名: 1–30 characters.
pub type PersonName = Text<30>;

/// Texts allowed this many characters or more are free text of several lines.
pub const MULTI_LINE_FROM: usize = 500;

/// Invisible, and of no use in a name: dropped from one-line texts.
fn zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Control characters (C0 but line breaks and tabs in free text, DEL, C1) and the embedding,
/// override and isolate characters that reorder what is displayed (U+202A–U+202E,
/// U+2066–U+2069).
fn refused(c: char, one_line: bool) -> bool {
    match c {
        '\n' | '\r' | '\t' => one_line,
        c if c.is_control() => true,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Drops what a one-line text does not keep.
fn clean(raw: &str, one_line: bool) -> std::borrow::Cow<'_, str> {
    if one_line && raw.contains(zero_width) {
        raw.chars()
            .filter(|c| !zero_width(*c))
            .collect::<String>()
            .into()
    } else {
        raw.into()
    }
}

/// [`Text::parse`] once for every `MAX` (the app is shipped over slow networks).
fn parse_text(raw: &str, max: usize) -> Result<String, Problem> {
    let one_line = max < MULTI_LINE_FROM;
    let cleaned = clean(raw, one_line);
    let t = cleaned.trim();
    if t.is_empty() {
        Err(Problem::Required)
    } else if let Some(c) = t.chars().find(|c| refused(*c, one_line)) {
        Err(Problem::ControlCharacter {
            character: format!("U+{:04X}", c as u32),
        })
    } else if t.chars().count() > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(t.to_owned())
    }
}

impl<const MAX: usize> Text<MAX> {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        parse_text(raw, MAX).map(Text)
    }

    /// Empty input is `None`; anything else must parse.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, Problem> {
        if clean(raw, MAX < MULTI_LINE_FROM).trim().is_empty() {
            Ok(None)
        } else {
            Self::parse(raw).map(Some)
        }
    }

    /// A stored text, as checked when it was stored: the character rules came later (issue
    /// #14), and a record stored before them must stay readable.
    fn parse_stored(s: String) -> Result<Self, Problem> {
        let t = s.trim();
        if t.is_empty() {
            Err(Problem::Required)
        } else if t.chars().count() > MAX {
            Err(Problem::TooLong { max: MAX })
        } else if t.len() == s.len() {
            Ok(Text(s))
        } else {
            Ok(Text(t.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> TryFrom<String> for Text<MAX> {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Problem> {
        Self::parse_stored(s)
    }
}

impl<const MAX: usize> From<Text<MAX>> for String {
    fn from(t: Text<MAX>) -> String {
        t.0
    }
}

impl<const MAX: usize> fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 联系电话: a mainland mobile number (`1[3-9]` + 9 digits) or a landline with its area code
/// (`0` + 2–3 digits, then 7–8 digits). Spaces and dashes people type are dropped, except the
/// one dash kept between area code and number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(Problem::Required);
        }
        let mut parts = trimmed.split(['-', ' ']).filter(|p| !p.is_empty());
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let digits: String = trimmed.chars().filter(|c| *c != '-' && *c != ' ').collect();
        if !all_digits(&digits) {
            return Err(Problem::InvalidPhone);
        }
        let b = digits.as_bytes();
        if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
            return Ok(Phone(digits));
        }
        // Landline: with a separator the area code is what stands before it; without one, try
        // both area-code lengths (010 + 8 digits, 0513 + 7 or 8 digits).
        let landline = |area: &str, number: &str| {
            area.starts_with('0')
                && (3..=4).contains(&area.len())
                && (7..=8).contains(&number.len())
                && !number.starts_with('0')
        };
        let (first, second) = (parts.next(), parts.next());
        let ok = match (first, second, parts.next()) {
            (Some(area), Some(number), None) => landline(area, number),
            (Some(_), None, None) => {
                (3..=4).any(|n| digits.len() > n && landline(&digits[..n], &digits[n..]))
            }
            _ => false,
        };
        match (ok, first, second) {
            (true, Some(area), Some(number)) => Ok(Phone(format!("{area}-{number}"))),
            (true, _, _) => Ok(Phone(digits)),
            (false, _, _) => Err(Problem::InvalidPhone),
        }
    }

    pub fn parse_optional(raw: &str) -> Result<Option<Self>, Problem> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            Self::parse(raw).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Problem> {
        Self::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// 年龄: whole years, 0–120.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Age(u8);

impl Age {
    pub const MAX: u8 = 120;

    pub fn parse_optional(raw: &str) -> Result<Option<Self>, Problem> {
        let t = raw.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let out_of_range = Problem::OutOfRange {
            min: 0,
            max: Self::MAX as i64,
        };
        t.parse::<u8>()
            .ok()
            .filter(|a| *a <= Self::MAX)
            .map(|a| Some(Age(a)))
            .ok_or(out_of_range)
    }

    pub fn years(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Age {
    type Error = Problem;
    fn try_from(a: u8) -> Result<Self, Problem> {
        if a <= Self::MAX {
            Ok(Age(a))
        } else {
            Err(Problem::OutOfRange {
                min: 0,
                max: Self::MAX as i64,
            })
        }
    }
}

impl From<Age> for u8 {
    fn from(a: Age) -> u8 {
        a.0
    }
}

/// Earliest date any record may carry; older input is a typing mistake.
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date")
}

/// Parses an ISO `YYYY-MM-DD` date (what `<input type=date>` produces): four-digit year,
/// two-digit month and day, nothing else. chrono alone would also take `2026-1-1` and
/// `+10000-01-01`, which no form sends and which would be stored as written.
pub fn parse_date(raw: &str) -> Result<NaiveDate, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Problem::Required);
    }
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(Problem::InvalidDate);
    }
    // Digits only, so the slices parse; by hand rather than chrono's `parse_from_str`, which
    // costs the app ~5 KB.
    let n = |r: std::ops::Range<usize>| t[r].parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(n(0..4) as i32, n(5..7), n(8..10)).ok_or(Problem::InvalidDate)
}

/// A date that has happened: not after `today`, not before `earliest`.
pub fn parse_past_date(
    raw: &str,
    earliest: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, Problem> {
    let date = parse_date(raw)?;
    if date > today {
        Err(Problem::FutureDate)
    } else if date < earliest {
        Err(Problem::TooEarly {
            earliest: earliest.to_string(),
        })
    } else {
        Ok(date)
    }
}

/// Like [`parse_past_date`], but an empty field is `None`.
pub fn parse_optional_past_date(
    raw: &str,
    earliest: NaiveDate,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, Problem> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_past_date(raw, earliest, today).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_table() {
        let cases = [
            ("13812341234", Ok("13812341234")),
            (" 138 1234 1234 ", Ok("13812341234")),
            ("199-0000-1111", Ok("19900001111")),
            ("0513-87654321", Ok("0513-87654321")),
            ("010-12345678", Ok("010-12345678")),
            ("051387654321", Ok("051387654321")),
            ("0551 2345678", Ok("0551-2345678")),
            ("12812341234", Err(Problem::InvalidPhone)),
            ("1381234123", Err(Problem::InvalidPhone)),
            ("138123412345", Err(Problem::InvalidPhone)),
            ("87654321", Err(Problem::InvalidPhone)),
            ("0513-0765432", Err(Problem::InvalidPhone)),
            ("1３812341234", Err(Problem::InvalidPhone)),
            ("abc", Err(Problem::InvalidPhone)),
            ("", Err(Problem::Required)),
        ];
        for (raw, want) in cases {
            let got = Phone::parse(raw).map(|p| p.as_str().to_owned());
            assert_eq!(got, want.map(str::to_owned), "{raw:?}");
        }
    }

    #[test]
    fn names_are_one_to_thirty_characters() {
        assert_eq!(PersonName::parse("  王芳 ").unwrap().as_str(), "王芳");
        assert_eq!(PersonName::parse(" "), Err(Problem::Required));
        assert!(PersonName::parse(&"李".repeat(30)).is_ok());
        assert_eq!(
            PersonName::parse(&"李".repeat(31)),
            Err(Problem::TooLong { max: 30 })
        );
    }

    #[test]
    fn names_refuse_control_and_direction_characters_and_drop_zero_width_ones() {
        // Issue #14: NUL, ESC, U+202E and U+200B were stored in names.
        let code = |c: &str| Problem::ControlCharacter {
            character: c.into(),
        };
        assert_eq!(PersonName::parse("王\u{0}芳"), Err(code("U+0000")));
        assert_eq!(PersonName::parse("\u{1b}[31m王芳"), Err(code("U+001B")));
        assert_eq!(PersonName::parse("王芳\u{202E}gpj"), Err(code("U+202E")));
        assert_eq!(PersonName::parse("王\u{2067}芳"), Err(code("U+2067")));
        assert_eq!(PersonName::parse("王\n芳"), Err(code("U+000A")));
        assert_eq!(PersonName::parse("王\u{85}芳"), Err(code("U+0085")));
        assert_eq!(
            PersonName::parse("王\u{200B}芳\u{FEFF}").unwrap().as_str(),
            "王芳"
        );
        assert_eq!(PersonName::parse("\u{200B}"), Err(Problem::Required));
        assert_eq!(PersonName::parse_optional(" \u{200B} "), Ok(None));
        // Free text keeps its lines and tabs, and its zero-width characters; not the rest.
        let free = Text::<1000>::parse("第一行\r\n\t第二行\u{200D}").unwrap();
        assert_eq!(free.as_str(), "第一行\r\n\t第二行\u{200D}");
        assert_eq!(Text::<1000>::parse("a\u{7}b"), Err(code("U+0007")));
        assert_eq!(Text::<1000>::parse("a\u{202D}b"), Err(code("U+202D")));
        // What was stored before these rules still reads.
        let old: PersonName = serde_json::from_str("\"王\\u0000芳\"").unwrap();
        assert_eq!(old.as_str(), "王\u{0}芳");
        // The message names the character, Chinese first.
        let m = code("U+202E");
        assert!(m.message(crate::lang::Lang::Zh).contains("U+202E"));
        assert!(m.message(crate::lang::Lang::En).contains("U+202E"));
    }

    #[test]
    fn dates_are_written_exactly_year_month_day() {
        let d = |y, m, day| Ok(NaiveDate::from_ymd_opt(y, m, day).unwrap());
        let cases = [
            ("2026-11-29", d(2026, 11, 29)),
            (" 2026-01-01 ", d(2026, 1, 1)),
            ("2024-02-29", d(2024, 2, 29)),
            ("", Err(Problem::Required)),
            ("   ", Err(Problem::Required)),
            ("2026-1-1", Err(Problem::InvalidDate)),
            ("2026-01-1", Err(Problem::InvalidDate)),
            ("+10000-01-01", Err(Problem::InvalidDate)),
            ("+2026-01-01", Err(Problem::InvalidDate)),
            ("-0001-01-01", Err(Problem::InvalidDate)),
            ("20260101", Err(Problem::InvalidDate)),
            ("2026-01-01T00:00", Err(Problem::InvalidDate)),
            ("２０２６-01-01", Err(Problem::InvalidDate)),
            ("2026-13-01", Err(Problem::InvalidDate)),
            ("2025-02-29", Err(Problem::InvalidDate)),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_date(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn dates_in_the_future_are_rejected() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let e = earliest_date();
        assert!(parse_past_date("2026-11-29", e, today).is_ok());
        assert_eq!(
            parse_past_date("2026-11-30", e, today),
            Err(Problem::FutureDate)
        );
        assert_eq!(
            parse_past_date("2026/11/01", e, today),
            Err(Problem::InvalidDate)
        );
        assert_eq!(
            parse_past_date("2026-02-30", e, today),
            Err(Problem::InvalidDate)
        );
        assert!(matches!(
            parse_past_date("1999-12-31", e, today),
            Err(Problem::TooEarly { .. })
        ));
    }

    #[test]
    fn stored_values_are_parsed_again_when_read() {
        let bad: Result<Phone, _> = serde_json::from_str("\"12345\"");
        assert!(bad.is_err());
        let bad: Result<PersonName, _> = serde_json::from_str("\"   \"");
        assert!(bad.is_err());
        let age: Result<Age, _> = serde_json::from_str("121");
        assert!(age.is_err());
    }
}
