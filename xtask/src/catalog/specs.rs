//! `cargo xtask import <api-docs.json | product-version dir>`: one product version of the
//! catalog becomes `specs/<code>/<version>/`.
//!
//! Hand-transcribed page specs win: an operation whose spec names a page keeps every page
//! fact (the importer's merge fills what pages never carry and records each disagreement),
//! and an existing `product.json` keeps its facts (regions only the metadata has are added;
//! every difference is printed). Other specs are rewritten from the metadata. An operation
//! the metadata no longer has is deleted, unless its spec names a page (then it is kept and
//! reported). Files are written only when their text changes, each through a temporary file
//! renamed over the target, so an interrupted import never leaves a half-written spec.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use alibabacloud_codegen::import::catalog::{
    ImportOptions, import_product, merge_operation, merge_product,
};
use alibabacloud_codegen::spec::{OperationSpec, PRODUCT_FILE, ProductSpec};

use super::source::{self, Entry};

/// Editor hint written into every spec, as in the transcribed ones.
const SCHEMA_HINT: &str = "../../schema.json";
/// How many import issues to print one by one before summarising.
const SHOWN_ISSUES: usize = 40;

/// Imports `entry` into `specs_dir`; `catalog_root` supplies product titles.
pub fn import(entry: &Entry, catalog_root: &Path, specs_dir: &Path) -> Result<(), String> {
    let text =
        fs::read_to_string(&entry.path).map_err(|e| format!("{}: {e}", entry.path.display()))?;
    let titles = source::titles(catalog_root);
    let source_name = entry.source();
    let options = ImportOptions {
        source: &source_name,
        title: source::title_of(&titles, entry),
        reviewed: None,
    };
    let imported = import_product(&text, &options)
        .map_err(|issue| format!("{}: {issue}", entry.path.display()))?;
    let dir = specs_dir
        .join(&imported.product.code)
        .join(&imported.product.version);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut tally = Tally::default();

    let product_path = dir.join(PRODUCT_FILE);
    let product = match read_product(&product_path)? {
        Some(existing) => {
            let (merged, differences) = merge_product(&existing, &imported.product);
            for difference in differences {
                println!("{}: {difference}", product_path.display());
            }
            merged
        }
        None => ProductSpec {
            schema: Some(SCHEMA_HINT.to_owned()),
            ..imported.product.clone()
        },
    };
    tally.write(&product_path, &to_json(&product))?;

    let mut kept_pages = 0;
    let mut actions = BTreeSet::new();
    for operation in &imported.operations {
        actions.insert(format!("{}.json", operation.action));
        let path = dir.join(format!("{}.json", operation.action));
        let spec = match read_operation(&path)? {
            Some(existing) if existing.source.page.is_some() => {
                kept_pages += 1;
                merge_operation(&existing, operation)
            }
            _ => OperationSpec {
                schema: Some(SCHEMA_HINT.to_owned()),
                ..operation.clone()
            },
        };
        tally.write(&path, &to_json(&spec))?;
    }
    remove_vanished(&dir, &actions, &mut tally)?;

    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for (index, issue) in imported.issues.iter().enumerate() {
        *by_kind.entry(issue.kind.to_string()).or_default() += 1;
        if index < SHOWN_ISSUES {
            println!("{}: {issue}", entry.path.display());
        }
    }
    if imported.issues.len() > SHOWN_ISSUES {
        println!(
            "... and {} more issue(s)",
            imported.issues.len() - SHOWN_ISSUES
        );
    }
    for (kind, count) in &by_kind {
        println!("issues: {kind} {count}");
    }
    println!(
        "{}: {} operation(s) ({} page spec(s) kept with their facts); {} written, {} unchanged, {} removed",
        dir.display(),
        imported.operations.len(),
        kept_pages,
        tally.written,
        tally.unchanged,
        tally.removed
    );
    Ok(())
}

/// What the import did to the files.
#[derive(Default)]
struct Tally {
    written: usize,
    unchanged: usize,
    removed: usize,
}

impl Tally {
    fn write(&mut self, path: &Path, text: &str) -> Result<(), String> {
        if fs::read_to_string(path).is_ok_and(|old| old == text) {
            self.unchanged += 1;
            return Ok(());
        }
        write_atomically(path, text)?;
        self.written += 1;
        Ok(())
    }
}

/// Deletes operation specs the metadata no longer has; page specs stay, reported.
fn remove_vanished(
    dir: &Path,
    actions: &BTreeSet<String>,
    tally: &mut Tally,
) -> Result<(), String> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".json") || name == PRODUCT_FILE || actions.contains(name) {
            continue;
        }
        match read_operation(&path) {
            Ok(Some(spec)) if spec.source.page.is_some() => {
                println!(
                    "{}: not in the metadata; kept (it names a page)",
                    path.display()
                );
            }
            _ => {
                fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                println!("{}: not in the metadata; removed", path.display());
                tally.removed += 1;
            }
        }
    }
    Ok(())
}

/// Reads a spec file's text; `None` when it does not exist.
fn read_text(path: &Path) -> Result<Option<String>, String> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn read_product(path: &Path) -> Result<Option<ProductSpec>, String> {
    read_text(path)?
        .map(|text| serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())))
        .transpose()
}

fn read_operation(path: &Path) -> Result<Option<OperationSpec>, String> {
    read_text(path)?
        .map(|text| serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())))
        .transpose()
}

/// A spec as the tree stores it: pretty JSON (two-space indent) and a final newline.
fn to_json(value: &impl SpecFile) -> String {
    let mut text = value.pretty();
    text.push('\n');
    text
}

/// The two kinds of spec file, serialised the same way.
trait SpecFile {
    fn pretty(&self) -> String;
}

impl SpecFile for ProductSpec {
    fn pretty(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| unreachable!("spec types always serialise: {e}"))
    }
}

impl SpecFile for OperationSpec {
    fn pretty(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| unreachable!("spec types always serialise: {e}"))
    }
}

/// Writes `text` to a temporary file beside `target`, then renames it over `target`.
fn write_atomically(target: &Path, text: &str) -> Result<(), String> {
    let mut temporary = target.as_os_str().to_owned();
    temporary.push(".import-tmp");
    let temporary = PathBuf::from(temporary);
    fs::write(&temporary, text)
        .and_then(|()| fs::rename(&temporary, target))
        .map_err(|e| {
            let _ = fs::remove_file(&temporary);
            format!("{}: {e}", target.display())
        })
}
