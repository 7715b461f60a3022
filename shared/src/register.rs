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
    use super::*;

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
}
