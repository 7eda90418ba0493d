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
