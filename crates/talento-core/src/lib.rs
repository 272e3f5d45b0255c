//! Talento's desktop engine: the encrypted local store, the reference data, accounts and sessions, and the
//! role-checked use cases that the desktop shell, the `talento` CLI and the tests all call through [`Talento`].

pub mod attachments;
pub mod audit;
pub mod bench;
pub mod casting;
pub mod changelog;
pub mod codes;
pub mod crypto;
pub mod dto;
mod engine;
pub mod error;
pub mod exports;
pub mod i18n;
pub mod keyfile;
pub mod paths;
pub mod prefs;
pub mod presence;
pub mod reference;
mod rows;
pub mod seeds;
pub mod store;
pub mod sync;
pub mod talents;

pub use engine::{Options, Talento};
pub use error::{AppError, CoreError, CoreResult, ErrorCode};
