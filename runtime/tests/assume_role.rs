//! The role-assuming providers against a loopback STS: `AssumeRole` signed with the source
//! key and its answer signing the next call, `AssumeRoleWithOIDC` anonymous with the token
//! file's current content, STS errors named by Code and RequestId, refresh by expiry, and
//! secrets kept out of `Debug` and errors.

mod support;

use alibabacloud_runtime::credentials::ProvideCredentials;
use alibabacloud_runtime::credentials::sts::{AssumeRoleProvider, OidcRoleProvider, RoleSession};
use alibabacloud_runtime::{Client, Config, Credentials, RetryConfig, SdkError};
use sha2::{Digest, Sha256};
use std::fmt::{Debug, Write as _};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use support::{KEYS, Received, Reply, TestServer, op};

const ROLE: &str = "acs:ram::1234567890:role/test-role";
const STS_SECRET: &str = "sts-test-sk";
const STS_TOKEN: &str = "sts-security-token-value";

/// An STS success answer handing out the test server's STS key, expiring at `expiration`.
fn sts_answer(expiration: &str) -> Reply {
    let (id, secret) = KEYS[1];
    assert_eq!(secret, STS_SECRET);
    Reply::json(
        200,
        &format!(
            r#"{{"RequestId":"STS-REQ-1","Credentials":{{"AccessKeyId":"{id}","AccessKeySecret":"{secret}","SecurityToken":"{STS_TOKEN}","Expiration":"{expiration}"}},"AssumedRoleUser":{{"Arn":"{ROLE}/s","AssumedRoleId":"3:s"}}}}"#
        ),
    )
}

fn action(r: &Received) -> &str {
    r.header("x-acs-action").unwrap_or_default()
}

/// STS answers role requests; anything else is the test operation, answered with success.
async fn sts_and_service(expiration: &'static str) -> TestServer {
    TestServer::start(move |r, _| match action(r) {
        "AssumeRole" | "AssumeRoleWithOIDC" => sts_answer(expiration),
        _ => Reply::json(200, r#"{"RequestId":"CALL-1","Success":true}"#),
    })
    .await
}

fn source_key() -> Credentials {
    let (id, secret) = KEYS[0];
    Credentials::new(id, secret)
}

/// A temporary file removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "alibabacloud-oidc-token-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The error text of an `AssumeRole` refresh against `url`, signed with the source key.
async fn assume_role_error(url: String) -> String {
    AssumeRoleProvider::new(RoleSession::new(ROLE).with_sts_endpoint(url), source_key())
        .unwrap()
        .provide()
        .await
        .unwrap_err()
        .to_string()
}

#[tokio::test]
async fn assume_role_is_signed_with_the_source_key_and_its_answer_signs_the_next_call() {
    let server = sts_and_service("2099-01-01T00:00:00Z").await;
    let policy =
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"dataworks:*","Resource":"*"}]}"#;
    let provider = AssumeRoleProvider::new(
        RoleSession::new(ROLE)
            .with_session_name("my-session")
            .with_duration_seconds(1800)
            .with_policy(policy)
            .with_sts_endpoint(server.url()),
        source_key(),
    )
    .unwrap()
    .with_external_id("ext-42")
    .with_provider_name("default/cli_profile/ram_role_arn");
    let config = Config::builder()
        .credentials_provider(provider)
        .endpoint_url(server.url())
        .region("cn-hangzhou")
        .build()
        .unwrap();
    let client = Client::new(&config, &op::SERVICE);
    let out = client.call(&op::small_request()).await.unwrap();
    assert_eq!(out.request_id.as_deref(), Some("CALL-1"));
    // Cached: the next call does not ask STS again.
    client.call(&op::small_request()).await.unwrap();

    let reqs = server.requests();
    assert_eq!(
        reqs.iter().map(action).collect::<Vec<_>>(),
        ["AssumeRole", "StartApsJob", "StartApsJob"]
    );
    let sts = &reqs[0];
    assert_eq!(sts.method, "POST");
    assert_eq!(sts.path, "/");
    assert_eq!(
        sts.signature,
        Ok(KEYS[0].0.to_owned()),
        "signed with the source key"
    );
    assert_eq!(sts.header("x-acs-version"), Some("2015-04-01"));
    assert_eq!(
        sts.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(sts.header("x-acs-security-token").is_none());
    let mut form = sts.form();
    form.sort();
    let expected: Vec<(String, String)> = [
        ("DurationSeconds", "1800"),
        ("ExternalId", "ext-42"),
        ("Policy", policy),
        ("RoleArn", ROLE),
        ("RoleSessionName", "my-session"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(form, expected);
    assert!(sts.raw_query.is_empty(), "{}", sts.raw_query);

    for call in &reqs[1..] {
        assert_eq!(call.signature, Ok(KEYS[1].0.to_owned()), "signed with STS");
        assert_eq!(call.header("x-acs-security-token"), Some(STS_TOKEN));
        assert_eq!(call.header("x-acs-accesskey-id"), Some(KEYS[1].0));
    }
    let c = config.resolve_credentials().await.unwrap();
    assert_eq!(c.provider_name(), "default/cli_profile/ram_role_arn");
    assert_eq!(
        c.expires_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_070_908_800))
    );
}

