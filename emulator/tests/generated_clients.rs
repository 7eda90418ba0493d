//! End to end: the generated clients of the five seed operations against the emulator over
//! real HTTP. The client signs with the runtime's signer; the emulator verifies with its own
//! verifier and checks every parameter against the same spec the client was generated from.

mod support;

use support::seed_calls::{
    adb_create_aps_copy_workload, adb_create_aps_job, adb_start_aps_job, dataworks_call, rds_call,
};

use std::time::Duration;

use alibabacloud_adb20211201 as adb;
use alibabacloud_dataworks_public20200518 as dataworks;
use alibabacloud_emulator::{Emulator, RunningEmulator, Throttle};
use alibabacloud_rds20140815 as rds;
use alibabacloud_runtime::{
    self as rt, BuildError, Config, Credentials, ErrorKind, RetryConfig, SdkError,
};

/// A client configuration aimed at the emulator; retries wait 1 ms so tests stay fast.
fn config(emulator: &RunningEmulator, secret: &str) -> Config {
    support::client_config(emulator, secret)
        .retry(RetryConfig::new().with_base_delay(Duration::from_millis(1)))
        .build()
        .expect("config")
}

fn good_config(emulator: &RunningEmulator) -> Config {
    config(emulator, alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET)
}

fn sample(product: &str, version: &str, action: &str) -> serde_json::Value {
    let path = alibabacloud_emulator::default_specs_dir()
        .expect("run inside the workspace")
        .join(product)
        .join(version)
        .join(format!("{action}.json"));
    let spec: alibabacloud_codegen::spec::OperationSpec =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    serde_json::from_str(&spec.samples[0].body).unwrap()
}

#[tokio::test]
async fn each_seed_operation_decodes_its_sample() {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = good_config(&emulator);
    let adb = adb::Client::new(&config);

    let out = adb_create_aps_job(&adb).send().await.unwrap();
    let expected = sample("adb", "2021-12-01", "CreateAPSJob");
    assert_eq!(out.aps_job_id.as_deref(), expected["ApsJobId"].as_str());
    assert_eq!(out.http_status_code, Some(200));
    assert_eq!(out.success, Some(true));
    assert_eq!(out.code.as_deref(), Some("InvalidInput"));
    assert_ne!(
        out.request_id.as_deref(),
        expected["RequestId"].as_str(),
        "fresh RequestId"
    );
    let call = emulator.calls().pop().unwrap();
    assert_eq!(call.param("ApsJobName"), Some("orders sync*~"));
    assert_eq!(call.param("SourceEndpointPassword"), Some("<redacted>"));
    assert!(call.unknown.is_empty(), "{:?}", call.unknown);

    let out = adb_create_aps_copy_workload(&adb).send().await.unwrap();
    assert_eq!(out.message.as_deref(), Some("Success"));
    assert_eq!(
        out.data,
        Some(serde_json::json!({"test": "test", "test2": 1}))
    );
    assert_eq!(
        emulator.calls().pop().unwrap().param("DatasourceId"),
        Some("7")
    );

    let out = adb_start_aps_job(&adb).send().await.unwrap();
    // The page documents string fields that arrive as numbers: decoded leniently.
    assert_eq!(out.err_code.as_deref(), Some("0"));
    assert_eq!(out.code.as_deref(), Some("200"));
    assert_eq!(out.aps_job_id.as_deref(), Some("aps-******"));

    let out = rds_call(&rds::Client::new(&config)).send().await.unwrap();
    assert_eq!(out.task_id, Some(564532302));
    assert_eq!(out.task_name.as_deref(), Some("test01"));
    let call = emulator.calls().pop().unwrap();
    assert_eq!(call.param("TaskName"), Some("a b+c/d~e*f中"));
    assert_eq!(call.param("DryRun"), Some("false"));

    let out = dataworks_call(&dataworks::Client::new(&config))
        .send()
        .await
        .unwrap();
    let data = out.data.unwrap();
    assert_eq!(
        (data.status.as_deref(), data.file_id),
        (Some("success"), Some(1000001))
    );
    assert_eq!(out.success, Some(true));
    let call = emulator.calls().pop().unwrap();
    // The idempotency token was filled in by the runtime and accepted as a query parameter.
    assert!(call.param("ClientToken").is_some_and(|t| !t.is_empty()));
    assert!(
        call.params
            .iter()
            .any(|p| p.name == "TaskContent" && p.place == alibabacloud_emulator::Place::Form)
    );
    assert_eq!(
        emulator.calls().iter().filter(|c| c.status == 200).count(),
        5
    );
}

