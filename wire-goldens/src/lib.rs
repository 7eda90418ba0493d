//! Wire goldens: the requests Alibaba's official Python SDK sends, recorded once by
//! `record.py` (see this crate's README), replayed through the generated clients.
//!
//! Each recorded product version's generated crate has a test (`tests/wire_goldens.rs`,
//! written by `cargo xtask regen`) with one small function per operation that sets every
//! parameter through the builder and sends the request. [`replay`] runs them all against a
//! loopback server and compares each request with the SDK's for the same input: method,
//! path, every query, form and JSON-body parameter (decoded), the `x-acs-*`, `content-type`
//! and `accept` headers, framing, and the signature (verified independently with the
//! secret, on both sides). Every difference must be listed, with its reason, in
//! `known-differences.json`; differences not listed, listed ones that no longer occur, and
//! recordings that are missing or were made from other inputs fail the test.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use alibabacloud_runtime::{Config, Credentials, RetryConfig};
use serde_json::Value;

mod server;
mod signature;
mod wire;

pub use server::Received;
pub use wire::Difference;

/// One operation's call: sends its request and returns the call's error, if any, as text
/// (the loopback answer may not decode into every response type; only the request counts).
pub type Call<'a> = Pin<Box<dyn Future<Output = Option<String>> + 'a>>;

/// One operation of a generated crate's test: its wire name and the function that sends its
/// input through the generated client `C`.
pub type Operation<C> = (&'static str, fn(&C) -> Call<'_>);

/// A JSON value from its text, for parameters of type `any`.
///
/// # Panics
///
/// When `text` is not JSON (the generator writes it, so it always is).
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("the generator writes JSON")
}

