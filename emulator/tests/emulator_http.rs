//! The emulator over real HTTP, with raw requests signed by the runtime's signer: every
//! operation of the spec tree served, and each way a request can be wrong.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use alibabacloud_codegen::spec::{
    ApiStyle, Field, FieldType, HttpMethod, Location, ParamStyle, SampleFormat,
};
use alibabacloud_emulator::{Emulator, Place, TestKey, Throttle};
use support::{Raw, send};

const RDS: &str = "2014-08-15";
const ADB: &str = "2021-12-01";

/// A valid CreateReplicationLink call (query parameters only).
fn replication_link() -> Raw {
    Raw::new("CreateReplicationLink", RDS)
        .query("DBInstanceId", "pgm-bp1trqb4p1xd****")
        .query("DryRun", "false")
}

/// A valid StartApsJob call (form body only).
fn start_aps_job() -> Raw {
    Raw::new("StartApsJob", ADB)
        .form("RegionId", "cn-hangzhou")
        .form("ApsJobId", "aps-******")
}

/// A value of a scalar's type: the page's example when it parses, else a default.
fn example_value(field: &Field) -> String {
    let example = field.example.clone().unwrap_or_default();
    let ok = match field.ty {
        Some(FieldType::Integer) => example.parse::<i32>().is_ok(),
        Some(FieldType::Long) => example.parse::<i64>().is_ok(),
        Some(FieldType::Boolean) => example == "true" || example == "false",
        Some(FieldType::Number | FieldType::Double | FieldType::Float) => {
            example.parse::<f64>().is_ok()
        }
        _ => true,
    };
    if ok {
        return example;
    }
    match field.ty {
        Some(FieldType::Boolean) => "true".into(),
        Some(FieldType::Number | FieldType::Double | FieldType::Float) => "1.5".into(),
        _ => "1".into(),
    }
}

fn resolve<'a>(field: &'a Field, schemas: &'a BTreeMap<String, Field>) -> &'a Field {
    match (&field.ty, &field.reference) {
        (None, Some(name)) => schemas.get(name).map_or(field, |f| resolve(f, schemas)),
        _ => field,
    }
}

/// A JSON value of a `json`-style parameter: its required members (recursively), each of
/// its type, since the emulator checks the JSON against the schema.
fn json_value(field: &Field, schemas: &BTreeMap<String, Field>) -> serde_json::Value {
    let field = resolve(field, schemas);
    match field.ty {
        Some(FieldType::Object) => serde_json::Value::Object(
            field
                .properties
                .as_deref()
                .unwrap_or_default()
                .iter()
                .filter(|p| p.required)
                .map(|p| (p.name.clone().unwrap_or_default(), json_value(p, schemas)))
                .collect(),
        ),
        Some(FieldType::Array) => serde_json::json!([]),
        Some(FieldType::Integer | FieldType::Long) => serde_json::json!(1),
        Some(FieldType::Boolean) => serde_json::json!(true),
        Some(FieldType::Number | FieldType::Double | FieldType::Float) => serde_json::json!(1.5),
        _ => serde_json::Value::String(example_value(field)),
    }
}

/// Wire pairs for one parameter, flattened as the official SDKs do (reference §2.4).
fn wire_pairs(
    name: &str,
    field: &Field,
    style: Option<ParamStyle>,
    schemas: &BTreeMap<String, Field>,
) -> Vec<(String, String)> {
    let field = resolve(field, schemas);
    match (field.ty, style) {
        (Some(FieldType::Array | FieldType::Object), Some(ParamStyle::Json)) => {
            vec![(name.into(), json_value(field, schemas).to_string())]
        }
        (
            Some(FieldType::Array),
            Some(ParamStyle::Simple | ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited),
        ) => {
            let item = field
                .items
                .as_deref()
                .map_or_else(|| "1".into(), |i| example_value(resolve(i, schemas)));
            vec![(name.into(), item)]
        }
        (Some(FieldType::Array), _) => match field.items.as_deref() {
            Some(items) => wire_pairs(&format!("{name}.1"), items, None, schemas),
            None => vec![(format!("{name}.1"), "1".into())],
        },
        (Some(FieldType::Object), _) => {
            let properties = field.properties.as_deref().unwrap_or_default();
            let mut chosen: Vec<&Field> = properties.iter().filter(|p| p.required).collect();
            if chosen.is_empty() {
                chosen.extend(properties.first());
            }
            if chosen.is_empty() {
                return vec![(format!("{name}.Key"), "1".into())];
            }
            chosen
                .into_iter()
                .flat_map(|p| {
                    wire_pairs(
                        &format!("{name}.{}", p.name.as_deref().unwrap_or("Key")),
                        p,
                        None,
                        schemas,
                    )
                })
                .collect()
        }
        _ => vec![(name.into(), example_value(field))],
    }
}

