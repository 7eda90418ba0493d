//! The two reviewed files beside the specs: `specs/paginators.json` settles operations
//! whose paging the spec alone leaves ambiguous, and `specs/waiters.json` is the table of
//! terminal states that asynchronous operations' waiters poll for.
//!
//! Both are keyed by `<product>/<version>/<Action>` and cover the whole catalog, not only
//! the committed products, so that `cargo xtask catalog` counts what a user would get.
//! Nothing here is guessed: an entry is written by a person who read the operation's page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::load::report::{child, into_sorted};
use crate::load::{LoadError, LoadErrors};

/// File name of the paging overrides, in `specs/`.
pub const PAGINATORS_FILE: &str = "paginators.json";
/// File name of the waiter table, in `specs/`.
pub const WAITERS_FILE: &str = "waiters.json";

/// One operation's paging, as reviewed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingOverride {
    /// No paginator, and why (a list whose cursor is not what it seems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<String>,
    /// `"token"` or `"page"`: which rule applies where both parameters exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The items array, as a dotted path of wire names from the response root (`""`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// The item-total field, as a dotted path, where the response has several (the
    /// same count at the root and in `Data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// The first page's number, where the parameter's documentation is not read right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_page: Option<u64>,
    /// What the reviewer read (page, field description); documentation only.
    pub why: String,
}

/// One asynchronous operation's waiter, as reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterEntry {
    /// The waiter's name: the generated method is `wait_until_<name>` on the poll
    /// operation's builder (`aps_job_finished`).
    pub name: String,
    /// The poll operation, when it differs from the metadata's (or the metadata names none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<String>,
    /// The status field of the poll operation's response, as a dotted path of wire names;
    /// `[]` steps into the first item of an array (a list filtered by the resource's ID).
    pub status: String,
    /// Values that mean the awaited state is reached.
    pub success: Vec<String>,
    /// Values that mean it never will be.
    #[serde(default)]
    pub failure: Vec<String>,
    /// What a poll without a status means: `"retry"` (the default) or `"success"` (a
    /// deletion polled through a list filtered by the resource's ID, where an empty list
    /// means the resource is gone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<String>,
    /// Where the values were read (schema enum, the field's description); documentation.
    pub why: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PaginatorsFile {
    #[serde(rename = "$comment", default)]
    _comment: Option<String>,
    #[serde(default)]
    operations: BTreeMap<String, PagingOverride>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitersFile {
    #[serde(rename = "$comment", default)]
    _comment: Option<String>,
    #[serde(default)]
    operations: BTreeMap<String, WaiterEntry>,
}

/// Both reviewed files, loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reviewed {
    /// Paging overrides by `<product>/<version>/<Action>`.
    pub paginators: BTreeMap<String, PagingOverride>,
    /// Waiters by `<product>/<version>/<Action>` of the asynchronous operation.
    pub waiters: BTreeMap<String, WaiterEntry>,
}

impl Reviewed {
    /// Loads `specs/paginators.json` and `specs/waiters.json` from `specs_root`; a missing
    /// file is an empty one. Errors name the file, the JSON pointer and the reason.
    pub fn load(specs_root: &Path) -> Result<Reviewed, LoadErrors> {
        let mut errors = Vec::new();
        let paginators: PaginatorsFile = read(&specs_root.join(PAGINATORS_FILE), &mut errors);
        let waiters: WaitersFile = read(&specs_root.join(WAITERS_FILE), &mut errors);
        let reviewed = Reviewed {
            paginators: paginators.operations,
            waiters: waiters.operations,
        };
        for (key, entry) in &reviewed.paginators {
            let file = specs_root.join(PAGINATORS_FILE);
            check_key(&file, key, &mut errors);
            if let Some(rule) = &entry.rule
                && rule != "token"
                && rule != "page"
            {
                errors.push(error(
                    &file,
                    &pointer(key, "rule"),
                    "must be \"token\" or \"page\"",
                ));
            }
        }
        for (key, entry) in &reviewed.waiters {
            let file = specs_root.join(WAITERS_FILE);
            check_key(&file, key, &mut errors);
            if let Some(absent) = &entry.absent
                && absent != "retry"
                && absent != "success"
            {
                errors.push(error(
                    &file,
                    &pointer(key, "absent"),
                    "must be \"retry\" or \"success\"",
                ));
            }
            if entry.success.is_empty() && entry.absent.as_deref() != Some("success") {
                errors.push(error(&file, &pointer(key, "success"), "names no value"));
            }
            if entry.name.is_empty()
                || !entry
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                errors.push(error(&file, &pointer(key, "name"), "must be snake_case"));
            }
        }
        if errors.is_empty() {
            Ok(reviewed)
        } else {
            Err(into_sorted(errors))
        }
    }

    /// The paging override of one operation.
    pub fn paging(&self, product: &str, version: &str, action: &str) -> Option<&PagingOverride> {
        self.paginators
            .get(&format!("{product}/{version}/{action}"))
    }

    /// The waiter of one asynchronous operation.
    pub fn waiter(&self, product: &str, version: &str, action: &str) -> Option<&WaiterEntry> {
        self.waiters.get(&format!("{product}/{version}/{action}"))
    }
}

fn read<T: Default + for<'de> Deserialize<'de>>(file: &Path, errors: &mut Vec<LoadError>) -> T {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return T::default(),
        Err(e) => {
            errors.push(error(file, "", &format!("cannot read: {e}")));
            return T::default();
        }
    };
    let mut de = serde_json::Deserializer::from_str(&text);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => value,
        Err(e) => {
            let pointer = json_pointer(&e.path().to_string());
            errors.push(error(file, &pointer, &e.inner().to_string()));
            T::default()
        }
    }
}

fn check_key(file: &Path, key: &str, errors: &mut Vec<LoadError>) {
    if key.split('/').count() != 3 || key.split('/').any(str::is_empty) {
        errors.push(error(
            file,
            &child("/operations", key),
            "keys are `<product>/<version>/<Action>`",
        ));
    }
}

fn pointer(key: &str, member: &str) -> String {
    child(&child("/operations", key), member)
}

/// serde_path_to_error's `a.b[0]` path as a JSON pointer.
fn json_pointer(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    path.split('.')
        .flat_map(|part| part.split('['))
        .filter(|part| !part.is_empty())
        .fold(String::new(), |pointer, part| {
            child(&pointer, part.trim_end_matches(']'))
        })
}

fn error(file: &Path, pointer: &str, reason: &str) -> LoadError {
    LoadError {
        file: PathBuf::from(file),
        pointer: pointer.to_owned(),
        reason: reason.to_owned(),
    }
}
