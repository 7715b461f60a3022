//! One page per file. Form pages share [`FormPageProps`].

pub mod dashboard;
pub mod key_person;
pub mod login;
pub mod meeting;
pub mod model_home;
pub mod monthly_report;
pub mod records;
pub mod rights_case;
pub mod rules_calendar;
pub mod rules_rubric;
pub mod rules_themes;
pub mod self_assessment;
pub mod tasks;
pub mod town_assessment;
pub mod visit;

use yew::prelude::*;

use crate::session::OrgUnit;

/// What every form page gets from the shell.
#[derive(Properties, PartialEq, Clone)]
pub struct FormPageProps {
    pub lang: shared::Lang,
    /// The logged-in user's units; the form's unit is one of them.
    pub units: Vec<OrgUnit>,
    /// A record was put in the outbox (the shell refreshes the list and sends it).
    pub on_queued: Callback<()>,
}
