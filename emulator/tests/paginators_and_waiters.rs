//! End to end: the generated paginators and waiters of the committed crates against the
//! emulator's paged lists and scripted jobs, over real HTTP.
//!
//! - page rule: rds `DescribeDBInstances` (the page rule by review), with a capped page
//!   size, an error on a later page, and a `ClientToken` that must not be replayed;
//! - string page number: rds `DescribeCrossBackupMetaList` (`PageIndex` and `PageSize` as text);
//! - token rule: fc `ListFunctions` (ROA, `nextToken`, `limit`), the last token empty and
//!   absent; emr `ListClusters` (`NextToken`, `MaxResults`, `TotalCount`);
//! - waiter: emr `CreateCluster`, polled through `GetOperation` until `COMPLETED` or
//!   `FAILED`, and out of time.

mod support;

use std::time::Duration;

use alibabacloud_emr20210320 as emr;
use alibabacloud_emulator::{Call, Emulator, Job, LastToken, List, RunningEmulator};
use alibabacloud_fc20230330 as fc;
use alibabacloud_rds20140815 as rds;
use alibabacloud_runtime::waiter::WaitError;
use alibabacloud_runtime::{Config, SdkError};

fn config(emulator: &RunningEmulator) -> Config {
    support::client_config(emulator, alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET)
        .build()
        .expect("config")
}

fn calls_of(emulator: &RunningEmulator, action: &str) -> Vec<Call> {
    emulator
        .calls()
        .into_iter()
        .filter(|c| c.action == action)
        .collect()
}

fn params(calls: &[Call], name: &str) -> Vec<Option<String>> {
    calls
        .iter()
        .map(|c| c.param(name).map(str::to_owned))
        .collect()
}

/// Every item is there once: items are told apart by their Debug text.
fn assert_distinct<T: std::fmt::Debug>(items: &[T]) {
    let mut seen: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), items.len(), "every item once");
}

#[tokio::test]
async fn rds_describe_db_instances_lists_every_instance_by_page_number() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(List::new("DescribeDBInstances", 25).version("2014-08-15"))
        .unwrap();
    let rds = rds::Client::new(&config(&emulator));
    let paginator = rds
        .describe_db_instances()
        .region_id("cn-hangzhou")
        .into_paginator()
        .page_size(10);
    let pages = paginator.try_collect().await.unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| {
            p.items
                .as_ref()
                .and_then(|i| i.db_instance.as_ref())
                .map_or(0, Vec::len)
        })
        .collect();
    assert_eq!(
        sizes,
        [10, 10, 5],
        "the total ends the listing: no fourth request"
    );
    assert!(pages.iter().all(|p| p.total_record_count == Some(25)));
    let calls = calls_of(&emulator, "DescribeDBInstances");
    assert_eq!(
        params(&calls, "PageNumber"),
        [Some("1".into()), Some("2".into()), Some("3".into())]
    );
    assert!(
        params(&calls, "PageSize")
            .iter()
            .all(|s| s.as_deref() == Some("10"))
    );

    let items = rds
        .describe_db_instances()
        .region_id("cn-hangzhou")
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 25);
    assert_distinct(&items);
}

#[tokio::test]
async fn a_capped_page_size_never_ends_the_listing_early() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(
            List::new("DescribeDBInstances", 25)
                .version("2014-08-15")
                .max_page_size(4),
        )
        .unwrap();
    let rds = rds::Client::new(&config(&emulator));
    let items = rds
        .describe_db_instances()
        .region_id("cn-hangzhou")
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 25, "short pages of 4 did not end it");
    assert_distinct(&items);
    assert_eq!(calls_of(&emulator, "DescribeDBInstances").len(), 7);
}

