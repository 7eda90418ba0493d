//! Per-call cost of the runtime, in one run:
//! - `sign_and_build`: serialize, route, encode, hash and sign one request (no I/O);
//! - `decode_response`: interpret a success body into the typed output (decoded the way
//!   generated crates decode, see `tests/support/op.rs`); `decode_list_response` the same
//!   for a 100-item list answer (43 KB);
//! - `loopback_*/generated_call` vs `loopback_*/raw_reqwest_post`: a full call through the
//!   runtime against a raw reqwest POST of the same bytes, to the same loopback server, for
//!   a 10-parameter operation (`large`) and a 2-parameter one (`small`);
//!   `loopback_*/raw_reqwest_signed_and_decoded` in between: the raw call plus the
//!   per-attempt signing and the decoding, to show which part of the difference is the
//!   protocol's own work and which is the client around it;
//!   `loopback_*/raw_reqwest_minimally_signed`: the raw call plus only what the protocol
//!   makes every client do per attempt (date, nonce, one SHA-256 of a precomputed canonical
//!   request, the HMAC, three headers), the floor under any signing client.
//!
//! The comparison is kept fair: both sides use a client built by the same function with the
//! same settings, send the same headers (user agent included) and body bytes, read the
//! whole body, and meet one server (own thread, no signature check, same work per request).
//! The raw side is the cheapest reqwest allows (pre-signed bytes, pre-parsed URL, nothing
//! decoded), so the difference is everything a real call adds.
//!
//! - `loopback_roa/*`: the same comparison for an ROA operation: `{Name}` path segments,
//!   a nested `repeatList` query parameter (`Tag.1.Key`) and a JSON object body put
//!   together from its members;
//! - `in_flight_64/*`: throughput, 64 calls of the 10-parameter operation in flight at once
//!   on one client runtime (`item/s` is calls per second), generated call and floor.
//!
//! Run: `cargo bench -p alibabacloud-runtime --bench call`

#[path = "../tests/support/mod.rs"]
mod support;

use alibabacloud_runtime::request::{self, AttemptInputs};
use alibabacloud_runtime::response::{self, RawResponse};
use alibabacloud_runtime::sign;
use alibabacloud_runtime::{self as rt, Config, Credentials, Operation};
use divan::Bencher;
use reqwest::header::{HeaderMap, HeaderValue};
use std::sync::OnceLock;
use support::op::{
    CreateTaskError, CreateTaskRequest, CreateTaskResponse, SERVICE, request, small_request,
};
use support::{Reply, TestServer};

const SUCCESS: &str = r#"{"RequestId":"5E2A0F4C-1B6F-4C3B-9D43-7A3B2C1D0E9F","Success":"True","Code":"InvalidInput","Data":{"TaskId":"11792","Status":200}}"#;

fn main() {
    divan::main();
}

/// The AccessKey every benchmark signs with (the server does not check signatures).
fn credentials() -> Credentials {
    Credentials::new("test-ak", "test-sk")
}

/// One attempt signed now (fresh date and nonce), as the client signs each attempt.
fn sign_attempt(
    prepared: &request::Prepared<'_>,
    action: &'static str,
    credentials: &Credentials,
    user_agent: &HeaderValue,
) -> reqwest::Request {
    request::signed(
        prepared,
        &AttemptInputs {
            service: &SERVICE,
            action,
            credentials,
            user_agent,
            date: &request::acs_date(std::time::SystemTime::now()),
            nonce: &request::nonce(),
        },
    )
    .unwrap()
}

#[divan::bench]
fn sign_and_build(bencher: Bencher) {
    let input = request();
    let endpoint = rt::endpoint::parse_override("dataworks.cn-hangzhou.aliyuncs.com").unwrap();
    let creds = credentials();
    let ua = HeaderValue::from_static("bench");
    bencher.bench_local(|| {
        let prepared =
            request::prepare(CreateTaskRequest::META, divan::black_box(&input), &endpoint).unwrap();
        sign_attempt(&prepared, CreateTaskRequest::META.action, &creds, &ua)
    });
}

#[divan::bench]
fn decode_response(bencher: Bencher) {
    let raw = RawResponse {
        status: 200,
        request_id_header: None,
        retry_after: None,
        body: bytes::Bytes::from_static(SUCCESS.as_bytes()),
        headers: Default::default(),
    };
    bencher.bench_local(|| {
        response::interpret::<CreateTaskResponse, CreateTaskError>(divan::black_box(&raw)).unwrap()
    });
}