#[tokio::test]
async fn every_operation_in_the_specs_answers_its_sample_with_a_fresh_request_id() {
    let specs = alibabacloud_emulator::default_specs_dir().expect("run inside the workspace");
    let tree = alibabacloud_codegen::load::load_tree(&specs).unwrap();
    let emulator = Emulator::builder().start().await.unwrap();
    let (mut served, mut skipped) = (0, Vec::new());
    for product in tree
        .products
        .iter()
        .filter(|p| p.product.style == ApiStyle::Rpc)
    {
        let schemas = &product.product.schemas;
        'operations: for op in &product.operations {
            let mut raw = Raw::new(&op.action, &product.product.version);
            // As the runtime chooses: POST when allowed, else the first method listed.
            if !op.methods.contains(&HttpMethod::Post) {
                raw.method = match op.methods.first() {
                    Some(HttpMethod::Get) | None => "GET",
                    Some(HttpMethod::Put) => "PUT",
                    Some(HttpMethod::Delete) => "DELETE",
                    Some(HttpMethod::Patch) => "PATCH",
                    Some(HttpMethod::Head | HttpMethod::Post) => "HEAD",
                };
            }
            for param in op.request.iter().filter(|p| p.required) {
                let name = param.name.as_deref().unwrap();
                let pairs = wire_pairs(name, param, param.style, schemas);
                match param.location {
                    Some(Location::Query) => raw.query.extend(pairs),
                    Some(Location::FormData) => raw.form.extend(pairs),
                    // Raw bodies and headers are not built by this test's client.
                    _ => {
                        skipped.push(format!("{} ({name} in {:?})", op.action, param.location));
                        continue 'operations;
                    }
                }
            }
            let answer = send(&emulator.base_url(), &raw).await;
            assert_eq!(answer.status, 200, "{}: {}", op.action, answer.text);
            assert_eq!(
                answer.headers["content-type"],
                "application/json;charset=utf-8"
            );
            let request_id = answer.body["RequestId"].as_str().unwrap().to_owned();
            assert_eq!(request_id.len(), 36, "{}", op.action);
            let Some(sample) = op.samples.iter().find(|s| s.format == SampleFormat::Json) else {
                assert_eq!(
                    answer.body,
                    serde_json::json!({"RequestId": request_id}),
                    "{}",
                    op.action
                );
                served += 1;
                continue;
            };
            let mut expected: serde_json::Value = serde_json::from_str(&sample.body).unwrap();
            assert_ne!(
                expected["RequestId"],
                request_id.as_str(),
                "{}: RequestId not fresh",
                op.action
            );
            expected["RequestId"] = request_id.clone().into();
            assert_eq!(answer.body, expected, "{}", op.action);
            // Verbatim but for the id: putting the old id back gives the sample's text.
            if let Some(old_id) =
                serde_json::from_str::<serde_json::Value>(&sample.body).unwrap()["RequestId"]
                    .as_str()
            {
                let fresh = serde_json::to_string(&request_id).unwrap();
                let old = serde_json::to_string(old_id).unwrap();
                assert_eq!(
                    answer.text.replacen(&fresh, &old, 1),
                    sample.body,
                    "{}",
                    op.action
                );
            }
            served += 1;
        }
    }
    // The other styles are served too; `roa_http.rs` calls each of them.
    let rpc_operations: usize = tree
        .products
        .iter()
        .filter(|p| p.product.style == ApiStyle::Rpc)
        .map(|p| p.operations.len())
        .sum();
    assert!(emulator.operation_count() >= rpc_operations);
    assert_eq!(
        served + skipped.len(),
        rpc_operations,
        "skipped: {skipped:?}"
    );
    assert!(served >= 5, "the five seed operations at least");
    // Two calls never share a RequestId.
    let a = send(&emulator.base_url(), &replication_link()).await;
    let b = send(&emulator.base_url(), &replication_link()).await;
    assert_ne!(a.body["RequestId"], b.body["RequestId"]);
}

