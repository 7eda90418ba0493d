//! The signature vectors of the reference (§1.7–1.9), reproduced character for character,
//! vectors 3 and 4 through the real request pipeline (routing, encoding, signing).

use alibabacloud_runtime::request::{self, AttemptInputs};
use alibabacloud_runtime::sign;
use alibabacloud_runtime::{
    Credentials, EndpointRule, Location, Method, OperationMeta, ParamMeta, ServiceMeta, Style,
};
use reqwest::header::HeaderValue;
use serde::Serialize;

const VECTOR_1_CANONICAL: &str = "POST
/
ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai
host:ecs.cn-shanghai.aliyuncs.com
x-acs-action:RunInstances
x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-date:2023-10-26T10:22:32Z
x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
x-acs-version:2014-05-26

host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn vector_1(date: &str, nonce: &str) -> sign::Signed {
    let query = [
        (
            "ImageId".to_owned(),
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd".to_owned(),
        ),
        ("RegionId".to_owned(), "cn-shanghai".to_owned()),
    ];
    let canonical_query = alibabacloud_runtime::encoding::canonical_query(&query);
    // Sent headers that are not signed (accept, user-agent) must be left out.
    let headers = [
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-version", "2014-05-26"),
        ("x-acs-date", date),
        ("x-acs-signature-nonce", nonce),
        ("x-acs-content-sha256", sign::EMPTY_PAYLOAD_SHA256),
        ("accept", "application/json"),
        (
            "user-agent",
            "AlibabaCloud (Mac OS X; x86_64) Java/1.8.0_352-b08 tea-util/0.2.6 TeaDSL/1",
        ),
    ];
    sign::sign(
        "YourAccessKeyId",
        "YourAccessKeySecret",
        "POST",
        "/",
        &canonical_query,
        headers,
        sign::EMPTY_PAYLOAD_SHA256,
    )
}

