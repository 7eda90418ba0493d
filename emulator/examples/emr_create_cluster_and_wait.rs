//! An EMR cluster created asynchronously, then waited for with the generated waiter:
//! `CreateCluster` answers at once with the cluster and operation IDs, and
//! `wait_until_create_cluster_done` polls `GetOperation` (every 10 s, at most 180 times, as
//! documented, and never longer than the time given) until the operation is `COMPLETED`, or
//! fails with the last status and RequestId when it is `FAILED`.
//!
//! Against the local emulator (`emulator/run-examples.sh`), `POST
//! /__emulator/job?action=GetOperation&states=IN_PROGRESS,COMPLETED` scripts the states and
//! `EMR_POLL_INTERVAL_MS` shortens the interval.
//!
//! ```sh
//! cargo run -p alibabacloud-emulator --example emr_create_cluster_and_wait
//! ```

use std::process::ExitCode;
use std::time::Duration;

use alibabacloud_emr20210320::Client;
use alibabacloud_emr20210320::types::{Application, NodeAttributes, NodeGroupConfig};
use alibabacloud_runtime::Config;
use alibabacloud_runtime::waiter::WaitError;

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
    let emr = Client::new(&config);

    let created = emr
        .create_cluster()
        .region_id(&region)
        .payment_type("PayAsYouGo")
        .cluster_type("DATALAKE")
        .release_version("EMR-5.16.0")
        .cluster_name("emr-demo")
        .deploy_mode("NORMAL")
        .security_mode("NORMAL")
        .applications(vec![Application {
            application_name: Some("HADOOP-COMMON".into()),
            ..Default::default()
        }])
        .node_attributes(NodeAttributes {
            vpc_id: Some("vpc-bp1cudc25w2bfwl5k****".into()),
            zone_id: Some(format!("{region}-h")),
            security_group_id: Some("sg-bp1ddw7sm2risw****".into()),
            ..Default::default()
        })
        .node_groups(vec![NodeGroupConfig {
            node_group_type: Some("MASTER".into()),
            node_group_name: Some("master".into()),
            node_count: Some(1),
            instance_types: Some(vec!["ecs.g7.xlarge".into()]),
            ..Default::default()
        }])
        .send()
        .await;
    let created = match created {
        Ok(created) => created,
        Err(error) => {
            eprintln!("CreateCluster failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    let cluster = created.cluster_id.unwrap_or_default();
    let operation = created.operation_id.unwrap_or_default();

    let mut waiting = emr
        .get_operation()
        .region_id(&region)
        .cluster_id(&cluster)
        .operation_id(&operation)
        .wait_until_create_cluster_done(Duration::from_secs(30 * 60));
    if let Some(ms) = std::env::var("EMR_POLL_INTERVAL_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        waiting = waiting.interval(Duration::from_millis(ms));
    }
    match waiting.await {
        Ok(done) => {
            println!(
                "cluster {cluster} is ready: {} after {} poll(s)",
                done.status.as_deref().unwrap_or("-"),
                done.polls
            );
            ExitCode::SUCCESS
        }
        Err(WaitError::Failed {
            status, request_id, ..
        }) => {
            eprintln!(
                "cluster {cluster} failed: {} (RequestId {})",
                status.as_deref().unwrap_or("-"),
                request_id.as_deref().unwrap_or("-")
            );
            ExitCode::FAILURE
        }
        Err(other) => {
            eprintln!("waiting for cluster {cluster}: {other}");
            ExitCode::FAILURE
        }
    }
}
