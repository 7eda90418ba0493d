//! Paginators and waiters through a real client on loopback: page numbers and item counts
//! read from decoded outputs, a fresh idempotency token per page, and a waiter polling
//! until a status, all signed and checked by the test server.

mod support;

use alibabacloud_runtime::paginate::{self, Cursor, Paging};
use alibabacloud_runtime::waiter::{self, Outcome, StatusMatcher, WaitConfig, WaitError};
use alibabacloud_runtime::{
    self as rt, Config, Credentials, ErrorKind, Location, Method, OperationMeta, ParamMeta,
    RetryConfig, Style,
};
use serde::Serialize;
use std::time::Duration;
use support::op::SERVICE;
use support::{Received, Reply, TestServer};

/// A page-rule list operation with a `ClientToken`, shaped like a generated one.
#[derive(Clone, Debug, Default, Serialize)]
struct ListThings {
    #[serde(rename = "PageNumber", skip_serializing_if = "Option::is_none")]
    page_number: Option<i32>,
    #[serde(rename = "PageSize", skip_serializing_if = "Option::is_none")]
    page_size: Option<i32>,
    #[serde(rename = "ClientToken", skip_serializing_if = "Option::is_none")]
    client_token: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct ListThingsResponse {
    request_id: Option<String>,
    total_count: Option<i64>,
    status: Option<String>,
    things: Option<Vec<String>>,
}

impl rt::Record for ListThingsResponse {
    fn from_fields(fields: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
        Ok(Self {
            request_id: fields.get("RequestId")?,
            total_count: fields.get("TotalCount")?,
            status: fields.get("Status")?,
            things: fields.get("Things")?,
        })
    }
}

/// Documents no code: every error is `Unhandled`, its code read from the error itself.
#[derive(Clone, Copy, Debug)]
struct ListThingsError;

impl ErrorKind for ListThingsError {
    const CODES: &'static [&'static str] = &[];
    const DOCUMENTED: &'static [Self] = &[];
    const UNHANDLED: Self = ListThingsError;
    fn position(&self) -> usize {
        0
    }
}

const fn param(name: &'static str, idempotency_token: bool) -> ParamMeta {
    ParamMeta {
        name,
        location: Location::Query,
        style: Style::Plain,
        idempotency_token,
    }
}

impl rt::Operation for ListThings {
    type Output = ListThingsResponse;
    type Error = ListThingsError;
    const META: &'static OperationMeta = &OperationMeta {
        action: "ListThings",
        auth: rt::Auth::AccessKey,
        operation_type: rt::OperationType::Read,
        method: Method::Post,
        path: "/",
        params: &[
            param("PageNumber", false),
            param("PageSize", false),
            param("ClientToken", true),
        ],
    };
}

/// What the generator will emit for this operation.
const PAGING: Paging<ListThings, ListThingsResponse> = Paging {
    cursor: Cursor::Page {
        first: 1,
        get: |r| r.page_number.and_then(|n| u64::try_from(n).ok()),
        set: |r, n| match i32::try_from(n) {
            Ok(n) => {
                r.page_number = Some(n);
                true
            }
            Err(_) => false,
        },
    },
    items: Some(|o| o.things.as_ref().map_or(0, Vec::len)),
    total: Some(|o| o.total_count.and_then(|n| u64::try_from(n).ok())),
    clear_idempotency_token: Some(|r| r.client_token = None),
    page_size: None,
};

fn client(server: &TestServer) -> rt::Client {
    let config = Config::builder()
        .credentials(Credentials::new("test-ak", "test-sk"))
        .region("cn-hangzhou")
        .endpoint_url(server.url())
        .retry(RetryConfig::disabled())
        .build()
        .expect("config builds");
    rt::Client::new(&config, &SERVICE)
}

/// Seven things served two per page (the caller asked for ten: the service caps it).
fn page_of(r: &Received) -> Reply {
    let page: usize = r.query_value("PageNumber").unwrap().parse().unwrap();
    let things: Vec<String> = (1..=7)
        .skip((page - 1) * 2)
        .take(2)
        .map(|n| format!("\"t{n}\""))
        .collect();
    Reply::json(
        200,
        &format!(
            r#"{{"RequestId":"R{page}","TotalCount":7,"Things":[{}]}}"#,
            things.join(",")
        ),
    )
}

