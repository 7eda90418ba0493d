//! AnalyticDB `CreateAPSJob` with the generated client: configuration from the environment,
//! one call, and error handling. The adb pages document no error codes, so every service
//! error is the enum's `Unhandled` variant; the error's `code()` is the code as sent.
//!
//! Against Alibaba Cloud, set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and `ALIBABA_CLOUD_REGION_ID` (or use any source of the official credentials chain).
//! Against the local emulator, also set `ALIBABA_CLOUD_ENDPOINT=http://127.0.0.1:<port>`;
//! `emulator/run-examples.sh` does exactly that.
//!
//! ```sh
//! cargo run -p alibabacloud-emulator --example adb_create_aps_job
//! ```

use std::process::ExitCode;

use alibabacloud_adb20211201::{Client, CreateApsJobError};
use alibabacloud_runtime::{Config, SdkError};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("cannot configure the client: {error}");
            return ExitCode::FAILURE;
        }
    };
    let adb = Client::new(&config);

    let result = adb
        .create_aps_job()
        .region_id("cn-shanghai")
        .source_endpoint_instance_id("pc-xxxxx")
        .destination_endpoint_instance_id("amv-xxxxx")
        .db_list(r#"{"EntireInstance":true}"#)
        .aps_job_name("orders-sync")
        .send()
        .await;

    match result {
        // The adb samples answer `"Success": true` next to a `Code` such as
        // `InvalidInput`: the body fields are shown, not interpreted.
        Ok(out) => {
            println!(
                "APS job {} created (Success {:?}, Code {}); RequestId {}",
                out.aps_job_id.as_deref().unwrap_or("-"),
                out.success,
                out.code.as_deref().unwrap_or("-"),
                out.request_id.as_deref().unwrap_or("-"),
            );
            ExitCode::SUCCESS
        }
        Err(SdkError::Service(error)) => {
            let advice = match error.kind() {
                CreateApsJobError::Unhandled if error.code().starts_with("Throttling") => {
                    "throttled even after the runtime's retries: slow down"
                }
                _ => "see the message",
            };
            eprintln!(
                "CreateAPSJob failed: {} (HTTP {}): {}; {advice}. RequestId {}",
                error.code(),
                error.status(),
                error.message().unwrap_or("-"),
                error.request_id().unwrap_or("-"),
            );
            ExitCode::FAILURE
        }
        Err(other) => {
            eprintln!("CreateAPSJob failed: {other}");
            ExitCode::FAILURE
        }
    }
}