#[tokio::test]
async fn signature_problems_get_alibabas_codes() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();

    let mut wrong_secret = replication_link();
    wrong_secret.secret = "not-the-secret".into();
    let answer = send(&url, &wrong_secret).await;
    assert_eq!(
        answer.error(),
        (400, "SignatureDoesNotMatch"),
        "{}",
        answer.text
    );
    assert!(
        answer
            .message()
            .contains("Server string to sign is: ACS3-HMAC-SHA256\\n"),
        "{}",
        answer.message()
    );
    assert!(
        !answer.text.contains("not-the-secret") && !answer.text.contains("test-access-key-secret")
    );

    let mut unknown_key = replication_link();
    unknown_key.access_key_id = "no-such-key".into();
    assert_eq!(
        send(&url, &unknown_key).await.error(),
        (404, "InvalidAccessKeyId.NotFound")
    );

    let mut no_auth = replication_link();
    no_auth.authorization = Some(String::new());
    assert_eq!(
        send(&url, &no_auth).await.error(),
        (400, "IncompleteSignature")
    );

    let mut garbled = replication_link();
    garbled.authorization = Some("ACS3-HMAC-SHA256 Credential=test-access-key-id".into());
    assert_eq!(
        send(&url, &garbled).await.error(),
        (400, "IncompleteSignature")
    );

    // Signed, but without the date in SignedHeaders: the policy requires it.
    let mut unsigned_date = replication_link();
    let sig = "0".repeat(64);
    unsigned_date.authorization = Some(format!(
        "ACS3-HMAC-SHA256 Credential=test-access-key-id,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-signature-nonce;x-acs-version,Signature={sig}"
    ));
    let answer = send(&url, &unsigned_date).await;
    assert_eq!(answer.error(), (400, "IncompleteSignature"));
    assert!(
        answer.message().contains("x-acs-date"),
        "{}",
        answer.message()
    );

    let mut tampered_body = start_aps_job();
    tampered_body.content_sha256 = Some(alibabacloud_runtime::sign::sha256_hex(b"other"));
    let answer = send(&url, &tampered_body).await;
    assert_eq!(answer.error(), (400, "SignatureDoesNotMatch"));
    assert!(
        answer.message().contains("x-acs-content-sha256"),
        "{}",
        answer.message()
    );

    let mut stale = replication_link();
    stale.date = Some("2020-01-01T00:00:00Z".into());
    assert_eq!(
        send(&url, &stale).await.error(),
        (400, "InvalidTimeStamp.Expired")
    );
    let mut bad_date = replication_link();
    bad_date.date = Some("yesterday".into());
    assert_eq!(
        send(&url, &bad_date).await.error(),
        (400, "InvalidTimeStamp.Format")
    );

    let mut replay = replication_link();
    replay.nonce = Some("fixed-nonce-for-replay".into());
    assert_eq!(send(&url, &replay).await.status, 200);
    assert_eq!(
        send(&url, &replay).await.error(),
        (400, "SignatureNonceUsed")
    );

    // Headers the client did not sign are ignored by the verifier.
    let mut extra = replication_link();
    extra.unsigned_extra.push(("x-trace".into(), "1".into()));
    assert_eq!(send(&url, &extra).await.status, 200);
}

#[tokio::test]
async fn python_style_requests_verify() {
    // The Python core signs accept and user-agent, and sends booleans as `True`; values
    // with spaces and `*` travel form-encoded in the query.
    let emulator = Emulator::builder().start().await.unwrap();
    let mut raw = Raw::new("CreateReplicationLink", RDS)
        .query("DBInstanceId", "pgm-bp1 trqb*4+p1xd~中")
        .query("DryRun", "True");
    raw.python_style = true;
    let answer = send(&emulator.base_url(), &raw).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let call = emulator.calls().pop().unwrap();
    assert_eq!(call.param("DBInstanceId"), Some("pgm-bp1 trqb*4+p1xd~中"));
}

#[tokio::test]
async fn sts_keys_require_their_token() {
    let key = TestKey::new("STS.emulator", "sts-secret").with_security_token("the-token");
    let emulator = Emulator::builder().key(key).start().await.unwrap();
    let sts = |token: Option<&str>| {
        let mut raw = replication_link();
        raw.access_key_id = "STS.emulator".into();
        raw.secret = "sts-secret".into();
        raw.security_token = token.map(str::to_owned);
        raw
    };
    let url = emulator.base_url();
    assert_eq!(send(&url, &sts(Some("the-token"))).await.status, 200);
    assert_eq!(
        send(&url, &sts(Some("another"))).await.error(),
        (400, "InvalidSecurityToken.MismatchWithAccessKey")
    );
    assert_eq!(
        send(&url, &sts(None)).await.error(),
        (400, "InvalidSecurityToken.Malformed")
    );
    // The default key is replaced by the one given.
    assert_eq!(
        send(&url, &replication_link()).await.error(),
        (404, "InvalidAccessKeyId.NotFound")
    );
}

