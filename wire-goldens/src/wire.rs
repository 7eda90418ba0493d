//! Reading a request the way the service does (query and form pairs decoded, a JSON body
//! parsed) and comparing two of them parameter by parameter.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::server::Received;

/// One way the generated client's request differs from the official SDK's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// What differs: `method`, `path`, `location`, `value`, `only-rust`, `only-sdk`,
    /// `sdk-lacks-parameter`, `sdk-only-parameter`, `sdk-empty-list`, `boolean-text`,
    /// `json-text`, `header`,
    /// `framing`, `signature`, `sdk-lacks-operation`, `sdk-error`.
    pub kind: String,
    /// The parameter (top-level wire name) or header concerned, if any.
    pub param: Option<String>,
    /// What each side sent.
    pub detail: String,
}

impl Difference {
    fn new(kind: &str, param: Option<&str>, detail: String) -> Difference {
        Difference {
            kind: kind.to_owned(),
            param: param.map(str::to_owned),
            detail,
        }
    }
}

/// The first value of a header, by case-insensitive name.
pub fn header<'a>(request: &'a Received, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(sent, _)| sent.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// `(path, query)` of a request target.
pub fn split_target(target: &str) -> (&str, &str) {
    target.split_once('?').unwrap_or((target, ""))
}

/// `application/x-www-form-urlencoded` pairs, decoded (`+` is a space).
pub fn form_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => out.push(b' '),
            b'%' if index + 2 < bytes.len() => {
                let hex = |byte: u8| char::from(byte).to_digit(16);
                match (hex(bytes[index + 1]), hex(bytes[index + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                        index += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The pairs of one top-level parameter and where they were sent.
#[derive(Debug, Default)]
struct Group {
    places: BTreeSet<&'static str>,
    pairs: Vec<(String, String)>,
}

/// Every parameter the request carries, by top-level wire name (`Tag.1.Key` belongs to
/// `Tag`): query pairs, form pairs, and the members of a JSON object body, or, when the
/// operation's body is one parameter (`body`: an array, a string, bytes, an `any` value),
/// the whole body as that parameter. JSON is kept as its compact text, so equal values
/// compare equal however they were written.
fn groups(request: &Received, params: &[String], body: Option<&str>) -> BTreeMap<String, Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut add = |place: &'static str, key: String, value: String| {
        let root = params
            .iter()
            .filter(|name| key == **name || key.starts_with(&format!("{name}.")))
            .max_by_key(|name| name.len())
            .cloned()
            .unwrap_or_else(|| key.clone());
        let group = groups.entry(root).or_default();
        group.places.insert(place);
        group.pairs.push((key, value));
    };
    let (_, query) = split_target(&request.target);
    for (key, value) in form_pairs(query) {
        add("query", key, value);
    }
    if !request.body.is_empty() {
        let content_type = header(request, "content-type").unwrap_or_default();
        let text = String::from_utf8_lossy(&request.body).into_owned();
        let whole = body.unwrap_or("(body)").to_owned();
        if content_type.starts_with("application/x-www-form-urlencoded") {
            for (key, value) in form_pairs(&text) {
                add("form", key, value);
            }
        } else if content_type.starts_with("application/json") {
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(members)) if body.is_none() => {
                    for (key, value) in members {
                        add("body", key, value.to_string());
                    }
                }
                Ok(value) => add("body", whole, value.to_string()),
                Err(_) => add("body", whole, text),
            }
        } else {
            add("body", whole, text);
        }
    }
    for group in groups.values_mut() {
        group.pairs.sort();
    }
    groups
}

fn places(group: &Group) -> String {
    group.places.iter().copied().collect::<Vec<_>>().join("+")
}

