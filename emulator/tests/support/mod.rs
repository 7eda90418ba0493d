//! Raw requests for the emulator's tests, signed by the runtime's signer (an implementation
//! independent of the emulator's verifier), with knobs to break each part on purpose.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of this shared module"
)]

pub mod raw_server;
pub mod seed_calls;

use std::time::{SystemTime, UNIX_EPOCH};

use alibabacloud_runtime::{encoding, sign};
use reqwest::header::HeaderMap;

/// A request to build: defaults make a valid, signed call with the default test key.
#[derive(Clone, Debug)]
pub struct Raw {
    pub method: &'static str,
    pub action: String,
    pub version: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub access_key_id: String,
    pub secret: String,
    pub security_token: Option<String>,
    pub date: Option<String>,
    pub nonce: Option<String>,
    /// Replaces the Authorization header (`Some("")` removes it).
    pub authorization: Option<String>,
    /// Headers sent but left out of the signature computation input.
    pub unsigned_extra: Vec<(String, String)>,
    /// Sent as `x-acs-content-sha256` instead of the body's hash.
    pub content_sha256: Option<String>,
    /// Sign `accept` and `user-agent` too, as the official Python core does.
    pub python_style: bool,
}

impl Raw {
    pub fn new(action: &str, version: &str) -> Self {
        Self {
            method: "POST",
            action: action.into(),
            version: version.into(),
            query: Vec::new(),
            form: Vec::new(),
            access_key_id: alibabacloud_emulator::DEFAULT_ACCESS_KEY_ID.into(),
            secret: alibabacloud_emulator::DEFAULT_ACCESS_KEY_SECRET.into(),
            security_token: None,
            date: None,
            nonce: None,
            authorization: None,
            unsigned_extra: Vec::new(),
            content_sha256: None,
            python_style: false,
        }
    }

    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    pub fn form(mut self, name: &str, value: &str) -> Self {
        self.form.push((name.into(), value.into()));
        self
    }
}

/// What came back.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: serde_json::Value,
    pub text: String,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["Code"].as_str().unwrap_or_default()
    }

    pub fn message(&self) -> &str {
        self.body["Message"].as_str().unwrap_or_default()
    }

    /// Asserts Alibaba's error shape and returns (status, code).
    pub fn error(&self) -> (u16, &str) {
        let object = self
            .body
            .as_object()
            .unwrap_or_else(|| panic!("not an object: {}", self.text));
        for field in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
            assert!(
                object.contains_key(field),
                "{field} missing from {}",
                self.text
            );
        }
        assert_eq!(
            self.headers["x-acs-request-id"].to_str().unwrap(),
            self.body["RequestId"].as_str().unwrap()
        );
        (self.status, self.code())
    }
}

/// A client configuration aimed at `emulator`, signing with the default test AccessKey id
/// and `secret`; each test adds its own retry and timeout settings.
pub fn client_config(
    emulator: &alibabacloud_emulator::RunningEmulator,
    secret: &str,
) -> alibabacloud_runtime::ConfigBuilder {
    alibabacloud_runtime::Config::builder()
        .credentials(alibabacloud_runtime::Credentials::new(
            alibabacloud_emulator::DEFAULT_ACCESS_KEY_ID,
            secret,
        ))
        .region("cn-hangzhou")
        .endpoint_url(emulator.base_url())
}

/// The call log, as the HTTP control endpoint `GET /__emulator/calls` serves it.
pub async fn call_log(base_url: &str) -> serde_json::Value {
    let text = http()
        .get(format!("{base_url}/__emulator/calls"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// One shared client per test binary (connections are reused across tests).
pub fn http() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            // reqwest is built without a bundled crypto provider; these tests use plain
            // http, but the builder still wants one installed.
            let _ = rustls::crypto::ring::default_provider().install_default();
            reqwest::Client::builder().build().expect("http client")
        })
        .clone()
}

pub fn now_iso() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let time = time::OffsetDateTime::from_unix_timestamp(secs as i64).unwrap();
    time.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap()
}

pub fn fresh_nonce() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Sends `raw` to the emulator at `base_url`.
pub async fn send(base_url: &str, raw: &Raw) -> Answer {
    let mut query = raw.query.clone();
    encoding::sort_pairs(&mut query);
    let canonical_query = encoding::canonical_query(&query);
    let mut form = raw.form.clone();
    encoding::sort_pairs(&mut form);
    let body = if form.is_empty() {
        String::new()
    } else {
        encoding::form_body(&form)
    };
    let body_hash = sign::sha256_hex(body.as_bytes());
    let host = base_url.trim_start_matches("http://").to_owned();
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), host),
        ("x-acs-action".into(), raw.action.clone()),
        ("x-acs-version".into(), raw.version.clone()),
        (
            "x-acs-date".into(),
            raw.date.clone().unwrap_or_else(now_iso),
        ),
        (
            "x-acs-signature-nonce".into(),
            raw.nonce.clone().unwrap_or_else(fresh_nonce),
        ),
        (
            "x-acs-content-sha256".into(),
            raw.content_sha256.clone().unwrap_or(body_hash.clone()),
        ),
    ];
    if !body.is_empty() {
        headers.push((
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
    }
    if let Some(token) = &raw.security_token {
        headers.push(("x-acs-security-token".into(), token.clone()));
    }
    let mut signed_input: Vec<(String, String)> = headers.clone();
    if raw.python_style {
        let extra = [
            ("accept", "application/json"),
            (
                "user-agent",
                "AlibabaCloud (Linux; x86_64) Python/3.11.4 Core/0.3 TeaDSL/2",
            ),
        ];
        for (name, value) in extra {
            headers.push((name.into(), value.into()));
            signed_input.push((name.into(), value.into()));
        }
    }
    let signed = sign::sign(
        &raw.access_key_id,
        &raw.secret,
        raw.method,
        "/",
        &canonical_query,
        signed_input.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &body_hash,
    );
    let mut authorization = signed.authorization.clone();
    if raw.python_style {
        // The runtime signs only host/content-type/x-acs-*; re-sign with every header.
        let mut names: Vec<String> = signed_input
            .iter()
            .map(|(k, _)| k.to_ascii_lowercase())
            .collect();
        names.sort();
        let mut canonical_headers = String::new();
        let mut sorted = signed_input.clone();
        sorted.sort();
        for (k, v) in &sorted {
            canonical_headers.push_str(&format!("{k}:{}\n", v.trim()));
        }
        let signed_headers = names.join(";");
        let canonical = format!(
            "{}\n/\n{}\n{}\n{}\n{}",
            raw.method, canonical_query, canonical_headers, signed_headers, body_hash
        );
        let signature = sign::signature(&raw.secret, &sign::string_to_sign(&canonical));
        authorization = sign::authorization(&raw.access_key_id, &signed_headers, &signature);
    }
    if let Some(replacement) = &raw.authorization {
        authorization = replacement.clone();
    }
    let url = if canonical_query.is_empty() {
        format!("{base_url}/")
    } else {
        // The wire uses form encoding (`+` for space), as the official SDKs do.
        format!("{base_url}/?{}", encoding::form_body(&query))
    };
    let method = reqwest::Method::from_bytes(raw.method.as_bytes()).unwrap();
    let mut request = http().request(method, url).body(body);
    for (name, value) in headers.iter().chain(raw.unsigned_extra.iter()) {
        if name != "host" {
            request = request.header(name.as_str(), value.as_str());
        }
    }
    if !authorization.is_empty() {
        request = request.header("authorization", authorization);
    }
    let response = request.send().await.expect("request reaches the emulator");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    Answer {
        status,
        headers,
        body,
        text,
    }
}
