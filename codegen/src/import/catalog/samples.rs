//! `responseDemo` becomes the spec's sample responses.
//!
//! The metadata stores the samples as a JSON *string* holding a list of
//! `{type, example, errorExample}`; each non-empty `example` is a success sample and each
//! non-empty `errorExample` an error sample, both kept verbatim. A sample labelled `json`
//! whose body does not parse is not kept as a fixture (tests decode every JSON sample).

use serde_json::Value;

use super::issues::{IssueKind, Recorder, child};
use crate::spec::{Sample, SampleFormat};

/// The samples of one operation; `pointer` is the operation's.
pub(super) fn samples(demo: Option<&Value>, pointer: &str, recorder: &mut Recorder) -> Vec<Sample> {
    let pointer = child(pointer, "responseDemo");
    let text = match demo {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::String(text)) if text.trim().is_empty() => return Vec::new(),
        Some(Value::String(text)) => text,
        Some(other) => {
            recorder.record(
                IssueKind::MalformedResponseDemo,
                &pointer,
                format!("not a string but {}; no samples", json_kind(other)),
            );
            return Vec::new();
        }
    };
    let entries: Vec<Value> = match serde_json::from_str(text) {
        Ok(Value::Array(entries)) => entries,
        Ok(other) => {
            recorder.record(
                IssueKind::MalformedResponseDemo,
                &pointer,
                format!("holds {} instead of a list; no samples", json_kind(&other)),
            );
            return Vec::new();
        }
        Err(e) => {
            recorder.record(
                IssueKind::MalformedResponseDemo,
                &pointer,
                format!("does not parse as JSON ({e}); no samples"),
            );
            return Vec::new();
        }
    };
    let mut samples = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let entry_pointer = child(&pointer, &index.to_string());
        let format = match entry.get("type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("json") => SampleFormat::Json,
            Some(t) if t.eq_ignore_ascii_case("xml") => SampleFormat::Xml,
            other => {
                recorder.record(
                    IssueKind::UnknownSampleType,
                    &entry_pointer,
                    format!("sample type {other:?} is neither json nor xml; skipped"),
                );
                continue;
            }
        };
        for (key, error) in [("example", false), ("errorExample", true)] {
            let Some(body) = entry.get(key).and_then(Value::as_str) else {
                continue;
            };
            if body.trim().is_empty() {
                continue;
            }
            if format == SampleFormat::Json
                && serde_json::from_str::<serde::de::IgnoredAny>(body).is_err()
            {
                recorder.record(
                    IssueKind::InvalidJsonSample,
                    &child(&entry_pointer, key),
                    "labelled json but does not parse; not kept as a fixture",
                );
                continue;
            }
            samples.push(Sample {
                format,
                body: body.to_owned(),
                error,
            });
        }
    }
    samples
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn success_and_error_examples_are_kept_verbatim() {
        let mut recorder = Recorder::default();
        let value = demo(
            r#"[{"type":"json","example":"{\n \"A\": 1\n}","errorExample":"{\"Code\":\"X\"}"},{"type":"xml","example":"<A>1</A>","errorExample":""}]"#,
        );
        let samples = samples(Some(&value), "/apis/Op", &mut recorder);
        assert_eq!(
            samples,
            vec![
                Sample {
                    format: SampleFormat::Json,
                    body: "{\n \"A\": 1\n}".into(),
                    error: false
                },
                Sample {
                    format: SampleFormat::Json,
                    body: "{\"Code\":\"X\"}".into(),
                    error: true
                },
                Sample {
                    format: SampleFormat::Xml,
                    body: "<A>1</A>".into(),
                    error: false
                },
            ]
        );
        assert!(recorder.issues.is_empty());
    }

    #[test]
    fn malformed_demos_are_recorded_not_fatal() {
        let mut recorder = Recorder::default();
        assert!(samples(Some(&demo("{oops")), "/apis/Op", &mut recorder).is_empty());
        assert!(samples(Some(&demo(r#"{"a":1}"#)), "/apis/Op", &mut recorder).is_empty());
        let kept = samples(
            Some(&demo(
                r#"[{"type":"yaml","example":"a: 1"},{"type":"json","example":"{bad"}]"#,
            )),
            "/apis/Op",
            &mut recorder,
        );
        assert!(kept.is_empty());
        let kinds: Vec<IssueKind> = recorder.issues.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [
                IssueKind::MalformedResponseDemo,
                IssueKind::MalformedResponseDemo,
                IssueKind::UnknownSampleType,
                IssueKind::InvalidJsonSample
            ]
        );
        assert_eq!(
            recorder.issues[3].pointer,
            "/apis/Op/responseDemo/1/example"
        );
    }
}
