//! The emulator serving the non-RPC styles over real HTTP (ROA: cs; FC: fc), with requests
//! built and signed by hand here (the runtime's signer supplies only the HMAC and hashing),
//! so that nothing of the generated cs and fc crates is needed: routing by method and path
//! template, the canonical URI exactly as sent, JSON, array and binary bodies, header
//! parameters, answers of every root, error spellings, unsigned operations, and the
//! catalog served in one command.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use alibabacloud_emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, Emulator, Place};
use alibabacloud_runtime::{encoding, sign};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

const CS: &str = "2015-12-15";
const FC: &str = "2023-03-30";

/// A request of a non-RPC style, as the official SDK sends it (styles reference §1).
#[derive(Clone, Debug)]
struct Roa {
    method: &'static str,
    action: Option<String>,
    version: Option<String>,
    /// The path exactly as sent (values already percent-encoded).
    path: String,
    query: Vec<(String, String)>,
    /// Header parameters (`x-fc-invocation-type`, ...).
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    content_type: Option<&'static str>,
    secret: String,
    /// Send no Authorization header at all.
    unsigned: bool,
    /// Sign every header sent, as the Python core does (else host, content-type and
    /// `x-acs-*` only, as the Go core does).
    sign_all: bool,
    /// Sign this path instead of the one sent (to show that the canonical URI must be
    /// the path as sent).
    signed_path: Option<String>,
    /// Header values changed after signing (as a proxy could).
    after_signing: Vec<(String, String)>,
}

impl Roa {
    fn new(method: &'static str, action: &str, version: &str, path: &str) -> Self {
        Self {
            method,
            action: Some(action.into()),
            version: Some(version.into()),
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Vec::new(),
            content_type: None,
            secret: DEFAULT_ACCESS_KEY_SECRET.into(),
            unsigned: false,
            sign_all: false,
            signed_path: None,
            after_signing: Vec::new(),
        }
    }

    fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn json(mut self, body: &Value) -> Self {
        // Compact and not ASCII-escaped, as the official SDKs send JSON (§1.5).
        self.body = serde_json::to_vec(body).unwrap();
        self.content_type = Some("application/json; charset=utf-8");
        self
    }

    fn bytes(mut self, body: &[u8]) -> Self {
        self.body = body.to_vec();
        self.content_type = Some("application/octet-stream");
        self
    }
}

/// A path value encoded as the SDKs encode it (`/` → `%2F`, `*` → `%2A`).
fn pe(value: &str) -> String {
    encoding::percent_encode(value)
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    bytes: Vec<u8>,
    body: Value,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |v| v.to_str().unwrap_or_default())
    }

    /// (status, code) of an error body in Pascal case.
    fn error(&self) -> (u16, &str) {
        for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
            assert!(
                self.body.get(key).is_some(),
                "{key} missing: {}",
                self.text()
            );
        }
        assert_eq!(self.body["RequestId"], self.header("x-acs-request-id"));
        (self.status, self.body["Code"].as_str().unwrap_or_default())
    }
}

fn http() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
            reqwest::Client::builder().build().expect("http client")
        })
        .clone()
}

fn now_iso() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    time::OffsetDateTime::from_unix_timestamp(secs as i64)
        .unwrap()
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap()
}

