//! Transport mishaps against the generated clients of the five seed operations: a reset
//! connection, an answer slower than the read timeout, and garbage bodies (a proxy's HTML
//! page, truncated JSON, an empty body). Each case asserts what the client reports, how
//! many attempts reached the emulator, and that a retried call was the same request.
//!
//! Only `CreateDISyncTask` sends an idempotency token; the four others are writes without
//! one, so after a mishap that leaves it unknown whether the service applied the request
//! they are not retried, and their error says so (`not_retried`).

mod support;

use std::time::{Duration, Instant};

use alibabacloud_adb20211201 as adb;
use alibabacloud_dataworks_public20200518 as dataworks;
use alibabacloud_emulator::{
    Call, ControlError, Emulator, Mishap, RunningEmulator, TransportFault,
};
use alibabacloud_rds20140815 as rds;
use alibabacloud_runtime::{
    Config, ErrorKind, NotRetried, RetryConfig, SdkError, TimeoutPhase, TransportErrorKind,
};
use support::seed_calls;

/// Attempts the runtime makes by default (the retries below rely on it).
const ATTEMPTS: u32 = 3;

/// A client configuration aimed at the emulator; retries wait about 1 ms so tests stay fast.
fn config(emulator: &RunningEmulator, retry: RetryConfig, read_timeout: Duration) -> Config {
    support::client_config(emulator, alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET)
        .retry(retry.with_base_delay(Duration::from_millis(1)))
        .read_timeout(read_timeout)
        .build()
        .expect("config")
}

/// The attempts of one call all sent the same request: the same parameters, in the same
/// places (an idempotency token included).
fn assert_same_request(calls: &[Call]) {
    for call in &calls[1..] {
        assert_eq!(call.params, calls[0].params, "a retry changed the request");
    }
}

fn mishaps(calls: &[Call]) -> Vec<Option<Mishap>> {
    calls.iter().map(|c| c.mishap).collect()
}

/// What an error of a call that may have been applied says: not retried (a write without
/// a token), or carrying the generated token (a call that sent one).
fn assert_reports_ambiguity<E: std::fmt::Debug>(
    err: &SdkError<E>,
    has_client_token: bool,
    calls: &[Call],
) {
    if has_client_token {
        assert_eq!(err.not_retried(), None, "{err:?}");
        assert_eq!(
            err.idempotency_token(),
            calls[0].param("ClientToken"),
            "the generated token: {err:?}"
        );
    } else {
        assert_eq!(
            err.not_retried(),
            Some(NotRetried::MayHaveBeenApplied),
            "{err:?}"
        );
        assert!(err.to_string().contains("may have been applied"), "{err}");
        assert_eq!(err.idempotency_token(), None);
    }
}

