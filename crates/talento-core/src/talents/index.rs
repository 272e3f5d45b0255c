//! The in-memory search index of an unlocked store: what makes filtering and counting 100,000 profiles take
//! milliseconds. Every filterable value (`kind=cinema`, `language=wolof`, `residence_city=SN:DKR`, …) has a
//! roaring bitmap of the profiles that have it, and the three sort orders are kept presorted, so a query is a few
//! bitmap intersections, a cardinality and a walk down one order. Text goes through the FTS5 table and joins as one
//! more bitmap. The index lives only while the store is unlocked (it is derived, never stored), is kept current by
//! every write of this process, and is rebuilt when another process (the CLI) has changed the database
//! (`PRAGMA data_version`).

use std::cmp::Ordering;
use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use roaring::RoaringBitmap;
use rusqlite::{Connection, OptionalExtension};
use talento_domain::text::fold;

use super::dto::{TalentQuery, TalentSort};
use crate::error::CoreResult;

/// Above this many changed rows in one go, rebuilding is cheaper than updating row by row.
const REBUILD_ABOVE: usize = 500;

#[derive(Debug)]
struct Slot {
    rowid: i64,
    name_key: String,
    code: String,
    created_at: String,
    /// Birth date as `yyyymmdd`, for age filters.
    birth: Option<i32>,
    facets: Vec<u32>,
}

#[derive(Debug)]
pub struct SearchIndex {
    data_version: i64,
    stale: bool,
    slots: Vec<Option<Slot>>,
    by_rowid: HashMap<i64, u32>,
    facet_ids: HashMap<String, u32>,
    facets: Vec<RoaringBitmap>,
    live: RoaringBitmap,
    active: RoaringBitmap,
    by_name: Vec<u32>,
    by_code: Vec<u32>,
    by_new: Vec<u32>,
    /// (tag, skill key) → category key.
    skill_category: HashMap<(String, String), String>,
}

const ROW_SQL: &str =
    "SELECT rowid, name_key, code, created_at, birth_date, active, erased_at IS NOT NULL, kind, gender,
    origin_country, origin_city, residence_country, residence_city, skills, languages, talent_types, eye_color,
    hair_color, hair_type, skin_tone, build, availability, work_mode, photo IS NOT NULL, cv IS NOT NULL FROM talents";

/// One row as read for the index: (slot, is active, is erased).
type Loaded = (Slot, bool, bool);

fn ymd(date: &str) -> Option<i32> {
    let d: Date = date.parse().ok()?;
    Some(i32::from(d.year()) * 10_000 + i32::from(d.month()) * 100 + i32::from(d.day()))
}

/// The connection's change counter: it moves when another connection commits.
pub fn data_version(conn: &Connection) -> CoreResult<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

