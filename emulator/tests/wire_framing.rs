//! Framing on the wire, read from the raw request bytes (reference §2.3): a request whose
//! method may carry a body always carries `Content-Length` (`0` without a body) and is never
//! chunked, as the official SDKs send it. A plain TCP listener reads the bytes, so nothing
//! between the client and the assertion can add or normalise a header.

use alibabacloud_dataworks_public20200518 as dataworks;
use alibabacloud_rds20140815 as rds;
use alibabacloud_runtime::{Config, Credentials, RetryConfig};
use tokio::net::TcpListener;

mod support;
use support::raw_server::{Answer, RawRequest, capture_one};

async fn listener_and_config() -> (TcpListener, Config) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = Config::builder()
        .credentials(Credentials::new("test-ak", "test-sk"))
        .region("cn-hangzhou")
        .endpoint_url(format!("http://{}", listener.local_addr().unwrap()))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (listener, config)
}

fn assert_framed(raw: &RawRequest, expected_length: usize) {
    assert!(
        raw.request_line.starts_with("POST /?"),
        "{}",
        raw.request_line
    );
    assert_eq!(
        raw.headers_named("content-length"),
        [expected_length.to_string().as_str()],
        "exactly one Content-Length: {:?}",
        raw.headers
    );
    assert!(
        raw.headers_named("transfer-encoding").is_empty(),
        "never chunked: {:?}",
        raw.headers
    );
    assert_eq!(raw.body.len(), expected_length);
}

#[tokio::test]
async fn a_query_only_post_carries_content_length_zero() {
    let (listener, config) = listener_and_config().await;
    let server = tokio::spawn(capture_one(
        listener,
        Answer::json(r#"{"RequestId":"r-1","TaskId":1}"#),
    ));
    let out = rds::Client::new(&config)
        .create_replication_link()
        .db_instance_id("pgm-1")
        .dry_run(true)
        .target_address("10.0.0.1") // only the metadata has it; the official SDK sends it
        .send()
        .await
        .unwrap();
    assert_eq!(out.task_id, Some(1));
    let raw = server.await.unwrap();
    assert_framed(&raw, 0);
    assert!(
        raw.headers_named("content-type").is_empty(),
        "no body, no type"
    );
    assert!(raw.request_line.contains("DBInstanceId=pgm-1"));
    assert!(raw.request_line.contains("TargetAddress=10.0.0.1"));
}

#[tokio::test]
async fn a_form_post_carries_the_length_of_its_body() {
    let (listener, config) = listener_and_config().await;
    let server = tokio::spawn(capture_one(
        listener,
        Answer::json(r#"{"RequestId":"r-2","Success":true}"#),
    ));
    dataworks::Client::new(&config)
        .create_di_sync_task()
        .project_id(1)
        .task_type("DI_REALTIME")
        .task_content(r#"{"type":"job"}"#)
        .task_param(r#"{"FileFolderPath":"a/b"}"#)
        .task_name("t & u")
        .send()
        .await
        .unwrap();
    let raw = server.await.unwrap();
    let form = std::str::from_utf8(&raw.body).unwrap();
    assert!(form.contains("TaskContent="), "{form}");
    assert_framed(&raw, form.len());
    assert_eq!(
        raw.headers_named("content-type"),
        ["application/x-www-form-urlencoded"]
    );
}