/// Every transport case for one operation. `send` makes one call with a client built from
/// the given configuration.
async fn check_transport_faults<E: ErrorKind + std::fmt::Debug>(
    action: &str,
    has_client_token: bool,
    send: impl AsyncFn(&Config) -> Result<(), SdkError<E>>,
) {
    let emulator = Emulator::builder().start().await.unwrap();
    let retrying = config(&emulator, RetryConfig::new(), Duration::from_secs(10));
    assert_eq!(retrying.retry().max_attempts(), ATTEMPTS);

    // Attempts a call makes when every one fails in a way that leaves it unknown whether
    // the service applied it: all of them with a token, one without.
    let ambiguous_attempts = if has_client_token { ATTEMPTS } else { 1 };

    // (a) One reset, then success: the retry is the same request, same token. Without a
    // token, the reset ends the call: the service had served it.
    emulator
        .transport_fault(TransportFault::next(Mishap::Reset, 1).action(action))
        .unwrap();
    let result = send(&retrying).await;
    let calls = emulator.calls();
    if has_client_token {
        result.unwrap_or_else(|e| panic!("{action}: reset once: {e:?}"));
        assert_eq!(mishaps(&calls), [Some(Mishap::Reset), None], "{action}");
        assert_eq!(calls[1].param("ClientToken"), calls[0].param("ClientToken"));
    } else {
        let err = result.unwrap_err();
        assert_eq!(
            mishaps(&calls),
            [Some(Mishap::Reset)],
            "{action}: not retried"
        );
        assert_reports_ambiguity(&err, has_client_token, &calls);
    }
    assert!(calls.iter().all(|c| c.action == action && c.status == 200));
    assert_same_request(&calls);
    let token = calls[0].param("ClientToken");
    assert_eq!(token.is_some(), has_client_token, "{action}: {token:?}");

    // (b) A reset on every attempt: a connection failure after the last attempt.
    emulator.reset();
    emulator.mishap_next(Mishap::Reset, ATTEMPTS);
    let err = send(&retrying).await.unwrap_err();
    let SdkError::Transport(transport) = &err else {
        panic!("{action}: expected a transport error, got {err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Connection, "{err}");
    assert_eq!(transport.attempts(), ambiguous_attempts);
    assert_eq!(err.request_id(), None);
    assert!(err.to_string().contains(action), "{err}");
    let text = format!("{err} {err:?}");
    assert!(!text.contains(alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET));
    let calls = emulator.calls();
    assert_eq!(
        mishaps(&calls),
        vec![Some(Mishap::Reset); ambiguous_attempts as usize]
    );
    assert_same_request(&calls);
    assert_reports_ambiguity(&err, has_client_token, &calls);

    // (c) An answer slower than the read timeout: a read timeout per attempt, reported
    // after the last one, long before the delay would have ended.
    emulator.reset();
    let read_timeout = Duration::from_millis(300);
    let delay = Mishap::Delay(Duration::from_secs(2));
    let impatient = config(
        &emulator,
        RetryConfig::new().with_max_attempts(2),
        read_timeout,
    );
    emulator.mishap_next(delay, 2);
    let started = Instant::now();
    let err = send(&impatient).await.unwrap_err();
    let elapsed = started.elapsed();
    let SdkError::Timeout(timeout) = &err else {
        panic!("{action}: expected a timeout, got {err:?}")
    };
    let timeout_attempts = ambiguous_attempts.min(2);
    assert_eq!(
        (timeout.phase(), timeout.limit(), timeout.attempts()),
        (TimeoutPhase::Read, read_timeout, timeout_attempts),
        "{err}"
    );
    // Under 2 s: before even one delayed answer would have arrived.
    assert!(
        elapsed >= read_timeout * timeout_attempts && elapsed < Duration::from_secs(2),
        "{action}: took {elapsed:?}"
    );
    let calls = emulator.calls();
    assert_eq!(
        mishaps(&calls),
        vec![Some(delay); timeout_attempts as usize]
    );
    assert_same_request(&calls);
    assert_reports_ambiguity(&err, has_client_token, &calls);
    // A delay shorter than the timeout is only a slow success.
    emulator.reset();
    emulator.mishap_next(Mishap::Delay(Duration::from_millis(50)), 1);
    send(&impatient)
        .await
        .unwrap_or_else(|e| panic!("{action}: short delay: {e:?}"));
    assert_eq!(emulator.calls().len(), 1);

    // (d) A proxy's 502 HTML page: retried as a 5xx (with a token); a decode error once
    // attempts run out (at once without a token), with the status kept, no RequestId (the
    // proxy has none) and a bounded snippet.
    emulator.reset();
    emulator.mishap_next(Mishap::Html, ATTEMPTS);
    let err = send(&retrying).await.unwrap_err();
    let SdkError::Decode(decode) = &err else {
        panic!("{action}: expected a decode error, got {err:?}")
    };
    assert_eq!(decode.status(), 502);
    assert_eq!(decode.request_id(), None);
    assert!(decode.snippet().contains("502 Bad Gateway"), "{err}");
    assert!(decode.snippet().chars().count() <= 257, "{err}");
    assert!(
        decode.reason().contains("expected a JSON object"),
        "{}",
        decode.reason()
    );
    let calls = emulator.calls();
    assert_eq!(
        mishaps(&calls),
        vec![Some(Mishap::Html); ambiguous_attempts as usize]
    );
    assert_same_request(&calls);
    assert_reports_ambiguity(&err, has_client_token, &calls);
    // One HTML page, then the service again: the retry succeeds (with a token).
    emulator.reset();
    emulator.mishap_next(Mishap::Html, 1);
    let result = send(&retrying).await;
    if has_client_token {
        result.unwrap_or_else(|e| panic!("{action}: html once: {e:?}"));
        assert_eq!(mishaps(&emulator.calls()), [Some(Mishap::Html), None]);
    } else {
        let err = result.unwrap_err();
        assert_reports_ambiguity(&err, has_client_token, &emulator.calls());
        assert_eq!(mishaps(&emulator.calls()), [Some(Mishap::Html)]);
    }

    // (d) Half of the sample JSON with a 200: a decode error, not retried (the service did
    // answer, so a retry could act twice), with the RequestId of the answer.
    emulator.reset();
    emulator.mishap_next(Mishap::Truncated, 1);
    let err = send(&retrying).await.unwrap_err();
    let SdkError::Decode(decode) = &err else {
        panic!("{action}: expected a decode error, got {err:?}")
    };
    let calls = emulator.calls();
    assert_eq!(mishaps(&calls), [Some(Mishap::Truncated)], "not retried");
    assert_reports_ambiguity(&err, has_client_token, &calls);
    assert_eq!(decode.status(), 200);
    assert_eq!(decode.request_id(), Some(calls[0].request_id.as_str()));
    assert_eq!(err.request_id(), decode.request_id());
    assert!(decode.snippet().starts_with('{'), "{err}");
    assert!(decode.snippet().chars().count() <= 257, "{err}");
    assert!(!decode.reason().is_empty());

    // (d) An empty 200 body: a decode error that says so, not retried.
    emulator.reset();
    emulator.mishap_next(Mishap::Empty, 1);
    let err = send(&retrying).await.unwrap_err();
    let SdkError::Decode(decode) = &err else {
        panic!("{action}: expected a decode error, got {err:?}")
    };
    let calls = emulator.calls();
    assert_eq!(mishaps(&calls), [Some(Mishap::Empty)], "not retried");
    assert_reports_ambiguity(&err, has_client_token, &calls);
    assert_eq!(decode.status(), 200);
    assert_eq!(decode.request_id(), Some(calls[0].request_id.as_str()));
    assert_eq!(decode.snippet(), "");
    assert!(
        decode.reason().contains("the body is empty"),
        "{}",
        decode.reason()
    );

    // Every mishap was used up: the next call is served normally.
    send(&retrying)
        .await
        .unwrap_or_else(|e| panic!("{action}: after the mishaps: {e:?}"));
}

#[tokio::test]
async fn create_aps_job_through_transport_faults() {
    check_transport_faults("CreateAPSJob", false, async |config: &Config| {
        seed_calls::adb_create_aps_job(&adb::Client::new(config))
            .send()
            .await
            .map(drop)
    })
    .await;
}

#[tokio::test]
async fn create_aps_copy_workload_through_transport_faults() {
    check_transport_faults("CreateApsCopyWorkload", false, async |config: &Config| {
        seed_calls::adb_create_aps_copy_workload(&adb::Client::new(config))
            .send()
            .await
            .map(drop)
    })
    .await;
}

#[tokio::test]
async fn start_aps_job_through_transport_faults() {
    check_transport_faults("StartApsJob", false, async |config: &Config| {
        seed_calls::adb_start_aps_job(&adb::Client::new(config))
            .send()
            .await
            .map(drop)
    })
    .await;
}

#[tokio::test]
async fn create_replication_link_through_transport_faults() {
    check_transport_faults("CreateReplicationLink", false, async |config: &Config| {
        seed_calls::rds_call(&rds::Client::new(config))
            .send()
            .await
            .map(drop)
    })
    .await;
}

#[tokio::test]
async fn create_di_sync_task_through_transport_faults() {
    check_transport_faults("CreateDISyncTask", true, async |config: &Config| {
        seed_calls::dataworks_call(&dataworks::Client::new(config))
            .send()
            .await
            .map(drop)
    })
    .await;
}

#[tokio::test]
async fn a_mishap_for_one_action_spares_the_others() {
    let emulator = Emulator::builder().start().await.unwrap();
    let config = config(&emulator, RetryConfig::disabled(), Duration::from_secs(10));
    let adb = adb::Client::new(&config);
    emulator
        .transport_fault(TransportFault::next(Mishap::Empty, 1).action("StartApsJob"))
        .unwrap();
    seed_calls::adb_create_aps_job(&adb).send().await.unwrap();
    let err = seed_calls::adb_start_aps_job(&adb)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Decode(_)), "{err:?}");
    assert_eq!(
        mishaps(&emulator.calls()),
        [None, Some(Mishap::Empty)],
        "{:?}",
        emulator.calls()
    );
    assert_eq!(
        emulator.transport_fault(TransportFault::next(Mishap::Reset, 1).action("NoSuchAction")),
        Err(ControlError::UnknownAction("NoSuchAction".into()))
    );
}