#[tokio::test]
async fn routing_and_method_errors() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let answer = send(&url, &Raw::new("NoSuchAction", RDS)).await;
    assert_eq!(answer.error(), (404, "InvalidApi.NotFound"));
    assert!(answer.message().contains("NoSuchAction"));
    assert_eq!(
        send(&url, &Raw::new("CreateReplicationLink", "1999-01-01"))
            .await
            .error(),
        (404, "InvalidApi.NotFound")
    );
    // StartApsJob allows POST only.
    let mut get = start_aps_job();
    get.method = "PUT";
    assert_eq!(
        send(&url, &get).await.error(),
        (400, "UnsupportedHTTPMethod")
    );
}

#[tokio::test]
async fn parameters_are_checked_against_the_spec() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();

    let answer = send(
        &url,
        &Raw::new("CreateReplicationLink", RDS).query("DryRun", "false"),
    )
    .await;
    assert_eq!(answer.error(), (400, "MissingParameter"));
    assert!(
        answer.message().contains("\"DBInstanceId\""),
        "{}",
        answer.message()
    );

    let answer = send(&url, &replication_link().query("SourcePort", "port")).await;
    assert_eq!(answer.error(), (400, "InvalidParameter"));
    assert!(
        answer.message().contains("\"SourcePort\"") && answer.message().contains("64-bit"),
        "{}",
        answer.message()
    );

    let answer = send(
        &url,
        &Raw::new("CreateReplicationLink", RDS)
            .query("DBInstanceId", "x")
            .query("DryRun", "maybe"),
    )
    .await;
    assert_eq!(answer.error(), (400, "InvalidParameter"));
    assert!(answer.message().contains("boolean"), "{}", answer.message());

    // A query parameter sent in the form body, and a form parameter sent in the query.
    let answer = send(
        &url,
        &Raw::new("CreateReplicationLink", RDS)
            .form("DBInstanceId", "x")
            .query("DryRun", "false"),
    )
    .await;
    assert_eq!(answer.error(), (400, "InvalidParameter"));
    assert_eq!(
        answer.message(),
        "The parameter \"DBInstanceId\" must be sent in the query string but was sent in the form body."
    );
    let answer = send(
        &url,
        &Raw::new("StartApsJob", ADB)
            .query("RegionId", "cn-hangzhou")
            .form("ApsJobId", "a"),
    )
    .await;
    assert_eq!(
        answer.message(),
        "The parameter \"RegionId\" must be sent in the form body but was sent in the query string."
    );

    // Unknown parameters are tolerated (as Alibaba does) and listed in the call log.
    emulator.reset();
    let answer = send(
        &url,
        &replication_link()
            .query("NotInTheSpec", "1")
            .query("ReplicatorPassword", "pw"),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let call = emulator.calls().pop().unwrap();
    assert_eq!(call.unknown, ["NotInTheSpec"]);
    assert_eq!(call.param("ReplicatorPassword"), Some("<redacted>"));
    assert!(call.params.iter().all(|p| p.place == Place::Query));
}

#[tokio::test]
async fn documented_errors_and_throttling_on_demand() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();

    emulator
        .fail_next("CreateReplicationLink", "IncorrectDBInstanceState", 2)
        .unwrap();
    // An invalid call does not consume the fault: validation comes first.
    assert_eq!(
        send(&url, &Raw::new("CreateReplicationLink", RDS))
            .await
            .code(),
        "MissingParameter"
    );
    for _ in 0..2 {
        let answer = send(&url, &replication_link()).await;
        assert_eq!(answer.error(), (400, "IncorrectDBInstanceState"));
        assert_eq!(
            answer.message(),
            "The current instance state does not support this operation."
        );
    }
    assert_eq!(send(&url, &replication_link()).await.status, 200);

    // Codes are checked against the page, and names are exact.
    let err = emulator
        .fail_next("CreateReplicationLink", "NoSuchCode", 1)
        .unwrap_err();
    assert!(
        err.to_string().contains("IncorrectDBInstanceState"),
        "{err}"
    );
    assert!(
        emulator
            .fail_next("StartApsJob", "Anything", 1)
            .unwrap_err()
            .to_string()
            .contains("documents: none")
    );
    assert!(emulator.fail_next("NoSuchAction", "X", 1).is_err());

    // A documented 5xx/403 row keeps its status.
    emulator
        .fail_next("CreateDISyncTask", "Forbidden.DI.NoPrivilege", 1)
        .unwrap();
    let task = Raw::new("CreateDISyncTask", "2020-05-18")
        .query("ProjectId", "10000")
        .query("TaskType", "DI_OFFLINE")
        .query("TaskParam", "{}")
        .query("TaskName", "t")
        .form("TaskContent", "{}");
    assert_eq!(
        send(&url, &task).await.error(),
        (403, "Forbidden.DI.NoPrivilege")
    );
    assert_eq!(send(&url, &task).await.status, 200);

    emulator.throttle(Throttle::next(1).retry_after(Duration::from_millis(20)));
    emulator.throttle_next(1);
    let first = send(&url, &start_aps_job()).await;
    assert_eq!(first.error(), (400, "Throttling.User"));
    assert_eq!(first.headers["x-acs-retry-after"], "20");
    let second = send(&url, &replication_link()).await;
    assert_eq!(second.error(), (400, "Throttling.User"));
    assert!(second.headers.get("x-acs-retry-after").is_none());
    assert_eq!(send(&url, &replication_link()).await.status, 200);

    // Only the targeted action is throttled.
    emulator.throttle(Throttle::next(1).action("StartApsJob"));
    assert_eq!(send(&url, &replication_link()).await.status, 200);
    assert_eq!(send(&url, &start_aps_job()).await.code(), "Throttling.User");
    let codes: Vec<Option<String>> = emulator
        .calls()
        .iter()
        .rev()
        .take(2)
        .map(|c| c.code.clone())
        .collect();
    assert_eq!(codes, [Some("Throttling.User".to_owned()), None]);
}