async fn send(base_url: &str, roa: &Roa) -> Answer {
    let mut sorted = roa.query.clone();
    encoding::sort_pairs(&mut sorted);
    let canonical_query = encoding::canonical_query(&sorted);
    let body_hash = sign::sha256_hex(&roa.body);
    let host = base_url.trim_start_matches("http://").to_owned();
    let mut headers: Vec<(String, String)> = vec![("host".into(), host)];
    if let Some(action) = &roa.action {
        headers.push(("x-acs-action".into(), action.clone()));
    }
    if let Some(version) = &roa.version {
        headers.push(("x-acs-version".into(), version.clone()));
    }
    headers.extend([
        ("x-acs-date".to_owned(), now_iso()),
        (
            "x-acs-signature-nonce".to_owned(),
            uuid::Uuid::new_v4().simple().to_string(),
        ),
        ("x-acs-content-sha256".to_owned(), body_hash.clone()),
        ("accept".to_owned(), "application/json".to_owned()),
    ]);
    if let Some(content_type) = roa.content_type {
        headers.push(("content-type".into(), content_type.into()));
    }
    headers.extend(roa.headers.iter().cloned());
    let signed_path = roa.signed_path.as_deref().unwrap_or(&roa.path);
    let authorization = if roa.sign_all {
        let mut lower: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        lower.sort();
        let canonical_headers: String = lower.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
        let signed_headers = lower
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let canonical = format!(
            "{}\n{signed_path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{body_hash}",
            roa.method
        );
        let signature = sign::signature(&roa.secret, &sign::string_to_sign(&canonical));
        sign::authorization(DEFAULT_ACCESS_KEY_ID, &signed_headers, &signature)
    } else {
        sign::sign(
            DEFAULT_ACCESS_KEY_ID,
            &roa.secret,
            roa.method,
            signed_path,
            &canonical_query,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &body_hash,
        )
        .authorization
    };
    let mut url = format!("{base_url}{}", roa.path);
    if !roa.query.is_empty() {
        // Form encoding on the wire (`+` for a space), as the Python SDK sends it.
        url.push('?');
        url.push_str(&encoding::form_body(&roa.query));
    }
    let method = reqwest::Method::from_bytes(roa.method.as_bytes()).unwrap();
    let mut request = http().request(method, &url).body(roa.body.clone());
    for (name, value) in &headers {
        let value = roa
            .after_signing
            .iter()
            .find(|(n, _)| n == name)
            .map_or(value, |(_, v)| v);
        if name != "host" {
            request = request.header(name.as_str(), value.as_str());
        }
    }
    if !roa.unsigned {
        request = request.header("authorization", authorization);
    }
    let response = request.send().await.expect("the emulator answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap().to_vec();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        bytes,
        body,
    }
}