#[tokio::test]
async fn a_chained_role_signs_with_the_credentials_of_its_source_role() {
    let server = sts_and_service("2099-01-01T00:00:00Z").await;
    let first = AssumeRoleProvider::new(
        RoleSession::new("acs:ram::1:role/first").with_sts_endpoint(server.url()),
        source_key(),
    )
    .unwrap();
    let second = AssumeRoleProvider::from_provider(
        RoleSession::new("acs:ram::1:role/second").with_sts_endpoint(server.url()),
        Arc::new(first),
    )
    .unwrap();
    let c = second.provide().await.unwrap();
    assert_eq!(c.access_key_id(), KEYS[1].0);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[0].form_value("RoleArn").as_deref(),
        Some("acs:ram::1:role/first")
    );
    assert_eq!(reqs[0].signature, Ok(KEYS[0].0.to_owned()));
    assert_eq!(
        reqs[1].form_value("RoleArn").as_deref(),
        Some("acs:ram::1:role/second")
    );
    assert_eq!(reqs[1].signature, Ok(KEYS[1].0.to_owned()));
    assert_eq!(reqs[1].header("x-acs-security-token"), Some(STS_TOKEN));
    let session = reqs[1].form_value("RoleSessionName").unwrap();
    assert!(session.starts_with("credentials-rust-"), "{session}");
    assert_eq!(
        reqs[1].form_value("DurationSeconds").as_deref(),
        Some("3600")
    );
    assert_eq!(reqs[1].form_value("Policy"), None);
}

#[tokio::test]
async fn oidc_call_is_anonymous_and_carries_the_current_token() {
    let server = sts_and_service("2099-01-01T00:00:00Z").await;
    let token = TempFile::new("eyJhbGciOi.first-token.sig\n");
    let provider = OidcRoleProvider::new(
        RoleSession::new(ROLE)
            .with_session_name("pod-session")
            .with_policy("{\"Version\":\"1\"}")
            .with_sts_endpoint(server.url()),
        "acs:ram::1234567890:oidc-provider/ack-rrsa",
        &token.0,
    )
    .unwrap();
    let c = provider.provide().await.unwrap();
    assert_eq!(c.access_key_id(), KEYS[1].0);
    assert_eq!(c.security_token().unwrap().expose(), STS_TOKEN);
    assert_eq!(c.provider_name(), "oidc_role_arn");

    // The platform rotates the token; the next refresh sends the new one.
    std::fs::write(&token.0, "eyJhbGciOi.rotated-token.sig").unwrap();
    provider.provide().await.unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(action(r), "AssumeRoleWithOIDC");
        assert_eq!(r.method, "POST");
        assert!(r.header("authorization").is_none(), "{:?}", r.headers);
        assert!(r.header("x-acs-security-token").is_none());
        assert_eq!(r.header("x-acs-version"), Some("2015-04-01"));
        assert!(r.header("x-acs-date").is_some_and(|d| d.ends_with('Z')));
        assert_eq!(r.header("x-acs-signature-nonce").map(str::len), Some(32));
        assert_eq!(
            r.header("x-acs-content-sha256"),
            Some(hex::encode(Sha256::digest(&r.body)).as_str())
        );
        assert!(
            r.header("user-agent")
                .is_some_and(|ua| ua.starts_with("AlibabaCloud ("))
        );
        assert_eq!(r.form_value("RoleArn").as_deref(), Some(ROLE));
        assert_eq!(
            r.form_value("OIDCProviderArn").as_deref(),
            Some("acs:ram::1234567890:oidc-provider/ack-rrsa")
        );
        assert_eq!(
            r.form_value("RoleSessionName").as_deref(),
            Some("pod-session")
        );
        assert_eq!(r.form_value("DurationSeconds").as_deref(), Some("3600"));
        assert_eq!(
            r.form_value("Policy").as_deref(),
            Some("{\"Version\":\"1\"}")
        );
    }
    assert_eq!(
        reqs[0].form_value("OIDCToken").as_deref(),
        Some("eyJhbGciOi.first-token.sig"),
        "trailing newline trimmed"
    );
    assert_eq!(
        reqs[1].form_value("OIDCToken").as_deref(),
        Some("eyJhbGciOi.rotated-token.sig")
    );

    // Neither Debug nor an error shows the token.
    let text = format!("{provider:?}");
    assert!(!text.contains("rotated-token"), "{text}");
    std::fs::write(&token.0, "").unwrap();
    let e = provider.provide().await.unwrap_err().to_string();
    assert!(
        e.contains("OIDC token file") && e.contains("is empty"),
        "{e}"
    );
}

