//! Native tests of the hash-ring reference: the contract's rules, its properties over random
//! membership changes, balance and size.
//!
//! The hash function is the implementation's own, so apart from the empty and one-node rings
//! these tests check properties, as the judge does, never particular owners.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::HashRing;
use proptest::prelude::*;

fn ring_of(vnodes: usize, nodes: &[&str]) -> HashRing {
    let mut ring = HashRing::new(vnodes);
    for node in nodes {
        assert!(ring.add_node(node), "adding {node}");
    }
    ring
}

fn keys(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("key-{i}")).collect()
}

fn owners(ring: &HashRing, keys: &[String]) -> Vec<Option<String>> {
    keys.iter()
        .map(|key| ring.node_for(key).map(str::to_owned))
        .collect()
}

const TEN: [&str; 10] = [
    "node-0", "node-1", "node-2", "node-3", "node-4", "node-5", "node-6", "node-7", "node-8",
    "node-9",
];

#[test]
fn an_empty_ring_has_no_owners() {
    let ring = HashRing::new(10);
    assert_eq!(ring.len(), 0);
    assert_eq!(ring.node_for("key"), None);
    assert_eq!(ring.node_for(""), None);
    assert_eq!(ring.replicas_for("key", 0), Vec::<&str>::new());
    assert_eq!(ring.replicas_for("key", 3), Vec::<&str>::new());
}

#[test]
fn statement_examples() {
    let ring = HashRing::new(100);
    assert_eq!(ring.node_for("k"), None);
    assert_eq!(ring.replicas_for("k", 2), Vec::<&str>::new());
    assert_eq!(ring.len(), 0);

    let mut ring = HashRing::new(100);
    assert!(ring.add_node("a"));
    assert!(!ring.add_node("a"));
    assert_eq!(ring.node_for("k"), Some("a"));
    assert_eq!(ring.replicas_for("k", 3), vec!["a"]);
    assert_eq!(ring.len(), 1);

    let mut ring = HashRing::new(3);
    assert!(ring.add_node("a"));
    assert!(ring.add_node("b"));
    assert!(!ring.remove_node("c"));
    assert!(ring.remove_node("a"));
    assert_eq!(ring.node_for("k"), Some("b"));
    assert_eq!(ring.len(), 1);

    let mut ring = ring_of(100, &["a", "b", "c"]);
    let three = ring.replicas_for("k", 3);
    let mut sorted = three.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["a", "b", "c"]);
    assert_eq!(Some(three[0]), ring.node_for("k"));
    assert_eq!(ring.replicas_for("k", 2), three[..2]);
    assert_eq!(ring.replicas_for("k", 0), Vec::<&str>::new());
    let keys = keys(1_000);
    let before = owners(&ring, &keys);
    ring.add_node("d");
    for (b, a) in before.iter().zip(owners(&ring, &keys)) {
        assert!(a == *b || a.as_deref() == Some("d"));
    }
}

#[test]
fn add_and_remove_report_membership_changes() {
    let mut ring = HashRing::new(10);
    assert!(ring.add_node("a"));
    assert!(!ring.add_node("a"));
    assert_eq!(ring.len(), 1);
    assert!(ring.add_node("b"));
    assert_eq!(ring.len(), 2);
    assert!(!ring.remove_node("c"));
    assert_eq!(ring.len(), 2);
    assert!(ring.remove_node("a"));
    assert!(!ring.remove_node("a"));
    assert_eq!(ring.len(), 1);
    assert!(ring.remove_node("b"));
    assert_eq!(ring.len(), 0);
    assert_eq!(ring.node_for("key"), None);
    // Back again after removal.
    assert!(ring.add_node("a"));
    assert_eq!(ring.len(), 1);
}

#[test]
fn len_counts_physical_nodes_not_virtual_ones() {
    let ring = ring_of(100, &TEN);
    assert_eq!(ring.len(), 10);
    let ring = ring_of(1, &TEN[..3]);
    assert_eq!(ring.len(), 3);
}

