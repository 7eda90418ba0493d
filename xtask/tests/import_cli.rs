//! `cargo xtask import` end to end: the binary on the seed pages and on copies of the
//! committed specs in a scratch directory (the real `specs/` is never written).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace this test runs in (cargo sets `CARGO_MANIFEST_DIR` when it runs tests).
fn workspace() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

fn seeds() -> PathBuf {
    workspace().join("../shared/seeds")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("import")
        .args(args)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch directory holding a copy of `specs/`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("xtask-import-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        copy_dir(&workspace().join("specs"), &dir.join("specs"));
        fs::create_dir_all(dir.join("pages")).unwrap();
        Scratch(dir)
    }
    /// A scratch directory with an empty `specs/`.
    fn empty(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("xtask-import-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("specs")).unwrap();
        fs::create_dir_all(dir.join("pages")).unwrap();
        Scratch(dir)
    }
    /// Writes a catalog file `<catalog>/<name>/api-docs.json` into the scratch directory.
    fn catalog_file(&self, name: &str, content: &str) -> String {
        let dir = self.0.join("catalog").join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("api-docs.json"), content).unwrap();
        self.0.join("catalog").display().to_string()
    }
    fn specs(&self) -> PathBuf {
        self.0.join("specs")
    }
    fn specs_arg(&self) -> String {
        self.specs().display().to_string()
    }
    fn page(&self, name: &str, content: &str) -> String {
        let path = self.0.join("pages").join(name);
        fs::write(&path, content).unwrap();
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

const RDS_PAGE: &str = "003_47074c606a8928c6.txt";
const RDS_SPEC: &str = "rds/2014-08-15/CreateReplicationLink.json";

#[test]
fn check_passes_on_the_seed_pages() {
    let seeds = seeds().display().to_string();
    let out = xtask(&["--check", &seeds]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("5 spec(s) agree with their pages"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn check_reports_an_edited_spec_and_fails() {
    let scratch = Scratch::new("check");
    let path = scratch.specs().join(RDS_SPEC);
    let edited = fs::read_to_string(&path).unwrap().replace(
        "\"message\": \"No credit cards.\"",
        "\"message\": \"No credit card.\"",
    );
    fs::write(&path, edited).unwrap();
    let seeds = seeds().display().to_string();
    let out = xtask(&["--check", &seeds, "--specs", &scratch.specs_arg()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("CreateReplicationLink.json: /errors/38/message: page has \"No credit cards.\", spec has \"No credit card.\""), "{stderr}");
    assert!(stderr.contains("1 disagreement(s)"), "{stderr}");
}

#[test]
fn import_restores_a_spec_from_its_page_and_keeps_wire_facts() {
    let scratch = Scratch::new("restore");
    let path = scratch.specs().join(RDS_SPEC);
    let original = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        original.replacen("The ID of the instance.", "Edited by hand.", 1),
    )
    .unwrap();
    let page = seeds().join(RDS_PAGE).display().to_string();
    let out = xtask(&[&page, "--specs", &scratch.specs_arg()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Byte-identical: page facts come back, locations and discrepancy notes are kept.
    assert_eq!(fs::read_to_string(&path).unwrap(), original);
    // The guesses on the page are shown with their lines.
    assert!(
        text(&out.stderr).contains(&format!("{RDS_PAGE}:141: note:")),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bad_pages_fail_naming_the_line_and_leave_the_spec_untouched() {
    let scratch = Scratch::new("bad");
    let path = scratch.specs().join(RDS_SPEC);
    let original = fs::read_to_string(&path).unwrap();
    let full = fs::read_to_string(seeds().join(RDS_PAGE)).unwrap();
    // Same file name as the seed, so the import targets the committed spec.
    let cases = [
        (String::new(), ":1: the page is empty"),
        (
            "# Notes\n\nNothing to see.\n".to_owned(),
            "not an API reference page",
        ),
        (
            full.lines().take(60).collect::<Vec<_>>().join("\n"),
            "truncated",
        ),
    ];
    for (content, expected) in &cases {
        let page = scratch.page(RDS_PAGE, content);
        let out = xtask(&[&page, "--specs", &scratch.specs_arg()]);
        assert!(!out.status.success(), "{expected}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{stderr}");
        assert!(
            stderr.contains(&format!("{RDS_PAGE}:")),
            "names the page and line: {stderr}"
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            original,
            "spec untouched"
        );
    }
    let leftovers: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".import-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_new_page_finds_its_product_version_in_the_catalog() {
    let scratch = Scratch::new("new");
    let target = scratch.specs().join("adb/2021-12-01/StartApsJob.json");
    let committed = fs::read_to_string(&target).unwrap();
    fs::remove_file(&target).unwrap();
    let page = seeds()
        .join("002_57123558828caa4f.txt")
        .display()
        .to_string();
    // No flags: `AnalyticDB:StartApsJob` is only in adb/2021-12-01.
    let out = xtask(&[&page, "--specs", &scratch.specs_arg()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("come from catalog/adb/2021-12-01/api-docs.json"),
        "{}",
        text(&out.stderr)
    );
    let written = fs::read_to_string(&target).unwrap();
    assert!(
        written
            .starts_with("{\n  \"$schema\": \"../../schema.json\",\n  \"action\": \"StartApsJob\""),
        "{written}"
    );
    assert!(written.ends_with("}\n"));
    assert_same_wire_facts(&written, &committed, "StartApsJob");

    // A product version the catalog does not have needs its product.json first.
    fs::remove_file(&target).unwrap();
    let out = xtask(&[
        &page,
        "--specs",
        &scratch.specs_arg(),
        "--product",
        "nope/2020-01-01",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("create the product version first"),
        "{}",
        text(&out.stderr)
    );
    assert!(!target.exists());
}

#[test]
fn without_a_catalog_a_new_page_needs_a_product_and_gets_no_wire_facts() {
    let scratch = Scratch::new("nocatalog");
    let target = scratch.specs().join("adb/2021-12-01/StartApsJob.json");
    fs::remove_file(&target).unwrap();
    let catalog = scratch.0.join("pages").display().to_string(); // a directory with no catalog
    let page = seeds()
        .join("002_57123558828caa4f.txt")
        .display()
        .to_string();
    let out = xtask(&[
        &page,
        "--specs",
        &scratch.specs_arg(),
        "--catalog",
        &catalog,
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("pass --product"),
        "{}",
        text(&out.stderr)
    );
    assert!(!target.exists());

    let out = xtask(&[
        &page,
        "--specs",
        &scratch.specs_arg(),
        "--catalog",
        &catalog,
        "--product",
        "adb/2021-12-01",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no methods or parameter locations"),
        "{}",
        text(&out.stderr)
    );
    let written = fs::read_to_string(&target).unwrap();
    assert!(
        !written.contains("\"in\""),
        "no locations without a spec or metadata"
    );
}

/// The seed pages and the spec each belongs to (the last page has no title line).
const SEEDS: [(&str, &str); 5] = [
    (
        "000_58cb2fe195d81611.txt",
        "adb/2021-12-01/CreateApsCopyWorkload.json",
    ),
    (
        "001_7bf23155c552e403.txt",
        "adb/2021-12-01/CreateAPSJob.json",
    ),
    (
        "002_57123558828caa4f.txt",
        "adb/2021-12-01/StartApsJob.json",
    ),
    (RDS_PAGE, RDS_SPEC),
    (
        "004_86aa9dd694e8165a.txt",
        "dataworks-public/2020-05-18/CreateDISyncTask.json",
    ),
];

/// Methods, path and every request parameter's name, location and style agree.
fn assert_same_wire_facts(written: &str, committed: &str, what: &str) {
    let written: serde_json::Value = serde_json::from_str(written).unwrap();
    let committed: serde_json::Value = serde_json::from_str(committed).unwrap();
    let methods = |spec: &serde_json::Value| {
        let mut methods: Vec<String> = spec["methods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_owned())
            .collect();
        methods.sort();
        methods
    };
    let request = |spec: &serde_json::Value| -> Vec<String> {
        spec["request"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| format!("{} {} {}", p["name"], p["in"], p["style"]))
            .collect()
    };
    assert_eq!(written["action"], committed["action"], "{what}");
    assert!(!methods(&written).is_empty(), "{what}");
    assert_eq!(methods(&written), methods(&committed), "{what}");
    assert_eq!(written["path"], committed["path"], "{what}");
    assert_eq!(request(&written), request(&committed), "{what}");
}

#[test]
fn every_seed_page_imports_into_an_empty_tree_without_flags() {
    let scratch = Scratch::empty("seeds");
    for (page, spec) in SEEDS {
        let path = seeds().join(page).display().to_string();
        let out = xtask(&[&path, "--specs", &scratch.specs_arg()]);
        assert!(out.status.success(), "{page}: {}", text(&out.stderr));
        let written = fs::read_to_string(scratch.specs().join(spec))
            .unwrap_or_else(|e| panic!("{page}: {spec} not written: {e}"));
        let committed = fs::read_to_string(workspace().join("specs").join(spec)).unwrap();
        assert_same_wire_facts(&written, &committed, page);
        assert!(written.contains(&format!("\"file\": \"{page}\"")), "{page}");
    }
    // The untitled DataWorks page was matched by its parameter table.
    for product in [
        "adb/2021-12-01",
        "rds/2014-08-15",
        "dataworks-public/2020-05-18",
    ] {
        assert!(
            scratch.specs().join(product).join("product.json").is_file(),
            "{product}"
        );
    }
    // The new tree is one the generator accepts.
    if let Err(errors) = alibabacloud_codegen::load::load_tree(&scratch.specs()) {
        panic!("the imported tree does not load:\n{errors}");
    }
}

/// A catalog operation with these parameters, in the metadata's shape.
fn catalog_doc(product: &str, version: &str, actions: &[(&str, &[&str])]) -> String {
    let apis: serde_json::Map<String, serde_json::Value> = actions
        .iter()
        .map(|(action, parameters)| {
            let parameters: Vec<_> = parameters
                .iter()
                .map(|name| serde_json::json!({"name": name, "in": "query", "schema": {"type": "string"}}))
                .collect();
            (
                (*action).to_owned(),
                serde_json::json!({"methods": ["post"], "parameters": parameters}),
            )
        })
        .collect();
    serde_json::json!({
        "info": {"style": "RPC", "product": product, "version": version},
        "apis": apis,
    })
    .to_string()
}

#[test]
fn an_ambiguous_page_lists_the_candidates_and_asks_for_a_product() {
    let scratch = Scratch::empty("ambiguous");
    let start_aps_job: &[&str] = &["RegionId", "ApsJobId"];
    scratch.catalog_file(
        "adb/2019-03-15",
        &catalog_doc("adb", "2019-03-15", &[("StartApsJob", start_aps_job)]),
    );
    let catalog = scratch.catalog_file(
        "adb/2021-12-01",
        &catalog_doc("adb", "2021-12-01", &[("StartApsJob", start_aps_job)]),
    );
    let page = seeds()
        .join("002_57123558828caa4f.txt")
        .display()
        .to_string();
    let out = xtask(&[
        &page,
        "--specs",
        &scratch.specs_arg(),
        "--catalog",
        &catalog,
    ]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("choose with --product"), "{stderr}");
    assert!(stderr.contains("adb/2019-03-15 StartApsJob"), "{stderr}");
    assert!(stderr.contains("adb/2021-12-01 StartApsJob"), "{stderr}");

    // --product settles it.
    let out = xtask(&[
        &page,
        "--specs",
        &scratch.specs_arg(),
        "--catalog",
        &catalog,
        "--product",
        "adb/2019-03-15",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written =
        fs::read_to_string(scratch.specs().join("adb/2019-03-15/StartApsJob.json")).unwrap();
    assert!(written.contains("\"in\": \"query\""), "{written}");
}

#[test]
fn an_untitled_page_needs_exactly_one_fitting_operation() {
    let scratch = Scratch::empty("untitled");
    let dataworks: &[&str] = &[
        "ProjectId",
        "TaskType",
        "TaskContent",
        "TaskParam",
        "TaskName",
        "ClientToken",
    ];
    let catalog = scratch.catalog_file(
        "dataworks-public/2020-05-18",
        &catalog_doc(
            "dataworks-public",
            "2020-05-18",
            &[("CreateDISyncTask", dataworks), ("CreateOther", dataworks)],
        ),
    );
    let page = seeds()
        .join("004_86aa9dd694e8165a.txt")
        .display()
        .to_string();
    let out = xtask(&[
        &page,
        "--specs",
        &scratch.specs_arg(),
        "--catalog",
        &catalog,
    ]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("choose with --product <code>/<version> --action <Action>"),
        "{stderr}"
    );
    assert!(
        stderr.contains("dataworks-public/2020-05-18 CreateOther"),
        "{stderr}"
    );

    let out = xtask(&[
        &page,
        "--specs",
        &scratch.specs_arg(),
        "--catalog",
        &catalog,
        "--action",
        "CreateDISyncTask",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        scratch
            .specs()
            .join("dataworks-public/2020-05-18/CreateDISyncTask.json")
            .is_file()
    );
}

#[test]
fn usage_errors() {
    for args in [&["--check"][..], &["a.txt", "b.txt"], &["--bogus"], &[]] {
        let out = xtask(args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains("usage: cargo xtask import"),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}
