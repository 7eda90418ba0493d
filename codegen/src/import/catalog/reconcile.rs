//! Where an operation's own sample response contradicts its response schema, the sample
//! wins for the contradictions that would make decoding fail: a 32-bit `integer` field whose
//! sample value does not fit in 32 bits (adb `GetSparkAppLog` documents `LogSize` as int32
//! and shows `3517972480`) becomes `long`; an integer field whose sample holds a fraction
//! (rds `DescribeSlowLogRecords` `CpuTime`: int64, `0.002`) becomes `double`. Each change is
//! recorded. Everything else the runtime's lenient decoding already tolerates (numbers in
//! string fields, `"True"` for booleans).

use std::collections::BTreeMap;

use serde_json::Value;

use super::issues::{IssueKind, Recorder, child};
use crate::spec::{Field, FieldType, SampleFormat};

/// Widens the fields of `response` (and the named schemas it reaches) that a JSON success
/// sample of the operation proves too narrow. `pointer` is the operation's.
pub(super) fn widen_to_samples(
    response: &mut Field,
    samples: &[crate::spec::Sample],
    schemas: &mut BTreeMap<String, Field>,
    pointer: &str,
    recorder: &mut Recorder,
) {
    for sample in samples
        .iter()
        .filter(|s| s.format == SampleFormat::Json && !s.error)
    {
        if let Ok(value) = serde_json::from_str::<Value>(&sample.body) {
            let mut walk = Walk {
                schemas,
                recorder,
                pointer,
                depth: 0,
            };
            walk.field(response, &value, "");
        }
    }
}

/// How deep `$ref` chains are followed; named schemas can refer to themselves.
const MAX_DEPTH: usize = 64;

struct Walk<'a> {
    schemas: &'a mut BTreeMap<String, Field>,
    recorder: &'a mut Recorder,
    pointer: &'a str,
    depth: usize,
}

impl Walk<'_> {
    fn field(&mut self, field: &mut Field, value: &Value, path: &str) {
        if self.depth > MAX_DEPTH {
            return;
        }
        if let Some(name) = field.reference.clone() {
            // Take the schema out while walking it, so a self-reference finds nothing to
            // recurse into instead of looping.
            if let Some(mut schema) = self.schemas.remove(&name) {
                self.depth += 1;
                self.field(&mut schema, value, path);
                self.depth -= 1;
                self.schemas.insert(name, schema);
            }
            return;
        }
        match (field.ty, value) {
            (Some(ty @ (FieldType::Integer | FieldType::Long)), Value::Number(number)) => {
                let widened = if number.is_f64() {
                    // A fraction in an integer field (rds DescribeSlowLogRecords CpuTime).
                    Some(FieldType::Double)
                } else {
                    let fits = number.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
                    (ty == FieldType::Integer && !fits).then_some(FieldType::Long)
                };
                if let Some(wider) = widened {
                    field.ty = Some(wider);
                    self.recorder.record(
                        IssueKind::SampleWidenedType,
                        &child(self.pointer, "responseDemo"),
                        format!(
                            "`{path}` is {ty:?} but the sample holds {number}; widened to {wider:?}"
                        ),
                    );
                }
            }
            (Some(FieldType::Object), Value::Object(map)) => {
                for property in field.properties.iter_mut().flatten() {
                    let Some(name) = property.name.clone() else {
                        continue;
                    };
                    if let Some(inner) = map.get(&name) {
                        let path = if path.is_empty() {
                            name
                        } else {
                            format!("{path}.{name}")
                        };
                        self.field(property, inner, &path);
                    }
                }
                if let Some(values) = field.additional_properties.as_deref_mut() {
                    for (key, inner) in map {
                        self.field(values, inner, &format!("{path}.{key}"));
                    }
                }
            }
            (Some(FieldType::Array), Value::Array(elements)) => {
                if let Some(items) = field.items.as_deref_mut() {
                    for element in elements {
                        self.field(items, element, &format!("{path}[]"));
                    }
                }
            }
            _ => {}
        }
    }
}
