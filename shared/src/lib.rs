//! 家家 domain core: the forms, their validation, and the rules that turn a record into a risk
//! level and warnings.
//!
//! Pure Rust with no I/O, compiled natively into the server and to wasm into the app, so a rule
//! exists exactly once and the browser's preview equals what the server stores.
//!
//! Every form comes in two shapes: an `…Input` (what the user typed: strings, lenient, the wire
//! and draft format) and a parsed record whose fields are typed values. `parse` is the only way
//! from one to the other and reports every bad field at once.

#[macro_use]
mod choice;

pub mod calendar;
pub mod case;
pub mod check;
pub mod council;
pub mod error;
pub mod json;
pub mod lang;
pub mod merge;
pub mod model_home;
pub mod monthly;
pub mod order;
pub mod register;
pub mod risk;
pub mod rubric;
pub mod standards;
pub mod stats;
pub mod sync;
pub mod tasks;
#[cfg(test)]
mod testgen;
pub mod themes;
pub mod time;
pub mod value;
pub mod visit;
pub mod warning;

pub use error::{FieldError, Problem, ValidationErrors};
pub use lang::Lang;
pub use risk::{DisputeTier, RiskFacts, RiskLevel};
pub use visit::{VisitAssessment, VisitInput, VisitRecord};
pub use warning::{Severity, Subject, Warning, WarningCode};