/// Every documented error row comes back as its own enum variant, never `Unhandled`.
async fn check_documented_errors<E: ErrorKind + PartialEq>(
    emulator: &RunningEmulator,
    product: &str,
    version: &str,
    action: &str,
    mut call: impl AsyncFnMut() -> Result<(), SdkError<E>>,
) -> usize {
    let path = alibabacloud_emulator::default_specs_dir()
        .expect("run inside the workspace")
        .join(product)
        .join(version)
        .join(format!("{action}.json"));
    let spec: alibabacloud_codegen::spec::OperationSpec =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = 0;
    for row in &spec.errors {
        // Rows repeated on the page are served as the first of them.
        let first = spec.errors.iter().find(|r| r.code == row.code).unwrap();
        emulator.fail_next(action, &row.code, 1).unwrap();
        let err = call().await.expect_err(&row.code);
        let SdkError::Service(service) = &err else {
            panic!("{}: expected a service error, got {err:?}", row.code)
        };
        assert_eq!(service.code(), row.code);
        assert_eq!(
            service.kind().code(),
            Some(row.code.as_str()),
            "{}: decoded to {:?}",
            row.code,
            service.kind()
        );
        assert_eq!(*service.kind(), E::from_code(&row.code));
        assert!(
            !format!("{:?}", service.kind()).starts_with("Unhandled"),
            "{}",
            row.code
        );
        assert_eq!(service.status(), first.status, "{}", row.code);
        assert_eq!(service.message(), first.message.as_deref(), "{}", row.code);
        assert!(
            service.request_id().is_some_and(|id| id.len() == 36),
            "{}",
            row.code
        );
        assert_eq!(err.request_id(), service.request_id());
        checked += 1;
    }
    checked
}

#[tokio::test]
async fn each_documented_error_comes_back_as_its_typed_variant() {
    let emulator = Emulator::builder().start().await.unwrap();
    // 5xx rows would be retried; one attempt keeps the mapping under test alone.
    let config = Config::builder()
        .credentials(Credentials::new(
            alibabacloud_emulator::DEFAULT_ACCESS_KEY_ID,
            alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET,
        ))
        .region("cn-hangzhou")
        .endpoint_url(emulator.base_url())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let rds = rds::Client::new(&config);
    let n = check_documented_errors(
        &emulator,
        "rds",
        "2014-08-15",
        "CreateReplicationLink",
        async || rds_call(&rds).send().await.map(drop),
    )
    .await;
    assert_eq!(n, 67);
    let dataworks = dataworks::Client::new(&config);
    let n = check_documented_errors(
        &emulator,
        "dataworks-public",
        "2020-05-18",
        "CreateDISyncTask",
        async || dataworks_call(&dataworks).send().await.map(drop),
    )
    .await;
    assert_eq!(n, 4);

    // The two codes that differ only in letter case stay apart.
    emulator
        .fail_next("CreateReplicationLink", "pay.noCreditCard", 1)
        .unwrap();
    emulator
        .fail_next("CreateReplicationLink", "Pay.NoCreditCard", 1)
        .unwrap();
    let lower = rds_call(&rds).send().await.unwrap_err();
    let upper = rds_call(&rds).send().await.unwrap_err();
    let (lower, upper) = (
        lower.as_service_error().unwrap().kind(),
        upper.as_service_error().unwrap().kind(),
    );
    assert_ne!(lower, upper);
    assert_eq!(
        (lower.code(), upper.code()),
        (Some("pay.noCreditCard"), Some("Pay.NoCreditCard"))
    );

    // A typed match, as a user writes it.
    emulator
        .fail_next("CreateReplicationLink", "IncorrectDBInstanceState", 1)
        .unwrap();
    match rds_call(&rds).send().await {
        Err(SdkError::Service(e))
            if matches!(
                e.kind(),
                rds::CreateReplicationLinkError::IncorrectDbInstanceState
            ) =>
        {
            assert_eq!(e.status(), 400);
        }
        other => panic!("expected IncorrectDbInstanceState, got {other:?}"),
    }
}

