//! Checks of one operation file (`<Action>.json`).

use std::path::Path;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{Map, Value};

use super::fields::{self, Place, SchemaIndex};
use super::json_text;
use super::lenient::{self, Outcome};
use super::names::{identifier_problem, is_valid_action};
use super::report::{Report, child};
use crate::spec::{Discrepancy, ErrorRow, OperationSpec, Sample, SampleFormat};

/// Keys checked on their own: the lists element by element, so one bad row does not hide
/// the next, and the response as a field.
const LIST_KEYS: [&str; 6] = [
    "request",
    "response",
    "response_headers",
    "errors",
    "samples",
    "discrepancies",
];

/// Parses and checks one operation file. `schemas` are the product's named schemas, when
/// known, to resolve `$ref`s against. Returns the spec only when the file has no problem.
pub(crate) fn check(
    text: &str,
    schemas: Option<&SchemaIndex>,
    report: &mut Report,
) -> Option<OperationSpec> {
    let value = json_text::parse(text, report)?;
    let Value::Object(object) = &value else {
        let _ = lenient::deserialize_object::<OperationSpec>(value, "", "an operation", report);
        return None;
    };
    let mut uses = Vec::new();

    // The operation's own keys, with its fields and rows stripped out (checked below).
    let mut own = lenient::without(object, &LIST_KEYS);
    if object.contains_key("response")
        && let Value::Object(own) = &mut own
    {
        own.insert("response".to_owned(), Value::Object(Map::new()));
    }
    let _ = lenient::deserialize::<OperationSpec>(own, "", report);
    check_header(object, report);

    if let Some(request) = object.get("request") {
        fields::check_list(
            request,
            "/request",
            Place::RequestParameter,
            report,
            &mut uses,
        );
    }
    if let Some(response) = object.get("response") {
        fields::check(
            response,
            "/response",
            Place::ResponseRoot,
            report,
            &mut uses,
        );
    }
    if let Some(headers) = object.get("response_headers") {
        fields::check_list(
            headers,
            "/response_headers",
            Place::Property,
            report,
            &mut uses,
        );
    }
    for (pointer, row) in rows::<ErrorRow>(object, "errors", "an error row", report) {
        check_error_row(&row, &pointer, report);
    }
    for (pointer, sample) in rows::<Sample>(object, "samples", "a sample", report) {
        check_sample(&sample, &pointer, report);
    }
    let _ = rows::<Discrepancy>(object, "discrepancies", "a discrepancy", report);
    if let Some(schemas) = schemas {
        schemas.resolve(&uses, report);
    }

    if !report.is_clean() {
        return None;
    }
    match serde_json::from_value(value) {
        Ok(spec) => Some(spec),
        Err(error) => {
            // Every problem serde can find was reported above; this would be a loader bug,
            // still reported rather than hidden.
            report.push("", format!("cannot read the operation: {error}"));
            None
        }
    }
}

/// Checks on the operation's header keys, read from the raw document so that they run
/// even when other keys of the operation are broken.
fn check_header(object: &Map<String, Value>, report: &mut Report) {
    if let Some(action) = object.get("action").and_then(Value::as_str) {
        if !is_valid_action(action) {
            report.push(
                "/action",
                format!(
                    "action `{action}` is not a valid operation name: use ASCII letters and \
                     digits, starting with a letter"
                ),
            );
        }
        let file_name = report
            .file()
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        let expected = format!("{action}.json");
        if let Some(file_name) = file_name
            && file_name != expected
        {
            report.push(
                "/action",
                format!(
                    "action `{action}` does not match the file name `{file_name}`: the file \
                     must be named `{expected}`"
                ),
            );
        }
    }
    if object
        .get("methods")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        report.push(
            "/methods",
            "no HTTP method: list at least one (`post`, `get`, ...)",
        );
    }
    if let Some(path) = object.get("path").and_then(Value::as_str)
        && !path.starts_with('/')
    {
        report.push(
            "/path",
            format!("request path `{path}` must start with `/`"),
        );
    }
    if let Some(poll) = object
        .get("async")
        .and_then(|info| info.get("poll"))
        .and_then(Value::as_str)
        && !is_valid_action(poll)
    {
        report.push(
            "/async/poll",
            format!("`{poll}` is not a valid operation name to poll: use ASCII letters and digits"),
        );
    }
}

/// Reads the rows of the list under `key`, each on its own; returns those read faithfully.
fn rows<T: DeserializeOwned>(
    object: &Map<String, Value>,
    key: &str,
    what: &str,
    report: &mut Report,
) -> Vec<(String, T)> {
    let pointer = child("", key);
    match object.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let item_pointer = child(&pointer, index);
                match lenient::deserialize_object::<T>(item.clone(), &item_pointer, what, report) {
                    Outcome::Faithful(row) => Some((item_pointer, row)),
                    Outcome::Broken => None,
                }
            })
            .collect(),
        Some(other) => {
            let _ = lenient::deserialize::<Vec<Value>>(other.clone(), &pointer, report);
            Vec::new()
        }
    }
}

fn check_error_row(row: &ErrorRow, pointer: &str, report: &mut Report) {
    if !(100..=599).contains(&row.status) {
        report.push(
            child(pointer, "status"),
            format!("HTTP status {} is outside 100..=599", row.status),
        );
    }
    if row.code.trim().is_empty() {
        report.push(
            child(pointer, "code"),
            "error code is empty: every error row needs the code the service returns",
        );
    } else if identifier_problem(&row.code).is_some() {
        report.push(
            child(pointer, "code"),
            format!(
                "error code `{}` cannot become a Rust enum variant: it has no ASCII letter or \
                 digit",
                row.code
            ),
        );
    }
}

fn check_sample(sample: &Sample, pointer: &str, report: &mut Report) {
    if sample.format == SampleFormat::Json
        && let Err(error) = serde_json::from_str::<IgnoredAny>(&sample.body)
    {
        report.push(
            child(pointer, "body"),
            format!("sample declared `json` does not parse as JSON: {error}"),
        );
    }
}

/// The file an operation named `action` must live in.
pub(crate) fn is_operation_file(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "json")
        && path
            .file_name()
            .is_some_and(|name| name != crate::spec::PRODUCT_FILE)
}
