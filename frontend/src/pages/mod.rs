//! One page per file.

pub mod visit;
