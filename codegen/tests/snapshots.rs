//! Snapshot tests of the generator's own output, for the small fixture specs under
//! `tests/snapshots/specs/` (every type, location, style and naming hard case of the spec
//! language, plus constructs the generator reports as unsupported).
//!
//! Expected files live under `tests/snapshots/expected/<crate>/<path>.snap`, with the
//! unsupported report in `UNSUPPORTED.txt.snap`. After an intended change, rerun with
//! `UPDATE_SNAPSHOTS=1` and review the diff.

use std::collections::BTreeMap;
use std::path::Path;

use alibabacloud_codegen::emit::{generate_product, tree};
use alibabacloud_codegen::load::load_tree;

const SUFFIX: &str = ".snap";

fn actual() -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/specs");
    let specs =
        load_tree(&dir).unwrap_or_else(|errors| panic!("fixture specs are invalid:\n{errors}"));
    let mut files = BTreeMap::new();
    for product in &specs.products {
        let generated = generate_product(product, &specs.reviewed);
        for file in generated.files {
            files.insert(
                format!("{}/{}{SUFFIX}", generated.crate_name, file.path),
                file.contents,
            );
        }
        let report: String = generated
            .unsupported
            .iter()
            .map(|item| format!("{item}\n"))
            .collect();
        files.insert(
            format!("{}/UNSUPPORTED.txt{SUFFIX}", generated.crate_name),
            report,
        );
    }
    files
}

#[test]
fn generated_code_matches_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let expected_dir = "expected";
    let actual = actual();
    let on_disk = tree::files_under(&root, expected_dir).expect("read snapshots");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut problems = Vec::new();
    for (path, contents) in &actual {
        let file = root.join(expected_dir).join(path);
        match std::fs::read_to_string(&file) {
            Ok(old) if &old == contents => {}
            found => {
                problems.push(format!(
                    "{}: {path}",
                    if found.is_ok() { "differs" } else { "missing" }
                ));
                if update {
                    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                    std::fs::write(&file, contents).unwrap();
                }
            }
        }
    }
    for path in on_disk {
        let relative = path
            .strip_prefix(&format!("{expected_dir}/"))
            .unwrap_or(&path);
        if !actual.contains_key(relative) {
            problems.push(format!("extra: {relative}"));
            if update {
                std::fs::remove_file(root.join(&path)).unwrap();
            }
        }
    }
    assert!(
        update || problems.is_empty(),
        "snapshots differ (rerun with UPDATE_SNAPSHOTS=1 and review the diff):\n{}",
        problems.join("\n")
    );
}

#[test]
fn generation_is_byte_identical_across_runs() {
    assert_eq!(actual(), actual());
}

#[test]
fn every_type_location_and_style_of_the_spec_language_is_covered() {
    let files = actual();
    let all: String = files.values().cloned().collect();
    for needle in [
        "pub count: i32",
        "Option<i64>",
        "Option<bool>",
        "Option<f64>",
        "Option<rt::Value>",
        "rt::Sensitive<String>",
        "idempotency_token: true",
        "Vec<crate::types::Tag>",
        "std::collections::BTreeMap<String, String>",
        "Option<Box<crate::types::TreeNode>>",
        "Vec<Vec<String>>",
        "rt::Location::Query",
        "rt::Location::Form",
        "rt::Location::Body",
        "rt::Location::Path",
        "rt::Location::Header",
        "rt::Auth::Anonymous",
        "rt::Style::RepeatList",
        "rt::Style::Flat",
        "rt::Style::Json",
        "rt::Style::Simple",
        "rt::Style::SpaceDelimited",
        "rt::Style::PipeDelimited",
        "pub r#type:",
        "pub self_:",
        "pub db_name_2:",
        "PayNoCreditCard2",
        "Unhandled2",
        "NestedResponseError2",
        "describe_thing_2",
        "r#type(&self)",
    ] {
        assert!(
            all.contains(needle),
            "no generated file contains `{needle}`"
        );
    }
    let report = &files["alibabacloud-kitchen20240101/UNSUPPORTED.txt.snap"];
    for kind in ["binary", "location", "param-style", "security", "reference"] {
        assert!(
            report.lines().any(|line| line.starts_with(kind)),
            "no `{kind}` item in:\n{report}"
        );
    }
    // ROA: one wire protocol with RPC, so everything of the fixture is generated.
    let roa = &files["alibabacloud-roa20240101/UNSUPPORTED.txt.snap"];
    assert_eq!(roa, "");
    let roa: String = files
        .iter()
        .filter(|(path, _)| path.starts_with("alibabacloud-roa20240101/"))
        .map(|(_, text)| text.as_str())
        .collect();
    for needle in [
        "rt::Location::BodyField",
        "rt::Auth::Anonymous",
        "path: \"/clusters/{ClusterId}/pools/{PoolId}%3Ascale\"",
        "fn payload(&self) -> Option<rt::Bytes>",
        "pub type ListClustersResponse = Vec<ListClustersResponseItem>;",
        "pub type InvokeResponse = rt::Binary;",
        "pub type DeleteClusterResponse = rt::Empty;",
        "pub type GetKubeconfigResponse = String;",
        "pub fn count(mut self, value: i64)",
        "pub fn x_acme_workspace(",
    ] {
        assert!(roa.contains(needle), "no ROA file contains `{needle}`");
    }
}
