//! 所属单位 choices: the units of one level among the user's, for a form's unit field.

use crate::components::Choice;
use crate::session::OrgUnit;

/// The user's units of `level` (`village`, `town`), each named with its parent when they do
/// not all share one.
pub fn unit_choices(units: &[OrgUnit], level: &str) -> Vec<Choice> {
    let chosen: Vec<&OrgUnit> = units.iter().filter(|u| u.level == level).collect();
    let first_parent = chosen.first().map(|v| &v.parent);
    let many_parents = chosen.iter().any(|v| Some(&v.parent) != first_parent);
    chosen
        .iter()
        .map(|v| {
            let parent = v
                .parent
                .as_ref()
                .and_then(|p| units.iter().find(|u| &u.id == p))
                .filter(|_| many_parents);
            Choice {
                value: v.id.clone().into(),
                label: match parent {
                    Some(t) => format!("{} · {}", t.name, v.name).into(),
                    None => v.name.clone().into(),
                },
            }
        })
        .collect()
}

/// The unit a form should have with these choices: its own if it is one of them, the only one
/// if there is just one, else none (a draft typed before logins, or by another user).
pub fn fit_org_unit(current: &str, choices: &[Choice]) -> String {
    if choices.iter().any(|c| c.value == current) {
        current.to_owned()
    } else if let [only] = choices {
        only.value.to_string()
    } else {
        String::new()
    }
}

/// A unit's name, with its town's for a village when the user sees more than one town.
pub fn unit_label(units: &[OrgUnit], id: &str, fallback: &str) -> String {
    let Some(unit) = units.iter().find(|u| u.id == id) else {
        return if fallback.is_empty() {
            id.to_owned()
        } else {
            fallback.to_owned()
        };
    };
    let towns = units.iter().filter(|u| u.level == "town").count();
    let parent = unit
        .parent
        .as_ref()
        .and_then(|p| units.iter().find(|u| &u.id == p));
    match parent {
        Some(t) if unit.is_village() && towns > 1 => format!("{} · {}", t.name, unit.name),
        _ => unit.name.clone(),
    }
}
