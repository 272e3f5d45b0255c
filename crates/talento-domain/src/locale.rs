//! The languages the product speaks. French first: it is the default everywhere a choice has not been made.

use serde::{Deserialize, Serialize};

/// A user-interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    /// Reads a stored or typed language tag; anything unknown falls back to French, the product's default.
    pub fn parse_or_default(tag: &str) -> Locale {
        match tag.trim().to_ascii_lowercase().as_str() {
            t if t.starts_with("en") => Locale::En,
            _ => Locale::Fr,
        }
    }
}