#[tokio::test]
async fn an_error_on_a_later_page_is_yielded_typed_and_ends_the_stream() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(
            List::new("DescribeDBInstances", 25)
                .version("2014-08-15")
                .fail_on_page(2, "InvalidParam"),
        )
        .unwrap();
    let rds = rds::Client::new(&config(&emulator));
    let mut pages = rds
        .describe_db_instances()
        .region_id("cn-hangzhou")
        .into_paginator()
        .page_size(10);
    assert!(pages.next().await.unwrap().is_ok());
    let error = pages.next().await.unwrap().unwrap_err();
    let service = error.as_service_error().expect("a service error");
    assert_eq!(service.code(), "InvalidParam");
    assert!(
        service.request_id().is_some(),
        "the error carries its RequestId"
    );
    let _: &SdkError<rds::DescribeDbInstancesError> = &error;
    assert!(pages.next().await.is_none(), "an error ends the stream");
    assert_eq!(calls_of(&emulator, "DescribeDBInstances").len(), 2);
}

#[tokio::test]
async fn a_client_token_goes_with_the_first_page_only() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(List::new("DescribeDBInstances", 12).version("2014-08-15"))
        .unwrap();
    let rds = rds::Client::new(&config(&emulator));
    let items = rds
        .describe_db_instances()
        .region_id("cn-hangzhou")
        .client_token("mine-0001")
        .into_paginator()
        .page_size(5)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 12);
    let tokens = params(&calls_of(&emulator, "DescribeDBInstances"), "ClientToken");
    assert_eq!(tokens.len(), 3);
    assert_eq!(tokens[0].as_deref(), Some("mine-0001"));
    for later in &tokens[1..] {
        let later = later.as_deref().expect("a fresh token is generated");
        assert_ne!(later, "mine-0001");
    }
    assert_ne!(tokens[1], tokens[2], "each page its own token");
}

#[tokio::test]
async fn a_missing_required_parameter_is_the_streams_one_error() {
    let emulator = Emulator::builder().start().await.unwrap();
    let rds = rds::Client::new(&config(&emulator));
    let mut pages = rds.describe_db_instances().into_paginator();
    assert!(matches!(
        pages.next().await,
        Some(Err(SdkError::Build(
            alibabacloud_runtime::BuildError::MissingRequired { .. }
        )))
    ));
    assert!(pages.next().await.is_none());
    assert!(emulator.calls().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_string_page_number_is_sent_and_counted_as_text() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(List::new("DescribeCrossBackupMetaList", 7).version("2014-08-15"))
        .unwrap();
    let rds = rds::Client::new(&config(&emulator));
    let items = rds
        .describe_cross_backup_meta_list()
        .backup_set_id("1234")
        .into_paginator()
        .page_size(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 7);
    assert_distinct(&items);
    let calls = calls_of(&emulator, "DescribeCrossBackupMetaList");
    assert_eq!(
        params(&calls, "PageIndex"),
        [Some("1".into()), Some("2".into()), Some("3".into())]
    );
    assert!(
        params(&calls, "PageSize")
            .iter()
            .all(|s| s.as_deref() == Some("3"))
    );
}

async fn list_functions(last: LastToken) -> (usize, Vec<Option<String>>) {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(
            List::new("ListFunctions", 7)
                .version("2023-03-30")
                .last_token(last),
        )
        .unwrap();
    let fc = fc::Client::new(&config(&emulator));
    let items = fc
        .list_functions()
        .into_paginator()
        .page_size(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_distinct(&items);
    let calls = calls_of(&emulator, "ListFunctions");
    assert!(
        params(&calls, "limit")
            .iter()
            .all(|l| l.as_deref() == Some("3"))
    );
    (items.len(), params(&calls, "nextToken"))
}

#[tokio::test]
async fn fc_list_functions_follows_the_token_and_stops_on_an_empty_one() {
    let (items, tokens) = list_functions(LastToken::Empty).await;
    assert_eq!(items, 7);
    assert_eq!(tokens.len(), 3, "an empty last token ends the listing");
    assert_eq!(tokens[0], None, "the first page is asked without a token");
    assert!(tokens[1..].iter().all(Option::is_some));
}

#[tokio::test]
async fn fc_list_functions_stops_on_an_absent_token() {
    let (items, tokens) = list_functions(LastToken::Absent).await;
    assert_eq!(items, 7);
    assert_eq!(tokens.len(), 3);
}

#[tokio::test]
async fn emr_list_clusters_pages_by_token_with_max_results() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .serve_list(List::new("ListClusters", 9).version("2021-03-20"))
        .unwrap();
    let emr = emr::Client::new(&config(&emulator));
    let items = emr
        .list_clusters()
        .region_id("cn-hangzhou")
        .into_paginator()
        .page_size(4)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 9);
    assert_distinct(&items);
    let calls = calls_of(&emulator, "ListClusters");
    assert_eq!(calls.len(), 3);
    assert!(
        params(&calls, "MaxResults")
            .iter()
            .all(|m| m.as_deref() == Some("4"))
    );
}