#[test]
fn a_duplicate_add_changes_nothing() {
    let keys = keys(2_000);
    let mut ring = ring_of(20, &["a", "b", "c"]);
    let before = owners(&ring, &keys);
    assert!(!ring.add_node("b"));
    assert_eq!(owners(&ring, &keys), before);
    // Removing it once removes it completely: no second copy of its points stays behind.
    assert!(ring.remove_node("b"));
    assert!(owners(&ring, &keys)
        .iter()
        .all(|o| o.as_deref() != Some("b")));
}

#[test]
fn a_single_node_owns_every_key() {
    let ring = ring_of(5, &["only"]);
    for key in keys(500).iter().chain([&String::new()]) {
        assert_eq!(ring.node_for(key), Some("only"));
        assert_eq!(ring.replicas_for(key, 1), vec!["only"]);
        assert_eq!(ring.replicas_for(key, 4), vec!["only"]);
        assert_eq!(ring.replicas_for(key, 0), Vec::<&str>::new());
    }
}

#[test]
fn one_virtual_node_per_node_works() {
    let ring = ring_of(1, &["a", "b", "c"]);
    let mut seen = BTreeSet::new();
    for key in keys(2_000) {
        let owner = ring.node_for(&key).unwrap();
        seen.insert(owner.to_owned());
        assert_eq!(ring.replicas_for(&key, 3).len(), 3);
    }
    assert!(seen.iter().all(|n| ["a", "b", "c"].contains(&n.as_str())));
}

#[test]
fn identically_built_rings_agree() {
    let keys = keys(5_000);
    let a = ring_of(50, &TEN);
    let b = ring_of(50, &TEN);
    assert_eq!(owners(&a, &keys), owners(&b, &keys));
    for key in keys.iter().take(500) {
        assert_eq!(a.replicas_for(key, 4), b.replicas_for(key, 4));
    }
}

#[test]
fn the_ring_depends_only_on_its_members() {
    // Stronger than the contract asks: the reference's ring is a function of the member set,
    // whatever the order of insertion and whatever came and went before.
    let keys = keys(5_000);
    let forward = ring_of(30, &TEN);
    let mut reversed: Vec<&str> = TEN.to_vec();
    reversed.reverse();
    let mut churned = ring_of(30, &reversed);
    churned.add_node("extra");
    churned.remove_node("node-3");
    churned.remove_node("extra");
    churned.add_node("node-3");
    assert_eq!(owners(&forward, &keys), owners(&churned, &keys));
    for key in keys.iter().take(500) {
        assert_eq!(forward.replicas_for(key, 10), churned.replicas_for(key, 10));
    }
}

#[test]
fn owners_are_members() {
    let mut ring = ring_of(40, &TEN);
    ring.remove_node("node-4");
    ring.remove_node("node-7");
    for key in keys(5_000) {
        let owner = ring.node_for(&key).unwrap();
        assert!(
            TEN.contains(&owner) && owner != "node-4" && owner != "node-7",
            "{key} -> {owner}"
        );
    }
}

#[test]
fn adding_a_node_moves_keys_only_onto_it() {
    let keys = keys(20_000);
    let mut ring = ring_of(100, &TEN[..9]);
    let before = owners(&ring, &keys);
    assert!(ring.add_node("node-9"));
    let after = owners(&ring, &keys);
    let mut moved = 0;
    for ((key, b), a) in keys.iter().zip(&before).zip(&after) {
        if a != b {
            assert_eq!(
                a.as_deref(),
                Some("node-9"),
                "{key} moved from {b:?} to {a:?}"
            );
            moved += 1;
        }
    }
    // About a tenth of the keys: the new node's fair share.
    assert!((1_000..=3_500).contains(&moved), "{moved} keys moved");
}

#[test]
fn removing_a_node_moves_only_its_keys() {
    let keys = keys(20_000);
    let mut ring = ring_of(100, &TEN);
    let before = owners(&ring, &keys);
    assert!(ring.remove_node("node-5"));
    let after = owners(&ring, &keys);
    for ((key, b), a) in keys.iter().zip(&before).zip(&after) {
        if b.as_deref() == Some("node-5") {
            assert_ne!(a.as_deref(), Some("node-5"), "{key}");
        } else {
            assert_eq!(a, b, "{key} moved though its owner stayed");
        }
    }
}

