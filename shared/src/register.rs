//! 需要重点关注的妇女儿童信息统计表 — the key women & children register (000 附件2).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Collector, Problem, ValidationErrors};
use crate::value::{PersonName, Phone, Text, earliest_date, parse_past_date};

/// 妇女类别 as ticked on the paper form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WomanFlagsInput {
    /// 贫困.
    pub poor: bool,
    /// 重残.
    pub severe_disability: bool,
    /// 单亲.
    pub single_parent: bool,
    /// 其它: what, in words; empty when not ticked.
    pub other: String,
}

/// 儿童类别 as ticked on the paper form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChildFlagsInput {
    /// 孤儿.
    pub orphan: bool,
    /// 困境.
    pub in_hardship: bool,
    /// 留守.
    pub left_behind: bool,
    /// 其它.
    pub other: String,
}

/// 关爱帮扶 as typed: one dated entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CareInput {
    pub date: String,
    pub by: String,
    pub content: String,
}

/// 重点关注对象 as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeyPersonInput {
    pub id: Uuid,
    pub org_unit: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub woman: WomanFlagsInput,
    pub child: ChildFlagsInput,
    pub care: Vec<CareInput>,
}

/// 妇女类别, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WomanFlags {
    pub poor: bool,
    pub severe_disability: bool,
    pub single_parent: bool,
    pub other: Option<Text<50>>,
}

/// 儿童类别, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildFlags {
    pub orphan: bool,
    pub in_hardship: bool,
    pub left_behind: bool,
    pub other: Option<Text<50>>,
}

impl WomanFlagsInput {
    /// Whether a box is ticked, read leniently while the form is typed: 其它 counts once it has
    /// words. For every valid row this equals [`KeyPerson::is_woman`].
    pub fn any(&self) -> bool {
        self.poor || self.severe_disability || self.single_parent || !self.other.trim().is_empty()
    }
}

impl ChildFlagsInput {
    /// Whether a box is ticked, read leniently; equals [`KeyPerson::is_child`] for valid rows.
    pub fn any(&self) -> bool {
        self.orphan || self.in_hardship || self.left_behind || !self.other.trim().is_empty()
    }
}

impl WomanFlags {
    pub fn any(&self) -> bool {
        self.poor || self.severe_disability || self.single_parent || self.other.is_some()
    }
}

impl ChildFlags {
    pub fn any(&self) -> bool {
        self.orphan || self.in_hardship || self.left_behind || self.other.is_some()
    }
}

/// 关爱帮扶情况: one dated entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Care {
    pub date: NaiveDate,
    pub by: Option<PersonName>,
    pub content: Text<500>,
}

/// 重点关注的妇女儿童: one row of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPerson {
    pub id: Uuid,
    pub org_unit: Text<60>,
    pub name: PersonName,
    /// 家庭住址; also what groups people into households (重点家庭).
    pub address: Text<100>,
    pub phone: Option<Phone>,
    pub woman: WomanFlags,
    pub child: ChildFlags,
    pub care: Vec<Care>,
}

