//! Per-laptop preferences that must be known before anyone logs in (the interface language). Not secret, stored as
//! a small JSON file beside the database; a damaged file falls back to defaults rather than blocking start-up.

use std::path::Path;

use serde::{Deserialize, Serialize};
use talento_domain::Locale;

use crate::error::CoreResult;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    #[serde(default)]
    pub locale: Locale,
}

impl Prefs {
    pub fn load(path: &Path) -> Prefs {
        std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn save(&self, path: &Path) -> CoreResult<()> {
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self).map_err(|e| crate::CoreError::Internal(e.to_string()))?)?;
        std::fs::rename(tmp, path)?;
        Ok(())
    }
}