#[test]
fn removing_what_was_added_restores_every_owner() {
    let keys = keys(10_000);
    let mut ring = ring_of(64, &TEN[..6]);
    let before = owners(&ring, &keys);
    ring.add_node("node-6");
    ring.remove_node("node-6");
    assert_eq!(owners(&ring, &keys), before);
}

#[test]
fn replicas_are_distinct_members_starting_at_the_owner() {
    let ring = ring_of(20, &TEN[..5]);
    for key in keys(2_000) {
        let owner = ring.node_for(&key).unwrap();
        for n in 0..=7 {
            let replicas = ring.replicas_for(&key, n);
            assert_eq!(replicas.len(), n.min(5), "{key}, n = {n}");
            if n > 0 {
                assert_eq!(replicas[0], owner, "{key}, n = {n}");
            }
            let distinct: HashSet<&str> = replicas.iter().copied().collect();
            assert_eq!(
                distinct.len(),
                replicas.len(),
                "{key}, n = {n}: {replicas:?}"
            );
            assert!(replicas.iter().all(|r| TEN[..5].contains(r)));
        }
    }
}

#[test]
fn replicas_follow_the_ring_clockwise() {
    // Walking clockwise, the (j+1)-th replica is the node whose point comes first once the
    // first j are gone: it is the owner after removing them. This pins down the order without
    // knowing the hash.
    let base = ring_of(20, &TEN[..6]);
    for key in keys(300) {
        let replicas: Vec<String> = base
            .replicas_for(&key, 6)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let mut ring = ring_of(20, &TEN[..6]);
        for replica in &replicas {
            assert_eq!(
                ring.node_for(&key),
                Some(replica.as_str()),
                "{key}: {replicas:?}"
            );
            ring.remove_node(replica);
        }
        assert_eq!(ring.len(), 0);
    }
}

#[test]
fn balance_with_ten_nodes_and_a_hundred_vnodes_each() {
    // Measured: the busiest node holds 12,044 of the 100,000 keys, 1.20x the mean of 10,000
    // (the least busy 8,136). The judge's bar is 1.5x.
    let ring = ring_of(100, &TEN);
    let mut load: HashMap<&str, usize> = HashMap::new();
    for key in keys(100_000) {
        *load.entry(ring.node_for(&key).unwrap()).or_default() += 1;
    }
    assert_eq!(load.len(), 10);
    let max = *load.values().max().unwrap();
    // Tighter than the judge's 15,000, to notice a change of hash that spreads keys worse.
    assert!(
        max <= 13_000,
        "most loaded node holds {max} keys, {:.3}x the mean",
        max as f64 / 10_000.0
    );
}

#[test]
fn balance_holds_for_other_naming_schemes() {
    // Node names that differ only in their last characters, IP-like names, and one-letter names
    // must spread just as well: the hash has to mix every byte into every bit.
    let schemes: [Vec<String>; 3] = [
        (0..10).map(|i| format!("10.0.0.{i}:6379")).collect(),
        (0..10).map(|i| ((b'a' + i) as char).to_string()).collect(),
        (0..10).map(|i| format!("cache{i}.example.com")).collect(),
    ];
    for names in &schemes {
        let mut ring = HashRing::new(100);
        for name in names {
            ring.add_node(name);
        }
        let mut load: HashMap<&str, usize> = HashMap::new();
        for i in 0..100_000 {
            *load
                .entry(ring.node_for(&format!("user:{i}")).unwrap())
                .or_default() += 1;
        }
        let max = *load.values().max().unwrap();
        assert!(
            max <= 15_000,
            "{names:?}: most loaded node holds {max} keys"
        );
    }
}

#[test]
fn unusual_names_and_keys() {
    let names = ["", "#", "a#1", "a", "é", "節點", "node with spaces", "a#10"];
    let ring = ring_of(16, &names);
    assert_eq!(ring.len(), names.len());
    for key in ["", "#", "a#1", "a#1#0", "🦀", "\0"]
        .iter()
        .map(|s| s.to_string())
        .chain(keys(1_000))
    {
        let owner = ring.node_for(&key).unwrap();
        assert!(names.contains(&owner));
        let all = ring.replicas_for(&key, usize::MAX);
        assert_eq!(all.len(), names.len());
        assert_eq!(all[0], owner);
    }
}

