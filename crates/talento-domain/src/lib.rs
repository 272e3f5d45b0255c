//! Talento's domain: the words of the product (roles, actions, locales, codes), the rules that validate what people
//! type, and the hybrid logical clock that orders changes across offline laptops. Pure code: no I/O, no clock reads,
//! no randomness — callers pass those in, so every rule is testable as a plain function.

pub mod badge;
pub mod casting;
pub mod hlc;
pub mod keywrap;
pub mod locale;
pub mod role;
pub mod talent;
pub mod text;
pub mod validate;

pub use hlc::{HlcTimestamp, HybridClock};
pub use locale::Locale;
pub use role::{Action, Role};
pub use validate::{FieldError, FieldProblem};
