//! Which catalog product version (and, for an untitled page, which operation) a page
//! belongs to, when no spec in the tree names it yet.
//!
//! A titled page (`AnalyticDB:CreateAPSJob`) names its action: the product versions whose
//! metadata has that operation are the candidates, narrowed by the page's product name
//! (`AnalyticDB` is `adb`, "AnalyticDB for MySQL") and then by its parameter table. An
//! untitled page (the pipe-table layout) is matched by its parameter table alone: the
//! operations that have every parameter the page lists. Only a single survivor is taken;
//! otherwise the candidates are listed and the caller asks for `--product` (and `--action`).
//!
//! The catalog is 351 files and 120 MB; a file is parsed only when its text contains every
//! name looked for (the action, or every parameter of the page), so a search reads the
//! files once and parses a handful.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::catalog::source::{self, Entry};

/// What the page says that identifies its operation.
pub struct Query<'a> {
    /// The action, when the page's title (or `--action`) names it.
    pub action: Option<&'a str>,
    /// The product name of the page's title (`AnalyticDB` in `AnalyticDB:CreateAPSJob`).
    pub product: Option<&'a str>,
    /// The names of the page's request parameters, in page order.
    pub parameters: Vec<&'a str>,
}

/// The operation a page belongs to.
#[derive(Debug)]
pub struct Found {
    /// Its product version.
    pub entry: Entry,
    /// Its action, as the metadata spells it.
    pub action: String,
}

/// One catalog operation that might be the page's.
struct Candidate {
    entry: Entry,
    action: String,
    /// Every parameter name of the operation, nested properties included.
    names: BTreeSet<String>,
    /// The operation's top-level parameter names.
    top_level: BTreeSet<String>,
}

impl Candidate {
    /// Whether the operation has every parameter the page lists.
    fn fits(&self, parameters: &[&str]) -> bool {
        parameters.iter().all(|name| {
            self.names.contains(*name)
                || name
                    .split_once('.')
                    .is_some_and(|(head, _)| self.names.contains(head))
        })
    }

    fn shown(&self) -> String {
        format!("{} {}", self.entry.name, self.action)
    }
}

/// Finds the one operation of the catalog at `root` the page belongs to, searching only
/// product version `only` when given.
pub fn locate(root: &Path, query: &Query<'_>, only: Option<&str>) -> Result<Found, String> {
    let mut entries = source::entries(root)
        .map_err(|e| format!("{e}; pass --product <code>/<version> (or --catalog <dir>)"))?;
    if let Some(only) = only {
        entries.retain(|entry| entry.name == only);
    }
    let mut needles: Vec<String> = match query.action {
        Some(action) => vec![format!("\"{action}\"")],
        None => query
            .parameters
            .iter()
            .map(|name| format!("\"{}\"", name.split('.').next().unwrap_or(name)))
            .collect(),
    };
    needles.sort();
    needles.dedup();
    if needles.is_empty() {
        return Err(
            "the page names no action and lists no request parameters to match it by; pass --product <code>/<version> --action <Action>".to_owned(),
        );
    }
    let mut candidates = Vec::new();
    for entry in entries {
        let text = std::fs::read_to_string(&entry.path)
            .map_err(|e| format!("{}: {e}", entry.path.display()))?;
        if !needles.iter().all(|needle| text.contains(needle.as_str())) {
            continue;
        }
        let Ok(doc) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let Some(apis) = doc.get("apis").and_then(Value::as_object) else {
            continue;
        };
        for (action, api) in apis {
            if query.action.is_some_and(|wanted| wanted != action) {
                continue;
            }
            let candidate = candidate(&entry, action, api);
            if query.action.is_some() || candidate.fits(&query.parameters) {
                candidates.push(candidate);
            }
        }
    }
    choose(root, query, candidates)
}

fn candidate(entry: &Entry, action: &str, api: &Value) -> Candidate {
    let mut names = BTreeSet::new();
    let mut top_level = BTreeSet::new();
    let parameters = api
        .get("parameters")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for parameter in parameters {
        if let Some(name) = parameter.get("name").and_then(Value::as_str) {
            names.insert(name.to_owned());
            top_level.insert(name.to_owned());
        }
        if let Some(schema) = parameter.get("schema") {
            nested_names(schema, &mut names);
        }
    }
    Candidate {
        entry: entry.clone(),
        action: action.to_owned(),
        names,
        top_level,
    }
}

/// Property names inside a parameter's schema (objects, and objects in arrays).
fn nested_names(schema: &Value, names: &mut BTreeSet<String>) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            names.insert(name.clone());
            nested_names(property, names);
        }
    }
    if let Some(items) = schema.get("items") {
        nested_names(items, names);
    }
}

