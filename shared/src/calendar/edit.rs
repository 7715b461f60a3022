//! Changing a [`YearTable`] one day at a time, as the calendar page does when a day is clicked.
//! The table stays in the notice's shape: consecutive days off are one holiday, and a holiday
//! keeps its name when a day is added to it or taken out of it.

use chrono::{Days, NaiveDate};

use super::{Holiday, MakeUpDay, YearTable, is_weekend};

/// What the table lists for one day (before it is checked: a day may be both).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Listed {
    pub holiday: bool,
    pub make_up: bool,
}

impl YearTable {
    pub fn listed(&self, date: NaiveDate) -> Listed {
        Listed {
            holiday: self.holidays.iter().any(|h| h.from <= date && date <= h.to),
            make_up: self.make_up_workdays.iter().any(|m| m.date == date),
        }
    }

    /// The page's click: an ordinary day becomes a holiday; a holiday becomes a make-up working
    /// day if it is a weekend day (a weekday cannot be one), else ordinary again; a make-up day
    /// (or a day listed as both) becomes ordinary.
    pub fn cycle(&mut self, date: NaiveDate) {
        let l = self.listed(date);
        match (l.holiday, l.make_up) {
            (false, false) => self.set_holiday(date, true),
            (true, false) => {
                self.set_holiday(date, false);
                if is_weekend(date) {
                    self.set_make_up(date, true);
                }
            }
            (_, true) => {
                self.set_holiday(date, false);
                self.set_make_up(date, false);
            }
        }
    }

    /// Lists `date` as a day off or takes it out. A day next to a holiday joins it (and may join
    /// two into one); a day taken out of the middle of one splits it, both parts keeping its name.
    pub fn set_holiday(&mut self, date: NaiveDate, on: bool) {
        let next = |d: NaiveDate| d.checked_add_days(Days::new(1));
        let prev = |d: NaiveDate| d.checked_sub_days(Days::new(1));
        if on {
            if self.listed(date).holiday {
                return;
            }
            let before = self.holidays.iter().position(|h| next(h.to) == Some(date));
            let after = self
                .holidays
                .iter()
                .position(|h| prev(h.from) == Some(date));
            match (before, after) {
                (Some(b), Some(a)) => {
                    let joined = self.holidays.remove(a);
                    let b = if a < b { b - 1 } else { b };
                    self.holidays[b].to = joined.to;
                }
                (Some(b), None) => self.holidays[b].to = date,
                (None, Some(a)) => self.holidays[a].from = date,
                (None, None) => self.holidays.push(Holiday {
                    name: String::new(),
                    from: date,
                    to: date,
                }),
            }
        } else {
            let mut kept = Vec::with_capacity(self.holidays.len() + 1);
            for h in self.holidays.drain(..) {
                if !(h.from <= date && date <= h.to) {
                    kept.push(h);
                    continue;
                }
                if let Some(to) = prev(date).filter(|d| *d >= h.from) {
                    kept.push(Holiday { to, ..h.clone() });
                }
                if let Some(from) = next(date).filter(|d| *d <= h.to) {
                    kept.push(Holiday { from, ..h });
                }
            }
            self.holidays = kept;
        }
        crate::order::sort_by_key(&mut self.holidays, |h| h.from);
    }

    /// Lists `date` as a make-up working day or takes it out.
    pub fn set_make_up(&mut self, date: NaiveDate, on: bool) {
        self.make_up_workdays.retain(|m| m.date != date);
        if on {
            self.make_up_workdays.push(MakeUpDay {
                name: String::new(),
                date,
            });
            crate::order::sort_by_key(&mut self.make_up_workdays, |m| m.date);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).unwrap()
    }

    fn empty() -> YearTable {
        YearTable {
            year: 2027,
            source: String::new(),
            holidays: vec![],
            make_up_workdays: vec![],
        }
    }

    fn spans(t: &YearTable) -> Vec<(&str, NaiveDate, NaiveDate)> {
        t.holidays
            .iter()
            .map(|h| (h.name.as_str(), h.from, h.to))
            .collect()
    }

    #[test]
    fn a_weekend_day_cycles_through_holiday_and_make_up_day() {
        // 2027-01-02 is a Saturday.
        let mut t = empty();
        let states: Vec<Listed> = (0..4)
            .map(|_| {
                t.cycle(d(1, 2));
                t.listed(d(1, 2))
            })
            .collect();
        let off = Listed {
            holiday: true,
            make_up: false,
        };
        let worked = Listed {
            holiday: false,
            make_up: true,
        };
        assert_eq!(states, [off, worked, Listed::default(), off]);
    }

    #[test]
    fn a_weekday_is_never_made_a_make_up_day() {
        // 2027-01-04 is a Monday.
        let mut t = empty();
        t.cycle(d(1, 4));
        assert!(t.listed(d(1, 4)).holiday);
        t.cycle(d(1, 4));
        assert_eq!(t, empty());
    }

    #[test]
    fn days_off_side_by_side_are_one_holiday_that_keeps_its_name() {
        let mut t = empty();
        t.holidays.push(Holiday {
            name: "春节".into(),
            from: d(2, 6),
            to: d(2, 8),
        });
        t.set_holiday(d(2, 10), true);
        t.set_holiday(d(2, 9), true); // joins the two
        assert_eq!(spans(&t), [("春节", d(2, 6), d(2, 10))]);
        t.set_holiday(d(2, 5), true);
        assert_eq!(spans(&t), [("春节", d(2, 5), d(2, 10))]);
        // Out of the middle: two parts, both 春节.
        t.set_holiday(d(2, 7), false);
        assert_eq!(
            spans(&t),
            [("春节", d(2, 5), d(2, 6)), ("春节", d(2, 8), d(2, 10))]
        );
        // Off the ends, down to nothing.
        for day in [5, 6, 8, 10, 9] {
            t.set_holiday(d(2, day), false);
        }
        assert!(t.holidays.is_empty());
        t.validate().unwrap();
    }

    #[test]
    fn a_day_listed_both_ways_is_cleared_by_a_click() {
        let mut t = empty();
        t.set_holiday(d(1, 2), true);
        t.set_make_up(d(1, 2), true);
        assert!(t.validate().is_err());
        t.cycle(d(1, 2));
        assert_eq!(t.listed(d(1, 2)), Listed::default());
        t.validate().unwrap();
    }
}
