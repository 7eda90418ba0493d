//! DataWorks `CreateDISyncTask` with the generated client: configuration from the
//! environment, one call, and the operation's documented errors matched by variant.
//!
//! Against Alibaba Cloud, set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and `ALIBABA_CLOUD_REGION_ID` (or use any source of the official credentials chain).
//! Against the local emulator, also set `ALIBABA_CLOUD_ENDPOINT=http://127.0.0.1:<port>`;
//! `emulator/run-examples.sh` does exactly that.
//!
//! ```sh
//! cargo run -p alibabacloud-emulator --example dataworks_create_di_sync_task
//! ```

use std::process::ExitCode;

use alibabacloud_dataworks_public20200518::{Client, CreateDiSyncTaskError};
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
    let dataworks = Client::new(&config);

    // ClientToken is left unset: the runtime generates one and reuses it on retries, so a
    // retried create never creates twice.
    let result = dataworks
        .create_di_sync_task()
        .project_id(10000)
        .task_type("DI_OFFLINE")
        .task_name("new_di_task")
        .task_param(r#"{"FileFolderPath":"Business Flow/XXX/Data Integration","ResourceGroup":"S_res_group_XXX_XXXX"}"#)
        .task_content(r#"{"type":"job","version":"2.0","steps":[],"setting":{},"order":{"hops":[]}}"#)
        .send()
        .await;

    match result {
        Ok(out) => {
            let data = out.data.unwrap_or_default();
            println!(
                "sync task file {:?}, status {}; RequestId {}",
                data.file_id,
                data.status.as_deref().unwrap_or("-"),
                out.request_id.as_deref().unwrap_or("-"),
            );
            ExitCode::SUCCESS
        }
        Err(SdkError::Service(error)) => {
            let advice = match error.kind() {
                CreateDiSyncTaskError::InvalidDiParameterFileExisted => {
                    "a task with this name exists already: pick another TaskName"
                }
                CreateDiSyncTaskError::ForbiddenDiNoPrivilege => {
                    "the caller lacks DataWorks permissions on this workspace"
                }
                CreateDiSyncTaskError::InvalidDiParameter => "check TaskContent and TaskParam",
                CreateDiSyncTaskError::InternalErrorDiParameter => "a service fault: retry later",
                _ => "see the message",
            };
            eprintln!(
                "CreateDISyncTask failed: {} (HTTP {}): {}; {advice}. RequestId {}",
                error.code(),
                error.status(),
                error.message().unwrap_or("-"),
                error.request_id().unwrap_or("-"),
            );
            ExitCode::FAILURE
        }
        Err(other) => {
            eprintln!("CreateDISyncTask failed: {other}");
            ExitCode::FAILURE
        }
    }
}
