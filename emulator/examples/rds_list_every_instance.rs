//! Every RDS instance of a region, with the generated paginator: `into_paginator()` asks for
//! page after page (`PageNumber` from 1, `PageSize` 100) until the instances seen reach
//! `TotalRecordCount` or a page comes back empty; `items()` streams the instances themselves.
//!
//! Against Alibaba Cloud, set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and `ALIBABA_CLOUD_REGION_ID`. Against the local emulator, also set
//! `ALIBABA_CLOUD_ENDPOINT=http://127.0.0.1:<port>` and ask it for a list first
//! (`POST /__emulator/list?action=DescribeDBInstances&items=250`); `emulator/run-examples.sh`
//! does both.
//!
//! ```sh
//! cargo run -p alibabacloud-emulator --example rds_list_every_instance
//! ```

use std::process::ExitCode;

use alibabacloud_rds20140815::Client;
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
    let region = config.region().unwrap_or("cn-hangzhou").to_owned();
    let rds = Client::new(&config);

    let mut instances = rds
        .describe_db_instances()
        .region_id(region)
        .into_paginator()
        .page_size(100)
        .items();
    let mut count = 0;
    let mut engines = std::collections::BTreeMap::<String, usize>::new();
    while let Some(instance) = instances.next().await {
        match instance {
            Ok(instance) => {
                count += 1;
                *engines
                    .entry(instance.engine.unwrap_or_else(|| "-".to_owned()))
                    .or_default() += 1;
            }
            // The error ends the stream; it is the operation's typed error.
            Err(SdkError::Service(error)) => {
                eprintln!(
                    "DescribeDBInstances failed after {count} instance(s): {} (HTTP {}). RequestId {}",
                    error.code(),
                    error.status(),
                    error.request_id().unwrap_or("-"),
                );
                return ExitCode::FAILURE;
            }
            Err(other) => {
                eprintln!("DescribeDBInstances failed after {count} instance(s): {other}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{count} instance(s) by engine: {engines:?}");
    ExitCode::SUCCESS
}
