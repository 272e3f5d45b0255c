//! Reference data (countries, cities with their 3-letter codes, currencies, talent categories and pick-lists) from
//! `seeds/`. The CSV files are compiled into the binary, so an installed app cannot lose them; they are parsed and
//! checked (header, row count, required cells, unique keys) once per process, loaded into the `ref_*` tables
//! idempotently when the store is new or the seeds changed, and verified at every unlock against a checksum of the
//! rows themselves: a missing, truncated or altered list is a clear start-up error, never a half-empty pick-list.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use rusqlite::{Connection, Transaction, params_from_iter};
use sha2::{Digest, Sha256};

use crate::error::CoreResult;

/// One seed file: its name, its exact header, which columns form its key, which may be empty, and how many rows it
/// must have.
#[derive(Debug)]
pub struct SeedSpec {
    pub file: &'static str,
    pub columns: &'static [&'static str],
    pub key: &'static [&'static str],
    pub optional: &'static [&'static str],
    pub rows: usize,
}

impl SeedSpec {
    /// The table the file loads into: `ref_` + the file's stem.
    pub fn table(&self) -> String {
        format!("ref_{}", self.file.trim_end_matches(".csv"))
    }
}

pub const SPECS: [SeedSpec; 10] = [
    SeedSpec {
        file: "countries.csv",
        columns: &["iso2", "name_fr", "name_en", "nationality_fr", "nationality_en"],
        key: &["iso2"],
        optional: &[],
        rows: 194,
    },
    SeedSpec {
        file: "cities.csv",
        columns: &["country_iso2", "code", "name_fr", "name_en"],
        key: &["country_iso2", "code"],
        optional: &[],
        rows: 2030,
    },
    SeedSpec {
        file: "currencies.csv",
        columns: &["country_iso2", "currency", "symbol", "name_fr", "name_en"],
        key: &["country_iso2"],
        optional: &[],
        rows: 77,
    },
    SeedSpec {
        file: "talent_categories.csv",
        columns: &["tag", "key", "name_fr", "name_en", "emoji"],
        key: &["tag", "key"],
        optional: &["emoji"],
        rows: 19,
    },
    SeedSpec {
        file: "talents.csv",
        columns: &["tag", "category_key", "key", "name_fr", "name_en"],
        key: &["tag", "key"],
        optional: &[],
        rows: 188,
    },
    SeedSpec {
        file: "cinema_talent_types.csv",
        columns: &["key", "name_fr", "name_en"],
        key: &["key"],
        optional: &[],
        rows: 13,
    },
    SeedSpec {
        file: "languages.csv",
        columns: &["key", "name_fr", "name_en", "flag"],
        key: &["key"],
        optional: &["flag"],
        rows: 60,
    },
    SeedSpec {
        file: "physical_traits.csv",
        columns: &["trait", "key", "name_fr", "name_en"],
        key: &["trait", "key"],
        optional: &[],
        rows: 58,
    },
    SeedSpec {
        file: "availability.csv",
        columns: &["key", "name_fr", "name_en", "label_fr", "label_en"],
        key: &["key"],
        optional: &[],
        rows: 9,
    },
    SeedSpec { file: "work_modes.csv", columns: &["key", "name_fr", "name_en"], key: &["key"], optional: &[], rows: 3 },
];

const EMBEDDED: [(&str, &str); 10] = [
    ("countries.csv", include_str!("../../../seeds/countries.csv")),
    ("cities.csv", include_str!("../../../seeds/cities.csv")),
    ("currencies.csv", include_str!("../../../seeds/currencies.csv")),
    ("talent_categories.csv", include_str!("../../../seeds/talent_categories.csv")),
    ("talents.csv", include_str!("../../../seeds/talents.csv")),
    ("cinema_talent_types.csv", include_str!("../../../seeds/cinema_talent_types.csv")),
    ("languages.csv", include_str!("../../../seeds/languages.csv")),
    ("physical_traits.csv", include_str!("../../../seeds/physical_traits.csv")),
    ("availability.csv", include_str!("../../../seeds/availability.csv")),
    ("work_modes.csv", include_str!("../../../seeds/work_modes.csv")),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    #[error("seed file {file} is missing")]
    Missing { file: String },
    #[error("seed file {file} is invalid: {reason}")]
    Invalid { file: String, reason: String },
    #[error("reference list {list} is damaged: expected {expected} rows, found {found} (or changed content)")]
    Corrupted { list: String, expected: usize, found: usize },
}

/// One parsed, checked seed file.
#[derive(Debug)]
pub struct SeedTable {
    pub spec: &'static SeedSpec,
    pub rows: Vec<Vec<String>>,
    pub checksum: String,
}

