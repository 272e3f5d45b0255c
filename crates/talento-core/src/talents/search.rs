//! Finding talents fast on 100,000 profiles: the full-text table (FTS5, accents and case folded, prefix queries)
//! over names, code, bio, skills and places, rebuilt for a profile on every write, and the query that combines it
//! with the in-memory filter index ([`super::index`]) and reads the page's rows.

use jiff::civil::Date;
use rusqlite::{Connection, Transaction};
use serde_json::Value;
use talento_domain::talent::{self, Gender, TalentKind};
use talento_domain::text::fold;

use super::dto::{TalentListItem, TalentPage, TalentQuery};
use super::index::SearchIndex;
use super::record::Record;
use crate::error::CoreResult;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// Removes a profile from the full-text table.
pub fn unindex(tx: &Transaction<'_>, rowid: i64) -> CoreResult<()> {
    tx.execute("DELETE FROM talent_fts WHERE rowid = ?1", [rowid])?;
    Ok(())
}

/// Rebuilds a profile's full-text row from its record: names, code, bio, the labels (fr and en) of its skills,
/// types and languages, and the names of its places.
pub fn reindex(tx: &Transaction<'_>, rowid: i64, r: &Record) -> CoreResult<()> {
    unindex(tx, rowid)?;
    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let list = |k: &str| -> Vec<String> {
        r.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let kind = s("kind");
    let mut labels = Vec::new();
    let mut label = |sql: &str, params: &[&str]| -> CoreResult<()> {
        let (fr, en): (String, String) = tx
            .prepare_cached(sql)?
            .query_row(rusqlite::params_from_iter(params), |row| Ok((row.get(0)?, row.get(1)?)))?;
        labels.push(fr);
        if labels.last() != Some(&en) {
            labels.push(en);
        }
        Ok(())
    };
    for skill in list("skills") {
        label("SELECT name_fr, name_en FROM ref_talents WHERE tag = ?1 AND key = ?2", &[&kind, &skill])?;
    }
    for key in list("talent_types") {
        label("SELECT name_fr, name_en FROM ref_cinema_talent_types WHERE key = ?1", &[&key])?;
    }
    for key in list("languages") {
        label("SELECT name_fr, name_en FROM ref_languages WHERE key = ?1", &[&key])?;
    }
    let mut places = vec![s("residence_city_other")];
    for (country, city) in [("origin_country", "origin_city"), ("residence_country", "residence_city")] {
        let names: Option<(String, String, String, String)> = tx
            .prepare_cached(
                "SELECT c.name_fr, c.name_en, k.name_fr, k.name_en FROM ref_cities c
                 JOIN ref_countries k ON k.iso2 = c.country_iso2 WHERE c.country_iso2 = ?1 AND c.code = ?2",
            )?
            .query_row([s(country), s(city)], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
            .ok();
        if let Some((a, b, c, d)) = names {
            places.extend([a, b, c, d]);
        }
    }
    places.sort();
    places.dedup();
    tx.prepare_cached(
        "INSERT INTO talent_fts (rowid, code, names, bio, skills, places) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![
        rowid,
        s("code"),
        format!("{} {}", s("first_name"), s("last_name")),
        s("bio"),
        labels.join(" "),
        places.join(" "),
    ])?;
    Ok(())
}

/// The FTS5 query for what a person typed: every word of two letters or more must match, each as a prefix
/// ("aiss" finds "Aïssatou"). One-letter words are matched against name starts by the index instead.
pub fn fts_query(text: &str) -> Option<String> {
    let folded = fold(text);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .take(12)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Runs a query with the index and reads the page's rows.
pub fn search(conn: &Connection, index: &SearchIndex, q: &TalentQuery, today: Date) -> CoreResult<TalentPage> {
    let fts_rowids = match q.text.as_deref().and_then(fts_query) {
        Some(query) => {
            let mut stmt = conn.prepare_cached("SELECT rowid FROM talent_fts WHERE talent_fts MATCH ?1")?;
            let rows = stmt.query_map([query], |r| r.get::<_, i64>(0))?;
            Some(rows.collect::<Result<Vec<_>, _>>()?)
        }
        None => None,
    };
    let (total, rowids) = index.search(q, fts_rowids.as_deref(), today);
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, code, code_provisional, first_name, last_name, gender, birth_date, residence_country,
                residence_city, residence_city_other, photo, cv IS NOT NULL, active, skills
         FROM talents WHERE rowid = ?1",
    )?;
    let mut items = Vec::with_capacity(rowids.len());
    for rowid in rowids {
        items.push(stmt.query_row([rowid], |r| {
            let birth: String = r.get(7)?;
            let skills: String = r.get(14)?;
            Ok(TalentListItem {
                id: r.get(0)?,
                kind: TalentKind::parse(&r.get::<_, String>(1)?).unwrap_or(TalentKind::General),
                code: r.get(2)?,
                code_provisional: r.get(3)?,
                first_name: r.get(4)?,
                last_name: r.get(5)?,
                gender: Gender::parse(&r.get::<_, String>(6)?).unwrap_or(Gender::N),
                age: birth.parse::<Date>().ok().map(|b| talent::age_on(b, today)),
                residence_country: r.get(8)?,
                residence_city: r.get(9)?,
                residence_city_other: r.get(10)?,
                photo: r.get(11)?,
                has_cv: r.get(12)?,
                active: r.get(13)?,
                skills: serde_json::from_str::<Vec<String>>(&skills).unwrap_or_default().into_iter().take(3).collect(),
            })
        })?);
    }
    Ok(TalentPage { total, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_a_prefix_query_of_every_word() {
        assert_eq!(fts_query("Aïssatou  ND").as_deref(), Some("\"aissatou\"* \"nd\"*"));
        assert_eq!(fts_query("fès").as_deref(), Some("\"fes\"*"));
        assert_eq!(fts_query("\" OR 1=1 --").as_deref(), Some("\"or\"*"), "no FTS syntax gets through");
        assert_eq!(fts_query("  a -- "), None, "one letter is left to the name index");
    }
}