/// The single candidate left after narrowing by product name and parameter table, or an
/// error listing what is left.
fn choose(root: &Path, query: &Query<'_>, candidates: Vec<Candidate>) -> Result<Found, String> {
    let what = match query.action {
        Some(action) => format!("operation `{action}`"),
        None => format!(
            "operation with every request parameter of the page ({})",
            query.parameters.join(", ")
        ),
    };
    if candidates.is_empty() {
        return Err(format!(
            "no {what} in the catalog at {}; pass --product <code>/<version>{}",
            root.display(),
            if query.action.is_none() {
                " --action <Action>"
            } else {
                ""
            }
        ));
    }
    let mut left = candidates;
    if left.len() > 1
        && let Some(product) = query.product
    {
        let names = product_names(root);
        narrow(&mut left, |c| names_product(product, &c.entry, &names));
    }
    if left.len() > 1 {
        narrow(&mut left, |c| c.fits(&query.parameters));
    }
    if left.len() > 1 {
        // The metadata can only add parameters a page omits: an operation with exactly the
        // page's parameters is the page's, when it is the only one.
        let page: BTreeSet<&str> = query.parameters.iter().copied().collect();
        let exact: Vec<usize> = (0..left.len())
            .filter(|&i| {
                left[i]
                    .top_level
                    .iter()
                    .map(String::as_str)
                    .eq(page.iter().copied())
            })
            .collect();
        if let [only] = exact[..] {
            left = vec![left.swap_remove(only)];
        }
    }
    if left.len() == 1 {
        let chosen = left.remove(0);
        return Ok(Found {
            entry: chosen.entry,
            action: chosen.action,
        });
    }
    let mut message = format!(
        "{} catalog operations could be this page's {what}; choose with --product <code>/<version>{}:",
        left.len(),
        if query.action.is_none() {
            " --action <Action>"
        } else {
            ""
        }
    );
    for candidate in &left {
        let _ = write!(message, "\n  {}", candidate.shown());
    }
    Err(message)
}

/// Keeps the candidates `keep` accepts, unless it accepts none (then the test says nothing).
fn narrow(candidates: &mut Vec<Candidate>, keep: impl Fn(&Candidate) -> bool) {
    if candidates.iter().any(&keep) {
        candidates.retain(keep);
    }
}

/// The names each product goes by in the catalog's `products.json`: lowercase code → its
/// name and short name.
fn product_names(root: &Path) -> BTreeMap<String, Vec<String>> {
    let Ok(text) = std::fs::read_to_string(root.join("products.json")) else {
        return BTreeMap::new();
    };
    let Ok(Value::Array(products)) = serde_json::from_str(&text) else {
        return BTreeMap::new();
    };
    products
        .iter()
        .filter_map(|product| {
            let code = product.get("code")?.as_str()?.to_ascii_lowercase();
            let names = ["name", "shortName"]
                .iter()
                .filter_map(|key| product.get(*key)?.as_str().map(str::to_owned))
                .collect();
            Some((code, names))
        })
        .collect()
}

/// Whether a page's product name (`ApsaraDB RDS`) names the entry's product: its code, or
/// a name of which it uses only words (`ApsaraDB for RDS`).
fn names_product(page: &str, entry: &Entry, names: &BTreeMap<String, Vec<String>>) -> bool {
    let code = entry.name.split('/').next().unwrap_or_default();
    let page_words = words(page);
    if page_words.is_empty() {
        return false;
    }
    if page_words.concat() == code.replace('-', "") {
        return true;
    }
    names.get(code).is_some_and(|names| {
        names.iter().any(|name| {
            let known = words(name);
            page_words.iter().all(|word| known.contains(word))
        })
    })
}

/// Lowercase alphanumeric words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> Entry {
        Entry {
            name: name.to_owned(),
            path: Path::new("/catalog").join(name).join("api-docs.json"),
        }
    }

    #[test]
    fn product_names_match_by_code_or_words() {
        let names = BTreeMap::from([
            (
                "rds".to_owned(),
                vec!["ApsaraDB for RDS".to_owned(), "RDS".to_owned()],
            ),
            ("adb".to_owned(), vec!["AnalyticDB for MySQL".to_owned()]),
        ]);
        assert!(names_product(
            "ApsaraDB RDS",
            &entry("rds/2014-08-15"),
            &names
        ));
        assert!(names_product(
            "AnalyticDB",
            &entry("adb/2021-12-01"),
            &names
        ));
        assert!(names_product("RDS", &entry("rds/2014-08-15"), &names));
        assert!(!names_product(
            "AnalyticDB",
            &entry("rds/2014-08-15"),
            &names
        ));
        assert!(names_product(
            "DataWorks Public",
            &entry("dataworks-public/2020-05-18"),
            &names
        ));
    }

    #[test]
    fn a_candidate_fits_when_it_has_every_page_parameter() {
        let api = serde_json::json!({"parameters": [
            {"name": "ProjectId", "schema": {"type": "integer"}},
            {"name": "Tag", "schema": {"type": "array", "items": {"type": "object",
                "properties": {"Key": {"type": "string"}}}}}
        ]});
        let candidate = candidate(&entry("x/1"), "A", &api);
        assert!(candidate.fits(&["ProjectId", "Key", "Tag.1.Key"]));
        assert!(!candidate.fits(&["ProjectId", "TaskName"]));
        assert_eq!(candidate.top_level.len(), 2);
    }
}
