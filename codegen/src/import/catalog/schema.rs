//! A metadata JSON schema node becomes a spec [`Field`]: the type mapping, bounds, `$ref`
//! and the flags the metadata implies (sensitive).
//!
//! Type mapping (metadata `type` + `format` → spec type):
//!
//! | metadata | spec |
//! | --- | --- |
//! | `integer` `int32` | `integer` |
//! | `integer` `int64`, or no format | `long` (the wider type is the safe guess) |
//! | `number` `float` / `double` / none | `float` / `double` / `number` |
//! | `string` `binary` | `binary` |
//! | `string` with any other format (`iso8601`, `byte`, `int64`, ...) | `string`, format kept |
//! | `boolean`, `object`, `array`, `any` | the same |
//! | `$ref: #/components/schemas/X` | `"$ref": "X"` |
//!
//! Anything else becomes `any` and an [`Issue`](super::Issue).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::Value;

use super::issues::{IssueKind, Recorder, child};
use super::raw::{RawAdditional, RawSchema};
use crate::spec::{Field, FieldType};

/// Prefix of every `$ref` in the metadata.
const REF_PREFIX: &str = "#/components/schemas/";

/// What a schema conversion needs besides the node: the product's schema names, and where
/// issues and skipped keys are counted.
pub(super) struct SchemaContext<'a> {
    pub(super) recorder: &'a mut Recorder,
    pub(super) schema_names: &'a BTreeSet<String>,
    pub(super) ignored_keys: &'a mut BTreeMap<String, usize>,
}

/// Converts one schema node. `name` is the wire name of a parameter or property.
pub(super) fn convert(
    raw: &RawSchema,
    name: Option<&str>,
    pointer: &str,
    cx: &mut SchemaContext<'_>,
) -> Field {
    for key in &raw.ignored_keys {
        *cx.ignored_keys.entry((*key).to_owned()).or_default() += 1;
    }
    for key in &raw.unknown_keys {
        cx.recorder.record(
            IssueKind::UnknownSchemaKey,
            pointer,
            format!("key `{key}` not understood; ignored"),
        );
    }
    let mut field = Field {
        name: name.map(str::to_owned),
        description: text(
            raw.description.as_ref(),
            pointer,
            "description",
            cx.recorder,
        ),
        example: scalar_text(raw.example.as_ref(), pointer, "example", cx.recorder)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        required: flag(raw.required.as_ref(), pointer, "required", cx.recorder),
        deprecated: flag(raw.deprecated.as_ref(), pointer, "deprecated", cx.recorder),
        enumeration: enumeration(raw.enumeration.as_ref(), pointer, cx.recorder),
        minimum: scalar_text(raw.minimum.as_ref(), pointer, "minimum", cx.recorder),
        maximum: scalar_text(raw.maximum.as_ref(), pointer, "maximum", cx.recorder),
        exclusive_minimum: flag(
            raw.exclusive_minimum.as_ref(),
            pointer,
            "exclusiveMinimum",
            cx.recorder,
        ),
        exclusive_maximum: flag(
            raw.exclusive_maximum.as_ref(),
            pointer,
            "exclusiveMaximum",
            cx.recorder,
        ),
        min_length: count(raw.min_length.as_ref(), pointer, "minLength", cx.recorder),
        max_length: count(raw.max_length.as_ref(), pointer, "maxLength", cx.recorder),
        min_items: count(raw.min_items.as_ref(), pointer, "minItems", cx.recorder),
        max_items: count(raw.max_items.as_ref(), pointer, "maxItems", cx.recorder),
        pattern: scalar_text(raw.pattern.as_ref(), pointer, "pattern", cx.recorder)
            .filter(|s| !s.is_empty()),
        default: scalar_text(raw.default.as_ref(), pointer, "default", cx.recorder)
            .filter(|s| !s.is_empty()),
        ..Field::default()
    };
    let marked_sensitive = flag(raw.sensitive.as_ref(), pointer, "sensitive", cx.recorder);

    if let Some(reference) = reference(raw, pointer, cx.recorder) {
        match reference
            .strip_prefix(REF_PREFIX)
            .filter(|target| cx.schema_names.contains(*target))
        {
            Some(target) => field.reference = Some(target.to_owned()),
            None => {
                cx.recorder.record(
                    IssueKind::UnresolvedRef,
                    pointer,
                    format!("`{reference}` names no schema of this product; imported as `any`"),
                );
                field.ty = Some(FieldType::Any);
            }
        }
        field.sensitive = marked_sensitive;
        return field;
    }

    let format = match raw.format.as_ref() {
        None => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            cx.recorder.record(
                IssueKind::MalformedValue,
                &child(pointer, "format"),
                format!("format {other} is not a string; ignored"),
            );
            None
        }
    };
    let ty = match raw.ty.as_ref() {
        Some(Value::String(ty)) => ty.as_str(),
        None if raw.properties.is_some() || raw.additional_properties.is_some() => {
            cx.recorder.record(
                IssueKind::MissingType,
                pointer,
                "no `type`, but properties: imported as `object`",
            );
            "object"
        }
        None if raw.items.is_some() => {
            cx.recorder.record(
                IssueKind::MissingType,
                pointer,
                "no `type`, but items: imported as `array`",
            );
            "array"
        }
        None => {
            cx.recorder.record(
                IssueKind::MissingType,
                pointer,
                "neither `type` nor `$ref`: imported as `any`",
            );
            "any"
        }
        Some(other) => {
            cx.recorder.record(
                IssueKind::MalformedValue,
                &child(pointer, "type"),
                format!("type {other} is not a string: imported as `any`"),
            );
            "any"
        }
    };
    let (mapped, kept_format) = map_type(ty, format, pointer, cx.recorder);
    field.ty = Some(mapped);
    field.format = kept_format;
    field.sensitive =
        marked_sensitive || (mapped == FieldType::String && name.is_some_and(name_looks_secret));

    match mapped {
        FieldType::Object => {
            if let Some(properties) = &raw.properties {
                let pointer = child(pointer, "properties");
                let mut fields = Vec::with_capacity(properties.0.len());
                for (key, property) in &properties.0 {
                    let property_pointer = child(&pointer, key);
                    if !usable_name(key) {
                        cx.recorder.record(
                            IssueKind::UnusableName,
                            &property_pointer,
                            format!(
                                "property name {key:?} cannot become a Rust identifier; skipped"
                            ),
                        );
                        continue;
                    }
                    fields.push(convert(property, Some(key), &property_pointer, cx));
                }
                field.properties = Some(fields);
            }
            match &raw.additional_properties {
                Some(RawAdditional::Flag(true)) => {
                    field.additional_properties = Some(Box::new(Field {
                        ty: Some(FieldType::Any),
                        ..Field::default()
                    }));
                }
                Some(RawAdditional::Schema(schema)) => {
                    let pointer = child(pointer, "additionalProperties");
                    field.additional_properties =
                        Some(Box::new(convert(schema, None, &pointer, cx)));
                }
                Some(RawAdditional::Flag(false)) | None => {}
            }
        }
        FieldType::Array => {
            let items = match &raw.items {
                Some(items) => convert(items, None, &child(pointer, "items"), cx),
                None => {
                    cx.recorder.record(
                        IssueKind::MissingItems,
                        pointer,
                        "array without `items`: items imported as `any`",
                    );
                    Field {
                        ty: Some(FieldType::Any),
                        ..Field::default()
                    }
                }
            };
            field.items = Some(Box::new(items));
        }
        _ => {}
    }
    field
}

