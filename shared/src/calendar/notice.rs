//! 放假通知: the State Council's yearly notice, pasted as text, read into a [`YearTable`].
//!
//! The notice lists each holiday as `<名称>：<日期>至<日期>放假调休，共N天。<日期>、<日期>上班。`
//! ("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"). A day without
//! a month takes the month before it; a date without a year is in the table's year (a 元旦 break
//! that starts in December starts in the year before). What the notice says besides the dates is
//! checked against them: "共N天" against the days counted, "（周六）" against the weekday. The
//! table read is not checked here: [`YearTable::validate`] does that, as for any table.

use chrono::{Datelike, Months, NaiveDate, Weekday};

use super::{Holiday, MakeUpDay, YearTable};
use crate::Lang;

/// Why a notice's text could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error("通知中没有找到放假或上班的日期")]
    NoDates,
    #[error("“{clause}”：看不出是放假还是上班")]
    Unclear { clause: String },
    #[error("“{clause}”：放假只能写开始和结束两个日期")]
    TooManyDates { clause: String },
    #[error("“{text}”不是有效日期")]
    BadDate { text: String },
    #[error("“{clause}”：结束日期早于开始日期")]
    Reversed { clause: String },
    #[error("{name}：通知写共{said}天，日期算出{counted}天")]
    CountMismatch {
        name: String,
        said: u32,
        counted: u32,
    },
    #[error("{date}：通知写“{said}”，这一天是{actual}")]
    WeekdayMismatch {
        date: NaiveDate,
        said: String,
        actual: String,
    },
}

impl NoticeError {
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.to_string(),
            Lang::En => match self {
                NoticeError::NoDates => "No holiday or working dates found in the notice".into(),
                NoticeError::Unclear { clause } => {
                    format!("“{clause}”: cannot tell whether these days are off or worked")
                }
                NoticeError::TooManyDates { clause } => {
                    format!("“{clause}”: a holiday has a first and a last day, no more")
                }
                NoticeError::BadDate { text } => format!("“{text}” is not a valid date"),
                NoticeError::Reversed { clause } => {
                    format!("“{clause}”: the last day is before the first")
                }
                NoticeError::CountMismatch {
                    name,
                    said,
                    counted,
                } => format!("{name}: the notice says {said} days, the dates give {counted}"),
                NoticeError::WeekdayMismatch { date, said, .. } => format!(
                    "{date}: the notice says “{said}”, but it is a {}",
                    date.weekday()
                ),
            },
        }
    }
}

/// Reads `text`, a notice for `year`. Every problem found is reported, in the order of the text.
pub fn parse_notice(text: &str, year: i32) -> Result<YearTable, Vec<NoticeError>> {
    let chars: Vec<char> = text.chars().map(normalise).collect();
    let mut table = YearTable {
        year,
        source: source(&chars),
        holidays: Vec::new(),
        make_up_workdays: Vec::new(),
    };
    let mut errors = Vec::new();
    for (name, body) in segments(&chars) {
        read_segment(&name, body, year, &mut table, &mut errors);
    }
    if errors.is_empty() && table.holidays.is_empty() && table.make_up_workdays.is_empty() {
        errors.push(NoticeError::NoDates);
    }
    if errors.is_empty() {
        crate::order::sort_by_key(&mut table.holidays, |h| h.from);
        crate::order::sort_by_key(&mut table.make_up_workdays, |m| m.date);
        Ok(table)
    } else {
        Err(errors)
    }
}

/// Full-width digits and punctuation as their ASCII forms, so one scanner reads both.
fn normalise(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '（' => '(',
        '）' => ')',
        '：' => ':',
        '，' => ',',
        '；' => ';',
        '\r' => '\n',
        c => c,
    }
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The notice's title, "国务院办公厅关于…的通知", if the text has it.
fn source(chars: &[char]) -> String {
    let text: String = chars.iter().collect();
    let Some(start) = text.find("国务院办公厅关于") else {
        return String::new();
    };
    let rest = &text[start..];
    match rest.find("通知") {
        Some(end) if rest[..end].chars().count() < 40 => rest[..end + "通知".len()].to_owned(),
        _ => String::new(),
    }
}

