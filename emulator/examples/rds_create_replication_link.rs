//! RDS `CreateReplicationLink` with the generated client: configuration from the
//! environment, one call, and the operation's documented errors matched by variant.
//!
//! Against Alibaba Cloud, set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and `ALIBABA_CLOUD_REGION_ID` (or use any source of the official credentials chain).
//! Against the local emulator, also set `ALIBABA_CLOUD_ENDPOINT=http://127.0.0.1:<port>`;
//! `emulator/run-examples.sh` does exactly that.
//!
//! ```sh
//! cargo run -p alibabacloud-emulator --example rds_create_replication_link
//! ```

use std::process::ExitCode;

use alibabacloud_rds20140815::{Client, CreateReplicationLinkError};
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
    let rds = Client::new(&config);

    // DryRun: the service only checks the request, nothing is created.
    let result = rds
        .create_replication_link()
        .db_instance_id("pgm-bp1trqb4p1xd****")
        .dry_run(true)
        .source_category("self_managed")
        .source_address("123.23.23.xx")
        .source_port(5432)
        .replicator_account("rep_user")
        .replicator_password("use-a-real-secret-here")
        .task_name("test01")
        .send()
        .await;

    match result {
        Ok(out) => {
            println!(
                "replication link task {:?} ({}) for {}; RequestId {}",
                out.task_id,
                out.task_name.as_deref().unwrap_or("-"),
                out.db_instance_id.as_deref().unwrap_or("-"),
                out.request_id.as_deref().unwrap_or("-"),
            );
            ExitCode::SUCCESS
        }
        Err(SdkError::Service(error)) => {
            let advice = match error.kind() {
                CreateReplicationLinkError::IncorrectDbInstanceState => {
                    "the instance is not ready yet: wait until it is Running and retry"
                }
                CreateReplicationLinkError::InvalidSourceCategory => {
                    "SourceCategory must be one of the documented values"
                }
                CreateReplicationLinkError::InvalidDbInstanceIdNotFound => {
                    "no such instance in this region"
                }
                // Every other code, documented or not (the enum is non-exhaustive).
                _ => "see the message",
            };
            eprintln!(
                "CreateReplicationLink failed: {} (HTTP {}): {}; {advice}. RequestId {}",
                error.code(),
                error.status(),
                error.message().unwrap_or("-"),
                error.request_id().unwrap_or("-"),
            );
            ExitCode::FAILURE
        }
        Err(other) => {
            eprintln!("CreateReplicationLink failed: {other}");
            ExitCode::FAILURE
        }
    }
}