/// This crate's directory: `recordings/` and `known-differences.json`.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The recording file of a product version (`rds/2014-08-15` → `recordings/rds-2014-08-15.json`).
pub fn recording_path(product: &str) -> PathBuf {
    data_dir()
        .join("recordings")
        .join(format!("{}.json", product.replace('/', "-")))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| {
        panic!(
            "{}: {error}; record it with `python3 wire-goldens/record.py` (wire-goldens/README.md)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A reviewed difference: for every operation (`rules`) or for one (`operations`).
#[derive(Debug)]
struct Known {
    /// `None` for a rule.
    action: Option<String>,
    kind: String,
    param: Option<String>,
    used: usize,
}

impl Known {
    fn covers(&self, action: &str, difference: &Difference) -> bool {
        match &self.action {
            // A rule names a kind, or a kind and a parameter or header (`header:accept`).
            None => {
                self.kind == difference.kind
                    && (self.param.is_none() || self.param == difference.param)
            }
            // A per-operation entry's parameter may end in `*`: every parameter so named.
            Some(known) => {
                known == action
                    && self.kind == difference.kind
                    && match (self.param.as_deref(), difference.param.as_deref()) {
                        (Some(pattern), Some(param)) => match pattern.strip_suffix('*') {
                            Some(prefix) => param.starts_with(prefix),
                            None => pattern == param,
                        },
                        (pattern, param) => pattern == param,
                    }
            }
        }
    }
}

fn known_differences(product: &str) -> Vec<Known> {
    let file = read_json(&data_dir().join("known-differences.json"));
    let mut known = Vec::new();
    for rule in file["rules"].as_array().into_iter().flatten() {
        let key = rule["kind"].as_str().expect("a rule has a kind");
        let (kind, param) = match key.split_once(':') {
            Some((kind, param)) => (kind, Some(param.to_owned())),
            None => (key, None),
        };
        assert!(
            rule["reason"]
                .as_str()
                .is_some_and(|reason| !reason.is_empty()),
            "known-differences.json: the rule {key} gives no reason"
        );
        known.push(Known {
            action: None,
            kind: kind.to_owned(),
            param,
            used: 0,
        });
    }
    for entry in file["operations"].as_array().into_iter().flatten() {
        if entry["product"].as_str() != Some(product) {
            continue;
        }
        let action = entry["action"].as_str().expect("an entry has an action");
        assert!(
            entry["reason"]
                .as_str()
                .is_some_and(|reason| !reason.is_empty()),
            "known-differences.json: {product} {action} gives no reason"
        );
        known.push(Known {
            action: Some(action.to_owned()),
            kind: entry["kind"]
                .as_str()
                .expect("an entry has a kind")
                .to_owned(),
            param: entry["param"].as_str().map(str::to_owned),
            used: 0,
        });
    }
    known
}

fn recorded_request(value: &Value) -> Received {
    let text = |key: &str| value[key].as_str().unwrap_or_default().to_owned();
    let body = match value["body_hex"].as_str() {
        Some(hex) => hex::decode(hex).expect("body_hex is hex"),
        None => text("body").into_bytes(),
    };
    Received {
        method: text("method"),
        target: text("target"),
        headers: value["headers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap_or_default().to_owned(),
                    pair[1].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect(),
        body,
    }
}

/// Replays every operation of one product version and compares it with its recording.
///
/// `product` is `code/version`, `inputs` the crate's `tests/wire_goldens/inputs.json`,
/// `new` the generated `Client::new`, `operations` each operation's wire name and call.
///
/// # Panics
///
/// With a report of every unexplained difference, every stale known difference and every
/// missing or outdated recording.
pub fn replay<C>(product: &str, inputs: &str, new: fn(&Config) -> C, operations: &[Operation<C>]) {
    let inputs: Value = serde_json::from_str(inputs).expect("inputs.json is JSON");
    let recording = read_json(&recording_path(product));
    let key_id = recording["credentials"]["access_key_id"]
        .as_str()
        .expect("the recording names its AccessKey ID")
        .to_owned();
    let secret = recording["credentials"]["access_key_secret"]
        .as_str()
        .expect("the recording names its AccessKey secret")
        .to_owned();
    let by_action = |file: &Value| -> BTreeMap<String, Value> {
        file["operations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|op| {
                (
                    op["action"].as_str().unwrap_or_default().to_owned(),
                    op.clone(),
                )
            })
            .collect()
    };
    let inputs = by_action(&inputs);
    let recorded = by_action(&recording);
    let mut known = known_differences(product);

    let server = server::Server::start();
    let config = Config::builder()
        .credentials(Credentials::new(key_id.clone(), secret.clone()))
        .region("cn-hangzhou")
        .endpoint_url(format!("http://{}", server.address))
        .retry(RetryConfig::disabled())
        .build()
        .expect("a loopback configuration");
    let client = new(&config);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");

    let mut problems = Vec::new();
    let mut candidates = Vec::new();
    let mut identical = 0;
    let mut with_specific = 0;
    let mut explained: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (action, call) in operations {
        let (Some(input), Some(record)) = (inputs.get(*action), recorded.get(*action)) else {
            problems.push(format!(
                "{action}: no recording; run `python3 wire-goldens/record.py`"
            ));
            continue;
        };
        if record["input"] != *input {
            problems.push(format!(
                "{action}: recorded from another input (the spec changed since); run `python3 wire-goldens/record.py`"
            ));
            continue;
        }
        let outcome = runtime.block_on(call(&client));
        let Some(rust) = server.next() else {
            problems.push(format!(
                "{action}: the generated client sent nothing: {outcome:?}"
            ));
            continue;
        };
        if let Some(extra) = server.pending() {
            problems.push(format!(
                "{action}: the generated client sent more than one request (next: {} {})",
                extra.method, extra.target
            ));
        }
        let mut differences = Vec::new();
        if let Err(why) = signature::verify(&rust, &key_id, &secret) {
            differences.push(Difference {
                kind: "signature".to_owned(),
                param: None,
                detail: format!("the generated client's signature: {why}"),
            });
        }
        match record.get("request") {
            Some(request) if request.is_object() => {
                let sdk = recorded_request(request);
                if let Err(why) = signature::verify(&sdk, &key_id, &secret) {
                    problems.push(format!(
                        "{action}: the recorded SDK request does not verify ({why}); the recording or this verifier is wrong"
                    ));
                }
                let params: Vec<String> = input["params"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|param| param["name"].as_str().map(str::to_owned))
                    .collect();
                // The parameter that is the whole body (ROA: an array, a string, bytes, an
                // `any` value), as opposed to the members of an object body.
                let body = input["params"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|param| {
                        param["in"] == "body" && param["body_member"].as_bool() != Some(true)
                    })
                    .and_then(|param| param["name"].as_str());
                let dropped: Vec<String> = record["dropped"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|name| name.as_str().map(str::to_owned))
                    .collect();
                differences.extend(wire::compare_envelope(&rust, &sdk));
                differences.extend(wire::compare_params(&rust, &sdk, &params, body, &dropped));
            }
            _ => differences.push(Difference {
                kind: record["sdk_error_kind"]
                    .as_str()
                    .unwrap_or("sdk-error")
                    .to_owned(),
                param: None,
                detail: format!(
                    "the SDK sent nothing: {}",
                    record["sdk_error"]
                        .as_str()
                        .unwrap_or("(no reason recorded)")
                ),
            }),
        }
        for name in record["sdk_only"].as_array().into_iter().flatten() {
            differences.push(Difference {
                kind: "sdk-only-parameter".to_owned(),
                param: name.as_str().map(str::to_owned),
                detail: format!(
                    "the SDK's request model has {name}, which the spec (from the metadata) does not: no input sets it"
                ),
            });
        }
        if differences.is_empty() {
            identical += 1;
        }
        let mut specific = false;
        for difference in differences {
            match known
                .iter_mut()
                .find(|known| known.covers(action, &difference))
            {
                Some(known) => {
                    known.used += 1;
                    specific |= known.action.is_some();
                    let label = match (&known.action, &difference.param) {
                        (None, Some(param)) if known.param.is_some() => {
                            format!("{}:{param}", difference.kind)
                        }
                        _ => difference.kind.clone(),
                    };
                    explained
                        .entry(label)
                        .or_default()
                        .insert((*action).to_owned());
                }
                None => {
                    problems.push(format!(
                        "{action}: unexplained difference, kind {:?}, param {:?}:\n    {}",
                        difference.kind,
                        difference.param,
                        difference.detail.replace('\n', "\n    ")
                    ));
                    // Ready to paste into known-differences.json once reviewed and reasoned.
                    candidates.push(
                        serde_json::json!({
                            "product": product,
                            "action": action,
                            "kind": difference.kind,
                            "param": difference.param,
                            "reason": "",
                        })
                        .to_string(),
                    );
                }
            }
        }
        if specific {
            with_specific += 1;
        }
    }
    let listed: BTreeSet<&str> = operations.iter().map(|(action, _)| *action).collect();
    for known in &known {
        if known.used == 0 {
            match &known.action {
                Some(action) if !listed.contains(action.as_str()) => problems.push(format!(
                    "known-differences.json lists {product} {action}, which is not an operation of the crate"
                )),
                Some(action) => problems.push(format!(
                    "known-differences.json: {product} {action} {} {:?} no longer occurs; remove it",
                    known.kind, known.param
                )),
                // A rule may have nothing to explain in one product version.
                None => {}
            }
        }
    }
    let mut report = format!(
        "wire goldens {product}: {} operations: {identical} identical to the official SDK's request, {} identical but for the rules of known-differences.json, {with_specific} with differences of their own (reviewed); operations per kind:",
        operations.len(),
        operations.len() - identical - with_specific,
    );
    for (kind, actions) in &explained {
        let _ = write!(report, "\n  {kind}: {} operations", actions.len());
    }
    println!("{report}");
    assert!(
        problems.is_empty(),
        "{report}\n\n{} problems (see wire-goldens/README.md):\n{}\n\nknown-differences.json entries for the unexplained ones, to add only once reviewed and given a reason:\n{}",
        problems.len(),
        problems.join("\n"),
        candidates.join(",\n")
    );
}