/// The text split at each "名称：": (name, what follows up to the next name or the end of the
/// line — the notice's closing lines and its date are no holiday's). A text without any name
/// is one holiday without a name.
fn segments(chars: &[char]) -> Vec<(String, &[char])> {
    // (start of the name, the colon) of each heading.
    let mut heads: Vec<(usize, usize, String)> = Vec::new();
    for (colon, _) in chars.iter().enumerate().filter(|(_, c)| **c == ':') {
        let mut start = colon;
        while start > 0 && (is_han(chars[start - 1]) || chars[start - 1] == '、') {
            start -= 1;
        }
        let mut name: &[char] = &chars[start..colon];
        // "一、" "十二、": the notice's numbering.
        if let Some(n) = name
            .iter()
            .position(|c| !"一二三四五六七八九十".contains(*c))
            && n > 0
            && name[n] == '、'
        {
            name = &name[n + 1..];
        }
        if !name.is_empty() {
            heads.push((start, colon, name.iter().collect()));
        }
    }
    if heads.is_empty() {
        return vec![(String::new(), chars)];
    }
    let mut out = Vec::new();
    for (i, (_, colon, name)) in heads.iter().enumerate() {
        let next = heads.get(i + 1).map_or(chars.len(), |h| h.0);
        let end = chars[colon + 1..next]
            .iter()
            .position(|c| *c == '\n')
            .map_or(next, |p| colon + 1 + p);
        out.push((name.clone(), &chars[colon + 1..end]));
    }
    out
}

/// One date of the text, and whether it gave its year.
#[derive(Clone, Copy)]
struct Found {
    date: NaiveDate,
    explicit_year: bool,
}

/// What one clause (up to "，" "。" "；") says.
#[derive(Default)]
struct Clause {
    text: String,
    dates: Vec<Found>,
    /// "共N天" / "放假N天".
    days: Option<u32>,
}

fn read_segment(
    name: &str,
    body: &[char],
    year: i32,
    table: &mut YearTable,
    errors: &mut Vec<NoticeError>,
) {
    let mut month: Option<u32> = None;
    let mut explicit: Option<i32> = None;
    // The holiday the next "共N天" speaks of.
    let mut last_holiday: Option<usize> = None;
    for clause in clauses(body) {
        let c = read_clause(&clause, year, &mut month, &mut explicit, errors);
        let text = c.text.trim();
        let off = text.contains("放假") || text.contains("休息");
        let worked = text.contains("上班");
        if c.dates.is_empty() {
            if let (Some(said), Some(i)) = (c.days, last_holiday) {
                check_count(&table.holidays[i], said, errors);
            }
            continue;
        }
        match (off, worked) {
            (true, false) => {
                let (from, mut to) = match c.dates.as_slice() {
                    [one] => (*one, *one),
                    [a, b] => (*a, *b),
                    _ => {
                        errors.push(NoticeError::TooManyDates {
                            clause: text.into(),
                        });
                        continue;
                    }
                };
                let mut from_date = from.date;
                if to.date < from.date && !to.explicit_year {
                    // "12月31日至1月2日": a break over the new year.
                    if !from.explicit_year && from.date.month() == 12 && to.date.year() == year {
                        from_date = from.date - Months::new(12);
                    } else {
                        to.date = to.date + Months::new(12);
                    }
                }
                if to.date < from_date {
                    errors.push(NoticeError::Reversed {
                        clause: text.into(),
                    });
                    continue;
                }
                table.holidays.push(Holiday {
                    name: name.into(),
                    from: from_date,
                    to: to.date,
                });
                let i = table.holidays.len() - 1;
                last_holiday = Some(i);
                if let Some(said) = c.days {
                    check_count(&table.holidays[i], said, errors);
                }
            }
            (false, true) => {
                table
                    .make_up_workdays
                    .extend(c.dates.iter().map(|f| MakeUpDay {
                        name: name.into(),
                        date: f.date,
                    }));
            }
            _ => errors.push(NoticeError::Unclear {
                clause: text.into(),
            }),
        }
    }
}

fn check_count(h: &Holiday, said: u32, errors: &mut Vec<NoticeError>) {
    let counted = u32::try_from((h.to - h.from).num_days() + 1).unwrap_or(0);
    if counted != said {
        errors.push(NoticeError::CountMismatch {
            name: if h.name.is_empty() {
                format!("{}", h.from)
            } else {
                h.name.clone()
            },
            said,
            counted,
        });
    }
}