fn pairs_text(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The SDK rendered a boolean as Python's `str(bool)`: `True` where Rust sends `true`.
fn boolean_text(sdk: &str, rust: &str) -> bool {
    matches!((sdk, rust), ("True", "true") | ("False", "false"))
}

/// Both are JSON text of the same value, written differently.
fn json_text(sdk: &str, rust: &str) -> bool {
    match (
        serde_json::from_str::<Value>(sdk),
        serde_json::from_str::<Value>(rust),
    ) {
        (Ok(sdk), Ok(rust)) => sdk == rust,
        _ => false,
    }
}

/// The SDK's JSON text is the Rust one's plus members holding `[]` that Rust leaves out: the
/// Python models' `to_map` writes every list field, set or not.
fn sdk_empty_lists(sdk: &str, rust: &str) -> bool {
    fn strip(sdk: &Value, rust: &Value) -> Value {
        match (sdk, rust) {
            (Value::Object(sdk), Value::Object(rust)) => Value::Object(
                sdk.iter()
                    .filter(|(key, value)| {
                        rust.contains_key(*key)
                            || !matches!(value, Value::Array(items) if items.is_empty())
                    })
                    .map(|(key, value)| {
                        let stripped = match rust.get(key) {
                            Some(other) => strip(value, other),
                            None => value.clone(),
                        };
                        (key.clone(), stripped)
                    })
                    .collect(),
            ),
            (Value::Array(sdk), Value::Array(rust)) if sdk.len() == rust.len() => {
                Value::Array(sdk.iter().zip(rust).map(|(a, b)| strip(a, b)).collect())
            }
            _ => sdk.clone(),
        }
    }
    match (
        serde_json::from_str::<Value>(sdk),
        serde_json::from_str::<Value>(rust),
    ) {
        (Ok(sdk), Ok(rust)) => strip(&sdk, &rust) == rust,
        _ => false,
    }
}

/// Compares the parameters of the two requests. `params` are the operation's top-level
/// wire names; `body` the one that is the whole body, if any (else a JSON object body is
/// compared member by member); `dropped` the ones the SDK's request model has no field for.
pub fn compare_params(
    rust: &Received,
    sdk: &Received,
    params: &[String],
    body: Option<&str>,
    dropped: &[String],
) -> Vec<Difference> {
    let rust_groups = groups(rust, params, body);
    let sdk_groups = groups(sdk, params, body);
    let names: BTreeSet<&String> = rust_groups.keys().chain(sdk_groups.keys()).collect();
    let mut differences = Vec::new();
    for name in names {
        let param = Some(name.as_str());
        match (rust_groups.get(name), sdk_groups.get(name)) {
            (Some(rust), None) => {
                let kind = if dropped.contains(name) {
                    "sdk-lacks-parameter"
                } else {
                    "only-rust"
                };
                differences.push(Difference::new(
                    kind,
                    param,
                    format!(
                        "Rust sends {} in the {}",
                        pairs_text(&rust.pairs),
                        places(rust)
                    ),
                ));
            }
            (None, Some(sdk)) => differences.push(Difference::new(
                if sdk.pairs.iter().all(|(_, value)| value == "[]") {
                    "sdk-empty-list"
                } else {
                    "only-sdk"
                },
                param,
                format!(
                    "the SDK sends {} in the {}",
                    pairs_text(&sdk.pairs),
                    places(sdk)
                ),
            )),
            (Some(rust), Some(sdk)) => {
                if rust.places != sdk.places {
                    differences.push(Difference::new(
                        "location",
                        param,
                        format!("Rust: {}, SDK: {}", places(rust), places(sdk)),
                    ));
                }
                differences.extend(compare_pairs(name, &rust.pairs, &sdk.pairs));
            }
            (None, None) => {}
        }
    }
    differences
}

fn compare_pairs(
    name: &str,
    rust: &[(String, String)],
    sdk: &[(String, String)],
) -> Vec<Difference> {
    let param = Some(name);
    let rust_keys: Vec<&String> = rust.iter().map(|(key, _)| key).collect();
    let sdk_keys: Vec<&String> = sdk.iter().map(|(key, _)| key).collect();
    if rust_keys != sdk_keys {
        return vec![Difference::new(
            "value",
            param,
            format!("Rust: {}\nSDK:  {}", pairs_text(rust), pairs_text(sdk)),
        )];
    }
    let mut kinds: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for ((key, rust_value), (_, sdk_value)) in rust.iter().zip(sdk) {
        if rust_value == sdk_value {
            continue;
        }
        let kind = if boolean_text(sdk_value, rust_value) {
            "boolean-text"
        } else if json_text(sdk_value, rust_value) {
            "json-text"
        } else if sdk_empty_lists(sdk_value, rust_value) {
            "sdk-empty-list"
        } else {
            "value"
        };
        kinds
            .entry(kind)
            .or_default()
            .push(format!("{key}: Rust {rust_value:?}, SDK {sdk_value:?}"));
    }
    kinds
        .into_iter()
        .map(|(kind, lines)| Difference::new(kind, param, lines.join("; ")))
        .collect()
}

/// Headers whose values must be the same on both sides (when either sends them).
fn compared_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let varies = [
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "authorization",
    ];
    (name.starts_with("x-acs-") || name == "content-type" || name == "accept")
        && !varies.contains(&name.as_str())
}

/// Compares method, path, headers and framing.
pub fn compare_envelope(rust: &Received, sdk: &Received) -> Vec<Difference> {
    let mut differences = Vec::new();
    if rust.method != sdk.method {
        differences.push(Difference::new(
            "method",
            None,
            format!("Rust {}, SDK {}", rust.method, sdk.method),
        ));
    }
    let (rust_path, _) = split_target(&rust.target);
    let (sdk_path, _) = split_target(&sdk.target);
    if rust_path != sdk_path {
        differences.push(Difference::new(
            "path",
            None,
            format!("Rust {rust_path}, SDK {sdk_path}"),
        ));
    }
    let names: BTreeSet<String> = rust
        .headers
        .iter()
        .chain(&sdk.headers)
        .map(|(name, _)| name.to_ascii_lowercase())
        .filter(|name| compared_header(name))
        .collect();
    for name in names {
        let (rust_value, sdk_value) = (header(rust, &name), header(sdk, &name));
        if rust_value != sdk_value {
            differences.push(Difference::new(
                "header",
                Some(&name),
                format!("Rust {rust_value:?}, SDK {sdk_value:?}"),
            ));
        }
    }
    for name in [
        "host",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "authorization",
    ] {
        if header(rust, name).is_some() != header(sdk, name).is_some() {
            differences.push(Difference::new(
                "header",
                Some(name),
                format!("Rust {:?}, SDK {:?}", header(rust, name), header(sdk, name)),
            ));
        }
    }
    let framing = |request: &Received| {
        (
            header(request, "content-length").map(str::to_owned),
            header(request, "transfer-encoding").map(str::to_owned),
        )
    };
    let (rust_length, rust_chunked) = framing(rust);
    let (sdk_length, sdk_chunked) = framing(sdk);
    if rust_length.is_some() != sdk_length.is_some() || rust_chunked != sdk_chunked {
        differences.push(Difference::new(
            "framing",
            None,
            format!(
                "Rust content-length {rust_length:?} transfer-encoding {rust_chunked:?}, SDK content-length {sdk_length:?} transfer-encoding {sdk_chunked:?}"
            ),
        ));
    }
    if let Some(length) = rust_length
        && length != rust.body.len().to_string()
    {
        differences.push(Difference::new(
            "framing",
            None,
            format!(
                "Rust content-length {length} for a body of {} bytes",
                rust.body.len()
            ),
        ));
    }
    differences
}