/// The metadata type and format as a spec type, plus the format when the type does not
/// already say it.
fn map_type(
    ty: &str,
    format: Option<&str>,
    pointer: &str,
    recorder: &mut Recorder,
) -> (FieldType, Option<String>) {
    let mut unknown_format = |mapped: FieldType| {
        let format = format.map(str::to_owned);
        if let Some(f) = &format {
            recorder.record(
                IssueKind::UnknownFormat,
                &child(pointer, "format"),
                format!("format `{f}` on type `{ty}`: kept as documentation"),
            );
        }
        (mapped, format)
    };
    match (ty, format) {
        ("string", Some("binary")) => (FieldType::Binary, None),
        ("string", format) => (FieldType::String, format.map(str::to_owned)),
        ("integer", Some("int32")) => (FieldType::Integer, None),
        ("integer", Some("int64") | None) => (FieldType::Long, None),
        ("integer", _) => unknown_format(FieldType::Long),
        ("number", Some("float")) => (FieldType::Float, None),
        ("number", Some("double")) => (FieldType::Double, None),
        ("number", _) => unknown_format(FieldType::Number),
        ("boolean", _) => unknown_format(FieldType::Boolean),
        ("object", _) => unknown_format(FieldType::Object),
        ("array", _) => unknown_format(FieldType::Array),
        ("any", _) => unknown_format(FieldType::Any),
        (other, _) => {
            recorder.record(
                IssueKind::UnknownType,
                &child(pointer, "type"),
                format!("type `{other}` unknown: imported as `any`"),
            );
            (FieldType::Any, None)
        }
    }
}

/// `$ref`, or its dollar-less misspelling `ref` (recorded).
fn reference(raw: &RawSchema, pointer: &str, recorder: &mut Recorder) -> Option<String> {
    let value = match (&raw.reference, &raw.bare_reference) {
        (Some(value), _) => value,
        (None, Some(value)) => {
            recorder.record(IssueKind::BareRef, pointer, "`ref` read as `$ref`");
            value
        }
        (None, None) => return None,
    };
    match value {
        Value::String(s) => Some(s.clone()),
        other => {
            recorder.record(
                IssueKind::MalformedValue,
                &child(pointer, "$ref"),
                format!("$ref {other} is not a string; ignored"),
            );
            None
        }
    }
}

