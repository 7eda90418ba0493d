//! Importing each seed page reproduces the committed spec's tables exactly.
//!
//! The seed pages live in `../shared/seeds/` beside the workspace. Each import is compared
//! with the committed spec twice: field by field on what pages carry (without merging
//! anything), and as a whole after merging the wire facts pages lack (locations, methods,
//! discrepancy notes), which must leave no difference at all.

use std::path::{Path, PathBuf};

use alibabacloud_codegen::import::page::{
    PageOptions, differences, import_page, merge_wire_facts, to_json,
};
use alibabacloud_codegen::spec::{Field, OperationSpec};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen sits in the workspace")
        .to_path_buf()
}

fn seeds() -> PathBuf {
    workspace().join("../shared/seeds")
}

/// (page, committed spec) for the five seed operations.
const SEEDS: &[(&str, &str)] = &[
    (
        "000_58cb2fe195d81611.txt",
        "specs/adb/2021-12-01/CreateApsCopyWorkload.json",
    ),
    (
        "001_7bf23155c552e403.txt",
        "specs/adb/2021-12-01/CreateAPSJob.json",
    ),
    (
        "002_57123558828caa4f.txt",
        "specs/adb/2021-12-01/StartApsJob.json",
    ),
    (
        "003_47074c606a8928c6.txt",
        "specs/rds/2014-08-15/CreateReplicationLink.json",
    ),
    (
        "004_86aa9dd694e8165a.txt",
        "specs/dataworks-public/2020-05-18/CreateDISyncTask.json",
    ),
];

