//! Function Compute 3.0 (`fc` 2023-03-30) with the generated client: create a function, then
//! invoke it with a byte payload. The payload goes out as `application/octet-stream`
//! without a copy (`rt::Bytes`); the answer comes back as bytes with the response headers.
//!
//! Against Alibaba Cloud, set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and `ALIBABA_CLOUD_REGION_ID` (or use any source of the official credentials chain).
//! Against the local emulator, also set `ALIBABA_CLOUD_ENDPOINT=http://127.0.0.1:<port>`;
//! `emulator/run-examples.sh` does exactly that.
//!
//! ```sh
//! cargo run -p alibabacloud-emulator --example fc_create_and_invoke_function
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use alibabacloud_fc20230330::Client;
use alibabacloud_fc20230330::types::InputCodeLocation;
use alibabacloud_runtime::{Bytes, Config, SdkError};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("cannot configure the client: {error}");
            return ExitCode::FAILURE;
        }
    };
    let fc = Client::new(&config);

    // POST /2023-03-30/functions: the body is a named schema, its members are setters.
    let created = fc
        .create_function()
        .function_name("image-resize")
        .runtime("python3.10")
        .handler("index.handler")
        .memory_size(512)
        .timeout(60)
        .code(InputCodeLocation {
            zip_file: Some("UEsDBAoAAAAAAKhk1Vg=".to_owned()),
            ..Default::default()
        })
        .environment_variables(BTreeMap::from([("MODE".to_owned(), "demo".to_owned())]))
        .send()
        .await;
    match created {
        Ok(out) => println!(
            "function {} created ({}, {} MB)",
            out.function_name.as_deref().unwrap_or("-"),
            out.runtime.as_deref().unwrap_or("-"),
            out.memory_size.unwrap_or_default(),
        ),
        Err(error) => return report("CreateFunction", &error),
    }

    // Any bytes, not only UTF-8: a NUL and 0xFF travel unchanged.
    let payload = Bytes::from_static(b"{\"image\":\"cat.png\"}\n\x00\xff");
    let invoked = fc
        .invoke_function()
        .function_name("image-resize")
        .x_fc_invocation_type("Sync")
        .x_fc_log_type("Tail")
        .body(payload.clone())
        .send()
        .await;
    match invoked {
        Ok(out) => {
            println!(
                "invoked with {} bytes: HTTP {}, {} bytes back, request id {}",
                payload.len(),
                out.status,
                out.body.len(),
                out.header("x-fc-request-id").unwrap_or("-"),
            );
            ExitCode::SUCCESS
        }
        Err(error) => report("InvokeFunction", &error),
    }
}

fn report<E: std::fmt::Debug>(action: &str, error: &SdkError<E>) -> ExitCode {
    match error {
        SdkError::Service(error) => eprintln!(
            "{action} failed: {} (HTTP {}): {}; request id {}",
            error.code(),
            error.status(),
            error.message().unwrap_or("-"),
            error.request_id().unwrap_or("-"),
        ),
        other => eprintln!("{action} failed: {other}"),
    }
    ExitCode::FAILURE
}
