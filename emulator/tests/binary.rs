//! The `alibabacloud-emulator` binary as a user runs it.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_alibabacloud-emulator");

/// Kills the child on drop, so a failing assertion leaves no server behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_its_address_and_serves_signed_calls_with_configured_keys() {
    let mut child = Child(
        Command::new(BIN)
            .args(["--port", "0", "--access-key-id", "cli-ak"])
            .env("ALIBABA_CLOUD_EMULATOR_ACCESS_KEY_SECRET", "cli-sk")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim_end()
        .strip_prefix("alibabacloud-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let mut raw = support::Raw::new("CreateReplicationLink", "2014-08-15")
        .query("DBInstanceId", "pgm-1")
        .query("DryRun", "true");
    raw.access_key_id = "cli-ak".into();
    raw.secret = "cli-sk".into();
    let answer = support::send(&url, &raw).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["TaskName"], "test01");

    // The default key is not accepted once another is configured.
    let default_key = support::Raw::new("CreateReplicationLink", "2014-08-15")
        .query("DBInstanceId", "pgm-1")
        .query("DryRun", "true");
    assert_eq!(
        support::send(&url, &default_key).await.error(),
        (404, "InvalidAccessKeyId.NotFound")
    );
}

#[test]
fn help_and_usage_errors() {
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--port <PORT>"));

    let bad = Command::new(BIN).args(["--port", "x"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("the port must be a number"));

    let missing = Command::new(BIN)
        .args(["--specs", "/nonexistent/specs"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/specs"));
}

/// Reads the first stdout line of a started binary: the address it listens on.
fn listening_url(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim_end()
        .strip_prefix("alibabacloud-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned()
}

/// A directory removed when dropped.
struct Scratch(std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A minimal copy of the repository holding one operation: rds CreateReplicationLink.
fn minimal_clone(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("emulator-bin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let workspace = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test"),
    )
    .join("..");
    let product = "specs/rds/2014-08-15";
    std::fs::create_dir_all(dir.join("clone").join(product)).unwrap();
    std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
    std::fs::write(dir.join("clone/Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    for file in ["product.json", "CreateReplicationLink.json"] {
        std::fs::copy(
            workspace.join(product).join(file),
            dir.join("clone").join(product).join(file),
        )
        .unwrap();
    }
    Scratch(dir)
}

/// The served tree is the copy's: its one operation answers, the real tree's others do not.
async fn serves_only_the_copy(url: &str) {
    let call = support::Raw::new("CreateReplicationLink", "2014-08-15")
        .query("DBInstanceId", "pgm-1")
        .query("DryRun", "true");
    let answer = support::send(url, &call).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let other = support::Raw::new("StartApsJob", "2021-12-01")
        .query("RegionId", "cn-hangzhou")
        .query("ApsJobId", "aps-1");
    assert_eq!(
        support::send(url, &other).await.error(),
        (404, "InvalidApi.NotFound")
    );
}

#[tokio::test]
async fn started_in_another_tree_it_serves_that_trees_specs() {
    let scratch = minimal_clone("cwd");
    // From a subdirectory of the copy, with no flags: the copy's specs/.
    let mut child = Child(
        Command::new(BIN)
            .current_dir(scratch.0.join("clone/specs/rds"))
            .env_remove("ALIBABA_CLOUD_EMULATOR_SPECS")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    serves_only_the_copy(&listening_url(&mut child)).await;
    drop(child);

    // From outside any workspace, told by the environment.
    let mut child = Child(
        Command::new(BIN)
            .current_dir(scratch.0.join("elsewhere"))
            .env(
                "ALIBABA_CLOUD_EMULATOR_SPECS",
                scratch.0.join("clone/specs"),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    serves_only_the_copy(&listening_url(&mut child)).await;
    drop(child);

    // Or by --specs, relative to where it was started.
    let mut child = Child(
        Command::new(BIN)
            .current_dir(scratch.0.join("elsewhere"))
            .env_remove("ALIBABA_CLOUD_EMULATOR_SPECS")
            .args(["--specs", "../clone/specs"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    serves_only_the_copy(&listening_url(&mut child)).await;
}

#[test]
fn started_outside_any_tree_without_specs_it_says_how_to_name_them() {
    let scratch = minimal_clone("nowhere");
    let out = Command::new(BIN)
        .current_dir(scratch.0.join("elsewhere"))
        .env_remove("ALIBABA_CLOUD_EMULATOR_SPECS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no spec tree to serve"), "{stderr}");
    assert!(stderr.contains("--specs <DIR>"), "{stderr}");
    assert!(stderr.contains("ALIBABA_CLOUD_EMULATOR_SPECS"), "{stderr}");
    assert!(
        stderr.contains("elsewhere"),
        "names where it looked: {stderr}"
    );
}
