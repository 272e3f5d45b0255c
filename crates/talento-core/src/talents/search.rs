//! Finding talents fast on 100,000 profiles: a full-text index (FTS5, accents and case folded, prefix queries) over
//! names, code, bio, skills and places, and a derived tag index — (facet, value, talent) — for every filter, so each
//! filter is an index range and they intersect cheaply. Both are rebuilt for a profile on every write.

use jiff::ToSpan;
use jiff::civil::Date;
use rusqlite::{Connection, Transaction};
use serde_json::Value;
use talento_domain::talent::{self, Gender, TalentKind};
use talento_domain::text::fold;

use super::dto::{TalentListItem, TalentPage, TalentQuery, TalentSort};
use super::record::Record;
use crate::error::CoreResult;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// Removes a profile from both indexes.
pub fn unindex(tx: &Transaction<'_>, rowid: i64) -> CoreResult<()> {
    tx.execute("DELETE FROM talent_tags WHERE talent_rowid = ?1", [rowid])?;
    tx.execute("DELETE FROM talent_fts WHERE rowid = ?1", [rowid])?;
    Ok(())
}

/// Rebuilds a profile's tags and full-text row from its record.
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
    let mut tags: Vec<(&str, String)> = vec![
        ("kind", kind.clone()),
        ("gender", s("gender")),
        ("origin_country", s("origin_country")),
        ("origin_city", format!("{}:{}", s("origin_country"), s("origin_city"))),
        ("residence_country", s("residence_country")),
        ("residence_city", format!("{}:{}", s("residence_country"), s("residence_city"))),
    ];
    for facet in ["eye_color", "hair_color", "hair_type", "skin_tone", "build", "availability", "work_mode"] {
        let value = s(facet);
        if !value.is_empty() {
            tags.push((facet, value));
        }
    }
    for (facet, column) in [("has", "photo"), ("has", "cv")] {
        if !s(column).is_empty() {
            tags.push((facet, column.to_owned()));
        }
    }
    let mut skill_labels = Vec::new();
    for skill in list("skills") {
        let (category, fr, en): (String, String, String) = tx.query_row(
            "SELECT category_key, name_fr, name_en FROM ref_talents WHERE tag = ?1 AND key = ?2",
            [&kind, &skill],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        tags.push(("skill", format!("{kind}:{skill}")));
        tags.push(("category", format!("{kind}:{category}")));
        skill_labels.extend([fr, en]);
    }
    for key in list("talent_types") {
        let (fr, en): (String, String) =
            tx.query_row("SELECT name_fr, name_en FROM ref_cinema_talent_types WHERE key = ?1", [&key], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        tags.push(("talent_type", key));
        skill_labels.extend([fr, en]);
    }
    for key in list("languages") {
        let (fr, en): (String, String) =
            tx.query_row("SELECT name_fr, name_en FROM ref_languages WHERE key = ?1", [&key], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        tags.push(("language", key));
        skill_labels.extend([fr, en]);
    }
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO talent_tags (talent_rowid, facet, value) VALUES (?1, ?2, ?3)")?;
    for (facet, value) in &tags {
        insert.execute(rusqlite::params![rowid, facet, value])?;
    }
    let mut places = vec![s("residence_city_other")];
    for (country, city) in [("origin_country", "origin_city"), ("residence_country", "residence_city")] {
        let names: Option<(String, String, String, String)> = tx
            .query_row(
                "SELECT c.name_fr, c.name_en, k.name_fr, k.name_en FROM ref_cities c
                 JOIN ref_countries k ON k.iso2 = c.country_iso2 WHERE c.country_iso2 = ?1 AND c.code = ?2",
                [s(country), s(city)],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .ok();
        if let Some((a, b, c, d)) = names {
            places.extend([a, b, c, d]);
        }
    }
    places.dedup();
    tx.prepare_cached(
        "INSERT INTO talent_fts (rowid, code, names, bio, skills, places) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![
        rowid,
        s("code"),
        format!("{} {}", s("first_name"), s("last_name")),
        s("bio"),
        skill_labels.join(" "),
        places.join(" "),
    ])?;
    Ok(())
}

/// The FTS5 query for what a person typed: every word must match, each as a prefix ("aiss" finds "Aïssatou").
pub fn fts_query(text: &str) -> Option<String> {
    let folded = fold(text);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

pub fn search(conn: &Connection, q: &TalentQuery, today: Date) -> CoreResult<TalentPage> {
    let mut conditions: Vec<String> = vec!["t.erased_at IS NULL".into()];
    let mut params: Vec<rusqlite::types::Value> = Vec::new();
    let param = |v: String, params: &mut Vec<rusqlite::types::Value>| {
        params.push(v.into());
        params.len()
    };
    if !q.include_inactive {
        conditions.push("t.active = 1".into());
    }
    let tag =
        |facet: &str, value: Option<String>, conditions: &mut Vec<String>, params: &mut Vec<rusqlite::types::Value>| {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                let f = param(facet.to_owned(), params);
                let v = param(value, params);
                conditions.push(format!(
                    "t.rowid IN (SELECT talent_rowid FROM talent_tags WHERE facet = ?{f} AND value = ?{v})"
                ));
            }
        };
    tag("kind", q.kind.map(|k| k.as_str().to_owned()), &mut conditions, &mut params);
    tag("gender", q.gender.map(|g| g.as_str().to_owned()), &mut conditions, &mut params);
    tag("category", q.category.clone(), &mut conditions, &mut params);
    tag("skill", q.skill.clone(), &mut conditions, &mut params);
    tag("talent_type", q.talent_type.clone(), &mut conditions, &mut params);
    tag("origin_country", q.origin_country.clone(), &mut conditions, &mut params);
    let city = |country: &Option<String>, city: &Option<String>| match (country, city) {
        (Some(country), Some(city)) if !city.is_empty() => Some(format!("{country}:{city}")),
        _ => None,
    };
    tag("origin_city", city(&q.origin_country, &q.origin_city), &mut conditions, &mut params);
    tag("residence_country", q.residence_country.clone(), &mut conditions, &mut params);
    tag("residence_city", city(&q.residence_country, &q.residence_city), &mut conditions, &mut params);
    for language in &q.languages {
        tag("language", Some(language.clone()), &mut conditions, &mut params);
    }
    tag("availability", q.availability.clone(), &mut conditions, &mut params);
    tag("eye_color", q.eye_color.clone(), &mut conditions, &mut params);
    tag("hair_color", q.hair_color.clone(), &mut conditions, &mut params);
    tag("hair_type", q.hair_type.clone(), &mut conditions, &mut params);
    tag("skin_tone", q.skin_tone.clone(), &mut conditions, &mut params);
    tag("build", q.build.clone(), &mut conditions, &mut params);
    for (wanted, what) in [(q.has_photo, "photo"), (q.has_cv, "cv")] {
        match wanted {
            Some(true) => tag("has", Some(what.to_owned()), &mut conditions, &mut params),
            Some(false) => {
                let v = param(what.to_owned(), &mut params);
                conditions.push(format!(
                    "t.rowid NOT IN (SELECT talent_rowid FROM talent_tags WHERE facet = 'has' AND value = ?{v})"
                ));
            }
            None => {}
        }
    }
    // Age in full years: born on or before today − min years, and after today − (max + 1) years.
    if let Some(min) = q.age_min
        && let Ok(latest) = today.checked_sub(i64::from(min).years())
    {
        let p = param(latest.to_string(), &mut params);
        conditions.push(format!("t.birth_date <= ?{p} AND t.birth_date != ''"));
    }
    if let Some(max) = q.age_max
        && let Ok(earliest) = today.checked_sub((i64::from(max) + 1).years())
    {
        let p = param(earliest.to_string(), &mut params);
        conditions.push(format!("t.birth_date > ?{p}"));
    }
    let text = q.text.as_deref().and_then(fts_query);
    let from = match &text {
        Some(match_query) => {
            let p = param(match_query.clone(), &mut params);
            format!("talent_fts f JOIN talents t ON t.rowid = f.rowid AND talent_fts MATCH ?{p}")
        }
        None => "talents t".to_owned(),
    };
    let where_clause = conditions.join(" AND ");
    let total: u32 = conn.query_row(
        &format!("SELECT count(*) FROM {from} WHERE {where_clause}"),
        rusqlite::params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let order = match (q.sort, text.is_some()) {
        (TalentSort::Relevance, true) => "f.rank, t.name_key",
        (TalentSort::Relevance | TalentSort::Name, _) => "t.name_key, t.code",
        (TalentSort::Code, _) => "t.code",
        (TalentSort::Newest, _) => "t.created_at DESC, t.code",
    };
    let limit = if q.limit == 0 { DEFAULT_LIMIT } else { q.limit.min(MAX_LIMIT) };
    let sql = format!(
        "SELECT t.id, t.kind, t.code, t.code_provisional, t.first_name, t.last_name, t.gender, t.birth_date,
                t.residence_country, t.residence_city, t.residence_city_other, t.photo, t.cv IS NOT NULL, t.active,
                t.skills
         FROM {from} WHERE {where_clause} ORDER BY {order} LIMIT {limit} OFFSET {}",
        q.offset
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
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
    })?;
    Ok(TalentPage { total, items: rows.collect::<Result<_, _>>()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_a_prefix_query_of_every_word() {
        assert_eq!(fts_query("Aïssatou  ND").as_deref(), Some("\"aissatou\"* \"nd\"*"));
        assert_eq!(fts_query("fès").as_deref(), Some("\"fes\"*"));
        assert_eq!(fts_query("\" OR 1=1 --").as_deref(), Some("\"or\"* \"1\"* \"1\"*"), "no FTS syntax gets through");
        assert_eq!(fts_query("  -- "), None);
    }
}