#[tokio::test]
async fn throttling_is_retried_with_the_same_client_token() {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = good_config(&emulator);
    let dataworks = dataworks::Client::new(&config);

    emulator.throttle_next(2);
    let out = dataworks_call(&dataworks).send().await.unwrap();
    assert_eq!(out.success, Some(true));
    let calls = emulator.calls();
    let codes: Vec<Option<&str>> = calls.iter().map(|c| c.code.as_deref()).collect();
    assert_eq!(
        codes,
        [Some("Throttling.User"), Some("Throttling.User"), None]
    );
    let tokens: Vec<Option<&str>> = calls.iter().map(|c| c.param("ClientToken")).collect();
    assert!(tokens[0].is_some());
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "the retried create reuses its token: {tokens:?}"
    );

    // With x-acs-retry-after, too.
    emulator.reset();
    emulator.throttle(
        Throttle::next(1)
            .action("StartApsJob")
            .retry_after(Duration::from_millis(5)),
    );
    let adb = adb::Client::new(&config);
    adb.start_aps_job()
        .region_id("cn-hangzhou")
        .aps_job_id("aps-1")
        .send()
        .await
        .unwrap();
    assert_eq!(emulator.calls().len(), 2);

    // More throttling than attempts: the error surfaces, typed as an undocumented code.
    emulator.throttle_next(3);
    let err = adb
        .start_aps_job()
        .region_id("cn-hangzhou")
        .aps_job_id("aps-1")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("service error");
    assert_eq!((service.status(), service.code()), (400, "Throttling.User"));
    assert_eq!(service.kind(), &adb::StartApsJobError::Unhandled);
    assert_eq!(service.kind().code(), None);

    // Per-call options: a copy of the client with retries off gives up at once.
    emulator.reset();
    emulator.throttle_next(1);
    let once = adb
        .with_options(&rt::CallOptions::new().retry(RetryConfig::disabled()))
        .unwrap();
    let err = adb_start_aps_job(&once).send().await.unwrap_err();
    assert_eq!(err.as_service_error().unwrap().code(), "Throttling.User");
    assert_eq!(emulator.calls().len(), 1);
}

#[tokio::test]
async fn a_bad_secret_is_a_signature_does_not_match_service_error() {
    let emulator = Emulator::builder().start().await.unwrap();
    let rds = rds::Client::new(&config(&emulator, "wrong-secret"));
    let err = rds_call(&rds).send().await.unwrap_err();
    let SdkError::Service(service) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (service.status(), service.code()),
        (400, "SignatureDoesNotMatch")
    );
    assert!(matches!(
        service.kind(),
        rds::CreateReplicationLinkError::Unhandled
    ));
    assert!(service.request_id().is_some());
    assert_eq!(
        service.host_id(),
        Some(emulator.addr().to_string().as_str())
    );
    assert!(
        service
            .recommend()
            .is_some_and(|r| r.contains("q=SignatureDoesNotMatch"))
    );
    assert!(!format!("{err:?} {err}").contains("wrong-secret"));
    // Not retried: one call only.
    assert_eq!(emulator.calls().len(), 1);
}