/// The body split at "，" "。" "；" and line ends outside brackets.
fn clauses(body: &[char]) -> Vec<Vec<char>> {
    let mut out = vec![Vec::new()];
    let mut depth = 0u32;
    for &c in body {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && matches!(c, '。' | ',' | ';' | '\n') {
            out.push(Vec::new());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out.retain(|c| c.iter().any(|c| !c.is_whitespace()));
    out
}

/// Reads the dates of one clause: "2月15日（周日）至23日（周一）". `month` and `explicit` (a
/// year the text gave) carry on from the clauses before, within one holiday.
fn read_clause(
    chars: &[char],
    year: i32,
    month: &mut Option<u32>,
    explicit: &mut Option<i32>,
    errors: &mut Vec<NoticeError>,
) -> Clause {
    let mut c = Clause {
        text: chars.iter().collect(),
        ..Clause::default()
    };
    let mut digits = String::new();
    // The text of the date being read, for messages.
    let mut said = String::new();
    // A bracket right after a date speaks of it.
    let mut after_date = false;
    // Whether the date being read gave its own year (a later one carries it on, but may still
    // be in the year after: "2022年12月30日至1月2日").
    let mut own_year = false;
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch == '(' {
            let close = chars[i..]
                .iter()
                .position(|c| *c == ')')
                .map_or(chars.len(), |p| i + p);
            let inside: String = chars[i + 1..close].iter().collect();
            if after_date && let Some(found) = c.dates.last() {
                check_weekday(found.date, &inside, errors);
            }
            i = close + 1;
            continue;
        }
        let number = digits.parse::<u32>().ok();
        match ch {
            '0'..='9' => {
                digits.push(ch);
                said.push(ch);
                i += 1;
                continue;
            }
            '年' if number.is_some() => {
                *explicit = number.and_then(|y| i32::try_from(y).ok());
                own_year = true;
                said.push(ch);
            }
            '月' if number.is_some() => {
                *month = number;
                said.push(ch);
            }
            '日' | '号' if number.is_some() => {
                said.push(ch);
                let y = explicit.unwrap_or(year);
                let date = month.and_then(|m| NaiveDate::from_ymd_opt(y, m, number?));
                match date {
                    Some(date) => c.dates.push(Found {
                        date,
                        explicit_year: own_year,
                    }),
                    None => errors.push(NoticeError::BadDate {
                        text: std::mem::take(&mut said),
                    }),
                }
                said.clear();
                digits.clear();
                own_year = false;
                after_date = true;
                i += 1;
                continue;
            }
            '天' if number.is_some() => {
                c.days = number;
                said.clear();
            }
            _ => said.clear(),
        }
        digits.clear();
        after_date = false;
        i += 1;
    }
    c
}

/// "周六" / "星期日" in `note` against the weekday of `date`.
fn check_weekday(date: NaiveDate, note: &str, errors: &mut Vec<NoticeError>) {
    const NAMES: [(char, Weekday); 8] = [
        ('一', Weekday::Mon),
        ('二', Weekday::Tue),
        ('三', Weekday::Wed),
        ('四', Weekday::Thu),
        ('五', Weekday::Fri),
        ('六', Weekday::Sat),
        ('日', Weekday::Sun),
        ('天', Weekday::Sun),
    ];
    let chars: Vec<char> = note.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let (prefix, next) = match (c, chars.get(i + 1), chars.get(i + 2)) {
            ('周', Some(n), _) => ("周", n),
            ('星', Some('期'), Some(n)) => ("星期", n),
            _ => continue,
        };
        if let Some((_, said)) = NAMES.iter().find(|(ch, _)| ch == next)
            && *said != date.weekday()
        {
            let actual = NAMES
                .iter()
                .find(|(_, w)| *w == date.weekday())
                .map(|(ch, _)| format!("周{ch}"))
                .unwrap_or_default();
            errors.push(NoticeError::WeekdayMismatch {
                date,
                said: format!("{prefix}{next}"),
                actual,
            });
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号), as published.
    const NOTICE_2026: &str = "国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2025年11月4日";

    /// 国务院办公厅关于2025年部分节假日安排的通知.
    const NOTICE_2025: &str = "国务院办公厅关于2025年部分节假日安排的通知
一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。";

    #[test]
    fn the_published_notices_give_the_built_in_tables() {
        let cal = WorkCalendar::builtin();
        for (text, year) in [(NOTICE_2026, 2026), (NOTICE_2025, 2025)] {
            let table = parse_notice(text, year).unwrap();
            assert_eq!(&table, cal.table(year).unwrap(), "{year}");
            table.validate().unwrap();
        }
    }

    #[test]
    fn the_short_form_and_full_width_digits_are_read() {
        // What the page's example shows: no numbering, no weekdays, no title.
        let t = parse_notice(
            "元旦：1月1日放假，共1天。春节：2月15日至23日放假调休，共9天。\
             2月14日（周六）、2月28日（周六）上班。劳动节：５月１日至５日放假。",
            2026,
        )
        .unwrap();
        assert_eq!(t.source, "");
        let days: Vec<(&str, NaiveDate, NaiveDate)> = t
            .holidays
            .iter()
            .map(|h| (h.name.as_str(), h.from, h.to))
            .collect();
        assert_eq!(
            days,
            [
                ("元旦", d(2026, 1, 1), d(2026, 1, 1)),
                ("春节", d(2026, 2, 15), d(2026, 2, 23)),
                ("劳动节", d(2026, 5, 1), d(2026, 5, 5)),
            ]
        );
        let worked: Vec<(&str, NaiveDate)> = t
            .make_up_workdays
            .iter()
            .map(|m| (m.name.as_str(), m.date))
            .collect();
        assert_eq!(worked, [("春节", d(2026, 2, 14)), ("春节", d(2026, 2, 28))]);
    }

    #[test]
    fn a_new_year_break_may_start_in_december() {
        // 2023's notice gave the years; a text without them means the same.
        for text in [
            "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。",
            "元旦：12月31日至1月2日放假调休，共3天。",
        ] {
            let t = parse_notice(text, 2023).unwrap();
            assert_eq!(t.holidays[0].from, d(2022, 12, 31), "{text}");
            assert_eq!(t.holidays[0].to, d(2023, 1, 2), "{text}");
            t.validate().unwrap();
        }
        // A break over the next new year, as the year's last holiday.
        let t = parse_notice("元旦：12月31日至1月2日放假", 2022).unwrap();
        assert_eq!(t.holidays[0].from, d(2021, 12, 31));
        let t = parse_notice("冬假：2022年12月30日至1月2日放假", 2022).unwrap();
        assert_eq!(
            (t.holidays[0].from, t.holidays[0].to),
            (d(2022, 12, 30), d(2023, 1, 2))
        );
    }

    #[test]
    fn what_cannot_be_read_is_reported_in_text_order() {
        let cases: [(&str, Vec<NoticeError>); 7] = [
            ("", vec![NoticeError::NoDates]),
            ("请各单位遵照执行。", vec![NoticeError::NoDates]),
            (
                "春节：2月15日至23日放假调休，共8天。",
                vec![NoticeError::CountMismatch {
                    name: "春节".into(),
                    said: 8,
                    counted: 9,
                }],
            ),
            (
                // The 2026 notice pasted for 2027: the weekdays give it away.
                "元旦：1月1日（周四）放假。1月4日（周日）上班。",
                vec![
                    NoticeError::WeekdayMismatch {
                        date: d(2027, 1, 1),
                        said: "周四".into(),
                        actual: "周五".into(),
                    },
                    NoticeError::WeekdayMismatch {
                        date: d(2027, 1, 4),
                        said: "周日".into(),
                        actual: "周一".into(),
                    },
                ],
            ),
            (
                "春节：2月30日放假。",
                vec![NoticeError::BadDate {
                    text: "2月30日".into(),
                }],
            ),
            (
                "春节：2月15日、2月16日。清明节：4月4日、5日、6日放假。",
                vec![
                    NoticeError::Unclear {
                        clause: "2月15日、2月16日".into(),
                    },
                    NoticeError::TooManyDates {
                        clause: "4月4日、5日、6日放假".into(),
                    },
                ],
            ),
            (
                "国庆节：2027年10月7日至2027年10月1日放假。",
                vec![NoticeError::Reversed {
                    clause: "2027年10月7日至2027年10月1日放假".into(),
                }],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_notice(text, 2027).unwrap_err(), want, "{text}");
        }
        // Every message says what it is about, in both languages.
        let e = NoticeError::CountMismatch {
            name: "春节".into(),
            said: 8,
            counted: 9,
        };
        assert_eq!(e.message(Lang::Zh), "春节：通知写共8天，日期算出9天");
        assert_eq!(
            e.message(Lang::En),
            "春节: the notice says 8 days, the dates give 9"
        );
    }

    #[test]
    fn a_day_listed_both_off_and_worked_is_left_to_the_tables_check() {
        let t = parse_notice("春节：2月15日至23日放假。2月21日（周日）上班。", 2027).unwrap();
        let e = t.validate().unwrap_err();
        assert_eq!(e.0[0].field, "make_up_workdays[0]");
        assert_eq!(e.0[0].problem, crate::Problem::HolidayAndWorkday);
    }
}
