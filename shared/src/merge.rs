//! 合并: two changes of one stored record, made apart (two phones offline), merged field by
//! field against the version both started from.
//!
//! The forms are compared as their JSON (each kind's `*Input`, the form as typed): a field
//! changed on one side only is taken from that side; a field changed on both sides to the same
//! value is taken once; a field changed on both sides differently is a [`Conflict`] for the
//! person who typed to settle (theirs or mine), never decided here. Lists (parties, follow-ups,
//! stages) merge item by item while neither side added or removed items; a list whose length
//! changed on both sides differently is one conflict. The merged form is parsed again by its
//! kind before it is sent, so a merge can never store what the rules refuse.

use serde_json::{Map, Value};

/// 冲突字段: a field both sides changed, differently.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The field as field errors name it: `summary`, `parties[0].phone`, `reports.police`.
    pub field: String,
    pub base: Value,
    pub mine: Value,
    pub theirs: Value,
}

/// A merge: the form with every field that merged by itself, and what is left to choose. The
/// conflicting fields hold `theirs` until [`Merged::choose`] says otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub value: Value,
    pub conflicts: Vec<Conflict>,
}

/// Which side a conflicting field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// 对方: the stored version.
    Theirs,
    /// 我的: what this worker typed.
    Mine,
}

impl Merged {
    /// Takes `side` for `field`; false when `field` is no conflict of this merge.
    pub fn choose(&mut self, field: &str, side: Side) -> bool {
        let Some(c) = self.conflicts.iter().find(|c| c.field == field) else {
            return false;
        };
        let chosen = match side {
            Side::Theirs => c.theirs.clone(),
            Side::Mine => c.mine.clone(),
        };
        match pointer_mut(&mut self.value, field) {
            Some(slot) => {
                *slot = chosen;
                true
            }
            None => false,
        }
    }
}

/// Merges `mine` and `theirs`, two changes of `base`.
pub fn merge(base: &Value, mine: &Value, theirs: &Value) -> Merged {
    let mut conflicts = Vec::new();
    let value = merge_at("", base, mine, theirs, &mut conflicts);
    Merged { value, conflicts }
}

fn merge_at(
    field: &str,
    base: &Value,
    mine: &Value,
    theirs: &Value,
    conflicts: &mut Vec<Conflict>,
) -> Value {
    if mine == theirs {
        return mine.clone();
    }
    if mine == base {
        return theirs.clone();
    }
    if theirs == base {
        return mine.clone();
    }
    match (base, mine, theirs) {
        (Value::Object(b), Value::Object(m), Value::Object(t)) => {
            let mut out = Map::new();
            let null = Value::Null;
            let keys = t.keys().chain(m.keys().filter(|k| !t.contains_key(*k)));
            for key in keys {
                let at = join(field, key);
                let (bk, mk, tk) = (
                    b.get(key).unwrap_or(&null),
                    m.get(key).unwrap_or(&null),
                    t.get(key).unwrap_or(&null),
                );
                out.insert(key.clone(), merge_at(&at, bk, mk, tk, conflicts));
            }
            Value::Object(out)
        }
        (Value::Array(b), Value::Array(m), Value::Array(t))
            if b.len() == m.len() && b.len() == t.len() =>
        {
            Value::Array(
                b.iter()
                    .zip(m)
                    .zip(t)
                    .enumerate()
                    .map(|(i, ((bi, mi), ti))| {
                        merge_at(&format!("{field}[{i}]"), bi, mi, ti, conflicts)
                    })
                    .collect(),
            )
        }
        _ => {
            conflicts.push(Conflict {
                field: field.to_owned(),
                base: base.clone(),
                mine: mine.clone(),
                theirs: theirs.clone(),
            });
            theirs.clone()
        }
    }
}

fn join(field: &str, key: &str) -> String {
    if field.is_empty() {
        key.to_owned()
    } else {
        format!("{field}.{key}")
    }
}