/// All reference lists, parsed and checked.
#[derive(Debug)]
pub struct Seeds {
    pub tables: Vec<SeedTable>,
}

impl Seeds {
    /// The seeds compiled into this binary, parsed and checked once per process.
    pub fn embedded() -> Result<&'static Seeds, SeedError> {
        static SEEDS: OnceLock<Result<Seeds, SeedError>> = OnceLock::new();
        SEEDS
            .get_or_init(|| {
                Seeds::parse_all(|file| EMBEDDED.iter().find(|(f, _)| *f == file).map(|(_, t)| t.to_string()))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Seeds read from a folder (tools and tests; the app uses [`Seeds::embedded`]).
    pub fn from_dir(dir: &Path) -> Result<Seeds, SeedError> {
        Seeds::parse_all(|file| std::fs::read_to_string(dir.join(file)).ok())
    }

    fn parse_all(read: impl Fn(&str) -> Option<String>) -> Result<Seeds, SeedError> {
        let tables = SPECS
            .iter()
            .map(|spec| {
                let text = read(spec.file).ok_or_else(|| SeedError::Missing { file: spec.file.to_owned() })?;
                parse(spec, &text)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Seeds { tables })
    }

    pub fn table(&self, file: &str) -> Option<&SeedTable> {
        self.tables.iter().find(|t| t.spec.file == file)
    }

    /// Loads every list whose checksum differs from what the store last loaded (all of them in a new store).
    /// Upserts by key, so labels may be corrected in a new version; keys and codes are never removed.
    pub fn load(&self, tx: &Transaction<'_>, now: &str) -> CoreResult<()> {
        for table in &self.tables {
            let loaded: Option<String> = tx
                .query_row("SELECT checksum FROM seed_manifest WHERE name = ?1", [table.spec.file], |r| r.get(0))
                .ok();
            if loaded.as_deref() == Some(table.checksum.as_str()) {
                continue;
            }
            let spec = table.spec;
            let columns = spec.columns.join(", ");
            let placeholders = (1..=spec.columns.len() + 1).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let updates = spec
                .columns
                .iter()
                .filter(|c| !spec.key.contains(c))
                .map(|c| format!("{c} = excluded.{c}"))
                .chain(std::iter::once("position = excluded.position".to_owned()))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO {} ({columns}, position) VALUES ({placeholders}) ON CONFLICT ({}) DO UPDATE SET {updates}",
                spec.table(),
                spec.key.join(", ")
            );
            let mut insert = tx.prepare(&sql)?;
            for (position, row) in table.rows.iter().enumerate() {
                let position = position.to_string();
                insert.execute(params_from_iter(row.iter().chain(std::iter::once(&position))))?;
            }
            tx.execute(
                "INSERT INTO seed_manifest (name, row_count, checksum, loaded_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET row_count = excluded.row_count, checksum = excluded.checksum,
                 loaded_at = excluded.loaded_at",
                rusqlite::params![spec.file, table.rows.len() as i64, table.checksum, now],
            )?;
        }
        Ok(())
    }

    /// Checks that every reference table holds exactly its seed: same count, same checksum over the rows.
    pub fn verify(&self, conn: &Connection) -> CoreResult<()> {
        for table in &self.tables {
            let spec = table.spec;
            let sql = format!("SELECT {} FROM {} ORDER BY position", spec.columns.join(", "), spec.table());
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt
                .query_map([], |r| {
                    (0..spec.columns.len()).map(|i| r.get::<_, String>(i)).collect::<Result<Vec<_>, _>>()
                })?
                .collect::<Result<Vec<_>, _>>()?;
            if rows.len() != spec.rows || checksum(&rows) != table.checksum {
                return Err(SeedError::Corrupted { list: spec.table(), expected: spec.rows, found: rows.len() }.into());
            }
        }
        Ok(())
    }
}

fn parse(spec: &'static SeedSpec, text: &str) -> Result<SeedTable, SeedError> {
    let invalid = |reason: String| SeedError::Invalid { file: spec.file.to_owned(), reason };
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| invalid(format!("header: {e}")))?;
    if header.iter().collect::<Vec<_>>() != spec.columns {
        return Err(invalid(format!("header must be {}", spec.columns.join(","))));
    }
    let key_columns: Vec<usize> = spec.key.iter().filter_map(|k| spec.columns.iter().position(|c| c == k)).collect();
    let mut keys = HashSet::new();
    let mut rows = Vec::with_capacity(spec.rows);
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| invalid(format!("row {}: {e}", line + 2)))?;
        let row: Vec<String> = record.iter().map(str::to_owned).collect();
        for (value, column) in row.iter().zip(spec.columns) {
            if value.trim().is_empty() && !spec.optional.contains(column) {
                return Err(invalid(format!("row {}: empty {column}", line + 2)));
            }
        }
        let key: Vec<&str> = key_columns.iter().map(|&i| row[i].as_str()).collect();
        if !keys.insert(key.join("\u{1f}")) {
            return Err(invalid(format!("row {}: duplicate key {}", line + 2, key.join("/"))));
        }
        rows.push(row);
    }
    if rows.len() != spec.rows {
        return Err(invalid(format!("{} rows instead of {}", rows.len(), spec.rows)));
    }
    let checksum = checksum(&rows);
    Ok(SeedTable { spec, rows, checksum })
}