#[tokio::test]
async fn missing_required_parameters_are_refused_by_client_and_emulator() {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = good_config(&emulator);
    // The client refuses before any I/O, naming every missing field.
    let err = rds::Client::new(&config)
        .create_replication_link()
        .send()
        .await
        .unwrap_err();
    match err {
        SdkError::Build(BuildError::MissingRequired { action, fields }) => {
            assert_eq!(action, "CreateReplicationLink");
            assert_eq!(fields, ["DBInstanceId", "DryRun"]);
        }
        other => panic!("{other:?}"),
    }
    let err = adb::Client::new(&config)
        .create_aps_job()
        .region_id("cn-hangzhou")
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("SourceEndpointInstanceID"),
        "{err}"
    );
    assert!(emulator.calls().is_empty(), "nothing was sent");

    // A raw request that omits one anyway is rejected by the emulator.
    let raw = support::Raw::new("CreateAPSJob", "2021-12-01")
        .form("RegionId", "cn-shanghai")
        .form("SourceEndpointInstanceID", "pc-xxxxx")
        .form("DestinationEndpointInstanceID", "amv-xxxxx")
        .form("DbList", "{}");
    let answer = support::send(&emulator.base_url(), &raw).await;
    assert_eq!(answer.error(), (400, "MissingParameter"));
    assert!(
        answer.message().contains("\"ApsJobName\""),
        "{}",
        answer.message()
    );

    // And one that puts a parameter in the wrong place, sent with plain reqwest.
    let raw = support::Raw::new("CreateDISyncTask", "2020-05-18")
        .query("ProjectId", "10000")
        .query("TaskType", "DI_OFFLINE")
        .query("TaskParam", "{}")
        .query("TaskName", "t")
        .query("TaskContent", "{}");
    let answer = support::send(&emulator.base_url(), &raw).await;
    assert_eq!(answer.error(), (400, "InvalidParameter"));
    assert!(
        answer
            .message()
            .contains("\"TaskContent\" must be sent in the form body"),
        "{}",
        answer.message()
    );
}

#[tokio::test]
async fn a_config_from_the_environment_reaches_the_emulator() {
    // What the examples do: credentials, region and endpoint from the official variables.
    let emulator = Emulator::builder().start().await.unwrap();
    let env = rt::Environment::empty()
        .with_var(
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            alibabacloud_emulator::DEFAULT_ACCESS_KEY_ID,
        )
        .with_var(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET,
        )
        .with_var("ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")
        .with_var("ALIBABA_CLOUD_ENDPOINT", emulator.base_url());
    let config = Config::from_environment(&env).unwrap();
    let out = rds_call(&rds::Client::new(&config)).send().await.unwrap();
    assert_eq!(out.task_id, Some(564532302));
}

/// Applications run calls on their own tasks: `send()` must give a `Send + 'static` future
/// (it owns its client and input), or `tokio::spawn` would not compile.
#[tokio::test]
async fn a_call_can_run_on_a_spawned_task() {
    let emulator = Emulator::builder().start().await.unwrap();
    let adb = adb::Client::new(&good_config(&emulator));
    let task = tokio::spawn(adb_start_aps_job(&adb).send());
    let out = task.await.expect("the task ran").expect("the call");
    assert_eq!(out.success, Some(true));
    assert_eq!(emulator.calls().len(), 1);
}

/// `send()` returns a named future (`rt::Sending`), so a call can be stored in a struct field
/// before it is awaited; a builder not made by a client (`Default`) fails when awaited,
/// with nothing sent, and printing the pending call shows the action, not the request.
#[tokio::test]
async fn a_pending_call_is_a_named_future_that_sends_nothing_until_awaited() {
    use rds::operations::create_replication_link::{
        CreateReplicationLinkBuilder, CreateReplicationLinkRequest,
    };
    let emulator = Emulator::builder().start().await.unwrap();
    let rds = rds::Client::new(&good_config(&emulator));

    let pending: rt::Sending<CreateReplicationLinkRequest> = rds
        .create_replication_link()
        .db_instance_id("rm-uf6wjk5xxxxxxx")
        .dry_run(true)
        .replicator_password("hunter2-secret")
        .send();
    let printed = format!("{pending:?}");
    assert!(printed.contains("CreateReplicationLink"), "{printed}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(
        emulator.calls().is_empty(),
        "nothing is sent before the await"
    );
    pending.await.expect("the call");
    assert_eq!(emulator.calls().len(), 1);

    let err = CreateReplicationLinkBuilder::default()
        .db_instance_id("rm-uf6wjk5xxxxxxx")
        .dry_run(true)
        .send()
        .await
        .unwrap_err();
    match err {
        SdkError::Build(BuildError::NoClient { action }) => {
            assert_eq!(action, "CreateReplicationLink");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        emulator.calls().len(),
        1,
        "the builder without a client sent nothing"
    );
}
