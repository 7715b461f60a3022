//! One page per file.

pub mod login;
pub mod visit;
