//! Two copies of the repository sharing one target directory (one xtask binary) each read
//! and write their own tree: xtask finds the repository from the current directory when it
//! runs, not from where it was compiled.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT_ENV: &str = "ALIBABACLOUD_XTASK_ROOT";

fn workspace() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// Runs the one xtask binary in `dir`.
fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env_remove(ROOT_ENV)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A minimal clone: a workspace manifest and one operation of one product version.
fn clone(dir: &Path, operation: &str) {
    fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    let product = Path::new(operation).parent().unwrap();
    fs::create_dir_all(dir.join("specs").join(product)).unwrap();
    for file in [
        operation.to_owned(),
        format!("{}/product.json", product.display()),
    ] {
        fs::copy(
            workspace().join("specs").join(&file),
            dir.join("specs").join(&file),
        )
        .unwrap();
    }
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn two_clones_each_regenerate_and_check_their_own_tree() {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("xtask-clones-{}", std::process::id())));
    let _ = fs::remove_dir_all(&scratch.0);
    let (a, b) = (scratch.0.join("a"), scratch.0.join("b"));
    fs::create_dir_all(&a).unwrap();
    fs::create_dir_all(&b).unwrap();
    clone(&a, "adb/2021-12-01/StartApsJob.json");
    clone(&b, "rds/2014-08-15/CreateReplicationLink.json");
    let adb_crate = "generated/alibabacloud-adb20211201/Cargo.toml";
    let rds_crate = "generated/alibabacloud-rds20140815/Cargo.toml";

    // From a subdirectory of clone a: only a is written.
    let out = xtask(&a.join("specs/adb"), &["regen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(a.join(adb_crate).is_file());
    assert!(a.join("specs/schema.json").is_file());
    assert!(!b.join("generated").exists() && !b.join("specs/schema.json").exists());
    assert!(!a.join(rds_crate).exists());

    let out = xtask(&a, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = xtask(&b, &["check"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("alibabacloud-rds20140815"),
        "{}",
        text(&out.stderr)
    );

    let out = xtask(&b, &["regen"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(b.join(rds_crate).is_file() && !b.join(adb_crate).exists());
    assert!(!a.join(rds_crate).exists());

    // A change in one clone is stale there only.
    let spec = a.join("specs/adb/2021-12-01/StartApsJob.json");
    let edited = fs::read_to_string(&spec).unwrap().replacen(
        "\"summary\": \"",
        "\"summary\": \"Edited. ",
        1,
    );
    fs::write(&spec, edited).unwrap();
    let out = xtask(&a, &["check"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("alibabacloud-adb20211201"),
        "{}",
        text(&out.stderr)
    );
    let out = xtask(&b, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Outside any clone: it says how to name one.
    let out = xtask(&scratch.0, &["check"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains(ROOT_ENV),
        "{}",
        text(&out.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("check")
        .current_dir(&scratch.0)
        .env(ROOT_ENV, &b)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}
