//! Field-by-field comparison of an import with a committed spec.

use std::fmt;

use serde_json::Value;

use crate::spec::OperationSpec;

/// One place where the page (re-imported) and the committed spec disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// JSON pointer into the spec (`/errors/12/message`).
    pub pointer: String,
    /// What the page gives; `None` when the page lacks it.
    pub page: Option<Value>,
    /// What the spec says; `None` when the spec lacks it.
    pub spec: Option<Value>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |value: &Option<Value>| {
            value
                .as_ref()
                .map_or_else(|| "(absent)".to_owned(), Value::to_string)
        };
        write!(
            f,
            "{}: page has {}, spec has {}",
            self.pointer,
            show(&self.page),
            show(&self.spec)
        )
    }
}

/// Every difference between `imported` and `committed`, in document order.
pub fn differences(imported: &OperationSpec, committed: &OperationSpec) -> Vec<Difference> {
    let mut out = Vec::new();
    match (
        serde_json::to_value(imported),
        serde_json::to_value(committed),
    ) {
        (Ok(page), Ok(spec)) => diff(&mut String::new(), Some(&page), Some(&spec), &mut out),
        // Spec types always serialise; keep the comparison total anyway.
        (page, spec) => out.push(Difference {
            pointer: String::new(),
            page: page.ok(),
            spec: spec.ok(),
        }),
    }
    out
}

fn diff(
    pointer: &mut String,
    page: Option<&Value>,
    spec: Option<&Value>,
    out: &mut Vec<Difference>,
) {
    match (page, spec) {
        (Some(Value::Object(page)), Some(Value::Object(spec))) => {
            let mut keys: Vec<&String> = page.keys().chain(spec.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                diff(pointer, page.get(key), spec.get(key), out);
                pointer.truncate(len);
            }
        }
        (Some(Value::Array(page)), Some(Value::Array(spec))) => {
            for index in 0..page.len().max(spec.len()) {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                diff(pointer, page.get(index), spec.get(index), out);
                pointer.truncate(len);
            }
        }
        (page, spec) if page != spec => out.push(Difference {
            pointer: pointer.clone(),
            page: page.cloned(),
            spec: spec.cloned(),
        }),
        _ => {}
    }
}