fn committed(path: &str) -> (String, OperationSpec) {
    let text =
        std::fs::read_to_string(workspace().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let spec = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    (text, spec)
}

fn import(
    file: &str,
    committed: &OperationSpec,
) -> alibabacloud_codegen::import::page::ImportedPage {
    let text =
        std::fs::read_to_string(seeds().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    // The DataWorks page has no title line; its action comes from the spec it belongs to.
    let options = PageOptions {
        file_name: file,
        action: Some(&committed.action),
    };
    import_page(&text, options).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Asserts equality of what a page states about a field (not locations, styles, bounds).
fn assert_page_facts(context: &str, page: &Field, spec: &Field) {
    assert_eq!(page.name, spec.name, "{context}: name");
    assert_eq!(page.ty, spec.ty, "{context}: type");
    assert_eq!(page.required, spec.required, "{context}: required");
    assert_eq!(page.description, spec.description, "{context}: description");
    assert_eq!(page.example, spec.example, "{context}: example");
    assert_eq!(
        page.sensitive, spec.sensitive,
        "{context}: sensitive (inferred from the name)"
    );
    assert_eq!(
        page.idempotency_token, spec.idempotency_token,
        "{context}: idempotency_token"
    );
    assert_eq!(
        page.json, spec.json,
        "{context}: json (inferred from the example)"
    );
    match (&page.items, &spec.items) {
        (Some(page), Some(spec)) => assert_page_facts(&format!("{context}/items"), page, spec),
        (page, spec) => assert_eq!(page.is_some(), spec.is_some(), "{context}: items"),
    }
    let page_properties = page.properties.as_deref().unwrap_or_default();
    let spec_properties = spec.properties.as_deref().unwrap_or_default();
    assert_eq!(
        page_properties.len(),
        spec_properties.len(),
        "{context}: number of properties"
    );
    for (page, spec) in page_properties.iter().zip(spec_properties) {
        assert_page_facts(
            &format!("{context}/{}", spec.name.as_deref().unwrap_or("")),
            page,
            spec,
        );
    }
}

#[test]
fn every_seed_page_reproduces_its_committed_tables() {
    for (file, path) in SEEDS {
        let (_, spec) = committed(path);
        let page = import(file, &spec).spec;
        assert_eq!(page.action, spec.action, "{path}");
        assert_eq!(page.summary, spec.summary, "{path}");
        assert_eq!(page.description, spec.description, "{path}");
        assert_eq!(page.source.page, spec.source.page, "{path}: provenance");
        // The page's parameters come first, in its order; after them the spec keeps the
        // ones only the metadata has, each recorded as a discrepancy.
        assert!(
            page.request.len() <= spec.request.len(),
            "{path}: number of request parameters"
        );
        for extra in &spec.request[page.request.len()..] {
            let subject = format!("request/{}", extra.name.as_deref().unwrap_or(""));
            assert!(
                spec.discrepancies.iter().any(|d| d.subject == subject),
                "{path}: {subject} is not on the page and no discrepancy says why"
            );
        }
        for (page, spec_field) in page.request.iter().zip(&spec.request) {
            assert_page_facts(
                &format!(
                    "{path}: request/{}",
                    spec_field.name.as_deref().unwrap_or("")
                ),
                page,
                spec_field,
            );
        }
        assert_page_facts(&format!("{path}: response"), &page.response, &spec.response);
        assert_eq!(page.samples, spec.samples, "{path}: samples");
        assert_eq!(
            page.errors.len(),
            spec.errors.len(),
            "{path}: number of error rows"
        );
        for (index, (page, spec)) in page.errors.iter().zip(&spec.errors).enumerate() {
            assert_eq!(page, spec, "{path}: error row {index}");
        }
    }
}

#[test]
fn merged_reimport_is_identical_to_the_committed_file() {
    for (file, path) in SEEDS {
        let (text, spec) = committed(path);
        let merged = merge_wire_facts(import(file, &spec).spec, &spec);
        let found = differences(&merged, &spec);
        assert!(
            found.is_empty(),
            "{path}:\n{}",
            found
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
        // Byte for byte: a re-import of an unchanged page leaves no diff.
        assert_eq!(to_json(&merged), text, "{path}");
    }
}

#[test]
fn the_rds_error_table_has_all_67_rows_with_duplicates_and_case_variants() {
    let (_, spec) = committed(SEEDS[3].1);
    let errors = import(SEEDS[3].0, &spec).spec.errors;
    assert_eq!(errors.len(), 67);
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "BasicInfoUncompleted")
            .count(),
        2
    );
    assert!(codes.contains(&"pay.noCreditCard") && codes.contains(&"Pay.NoCreditCard"));
    assert!(
        codes.contains(&"ENDPOINT_NOT_FOUND") && codes.contains(&"Abs.InvalidAccount.NotFound")
    );
    assert_eq!(
        errors.iter().filter(|e| e.description.is_none()).count(),
        9,
        "rows whose description is `-`"
    );
}

#[test]
fn guesses_on_the_seed_pages_are_reported_with_their_lines() {
    let (_, spec) = committed(SEEDS[3].1);
    let notes = import(SEEDS[3].0, &spec).notes;
    // The three rows whose fused code/message split no description or other row confirms.
    let lines: Vec<usize> = notes.iter().map(|n| n.line).collect();
    assert_eq!(lines, [141, 157, 166], "{notes:#?}");
    assert!(
        notes[0].message.contains("`RegionDissolvedEOM`"),
        "{}",
        notes[0]
    );

    let (_, spec) = committed(SEEDS[4].1);
    let notes = import(SEEDS[4].0, &spec).notes;
    assert!(
        notes
            .iter()
            .any(|n| n.line == 29 && n.message.contains("response table is empty")),
        "{notes:#?}"
    );
}

/// Every prefix of every seed page, and every page with one line removed, imports or fails
/// with a line inside the page; none panics.
#[test]
fn cut_or_damaged_seed_pages_never_panic() {
    for (file, path) in SEEDS {
        let (_, spec) = committed(path);
        let text = std::fs::read_to_string(seeds().join(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let options = PageOptions {
            file_name: file,
            action: Some(&spec.action),
        };
        let mut variants: Vec<String> = (0..=lines.len()).map(|n| lines[..n].join("\n")).collect();
        variants.extend((0..lines.len()).map(|skip| {
            let kept: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            kept.join("\n")
        }));
        // Cuts inside lines too (at character boundaries), where rows end mid-word.
        variants.extend(
            text.char_indices()
                .step_by(97)
                .map(|(at, _)| text[..at].to_owned()),
        );
        for variant in &variants {
            if let Err(error) = import_page(variant, options) {
                let count = variant.lines().count().max(1);
                assert!(
                    error.line >= 1 && error.line <= count,
                    "{file}: line {} outside 1..={count}: {error}",
                    error.line
                );
            }
        }
    }
}

/// The rds page (Sep 2024) does not list `TargetAddress`; the metadata has it and the official
/// SDK sends it, so the spec keeps it: settable, typed and placed as the metadata says, the
/// disagreement recorded. A re-import of the page keeps it too.
#[test]
fn a_parameter_only_the_metadata_has_is_kept_by_the_rds_seed_spec() {
    let (_, spec) = committed(SEEDS[3].1);
    let page = import(SEEDS[3].0, &spec).spec;
    let on_page = |name: &str| page.request.iter().any(|f| f.name.as_deref() == Some(name));
    assert!(!on_page("TargetAddress"), "the page does not list it");
    let merged = merge_wire_facts(page, &spec);
    let kept = merged
        .request
        .iter()
        .find(|f| f.name.as_deref() == Some("TargetAddress"))
        .expect("kept by a re-import of the page");
    assert_eq!(kept.ty, Some(alibabacloud_codegen::spec::FieldType::String));
    assert_eq!(
        kept.location,
        Some(alibabacloud_codegen::spec::Location::Query)
    );
    assert!(!kept.required);
    let recorded = merged
        .discrepancies
        .iter()
        .find(|d| d.subject == "request/TargetAddress")
        .expect("the disagreement is recorded");
    assert!(recorded.resolution.starts_with("Kept"), "{recorded:?}");
}
