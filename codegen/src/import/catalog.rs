//! Alibaba's OpenAPI metadata (`api-docs.json`, one per product version) becomes specs in
//! the project's format: a [`ProductSpec`] and one [`OperationSpec`] per operation.
//!
//! The import is pure (text in, specs out) and lenient: whatever is malformed or cannot be
//! said in the spec format is repaired or skipped *and recorded* as an [`Issue`] with its
//! JSON pointer, never a panic and never a silent loss. Order follows the metadata where it
//! is the page's order (parameters, properties, error rows) and is sorted where it is not
//! (operations, named schemas, regions), so re-imports give small, reviewable diffs.
//!
//! Normalisations, all deliberate: texts are trimmed (the metadata ends most with a
//! newline); empty examples, defaults and patterns are dropped; an error description or
//! message of `-` means none, as on the pages.

mod build;
mod errors;
mod issues;
mod merge;
mod operation;
mod product;
mod raw;
mod reconcile;
mod samples;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

pub use build::{CatalogReport, ProductBuild, build_product, run_parallel};
pub use issues::{Issue, IssueKind};
pub use merge::{CATALOG_SOURCE, KEPT_FROM_METADATA, RESOLUTION, merge_operation, merge_product};
pub use product::crate_name;

use crate::spec::{OperationSpec, ProductSpec};
use issues::{Recorder, child};
use schema::SchemaContext;

/// What the caller knows about the file besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// Where the file comes from, recorded in the specs' provenance
    /// (`catalog/adb/2021-12-01/api-docs.json`).
    pub source: &'a str,
    /// The product's human-readable name (from the catalog's `products.json`); the
    /// metadata code stands in when absent.
    pub title: Option<&'a str>,
    /// The reviewed paging overrides and waiter table the generator applies (`None`:
    /// none).
    pub reviewed: Option<&'a crate::reviewed::Reviewed>,
}

/// One imported product version.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedProduct {
    /// The product file.
    pub product: ProductSpec,
    /// Every operation, sorted by action.
    pub operations: Vec<OperationSpec>,
    /// What was repaired, skipped or approximated, in document order.
    pub issues: Vec<Issue>,
    /// Metadata-internal schema keys skipped on purpose, with how often each occurred.
    pub ignored_keys: BTreeMap<String, usize>,
}

/// Imports one `api-docs.json`. Fails only when the document cannot be read at all or does
/// not say which product it is; the error is the issue to report.
pub fn import_product(text: &str, options: &ImportOptions<'_>) -> Result<ImportedProduct, Issue> {
    let doc = raw::parse(text).map_err(|e| Issue {
        kind: IssueKind::UnreadableDocument,
        pointer: String::new(),
        detail: e.to_string(),
    })?;
    let mut recorder = Recorder::default();
    let mut ignored_keys = BTreeMap::new();
    let schema_names: BTreeSet<String> = doc
        .components
        .schemas
        .0
        .iter()
        .map(|(name, _)| name.clone())
        .collect();

    let mut cx = SchemaContext {
        recorder: &mut recorder,
        schema_names: &schema_names,
        ignored_keys: &mut ignored_keys,
    };
    let mut schemas = BTreeMap::new();
    for (name, raw) in &doc.components.schemas.0 {
        let pointer = child("/components/schemas", name);
        if schemas.contains_key(name) {
            cx.recorder.record(
                IssueKind::DuplicateDefinition,
                &pointer,
                "schema defined twice; the first is kept",
            );
            continue;
        }
        schemas.insert(name.clone(), schema::convert(raw, None, &pointer, &mut cx));
    }

    let product = product::product_spec(
        &doc.info,
        &doc.endpoints,
        options.title,
        schemas,
        options.source,
        cx.recorder,
    )?;
    let owner = operation::Owner {
        metadata_code: doc.info.product.trim(),
        version: &product.version,
        source: options.source,
    };
    let mut seen = BTreeSet::new();
    let mut operations = Vec::with_capacity(doc.apis.0.len());
    for (action, api) in &doc.apis.0 {
        if !seen.insert(action.as_str()) {
            cx.recorder.record(
                IssueKind::DuplicateDefinition,
                &child("/apis", action),
                "operation defined twice; the first is kept",
            );
            continue;
        }
        operations.push(operation::operation(action, api, &owner, &mut cx));
    }
    operations.sort_by(|a, b| a.action.cmp(&b.action));
    let mut product = product;
    for operation in &mut operations {
        let pointer = child("/apis", &operation.action);
        reconcile::widen_to_samples(
            &mut operation.response,
            &operation.samples,
            &mut product.schemas,
            &pointer,
            cx.recorder,
        );
    }
    Ok(ImportedProduct {
        product,
        operations,
        issues: recorder.issues,
        ignored_keys,
    })
}
