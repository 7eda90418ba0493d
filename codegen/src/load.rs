//! Reading and validating a spec tree.
//!
//! The loader reports every problem of the whole tree at once, each with the file, an
//! RFC 6901 JSON pointer into it and a reason, so that a maintainer fixing a batch of
//! transcribed pages sees all of them in one run. No input makes it panic.
//!
//! Layout: `specs/<product>/<version>/product.json` plus one `<Action>.json` per
//! operation. Non-JSON files, hidden entries and `specs/schema.json` (the editor schema)
//! are skipped; any other JSON file outside a version directory, a directory inside one,
//! a version directory without `product.json` and a product directory without versions
//! are errors.
//!
//! Checking goes in two steps per file. First the JSON text becomes a value (malformed
//! text is one error with line and column; a key repeated in one object is flagged).
//! Then each piece (the operation header, each parameter, property, array element, error
//! row, sample, named schema) is deserialised on its own with the serde types of
//! [`crate::spec`], so one bad piece does not hide the next; within a piece, every unknown
//! key and bad value is reported (unknown keys and enum values with the closest expected
//! name). The pieces that read cleanly (unknown keys aside) then get the checks serde
//! cannot express:
//!
//! * names (parameters, properties, schemas, error codes) must keep an ASCII letter or
//!   digit once converted with `heck`, so the generator can make a Rust name of them; the
//!   action must be ASCII letters and digits and match the file name;
//! * `name` on request parameters and properties only, and required there; `in` on
//!   top-level request parameters only, and required there;
//! * exactly one of `type` and `$ref`; `items` exactly on arrays; `properties` and
//!   `additional_properties` on objects only; `style` not on scalars; `json` and
//!   `idempotency_token` on strings only; no two parameters, or two properties of one
//!   object, with the same name (case-sensitive: `RegionId` and `regionId` may coexist);
//! * at least one method, a path starting with `/`, a response root that is an object,
//!   error rows with a code and a status in 100..=599, `json` samples that parse;
//! * `$ref` names a schema of the product (checked by [`load_product_dir`] and
//!   [`load_tree`], which know the product); `product.json`'s `code` and `version` are
//!   the names of its directories.
//!
//! A piece with a bad value (not just an unknown key) skips those checks until it is
//! fixed, since they would judge a value that is not what the author meant.

mod fields;
mod json_text;
mod lenient;
mod names;
mod operation;
mod product;
pub(crate) mod report;
mod suggest;

use std::fs;
use std::path::{Path, PathBuf};

pub use report::{LoadError, LoadErrors};

use crate::spec::{OperationSpec, PRODUCT_FILE, ProductSpec};
use report::{Report, into_sorted};

/// Name of the editor schema at the top of `specs/`; not a spec.
pub const SCHEMA_FILE: &str = "schema.json";

/// A whole spec tree, valid.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecTree {
    /// Every product version, sorted by (code, version).
    pub products: Vec<ProductSpecs>,
    /// The reviewed paging overrides and waiter table (`specs/paginators.json`,
    /// `specs/waiters.json`).
    pub reviewed: crate::reviewed::Reviewed,
}

/// One product version: its `product.json` and its operations.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductSpecs {
    /// `specs/<product>/<version>`, as reached from the path given to the loader.
    pub dir: PathBuf,
    /// The product file.
    pub product: ProductSpec,
    /// The operations, sorted by action (byte order).
    pub operations: Vec<OperationSpec>,
}

/// Loads and validates the tree under `root` (the `specs/` directory).
pub fn load_tree(root: &Path) -> Result<SpecTree, LoadErrors> {
    let mut errors = Vec::new();
    let mut products = Vec::new();
    for entry in entries(root, &mut errors) {
        if entry.is_dir {
            load_product_versions(&entry.path, &mut products, &mut errors);
        } else if entry.is_json()
            && entry.name != SCHEMA_FILE
            && entry.name != crate::reviewed::PAGINATORS_FILE
            && entry.name != crate::reviewed::WAITERS_FILE
        {
            errors.push(layout_error(
                &entry.path,
                "unexpected file: specs live in `<product>/<version>/` directories",
            ));
        }
    }
    let reviewed = crate::reviewed::Reviewed::load(root).unwrap_or_else(|e| {
        errors.extend(e.0);
        crate::reviewed::Reviewed::default()
    });
    if !errors.is_empty() {
        return Err(into_sorted(errors));
    }
    products.sort_by(|a: &ProductSpecs, b| {
        (&a.product.code, &a.product.version).cmp(&(&b.product.code, &b.product.version))
    });
    Ok(SpecTree { products, reviewed })
}

/// Loads and validates one `specs/<product>/<version>` directory.
pub fn load_product_dir(dir: &Path) -> Result<ProductSpecs, LoadErrors> {
    let mut errors = Vec::new();
    match product_dir(dir, &mut errors) {
        Some(specs) if errors.is_empty() => Ok(specs),
        _ => Err(into_sorted(errors)),
    }
}

/// Parses and validates one operation file's text; `file` names it in errors and must be
/// `<Action>.json`. No I/O. `$ref`s are not resolved here (that needs the product's
/// schemas: [`load_product_dir`] does it).
pub fn parse_operation(file: &Path, text: &str) -> Result<OperationSpec, LoadErrors> {
    let mut report = Report::new(file);
    let spec = operation::check(text, None, &mut report);
    match spec {
        Some(spec) if report.is_clean() => Ok(spec),
        _ => Err(into_sorted(report.into_errors())),
    }
}

