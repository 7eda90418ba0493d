//! What a valid call gets back, decided once per operation when the specs are loaded.
//!
//! RPC answers are JSON objects with a top-level `RequestId` (the page's sample, else just
//! the id). The other styles answer with the root the spec declares (styles reference
//! §1.1, §1.8): a JSON object or array, text, raw bytes, or nothing at all (a 204). The
//! page's first JSON success sample is used when it has that root; otherwise an answer is
//! synthesized from the response schema (examples where they parse, zero values else).
//! The request id of an ROA success is product-specific (`RequestId`, `requestId`,
//! `request_id`): the one the sample carries is refreshed, or the one the schema declares
//! is added; nothing is added to a body that declares none (the `x-acs-request-id` header
//! always carries it).

use std::collections::BTreeMap;

use alibabacloud_codegen::spec::{Field, FieldType, OperationSpec, SampleFormat};
use serde_json::Value;

use crate::sample;
use crate::validate::resolve;

/// `content-type` of JSON answers (Alibaba's spelling).
pub(crate) const JSON: &str = "application/json;charset=utf-8";
const TEXT: &str = "text/plain;charset=utf-8";
const BYTES: &str = "application/octet-stream";

/// The spellings of a success's request id, in the order they are looked for.
const REQUEST_ID_KEYS: [&str; 3] = ["RequestId", "requestId", "request_id"];

/// The answer of a valid call, before its request id is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// RPC: a JSON object sample (checked), or none; `RequestId` refreshed or added.
    Rpc(Option<String>),
    /// A JSON document; `request_id` names the top-level member to refresh (or add).
    Json {
        text: String,
        request_id: Option<String>,
    },
    /// `string` root: the text as is.
    Text(String),
    /// `binary` root: raw bytes.
    Bytes(Vec<u8>),
    /// No response type: no body, status 204.
    Empty,
}

/// A rendered answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub(crate) status: u16,
    /// `None` for an empty answer.
    pub(crate) content_type: Option<&'static str>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    /// The answer with `request_id` in it where the operation's responses carry one.
    pub(crate) fn render(&self, request_id: &str) -> Rendered {
        let (status, content_type, body) = match self {
            Answer::Rpc(sample) => (
                200,
                Some(JSON),
                sample::with_request_id(sample.as_deref().unwrap_or("{}"), request_id).into_bytes(),
            ),
            Answer::Json {
                text,
                request_id: key,
            } => (
                200,
                Some(JSON),
                match key {
                    Some(key) => sample::with_member(text, key, request_id),
                    None => text.clone(),
                }
                .into_bytes(),
            ),
            Answer::Text(text) => (200, Some(TEXT), text.clone().into_bytes()),
            Answer::Bytes(bytes) => (200, Some(BYTES), bytes.clone()),
            Answer::Empty => (204, None, Vec::new()),
        };
        Rendered {
            status,
            content_type,
            body,
        }
    }
}

impl Answer {
    /// The answer's JSON object, for a list page or a job state to be written into; an RPC
    /// operation without a sample starts from its synthesized response. `None` for answers
    /// that are not a JSON object.
    pub(crate) fn json_object(
        &self,
        spec: &OperationSpec,
        schemas: &BTreeMap<String, Field>,
    ) -> Option<Value> {
        let value = match self {
            Answer::Rpc(Some(text)) | Answer::Json { text, .. } => {
                serde_json::from_str(text).ok()?
            }
            Answer::Rpc(None) => synthesize(&spec.response, schemas),
            Answer::Text(_) | Answer::Bytes(_) | Answer::Empty => return None,
        };
        value.is_object().then_some(value)
    }

    /// The same kind of answer with `body` instead (its request id still to be refreshed).
    pub(crate) fn with_body(&self, body: &Value) -> Answer {
        match self {
            Answer::Json { request_id, .. } => Answer::Json {
                text: body.to_string(),
                request_id: request_id.clone(),
            },
            Answer::Rpc(_) => Answer::Rpc(Some(body.to_string())),
            other => other.clone(),
        }
    }
}

/// The first JSON sample of the page that is not an error example.
fn first_json_sample(spec: &OperationSpec) -> Option<&str> {
    spec.samples
        .iter()
        .find(|sample| sample.format == SampleFormat::Json && !sample.error)
        .map(|sample| sample.body.as_str())
}

