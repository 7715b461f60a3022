//! Pieces shared by the pages.

mod continuing;
mod drafts;
mod field;
mod form_state;
mod outbox;
mod rule_table;
mod staff_build;
mod units;

pub use continuing::{ContinueRecord, Continuing, SaveError};
pub use drafts::DraftList;
pub use field::{Check, Choice, ChoiceField, TextField, TextKind};
pub use form_state::{
    FormAction, FormDispatch, FormState, Touches, on_click, on_flag, on_text, use_draft_form,
    use_fitted_unit,
};
pub use outbox::OutboxList;
pub use rule_table::{
    InForce, PublishBar, Published, RuleKind, RuleTabs, YearPicker, default_year, errors_html,
    field_messages, in_force_line, use_in_force,
};
pub use staff_build::StaffBuild;
pub use units::{fit_org_unit, unit_choices, unit_label};
mod chart;
mod mask;

pub use chart::{Bar, BarChart, BarChartProps, PLOT_HEIGHT, bar_height};
pub use mask::{mask_name, mask_phone};

mod storage_status;
pub use storage_status::{
    Persistence, StorageStatus, StorageStatusProps, StorageStatusView, StorageStatusViewProps,
    request_persistence,
};

/// Asks the user (the browser's own dialog); `false` when the browser cannot ask.
pub fn confirm(question: &str) -> bool {
    gloo::utils::window()
        .confirm_with_message(question)
        .unwrap_or(false)
}

/// Paper-like print views (附件2, 附件3); public for their browser tests.
pub mod print;