impl KeyPerson {
    /// Checks a register row: name and address required, at least one woman or child flag.
    pub fn parse(input: &KeyPersonInput, today: NaiveDate) -> Result<KeyPerson, ValidationErrors> {
        let mut c = Collector::default();
        if input.id.is_nil() {
            // The client makes the id; without one a retry could not be told from a new record.
            c.push("id", ("编号", "Id"), Problem::Required);
        }
        let org_unit = c.take(
            "org_unit",
            ("所属村（社区）", "Village"),
            Text::parse(&input.org_unit),
        );
        let name = c.take("name", ("姓名", "Name"), PersonName::parse(&input.name));
        let address = c.take(
            "address",
            ("家庭住址", "Address"),
            Text::parse(&input.address),
        );
        let phone = c.take(
            "phone",
            ("联系电话", "Phone"),
            Phone::parse_optional(&input.phone),
        );
        let woman_other = c.take(
            "woman.other",
            ("妇女其它情况", "Other (woman)"),
            Text::parse_optional(&input.woman.other),
        );
        let child_other = c.take(
            "child.other",
            ("儿童其它情况", "Other (child)"),
            Text::parse_optional(&input.child.other),
        );
        let woman = WomanFlags {
            poor: input.woman.poor,
            severe_disability: input.woman.severe_disability,
            single_parent: input.woman.single_parent,
            other: woman_other.flatten(),
        };
        let child = ChildFlags {
            orphan: input.child.orphan,
            in_hardship: input.child.in_hardship,
            left_behind: input.child.left_behind,
            other: child_other.flatten(),
        };
        if !woman.any() && !child.any() {
            c.push(
                "flags",
                ("妇女/儿童类别", "Woman/child category"),
                Problem::NothingTicked,
            );
        }
        let mut care = Vec::with_capacity(input.care.len());
        for (i, e) in input.care.iter().enumerate() {
            let label =
                |zh: &str, en: &str| (format!("帮扶{}{zh}", i + 1), format!("Care {} {en}", i + 1));
            let l = label("日期", "date");
            let date = c.take(
                format!("care[{i}].date"),
                (&l.0, &l.1),
                parse_past_date(&e.date, earliest_date(), today),
            );
            let l = label("帮扶人", "by");
            let by = c.take(
                format!("care[{i}].by"),
                (&l.0, &l.1),
                PersonName::parse_optional(&e.by),
            );
            let l = label("帮扶情况", "content");
            let content = c.take(
                format!("care[{i}].content"),
                (&l.0, &l.1),
                Text::parse(&e.content),
            );
            if let (Some(date), Some(by), Some(content)) = (date, by, content) {
                care.push(Care { date, by, content });
            }
        }
        c.finish()?;
        let (Some(org_unit), Some(name), Some(address), Some(phone)) =
            (org_unit, name, address, phone)
        else {
            unreachable!("every missing value recorded an error");
        };
        Ok(KeyPerson {
            id: input.id,
            org_unit,
            name,
            address,
            phone,
            woman,
            child,
            care,
        })
    }

    /// The form again, for changing a stored row (续办: a new care entry). Parsing it with any
    /// `today` on or after the last care date gives the row back.
    pub fn to_input(&self) -> KeyPersonInput {
        let opt = |t: &Option<Text<50>>| t.as_ref().map(|t| t.as_str().to_owned());
        KeyPersonInput {
            id: self.id,
            org_unit: self.org_unit.as_str().into(),
            name: self.name.as_str().into(),
            address: self.address.as_str().into(),
            phone: self
                .phone
                .as_ref()
                .map(|p| p.as_str().into())
                .unwrap_or_default(),
            woman: WomanFlagsInput {
                poor: self.woman.poor,
                severe_disability: self.woman.severe_disability,
                single_parent: self.woman.single_parent,
                other: opt(&self.woman.other).unwrap_or_default(),
            },
            child: ChildFlagsInput {
                orphan: self.child.orphan,
                in_hardship: self.child.in_hardship,
                left_behind: self.child.left_behind,
                other: opt(&self.child.other).unwrap_or_default(),
            },
            care: self
                .care
                .iter()
                .map(|c| CareInput {
                    date: c.date.to_string(),
                    by: c.by.as_ref().map(|b| b.as_str().into()).unwrap_or_default(),
                    content: c.content.as_str().into(),
                })
                .collect(),
        }
    }

    /// Whether this row counts as a woman, a child, or both, for statistics.
    pub fn is_woman(&self) -> bool {
        self.woman.any()
    }

