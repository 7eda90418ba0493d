//! Complex parameters of the catalog-imported seed operations on the wire, one operation per
//! flattening style (reference §2.4), through the generated clients and the runtime against
//! the emulator over loopback HTTP. The emulator verifies each V3 signature with its own
//! verifier and checks every key against the spec (a mis-flattened key is an
//! `InvalidParameter` there); the test then reads the exact keys, values and places from the
//! emulator's call log, and the response decodes into the generated response type.
//!
//! `flat` does not occur in the three seed products (the catalog uses it in 64 others); the
//! runtime's own loopback tests cover its rendering.

mod support;

use alibabacloud_adb20211201 as adb;
use alibabacloud_dataworks_public20200518 as dataworks;
use alibabacloud_emulator::{Call, Emulator, Place, RunningEmulator};
use alibabacloud_rds20140815 as rds;
use alibabacloud_runtime::Config;

fn config(emulator: &RunningEmulator) -> Config {
    support::client_config(emulator, alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET)
        .build()
        .expect("config")
}

/// The one call the emulator logged for `action`, after checking that its signature
/// verified and every parameter matched the spec.
fn only_call(emulator: &RunningEmulator, action: &str) -> Call {
    let calls: Vec<Call> = emulator
        .calls()
        .into_iter()
        .filter(|call| call.action == action)
        .collect();
    assert_eq!(calls.len(), 1, "{action}: {calls:?}");
    let call = calls.into_iter().next().unwrap_or_else(|| unreachable!());
    assert_eq!(
        (call.status, &call.code),
        (200, &None),
        "{action}: {call:?}"
    );
    assert!(
        call.unknown.is_empty(),
        "{action}: unknown keys {:?}",
        call.unknown
    );
    call
}