/// Parses and validates one `product.json` text; `file` names it in errors. No I/O, so
/// the agreement of `code` and `version` with the directory names is not checked here.
pub fn parse_product(file: &Path, text: &str) -> Result<ProductSpec, LoadErrors> {
    let mut report = Report::new(file);
    let parsed = product::check(text, &mut report);
    match parsed.spec {
        Some(spec) if report.is_clean() => Ok(spec),
        _ => Err(into_sorted(report.into_errors())),
    }
}

fn load_product_versions(
    product: &Path,
    products: &mut Vec<ProductSpecs>,
    errors: &mut Vec<LoadError>,
) {
    let mut versions = 0;
    for entry in entries(product, errors) {
        if entry.is_dir {
            versions += 1;
            if let Some(specs) = product_dir(&entry.path, errors) {
                products.push(specs);
            }
        } else if entry.is_json() {
            errors.push(layout_error(
                &entry.path,
                "unexpected file: specs live in `<product>/<version>/` directories",
            ));
        }
    }
    if versions == 0 {
        errors.push(layout_error(
            product,
            "product directory without a version directory (`<product>/<version>/`)",
        ));
    }
}

/// Checks one version directory; returns its specs when its own files had no problem.
fn product_dir(dir: &Path, errors: &mut Vec<LoadError>) -> Option<ProductSpecs> {
    let errors_before = errors.len();
    let product_path = dir.join(PRODUCT_FILE);
    let mut product = None;
    let mut schemas = None;
    if product_path.is_file() {
        let mut report = Report::new(&product_path);
        if let Some(text) = read(&product_path, &mut report) {
            let parsed = product::check(&text, &mut report);
            check_directory_names(
                dir,
                parsed.code.as_deref(),
                parsed.version.as_deref(),
                &mut report,
            );
            product = parsed.spec;
            schemas = parsed.schemas;
        }
        errors.extend(report.into_errors());
    } else {
        errors.push(layout_error(
            &product_path,
            "missing: every `<product>/<version>/` directory needs a product.json",
        ));
    }

    let mut operations = Vec::new();
    for entry in entries(dir, errors) {
        if entry.is_dir {
            errors.push(layout_error(
                &entry.path,
                "unexpected directory: operation files sit directly in `<product>/<version>/`",
            ));
        } else if operation::is_operation_file(&entry.path) {
            let mut report = Report::new(&entry.path);
            if let Some(text) = read(&entry.path, &mut report)
                && let Some(spec) = operation::check(&text, schemas.as_ref(), &mut report)
            {
                operations.push(spec);
            }
            errors.extend(report.into_errors());
        }
    }
    operations.sort_by(|a, b| a.action.cmp(&b.action));
    let product = product?;
    (errors.len() == errors_before).then(|| ProductSpecs {
        dir: dir.to_path_buf(),
        product,
        operations,
    })
}

/// `code` and `version` must be the names of the directories holding the file.
fn check_directory_names(
    dir: &Path,
    code: Option<&str>,
    version: Option<&str>,
    report: &mut Report,
) {
    let dir_name = |path: Option<&Path>| {
        path.and_then(Path::file_name)
            .map(|name| name.to_string_lossy().into_owned())
    };
    let checks = [
        ("/version", "API version", version, dir_name(Some(dir))),
        ("/code", "product code", code, dir_name(dir.parent())),
    ];
    for (pointer, what, written, directory) in checks {
        if let (Some(written), Some(directory)) = (written, directory)
            && written != directory
        {
            report.push(
                pointer,
                format!(
                    "{what} `{written}` does not match its directory `{directory}`: a product \
                     version lives in `<code>/<version>/`"
                ),
            );
        }
    }
}

fn read(path: &Path, report: &mut Report) -> Option<String> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            report.push("", format!("cannot read the file: {error}"));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&byte| byte == b'\n').count() + 1;
            let line_start = valid
                .iter()
                .rposition(|&byte| byte == b'\n')
                .map_or(0, |at| at + 1);
            // Columns count characters, as serde_json's do.
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            report.push(
                "",
                format!("the file is not UTF-8: invalid bytes at line {line} column {column}"),
            );
            None
        }
    }
}

fn layout_error(path: &Path, reason: &str) -> LoadError {
    LoadError {
        file: path.to_path_buf(),
        pointer: String::new(),
        reason: reason.to_owned(),
    }
}

/// A directory entry worth looking at.
struct Entry {
    path: PathBuf,
    name: String,
    is_dir: bool,
}

impl Entry {
    fn is_json(&self) -> bool {
        self.path.extension().is_some_and(|ext| ext == "json")
    }
}

/// The visible entries of `dir`, sorted by name so the walk is deterministic.
fn entries(dir: &Path, errors: &mut Vec<LoadError>) -> Vec<Entry> {
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(error) => {
            errors.push(layout_error(
                dir,
                &format!("cannot read the directory: {error}"),
            ));
            return Vec::new();
        }
    };
    let mut found = Vec::new();
    for entry in listing {
        match entry {
            Ok(entry) => {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    let path = entry.path();
                    found.push(Entry {
                        is_dir: path.is_dir(),
                        path,
                        name,
                    });
                }
            }
            Err(error) => {
                errors.push(layout_error(
                    dir,
                    &format!("cannot read the directory: {error}"),
                ));
            }
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}