/// An RPC answer: the first JSON sample must be a JSON object (else the reason).
pub(crate) fn rpc(spec: &OperationSpec) -> Result<Answer, String> {
    let Some(sample) = first_json_sample(spec) else {
        return Ok(Answer::Rpc(None));
    };
    match serde_json::from_str::<Value>(sample) {
        Ok(value) if value.is_object() => Ok(Answer::Rpc(Some(sample.to_owned()))),
        Ok(_) => Err("the first JSON sample response is not a JSON object".to_owned()),
        Err(err) => Err(format!(
            "the first JSON sample response is not valid JSON: {err}"
        )),
    }
}

/// The answer of a non-RPC operation, from its response root. The note says why the
/// sample was not used, when there is one and it was not.
pub(crate) fn styled(
    spec: &OperationSpec,
    schemas: &BTreeMap<String, Field>,
) -> (Answer, Option<String>) {
    let root = resolve(&spec.response, schemas);
    let sample = first_json_sample(spec);
    let parsed = sample.map(serde_json::from_str::<Value>);
    let mismatch = |what: &str| {
        sample.map(|_| format!("the first JSON sample is not {what}; an answer is synthesized"))
    };
    match root.ty {
        None => (Answer::Empty, None),
        Some(FieldType::Binary) => (Answer::Bytes(text_of(sample, root).into_bytes()), None),
        Some(FieldType::String) => (Answer::Text(text_of(sample, root)), None),
        Some(FieldType::Object) => match parsed {
            Some(Ok(Value::Object(members))) => {
                let key = REQUEST_ID_KEYS
                    .into_iter()
                    .find(|key| members.contains_key(*key))
                    .or_else(|| declared_request_id(root))
                    .map(str::to_owned);
                (
                    Answer::Json {
                        text: sample.unwrap_or_default().to_owned(),
                        request_id: key,
                    },
                    None,
                )
            }
            _ => (
                Answer::Json {
                    text: synthesize(root, schemas).to_string(),
                    request_id: declared_request_id(root).map(str::to_owned),
                },
                mismatch("a JSON object"),
            ),
        },
        Some(FieldType::Array) => match parsed {
            Some(Ok(Value::Array(_))) => (
                Answer::Json {
                    text: sample.unwrap_or_default().to_owned(),
                    request_id: None,
                },
                None,
            ),
            _ => (
                Answer::Json {
                    text: synthesize(root, schemas).to_string(),
                    request_id: None,
                },
                mismatch("a JSON array"),
            ),
        },
        Some(_) => match parsed {
            Some(Ok(_)) => (
                Answer::Json {
                    text: sample.unwrap_or_default().to_owned(),
                    request_id: None,
                },
                None,
            ),
            _ => (
                Answer::Json {
                    text: synthesize(root, schemas).to_string(),
                    request_id: None,
                },
                mismatch("valid JSON"),
            ),
        },
    }
}

/// The request-id member an object response declares, if any.
fn declared_request_id(root: &Field) -> Option<&'static str> {
    let properties = root.properties.as_deref().unwrap_or_default();
    REQUEST_ID_KEYS
        .into_iter()
        .find(|key| properties.iter().any(|p| p.name.as_deref() == Some(*key)))
}

/// A text or bytes answer: the sample's string (a JSON string is unquoted), else the
/// schema's example, else nothing.
fn text_of(sample: Option<&str>, root: &Field) -> String {
    match sample {
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::String(inner)) => inner,
            _ => text.to_owned(),
        },
        None => root.example.clone().unwrap_or_default(),
    }
}

/// A value of the schema's shape: examples where they parse as the type, else zero values;
/// one element per array; bounded depth, so recursive schemas end.
pub(crate) fn synthesize(field: &Field, schemas: &BTreeMap<String, Field>) -> Value {
    synthesize_at(field, schemas, 0)
}

