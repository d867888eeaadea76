//! Measurements the candidate cannot reach (issue #12): memory taken around the harness's
//! allocator is counted, the harness's entry point cannot be named or re-entered, and the
//! performance workloads are drawn from the run's seed and the file, so a table of answers
//! cannot pass a gate.

use judge_tests::{assert_no_host_data, judge, Run};

/// Judges `path` for `exercise` (JSON), checks that nothing of the host shows and that the
/// verdict is `verdict`.
fn judged(exercise: &str, path: &str, verdict: &str) -> Run {
    let run = judge(&["run", exercise, path, "--json"]);
    assert_no_host_data(&run);
    let json = run.json();
    assert_eq!(json["verdict"], verdict, "{path}: {}", run.all());
    assert_eq!(run.code, i32::from(verdict != "accepted"), "{path}");
    run
}

fn bst(folder: &str, name: &str, verdict: &str) -> Run {
    judged(
        "bst-iterator",
        &format!("exercises/bst-iterator/submissions/{folder}/{name}.rs"),
        verdict,
    )
}

fn actual(run: &Run) -> String {
    run.json()["failure"]["actual"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn values_kept_in_memory_from_system_are_counted() {
    let run = bst("too_much_memory", "system_alloc", "too_much_memory");
    assert!(
        actual(&run).contains("grown outside the global allocator"),
        "{}",
        run.all()
    );
}

#[test]
fn values_kept_in_pages_from_memory_grow_are_counted() {
    let run = bst("too_much_memory", "memory_grow", "too_much_memory");
    assert!(
        actual(&run).contains("grown outside the global allocator"),
        "{}",
        run.all()
    );
}

#[test]
fn values_kept_in_a_static_array_are_counted() {
    let run = bst("too_much_memory", "static_array", "too_much_memory");
    assert!(actual(&run).contains("of static memory"), "{}", run.all());
    // Found on the first case: the array is there whatever the tree.
    assert_eq!(run.json()["failure"]["passed_before"], 0, "{}", run.all());
}

#[test]
fn freeing_the_judges_tree_makes_no_room() {
    // Accepted before: the frees of the tree's nodes offset every value collected.
    let run = bst("too_much_memory", "frees_the_tree", "too_much_memory");
    assert!(
        actual(&run).contains("of heap at the peak"),
        "{}",
        run.all()
    );
}

#[test]
fn iterators_of_every_design_are_accepted() {
    for name in [
        "stack_of_refs",
        "visited_frames",
        "linked_frames",
        "shrinking_stack",
    ] {
        let run = bst("accepted", name, "accepted");
        // Not far below the reference: nothing to note.
        assert!(
            run.json()["performance"].get("notes").is_none(),
            "{name}: {}",
            run.all()
        );
    }
}

#[test]
fn the_harness_entry_point_cannot_be_named() {
    let run = judged(
        "bst-iterator",
        "tests/fixtures/hostile/measure_call_harness.rs",
        "compile_error",
    );
    let diagnostics = run.json()["diagnostics"].to_string();
    assert!(
        diagnostics.contains("E0603") && diagnostics.contains("private"),
        "{}",
        run.all()
    );
}

#[test]
fn the_judge_call_export_cannot_be_reentered() {
    let run = judged(
        "bst-iterator",
        "tests/fixtures/hostile/measure_extern_call.rs",
        "runtime_error",
    );
    // The refusal is the panic's message, shown once, in the case.
    let actual = run.json()["failure"]["actual"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(actual.contains("`judge_call`"), "{}", run.all());
}

#[test]
fn a_table_of_the_workloads_answers_does_not_pass_the_gates() {
    let run = judged(
        "k-distinct-substring",
        "tests/fixtures/hostile/measure_table_k_distinct.rs",
        "too_slow",
    );
    let exponent = run.json()["performance"]["complexity"]["exponent"]
        .as_f64()
        .unwrap();
    assert!(exponent > 1.6, "the slow path was measured: {}", run.all());
}

/// The complexity gate's fuel per size for the reference of k-distinct-substring at `seed`.
fn reference_fuel(seed: &str) -> (Vec<u64>, f64) {
    let run = judge(&[
        "run",
        "k-distinct-substring",
        "exercises/k-distinct-substring/reference.rs",
        "--json",
        "--seed",
        seed,
    ]);
    assert_eq!(run.json()["verdict"], "accepted", "{}", run.all());
    let c = &run.json()["performance"]["complexity"];
    let fuel = c["fuel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_u64().unwrap())
        .collect();
    (fuel, c["exponent"].as_f64().unwrap())
}

#[test]
fn workloads_replay_with_the_seed_and_keep_their_cost_across_seeds() {
    let (a, ea) = reference_fuel("7");
    let (again, _) = reference_fuel("7");
    assert_eq!(a, again, "the same seed and file measure the same fuel");
    let (b, eb) = reference_fuel("8");
    assert_ne!(a, b, "another seed draws another workload");
    // The same shape and cost: fuel within a few percent at every size, the same growth.
    for (x, y) in a.iter().zip(&b) {
        let ratio = *x as f64 / *y as f64;
        assert!((0.95..1.05).contains(&ratio), "{a:?} against {b:?}");
    }
    assert!((ea - eb).abs() < 0.03, "n^{ea} against n^{eb}");
}
