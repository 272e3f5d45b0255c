//! The merge rule that makes every laptop and the server converge on the same rows whatever order changes arrive
//! in: each field keeps the value written at the greatest hybrid-logical-clock timestamp (last writer wins, field by
//! field, so two people editing different fields of one profile both keep their edit); a delete is a tombstone that
//! wins over every upsert of the row, before or after it (an erased talent stays erased); presence tables are a
//! union, where nothing is ever merged away. The state after a set of changes depends only on the set: not on the
//! order, not on duplicates (see the property tests).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::sync::{Change, Op};

/// The materialised state of one synced row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordState {
    pub fields: Map<String, Value>,
    /// For each field, the timestamp of the change that wrote its current value.
    pub field_hlc: BTreeMap<String, String>,
    /// A tombstone: the row was deleted (a talent erased). Only the delete's own fields remain.
    pub deleted: bool,
}

/// How a table's changes combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TablePolicy {
    /// Field-by-field last writer wins, deletes are tombstones.
    LastWriterWins,
    /// Immutable events (badge scans): every row is kept, deletes are ignored, never merged away.
    Union,
}

impl TablePolicy {
    /// Tables whose rows are events rather than state.
    pub const UNION_TABLES: [&'static str; 1] = ["scan_events"];

    pub fn of(table: &str) -> TablePolicy {
        if Self::UNION_TABLES.contains(&table) { TablePolicy::Union } else { TablePolicy::LastWriterWins }
    }
}

/// What a merge did to the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeEffect {
    /// At least one field took the change's value, or the row became a tombstone.
    Changed,
    /// Every field already held a newer value, or the row is a tombstone, or it was a delete of an event.
    Unchanged,
}

/// Merges one change into a row's state.
pub fn merge(state: &mut RecordState, change: &Change) -> MergeEffect {
    let policy = TablePolicy::of(&change.table);
    match (change.op, policy) {
        (Op::Delete, TablePolicy::Union) => MergeEffect::Unchanged,
        (Op::Upsert, _) if state.deleted => MergeEffect::Unchanged,
        (Op::Upsert, _) => merge_fields(state, &change.hlc, &change.fields),
        (Op::Delete, TablePolicy::LastWriterWins) => {
            let became_tombstone = !state.deleted;
            if became_tombstone {
                state.deleted = true;
                state.fields.clear();
                state.field_hlc.clear();
            }
            let effect = merge_fields(state, &change.hlc, &change.fields);
            if became_tombstone { MergeEffect::Changed } else { effect }
        }
    }
}

fn merge_fields(state: &mut RecordState, hlc: &str, fields: &Map<String, Value>) -> MergeEffect {
    let mut effect = MergeEffect::Unchanged;
    for (name, value) in fields {
        if wins(hlc, value, state.field_hlc.get(name).map(String::as_str), state.fields.get(name)) {
            state.fields.insert(name.clone(), value.clone());
            state.field_hlc.insert(name.clone(), hlc.to_owned());
            effect = MergeEffect::Changed;
        }
    }
    effect
}