#[tokio::test]
async fn http_control_endpoints() {
    let emulator = Emulator::builder().start().await.unwrap();
    let url = emulator.base_url();
    let http = support::http();
    let post = |path: String| {
        let http = http.clone();
        async move {
            let response = http.post(path).send().await.unwrap();
            let status = response.status().as_u16();
            (
                status,
                serde_json::from_str::<serde_json::Value>(&response.text().await.unwrap()).unwrap(),
            )
        }
    };

    let (status, body) = post(format!(
        "{url}/__emulator/fail?action=CreateReplicationLink&code=InvalidSourceCategory&times=1"
    ))
    .await;
    assert_eq!(
        (status, &body["ok"], &body["status"]),
        (200, &true.into(), &400.into()),
        "{body}"
    );
    assert_eq!(body["pending"]["failing_calls"], 1);
    assert_eq!(
        send(&url, &replication_link()).await.code(),
        "InvalidSourceCategory"
    );

    let (status, body) = post(format!(
        "{url}/__emulator/fail?action=CreateReplicationLink&code=Nope"
    ))
    .await;
    assert_eq!(status, 400);
    assert!(
        body["Message"]
            .as_str()
            .unwrap()
            .contains("not a documented error"),
        "{body}"
    );
    let (status, _) = post(format!("{url}/__emulator/fail?code=Nope")).await;
    assert_eq!(status, 400);
    let (status, _) = post(format!("{url}/__emulator/throttle?times=many")).await;
    assert_eq!(status, 400);
    let (status, _) = post(format!("{url}/__emulator/throttle?action=NoSuchAction")).await;
    assert_eq!(status, 400);

    let (status, _) = post(format!(
        "{url}/__emulator/throttle?times=2&retry_after_ms=5"
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        send(&url, &replication_link()).await.code(),
        "Throttling.User"
    );
    let (_, body) = post(format!("{url}/__emulator/reset")).await;
    assert_eq!(body["pending"]["throttled_calls"], 0);
    assert_eq!(send(&url, &replication_link()).await.status, 200);

    let calls = support::call_log(&url).await;
    assert_eq!(calls.as_array().unwrap().len(), 1, "{calls}");
    assert_eq!(calls[0]["action"], "CreateReplicationLink");
    assert_eq!(calls[0]["params"][0]["place"], "query");

    let ops: serde_json::Value = serde_json::from_str(
        &http
            .get(format!("{url}/__emulator/operations"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let rds = ops
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["action"] == "CreateReplicationLink")
        .unwrap();
    assert_eq!(rds["errors"].as_array().unwrap().len(), 67);

    let unknown = http
        .get(format!("{url}/__emulator/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let emulator = Emulator::builder().start().await.unwrap();
    let addr = emulator.addr();
    assert!(addr.ip().is_loopback());
    drop(emulator);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());

    let emulator = Emulator::builder().start().await.unwrap();
    let addr = emulator.addr();
    emulator.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn bad_spec_trees_fail_to_start_with_the_loaders_message() {
    let dir = std::env::temp_dir().join(format!("emulator-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let err = Emulator::builder().specs(&dir).start().await.unwrap_err();
    assert!(
        err.to_string().contains("no operation") || err.to_string().contains("do not load"),
        "{err}"
    );
    let missing = Emulator::builder()
        .specs(dir.join("missing"))
        .start()
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("missing"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}