fn spec(product: &str, version: &str, action: &str) -> Value {
    let path = alibabacloud_emulator::default_specs_dir()
        .expect("run inside the workspace")
        .join(product)
        .join(version)
        .join(format!("{action}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The first JSON success sample of a spec.
fn sample(spec: &Value) -> Value {
    let body = spec["samples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["format"] == "json" && s["error"] != true)
        .unwrap()["body"]
        .as_str()
        .unwrap();
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn describe_cluster_detail_signs_and_routes_the_path_as_sent() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let id = "c-a b/c*d";
    let path = format!("/clusters/{}", pe(id));
    assert_eq!(path, "/clusters/c-a%20b%2Fc%2Ad");
    let call = Roa::new("GET", "DescribeClusterDetail", CS, &path);
    for sign_all in [false, true] {
        let answer = send(
            &url,
            &Roa {
                sign_all,
                ..call.clone()
            },
        )
        .await;
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert_eq!(
            answer.header("content-type"),
            "application/json;charset=utf-8"
        );
        assert_eq!(answer.header("x-acs-request-id").len(), 36);
        assert_eq!(
            answer.body,
            sample(&spec("cs", CS, "DescribeClusterDetail")),
            "verbatim: the response declares no request id member"
        );
    }
    let logged = emulator.calls().pop().unwrap();
    assert_eq!(
        (logged.action.as_str(), logged.version.as_str()),
        ("DescribeClusterDetail", CS)
    );
    let param = &logged.params[0];
    assert_eq!(
        (param.name.as_str(), param.place, param.value.as_str()),
        ("ClusterId", Place::Path, id),
        "the value is decoded after the path is split"
    );

    // A `%2A` is what the SDKs send for `*`; an unencoded `*` is another canonical URI.
    let answer = send(
        &url,
        &Roa::new(
            "GET",
            "DescribeClusterDetail",
            CS,
            "/clusters/c82e%2A%2A%2A%2A",
        ),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(emulator.calls().pop().unwrap().params[0].value, "c82e****");

    // Signing the decoded path instead of the path sent does not verify.
    let wrong_uri = Roa {
        signed_path: Some("/clusters/c-a b/c*d".into()),
        ..call.clone()
    };
    let answer = send(&url, &wrong_uri).await;
    assert_eq!(answer.error(), (400, "SignatureDoesNotMatch"));
    assert!(
        answer.body["Message"]
            .as_str()
            .unwrap()
            .contains("Server string to sign is"),
        "{}",
        answer.text()
    );
}

#[tokio::test]
async fn a_bad_signature_or_none_is_refused() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let call = Roa::new("GET", "DescribeClusterDetail", CS, "/clusters/c-1");
    let wrong_secret = Roa {
        secret: "not-the-secret".into(),
        ..call.clone()
    };
    assert_eq!(
        send(&url, &wrong_secret).await.error(),
        (400, "SignatureDoesNotMatch")
    );
    let unsigned = Roa {
        unsigned: true,
        ..call.clone()
    };
    assert_eq!(
        send(&url, &unsigned).await.error(),
        (400, "IncompleteSignature")
    );
    // A header parameter signed by the client and changed on the way is caught too.
    let mut tampered = Roa::new(
        "POST",
        "InvokeFunction",
        FC,
        "/2023-03-30/functions/f/invocations",
    )
    .header("x-fc-invocation-type", "Sync")
    .bytes(b"x");
    tampered.sign_all = true;
    assert_eq!(send(&url, &tampered).await.status, 200);
    tampered.after_signing = vec![("x-fc-invocation-type".into(), "Async".into())];
    assert_eq!(
        send(&url, &tampered).await.error(),
        (400, "SignatureDoesNotMatch")
    );
    // So is a body changed on the way (its hash no longer matches).
    let mut body = Roa::new("POST", "CreateCluster", CS, "/clusters")
        .json(&json!({"name": "n", "region_id": "r"}));
    body.after_signing = vec![(
        "x-acs-content-sha256".into(),
        sign::sha256_hex(b"something else"),
    )];
    assert_eq!(
        send(&url, &body).await.error(),
        (400, "SignatureDoesNotMatch")
    );
}

#[tokio::test]
async fn wrong_method_or_path_is_not_found() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let answer = send(
        &url,
        &Roa::new("DELETE", "DescribeClusterDetail", CS, "/clusters/c-1"),
    )
    .await;
    assert_eq!(answer.error(), (404, "InvalidApi.NotFound"));
    let message = answer.body["Message"].as_str().unwrap();
    assert!(
        message.contains("GET /clusters/{ClusterId}") && message.contains("DELETE /clusters/c-1"),
        "{message}"
    );
    let answer = send(
        &url,
        &Roa::new("GET", "DescribeClusterDetail", CS, "/clusters/c-1/extra"),
    )
    .await;
    assert_eq!(answer.error(), (404, "InvalidApi.NotFound"));
    let answer = send(&url, &Roa::new("GET", "NoSuchAction", CS, "/clusters/c-1")).await;
    assert_eq!(answer.error(), (404, "InvalidApi.NotFound"));
    // Routing happens before the signature is checked: nothing is logged as served.
    assert!(emulator.calls().iter().all(|c| c.status == 404));
}

#[tokio::test]
async fn create_cluster_checks_the_nested_json_body() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let body = json!({
        "name": "my cluster 中",
        "region_id": "cn-beijing",
        "cluster_type": "ManagedKubernetes",
        "deletion_protection": true,
        "tags": [{"key": "env", "value": "prod"}],
        "runtime": {"name": "containerd", "version": "1.6.20"},
        "audit_log_config": {"enabled": true},
        "worker_data_disks": [{"category": "cloud_essd", "size": "120"}],
        "master_count": 3,
        "not_in_the_spec": {"tolerated": true}
    });
    let call = Roa::new("POST", "CreateCluster", CS, "/clusters").json(&body);
    let answer = send(&url, &call).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let request_id = answer.header("x-acs-request-id").to_owned();
    let mut expected = sample(&spec("cs", CS, "CreateCluster"));
    assert_ne!(expected["request_id"], request_id.as_str());
    expected["request_id"] = request_id.clone().into();
    assert_eq!(answer.body, expected, "cs spells its request id request_id");
    let logged = emulator.calls().pop().unwrap();
    let sent = logged.param("body").unwrap();
    assert_eq!(serde_json::from_str::<Value>(sent).unwrap(), body);

    for (broken, code, needle) in [
        (json!({"name": "n"}), "MissingParameter", "\"region_id\""),
        (
            json!({"name": "n", "region_id": "r", "worker_data_disks": [{"category": "c"}]}),
            "MissingParameter",
            "\"worker_data_disks.1.size\"",
        ),
        (
            json!({"name": 5, "region_id": "r"}),
            "InvalidParameter",
            "expected a string, got 5",
        ),
        (
            json!({"name": "n", "region_id": "r", "master_count": "three"}),
            "InvalidParameter",
            "\"master_count\"",
        ),
        (
            json!({"name": "n", "region_id": "r", "tags": {"key": "v"}}),
            "InvalidParameter",
            "expected a JSON array",
        ),
        (
            json!({"name": "n", "region_id": "r", "runtime": {"name": true}}),
            "InvalidParameter",
            "\"runtime.name\"",
        ),
    ] {
        let answer = send(
            &url,
            &Roa::new("POST", "CreateCluster", CS, "/clusters").json(&broken),
        )
        .await;
        assert_eq!(answer.error(), (400, code), "{broken}: {}", answer.text());
        let message = answer.body["Message"].as_str().unwrap();
        assert!(message.contains(needle), "{broken}: {message}");
    }
    // Not JSON at all, and no body at all.
    let mut not_json = call.clone();
    not_json.body = b"{\"name\":".to_vec();
    let answer = send(&url, &not_json).await;
    assert_eq!(answer.error(), (400, "InvalidParameter"));
    assert!(
        answer.text().contains("not valid JSON"),
        "{}",
        answer.text()
    );
    let answer = send(&url, &Roa::new("POST", "CreateCluster", CS, "/clusters")).await;
    assert_eq!(
        answer.error(),
        (400, "MissingParameter"),
        "{}",
        answer.text()
    );
}

#[tokio::test]
async fn delete_cluster_takes_json_style_query_values() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let call = Roa::new("DELETE", "DeleteCluster", CS, "/clusters/c82e%2A%2A%2A%2A")
        .query("keep_slb", "true")
        .query("retain_resources", r#"["sg-1","lb 2"]"#)
        .query(
            "delete_options",
            r#"[{"delete_mode":"delete","resource_type":"SLB"}]"#,
        );
    let answer = send(&url, &call).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.body["request_id"], answer.header("x-acs-request-id"));
    let logged = emulator.calls().pop().unwrap();
    assert_eq!(logged.param("retain_resources"), Some(r#"["sg-1","lb 2"]"#));
    assert_eq!(logged.param("ClusterId"), Some("c82e****"));
    assert!(logged.unknown.is_empty(), "{:?}", logged.unknown);

    for (name, value, needle) in [
        ("keep_slb", "maybe", "a boolean"),
        ("retain_resources", "sg-1,lb-2", "not valid JSON"),
        (
            "delete_options",
            r#"[{"delete_mode":1}]"#,
            "\"delete_options.1.delete_mode\"",
        ),
    ] {
        let answer = send(
            &url,
            &Roa::new("DELETE", "DeleteCluster", CS, "/clusters/c-1").query(name, value),
        )
        .await;
        assert_eq!(answer.error(), (400, "InvalidParameter"), "{name}={value}");
        let message = answer.body["Message"].as_str().unwrap();
        assert!(message.contains(needle), "{name}={value}: {message}");
    }
}

#[tokio::test]
async fn modify_cluster_tags_takes_an_array_body() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let path = "/clusters/c-1/tags";
    let tags = json!([{"key": "env", "value": "prod"}, {"key": "team", "value": "中文"}]);
    let answer = send(
        &url,
        &Roa::new("POST", "ModifyClusterTags", CS, path).json(&tags),
    )
    .await;
    let spec = spec("cs", CS, "ModifyClusterTags");
    if spec["response"].get("type").is_none() {
        assert_eq!(answer.status, 204, "{}", answer.text());
        assert!(answer.bytes.is_empty());
    } else {
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert_eq!(answer.body, sample(&spec));
    }
    for broken in [json!({"key": "env"}), json!([{"key": 1}]), json!(["env"])] {
        let answer = send(
            &url,
            &Roa::new("POST", "ModifyClusterTags", CS, path).json(&broken),
        )
        .await;
        assert_eq!(answer.error(), (400, "InvalidParameter"), "{broken}");
    }
}

#[tokio::test]
async fn invoke_function_takes_and_answers_bytes_with_header_parameters() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let payload = b"{\"key\":\"value\"}\n\x00\xff binary tail";
    let mut call = Roa::new(
        "POST",
        "InvokeFunction",
        FC,
        "/2023-03-30/functions/my-function/invocations",
    )
    .query("qualifier", "LATEST")
    .header("x-fc-invocation-type", "Sync")
    .header("x-fc-log-type", "Tail")
    .bytes(payload);
    // The Python core signs the x-fc-* headers too.
    call.sign_all = true;
    let answer = send(&url, &call).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("content-type"), "application/octet-stream");
    assert_eq!(answer.bytes, b"response", "the spec's sample, as bytes");
    assert_eq!(
        answer.header("x-fc-request-id"),
        answer.header("x-acs-request-id")
    );
    let logged = emulator.calls().pop().unwrap();
    assert_eq!(logged.param("x-fc-invocation-type"), Some("Sync"));
    assert_eq!(logged.param("functionName"), Some("my-function"));
    assert_eq!(logged.param("qualifier"), Some("LATEST"));
    assert_eq!(
        logged.param("body"),
        Some(format!("<{} bytes>", payload.len()).as_str())
    );
    // Signed as the Go core signs (x-fc-* left out): verifies too.
    call.sign_all = false;
    assert_eq!(send(&url, &call).await.status, 200);
}