/// A list answer: 100 items of 24 members each (a `Describe…` page), decoded into a type
/// that names 20 of them. Objects this large are sorted once and searched by name.
#[divan::bench]
fn decode_list_response(bencher: Bencher) {
    let item = |i: usize| {
        let members: Vec<String> = (0..24)
            .map(|f| match f % 3 {
                0 => format!("\"Field{f}\":\"value {i}-{f}\""),
                1 => format!("\"Field{f}\":{}", i * 100 + f),
                _ => format!("\"Field{f}\":\"{}\"", i * 100 + f),
            })
            .collect();
        format!("{{{}}}", members.join(","))
    };
    let items: Vec<String> = (0..100).map(item).collect();
    let body = format!(
        r#"{{"RequestId":"5E2A0F4C","TotalCount":100,"Items":{{"Item":[{}]}}}}"#,
        items.join(",")
    );
    let raw = RawResponse {
        status: 200,
        request_id_header: None,
        retry_after: None,
        body: bytes::Bytes::from(body),
        headers: Default::default(),
    };
    let page = response::interpret::<ListPage, CreateTaskError>(&raw).unwrap();
    assert_eq!(page.request_id.as_deref(), Some("5E2A0F4C"));
    assert_eq!(page.total_count, Some(100));
    let items = page.items.and_then(|items| items.item).expect("the list");
    assert_eq!(items.len(), 100);
    assert_eq!(items[99].fields[0].as_deref(), Some("value 99-0"));
    assert_eq!(items[99].fields[19].as_deref(), Some("9919"));
    println!("decode_list_response: a body of {} bytes", raw.body.len());
    bencher.bench_local(|| {
        response::interpret::<ListPage, CreateTaskError>(divan::black_box(&raw)).unwrap()
    });
}

struct ListPage {
    request_id: Option<String>,
    total_count: Option<i64>,
    items: Option<ListItems>,
}

struct ListItems {
    item: Option<Vec<ListItem>>,
}

/// 20 of an item's 24 members, as a generated struct would name them.
struct ListItem {
    fields: [Option<String>; 20],
}

// Read as generated crates read (`Fields::reader`).
impl rt::Record for ListPage {
    fn from_fields(fields: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
        let mut out = Self {
            request_id: None,
            total_count: None,
            items: None,
        };
        let mut reader = fields.reader();
        reader.read("RequestId", &mut out.request_id);
        reader.read("TotalCount", &mut out.total_count);
        reader.read("Items", &mut out.items);
        match reader.into_error() {
            None => Ok(out),
            Some(error) => Err(error),
        }
    }
}

impl rt::Record for ListItems {
    fn from_fields(fields: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
        let mut out = Self { item: None };
        let mut reader = fields.reader();
        reader.read("Item", &mut out.item);
        match reader.into_error() {
            None => Ok(out),
            Some(error) => Err(error),
        }
    }
}

impl rt::Record for ListItem {
    fn from_fields(fields: &rt::decode::Fields<'_>) -> Result<Self, rt::decode::Error> {
        const NAMES: [&str; 20] = [
            "Field0", "Field1", "Field2", "Field3", "Field4", "Field5", "Field6", "Field7",
            "Field8", "Field9", "Field10", "Field11", "Field12", "Field13", "Field14", "Field15",
            "Field16", "Field17", "Field18", "Field19",
        ];
        let mut out = Self {
            fields: Default::default(),
        };
        let mut reader = fields.reader();
        for (slot, name) in out.fields.iter_mut().zip(NAMES) {
            reader.read(name, slot);
        }
        match reader.into_error() {
            None => Ok(out),
            Some(error) => Err(error),
        }
    }
}

/// One server for the whole run, on its own runtime thread so that client and server do
/// not share a scheduler.
fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let server = TestServer::start_fast(|_, _| Reply::json(200, SUCCESS)).await;
                tx.send(server).unwrap();
                std::future::pending::<()>().await;
            });
        });
        rx.recv().unwrap()
    })
}

fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The configuration both sides of a loopback comparison use: the same credentials, the
/// same server, the same timeouts (so the same reqwest client settings) and the same
/// user agent.
fn bench_config() -> Config {
    Config::builder()
        .credentials(credentials())
        .endpoint_url(server().url())
        .build()
        .unwrap()
}

/// A full call through the runtime: serialize, route, sign, send, read, decode.
fn generated_call<O: Operation + Clone>(bencher: Bencher, input: O) {
    let rt = client_runtime();
    let client = rt::Client::new(&bench_config(), &SERVICE);
    rt.block_on(client.call(&input)).unwrap();
    bencher.bench_local(|| rt.block_on(client.call(divan::black_box(&input))).unwrap());
}

/// What the raw variants start from, made once before measuring: the request prepared
/// and one attempt of it signed as a generated call would sign it (same headers, user agent
/// and body bytes), and an HTTP client built by the same function with the same settings.
struct RawSetup<'c> {
    rt: tokio::runtime::Runtime,
    http: reqwest::Client,
    prepared: request::Prepared<'c>,
    credentials: Credentials,
    user_agent: HeaderValue,
    /// The pre-signed attempt: its URL, headers and body are what the raw POST replays.
    signed: reqwest::Request,
}

impl RawSetup<'_> {
    fn body(&self) -> bytes::Bytes {
        self.prepared
            .body
            .clone()
            .map(|(b, _)| b)
            .unwrap_or_default()
    }

    /// POSTs `headers` and `body` to `url` and reads the whole answer.
    async fn post(
        &self,
        url: &reqwest::Url,
        headers: HeaderMap,
        body: &bytes::Bytes,
    ) -> bytes::Bytes {
        let resp = self
            .http
            .post(url.clone())
            .headers(headers)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        resp.bytes().await.unwrap()
    }

    /// One call to warm up, then the measured ones.
    fn measure<F: std::future::Future>(&self, bencher: Bencher, call: impl Fn() -> F) {
        self.rt.block_on(call());
        bencher.bench_local(|| self.rt.block_on(call()));
    }
}

