//! End-to-end over real HTTP on loopback: a hand-written operation (query and form
//! parameters of every style, an idempotency token, a secret) against a server that checks
//! the signature independently, the placement of every parameter, and answers each case.

mod support;

use alibabacloud_runtime::{
    self as rt, Config, Credentials, RetryConfig, SdkError, TimeoutPhase, TransportErrorKind,
};
use std::time::{Duration, Instant};
use support::op::*;
use support::{Received, Reply, TestServer};

const SUCCESS: &str = r#"{"RequestId":"REQ-OK-1","Success":"True","Code":"InvalidInput","Data":{"TaskId":"11792","Status":200}}"#;

fn config(server: &TestServer, retry: RetryConfig) -> Config {
    Config::builder()
        .credentials(Credentials::new("test-ak", "test-sk"))
        .region("cn-hangzhou")
        .endpoint_url(server.url())
        .retry(retry.with_base_delay(Duration::from_millis(1)))
        .read_timeout(Duration::from_millis(500))
        .user_agent("loopback-test/1")
        .build()
        .expect("config builds")
}

fn client(server: &TestServer) -> rt::Client {
    rt::Client::new(&config(server, RetryConfig::new()), &SERVICE)
}

fn assert_signed(r: &Received) {
    assert_eq!(r.signature.as_deref(), Ok("test-ak"), "signature rejected");
}

/// The phase, limit and attempts of a timeout; any other error fails the test.
fn timed_out(err: &SdkError<CreateTaskError>) -> (TimeoutPhase, Duration, u32) {
    let SdkError::Timeout(t) = err else {
        panic!("expected a timeout, got {err:?}")
    };
    (t.phase(), t.limit(), t.attempts())
}