#[tokio::test]
async fn delete_function_answers_as_its_spec_declares() {
    let emulator = Emulator::builder().start().await.unwrap();
    let answer = send(
        &emulator.base_url(),
        &Roa::new(
            "DELETE",
            "DeleteFunction",
            FC,
            "/2023-03-30/functions/my-function",
        ),
    )
    .await;
    let spec = spec("fc", FC, "DeleteFunction");
    if spec["response"].get("type").is_none() {
        assert_eq!(answer.status, 204);
        assert!(answer.bytes.is_empty());
        assert_eq!(answer.header("content-type"), "");
    } else {
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert_eq!(answer.body, sample(&spec));
    }
    assert_eq!(answer.header("x-acs-request-id").len(), 36);
}

/// A spec tree of one product with hand-written operations, in a fresh directory.
fn demo_tree(name: &str, operations: &[Value]) -> PathBuf {
    let root = std::env::temp_dir().join(format!(
        "emulator-roa-{name}-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let dir = root.join("demo").join("2024-01-01");
    std::fs::create_dir_all(&dir).unwrap();
    let product = json!({
        "code": "demo", "version": "2024-01-01", "title": "Demo", "style": "ROA",
        "crate_name": "alibabacloud-demo20240101",
        "endpoints": {"rule": "regional", "product_id": "demo", "regions": {"cn-hangzhou": "demo.cn-hangzhou.aliyuncs.com"}}
    });
    std::fs::write(dir.join("product.json"), product.to_string()).unwrap();
    for op in operations {
        let action = op["action"].as_str().unwrap();
        std::fs::write(dir.join(format!("{action}.json")), op.to_string()).unwrap();
    }
    root
}

#[tokio::test]
async fn a_204_anonymous_calls_path_routing_and_lowercase_errors() {
    let root = demo_tree(
        "misc",
        &[
            json!({
                "action": "DeleteThing", "summary": "s", "source": {}, "methods": ["delete"],
                "path": "/things/{ThingId}",
                "request": [{"name": "ThingId", "type": "integer", "in": "path", "required": true}],
                "response": {}
            }),
            json!({
                "action": "GetPublicThing", "summary": "s", "source": {}, "methods": ["get"],
                "path": "/public/things/{ThingId}", "security": ["Anonymous"],
                "request": [
                    {"name": "ThingId", "type": "string", "in": "path", "required": true},
                    {"name": "lang", "type": "string", "in": "query", "required": true}
                ],
                "response": {"type": "object", "properties": [{"name": "requestId", "type": "string"}, {"name": "name", "type": "string", "example": "n"}]},
                "samples": [
                    {"format": "json", "body": "{\"code\": \"Thing.NotFound\", \"message\": \"no\", \"requestId\": \"r\"}", "error": true}
                ]
            }),
        ],
    );
    let emulator = Emulator::builder().specs(&root).start().await.unwrap();
    let url = emulator.base_url();

    // No response type: an empty 204.
    let answer = send(
        &url,
        &Roa::new("DELETE", "DeleteThing", "2024-01-01", "/things/12"),
    )
    .await;
    assert_eq!(answer.status, 204, "{}", answer.text());
    assert!(answer.bytes.is_empty());
    // A path parameter is typed.
    let answer = send(
        &url,
        &Roa::new("DELETE", "DeleteThing", "2024-01-01", "/things/x"),
    )
    .await;
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert_eq!(
        answer.body["code"], "InvalidParameter",
        "the product spells errors in lower case"
    );
    assert_eq!(answer.body["requestId"], answer.header("x-acs-request-id"));
    assert!(answer.body.get("Code").is_none());

    // Anonymous: no Authorization needed, and a synthesized answer with its request id.
    let public = Roa {
        unsigned: true,
        ..Roa::new("GET", "GetPublicThing", "2024-01-01", "/public/things/t-1").query("lang", "en")
    };
    let answer = send(&url, &public).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.body,
        json!({"requestId": answer.header("x-acs-request-id"), "name": "n"})
    );
    // Without x-acs-action and x-acs-version: routed by method and path alone.
    let bare = Roa {
        action: None,
        version: None,
        ..public.clone()
    };
    let answer = send(&url, &bare).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(emulator.calls().pop().unwrap().action, "GetPublicThing");
    let answer = send(
        &url,
        &Roa {
            method: "POST",
            ..bare.clone()
        },
    )
    .await;
    assert_eq!(
        (answer.status, answer.body["code"].as_str()),
        (404, Some("InvalidApi.NotFound"))
    );
    let answer = send(
        &url,
        &Roa {
            path: "/nowhere".into(),
            ..bare.clone()
        },
    )
    .await;
    assert_eq!(answer.status, 404);
    // Validation still applies to unsigned calls.
    let answer = send(
        &url,
        &Roa {
            query: Vec::new(),
            ..public.clone()
        },
    )
    .await;
    assert_eq!(
        (answer.status, answer.body["code"].as_str()),
        (400, Some("MissingParameter"))
    );

    // Faults apply to these styles too.
    emulator.throttle_next(1);
    let answer = send(&url, &public).await;
    assert_eq!(
        (answer.status, answer.body["code"].as_str()),
        (400, Some("Throttling.User"))
    );
    emulator.mishap_next(alibabacloud_emulator::Mishap::Truncated, 1);
    let answer = send(&url, &public).await;
    assert_eq!(answer.status, 200);
    assert!(serde_json::from_slice::<Value>(&answer.bytes).is_err());
    std::fs::remove_dir_all(&root).unwrap();
}

/// `../shared/catalog` beside the repository, when it is there.
fn shared_catalog() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/catalog");
    if dir.join("elasticsearch/2017-06-13/api-docs.json").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: no catalog at {}", dir.display());
        None
    }
}