/// `(key, value)` of the parameters that arrived in `place`, in arrival order, without the
/// ones `skip` names.
fn sent(call: &Call, place: Place, skip: &[&str]) -> Vec<(String, String)> {
    call.params
        .iter()
        .filter(|p| p.place == place && !skip.contains(&p.name.as_str()))
        .map(|p| (p.name.clone(), p.value.clone()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    pairs.sort();
    pairs
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

#[tokio::test]
async fn repeat_list_is_one_based_with_dotted_object_fields() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = rds::Client::new(&config(&emulator));
    let tag =
        |key: &str, value: Option<&str>| rds::operations::tag_resources::TagResourcesRequestTag {
            key: Some(key.to_owned()),
            value: value.map(str::to_owned),
        };
    let response = client
        .tag_resources()
        .region_id("cn-hangzhou")
        .resource_type("INSTANCE")
        .resource_id(vec!["rm-1".to_owned(), "rm-2".to_owned()])
        .tag(vec![tag("env", Some("prod")), tag("team", None)])
        .send()
        .await
        .expect("TagResources succeeds");
    assert!(response.request_id.is_some());

    let call = only_call(&emulator, "TagResources");
    assert_eq!(
        sorted(sent(&call, Place::Query, &[])),
        pairs(&[
            ("RegionId", "cn-hangzhou"),
            ("ResourceType", "INSTANCE"),
            ("ResourceId.1", "rm-1"),
            ("ResourceId.2", "rm-2"),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.Key", "team"),
        ])
    );
    assert!(sent(&call, Place::Form, &[]).is_empty());
    emulator.shutdown().await;
}

#[tokio::test]
async fn repeat_list_in_the_form_body() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = dataworks::Client::new(&config(&emulator));
    let setting = |cycle: i32, time: &str| {
        dataworks::operations::create_baseline::CreateBaselineRequestOvertimeSettings {
            cycle: Some(cycle),
            time: Some(time.to_owned()),
        }
    };
    client
        .create_baseline()
        .baseline_name("nightly")
        .project_id(10000)
        .owner("1234")
        .priority(1)
        .baseline_type("DAILY")
        .overtime_settings(vec![setting(1, "00:30"), setting(2, "01:00")])
        .send()
        .await
        .expect("CreateBaseline succeeds");

    let call = only_call(&emulator, "CreateBaseline");
    assert_eq!(
        sorted(sent(&call, Place::Form, &[])),
        pairs(&[
            ("BaselineName", "nightly"),
            ("BaselineType", "DAILY"),
            ("OvertimeSettings.1.Cycle", "1"),
            ("OvertimeSettings.1.Time", "00:30"),
            ("OvertimeSettings.2.Cycle", "2"),
            ("OvertimeSettings.2.Time", "01:00"),
            ("Owner", "1234"),
            ("Priority", "1"),
            ("ProjectId", "10000"),
        ])
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn json_style_sends_one_compact_serialized_parameter() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = rds::Client::new(&config(&emulator));
    use rds::operations::describe_price::{
        DescribePriceRequestDbNode, DescribePriceRequestServerlessConfig,
    };
    let response = client
        .describe_price()
        .engine("MySQL")
        .engine_version("8.0")
        .db_instance_class("mysql.n2.medium.2c")
        .db_instance_storage(20)
        .quantity(1)
        .db_node(vec![DescribePriceRequestDbNode {
            class_code: Some("mysql.n2.xlarge.xc".to_owned()),
            zone_id: Some("cn-hangzhou-h".to_owned()),
        }])
        .serverless_config(DescribePriceRequestServerlessConfig {
            max_capacity: Some(8.0),
            min_capacity: Some(0.5),
        })
        .send()
        .await
        .expect("DescribePrice succeeds");
    assert!(response.request_id.is_some());

    let call = only_call(&emulator, "DescribePrice");
    assert_eq!(
        call.param("DBNode"),
        Some(r#"[{"ClassCode":"mysql.n2.xlarge.xc","ZoneId":"cn-hangzhou-h"}]"#)
    );
    assert_eq!(
        call.param("ServerlessConfig"),
        Some(r#"{"MaxCapacity":8.0,"MinCapacity":0.5}"#)
    );
    // One key each, in the query: no dotted keys.
    let json_keys: Vec<&str> = call
        .params
        .iter()
        .filter(|p| p.name.starts_with("DBNode") || p.name.starts_with("ServerlessConfig"))
        .map(|p| {
            assert_eq!(p.place, Place::Query, "{}", p.name);
            p.name.as_str()
        })
        .collect();
    assert_eq!(json_keys, ["DBNode", "ServerlessConfig"]);
    emulator.shutdown().await;
}

#[tokio::test]
async fn json_style_objects_and_lists_in_the_adb_query() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = adb::Client::new(&config(&emulator));
    use adb::operations::create_db_resource_group::CreateDbResourceGroupRequestRules;
    client
        .create_db_resource_group()
        .db_cluster_id("amv-1")
        .group_name("etl")
        .group_type("Job")
        .rules(vec![CreateDbResourceGroupRequestRules {
            group_name: Some("etl".to_owned()),
            query_time: Some("60".to_owned()),
            target_group_name: Some("interactive".to_owned()),
        }])
        .send()
        .await
        .expect("CreateDBResourceGroup succeeds");

    let call = only_call(&emulator, "CreateDBResourceGroup");
    assert_eq!(
        call.param("Rules"),
        Some(r#"[{"GroupName":"etl","QueryTime":"60","TargetGroupName":"interactive"}]"#)
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn simple_style_joins_with_commas() {
    let emulator = Emulator::builder().start().await.expect("emulator");
    let client = rds::Client::new(&config(&emulator));
    client
        .attach_rc_instances()
        .region_id("cn-hangzhou")
        .instance_ids(vec![
            "rc-1".to_owned(),
            "rc-2".to_owned(),
            "rc-3".to_owned(),
        ])
        .password("not-in-the-log")
        .send()
        .await
        .expect("AttachRCInstances succeeds");

    let call = only_call(&emulator, "AttachRCInstances");
    assert_eq!(
        sorted(sent(&call, Place::Query, &["Password"])),
        pairs(&[
            ("InstanceIds", "rc-1,rc-2,rc-3"),
            ("RegionId", "cn-hangzhou")
        ])
    );
    // The imported spec marks the password sensitive, so the emulator's log redacts it.
    assert_eq!(call.param("Password"), Some("<redacted>"));
    emulator.shutdown().await;
}
