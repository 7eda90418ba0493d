//! Framing on the wire, read from the raw request bytes (reference §2.3): a request whose
//! method may carry a body always carries `Content-Length` (`0` without a body) and is never
//! chunked, as the official SDKs send it. A plain TCP listener reads the bytes, so nothing
//! between the client and the assertion can add or normalise a header.

use alibabacloud_dataworks_public20200518 as dataworks;
use alibabacloud_rds20140815 as rds;
use alibabacloud_runtime::{Config, Credentials, RetryConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as it arrived: the head's lines and the body bytes.
struct RawRequest {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawRequest {
    fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Accepts one connection, reads one request (a body only as long as `Content-Length` says,
/// so a chunked body would be left unread and fail the assertions), answers `answer` and
/// returns what it read.
async fn capture_one(listener: TcpListener, answer: &'static str) -> RawRequest {
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut buf = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed before the head ended");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = std::str::from_utf8(&buf[..head_end]).unwrap().to_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.to_owned(), v.trim().to_owned())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed inside the body");
        body.extend_from_slice(&chunk[..n]);
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
    stream.write_all(response.as_bytes()).await.unwrap();
    stream.shutdown().await.unwrap();
    RawRequest {
        request_line,
        headers,
        body,
    }
}

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
    let server = tokio::spawn(capture_one(listener, r#"{"RequestId":"r-1","TaskId":1}"#));
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
        r#"{"RequestId":"r-2","Success":true}"#,
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
