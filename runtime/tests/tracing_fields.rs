//! The per-call tracing span carries action, attempt, status and RequestId, and no secret
//! reaches tracing output. A minimal subscriber records every span field and event.

mod support;

use alibabacloud_runtime::{self as rt, Config, Credentials, RetryConfig};
use std::fmt::{Debug, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::op::*;
use support::{Reply, TestServer};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
}

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {field}={value:?}");
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {}:", span.metadata().name());
        span.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
        Id::from_u64(self.next.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = "record:".to_owned();
        values.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = "event:".to_owned();
        event.record(&mut Line(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn span_records_attempts_status_and_request_id_without_secrets() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = TestServer::start(|_, i| match i {
        0 => Reply::json(
            503,
            r#"{"RequestId":"REQ-503","Code":"ServiceUnavailable"}"#,
        ),
        _ => {
            Reply::json(200, r#"{"RequestId":"REQ-OK"}"#).with_header("x-acs-request-id", "REQ-OK")
        }
    })
    .await;
    let config = Config::builder()
        .credentials(
            Credentials::new("STS.test-ak", "sts-test-sk")
                .with_security_token("token-never-logged"),
        )
        .endpoint_url(server.url())
        .retry(RetryConfig::new().with_base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    rt::Client::new(&config, &SERVICE)
        .call(&request())
        .await
        .unwrap();

    let lines = capture.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    let span = lines
        .iter()
        .find(|l| l.starts_with("span alibabacloud.call:"))
        .expect("call span");
    assert!(
        span.contains("action=\"CreateDISyncTask\"")
            && span.contains("product=\"dataworks-public\""),
        "{span}"
    );
    for expected in [
        "record: attempt=1",
        "record: status=503",
        "record: request_id=\"REQ-503\"",
        "record: attempt=2",
        "record: status=200",
        "record: request_id=\"REQ-OK\"",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "missing {expected:?} in\n{all}"
        );
    }
    for secret in ["sts-test-sk", "token-never-logged", "p@ss word+1", "p%40ss"] {
        assert!(
            !all.contains(secret),
            "{secret} leaked into tracing:\n{all}"
        );
    }
}