/// Runs `bench` with the raw variants' setup for `input` (the configuration it borrows from
/// lives here).
fn with_raw_setup<O: Operation>(input: &O, bench: impl FnOnce(RawSetup<'_>)) {
    let config = bench_config();
    let prepared = request::prepare(O::META, input, config.endpoint().unwrap()).unwrap();
    let credentials = credentials();
    let user_agent = HeaderValue::from_str(config.user_agent()).unwrap();
    let signed = sign_attempt(&prepared, O::META.action, &credentials, &user_agent);
    bench(RawSetup {
        rt: client_runtime(),
        http: rt::transport::build_http_client(config.connect_timeout(), config.read_timeout())
            .unwrap(),
        prepared,
        credentials,
        user_agent,
        signed,
    });
}

/// The cheapest way to send the same request with reqwest: the pre-signed attempt replayed
/// with a pre-parsed URL, reading the whole body. Nothing is signed or decoded per call:
/// this is the floor a generated call is compared with.
fn raw_reqwest_post<O: Operation>(bencher: Bencher, input: O) {
    with_raw_setup(&input, |setup| {
        let (url, headers, body) = (
            setup.signed.url().clone(),
            setup.signed.headers().clone(),
            setup.body(),
        );
        setup.measure(bencher, || setup.post(&url, headers.clone(), &body));
    });
}

/// The middle ground that splits the difference into its two parts: the raw reqwest call
/// plus the work every attempt has to do whatever the client (date, nonce, signature,
/// reading the envelope and the output), with the request prepared once up front. What is
/// left between this and `generated_call` is the client itself (serializing and routing the
/// input, the retry loop, credentials lookup, tracing span).
fn raw_reqwest_signed_and_decoded<O: Operation>(bencher: Bencher, input: O) {
    with_raw_setup(&input, |setup| {
        let send = || async {
            let signed = sign_attempt(
                &setup.prepared,
                O::META.action,
                &setup.credentials,
                &setup.user_agent,
            );
            let resp = setup.http.execute(signed).await.unwrap();
            let raw = RawResponse {
                status: resp.status().as_u16(),
                request_id_header: None,
                retry_after: None,
                body: resp.bytes().await.unwrap(),
                headers: Default::default(),
            };
            response::interpret::<O::Output, O::Error>(&raw)
                .ok()
                .unwrap()
        };
        setup.measure(bencher, send);
    });
}

/// The least any V3 client has to do per attempt, on top of the raw POST: a fresh date and
/// nonce, the SHA-256 of the canonical request (everything else in it precomputed, the two
/// values spliced in), the HMAC, and the three headers that change. Nothing is serialized,
/// routed, canonicalised or decoded. This is the floor under `generated_call` that no
/// client of the protocol can go below; checked in setup to sign exactly as the runtime.
struct MinimalSigner {
    http: reqwest::Client,
    url: reqwest::Url,
    body: bytes::Bytes,
    /// The pre-signed attempt's headers; date, nonce and `Authorization` replaced per call.
    headers: HeaderMap,
    /// The canonical request of the pre-signed attempt, cut around its date and nonce.
    head: String,
    middle: String,
    tail: String,
    signed_headers: String,
    access_key_id: String,
    access_key_secret: String,
}

impl MinimalSigner {
    fn new(setup: &RawSetup<'_>) -> MinimalSigner {
        let (prepared, headers, keys) =
            (&setup.prepared, setup.signed.headers(), &setup.credentials);
        let text = |h: &HeaderMap, name: &str| h[name].to_str().unwrap().to_owned();
        let canonical_headers = sign::canonical_headers(
            std::iter::once(("host", prepared.host)).chain(
                headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.to_str().unwrap())),
            ),
        );
        let canonical = sign::canonical_request(
            prepared.method.as_str(),
            &prepared.path,
            &prepared.canonical_query,
            &canonical_headers,
            &prepared.payload_sha256,
        );
        let (date, nonce) = (
            text(headers, "x-acs-date"),
            text(headers, "x-acs-signature-nonce"),
        );
        let (head, rest) = canonical.split_once(&date).unwrap();
        let (middle, tail) = rest.split_once(&nonce).unwrap();
        let signer = MinimalSigner {
            http: setup.http.clone(),
            url: setup.signed.url().clone(),
            body: setup.body(),
            headers: headers.clone(),
            head: head.to_owned(),
            middle: middle.to_owned(),
            tail: tail.to_owned(),
            signed_headers: canonical_headers.signed,
            access_key_id: keys.access_key_id().to_owned(),
            access_key_secret: keys.access_key_secret().expose().to_owned(),
        };
        assert_eq!(
            signer.authorize(&date, &nonce),
            text(headers, "authorization")
        );
        signer
    }

    fn authorize(&self, date: &str, nonce: &str) -> String {
        let (head, middle, tail) = (&self.head, &self.middle, &self.tail);
        let mut canonical = String::with_capacity(head.len() + middle.len() + tail.len() + 52);
        for part in [head, date, middle, nonce, tail] {
            canonical.push_str(part);
        }
        let string_to_sign = sign::string_to_sign(&canonical);
        let signature = sign::signature(&self.access_key_secret, &string_to_sign);
        sign::authorization(&self.access_key_id, &self.signed_headers, &signature)
    }

    /// One call: sign now, POST, read the whole answer.
    async fn call(&self) -> bytes::Bytes {
        let date = request::acs_date(std::time::SystemTime::now());
        let nonce = request::nonce();
        let authorization = self.authorize(&date, &nonce);
        let mut headers = self.headers.clone();
        headers.insert("x-acs-date", HeaderValue::from_str(&date).unwrap());
        headers.insert(
            "x-acs-signature-nonce",
            HeaderValue::from_str(&nonce).unwrap(),
        );
        headers.insert(
            "authorization",
            HeaderValue::from_str(&authorization).unwrap(),
        );
        let resp = self
            .http
            .post(self.url.clone())
            .headers(headers)
            .body(self.body.clone())
            .send()
            .await
            .unwrap();
        resp.bytes().await.unwrap()
    }
}

fn raw_reqwest_minimally_signed<O: Operation>(bencher: Bencher, input: O) {
    with_raw_setup(&input, |setup| {
        let signer = MinimalSigner::new(&setup);
        setup.measure(bencher, || signer.call());
    });
}

/// How many calls a throughput iteration keeps in flight.
const IN_FLIGHT: usize = 64;