#[tokio::test]
async fn the_http_control_endpoint_queues_mishaps_and_refuses_bad_input() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let post = async |query: &str| {
        let response = support::http()
            .post(format!("{url}/__emulator/mishap?{query}"))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        (status, body)
    };
    for (query, expected) in [
        ("", "`kind` is required"),
        ("kind=teapot", "unknown mishap kind `teapot`"),
        ("kind=delay", "kind=delay needs `ms`"),
        ("kind=html&ms=5", "`ms` applies to kind=delay only"),
        ("kind=delay&ms=soon", "`ms` must be a non-negative integer"),
        (
            "kind=reset&times=-1",
            "`times` must be a non-negative integer",
        ),
        (
            "kind=reset&action=NoSuchAction",
            "no operation `NoSuchAction`",
        ),
    ] {
        let (status, body) = post(query).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["Code"], "InvalidParameter", "{query}");
        let message = body["Message"].as_str().unwrap();
        assert!(message.contains(expected), "{query}: {message}");
    }

    // The endpoint is POST only, and the 404 for a wrong method lists it.
    let response = support::http()
        .get(format!("{url}/__emulator/mishap?kind=reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let text = response.text().await.unwrap();
    assert!(text.contains("POST /__emulator/mishap"), "{text}");
    assert_eq!(emulator.calls().len(), 0);

    let (status, body) = post("kind=delay&ms=20&times=2&action=CreateReplicationLink").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            &body["mishap"],
            &body["times"],
            &body["pending"]["mishap_calls"]
        ),
        (&"delay 20 ms".into(), &2.into(), &2.into()),
        "{body}"
    );
    let (status, body) = post("kind=html").await;
    assert_eq!((status, &body["pending"]["mishap_calls"]), (200, &3.into()));

    // Raw requests see the mishaps on the wire: the delayed answers are whole, and the HTML
    // page (taken by the first call of another action) carries no Alibaba headers.
    let link = support::Raw::new("CreateReplicationLink", "2014-08-15")
        .query("DBInstanceId", "pgm-1")
        .query("DryRun", "true");
    let start = support::Raw::new("StartApsJob", "2021-12-01")
        .form("RegionId", "cn-hangzhou")
        .form("ApsJobId", "aps-1");
    let page = support::send(&url, &start).await;
    assert_eq!(page.status, 502);
    assert!(
        page.text.contains("<h1>502 Bad Gateway</h1>"),
        "{}",
        page.text
    );
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    assert!(page.headers.get("x-acs-request-id").is_none());
    for _ in 0..2 {
        let answer = support::send(&url, &link).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
    }
    let calls = support::call_log(&url).await;
    let logged: Vec<(&str, &str)> = calls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap(),
                c["mishap"].as_str().unwrap_or("none"),
            )
        })
        .collect();
    assert_eq!(
        logged,
        [
            ("StartApsJob", "html"),
            ("CreateReplicationLink", "delay 20 ms"),
            ("CreateReplicationLink", "delay 20 ms"),
        ]
    );
    assert!(
        calls[0]["request_id"]
            .as_str()
            .is_some_and(|id| id.len() == 36)
    );
}
