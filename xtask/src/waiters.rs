//! `cargo xtask waiters [--catalog <dir>]`: proposes entries of `specs/waiters.json` for
//! the asynchronous operations of the catalog that have none, for a person to review.
//!
//! For each asynchronous operation whose poll operation exists, it finds the poll
//! response's status fields (`Status`, `State`, `TaskStatus`, ... through objects, and
//! through arrays as `X[]`), reads their values from the schema's `enum` or from the
//! field's description (`*   **Active**: ...`, `- ISSUE: ...`), and sorts them by the
//! operation's verb into success and failure. It prints JSON to paste into the table once
//! checked against the pages; it writes nothing, since nothing in the table may be
//! guessed. Operations with no readable values are listed on stderr.

use std::collections::BTreeMap;
use std::path::PathBuf;

use alibabacloud_codegen::import::catalog::{ImportOptions, import_product};
use alibabacloud_codegen::paging::resolve;
use alibabacloud_codegen::reviewed::WaiterEntry;
use alibabacloud_codegen::spec::{Field, FieldType, OperationSpec};

use crate::catalog::source;

/// Verbs whose work ends with the resource gone or undone.
const REMOVING: &[&str] = &[
    "Delete",
    "Detach",
    "Disassociate",
    "Deregister",
    "Release",
    "Remove",
    "Unbind",
    "Unassociate",
    "Leave",
];
/// Verbs whose work ends with the resource stopped or disabled.
const DISABLING: &[&str] = &["Deactive", "Deactivate", "Disable", "Stop", "Suspend"];
/// Values that mean a resource is stopped or disabled.
const STOPPED: &[&str] = &["inactive", "disabled", "stopped", "suspended"];
/// Values that mean a job or task finished well, whatever the verb.
const JOB_DONE: &[&str] = &[
    "succeeded",
    "success",
    "successful",
    "finished",
    "finish",
    "completed",
    "complete",
    "done",
];
/// Values that mean a resource is ready after a create, attach or change.
const READY: &[&str] = &[
    "active",
    "available",
    "running",
    "normal",
    "attached",
    "associated",
    "registered",
    "enabled",
    "ready",
    "bound",
    "inuse",
    "online",
    "issue",
];
/// Values that mean a resource is gone or undone after a removal.
const GONE: &[&str] = &[
    "deleted",
    "detached",
    "disassociated",
    "deregistered",
    "released",
    "removed",
    "unbound",
];

pub fn run(args: &[String]) -> Result<(), String> {
    let repo = crate::workspace::root()?;
    let mut catalog = source::default_root(&repo);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--catalog" => {
                catalog = PathBuf::from(rest.next().ok_or("--catalog takes a directory")?);
            }
            other => {
                return Err(format!(
                    "unexpected argument `{other}` (usage: cargo xtask waiters [--catalog <dir>])"
                ));
            }
        }
    }
    let reviewed = crate::workspace::reviewed(&repo)?;
    let mut proposals: BTreeMap<String, WaiterEntry> = BTreeMap::new();
    for entry in source::entries(&catalog)? {
        let text = std::fs::read_to_string(&entry.path)
            .map_err(|e| format!("{}: {e}", entry.path.display()))?;
        let source_name = entry.source();
        let options = ImportOptions {
            source: &source_name,
            title: None,
            reviewed: None,
        };
        let Ok(imported) = import_product(&text, &options) else {
            continue;
        };
        let product = &imported.product;
        for op in &imported.operations {
            let Some(poll) = op.asynchronous.as_ref().and_then(|a| a.poll.as_deref()) else {
                continue;
            };
            let key = format!("{}/{}/{}", product.code, product.version, op.action);
            if reviewed.waiters.contains_key(&key) {
                continue;
            }
            let Some(poll_op) = imported.operations.iter().find(|o| o.action == poll) else {
                continue;
            };
            match propose(op, poll_op, &product.schemas) {
                Some(entry) => {
                    proposals.insert(key, entry);
                }
                None => eprintln!("{key}: no status values to read in `{poll}`"),
            }
        }
    }
    let json = serde_json::to_string_pretty(&proposals).map_err(|e| e.to_string())?;
    println!("{json}");
    eprintln!(
        "{} proposal(s): check each against its pages before adding it",
        proposals.len()
    );
    Ok(())
}