/// Runs `IN_FLIGHT` calls made by `call` concurrently on the client runtime and waits for
/// all of them (one iteration); divan reports calls per second through the item counter.
fn in_flight<F>(bencher: Bencher, rt: &tokio::runtime::Runtime, call: impl Fn() -> F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let run = || {
        rt.block_on(async {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..IN_FLIGHT {
                set.spawn(call());
            }
            while let Some(done) = set.join_next().await {
                done.unwrap();
            }
        })
    };
    // Opens the connections (one per call in flight) before measuring.
    run();
    bencher
        .counter(divan::counter::ItemsCount::new(IN_FLIGHT))
        .bench_local(run);
}

/// The test operation with 10 parameters of every style (query and form, JSON text).
#[divan::bench_group(sample_count = 5000)]
mod loopback_large {
    use super::*;

    #[divan::bench]
    fn generated_call(bencher: Bencher) {
        super::generated_call(bencher, request());
    }

    #[divan::bench]
    fn raw_reqwest_signed_and_decoded(bencher: Bencher) {
        super::raw_reqwest_signed_and_decoded(bencher, request());
    }

    #[divan::bench]
    fn raw_reqwest_minimally_signed(bencher: Bencher) {
        super::raw_reqwest_minimally_signed(bencher, request());
    }

    #[divan::bench]
    fn raw_reqwest_post(bencher: Bencher) {
        super::raw_reqwest_post(bencher, request());
    }
}

/// A StartApsJob-sized operation: two form fields.
#[divan::bench_group(sample_count = 5000)]
mod loopback_small {
    use super::*;

    #[divan::bench]
    fn generated_call(bencher: Bencher) {
        super::generated_call(bencher, small_request());
    }

    #[divan::bench]
    fn raw_reqwest_signed_and_decoded(bencher: Bencher) {
        super::raw_reqwest_signed_and_decoded(bencher, small_request());
    }

    #[divan::bench]
    fn raw_reqwest_minimally_signed(bencher: Bencher) {
        super::raw_reqwest_minimally_signed(bencher, small_request());
    }

    #[divan::bench]
    fn raw_reqwest_post(bencher: Bencher) {
        super::raw_reqwest_post(bencher, small_request());
    }
}

/// An ROA operation shaped like a generated one (`cs` `FixNodePoolVuls` with a tag list):
/// two `{Name}` path segments, a nested `repeatList` query parameter (`Tag.1.Key=…`) and
/// four members of a JSON object body, one of them a nested object. Written as `codegen`
/// writes it (`rt::ser::Param`, `route_fields`), as the operations of `support::op` are.
#[derive(Clone, Debug, PartialEq)]
pub struct FixVulsRequest {
    pub cluster_id: String,
    pub nodepool_id: String,
    pub tags: Option<Vec<support::op::Tag>>,
    pub vuls: Option<Vec<String>>,
    pub nodes: Option<Vec<String>>,
    pub rollout_policy: Option<RolloutPolicy>,
    pub auto_restart: Option<bool>,
}

impl rt::ser::Param for FixVulsRequest {
    fn shape(&self) -> rt::ser::Shape<'_> {
        rt::ser::Shape::Struct("FixVulsRequest")
    }
    fn fields(&self, visit: &mut dyn rt::ser::Visit) {
        visit.field("cluster_id", &self.cluster_id);
        visit.field("nodepool_id", &self.nodepool_id);
        visit.field("Tag", &self.tags);
        visit.field("vuls", &self.vuls);
        visit.field("nodes", &self.nodes);
        visit.field("rollout_policy", &self.rollout_policy);
        visit.field("auto_restart", &self.auto_restart);
    }
}

impl serde::Serialize for FixVulsRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rt::ser::serialize(self, serializer)
    }
}

/// A nested body member; its keys go out sorted, as the official SDKs send them.
#[derive(Clone, Debug, PartialEq)]
pub struct RolloutPolicy {
    pub max_parallelism: Option<i64>,
    pub batch_interval: Option<String>,
}

impl rt::ser::Param for RolloutPolicy {
    fn shape(&self) -> rt::ser::Shape<'_> {
        rt::ser::Shape::Struct("RolloutPolicy")
    }
    fn fields(&self, visit: &mut dyn rt::ser::Visit) {
        visit.field("max_parallelism", &self.max_parallelism);
        visit.field("batch_interval", &self.batch_interval);
    }
}