impl SearchIndex {
    /// Reads every profile and builds the index.
    pub fn build(conn: &Connection) -> CoreResult<SearchIndex> {
        let mut index = SearchIndex {
            data_version: data_version(conn)?,
            stale: false,
            slots: Vec::new(),
            by_rowid: HashMap::new(),
            facet_ids: HashMap::new(),
            facets: Vec::new(),
            live: RoaringBitmap::new(),
            active: RoaringBitmap::new(),
            by_name: Vec::new(),
            by_code: Vec::new(),
            by_new: Vec::new(),
            skill_category: HashMap::new(),
        };
        let mut stmt = conn.prepare("SELECT tag, key, category_key FROM ref_talents")?;
        let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        index.skill_category = rows.collect::<Result<_, _>>()?;
        let mut stmt = conn.prepare(ROW_SQL)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (slot, active, erased) = index.read(row)?;
            if erased {
                continue;
            }
            let id = index.slots.len() as u32;
            index.place(id, slot, active);
        }
        let slots = &index.slots;
        let key = |id: &u32| slots[*id as usize].as_ref();
        index.by_name = (0..slots.len() as u32).collect();
        index.by_name.sort_unstable_by(|a, b| cmp_name(key(a), key(b)));
        index.by_code = index.by_name.clone();
        index.by_code.sort_unstable_by(|a, b| cmp_code(key(a), key(b)));
        index.by_new = index.by_name.clone();
        index.by_new.sort_unstable_by(|a, b| cmp_new(key(a), key(b)));
        Ok(index)
    }

    /// Whether the index must be rebuilt before it answers.
    pub fn outdated(&self, conn: &Connection) -> CoreResult<bool> {
        Ok(self.stale || data_version(conn)? != self.data_version)
    }

    /// Brings the given profiles up to date after this process changed them.
    pub fn refresh(&mut self, conn: &Connection, rowids: &[i64]) -> CoreResult<()> {
        if rowids.len() > REBUILD_ABOVE {
            self.stale = true;
            return Ok(());
        }
        let mut stmt = conn.prepare_cached(&format!("{ROW_SQL} WHERE rowid = ?1"))?;
        for &rowid in rowids {
            if let Some(id) = self.by_rowid.get(&rowid).copied() {
                self.unplace(id);
            }
            let loaded = stmt.query_row([rowid], |row| self.read(row)).optional()?;
            if let Some((slot, active, false)) = loaded {
                let id = match self.by_rowid.get(&rowid) {
                    Some(id) => *id,
                    None => {
                        self.slots.push(None);
                        (self.slots.len() - 1) as u32
                    }
                };
                self.place(id, slot, active);
                self.insert_sorted(id);
            }
        }
        Ok(())
    }

    fn read(&mut self, row: &rusqlite::Row<'_>) -> rusqlite::Result<Loaded> {
        use std::fmt::Write as _;
        let text = |i: usize| -> rusqlite::Result<&str> {
            Ok(row.get_ref(i)?.as_str_or_null().map_err(rusqlite::Error::from)?.unwrap_or_default())
        };
        let list =
            |i: usize| -> rusqlite::Result<Vec<String>> { Ok(serde_json::from_str(text(i)?).unwrap_or_default()) };
        // One buffer for every facet key: building the index allocates per new value, not per profile.
        let mut key = String::with_capacity(64);
        let mut ids = Vec::with_capacity(16);
        let mut add = |this: &mut Self, args: std::fmt::Arguments<'_>| {
            key.clear();
            let _ = key.write_fmt(args);
            ids.push(this.facet_id(&key));
        };
        let kind = text(7)?.to_owned();
        add(self, format_args!("kind={kind}"));
        add(self, format_args!("gender={}", text(8)?));
        add(self, format_args!("origin_country={}", text(9)?));
        add(self, format_args!("origin_city={}:{}", text(9)?, text(10)?));
        add(self, format_args!("residence_country={}", text(11)?));
        add(self, format_args!("residence_city={}:{}", text(11)?, text(12)?));
        for skill in list(13)? {
            if let Some(category) = self.skill_category.get(&(kind.clone(), skill.clone())).cloned() {
                add(self, format_args!("category={kind}:{category}"));
            }
            add(self, format_args!("skill={kind}:{skill}"));
        }
        for language in list(14)? {
            add(self, format_args!("language={language}"));
        }
        for talent_type in list(15)? {
            add(self, format_args!("talent_type={talent_type}"));
        }
        for (i, facet) in [
            (16, "eye_color"),
            (17, "hair_color"),
            (18, "hair_type"),
            (19, "skin_tone"),
            (20, "build"),
            (21, "availability"),
            (22, "work_mode"),
        ] {
            let value = text(i)?;
            if !value.is_empty() {
                add(self, format_args!("{facet}={value}"));
            }
        }
        if row.get::<_, bool>(23)? {
            add(self, format_args!("has=photo"));
        }
        if row.get::<_, bool>(24)? {
            add(self, format_args!("has=cv"));
        }
        let slot = Slot {
            rowid: row.get(0)?,
            name_key: text(1)?.to_owned(),
            code: text(2)?.to_owned(),
            created_at: text(3)?.to_owned(),
            birth: ymd(text(4)?),
            facets: ids,
        };
        Ok((slot, row.get(5)?, row.get(6)?))
    }

    fn facet_id(&mut self, facet: &str) -> u32 {
        if let Some(id) = self.facet_ids.get(facet) {
            return *id;
        }
        let id = self.facets.len() as u32;
        self.facets.push(RoaringBitmap::new());
        self.facet_ids.insert(facet.to_owned(), id);
        id
    }

    fn place(&mut self, id: u32, slot: Slot, active: bool) {
        for facet in &slot.facets {
            self.facets[*facet as usize].insert(id);
        }
        self.live.insert(id);
        if active {
            self.active.insert(id);
        }
        self.by_rowid.insert(slot.rowid, id);
        if self.slots.len() <= id as usize {
            self.slots.resize_with(id as usize + 1, || None);
        }
        self.slots[id as usize] = Some(slot);
    }

    fn unplace(&mut self, id: u32) {
        let slots = &self.slots;
        let Some(this) = slots[id as usize].as_ref() else { return };
        // Out of the orders first, while the slot still sorts where it was put.
        for (order, cmp) in [
            (&mut self.by_name, cmp_name as fn(Option<&Slot>, Option<&Slot>) -> Ordering),
            (&mut self.by_code, cmp_code),
            (&mut self.by_new, cmp_new),
        ] {
            match order.binary_search_by(|probe| cmp(slots[*probe as usize].as_ref(), Some(this))) {
                Ok(at) if order[at] == id => {
                    order.remove(at);
                }
                _ => order.retain(|x| *x != id),
            }
        }
        let Some(slot) = self.slots[id as usize].take() else { return };
        for facet in &slot.facets {
            self.facets[*facet as usize].remove(id);
        }
        self.live.remove(id);
        self.active.remove(id);
        self.by_rowid.remove(&slot.rowid);
    }

    fn insert_sorted(&mut self, id: u32) {
        let slots = &self.slots;
        let this = slots[id as usize].as_ref();
        for (order, cmp) in [
            (&mut self.by_name, cmp_name as fn(Option<&Slot>, Option<&Slot>) -> Ordering),
            (&mut self.by_code, cmp_code),
            (&mut self.by_new, cmp_new),
        ] {
            let at = order.partition_point(|probe| cmp(slots[*probe as usize].as_ref(), this) == Ordering::Less);
            order.insert(at, id);
        }
    }

    /// The rowids of `fts_rowids` (when text was searched) as a bitmap of slots.
    fn text_set(&self, fts_rowids: &[i64]) -> RoaringBitmap {
        fts_rowids.iter().filter_map(|r| self.by_rowid.get(r)).copied().collect()
    }

    /// Runs a query: the total and the page's rowids in order. `fts_rowids` are the full-text matches when the
    /// query has text of two characters or more; one-letter words match the start of a name.
    pub fn search(&self, q: &TalentQuery, fts_rowids: Option<&[i64]>, today: Date) -> (u32, Vec<i64>) {
        let mut set = if q.include_inactive { self.live.clone() } else { self.active.clone() };
        let empty = RoaringBitmap::new();
        let require = |facet: String, set: &mut RoaringBitmap| {
            let bitmap = self.facet_ids.get(&facet).map_or(&empty, |id| &self.facets[*id as usize]);
            *set &= bitmap;
        };
        let city = |country: &Option<String>, city: &Option<String>| match (country, city) {
            (Some(country), Some(city)) if !city.is_empty() => Some(format!("{country}:{city}")),
            _ => None,
        };
        let wanted: Vec<(&str, Option<String>)> = vec![
            ("kind", q.kind.map(|k| k.as_str().to_owned())),
            ("gender", q.gender.map(|g| g.as_str().to_owned())),
            ("category", q.category.clone()),
            ("skill", q.skill.clone()),
            ("talent_type", q.talent_type.clone()),
            ("origin_country", q.origin_country.clone()),
            ("origin_city", city(&q.origin_country, &q.origin_city)),
            ("residence_country", q.residence_country.clone()),
            ("residence_city", city(&q.residence_country, &q.residence_city)),
            ("availability", q.availability.clone()),
            ("eye_color", q.eye_color.clone()),
            ("hair_color", q.hair_color.clone()),
            ("hair_type", q.hair_type.clone()),
            ("skin_tone", q.skin_tone.clone()),
            ("build", q.build.clone()),
        ];
        for (facet, value) in wanted {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                require(format!("{facet}={value}"), &mut set);
            }
        }
        for language in &q.languages {
            require(format!("language={language}"), &mut set);
        }
        for (wanted, what) in [(q.has_photo, "has=photo"), (q.has_cv, "has=cv")] {
            let bitmap = self.facet_ids.get(what).map_or(&empty, |id| &self.facets[*id as usize]);
            match wanted {
                Some(true) => set &= bitmap,
                Some(false) => set -= bitmap,
                None => {}
            }
        }
        if let Some(rowids) = fts_rowids {
            set &= self.text_set(rowids);
        }
        let words: Vec<String> =
            q.text.as_deref().map(fold).unwrap_or_default().split_whitespace().map(str::to_owned).collect();
        let initials: Vec<&String> = words.iter().filter(|w| w.chars().count() == 1).collect();
        let latest = q.age_min.and_then(|min| today.checked_sub(i64::from(min).years()).ok()).map(|d| d.to_string());
        let earliest =
            q.age_max.and_then(|max| today.checked_sub((i64::from(max) + 1).years()).ok()).map(|d| d.to_string());
        let (latest, earliest) = (latest.as_deref().and_then(ymd), earliest.as_deref().and_then(ymd));
        if latest.is_some() || earliest.is_some() || !initials.is_empty() {
            set = set
                .iter()
                .filter(|id| {
                    let Some(slot) = self.slots[*id as usize].as_ref() else { return false };
                    let age_ok = match slot.birth {
                        Some(b) => latest.is_none_or(|l| b <= l) && earliest.is_none_or(|e| b > e),
                        None => latest.is_none() && earliest.is_none(),
                    };
                    age_ok && initials.iter().all(|i| slot.name_key.split(' ').any(|w| w.starts_with(i.as_str())))
                })
                .collect();
        }
        let total = set.len() as u32;
        let order = match q.sort {
            TalentSort::Relevance | TalentSort::Name => &self.by_name,
            TalentSort::Code => &self.by_code,
            TalentSort::Newest => &self.by_new,
        };
        let limit = if q.limit == 0 { super::search::DEFAULT_LIMIT } else { q.limit.min(super::search::MAX_LIMIT) };
        let matching = order.iter().filter(|id| set.contains(**id));
        let page: Vec<u32> = if q.sort == TalentSort::Relevance && !words.is_empty() {
            // Names that start with what was typed come first, then the other matches, each by name.
            let starts = |id: &u32| {
                self.slots[*id as usize]
                    .as_ref()
                    .is_some_and(|s| words.iter().all(|w| s.name_key.split(' ').any(|n| n.starts_with(w.as_str()))))
            };
            let first = matching.clone().filter(|id| starts(id));
            let rest = matching.filter(|id| !starts(id));
            first.chain(rest).skip(q.offset as usize).take(limit as usize).copied().collect()
        } else {
            matching.skip(q.offset as usize).take(limit as usize).copied().collect()
        };
        let rowids = page.iter().filter_map(|id| self.slots[*id as usize].as_ref().map(|s| s.rowid)).collect();
        (total, rowids)
    }
}

fn cmp_name(a: Option<&Slot>, b: Option<&Slot>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.name_key.cmp(&b.name_key).then_with(|| a.code.cmp(&b.code)),
        _ => a.is_some().cmp(&b.is_some()),
    }
}

fn cmp_code(a: Option<&Slot>, b: Option<&Slot>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.code.cmp(&b.code),
        _ => a.is_some().cmp(&b.is_some()),
    }
}

fn cmp_new(a: Option<&Slot>, b: Option<&Slot>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.created_at.cmp(&a.created_at).then_with(|| a.code.cmp(&b.code)),
        _ => a.is_some().cmp(&b.is_some()),
    }
}