/// Whether a wire name can become a Rust identifier: the generator converts names with
/// `heck`, which keeps only ASCII letters and digits, so at least one must survive (the
/// spec loader applies the same rule).
pub(super) fn usable_name(name: &str) -> bool {
    name.to_snake_case()
        .chars()
        .any(|c| c.is_ascii_alphanumeric())
}

/// A wire name that names a secret, judged on its last words so that `SecretName`,
/// `PasswordType` or `ClientToken` stay readable while `AccountPassword`,
/// `AccessKeySecret`, `SecretData` and `x-acs-…-access-token` are redacted.
pub(super) fn name_looks_secret(name: &str) -> bool {
    let snake = name.to_snake_case();
    let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
    let last = words.last().copied().unwrap_or_default();
    let last_two = match words.as_slice() {
        [.., a, b] => Some((*a, *b)),
        _ => None,
    };
    matches!(last, "password" | "passwd" | "pwd" | "secret")
        || matches!(
            last_two,
            Some(
                ("secret", "key" | "data")
                    | ("private", "key")
                    | ("access" | "security" | "session" | "refresh", "token")
            )
        )
}

/// A documentation text: trimmed, `None` when empty. A list of strings (a few files) is
/// joined with newlines and recorded.
pub(super) fn text(
    value: Option<&Value>,
    pointer: &str,
    key: &str,
    recorder: &mut Recorder,
) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.trim().to_owned(),
        Value::Null => return None,
        Value::Array(parts) if parts.iter().all(Value::is_string) => {
            recorder.record(
                IssueKind::MalformedValue,
                &child(pointer, key),
                "a list of strings: joined with newlines",
            );
            parts
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_owned()
        }
        other => {
            recorder.record(
                IssueKind::MalformedValue,
                &child(pointer, key),
                format!("{other} is not text; ignored"),
            );
            return None;
        }
    };
    (!text.is_empty()).then_some(text)
}

/// A scalar printed as text (numbers and booleans as JSON prints them).
pub(super) fn scalar_text(
    value: Option<&Value>,
    pointer: &str,
    key: &str,
    recorder: &mut Recorder,
) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => None,
        other => {
            recorder.record(
                IssueKind::MalformedValue,
                &child(pointer, key),
                format!("{other} is not a scalar; ignored"),
            );
            None
        }
    }
}

/// A boolean flag; `"true"`/`"false"` strings are accepted and recorded.
pub(super) fn flag(
    value: Option<&Value>,
    pointer: &str,
    key: &str,
    recorder: &mut Recorder,
) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            let parsed = other
                .as_str()
                .and_then(|s| s.trim().to_ascii_lowercase().parse::<bool>().ok());
            recorder.record(
                IssueKind::MalformedValue,
                &child(pointer, key),
                format!(
                    "{other} is not a boolean; read as {}",
                    parsed.unwrap_or(false)
                ),
            );
            parsed.unwrap_or(false)
        }
    }
}

/// A non-negative count (lengths, item counts); numeric strings accepted.
fn count(value: Option<&Value>, pointer: &str, key: &str, recorder: &mut Recorder) -> Option<u64> {
    let value = value?;
    let parsed = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    if parsed.is_none() && !value.is_null() {
        recorder.record(
            IssueKind::MalformedValue,
            &child(pointer, key),
            format!("{value} is not a count; ignored"),
        );
    }
    parsed
}

/// `enum`: every value as text.
fn enumeration(
    value: Option<&Value>,
    pointer: &str,
    recorder: &mut Recorder,
) -> Option<Vec<String>> {
    let Value::Array(values) = value? else {
        recorder.record(
            IssueKind::MalformedValue,
            &child(pointer, "enum"),
            "not a list; ignored",
        );
        return None;
    };
    let pointer = child(pointer, "enum");
    let values: Vec<String> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| scalar_text(Some(v), &pointer, &i.to_string(), recorder))
        .collect();
    (!values.is_empty()).then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_judged_on_their_last_words() {
        for secret in [
            "Password",
            "AccountPassword",
            "SourceEndpointPassword",
            "AccessKeySecret",
            "OssAkSecret",
            "client_secret",
            "SecretKey",
            "SecretData",
            "PrivateKey",
            "x-acs-airticket-access-token",
            "SecurityToken",
            "SharePwd",
        ] {
            assert!(name_looks_secret(secret), "{secret} should be sensitive");
        }
        for plain in [
            "SecretName",
            "SecretId",
            "PasswordType",
            "PasswordInherit",
            "ClientToken",
            "NextToken",
            "AccessKeyId",
            "AccessKey",
            "MaxPasswordAge",
            "RegionId",
        ] {
            assert!(!name_looks_secret(plain), "{plain} should not be sensitive");
        }
    }
}
