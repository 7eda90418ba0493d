//! `cargo xtask import` end to end: the binary on the seed pages and on copies of the
//! committed specs in a scratch directory (the real `specs/` is never written).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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
fn a_new_page_needs_a_product_and_becomes_a_new_spec() {
    let scratch = Scratch::new("new");
    let target = scratch.specs().join("adb/2021-12-01/StartApsJob.json");
    fs::remove_file(&target).unwrap();
    let page = seeds()
        .join("002_57123558828caa4f.txt")
        .display()
        .to_string();
    let out = xtask(&[&page, "--specs", &scratch.specs_arg()]);
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
        written
            .starts_with("{\n  \"$schema\": \"../../schema.json\",\n  \"action\": \"StartApsJob\""),
        "{written}"
    );
    assert!(written.ends_with("}\n"));
    assert!(
        !written.contains("\"in\""),
        "no locations without a spec or metadata"
    );

    let out = xtask(&[
        &page,
        "--specs",
        &scratch.specs_arg(),
        "--product",
        "nope/2020-01-01",
    ]);
    assert!(!out.status.success());
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
