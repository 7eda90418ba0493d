//! Sample responses: found, cut out verbatim, and read in page order.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::lines::{Page, Section};
use super::{Note, PageError};
use crate::spec::{Sample, SampleFormat};

/// A sample as found on the page, with the 1-based line its body starts on.
pub(crate) struct FoundSample {
    pub sample: Sample,
    pub line: usize,
}

/// Reads every sample of the "Examples" section. A format marker (`JSONformat`, or `JSON`
/// and `format` on two lines) opens a sample; "Sample error responses" marks the samples
/// after it as error samples.
pub(crate) fn read(
    page: &Page,
    section: Section,
    notes: &mut Vec<Note>,
) -> Result<Vec<FoundSample>, PageError> {
    let mut found = Vec::new();
    let mut error = false;
    let mut i = section.start;
    while i < section.end {
        let line = page.line(i).trim();
        if line.starts_with("Sample ") && line.ends_with(" responses") {
            error = line.contains("error");
        }
        let (format, marker_len) = match marker(line, page.line(i + 1).trim()) {
            Some(found) => found,
            None => {
                i += 1;
                continue;
            }
        };
        let mut start = i + marker_len;
        while start < section.end && page.line(start).trim().is_empty() {
            start += 1;
        }
        if start >= section.end {
            return Err(PageError::at(
                i + 1,
                "sample format marker with no sample after it: truncated page?",
            ));
        }
        let end = match format {
            SampleFormat::Json => json_end(page, start, section.end)?,
            SampleFormat::Xml => text_end(page, start, section.end),
        };
        let body = page.slice(start, end).join("\n");
        if format == SampleFormat::Json
            && serde_json::from_str::<serde::de::IgnoredAny>(&body).is_err()
        {
            notes.push(Note::at(
                start + 1,
                "the sample response is not valid JSON; kept verbatim",
            ));
        }
        found.push(FoundSample {
            sample: Sample {
                format,
                body,
                error,
            },
            line: start + 1,
        });
        i = end;
    }
    Ok(found)
}

fn marker(line: &str, next: &str) -> Option<(SampleFormat, usize)> {
    match (line, next) {
        ("JSONformat", _) => Some((SampleFormat::Json, 1)),
        ("XMLformat", _) => Some((SampleFormat::Xml, 1)),
        ("JSON", "format") => Some((SampleFormat::Json, 2)),
        ("XML", "format") => Some((SampleFormat::Xml, 2)),
        _ => None,
    }
}

/// End (exclusive line index) of the JSON value starting on line `start`: where its
/// brackets balance, strings and escapes taken into account.
fn json_end(page: &Page, start: usize, end: usize) -> Result<usize, PageError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut opened = false;
    for i in start..end {
        for c in page.line(i).chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => {
                    depth += 1;
                    opened = true;
                }
                '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if opened && depth == 0 {
            return Ok(i + 1);
        }
        if !opened {
            return Err(PageError::at(
                i + 1,
                format!(
                    "expected a JSON sample response, found `{}`",
                    page.line(i).trim()
                ),
            ));
        }
    }
    Err(PageError::at(
        start + 1,
        "the JSON sample response starting here never closes: truncated page?",
    ))
}

/// End of a non-JSON sample: the last non-blank line before the section ends or another
/// "Sample ..." line.
fn text_end(page: &Page, start: usize, end: usize) -> usize {
    let stop = (start..end)
        .find(|&i| page.line(i).trim().starts_with("Sample "))
        .unwrap_or(end);
    (start..stop)
        .rev()
        .find(|&i| !page.line(i).trim().is_empty())
        .map_or(start + 1, |i| i + 1)
}

/// A JSON value whose objects keep the page's key order (serde_json's map sorts them).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    Scalar(Value),
}

impl Json {
    /// Parses `text`, or `None` when it is not JSON.
    pub fn parse(text: &str) -> Option<Json> {
        serde_json::from_str(text).ok()
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Scalar(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Scalar(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Scalar(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                Ok(Json::Scalar(Value::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Scalar(Value::from(v)))
            }
            fn visit_string<E>(self, v: String) -> Result<Json, E> {
                Ok(Json::Scalar(Value::String(v)))
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Scalar(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry()? {
                    entries.push((key, value));
                }
                Ok(Json::Object(entries))
            }
        }
        deserializer.deserialize_any(JsonVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order() {
        let json = Json::parse(r#"{"b": 1, "a": {"d": true, "c": "x"}}"#).unwrap();
        let Json::Object(entries) = &json else {
            panic!("not an object")
        };
        assert_eq!(
            entries.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        let Some(Json::Object(inner)) = json.get("a") else {
            panic!("no a")
        };
        assert_eq!(inner[0].0, "d");
    }
}