fn get_operation(emr: &emr::Client) -> emr::GetOperationBuilder {
    emr.get_operation()
        .region_id("cn-hangzhou")
        .cluster_id("c-b933c5aac7f7")
        .operation_id("op-13c37a77c505")
}

#[tokio::test]
async fn emr_create_cluster_waiter_polls_until_completed() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .job(Job::new("GetOperation").version("2021-03-20").states([
            "IN_PROGRESS",
            "IN_PROGRESS",
            "COMPLETED",
        ]))
        .unwrap();
    let emr = emr::Client::new(&config(&emulator));
    let waiting = get_operation(&emr).wait_until_create_cluster_done(Duration::from_secs(30));
    assert_eq!(
        waiting.config().interval,
        Duration::from_secs(10),
        "the documented callbackInterval (10000 ms)"
    );
    assert_eq!(waiting.config().max_attempts, Some(180));
    let done = waiting.interval(Duration::from_millis(5)).await.unwrap();
    assert_eq!(done.polls, 3);
    assert_eq!(done.status.as_deref(), Some("COMPLETED"));
    assert!(done.output.is_some());
    assert_eq!(calls_of(&emulator, "GetOperation").len(), 3);
}

#[tokio::test]
async fn emr_create_cluster_waiter_fails_with_the_status_and_request_id() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .job(
            Job::new("GetOperation")
                .version("2021-03-20")
                .states(["IN_PROGRESS", "FAILED"]),
        )
        .unwrap();
    let emr = emr::Client::new(&config(&emulator));
    let error = get_operation(&emr)
        .wait_until_create_cluster_done(Duration::from_secs(30))
        .interval(Duration::from_millis(5))
        .await
        .unwrap_err();
    match &error {
        WaitError::Failed {
            status,
            request_id,
            polls,
            ..
        } => {
            assert_eq!(status.as_deref(), Some("FAILED"));
            assert!(request_id.is_some(), "the last poll's RequestId");
            assert_eq!(*polls, 2);
        }
        other => panic!("expected a failure state, got {other:?}"),
    }
    assert!(error.to_string().contains("FAILED"), "{error}");
}

#[tokio::test]
async fn emr_waiter_gives_up_and_says_how_long_it_waited() {
    let emulator = Emulator::builder().start().await.unwrap();
    emulator
        .job(
            Job::new("GetOperation")
                .version("2021-03-20")
                .states(["IN_PROGRESS"]),
        )
        .unwrap();
    let emr = emr::Client::new(&config(&emulator));
    let error = get_operation(&emr)
        .wait_until_create_cluster_done(Duration::from_millis(300))
        .interval(Duration::from_millis(20))
        .await
        .unwrap_err();
    assert!(matches!(error, WaitError::TimedOut { .. }), "{error:?}");
    assert_eq!(error.last_status(), Some("IN_PROGRESS"));
    assert!(
        error.to_string().contains("gave up waiting after"),
        "{error}"
    );

    let error = get_operation(&emr)
        .wait_until_create_cluster_done(Duration::from_secs(30))
        .interval(Duration::from_millis(1))
        .max_attempts(3)
        .await
        .unwrap_err();
    assert_eq!(error.polls(), 3);
}

#[tokio::test]
async fn a_poll_error_ends_the_wait() {
    let emulator = Emulator::builder().start().await.unwrap();
    let emr = emr::Client::new(&config(&emulator));
    let error = emr
        .get_operation()
        .wait_until_create_cluster_done(Duration::from_secs(5))
        .await
        .unwrap_err();
    match error {
        WaitError::Poll { source, polls, .. } => {
            assert!(matches!(source, SdkError::Build(_)), "{source:?}");
            assert_eq!(polls, 0);
        }
        other => panic!("expected the build error, got {other:?}"),
    }
}
