//! Everything the device keeps, in one place, layered so each layer uses only the one below:
//!
//! ```text
//!   pages, components          never touch storage themselves
//!        │
//!   storage (drafts · outbox · receipts · session)      crate::storage
//!        │
//!   vault: per-account key, items in memory while open   device::vault
//!        │                         │
//!   IndexedDB (device::idb)   WebCrypto (device::crypto)
//! ```
//!
//! `localStorage` keeps nothing personal: the language, and nothing else. What today's
//! version kept there is moved into the first vault opened after the upgrade
//! ([`migrate`]).

pub mod crypto;
pub mod idb;
pub mod migrate;
pub mod vault;