#[tokio::test]
async fn sts_errors_name_code_message_and_request_id_but_no_secret() {
    let server = TestServer::start(|r, _| match action(r) {
        "AssumeRole" => Reply::json(
            403,
            r#"{"RequestId":"7A1B-NO-PERM","HostId":"sts.aliyuncs.com","Code":"NoPermission","Message":"You are not authorized to do this action. You should be authorized by RAM."}"#,
        ),
        _ => Reply::json(200, r#"{"RequestId":"never","Success":true}"#),
    })
    .await;
    let provider = || {
        AssumeRoleProvider::new(
            RoleSession::new(ROLE).with_sts_endpoint(server.url()),
            Credentials::new(KEYS[0].0, KEYS[0].1).with_security_token("source-token-secret"),
        )
        .unwrap()
    };
    let text = provider().provide().await.unwrap_err().to_string();
    for expected in [
        "STS AssumeRole of acs:ram::1234567890:role/test-role",
        "HTTP 403",
        "Code NoPermission",
        "You are not authorized",
        "RequestId 7A1B-NO-PERM",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    assert!(!text.contains(KEYS[0].1) && !text.contains("source-token-secret"));

    // Through a client, the call fails with a credentials error and sends nothing else.
    let config = Config::builder()
        .credentials_provider(provider())
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let err = Client::new(&config, &op::SERVICE)
        .call(&op::small_request())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("Code NoPermission"), "{err}");
    assert!(server.requests().iter().all(|r| action(r) == "AssumeRole"));

    // A 200 without a token is refused without quoting the secret it did carry.
    let partial = TestServer::start(|_, _| {
        Reply::json(
            200,
            r#"{"RequestId":"R-2","Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"leaked-secret?"}}"#,
        )
    })
    .await;
    let text = assume_role_error(partial.url()).await;
    assert!(text.contains("lacks") && text.contains("R-2"), "{text}");
    assert!(!text.contains("leaked-secret?"), "{text}");

    // Nobody listening: a transport error naming the call.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let text = assume_role_error(format!("http://{closed}")).await;
    assert!(text.contains("AssumeRole: "), "{text}");
}

/// STS requests follow the call retry rules: throttling and 5xx are tried again (each
/// attempt signed afresh), other 4xx end the refresh at once.
#[tokio::test]
async fn sts_throttling_and_5xx_are_retried_but_other_4xx_are_not() {
    let server = TestServer::start(|r, index| match (action(r), index) {
        ("AssumeRole", 0) => Reply::json(
            400,
            r#"{"RequestId":"T-1","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#,
        ),
        ("AssumeRole", 1) => Reply::json(503, r#"{"RequestId":"T-2","Code":"ServiceUnavailable"}"#)
            .with_header("x-acs-retry-after", "1"),
        ("AssumeRole", _) => sts_answer("2099-01-01T00:00:00Z"),
        _ => Reply::json(200, r#"{"RequestId":"never","Success":true}"#),
    })
    .await;
    let provider = AssumeRoleProvider::new(
        RoleSession::new(ROLE).with_sts_endpoint(server.url()),
        source_key(),
    )
    .unwrap();
    let credentials = provider.provide().await.unwrap();
    assert_eq!(credentials.access_key_id(), KEYS[1].0);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3, "throttled, unavailable, answered");
    for r in &reqs {
        // The test server rejects a reused nonce, so each attempt was signed afresh.
        assert_eq!(r.signature, Ok(KEYS[0].0.to_owned()));
    }

    let refusals = TestServer::start(|_, _| {
        Reply::json(
            403,
            r#"{"RequestId":"N-1","Code":"NoPermission","Message":"not authorized"}"#,
        )
    })
    .await;
    let text = assume_role_error(refusals.url()).await;
    assert_eq!(refusals.requests().len(), 1, "{text}");
    assert!(text.contains("Code NoPermission"), "{text}");

    // Throttled on every attempt: the last answer is reported, with the attempts made.
    let throttled = TestServer::start(|_, _| {
        Reply::json(400, r#"{"RequestId":"T-9","Code":"Throttling"}"#)
            .with_header("x-acs-retry-after", "1")
    })
    .await;
    let text = assume_role_error(throttled.url()).await;
    assert_eq!(throttled.requests().len(), 3, "{text}");
    assert!(
        text.contains("Code Throttling") && text.contains("attempt 3 of 3"),
        "{text}"
    );

    // Retries turned off for the session: one request, the throttling reported as is.
    let text = AssumeRoleProvider::new(
        RoleSession::new(ROLE)
            .with_sts_endpoint(throttled.url())
            .with_retry(RetryConfig::disabled()),
        source_key(),
    )
    .unwrap()
    .provide()
    .await
    .unwrap_err()
    .to_string();
    assert_eq!(throttled.requests().len(), 4, "{text}");
    assert!(!text.contains("attempt"), "{text}");
}

#[tokio::test]
async fn credentials_near_expiry_are_assumed_again() {
    // Two minutes left: inside the 180 s refresh margin, so each use asks STS again.
    let soon = time::OffsetDateTime::now_utc() + time::Duration::seconds(120);
    let soon = soon
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let soon: &'static str = Box::leak(soon.into_boxed_str());
    let server = sts_and_service(soon).await;
    let provider = AssumeRoleProvider::new(
        RoleSession::new(ROLE).with_sts_endpoint(server.url()),
        source_key(),
    )
    .unwrap();
    let config = Config::builder()
        .credentials_provider(provider)
        .build()
        .unwrap();
    config.resolve_credentials().await.unwrap();
    config.resolve_credentials().await.unwrap();
    assert_eq!(server.requests().len(), 2);
    let nonces: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap().to_owned())
        .collect();
    assert_ne!(nonces[0], nonces[1]);
}

/// A subscriber that writes every span field and event as a line of text.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
}

struct Line<'a>(&'a mut String);

