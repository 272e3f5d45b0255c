//! The reference lists as the UI's pickers need them: every list with French and English labels, loaded once per
//! session by the UI (about 2,500 rows).

use rusqlite::Connection;
use serde::Serialize;
use talento_domain::Action;

use crate::engine::Talento;
use crate::error::CoreResult;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CountryRef {
    pub iso2: String,
    pub name_fr: String,
    pub name_en: String,
    pub nationality_fr: String,
    pub nationality_en: String,
    /// ISO 4217 code of the country's currency, when listed.
    pub currency: Option<String>,
    pub currency_symbol: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CityRef {
    pub country: String,
    pub code: String,
    pub name_fr: String,
    pub name_en: String,
}

/// An entry of any other list: talent categories (`category`, with `group` = tag and `extra` = emoji), talents and
/// cinema skills (`skill`, `group` = tag, `parent` = category key), `cinema_talent_type`, `language` (`extra` =
/// flag), the five physical traits (`eye_color`…), `availability` (`extraFr/En` = long label), `work_mode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ListItem {
    pub list: String,
    pub group: Option<String>,
    pub parent: Option<String>,
    pub key: String,
    pub name_fr: String,
    pub name_en: String,
    pub extra: Option<String>,
    pub extra_fr: Option<String>,
    pub extra_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceLists {
    pub countries: Vec<CountryRef>,
    pub cities: Vec<CityRef>,
    pub items: Vec<ListItem>,
}

fn items(conn: &Connection, sql: &str) -> CoreResult<Vec<ListItem>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| {
        Ok(ListItem {
            list: r.get(0)?,
            group: r.get(1)?,
            parent: r.get(2)?,
            key: r.get(3)?,
            name_fr: r.get(4)?,
            name_en: r.get(5)?,
            extra: r.get(6)?,
            extra_fr: r.get(7)?,
            extra_en: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Talento {
    pub fn reference_lists(&mut self) -> CoreResult<ReferenceLists> {
        let unlocked = self.require(Action::ReferenceView)?;
        let conn = unlocked.store.conn();
        let mut stmt = conn.prepare(
            "SELECT k.iso2, k.name_fr, k.name_en, k.nationality_fr, k.nationality_en, c.currency, c.symbol
             FROM ref_countries k LEFT JOIN ref_currencies c ON c.country_iso2 = k.iso2 ORDER BY k.position",
        )?;
        let countries = stmt
            .query_map([], |r| {
                Ok(CountryRef {
                    iso2: r.get(0)?,
                    name_fr: r.get(1)?,
                    name_en: r.get(2)?,
                    nationality_fr: r.get(3)?,
                    nationality_en: r.get(4)?,
                    currency: r.get(5)?,
                    currency_symbol: r.get(6)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = conn.prepare("SELECT country_iso2, code, name_fr, name_en FROM ref_cities ORDER BY position")?;
        let cities = stmt
            .query_map([], |r| {
                Ok(CityRef { country: r.get(0)?, code: r.get(1)?, name_fr: r.get(2)?, name_en: r.get(3)? })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut all = Vec::new();
        for sql in [
            "SELECT 'category', tag, NULL, key, name_fr, name_en, emoji, NULL, NULL FROM ref_talent_categories ORDER BY position",
            "SELECT 'skill', tag, category_key, key, name_fr, name_en, NULL, NULL, NULL FROM ref_talents ORDER BY position",
            "SELECT 'cinema_talent_type', NULL, NULL, key, name_fr, name_en, NULL, NULL, NULL FROM ref_cinema_talent_types ORDER BY position",
            "SELECT 'language', NULL, NULL, key, name_fr, name_en, flag, NULL, NULL FROM ref_languages ORDER BY position",
            "SELECT trait, NULL, NULL, key, name_fr, name_en, NULL, NULL, NULL FROM ref_physical_traits ORDER BY position",
            "SELECT 'availability', NULL, NULL, key, name_fr, name_en, NULL, label_fr, label_en FROM ref_availability ORDER BY position",
            "SELECT 'work_mode', NULL, NULL, key, name_fr, name_en, NULL, NULL, NULL FROM ref_work_modes ORDER BY position",
        ] {
            all.extend(items(conn, sql)?);
        }
        Ok(ReferenceLists { countries, cities, items: all })
    }
}
