//! Pieces shared by the pages.

mod field;
mod outbox;

pub use field::{Check, Choice, ChoiceField, TextField, TextKind};
pub use outbox::OutboxList;