#[tokio::test]
async fn the_catalog_is_served_in_one_command() {
    let Some(catalog) = shared_catalog() else {
        return;
    };
    // Not under specs/: imported when the emulator starts.
    assert!(
        !alibabacloud_emulator::default_specs_dir()
            .unwrap()
            .join("elasticsearch")
            .exists()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_alibabacloud-emulator"))
        .args(["--port", "0", "--catalog"])
        .arg(&catalog)
        .args(["--only", "elasticsearch/2017-06-13"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("alibabacloud-emulator listening on ")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_owned();
    let call = Roa::new(
        "GET",
        "ListDataStreams",
        "2017-06-13",
        &format!(
            "/openapi/instances/{}/data-streams",
            pe("es-cn-n6w1o1x0w001c****")
        ),
    );
    let answer = send(&url, &call).await;
    let wrong_method = send(
        &url,
        &Roa {
            method: "DELETE",
            ..call.clone()
        },
    )
    .await;
    let cs_not_served = send(
        &url,
        &Roa::new("GET", "DescribeClusterDetail", CS, "/clusters/c-1"),
    )
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.body["RequestId"], answer.header("x-acs-request-id"));
    assert!(answer.body.get("Result").is_some(), "{}", answer.text());
    assert_eq!(wrong_method.error(), (404, "InvalidApi.NotFound"));
    assert_eq!(cs_not_served.error(), (404, "InvalidApi.NotFound"));
}

#[tokio::test]
async fn the_whole_catalog_serves_every_v3_signed_style_and_skips_own_signatures() {
    let Some(catalog) = shared_catalog() else {
        return;
    };
    let emulator = Emulator::builder()
        .catalog(&catalog)
        .only("cs/2015-12-15")
        .only("sls/2020-12-30")
        .only("oss/2019-05-17")
        .start()
        .await
        .unwrap();
    assert!(
        emulator.operation_count() >= 120,
        "{}",
        emulator.operation_count()
    );
    let skipped = emulator.skipped_products().join("\n");
    assert!(
        skipped.contains("sls 2020-12-30") && skipped.contains("oss 2019-05-17"),
        "{skipped}"
    );
    // The catalog's cs, not the repository's specs, answers.
    let answer = send(
        &emulator.base_url(),
        &Roa::new("GET", "DescribeClusterDetail", CS, "/clusters/c-1"),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let unknown = Emulator::builder()
        .catalog(&catalog)
        .only("nope/2020-01-01")
        .start()
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("nope/2020-01-01"), "{unknown}");
}

/// A JSON value of a schema with its required members (recursively), each of its type.
fn required_json(
    field: &alibabacloud_codegen::spec::Field,
    schemas: &std::collections::BTreeMap<String, alibabacloud_codegen::spec::Field>,
    depth: usize,
) -> Value {
    use alibabacloud_codegen::spec::FieldType;
    let mut field = field;
    while let (None, Some(name)) = (&field.ty, &field.reference) {
        match schemas.get(name) {
            Some(target) => field = target,
            None => break,
        }
    }
    let example = field.example.clone().unwrap_or_default();
    match field.ty {
        Some(FieldType::Object) if depth < 16 => Value::Object(
            field
                .properties
                .as_deref()
                .unwrap_or_default()
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    (
                        p.name.clone().unwrap_or_default(),
                        required_json(p, schemas, depth + 1),
                    )
                })
                .collect(),
        ),
        Some(FieldType::Object) => json!({}),
        Some(FieldType::Array) => json!([]),
        Some(FieldType::Integer | FieldType::Long) => json!(example.parse::<i32>().unwrap_or(1)),
        Some(FieldType::Boolean) => json!(true),
        Some(FieldType::Number | FieldType::Double | FieldType::Float) => json!(1.5),
        _ => Value::String(if example.is_empty() {
            "x".into()
        } else {
            example
        }),
    }
}

