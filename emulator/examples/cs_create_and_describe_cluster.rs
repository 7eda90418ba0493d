//! Container Service for Kubernetes (ACK, `cs` 2015-12-15, an ROA product) with the generated
//! client: create a cluster with a nested JSON body, then describe it by its ID (a path
//! value). The builder shape is the same as for every RPC operation: the body's members are
//! ordinary setters, nested objects are plain structs.
//!
//! Against Alibaba Cloud, set `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and `ALIBABA_CLOUD_REGION_ID` (or use any source of the official credentials chain).
//! Against the local emulator, also set `ALIBABA_CLOUD_ENDPOINT=http://127.0.0.1:<port>`;
//! `emulator/run-examples.sh` does exactly that.
//!
//! ```sh
//! cargo run -p alibabacloud-emulator --example cs_create_and_describe_cluster
//! ```

use std::process::ExitCode;

use alibabacloud_cs20151215::Client;
use alibabacloud_cs20151215::types::{Nodepool, NodepoolNodepoolInfo, NodepoolScalingGroup, Tag};
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
    let ack = Client::new(&config);

    // POST /clusters with a JSON body: every member a setter, nested objects plain structs.
    let created = ack
        .create_cluster()
        .name("k8s-demo")
        .region_id("cn-hangzhou")
        .cluster_type("ManagedKubernetes")
        .cluster_spec("ack.pro.small")
        .kubernetes_version("1.32.1-aliyun.1")
        .vpcid("vpc-2zeg8nf1ukc0fcmvq****")
        .vswitch_ids(vec!["vsw-2ze97jwri7cei0mpw****".to_owned()])
        .tags(vec![Tag {
            key: Some("env".to_owned()),
            value: Some("demo".to_owned()),
        }])
        .nodepools(vec![Nodepool {
            nodepool_info: Some(NodepoolNodepoolInfo {
                name: Some("default-nodepool".to_owned()),
                ..Default::default()
            }),
            scaling_group: Some(NodepoolScalingGroup {
                vswitch_ids: Some(vec!["vsw-2ze97jwri7cei0mpw****".to_owned()]),
                instance_types: Some(vec!["ecs.g7.xlarge".to_owned()]),
                instance_charge_type: Some("PostPaid".to_owned()),
                desired_size: Some(2),
                ..Default::default()
            }),
            ..Default::default()
        }])
        .send()
        .await;
    let cluster_id = match created {
        Ok(out) => {
            println!(
                "cluster {} creating (task {}); request id {}",
                out.cluster_id.as_deref().unwrap_or("-"),
                out.task_id.as_deref().unwrap_or("-"),
                out.request_id.as_deref().unwrap_or("-"),
            );
            out.cluster_id.unwrap_or_default()
        }
        Err(error) => return report("CreateCluster", &error),
    };

    // GET /clusters/{ClusterId}: the ID is percent-encoded into the path.
    match ack
        .describe_cluster_detail()
        .cluster_id(cluster_id)
        .send()
        .await
    {
        Ok(out) => {
            println!(
                "cluster {} is {} ({} {})",
                out.name.as_deref().unwrap_or("-"),
                out.state.as_deref().unwrap_or("-"),
                out.cluster_type.as_deref().unwrap_or("-"),
                out.current_version.as_deref().unwrap_or("-"),
            );
            ExitCode::SUCCESS
        }
        Err(error) => report("DescribeClusterDetail", &error),
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