/// Whether a value written at `hlc` replaces the current one. Timestamps compare as text (their fixed-width form
/// sorts in time order). Two different values at the same timestamp cannot come from well-behaved clocks, but if
/// they do, the greater JSON text wins everywhere, so laptops still agree.
fn wins(hlc: &str, value: &Value, current_hlc: Option<&str>, current: Option<&Value>) -> bool {
    let Some(current_hlc) = current_hlc else { return true };
    match hlc.cmp(current_hlc) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => current.is_none_or(|c| {
            let (new, old) = (value.to_string(), c.to_string());
            new > old
        }),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    fn hlc(millis: u64, device: u8) -> String {
        format!("{millis:018}-{:010}-{}", 0, Uuid::from_bytes([device; 16]).as_hyphenated())
    }

    fn change(table: &str, row: &str, op: Op, at: (u64, u8), fields: Value) -> Change {
        let Value::Object(fields) = fields else { unreachable!("test fields are objects") };
        Change {
            device_id: Uuid::from_bytes([at.1; 16]),
            seq: at.0,
            hlc: hlc(at.0, at.1),
            table: table.into(),
            row_id: row.into(),
            op,
            fields,
        }
    }

    #[test]
    fn edits_of_different_fields_both_survive_and_the_later_edit_of_one_field_wins() {
        let mut state = RecordState::default();
        merge(&mut state, &change("talents", "t", Op::Upsert, (1, 1), json!({"first_name": "Awa", "city": "DKR"})));
        merge(&mut state, &change("talents", "t", Op::Upsert, (3, 2), json!({"first_name": "Aïcha"})));
        merge(&mut state, &change("talents", "t", Op::Upsert, (2, 3), json!({"first_name": "Awa B.", "bio": "x"})));
        assert_eq!(state.fields.get("first_name"), Some(&json!("Aïcha")), "the latest write of a field wins");
        assert_eq!(state.fields.get("bio"), Some(&json!("x")), "an older change still brings the fields it set");
        assert_eq!(state.fields.get("city"), Some(&json!("DKR")), "fields nobody else touched are kept");
    }

    #[test]
    fn a_delete_wins_over_upserts_before_and_after_it() {
        let mut state = RecordState::default();
        merge(&mut state, &change("talents", "t", Op::Upsert, (1, 1), json!({"first_name": "Awa"})));
        let effect = merge(&mut state, &change("talents", "t", Op::Delete, (2, 1), json!({"erased_at": "2026"})));
        assert_eq!(effect, MergeEffect::Changed);
        let later = merge(&mut state, &change("talents", "t", Op::Upsert, (9, 2), json!({"first_name": "Awa"})));
        assert_eq!(later, MergeEffect::Unchanged, "an edit made offline after the erasure must not revive it");
        assert!(state.deleted, "the row stays a tombstone");
        assert_eq!(state.fields, json!({"erased_at": "2026"}).as_object().cloned().unwrap_or_default());
    }

    #[test]
    fn events_are_a_union_and_ignore_deletes() {
        let mut state = RecordState::default();
        merge(&mut state, &change("scan_events", "e", Op::Upsert, (1, 1), json!({"kind": "in"})));
        let effect = merge(&mut state, &change("scan_events", "e", Op::Delete, (2, 1), json!({})));
        assert_eq!(effect, MergeEffect::Unchanged, "a scan is never merged away");
        assert!(!state.deleted && state.fields.contains_key("kind"));
    }

    fn arb_change() -> impl Strategy<Value = Change> {
        let table = prop_oneof![Just("talents"), Just("scan_events")];
        let op = prop_oneof![4 => Just(Op::Upsert), 1 => Just(Op::Delete)];
        let fields = prop::collection::btree_map(prop_oneof![Just("a"), Just("b"), Just("c")], 0..4i64, 0..3);
        (table, 0..3usize, op, 0..6u64, 1..4u8, fields).prop_map(|(table, row, op, millis, device, fields)| {
            let fields = fields.into_iter().map(|(k, v)| (k.to_owned(), json!(v))).collect::<Map<_, _>>();
            change(table, &format!("r{row}"), op, (millis, device), Value::Object(fields))
        })
    }

    fn converge(changes: &[Change]) -> BTreeMap<(String, String), RecordState> {
        let mut rows: BTreeMap<(String, String), RecordState> = BTreeMap::new();
        for c in changes {
            merge(rows.entry((c.table.clone(), c.row_id.clone())).or_default(), c);
        }
        rows
    }

    proptest! {
        #[test]
        fn any_order_of_the_same_changes_converges(
            (changes, shuffled) in prop::collection::vec(arb_change(), 0..24)
                .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
        ) {
            prop_assert_eq!(converge(&changes), converge(&shuffled), "arrival order must not matter");
        }

        #[test]
        fn duplicates_change_nothing(
            changes in prop::collection::vec(arb_change(), 0..24),
            repeats in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let mut with_duplicates = changes.clone();
            if !changes.is_empty() {
                with_duplicates.extend(repeats.iter().map(|i| changes[i.index(changes.len())].clone()));
            }
            prop_assert_eq!(converge(&changes), converge(&with_duplicates), "a change seen twice counts once");
        }
    }
}
