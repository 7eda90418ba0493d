//! Fails, naming each file, when the committed `generated/` (or `specs/schema.json`) is not
//! what the specs produce, so `cargo test` alone catches a stale tree. Same check as
//! `cargo xtask check`.

use std::path::Path;

use alibabacloud_codegen::emit::tree;
use alibabacloud_codegen::load::load_tree;

#[test]
fn generated_tree_matches_the_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ has a parent");
    let specs = load_tree(&root.join("specs"))
        .unwrap_or_else(|errors| panic!("specs/ is invalid:\n{errors}"));
    let derived = tree::derive(&specs);
    let drifts = tree::drift(root, &derived).expect("read the tree");
    let listing: Vec<String> = drifts.iter().map(ToString::to_string).collect();
    assert!(
        drifts.is_empty(),
        "generated files are out of date with the specs; run `cargo xtask regen`:\n{}",
        listing.join("\n")
    );
}

#[test]
fn derived_tree_is_byte_identical_across_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ has a parent");
    let specs = load_tree(&root.join("specs")).unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(tree::derive(&specs), tree::derive(&specs));
}

#[test]
fn drift_names_differing_missing_and_extra_files() {
    let scratch = std::env::temp_dir().join(format!("codegen-drift-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mut derived = tree::DerivedTree::default();
    for (path, contents) in [
        ("generated/a/src/lib.rs", "same"),
        ("generated/a/src/changed.rs", "new"),
        ("generated/a/src/missing.rs", "x"),
        ("specs/schema.json", "{}"),
    ] {
        derived.files.insert(path.to_owned(), contents.to_owned());
    }
    for (path, contents) in [
        ("generated/a/src/lib.rs", "same"),
        ("generated/a/src/changed.rs", "old"),
        ("generated/a/src/stale.rs", "gone from the specs"),
        ("specs/schema.json", "{}"),
        ("specs/other.json", "not ours: outside generated/"),
    ] {
        let file = scratch.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, contents).unwrap();
    }
    let drifts = tree::drift(&scratch, &derived).unwrap();
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(
        drifts,
        [
            tree::Drift::Differs("generated/a/src/changed.rs".to_owned()),
            tree::Drift::Missing("generated/a/src/missing.rs".to_owned()),
            tree::Drift::Extra("generated/a/src/stale.rs".to_owned()),
        ]
    );
}