#[test]
fn vector_1_fixed_parameter_values() {
    let s = vector_1("2023-10-26T10:22:32Z", "3156853299f313e23d1673dc12e1703d");
    assert_eq!(s.canonical_request, VECTOR_1_CANONICAL);
    assert_eq!(
        sign::sha256_hex(s.canonical_request.as_bytes()),
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        s.string_to_sign,
        "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        s.signature,
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    assert_eq!(
        s.authorization,
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
}

#[test]
fn vector_1b_other_date_and_nonce() {
    let s = vector_1("2023-10-26T09:01:01Z", "d410180a5abf7fe235dd9b74aca91fc0");
    assert_eq!(
        s.canonical_request,
        VECTOR_1_CANONICAL
            .replace("2023-10-26T10:22:32Z", "2023-10-26T09:01:01Z")
            .replace(
                "3156853299f313e23d1673dc12e1703d",
                "d410180a5abf7fe235dd9b74aca91fc0"
            )
    );
    assert_eq!(
        sign::sha256_hex(s.canonical_request.as_bytes()),
        "29622f5feb1e9fcaaa2e276a72889c975f7b16f00e02be1ca34965b18cd85015"
    );
    assert_eq!(
        s.signature,
        "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804"
    );
}

#[test]
fn vector_2_official_go_unit_test() {
    let query = [
        ("test".to_owned(), "ok".to_owned()),
        ("empty".to_owned(), String::new()),
    ];
    let mut sorted = query.to_vec();
    alibabacloud_runtime::encoding::sort_pairs(&mut sorted);
    let canonical_query = alibabacloud_runtime::encoding::canonical_query(&sorted);
    assert_eq!(canonical_query, "empty=&test=ok");
    let payload = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23";
    let s = sign::sign(
        "acesskey",
        "secret",
        "",
        "",
        &canonical_query,
        [("x-acs-test", "http"), ("x-acs-TEST", "https")],
        payload,
    );
    assert_eq!(
        s.canonical_request,
        format!("\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n{payload}")
    );
    assert_eq!(
        sign::sha256_hex(s.canonical_request.as_bytes()),
        "de5b11a1e2e756c1d859871395fe0b6d47f2564e88a5477eb586c03c6fc105ff"
    );
    assert_eq!(
        s.authorization,
        "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
    );
}

fn service(product: &'static str, version: &'static str) -> ServiceMeta {
    ServiceMeta {
        product,
        version,
        endpoint_rule: EndpointRule::Central,
        endpoint_product_id: product,
        endpoints: &[],
    }
}

const fn param(name: &'static str, location: Location) -> ParamMeta {
    ParamMeta {
        name,
        location,
        style: Style::Plain,
        idempotency_token: false,
    }
}

fn header(req: &reqwest::Request, name: &str) -> String {
    req.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("header {name} missing"))
}

#[derive(Serialize)]
struct CreateApsJob {
    #[serde(rename = "RegionId")]
    region_id: String,
    #[serde(rename = "SourceEndpointInstanceID")]
    source: String,
    #[serde(rename = "DestinationEndpointInstanceID")]
    destination: String,
    #[serde(rename = "DbList")]
    db_list: String,
    #[serde(rename = "ApsJobName")]
    name: String,
}

static CREATE_APS_JOB: OperationMeta = OperationMeta {
    action: "CreateAPSJob",
    auth: alibabacloud_runtime::Auth::AccessKey,
    operation_type: alibabacloud_runtime::OperationType::Write,
    method: Method::Post,
    path: "/",
    params: &[
        param("RegionId", Location::Form),
        param("SourceEndpointInstanceID", Location::Form),
        param("DestinationEndpointInstanceID", Location::Form),
        param("DbList", Location::Form),
        param("ApsJobName", Location::Form),
    ],
};

#[test]
fn vector_3_form_body_and_sts_through_the_pipeline() {
    let input = CreateApsJob {
        region_id: "cn-shanghai".into(),
        source: "pc-xxxxx".into(),
        destination: "amv-xxxxx".into(),
        db_list: r#"{"EntireInstance":true}"#.into(),
        name: "orders sync*~".into(),
    };
    let endpoint = alibabacloud_runtime::endpoint::parse_override("adb.aliyuncs.com").unwrap();
    let prepared = request::prepare(&CREATE_APS_JOB, &input, &endpoint).unwrap();
    let (body, content_type) = prepared.body.clone().unwrap();
    assert_eq!(
        std::str::from_utf8(&body).unwrap(),
        "ApsJobName=orders+sync%2A~&DbList=%7B%22EntireInstance%22%3Atrue%7D&DestinationEndpointInstanceID=amv-xxxxx&RegionId=cn-shanghai&SourceEndpointInstanceID=pc-xxxxx"
    );
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        prepared.payload_sha256,
        "dc7a8c962790c92088e12d5add867df2a996457c4c22d63df993966f7ab5444d"
    );
    assert_eq!(prepared.canonical_query, "");

    let creds = Credentials::new("STS.testid", "testsecret").with_security_token("STS.testtoken");
    let svc = service("adb", "2021-12-01");
    let ua = HeaderValue::from_static("test-agent");
    let req = request::signed(
        &prepared,
        &AttemptInputs {
            service: &svc,
            action: "CreateAPSJob",
            credentials: &creds,
            user_agent: &ua,
            date: "2025-01-02T03:04:05Z",
            nonce: "0123456789abcdef0123456789abcdef",
        },
    )
    .unwrap();
    assert_eq!(req.url().as_str(), "https://adb.aliyuncs.com/");
    assert_eq!(header(&req, "x-acs-security-token"), "STS.testtoken");
    assert_eq!(header(&req, "x-acs-accesskey-id"), "STS.testid");
    assert_eq!(
        header(&req, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        header(&req, "x-acs-content-sha256"),
        "dc7a8c962790c92088e12d5add867df2a996457c4c22d63df993966f7ab5444d"
    );
    assert_eq!(header(&req, "accept"), "application/json");
    assert_eq!(
        header(&req, "authorization"),
        "ACS3-HMAC-SHA256 Credential=STS.testid,SignedHeaders=content-type;host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=0338c480f0a8d7e092ced203efa2ec49dcec477caecd12c5cf1fb14e2782af9b"
    );
    // The canonical-request hash of the reference, recomputed from the same inputs.
    let s = sign::sign(
        "STS.testid",
        "testsecret",
        "POST",
        "/",
        "",
        [
            ("host", "adb.aliyuncs.com"),
            ("x-acs-action", "CreateAPSJob"),
            ("x-acs-version", "2021-12-01"),
            ("x-acs-date", "2025-01-02T03:04:05Z"),
            ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-acs-security-token", "STS.testtoken"),
            ("x-acs-accesskey-id", "STS.testid"),
            (
                "x-acs-content-sha256",
                "dc7a8c962790c92088e12d5add867df2a996457c4c22d63df993966f7ab5444d",
            ),
        ],
        "dc7a8c962790c92088e12d5add867df2a996457c4c22d63df993966f7ab5444d",
    );
    assert_eq!(
        sign::sha256_hex(s.canonical_request.as_bytes()),
        "9d6838e1ecab75964433775171607c51764d1af1f3c68a179fa90133f405fbc5"
    );
    assert!(s.canonical_request.starts_with("POST\n/\n\ncontent-type:"));
}

#[derive(Serialize)]
struct CreateReplicationLink {
    #[serde(rename = "DBInstanceId")]
    id: String,
    #[serde(rename = "DryRun")]
    dry_run: bool,
    #[serde(rename = "SourcePort")]
    port: i64,
    #[serde(rename = "TaskName")]
    task_name: String,
    #[serde(rename = "TaskId", skip_serializing_if = "Option::is_none")]
    task_id: Option<i64>,
}

static CREATE_REPLICATION_LINK: OperationMeta = OperationMeta {
    action: "CreateReplicationLink",
    auth: alibabacloud_runtime::Auth::AccessKey,
    operation_type: alibabacloud_runtime::OperationType::Write,
    method: Method::Post,
    path: "/",
    params: &[
        param("DBInstanceId", Location::Query),
        param("DryRun", Location::Query),
        param("SourcePort", Location::Query),
        param("TaskName", Location::Query),
        param("TaskId", Location::Query),
    ],
};

#[test]
fn vector_4_query_encoding_through_the_pipeline() {
    let input = CreateReplicationLink {
        id: "pgm-bp1trqb4p1xd****".into(),
        dry_run: true,
        port: 5432,
        task_name: "a b+c/d~e*f中".into(),
        task_id: None,
    };
    let endpoint =
        alibabacloud_runtime::endpoint::parse_override("https://rds.aliyuncs.com").unwrap();
    let prepared = request::prepare(&CREATE_REPLICATION_LINK, &input, &endpoint).unwrap();
    let expected_query = "DBInstanceId=pgm-bp1trqb4p1xd%2A%2A%2A%2A&DryRun=true&SourcePort=5432&TaskName=a%20b%2Bc%2Fd~e%2Af%E4%B8%AD";
    assert_eq!(prepared.canonical_query, expected_query);
    assert!(prepared.body.is_none());
    let creds = Credentials::new("testid", "testsecret");
    let svc = service("rds", "2014-08-15");
    let ua = HeaderValue::from_static("test-agent");
    let req = request::signed(
        &prepared,
        &AttemptInputs {
            service: &svc,
            action: "CreateReplicationLink",
            credentials: &creds,
            user_agent: &ua,
            date: "2025-01-02T03:04:05Z",
            nonce: "0123456789abcdef0123456789abcdef",
        },
    )
    .unwrap();
    // The canonical query is exactly what goes on the wire.
    assert_eq!(req.url().query(), Some(expected_query));
    assert!(req.headers().get("content-type").is_none());
    assert!(req.headers().get("x-acs-security-token").is_none());
    assert_eq!(
        header(&req, "x-acs-content-sha256"),
        sign::EMPTY_PAYLOAD_SHA256
    );
    assert!(
        header(&req, "authorization").ends_with(
            "Signature=bc48811e5a11d4a370cf61ecfed4e80980e2b3b85e875ef2b2225cf1cbd4ff25"
        ),
        "{}",
        header(&req, "authorization")
    );
    let s = sign::sign(
        "testid",
        "testsecret",
        "POST",
        "/",
        expected_query,
        [
            ("host", "rds.aliyuncs.com"),
            ("x-acs-action", "CreateReplicationLink"),
            ("x-acs-version", "2014-08-15"),
            ("x-acs-date", "2025-01-02T03:04:05Z"),
            ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
            ("x-acs-content-sha256", sign::EMPTY_PAYLOAD_SHA256),
        ],
        sign::EMPTY_PAYLOAD_SHA256,
    );
    assert_eq!(
        sign::sha256_hex(s.canonical_request.as_bytes()),
        "0da65ee2fd784d615456789620836eca58aa639e92bc19092b0c10af06e56605"
    );
}

#[test]
fn date_and_nonce_shapes() {
    let at = |secs: u64, millis: u64| {
        std::time::UNIX_EPOCH
            + std::time::Duration::from_secs(secs)
            + std::time::Duration::from_millis(millis)
    };
    assert_eq!(
        request::acs_date(at(1_698_315_752, 987)),
        "2023-10-26T10:22:32Z"
    );
    assert_eq!(
        request::acs_date(at(951_868_799, 0)),
        "2000-02-29T23:59:59Z"
    );
    assert_eq!(
        request::acs_date(at(4_107_542_400, 0)),
        "2100-03-01T00:00:00Z"
    );
    assert_eq!(request::acs_date(at(0, 0)), "1970-01-01T00:00:00Z");
    let n = request::nonce();
    assert_eq!(n.len(), 32);
    assert!(
        n.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_ne!(n, request::nonce());
}
