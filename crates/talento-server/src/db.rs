//! The PostgreSQL side: the connection pool, the embedded migrations (`migrations/server/`) and the reference lists
//! from `seeds/` (countries and cities), compiled into the binary and loaded idempotently at every migrate: a list is
//! rewritten only when its checksum differs from what was last loaded.

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use sha2::{Digest, Sha256};
use tokio_postgres::NoTls;

mod embedded {
    refinery::embed_migrations!("../../migrations/server");
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL is not a PostgreSQL connection string: {0}")]
    BadUrl(tokio_postgres::Error),
    #[error("cannot build the connection pool: {0}")]
    Pool(#[from] deadpool_postgres::BuildError),
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(#[from] deadpool_postgres::PoolError),
    #[error("migration failed: {0}")]
    Migration(#[from] refinery::Error),
    #[error("database: {0}")]
    Query(#[from] tokio_postgres::Error),
    #[error("seed file {file} is invalid: {reason}")]
    Seed { file: &'static str, reason: String },
}

/// A pool of `size` connections to `database_url`. Waiting for a connection is bounded, so an unreachable database
/// answers 503 rather than hanging.
pub fn pool(database_url: &str, size: usize) -> Result<Pool, DbError> {
    let config: tokio_postgres::Config = database_url.parse().map_err(DbError::BadUrl)?;
    let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Ok(Pool::builder(manager)
        .max_size(size.max(1))
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(10)))
        .create_timeout(Some(Duration::from_secs(5)))
        .build()?)
}

/// Applies the pending migrations, then loads the reference lists.
pub async fn migrate(pool: &Pool) -> Result<(), DbError> {
    let mut client = pool.get().await?;
    let report = embedded::migrations::runner().run_async(&mut **client).await?;
    for migration in report.applied_migrations() {
        tracing::info!(migration = %migration, "applied");
    }
    load_seeds(&mut client).await
}

/// One reference list: its file, expected header and row count, and how it loads.
struct Seed {
    file: &'static str,
    text: &'static str,
    header: &'static [&'static str],
    rows: usize,
    upsert: &'static str,
}

const SEEDS: [Seed; 2] = [
    Seed {
        file: "countries.csv",
        text: include_str!("../../../seeds/countries.csv"),
        header: &["iso2", "name_fr", "name_en", "nationality_fr", "nationality_en"],
        rows: 194,
        upsert: "INSERT INTO ref_countries (iso2, name_fr, name_en, nationality_fr, nationality_en, position)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
                 ON CONFLICT (iso2) DO UPDATE SET name_fr = excluded.name_fr, name_en = excluded.name_en,
                   nationality_fr = excluded.nationality_fr, nationality_en = excluded.nationality_en,
                   position = excluded.position",
    },
    Seed {
        file: "cities.csv",
        text: include_str!("../../../seeds/cities.csv"),
        header: &["country_iso2", "code", "name_fr", "name_en"],
        rows: 2030,
        upsert: "INSERT INTO ref_cities (country_iso2, code, name_fr, name_en, position)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
                 ON CONFLICT (country_iso2, code) DO UPDATE SET name_fr = excluded.name_fr,
                   name_en = excluded.name_en, position = excluded.position",
    },
];

async fn load_seeds(client: &mut deadpool_postgres::Client) -> Result<(), DbError> {
    let tx = client.transaction().await?;
    // Two servers migrating at once would otherwise both load.
    tx.execute("LOCK TABLE seed_manifest IN EXCLUSIVE MODE", &[]).await?;
    for seed in &SEEDS {
        let checksum = format!("{:x}", Sha256::digest(seed.text.as_bytes()));
        let loaded: Option<String> = tx
            .query_opt("SELECT checksum FROM seed_manifest WHERE name = $1", &[&seed.file])
            .await?
            .map(|row| row.get(0));
        if loaded.as_deref() == Some(checksum.as_str()) {
            continue;
        }
        let columns = parse_seed(seed)?;
        let positions: Vec<i32> = (0..columns.first().map_or(0, Vec::len)).map(|i| i as i32).collect();
        let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = Vec::new();
        for column in &columns {
            params.push(column);
        }
        params.push(&positions);
        tx.execute(seed.upsert, &params).await?;
        tx.execute(
            "INSERT INTO seed_manifest (name, row_count, checksum) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET row_count = excluded.row_count, checksum = excluded.checksum,
               loaded_at = now()",
            &[&seed.file, &(seed.rows as i32), &checksum],
        )
        .await?;
        tracing::info!(file = seed.file, rows = seed.rows, "reference list loaded");
    }
    tx.commit().await?;
    Ok(())
}

/// The seed file's cells, column by column, after checking its header, row count and that no cell is empty.
fn parse_seed(seed: &Seed) -> Result<Vec<Vec<String>>, DbError> {
    let invalid = |reason: String| DbError::Seed { file: seed.file, reason };
    let mut reader = csv::Reader::from_reader(seed.text.as_bytes());
    let header: Vec<String> = reader.headers().map_err(|e| invalid(e.to_string()))?.iter().map(str::to_owned).collect();
    if header != seed.header {
        return Err(invalid(format!("header {header:?}, expected {:?}", seed.header)));
    }
    let mut columns = vec![Vec::with_capacity(seed.rows); seed.header.len()];
    for record in reader.records() {
        let record = record.map_err(|e| invalid(e.to_string()))?;
        for (column, cell) in columns.iter_mut().zip(record.iter()) {
            if cell.is_empty() {
                return Err(invalid(format!("empty cell on line {}", record.position().map_or(0, |p| p.line()))));
            }
            column.push(cell.to_owned());
        }
    }
    let found = columns.first().map_or(0, Vec::len);
    if found != seed.rows {
        return Err(invalid(format!("{found} rows, expected {}", seed.rows)));
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_seeds_parse() {
        for seed in &SEEDS {
            let columns = parse_seed(seed);
            assert!(columns.is_ok(), "{} must parse: {:?}", seed.file, columns.err());
        }
    }
}