impl tracing::field::Visit for Line<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn Debug) {
        let _ = write!(self.0, " {field}={value:?}");
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}:", span.metadata().name());
        span.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
        tracing::span::Id::from_u64(self.next.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = "record:".to_owned();
        values.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = "event:".to_owned();
        event.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn no_secret_reaches_tracing_output() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = sts_and_service("2099-01-01T00:00:00Z").await;
    let token = TempFile::new("oidc-token-never-logged");
    let oidc = OidcRoleProvider::new(
        RoleSession::new(ROLE).with_sts_endpoint(server.url()),
        "acs:ram::1:oidc-provider/p",
        &token.0,
    )
    .unwrap();
    let role = AssumeRoleProvider::new(
        RoleSession::new(ROLE).with_sts_endpoint(server.url()),
        source_key(),
    )
    .unwrap();
    call_with(oidc, &server).await;
    call_with(role, &server).await;
    assert_eq!(server.requests().len(), 4);
    let lines = capture.lines.lock().unwrap().join("\n");
    assert!(lines.contains("StartApsJob"), "the capture works: {lines}");
    for secret in [KEYS[0].1, STS_SECRET, STS_TOKEN, "oidc-token-never-logged"] {
        assert!(!lines.contains(secret), "{secret} in {lines}");
    }
}

async fn call_with(provider: impl ProvideCredentials + 'static, server: &TestServer) {
    let config = Config::builder()
        .credentials_provider(provider)
        .endpoint_url(server.url())
        .build()
        .unwrap();
    Client::new(&config, &op::SERVICE)
        .call(&op::small_request())
        .await
        .unwrap();
}