/// A scalar's text for a path, query or header value.
fn scalar_text(field: &alibabacloud_codegen::spec::Field) -> String {
    use alibabacloud_codegen::spec::FieldType;
    match field.ty {
        Some(FieldType::Integer | FieldType::Long) => "1".into(),
        Some(FieldType::Boolean) => "true".into(),
        Some(FieldType::Number | FieldType::Double | FieldType::Float) => "1.5".into(),
        _ => field
            .example
            .clone()
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| "x-1".into()),
    }
}

#[tokio::test]
async fn every_non_rpc_operation_in_the_specs_answers_a_minimal_valid_call() {
    use alibabacloud_codegen::spec::{ApiStyle, FieldType, HttpMethod, Location, ParamStyle};
    let specs = alibabacloud_emulator::default_specs_dir().expect("run inside the workspace");
    let tree = alibabacloud_codegen::load::load_tree(&specs).unwrap();
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let mut served = 0;
    for product in tree
        .products
        .iter()
        .filter(|p| p.product.style != ApiStyle::Rpc)
    {
        let schemas = &product.product.schemas;
        let version = &product.product.version;
        for op in &product.operations {
            let method = if op.methods.contains(&HttpMethod::Post) {
                "POST"
            } else {
                match op.methods.first() {
                    Some(HttpMethod::Put) => "PUT",
                    Some(HttpMethod::Delete) => "DELETE",
                    Some(HttpMethod::Patch) => "PATCH",
                    Some(HttpMethod::Head) => "HEAD",
                    _ => "GET",
                }
            };
            let template = op.path.split('?').next().unwrap_or_default();
            let mut path = template.to_owned();
            let mut call = Roa::new(method, &op.action, version, "/");
            for param in &op.request {
                let name = param.name.as_deref().unwrap_or_default();
                match param.location {
                    Some(Location::Path) => {
                        path = path.replace(&format!("{{{name}}}"), &pe(&scalar_text(param)));
                    }
                    Some(Location::Query) if param.required => {
                        let value = match (param.ty, param.style) {
                            (
                                Some(FieldType::Array | FieldType::Object),
                                Some(ParamStyle::Json),
                            ) => required_json(param, schemas, 0).to_string(),
                            _ => scalar_text(param),
                        };
                        call = call.query(name, &value);
                    }
                    Some(Location::Header) if param.required => {
                        call = call.header(name, &scalar_text(param));
                    }
                    Some(Location::Body) => {
                        let mut resolved = param;
                        while let (None, Some(target)) = (&resolved.ty, &resolved.reference) {
                            resolved = &schemas[target];
                        }
                        call = match resolved.ty {
                            Some(FieldType::Binary | FieldType::String) => call.bytes(b"payload"),
                            _ => call.json(&required_json(param, schemas, 0)),
                        };
                    }
                    _ => {}
                }
            }
            // Placeholders no parameter fills (metadata defects) still need a value.
            while let (Some(open), Some(close)) = (path.find('{'), path.find('}')) {
                path.replace_range(open..=close, "x");
            }
            call.path = path;
            let answer = send(&url, &call).await;
            assert!(
                matches!(answer.status, 200 | 204),
                "{} {} {}: {}",
                op.action,
                call.method,
                call.path,
                answer.text()
            );
            assert_eq!(answer.header("x-acs-request-id").len(), 36, "{}", op.action);
            if answer
                .header("content-type")
                .starts_with("application/json")
            {
                assert_ne!(answer.body, Value::Null, "{}: {}", op.action, answer.text());
            }
            served += 1;
        }
    }
    assert!(served >= 190, "cs and fc at least: {served}");
}
