//! Reference data in a real encrypted store: loaded once, idempotent, and verified against tampering.

use talento_core::crypto::random_key;
use talento_core::seeds::{SeedError, Seeds};
use talento_core::store::Store;
use talento_core::{CoreError, ErrorCode};

#[test]
fn seeds_load_idempotently_and_tampering_is_detected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = random_key();
    let mut store = Store::open(&dir.path().join("t.db"), &key).expect("open store");
    let seeds = Seeds::embedded().expect("seeds");
    for round in 0..2 {
        let tx = store.transaction().expect("tx");
        seeds.load(&tx, "2026-11-22T00:00:00Z").expect("load");
        tx.commit().expect("commit");
        seeds.verify(store.conn()).unwrap_or_else(|e| panic!("round {round}: a fresh load verifies: {e}"));
    }
    let cities: i64 = store.conn().query_row("SELECT count(*) FROM ref_cities", [], |r| r.get(0)).expect("count");
    assert_eq!(cities, 2030, "loading twice must not duplicate anything");
    let fes: String = store
        .conn()
        .query_row("SELECT code FROM ref_cities WHERE country_iso2 = 'MA' AND name_fr = 'Fès'", [], |r| r.get(0))
        .expect("Fès is a Moroccan city");
    assert_eq!(fes.len(), 3);

    store.conn().execute("UPDATE ref_cities SET name_fr = 'Fez' WHERE name_fr = 'Fès'", []).expect("tamper");
    let error = seeds.verify(store.conn()).expect_err("a changed label is detected");
    assert!(matches!(&error, CoreError::Seed(SeedError::Corrupted { list, .. }) if list == "ref_cities"), "{error:?}");
    assert_eq!(error.code(), ErrorCode::SeedCorrupted);

    store.conn().execute("DELETE FROM ref_work_modes WHERE key = 'hybrid'", []).expect("delete a row");
    let tx = store.transaction().expect("tx");
    seeds.load(&tx, "2026-11-22T00:00:00Z").expect("load skips lists whose manifest matches");
    tx.commit().expect("commit");
    assert!(seeds.verify(store.conn()).is_err(), "a missing row is still detected: the manifest alone is not trusted");
}