#[test]
fn lookups_on_a_large_ring_are_fast() {
    // 1,000 nodes x 200 points: a scan of all points per lookup would be 2 * 10^5 steps each,
    // 2 * 10^10 in all; a lookup in the ordered set is about 18 comparisons.
    let names: Vec<String> = (0..1_000).map(|i| format!("server-{i}")).collect();
    let mut ring = HashRing::new(200);
    for name in &names {
        ring.add_node(name);
    }
    let mut hits = 0usize;
    for key in keys(100_000) {
        hits += ring.node_for(&key).map_or(0, |n| n.len());
        hits += ring.replicas_for(&key, 3).len();
    }
    assert!(hits > 0);
}

#[derive(Clone, Debug)]
enum Op {
    Add(usize),
    Remove(usize),
}

const NAMES: [&str; 8] = ["n0", "n1", "n2", "n3", "alpha", "beta", "", "n0#1"];

fn ops() -> impl Strategy<Value = (usize, Vec<Op>)> {
    let op = prop_oneof![
        3 => (0..NAMES.len()).prop_map(Op::Add),
        2 => (0..NAMES.len()).prop_map(Op::Remove),
    ];
    (1usize..=24, prop::collection::vec(op, 0..=30))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn properties_hold_through_membership_changes((vnodes, ops) in ops()) {
        let keys = keys(300);
        let mut ring = HashRing::new(vnodes);
        let mut twin = HashRing::new(vnodes);
        let mut members: BTreeSet<&str> = BTreeSet::new();
        let mut before = owners(&ring, &keys);
        for op in &ops {
            match *op {
                Op::Add(i) => {
                    let name = NAMES[i];
                    prop_assert_eq!(ring.add_node(name), members.insert(name));
                    twin.add_node(name);
                    let after = owners(&ring, &keys);
                    for (b, a) in before.iter().zip(&after) {
                        prop_assert!(
                            a == b || a.as_deref() == Some(name),
                            "{:?} -> {:?} on adding {:?}", b, a, name
                        );
                    }
                    before = after;
                }
                Op::Remove(i) => {
                    let name = NAMES[i];
                    prop_assert_eq!(ring.remove_node(name), members.remove(name));
                    twin.remove_node(name);
                    let after = owners(&ring, &keys);
                    for (b, a) in before.iter().zip(&after) {
                        prop_assert!(
                            a == b || b.as_deref() == Some(name),
                            "{:?} -> {:?} on removing {:?}", b, a, name
                        );
                        prop_assert!(a.as_deref() != Some(name));
                    }
                    before = after;
                }
            }
            prop_assert_eq!(ring.len(), members.len());
        }
        // Determinism: the same operations give the same ring.
        prop_assert_eq!(&owners(&twin, &keys), &before);
        for (key, owner) in keys.iter().zip(&before) {
            match owner {
                None => prop_assert!(members.is_empty()),
                Some(owner) => prop_assert!(members.contains(owner.as_str())),
            }
            let all = ring.replicas_for(key, members.len() + 2);
            prop_assert_eq!(all.len(), members.len());
            prop_assert_eq!(all.first().copied(), owner.as_deref());
            prop_assert_eq!(all.iter().copied().collect::<BTreeSet<_>>(), members.clone());
            for n in 0..=members.len() + 1 {
                // Asking for fewer replicas gives a prefix of the longer list.
                let some = ring.replicas_for(key, n);
                prop_assert_eq!(&some[..], &all[..n.min(all.len())]);
            }
            prop_assert_eq!(twin.replicas_for(key, 3), ring.replicas_for(key, 3));
        }
    }

    #[test]
    fn replicas_are_the_owners_as_nodes_leave(vnodes in 1usize..=16, key in ".{0,12}") {
        let mut ring = ring_of(vnodes, &NAMES);
        let replicas: Vec<String> =
            ring.replicas_for(&key, NAMES.len()).into_iter().map(str::to_owned).collect();
        prop_assert_eq!(replicas.len(), NAMES.len());
        for replica in &replicas {
            prop_assert_eq!(ring.node_for(&key), Some(replica.as_str()));
            ring.remove_node(replica);
        }
    }
}