/// SHA-256 over the rows, cells separated by unit separators and rows by record separators.
fn checksum(rows: &[Vec<String>]) -> String {
    let mut hasher = Sha256::new();
    for row in rows {
        for cell in row {
            hasher.update(cell.as_bytes());
            hasher.update([0x1f]);
        }
        hasher.update([0x1e]);
    }
    hasher.finalize().iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_seeds_have_every_list_with_its_exact_count() {
        let seeds = Seeds::embedded().expect("the shipped seeds must parse");
        for spec in &SPECS {
            let table = seeds.table(spec.file).expect("every spec has a table");
            assert_eq!(table.rows.len(), spec.rows, "{} must have exactly {} rows", spec.file, spec.rows);
        }
    }

    #[test]
    fn city_codes_are_three_letters_unique_in_their_country_with_vnl_everywhere() {
        let seeds = Seeds::embedded().expect("seeds");
        let countries: HashSet<&str> =
            seeds.table("countries.csv").expect("countries").rows.iter().map(|r| r[0].as_str()).collect();
        let cities = &seeds.table("cities.csv").expect("cities").rows;
        let mut seen = HashSet::new();
        let mut unlisted = HashSet::new();
        for row in cities {
            let (country, code) = (row[0].as_str(), row[1].as_str());
            assert!(countries.contains(country), "city {} is in an unknown country {country}", row[2]);
            assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()), "{code} must be 3 letters A-Z");
            assert!(seen.insert((country, code)), "{country}/{code} is used twice");
            if code == "VNL" {
                assert_eq!(row[2], "Ville non listée", "VNL is reserved for the unlisted city");
                unlisted.insert(country);
            }
        }
        assert_eq!(unlisted.len(), countries.len(), "every country must offer \"Ville non listée\"");
    }

    #[test]
    fn talent_categories_split_12_general_and_7_cinema() {
        let seeds = Seeds::embedded().expect("seeds");
        let categories = &seeds.table("talent_categories.csv").expect("categories").rows;
        let talents = &seeds.table("talents.csv").expect("talents").rows;
        let count = |rows: &Vec<Vec<String>>, tag: &str| rows.iter().filter(|r| r[0] == tag).count();
        assert_eq!((count(categories, "general"), count(categories, "cinema")), (12, 7));
        assert_eq!((count(talents, "general"), count(talents, "cinema")), (131, 57));
        let category_keys: HashSet<(&str, &str)> = categories.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
        for talent in talents {
            assert!(category_keys.contains(&(talent[0].as_str(), talent[1].as_str())), "{talent:?} has no category");
        }
    }

    #[test]
    fn a_missing_or_truncated_seed_file_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (file, text) in EMBEDDED {
            std::fs::write(dir.path().join(file), text).expect("copy");
        }
        assert!(Seeds::from_dir(dir.path()).is_ok(), "a full copy of the seeds must load");

        let cities = dir.path().join("cities.csv");
        let truncated: String = EMBEDDED[1].1.lines().take(100).map(|l| format!("{l}\n")).collect();
        std::fs::write(&cities, truncated).expect("truncate");
        let error = Seeds::from_dir(dir.path()).expect_err("a truncated list must be refused");
        assert!(matches!(&error, SeedError::Invalid { file, .. } if file == "cities.csv"), "{error:?}");

        std::fs::remove_file(&cities).expect("remove");
        assert_eq!(
            Seeds::from_dir(dir.path()).expect_err("a missing file must be refused"),
            SeedError::Missing { file: "cities.csv".into() }
        );
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let spec = &SPECS[9];
        let text = "key,name_fr,name_en\nremote,Télétravail,Remote\nremote,Sur site,On site\nhybrid,Hybride,Hybrid\n";
        assert!(matches!(parse(spec, text), Err(SeedError::Invalid { reason, .. }) if reason.contains("duplicate")));
    }
}