#[tokio::test]
async fn every_page_with_a_fresh_client_token() {
    let server = TestServer::start(|r, _| page_of(r)).await;
    let first = ListThings {
        page_size: Some(10),
        client_token: Some("caller-token".into()),
        ..ListThings::default()
    };
    let things = paginate::paginate(&client(&server), first, PAGING)
        .items_with(|page| page.things.unwrap_or_default())
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(things, ["t1", "t2", "t3", "t4", "t5", "t6", "t7"]);

    let sent = server.requests();
    let pages: Vec<_> = sent.iter().map(|r| r.query_value("PageNumber")).collect();
    assert_eq!(pages, ["1", "2", "3", "4"].map(|p| Some(p.to_owned())));
    assert!(
        sent.iter().all(|r| r.signature.is_ok()),
        "every page signed"
    );
    let tokens: Vec<_> = sent
        .iter()
        .map(|r| r.query_value("ClientToken").expect("a token on every page"))
        .collect();
    assert_eq!(tokens[0], "caller-token");
    for (i, token) in tokens.iter().enumerate().skip(1) {
        assert!(
            !tokens[..i].contains(token),
            "page {} replayed a token",
            i + 1
        );
    }
}

#[tokio::test]
async fn an_error_ends_the_pages_with_the_typed_error() {
    let server = TestServer::start(|r, i| match i {
        0 => page_of(r),
        _ => Reply::json(
            403,
            r#"{"RequestId":"R-E","Code":"Forbidden.RAM","Message":"no"}"#,
        ),
    })
    .await;
    let mut pages = paginate::paginate(&client(&server), ListThings::default(), PAGING);
    assert!(pages.next().await.unwrap().is_ok());
    let error = pages.next().await.unwrap().unwrap_err();
    assert_eq!(error.as_service_error().unwrap().code(), "Forbidden.RAM");
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

const DONE: StatusMatcher<ListThingsResponse> = StatusMatcher {
    status: |o| o.status.as_deref(),
    request_id: Some(|o| o.request_id.as_deref()),
    success: &["Ready"],
    failure: &["Broken"],
    absent: Outcome::Retry,
};

fn status_reply(status: &str, i: usize) -> Reply {
    Reply::json(
        200,
        &format!(r#"{{"RequestId":"W{i}","Status":"{status}"}}"#),
    )
}

#[tokio::test]
async fn a_waiter_polls_until_the_status() {
    let server = TestServer::start(|_, i| match i {
        0 => Reply::json(404, r#"{"RequestId":"W0","Code":"Thing.NotYet"}"#),
        1 | 2 => status_reply("Creating", i),
        _ => status_reply("Ready", i),
    })
    .await;
    let config = WaitConfig::new(Duration::from_millis(5), Duration::from_secs(10));
    let codes = [("Thing.NotYet", Outcome::Retry)];
    let done = waiter::wait_for_operation(
        &client(&server),
        &ListThings::default(),
        &config,
        &DONE,
        &codes,
    )
    .await
    .expect("reaches Ready");
    assert_eq!(done.polls, 4);
    assert_eq!(done.status.as_deref(), Some("Ready"));
    assert_eq!(done.request_id.as_deref(), Some("W3"));
}

#[tokio::test]
async fn a_waiter_reports_a_failure_state() {
    let server = TestServer::start(|_, i| match i {
        0 => status_reply("Creating", i),
        _ => status_reply("Broken", i),
    })
    .await;
    let config = WaitConfig::new(Duration::from_millis(5), Duration::from_secs(10));
    let error = waiter::wait_for_operation(
        &client(&server),
        &ListThings::default(),
        &config,
        &DONE,
        &[],
    )
    .await
    .unwrap_err();
    assert!(matches!(error, WaitError::Failed { polls: 2, .. }));
    let message = error.to_string();
    assert!(
        message.contains("\"Broken\"") && message.contains("RequestId: W1"),
        "{message}"
    );
}