/// The value at a field name such as `parties[0].phone`.
fn pointer_mut<'a>(value: &'a mut Value, field: &str) -> Option<&'a mut Value> {
    let mut at = value;
    for part in field.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            at = at.get_mut(key)?;
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            at = at.get_mut(index.parse::<usize>().ok()?)?;
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn visit() -> Value {
        json!({
            "id": "7",
            "summary": "邻里纠纷",
            "resolved_on": "",
            "parties": [{ "name": "王芳", "phone": "13800000000" }],
            "follow_ups": [],
            "reports": { "police": "", "town_federation": "" }
        })
    }

    #[test]
    fn changes_of_different_fields_are_both_kept_without_asking() {
        let base = visit();
        let mut mine = base.clone();
        mine["resolved_on"] = json!("2026-12-01");
        mine["parties"][0]["phone"] = json!("13900000000");
        let mut theirs = base.clone();
        theirs["reports"]["police"] = json!("2026-11-30");
        theirs["follow_ups"] = json!([{ "date": "2026-12-02", "by": "李娟" }]);
        let m = merge(&base, &mine, &theirs);
        assert_eq!(m.conflicts, []);
        assert_eq!(m.value["resolved_on"], "2026-12-01");
        assert_eq!(m.value["parties"][0]["phone"], "13900000000");
        assert_eq!(m.value["reports"]["police"], "2026-11-30");
        assert_eq!(m.value["follow_ups"][0]["by"], "李娟");
    }

    #[test]
    fn the_same_field_changed_twice_is_left_to_the_worker() {
        let base = visit();
        let mut mine = base.clone();
        mine["summary"] = json!("邻里纠纷，已调解");
        mine["resolved_on"] = json!("2026-12-01");
        let mut theirs = base.clone();
        theirs["summary"] = json!("邻里纠纷，双方和解");
        let mut m = merge(&base, &mine, &theirs);
        assert_eq!(
            m.conflicts,
            [Conflict {
                field: "summary".into(),
                base: json!("邻里纠纷"),
                mine: json!("邻里纠纷，已调解"),
                theirs: json!("邻里纠纷，双方和解"),
            }]
        );
        // Until chosen, the stored text stands; what merged by itself is in.
        assert_eq!(m.value["summary"], "邻里纠纷，双方和解");
        assert_eq!(m.value["resolved_on"], "2026-12-01");
        assert!(m.choose("summary", Side::Mine));
        assert_eq!(m.value["summary"], "邻里纠纷，已调解");
        assert!(!m.choose("remarks", Side::Mine), "no such conflict");
    }

    #[test]
    fn a_list_both_sides_lengthened_differently_is_one_conflict_named_by_the_list() {
        let base = visit();
        let mut mine = base.clone();
        mine["follow_ups"] = json!([{ "date": "2026-12-02", "by": "李娟" }]);
        let mut theirs = base.clone();
        theirs["follow_ups"] = json!([{ "date": "2026-12-03", "by": "张敏" }]);
        let mut m = merge(&base, &mine, &theirs);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].field, "follow_ups");
        m.choose("follow_ups", Side::Mine);
        assert_eq!(m.value["follow_ups"][0]["by"], "李娟");
    }

    #[test]
    fn a_nested_conflict_is_named_as_field_errors_name_it() {
        let base = visit();
        let mut mine = base.clone();
        mine["parties"][0]["phone"] = json!("13900000000");
        let mut theirs = base.clone();
        theirs["parties"][0]["phone"] = json!("13700000000");
        let mut m = merge(&base, &mine, &theirs);
        assert_eq!(m.conflicts[0].field, "parties[0].phone");
        assert!(m.choose("parties[0].phone", Side::Mine));
        assert_eq!(m.value["parties"][0]["phone"], "13900000000");
    }

    /// A flat form of up to six text fields, and two changes of it: each field kept, or
    /// changed to one of a few values (so both sides often change the same field, to the same
    /// or another value).
    fn three_versions() -> impl Strategy<Value = (Value, Value, Value)> {
        let field = || prop::sample::select(vec!["甲", "乙", "丙"]);
        prop::collection::vec(
            (
                field(),
                prop::option::of(field()),
                prop::option::of(field()),
            ),
            1..6,
        )
        .prop_map(|fields| {
            let (mut b, mut m, mut t) = (Map::new(), Map::new(), Map::new());
            for (i, (base, mine, theirs)) in fields.into_iter().enumerate() {
                let k = format!("f{i}");
                b.insert(k.clone(), json!(base));
                m.insert(k.clone(), json!(mine.unwrap_or(base)));
                t.insert(k, json!(theirs.unwrap_or(base)));
            }
            (Value::Object(b), Value::Object(m), Value::Object(t))
        })
    }

    proptest! {
        /// Nothing typed is lost: every field of the merge is mine or theirs, a field only one
        /// side changed carries that change, and a conflict is exactly a field both changed to
        /// different values; choosing mine everywhere gives every change of mine.
        #[test]
        fn every_change_is_kept_or_offered((base, mine, theirs) in three_versions()) {
            let mut m = merge(&base, &mine, &theirs);
            for (k, b) in base.as_object().unwrap() {
                let (mk, tk, v) = (&mine[k], &theirs[k], &m.value[k]);
                let conflict = m.conflicts.iter().any(|c| c.field == *k);
                prop_assert_eq!(conflict, mk != b && tk != b && mk != tk);
                if mk != b && tk == b { prop_assert_eq!(v, mk); }
                if tk != b && mk == b { prop_assert_eq!(v, tk); }
                if mk == tk { prop_assert_eq!(v, mk); }
            }
            let fields: Vec<String> = m.conflicts.iter().map(|c| c.field.clone()).collect();
            for f in fields {
                prop_assert!(m.choose(&f, Side::Mine));
            }
            for (k, b) in base.as_object().unwrap() {
                if mine[k] != *b { prop_assert_eq!(&m.value[k], &mine[k]); }
            }
        }

        /// Merging with no change on one side gives the other side, exactly.
        #[test]
        fn one_sided_changes_merge_to_that_side((base, mine, _theirs) in three_versions()) {
            prop_assert_eq!(merge(&base, &mine, &base), Merged { value: mine.clone(), conflicts: vec![] });
            prop_assert_eq!(merge(&base, &base, &mine), Merged { value: mine, conflicts: vec![] });
        }
    }
}