    pub fn is_child(&self) -> bool {
        self.child.any()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testgen as g;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn row() -> KeyPersonInput {
        KeyPersonInput {
            id: Uuid::from_u128(1),
            org_unit: "林梓村".into(),
            name: "陈小雨".into(),
            address: "林梓村5组8号".into(),
            child: ChildFlagsInput {
                left_behind: true,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn a_left_behind_child_is_a_valid_row() {
        let p = KeyPerson::parse(&row(), today()).unwrap();
        assert!(p.is_child() && !p.is_woman());
    }

    /// 附件2 has 妇女 and 儿童 boxes to tick: a row with none ticked records nobody to care for.
    #[test]
    fn at_least_one_box_must_be_ticked() {
        let mut input = row();
        input.child.left_behind = false;
        let e = KeyPerson::parse(&input, today()).unwrap_err();
        assert_eq!(e.0[0].field, "flags");
        assert_eq!(e.0[0].message, "妇女/儿童类别：请至少勾选一项");
        // 其它 with words counts as ticked; 其它 with only spaces does not.
        input.woman.other = "失独".into();
        assert!(KeyPerson::parse(&input, today()).is_ok());
        input.woman.other = "  ".into();
        assert!(KeyPerson::parse(&input, today()).is_err());
    }

    /// The app's live 妇女/儿童 line reads the boxes as typed; for a valid row it must say what
    /// the stored row counts as.
    #[test]
    fn the_typed_boxes_count_as_the_stored_row_does() {
        let counts = |edit: &dyn Fn(&mut KeyPersonInput), woman: bool, child: bool| {
            let mut input = row();
            edit(&mut input);
            let p = KeyPerson::parse(&input, today()).unwrap();
            assert_eq!((input.woman.any(), input.child.any()), (woman, child));
            assert_eq!((p.is_woman(), p.is_child()), (woman, child));
        };
        counts(&|_| {}, false, true);
        counts(&|i| i.woman.poor = true, true, true);
        counts(&|i| i.woman.other = " 失独 ".into(), true, true);
        counts(
            &|i| {
                i.child.left_behind = false;
                i.woman.single_parent = true;
            },
            true,
            false,
        );
        counts(
            &|i| {
                i.child.left_behind = false;
                i.child.other = "事实无人抚养".into();
            },
            false,
            true,
        );
        let mut none = row();
        none.child.left_behind = false;
        none.child.other = "  ".into();
        assert!(!none.woman.any() && !none.child.any());
    }

    #[test]
    fn care_entries_are_dated_and_described() {
        let mut input = row();
        input.care.push(CareInput {
            date: "2026-12-01".into(),
            by: "".into(),
            content: "".into(),
        });
        let e = KeyPerson::parse(&input, today()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["care[0].date", "care[0].content"]);
        assert_eq!(e.0[0].message, "帮扶1日期：日期不能晚于今天");
    }

    fn valid_flags() -> impl Strategy<Value = ([bool; 3], String)> {
        (prop::array::uniform3(any::<bool>()), g::opt(g::text(50)))
    }

    prop_compose! {
        /// A valid row: any boxes ticked (at least one), care entries dated up to today.
        fn valid_row()(
            id in g::id(),
            (org_unit, name, address, phone) in (
                g::text(60),
                g::name(),
                g::text(100),
                g::opt(g::phone()),
            ),
            (woman, child) in (valid_flags(), valid_flags()),
            care in prop::collection::vec((any::<u32>(), g::opt(g::name()), g::text(500)), 0..=3),
        ) -> KeyPersonInput {
            let mut input = KeyPersonInput {
                id,
                org_unit,
                name,
                address,
                phone,
                woman: WomanFlagsInput {
                    poor: woman.0[0],
                    severe_disability: woman.0[1],
                    single_parent: woman.0[2],
                    other: woman.1,
                },
                child: ChildFlagsInput {
                    orphan: child.0[0],
                    in_hardship: child.0[1],
                    left_behind: child.0[2],
                    other: child.1,
                },
                care: care
                    .into_iter()
                    .map(|(seed, by, content)| CareInput {
                        date: g::ymd(g::date_in(earliest_date(), today(), seed)),
                        by,
                        content,
                    })
                    .collect(),
            };
            if !input.woman.any() && !input.child.any() {
                input.child.left_behind = true;
            }
            input
        }
    }

    /// Nearly every generated row is valid, so the round trip is really checked.
    #[test]
    fn the_valid_row_generator_makes_valid_rows() {
        g::assert_mostly_valid("key person", valid_row(), |i| {
            KeyPerson::parse(i, today()).is_ok()
        });
    }

    proptest! {
        /// A stored row comes back as its form, which parses to the same row (续办 adds care
        /// entries to it).
        #[test]
        fn rows_come_back_as_their_form(input in valid_row()) {
            let row = KeyPerson::parse(&input, today())
                .map_err(|e| TestCaseError::fail(format!("generated row refused: {e:?}")))?;
            prop_assert_eq!(KeyPerson::parse(&row.to_input(), today()), Ok(row));
        }
    }
}