fn synthesize_at(field: &Field, schemas: &BTreeMap<String, Field>, depth: usize) -> Value {
    const MAX_DEPTH: usize = 8;
    let field = resolve(field, schemas);
    let example = field.example.as_deref();
    match field.ty {
        Some(FieldType::Object) => {
            let mut members = serde_json::Map::new();
            if depth < MAX_DEPTH {
                for property in field.properties.as_deref().unwrap_or_default() {
                    if let Some(name) = &property.name {
                        members.insert(name.clone(), synthesize_at(property, schemas, depth + 1));
                    }
                }
            }
            Value::Object(members)
        }
        Some(FieldType::Array) => match (&field.items, depth < MAX_DEPTH) {
            (Some(items), true) => Value::Array(vec![synthesize_at(items, schemas, depth + 1)]),
            _ => Value::Array(Vec::new()),
        },
        Some(FieldType::String | FieldType::Binary) => {
            Value::String(example.unwrap_or_default().to_owned())
        }
        Some(FieldType::Integer | FieldType::Long) => {
            Value::from(example.and_then(|e| e.parse::<i64>().ok()).unwrap_or(0))
        }
        Some(FieldType::Float | FieldType::Double | FieldType::Number) => example
            .and_then(|e| e.parse::<f64>().ok())
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::from(0), Value::Number),
        Some(FieldType::Boolean) => Value::Bool(example == Some("true")),
        Some(FieldType::Any) | None => example
            .and_then(|e| serde_json::from_str(e).ok())
            .unwrap_or(Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(response: Value, samples: Value) -> OperationSpec {
        serde_json::from_value(serde_json::json!({
            "action": "Op", "summary": "s", "source": {}, "methods": ["get"],
            "path": "/x", "response": response, "samples": samples
        }))
        .unwrap()
    }

    fn answer(response: Value, samples: Value) -> (Answer, Option<String>) {
        styled(&spec(response, samples), &BTreeMap::new())
    }

    #[test]
    fn each_root_gets_its_kind_of_answer() {
        let (object, note) = answer(
            serde_json::json!({"type": "object", "properties": [{"name": "request_id", "type": "string"}]}),
            serde_json::json!([{"format": "json", "body": "{\"a\": 1, \"request_id\": \"old\"}"}]),
        );
        assert_eq!(note, None);
        let rendered = object.render("NEW");
        assert_eq!((rendered.status, rendered.content_type), (200, Some(JSON)));
        assert_eq!(rendered.body, b"{\"a\": 1, \"request_id\": \"NEW\"}");

        let (bytes, _) = answer(
            serde_json::json!({"type": "binary"}),
            serde_json::json!([{"format": "json", "body": "\"response\""}]),
        );
        assert_eq!(bytes.render("N").body, b"response");
        assert_eq!(bytes.render("N").content_type, Some(BYTES));

        let (text, _) = answer(
            serde_json::json!({"type": "string", "example": "hi"}),
            serde_json::json!([]),
        );
        assert_eq!(text, Answer::Text("hi".into()));

        let (empty, _) = answer(serde_json::json!({}), serde_json::json!([]));
        let rendered = empty.render("N");
        assert_eq!((rendered.status, rendered.content_type), (204, None));
        assert!(rendered.body.is_empty());

        let (array, _) = answer(
            serde_json::json!({"type": "array", "items": {"type": "object", "properties": [{"name": "n", "type": "integer", "example": "3"}]}}),
            serde_json::json!([]),
        );
        assert_eq!(array.render("N").body, b"[{\"n\":3}]");
    }

    #[test]
    fn a_sample_of_the_wrong_kind_is_replaced_by_a_synthesized_answer() {
        let (object, note) = answer(
            serde_json::json!({"type": "object", "properties": [{"name": "requestId", "type": "string"}, {"name": "ok", "type": "boolean", "example": "true"}]}),
            serde_json::json!([{"format": "json", "body": "[1]"}, {"format": "json", "body": "{}", "error": true}]),
        );
        assert!(note.unwrap().contains("not a JSON object"));
        let body: Value = serde_json::from_slice(&object.render("NEW").body).unwrap();
        assert_eq!(body, serde_json::json!({"requestId": "NEW", "ok": true}));
    }

    #[test]
    fn no_request_id_is_added_where_none_is_declared() {
        let (object, _) = answer(
            serde_json::json!({"type": "object", "properties": []}),
            serde_json::json!([{"format": "json", "body": "{}"}]),
        );
        assert_eq!(object.render("N").body, b"{}");
    }
}
