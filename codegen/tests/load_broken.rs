//! The corpus of broken specs under `tests/broken/`: each case must give exactly the
//! messages in its `expected.txt`.
//!
//! A case is a directory holding either a `specs/` tree (loaded with `load_tree`) or
//! operation files at its top (each checked with `parse_operation`), plus `expected.txt`:
//! one `file: pointer: reason` line per error, files relative to the case directory.
//! Run with `BLESS=1` to rewrite the `expected.txt` files after an intended change of
//! wording, then review the diff.

use std::fs;
use std::path::{Component, Path, PathBuf};

use alibabacloud_codegen::load::{LoadError, LoadErrors, load_tree, parse_operation};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken")
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    paths
}

/// The errors a case produces, with paths relative to the case directory.
fn run_case(case: &Path) -> Vec<LoadError> {
    let tree = case.join("specs");
    let mut errors = Vec::new();
    if tree.is_dir() {
        match load_tree(&tree) {
            Ok(_) => {}
            Err(LoadErrors(found)) => errors.extend(found),
        }
    } else {
        for path in sorted_dir(case) {
            if path.extension().is_some_and(|ext| ext == "json") {
                let text = fs::read_to_string(&path).unwrap();
                if let Err(LoadErrors(found)) = parse_operation(&path, &text) {
                    errors.extend(found);
                }
            }
        }
    }
    for error in &mut errors {
        let relative = error.file.strip_prefix(case).unwrap_or_else(|_| {
            panic!(
                "{}: error names a file outside the case: {error}",
                case.display()
            )
        });
        // `/` on every platform, so expected.txt is portable.
        let parts: Vec<String> = relative
            .components()
            .filter_map(|part| match part {
                Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        error.file = PathBuf::from(parts.join("/"));
    }
    errors
}

#[test]
fn every_broken_case_gives_exactly_its_expected_messages() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let mut cases = 0;
    for case in sorted_dir(&corpus()) {
        if !case.is_dir() {
            continue;
        }
        cases += 1;
        let errors = run_case(&case);
        let actual: String = errors.iter().map(|error| format!("{error}\n")).collect();
        let expected_path = case.join("expected.txt");
        if bless {
            fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if errors.is_empty() {
            failures.push(format!("{}: the loader found no problem", case.display()));
        } else if errors.iter().any(|error| error.reason.trim().is_empty()) {
            failures.push(format!(
                "{}: an error has no reason:\n{actual}",
                case.display()
            ));
        } else if actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                case.display()
            ));
        }
    }
    assert!(cases >= 25, "the corpus shrank to {cases} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
