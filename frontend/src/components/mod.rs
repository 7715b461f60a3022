//! Pieces shared by the pages.

mod field;
mod outbox;
mod units;

pub use field::{Check, Choice, ChoiceField, TextField, TextKind};
pub use outbox::OutboxList;
pub use units::unit_choices;