impl serde::Serialize for RolloutPolicy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rt::ser::serialize(self, serializer)
    }
}

const fn param(name: &'static str, location: rt::Location, style: rt::Style) -> rt::ParamMeta {
    rt::ParamMeta {
        name,
        location,
        style,
        idempotency_token: false,
    }
}

impl Operation for FixVulsRequest {
    type Output = CreateTaskResponse;
    type Error = CreateTaskError;
    const META: &'static rt::OperationMeta = &rt::OperationMeta {
        action: "FixNodePoolVuls",
        method: rt::Method::Post,
        path: "/clusters/{cluster_id}/nodepools/{nodepool_id}/vuls/fix",
        params: &[
            param("cluster_id", rt::Location::Path, rt::Style::Plain),
            param("nodepool_id", rt::Location::Path, rt::Style::Plain),
            param("Tag", rt::Location::Query, rt::Style::RepeatList),
            param("vuls", rt::Location::BodyField, rt::Style::Plain),
            param("nodes", rt::Location::BodyField, rt::Style::Plain),
            param("rollout_policy", rt::Location::BodyField, rt::Style::Plain),
            param("auto_restart", rt::Location::BodyField, rt::Style::Plain),
        ],
        auth: rt::Auth::AccessKey,
        operation_type: rt::OperationType::Write,
    };
    fn route(&self) -> Result<rt::params::Routed, rt::BuildError> {
        rt::params::route_fields(Self::META, self)
    }
}

fn roa_request() -> FixVulsRequest {
    let tag = |key: &str, value: Option<&str>| support::op::Tag {
        key: key.into(),
        value: value.map(Into::into),
    };
    FixVulsRequest {
        cluster_id: "c82e6987e2961451182edacd74faf****".into(),
        nodepool_id: "np-31da1d38983a4a7f8c4f0e2e6b0b****".into(),
        tags: Some(vec![
            tag("env", Some("prod")),
            tag("team", Some("data platform")),
            tag("owner", None),
        ]),
        vuls: Some(vec!["CVE-2023-4911".into(), "CVE-2024-1086".into()]),
        nodes: Some(vec!["i-bp1a2b3c4d5e6f7g****".into()]),
        rollout_policy: Some(RolloutPolicy {
            max_parallelism: Some(2),
            batch_interval: Some("5m".into()),
        }),
        auto_restart: Some(true),
    }
}

/// An ROA call: path segments, a nested `repeatList` query parameter and a JSON object
/// body put together from its members.
#[divan::bench_group(sample_count = 5000)]
mod loopback_roa {
    use super::*;

    #[divan::bench]
    fn generated_call(bencher: Bencher) {
        super::generated_call(bencher, roa_request());
    }

    #[divan::bench]
    fn raw_reqwest_signed_and_decoded(bencher: Bencher) {
        super::raw_reqwest_signed_and_decoded(bencher, roa_request());
    }

    #[divan::bench]
    fn raw_reqwest_minimally_signed(bencher: Bencher) {
        super::raw_reqwest_minimally_signed(bencher, roa_request());
    }

    #[divan::bench]
    fn raw_reqwest_post(bencher: Bencher) {
        super::raw_reqwest_post(bencher, roa_request());
    }
}

/// Throughput: `IN_FLIGHT` (64) calls of the 10-parameter operation in flight at once on
/// one client runtime, against the same server; divan's `item/s` is calls per second.
#[divan::bench_group(sample_count = 400)]
mod in_flight_64 {
    use super::*;
    use std::sync::Arc;

    #[divan::bench]
    fn generated_call(bencher: Bencher) {
        let rt = client_runtime();
        let client = rt::Client::new(&bench_config(), &SERVICE);
        let input = Arc::new(request());
        super::in_flight(bencher, &rt, || {
            let (client, input) = (client.clone(), input.clone());
            async move {
                client.call(&*input).await.unwrap();
            }
        });
    }

    #[divan::bench]
    fn raw_reqwest_minimally_signed(bencher: Bencher) {
        with_raw_setup(&request(), |setup| {
            let signer = Arc::new(MinimalSigner::new(&setup));
            super::in_flight(bencher, &setup.rt, || {
                let signer = signer.clone();
                async move {
                    signer.call().await;
                }
            });
        });
    }
}