/// The proposal for one asynchronous operation, from the first status field whose values
/// sort into a success.
fn propose(
    op: &OperationSpec,
    poll: &OperationSpec,
    schemas: &BTreeMap<String, Field>,
) -> Option<WaiterEntry> {
    let removing = REMOVING.iter().any(|verb| op.action.starts_with(verb));
    let disabling = DISABLING.iter().any(|verb| op.action.starts_with(verb));
    let mut fields = Vec::new();
    status_fields(&poll.response, schemas, &mut String::new(), &mut fields, 0);
    for (path, values, from) in fields {
        let lower = |v: &String| v.to_ascii_lowercase();
        let failure: Vec<String> = values
            .iter()
            .filter(|v| lower(v).contains("fail") || lower(v).contains("error"))
            .cloned()
            .collect();
        let mut success: Vec<String> = values
            .iter()
            .filter(|v| JOB_DONE.contains(&lower(v).as_str()))
            .cloned()
            .collect();
        // A job's status says when it is done; only a resource's status can vanish with it.
        let job = !success.is_empty();
        if success.is_empty() {
            let wanted = if disabling {
                STOPPED
            } else if removing {
                GONE
            } else {
                READY
            };
            success = values
                .iter()
                .filter(|v| wanted.contains(&lower(v).as_str()))
                .cloned()
                .collect();
        }
        let through_list = path.contains("[]");
        let absent = (removing && through_list && !job).then(|| "success".to_owned());
        if success.is_empty() && absent.is_none() {
            continue;
        }
        return Some(WaiterEntry {
            name: format!("{}_done", snake(&op.action)),
            poll: None,
            status: path,
            success,
            failure,
            absent,
            why: format!("values from the {from} of `{}`", poll.action),
        });
    }
    None
}

/// Every text field named like a status, with its values and where they were read.
fn status_fields(
    object: &Field,
    schemas: &BTreeMap<String, Field>,
    path: &mut String,
    out: &mut Vec<(String, Vec<String>, &'static str)>,
    depth: usize,
) {
    let object = resolve(object, schemas);
    if depth > 5 {
        return;
    }
    for property in object.properties.iter().flatten() {
        let Some(name) = &property.name else { continue };
        let field = resolve(property, schemas);
        let at = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        match field.ty {
            Some(FieldType::Object) => {
                status_fields(field, schemas, &mut at.clone(), out, depth + 1)
            }
            Some(FieldType::Array) => {
                if let Some(item) = &field.items {
                    let item = resolve(item, schemas);
                    if item.ty == Some(FieldType::Object) {
                        status_fields(item, schemas, &mut format!("{at}[]"), out, depth + 1);
                    }
                }
            }
            Some(FieldType::String) => {
                let lower = name.to_ascii_lowercase();
                if !(lower.ends_with("status") || lower.ends_with("state")) {
                    continue;
                }
                if let Some(values) = field.enumeration.clone().filter(|v| !v.is_empty()) {
                    out.push((at, values, "schema enum"));
                } else {
                    let values = described_values(field.description.as_deref().unwrap_or(""));
                    if !values.is_empty() {
                        out.push((at, values, "field's description"));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The values a description lists, one per bullet (`*   **Active**: ...`, `- ISSUE: ...`,
/// `1.  on: ...`).
fn described_values(description: &str) -> Vec<String> {
    let mut values = Vec::new();
    for line in description.lines() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed
            .strip_prefix('*')
            .or_else(|| trimmed.strip_prefix('-'))
            .or_else(|| {
                let digits = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
                (digits.len() < trimmed.len())
                    .then(|| digits.strip_prefix('.'))
                    .flatten()
            })
        else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.strip_prefix("**") {
            Some(bold) => bold.split("**").next().unwrap_or(""),
            None => rest.split([':', ' ', '(', ',']).next().unwrap_or(""),
        };
        let value = value.trim();
        if !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            && !values.iter().any(|v| v == value)
        {
            values.push(value.to_owned());
        }
    }
    values
}

fn snake(action: &str) -> String {
    alibabacloud_codegen::names::snake(action)
}
