//! Every form kind stored the same way: submitted once by its client-made id, edited only as a
//! new version, read and listed within the user's units. What differs per kind — how to parse
//! it, which unit and date it belongs to, who may write it, what is computed on read — is the
//! [`FormKind`] impl in `kinds.rs`; the storage and the HTTP handlers are written once, here.

pub mod kinds;
pub mod store;

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared::ValidationErrors;
use uuid::Uuid;

use crate::auth::Role;
use crate::org::Level;

/// What computing a record's view needs besides the record.
pub struct ViewCtx<'a> {
    pub today: NaiveDate,
    /// The rule tables in force.
    pub rules: &'a crate::rules::Rules,
}

/// One kind of form.
pub trait FormKind: Send + Sync + 'static {
    /// Stored name, e.g. `visit`.
    const KIND: &'static str;
    /// URL segment, e.g. `visits`.
    const PATH: &'static str;
    type Input: DeserializeOwned + Send + 'static;
    type Record: Serialize + DeserializeOwned + PartialEq + Clone + Send + Sync + 'static;

    fn id(input: &Self::Input) -> Uuid;
    /// Whether `parse` or `view` reads the rule tables; the others get the built-in ones.
    const USES_RULES: bool = false;
    /// `rules`: the tables in force (the rubric a town assessment is filled against).
    fn parse(
        input: &Self::Input,
        today: NaiveDate,
        rules: &crate::rules::Rules,
    ) -> Result<Self::Record, ValidationErrors>;
    /// The org unit the record belongs to, and the input field that names it.
    fn unit(record: &Self::Record) -> &str;
    fn unit_field() -> &'static str {
        "org_unit"
    }
    /// The levels of unit a record of this kind may belong to.
    fn levels(record: &Self::Record) -> &'static [Level];
    /// The record's own date, for period filters; `received` when it has none.
    fn period(record: &Self::Record, received: NaiveDate) -> NaiveDate;
    fn status(_record: &Self::Record) -> Option<String> {
        None
    }
    fn category(_record: &Self::Record) -> Option<String> {
        None
    }
    /// What the list's `status`, `category` and `level` filters may ask for; a kind without
    /// one refuses the filter (422) rather than answering with nothing.
    const STATUSES: &'static [&'static str] = &[];
    const CATEGORIES: &'static [&'static str] = &[];
    const LEVELS: &'static [&'static str] = &[];
    fn may_write(_role: Role) -> bool {
        true
    }
    /// Rules for changing a stored record (e.g. a case's stages only move forward).
    fn check_edit(_old: &Self::Record, _new: &Self::Record) -> Result<(), ValidationErrors> {
        Ok(())
    }
    /// What the rules compute from the record, recomputed on every read.
    fn view(_record: &Self::Record, _ctx: &ViewCtx<'_>) -> Value {
        Value::Null
    }
    /// Reading it is audited (B and C visit records).
    fn sensitive(_record: &Self::Record) -> bool {
        false
    }
}