#[tokio::test]
async fn success_places_every_parameter_and_decodes_leniently() {
    let server = TestServer::start(|_, _| Reply::json(200, SUCCESS)).await;
    let out = client(&server)
        .call(&request())
        .await
        .expect("call succeeds");
    assert_eq!(
        out,
        CreateTaskResponse {
            request_id: Some("REQ-OK-1".into()),
            success: Some(true),
            code: Some("InvalidInput".into()),
            data: Some(CreateTaskData {
                task_id: Some(11792),
                status: Some("200".into()),
            }),
        }
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_signed(r);
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
    let mut query = r.query();
    let token = query
        .iter()
        .position(|(k, _)| k == "ClientToken")
        .map(|i| query.remove(i).1)
        .expect("ClientToken generated");
    assert_eq!(
        uuid::Uuid::parse_str(&token).map(|u| u.get_version_num()),
        Ok(4)
    );
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        query,
        pairs(&[
            ("DryRun", "false"),
            ("Filter.Name", "zone id"),
            ("Filter.Values.1", "cn-hangzhou-a"),
            ("Filter.Values.2", "cn-hangzhou-b"),
            ("InstanceIds", "i-1,i-2"),
            ("ProjectId", "10000"),
            ("RegionId", "cn-hangzhou"),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.Key", "team"),
        ])
    );
    assert_eq!(
        r.form(),
        pairs(&[
            ("Password", "p@ss word+1"),
            ("Ratio", "0.5"),
            ("Rules", r#"[{"GroupName":"g 1","Weight":3}]"#),
            ("TaskContent", TASK_CONTENT),
        ])
    );
    // The wire query is the canonical one: %20 for spaces, sorted.
    assert!(r.raw_query.starts_with("ClientToken="), "{}", r.raw_query);
    assert!(
        r.raw_query
            .contains("&DryRun=false&Filter.Name=zone%20id&Filter.Values.1=cn-hangzhou-a&"),
        "{}",
        r.raw_query
    );
    assert_eq!(r.header("x-acs-action"), Some("CreateDISyncTask"));
    assert_eq!(r.header("x-acs-version"), Some("2020-05-18"));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(r.header("host"), Some(server.addr.to_string().as_str()));
    let ua = r.header("user-agent").unwrap();
    assert!(ua.starts_with("AlibabaCloud ("), "{ua}");
    assert!(ua.contains(" alibabacloud-rust-sdk/"), "{ua}");
    assert!(ua.ends_with(" loopback-test/1"), "{ua}");
    assert_eq!(r.header("x-acs-signature-nonce").map(str::len), Some(32));
    assert!(r.header("x-acs-security-token").is_none());
}

#[tokio::test]
async fn caller_supplied_token_is_sent_unchanged() {
    let server = TestServer::start(|_, _| Reply::json(200, SUCCESS)).await;
    let mut input = request();
    input.client_token = Some("caller-token-1".into());
    client(&server).call(&input).await.unwrap();
    assert_eq!(
        server.requests()[0].query_value("ClientToken").as_deref(),
        Some("caller-token-1")
    );
}

#[tokio::test]
async fn documented_error_maps_to_variant_and_is_not_retried() {
    let body = r#"{"RequestId":"REQ-ERR-1","HostId":"dataworks.cn-hangzhou.aliyuncs.com","Code":"InvalidParameter","Message":"The parameter ProjectId is invalid.","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidParameter"}"#;
    let server = TestServer::start(move |_, _| Reply::json(400, body)).await;
    let err = client(&server).call(&request()).await.unwrap_err();
    let SdkError::Service(e) = &err else {
        panic!("expected a service error, got {err:?}")
    };
    assert_eq!(e.kind(), &CreateTaskError::InvalidParameter);
    assert_eq!(e.status(), 400);
    assert_eq!(e.code(), "InvalidParameter");
    assert_eq!(e.message(), Some("The parameter ProjectId is invalid."));
    assert_eq!(e.request_id(), Some("REQ-ERR-1"));
    assert_eq!(e.host_id(), Some("dataworks.cn-hangzhou.aliyuncs.com"));
    assert_eq!(
        e.recommend(),
        Some("https://api.aliyun.com/troubleshoot?q=InvalidParameter")
    );
    assert_eq!(err.request_id(), Some("REQ-ERR-1"));
    assert!(err.to_string().contains("InvalidParameter") && err.to_string().contains("REQ-ERR-1"));
    assert_eq!(server.requests().len(), 1, "4xx must not be retried");
}

#[tokio::test]
async fn other_4xx_are_not_retried() {
    let server = TestServer::start(|_, _| Reply::json(403, r#"{"RequestId":"R403","Code":"Forbidden.RAM","Message":"denied","AccessDeniedDetail":{"AuthAction":"dataworks:CreateDISyncTask","NoPermissionType":"ImplicitDeny","EncodedDiagnosticMessage":"abc"}}"#)).await;
    let err = client(&server).call(&request()).await.unwrap_err();
    let e = err.as_service_error().unwrap();
    assert_eq!(
        (e.kind(), e.code()),
        (&CreateTaskError::Unhandled, "Forbidden.RAM")
    );
    let d = e.access_denied_detail().unwrap();
    assert_eq!(d.auth_action.as_deref(), Some("dataworks:CreateDISyncTask"));
    assert_eq!(d.encoded_diagnostic_message.as_deref(), Some("abc"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn throttling_then_success_reuses_the_token_with_fresh_nonces() {
    let server = TestServer::start(|_, i| match i {
        0 => Reply::json(400, r#"{"RequestId":"R-T","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#),
        _ => Reply::json(200, SUCCESS),
    })
    .await;
    let out = client(&server)
        .call(&request())
        .await
        .expect("second attempt succeeds");
    assert_eq!(out.request_id.as_deref(), Some("REQ-OK-1"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    reqs.iter().for_each(assert_signed);
    let token = |r: &Received| r.query_value("ClientToken").expect("token sent");
    assert_eq!(
        token(&reqs[0]),
        token(&reqs[1]),
        "same ClientToken on every attempt"
    );
    assert_ne!(
        reqs[0].header("x-acs-signature-nonce"),
        reqs[1].header("x-acs-signature-nonce")
    );
    assert_eq!(reqs[0].body, reqs[1].body);
    assert_eq!(
        reqs[0].connection, reqs[1].connection,
        "the connection is reused"
    );
}

#[tokio::test]
async fn throttling_exhausts_attempts_with_typed_error() {
    let server = TestServer::start(|_, _| {
        Reply::json(400, r#"{"RequestId":"R-T2","Code":"Throttling.User"}"#)
    })
    .await;
    let err = client(&server).call(&request()).await.unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().kind(),
        &CreateTaskError::ThrottlingUser
    );
    assert_eq!(server.requests().len(), 3, "default: 3 attempts in all");
}

#[tokio::test]
async fn retry_after_header_is_honoured() {
    let server = TestServer::start(|_, i| match i {
        0 => Reply::json(400, r#"{"RequestId":"R-RA","Code":"Flow.Limited"}"#)
            .with_header("x-acs-retry-after", "300"),
        _ => Reply::json(200, SUCCESS),
    })
    .await;
    let started = Instant::now();
    client(&server)
        .call(&request())
        .await
        .expect("retried after the delay");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried() {
    let server = TestServer::start(|_, i| match i {
        0 => Reply::json(503, r#"{"RequestId":"R-503","Code":"ServiceUnavailable"}"#),
        1 => Reply::json(500, r#"{"RequestId":"R-500","Code":"InternalError"}"#),
        _ => Reply::json(200, SUCCESS),
    })
    .await;
    client(&server)
        .call(&request())
        .await
        .expect("third attempt succeeds");
    assert_eq!(server.requests().len(), 3);

    let server = TestServer::start(|_, _| {
        Reply::json(500, r#"{"RequestId":"R-500","Code":"InternalError"}"#)
    })
    .await;
    let c = rt::Client::new(
        &config(&server, RetryConfig::new().with_max_attempts(2)),
        &SERVICE,
    );
    let err = c.call(&request()).await.unwrap_err();
    let e = err.as_service_error().unwrap();
    assert_eq!((e.status(), e.code()), (500, "InternalError"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn connection_reset_is_retried_then_reported() {
    let server = TestServer::start(|_, i| {
        if i == 0 {
            Reply::Reset
        } else {
            Reply::json(200, SUCCESS)
        }
    })
    .await;
    client(&server)
        .call(&request())
        .await
        .expect("retry after reset succeeds");
    assert_eq!(server.requests().len(), 2);

    let server = TestServer::start(|_, _| Reply::Reset).await;
    let err = client(&server).call(&request()).await.unwrap_err();
    let SdkError::Transport(t) = &err else {
        panic!("expected transport error, got {err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Connection);
    assert_eq!(t.attempts(), 3);
    assert_eq!(server.requests().len(), 3);
    assert!(!err.to_string().contains("p@ss"), "{err}");
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    // Bind then drop, so the port is (almost certainly) closed.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = Config::builder()
        .credentials(Credentials::new("test-ak", "test-sk"))
        .endpoint_url(format!("http://{addr}"))
        .retry(
            RetryConfig::new()
                .with_max_attempts(2)
                .with_base_delay(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let err = rt::Client::new(&config, &SERVICE)
        .call(&request())
        .await
        .unwrap_err();
    let SdkError::Transport(t) = &err else {
        panic!("expected transport error, got {err:?}")
    };
    assert_eq!((t.kind(), t.attempts()), (TransportErrorKind::Connect, 2));
}

/// A listener whose accept queue is full: the kernel drops further SYNs, so a connect
/// attempt neither succeeds nor is refused until it times out. The returned streams keep
/// the queue full while they live.
fn unanswered_listener() -> (
    std::net::SocketAddr,
    tokio::net::TcpListener,
    Vec<std::net::TcpStream>,
) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    while held.len() < 16 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => held.push(stream),
            Err(_) => return (addr, listener, held),
        }
    }
    panic!("the accept queue never filled up");
}

#[tokio::test]
async fn unanswered_connect_is_a_connect_timeout() {
    let (addr, _listener, _held) = unanswered_listener();
    let to_listener = |connect_timeout| {
        Config::builder()
            .credentials(Credentials::new("test-ak", "test-sk"))
            .endpoint_url(format!("http://{addr}"))
            .connect_timeout(connect_timeout)
    };
    let config = to_listener(Duration::from_millis(300))
        .retry(
            RetryConfig::new()
                .with_max_attempts(2)
                .with_base_delay(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = rt::Client::new(&config, &SERVICE)
        .call(&request())
        .await
        .unwrap_err();
    assert_eq!(
        timed_out(&err),
        (TimeoutPhase::Connect, Duration::from_millis(300), 2)
    );
    // Two attempts of 300 ms each, not the 5 s default.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    // A per-call connect timeout wins over the configuration's (here 2 s, so that the
    // time taken tells which one applied even on a busy machine).
    let patient = to_listener(Duration::from_secs(2)).build().unwrap();
    let options = rt::CallOptions::new()
        .connect_timeout(Duration::from_millis(100))
        .retry(RetryConfig::disabled());
    let started = Instant::now();
    let err = rt::Client::new(&patient, &SERVICE)
        .with_options(&options)
        .unwrap()
        .call(&request())
        .await
        .unwrap_err();
    assert_eq!(
        timed_out(&err),
        (TimeoutPhase::Connect, Duration::from_millis(100), 1)
    );
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn slow_response_is_a_read_timeout() {
    let server = TestServer::start(|_, _| {
        Reply::Delay(Duration::from_secs(3), Box::new(Reply::json(200, SUCCESS)))
    })
    .await;
    let c = rt::Client::new(
        &config(&server, RetryConfig::new().with_max_attempts(2)),
        &SERVICE,
    );
    let started = Instant::now();
    let err = c.call(&request()).await.unwrap_err();
    assert_eq!(
        timed_out(&err),
        (TimeoutPhase::Read, Duration::from_millis(500), 2)
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2, "timeouts are retried");
}

/// Per-call options win over the configuration where they set something, and leave it
/// alone elsewhere (reference §6: `RuntimeOptions` > `Config` > defaults).
#[tokio::test]
async fn call_options_override_the_configuration_for_the_copy_only() {
    // Each answer takes 300 ms, past the configuration's 500 ms read timeout only in part:
    // the first attempt of every call is throttled, the second one answers slowly.
    let server = TestServer::start(|_, i| {
        if i % 2 == 0 {
            Reply::json(400, r#"{"RequestId":"R-T","Code":"Throttling.User"}"#)
        } else {
            Reply::Delay(
                Duration::from_millis(300),
                Box::new(Reply::json(200, SUCCESS)),
            )
        }
    })
    .await;
    let base = client(&server);

    // Retries off for the copy: the throttled attempt is the last one.
    let no_retry = base
        .with_options(&rt::CallOptions::new().retry(RetryConfig::disabled()))
        .unwrap();
    let err = no_retry.call(&request()).await.unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().kind(),
        &CreateTaskError::ThrottlingUser
    );
    assert_eq!(server.requests().len(), 1);

    // A read timeout shorter than the slow answer: the copy times out with its own limit.
    let impatient = base
        .with_options(&rt::CallOptions::new().read_timeout(Duration::from_millis(100)))
        .unwrap();
    let err = impatient.call(&request()).await.unwrap_err();
    assert_eq!(
        timed_out(&err),
        (TimeoutPhase::Read, Duration::from_millis(100), 3),
        "its own limit, and the configuration's 3 attempts"
    );
    assert_eq!(server.requests().len(), 1 + 3);

    // The original client is unchanged: it retries the throttled attempt and waits for the
    // slow answer within its 500 ms.
    let before = server.requests().len();
    base.call(&request())
        .await
        .expect("configuration's settings");
    assert_eq!(server.requests().len(), before + 2);

    // A copy that changes only retries keeps the configuration's HTTP client and so its
    // connections; one with other timeouts has its own.
    let requests = server.requests();
    let same_timeouts = no_retry.call(&request()).await;
    assert!(same_timeouts.is_err(), "throttled, not retried");
    let after = server.requests();
    assert_eq!(after.len(), requests.len() + 1);
    assert_eq!(
        after.last().unwrap().connection,
        requests.last().unwrap().connection,
        "same timeouts, same pool"
    );
    // The 100 ms copy's first attempt came right after the first call, whose connection
    // was idle in the configuration's pool: it opened another, from a pool of its own.
    assert_ne!(
        requests[1].connection, requests[0].connection,
        "other timeouts, another pool"
    );
    assert_eq!(requests[0].connection, after.last().unwrap().connection);
}

#[tokio::test]
async fn garbage_bodies_are_decode_errors() {
    for (status, body, attempts) in [
        (200, "<html><body>Welcome to nginx</body></html>", 1),
        (200, r#"{"RequestId":"REQ-TRUNC","Data":{"TaskId":"#, 1),
        (200, "", 1),
        (
            502,
            "<html><head><title>502 Bad Gateway</title></head></html>",
            3,
        ),
    ] {
        let server = TestServer::start(move |_, _| {
            Reply::Respond(
                status,
                vec![("x-acs-request-id".into(), "HDR-REQ".into())],
                body.as_bytes().to_vec(),
            )
        })
        .await;
        let err = client(&server).call(&request()).await.unwrap_err();
        let SdkError::Decode(d) = &err else {
            panic!("expected decode error for {body:?}, got {err:?}")
        };
        assert_eq!(d.status(), status);
        assert_eq!(d.request_id(), Some("HDR-REQ"));
        assert!(d.snippet().len() <= 4 * rt::redact::SNIPPET_CHARS + 3);
        assert!(body.starts_with(d.snippet()), "{:?}", d.snippet());
        assert_eq!(server.requests().len(), attempts, "{body:?}");
    }
}

#[tokio::test]
async fn success_false_in_2xx_is_a_service_error() {
    let body =
        r#"{"RequestId":"REQ-SF","Success":false,"Code":"Throttling.User","Message":"busy"}"#;
    let server = TestServer::start(move |_, i| if i == 0 { Reply::json(200, body) } else { Reply::json(200, r#"{"RequestId":"REQ-SF2","Success":false,"Code":"Invalid.Task","Message":"bad task","HttpStatusCode":400}"#) }).await;
    let err = client(&server).call(&request()).await.unwrap_err();
    let e = err.as_service_error().expect("service error");
    assert_eq!(
        (e.status(), e.code(), e.message(), e.request_id()),
        (200, "Invalid.Task", Some("bad task"), Some("REQ-SF2"))
    );
    assert_eq!(e.kind(), &CreateTaskError::Unhandled);
    assert_eq!(e.code(), "Invalid.Task");
    assert!(e.raw_body().contains("\"HttpStatusCode\":400"));
    // The throttling code in the first body was retried, the second is final.
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn sts_credentials_send_and_sign_the_token() {
    let server = TestServer::start(|_, _| Reply::json(200, SUCCESS)).await;
    let config = Config::builder()
        .credentials(
            Credentials::new("STS.test-ak", "sts-test-sk").with_security_token("sts-token-xyz"),
        )
        .endpoint_url(server.url())
        .build()
        .unwrap();
    rt::Client::new(&config, &SERVICE)
        .call(&request())
        .await
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.signature.as_deref(), Ok("STS.test-ak"));
    assert_eq!(r.header("x-acs-security-token"), Some("sts-token-xyz"));
    assert_eq!(r.header("x-acs-accesskey-id"), Some("STS.test-ak"));
    assert!(
        r.header("authorization")
            .unwrap()
            .contains("x-acs-security-token")
    );
}

#[tokio::test]
async fn wrong_secret_is_rejected_by_the_independent_verifier() {
    // Guards the verifier itself: a request signed with another secret must fail it.
    let server = TestServer::start(|r, _| match &r.signature {
        Ok(_) => Reply::json(200, SUCCESS),
        Err(_) => Reply::json(
            400,
            r#"{"RequestId":"R-SIG","Code":"SignatureDoesNotMatch"}"#,
        ),
    })
    .await;
    let config = Config::builder()
        .credentials(Credentials::new("test-ak", "not-the-secret"))
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let err = rt::Client::new(&config, &SERVICE)
        .call(&request())
        .await
        .unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().code(),
        "SignatureDoesNotMatch"
    );
    assert!(
        server.requests()[0]
            .signature
            .as_ref()
            .unwrap_err()
            .contains("SignatureDoesNotMatch")
    );
}

#[tokio::test]
async fn missing_region_is_a_build_error_before_any_io() {
    let config = Config::builder()
        .credentials(Credentials::new("a", "b"))
        .build()
        .unwrap();
    let err = rt::Client::new(&config, &SERVICE)
        .call(&request())
        .await
        .unwrap_err();
    let SdkError::Build(b) = &err else {
        panic!("{err:?}")
    };
    assert!(b.to_string().contains("RegionId is empty"), "{b}");
}

#[test]
fn region_map_picks_the_host() {
    let config = Config::builder()
        .credentials(Credentials::new("a", "b"))
        .region("cn-hangzhou")
        .build()
        .unwrap();
    let c = rt::Client::new(&config, &SERVICE);
    assert_eq!(
        c.endpoint().unwrap().base_url(),
        "https://dataworks.cn-hangzhou.aliyuncs.com"
    );
    let config = Config::builder()
        .credentials(Credentials::new("a", "b"))
        .region("me-central-1")
        .build()
        .unwrap();
    assert_eq!(
        rt::Client::new(&config, &SERVICE).endpoint().unwrap().host,
        "dataworks-public.me-central-1.aliyuncs.com"
    );
}

#[derive(Debug)]
struct Unreachable;

impl rt::ProvideCredentials for Unreachable {
    fn name(&self) -> &str {
        "unreachable"
    }
    fn provide(&self) -> rt::credentials::CredentialsFuture<'_> {
        Box::pin(async {
            Err(rt::CredentialsError::Fetch {
                provider: "unreachable".into(),
                reason: "metadata service did not answer".into(),
            })
        })
    }
}

#[tokio::test]
async fn credentials_failing_at_call_time_send_nothing() {
    let server = TestServer::start(|_, _| Reply::json(200, SUCCESS)).await;
    let config = Config::builder()
        .credentials_provider(Unreachable)
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let err = rt::Client::new(&config, &SERVICE)
        .call(&request())
        .await
        .unwrap_err();
    let SdkError::Credentials(e) = &err else {
        panic!("expected a credentials error, got {err:?}")
    };
    assert!(
        e.to_string().contains("metadata service did not answer"),
        "{e}"
    );
    assert!(server.requests().is_empty());
}

/// A write without an idempotency token (`StartApsJob`) after a failure that leaves it
/// unknown whether the service applied it: one attempt, and an error that says so.
#[tokio::test]
async fn a_write_without_token_is_not_repeated_when_it_may_have_been_applied() {
    type Answer = fn() -> Reply;
    let cases: [(&str, Answer); 3] = [
        ("5xx", || {
            Reply::json(503, r#"{"RequestId":"R-503","Code":"ServiceUnavailable"}"#)
        }),
        ("reset", || Reply::Reset),
        ("read timeout", || {
            Reply::Delay(Duration::from_secs(3), Box::new(Reply::json(200, SUCCESS)))
        }),
    ];
    for (name, reply) in cases {
        let server = TestServer::start(move |_, _| reply()).await;
        let err = client(&server)
            .call(&small_request())
            .await
            .expect_err(name);
        assert_eq!(server.requests().len(), 1, "{name}: sent once");
        assert_eq!(
            err.not_retried(),
            Some(rt::NotRetried::MayHaveBeenApplied),
            "{name}: {err:?}"
        );
        assert!(
            err.to_string()
                .contains("not retried: the request may have been applied"),
            "{name}: {err}"
        );
        assert_eq!(
            err.idempotency_token(),
            None,
            "{name}: the operation has none"
        );
    }
}

/// The same write is retried when the request cannot have been applied (throttled), when
/// the caller opts in per call, or marks the operation idempotent.
#[tokio::test]
async fn a_write_is_retried_when_not_applied_or_when_the_caller_says_so() {
    let server = TestServer::start(|_, i| match i {
        0 => Reply::json(400, r#"{"RequestId":"R-T","Code":"Throttling.User"}"#),
        _ => Reply::json(200, SUCCESS),
    })
    .await;
    client(&server)
        .call(&small_request())
        .await
        .expect("throttled, then served");
    assert_eq!(server.requests().len(), 2);

    let options = [
        rt::CallOptions::new().retry_non_idempotent(true),
        rt::CallOptions::new().idempotent_operations(&["StartApsJob"]),
    ];
    for options in options {
        let server = TestServer::start(|_, i| match i {
            0 => Reply::json(500, r#"{"RequestId":"R-500","Code":"InternalError"}"#),
            _ => Reply::json(200, SUCCESS),
        })
        .await;
        let answered = client(&server)
            .with_options(&options)
            .unwrap()
            .call_with_details(&small_request())
            .await
            .expect("retried after the 5xx");
        assert_eq!(answered.attempts(), 2);
        assert_eq!(answered.idempotency_token(), None);
        assert_eq!(server.requests().len(), 2);
    }
}

/// A generated idempotency token is reported by the output and by every error, and is the
/// one every attempt sent.
#[tokio::test]
async fn a_generated_token_is_reported_with_the_output_and_the_error() {
    let server = TestServer::start(|_, i| match i {
        0 => Reply::Reset,
        _ => Reply::json(200, SUCCESS),
    })
    .await;
    let answered = client(&server)
        .call_with_details(&request())
        .await
        .expect("retried with the token");
    let sent: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.query_value("ClientToken").expect("token sent"))
        .collect();
    assert_eq!(sent.len(), 2);
    assert_eq!(answered.idempotency_token(), Some(sent[0].as_str()));
    assert_eq!(answered.idempotency_token(), Some(sent[1].as_str()));
    assert_eq!(
        answered.request_id.as_deref(),
        Some("REQ-OK-1"),
        "derefs to the output"
    );

    let server = TestServer::start(|_, _| {
        Reply::json(500, r#"{"RequestId":"R-500","Code":"InternalError"}"#)
    })
    .await;
    let err = client(&server).call(&request()).await.unwrap_err();
    let sent = server.requests()[0].query_value("ClientToken").unwrap();
    assert_eq!(
        server.requests().len(),
        3,
        "a token makes the write safe to repeat"
    );
    assert_eq!(err.idempotency_token(), Some(sent.as_str()));
    assert_eq!(err.not_retried(), None);
    assert!(err.to_string().contains(&sent), "{err}");

    // A token the caller set is the caller's to know: not reported.
    let mut own = request();
    own.client_token = Some("caller-token".into());
    let err = client(&server).call(&own).await.unwrap_err();
    assert_eq!(err.idempotency_token(), None);
}

/// Credentials that work once, then cannot be refreshed (already expired when handed out).
#[derive(Debug, Default)]
struct FailsAfterFirst(std::sync::atomic::AtomicU32);

impl rt::ProvideCredentials for FailsAfterFirst {
    fn name(&self) -> &str {
        "fails-after-first"
    }
    fn provide(&self) -> rt::credentials::CredentialsFuture<'_> {
        let call = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move {
            if call == 0 {
                Ok(
                    Credentials::new("test-ak", "test-sk")
                        .with_expiry(std::time::SystemTime::now()),
                )
            } else {
                Err(rt::CredentialsError::Fetch {
                    provider: "fails-after-first".into(),
                    reason: "refresh refused".into(),
                })
            }
        })
    }
}

/// A retry whose credentials cannot be refreshed ends with a credentials error, but the
/// first attempt was sent: the error carries the token it was sent with, so the caller can
/// call again safely.
#[tokio::test]
async fn a_credentials_failure_after_a_sent_attempt_carries_the_token() {
    let server = TestServer::start(|_, _| {
        Reply::json(500, r#"{"RequestId":"R-500","Code":"InternalError"}"#)
    })
    .await;
    let config = Config::builder()
        .credentials_provider(FailsAfterFirst::default())
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let err = rt::Client::new(&config, &SERVICE)
        .call(&request())
        .await
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        1,
        "only the first attempt was sent"
    );
    let sent = server.requests()[0].query_value("ClientToken").unwrap();
    let SdkError::Credentials(failure) = &err else {
        panic!("expected a credentials error, got {err:?}")
    };
    assert!(failure.error().to_string().contains("refresh refused"));
    assert_eq!(err.idempotency_token(), Some(sent.as_str()));
    assert!(err.to_string().contains(&sent), "{err}");
}
