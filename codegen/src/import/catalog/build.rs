//! One product version of the catalog, from `api-docs.json` text to generated files, and
//! the report over many: what `cargo xtask catalog` runs for each product version and the
//! benchmark measures. Pure (no I/O), so the same input gives the same files every run.
//!
//! Nothing is dropped unseen: the importer's issues, the generator's unsupported items and
//! any generated file that does not parse back with `syn` all land in the report, counted
//! by kind.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use super::{ImportOptions, Issue, import_product};
use crate::emit::{self, GeneratedFile};
use crate::model::Unsupported;

/// The outcome for one product version.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductBuild {
    /// `<code>/<version>` as the catalog lays it out (`adb/2021-12-01`).
    pub product: String,
    /// Package name of the generated crate; empty when the document could not be read.
    pub crate_name: String,
    /// Operations in the metadata.
    pub operations: usize,
    /// Operations generated (the rest are named in `unsupported`).
    pub generated_operations: usize,
    /// Files of the crate, sorted by path (empty when nothing could be generated).
    pub files: Vec<GeneratedFile>,
    /// What the importer repaired, skipped or approximated; for an unreadable document, the
    /// one issue that says why.
    pub issues: Vec<Issue>,
    /// Metadata-internal keys skipped on purpose, with counts.
    pub ignored_keys: BTreeMap<String, usize>,
    /// What the generator left out, and why.
    pub unsupported: Vec<Unsupported>,
    /// Generated `.rs` files that `syn` cannot parse back, with the parser's message
    /// (always empty unless the generator has a bug; filled by
    /// [`ProductBuild::verify_parses`]).
    pub unparsable: Vec<String>,
    /// The generator panicked on this product (a generator bug); its message.
    pub generator_panic: Option<String>,
    /// Paginators and waiters generated, and what was left without one.
    pub helpers: emit::Helpers,
}

/// Imports and generates one product version; `product` is its `<code>/<version>`.
pub fn build_product(product: &str, text: &str, options: &ImportOptions<'_>) -> ProductBuild {
    let mut build = ProductBuild {
        product: product.to_owned(),
        crate_name: String::new(),
        operations: 0,
        generated_operations: 0,
        files: Vec::new(),
        issues: Vec::new(),
        ignored_keys: BTreeMap::new(),
        unsupported: Vec::new(),
        unparsable: Vec::new(),
        generator_panic: None,
        helpers: emit::Helpers::default(),
    };
    let imported = match import_product(text, options) {
        Ok(imported) => imported,
        Err(issue) => {
            build.issues.push(issue);
            return build;
        }
    };
    build.crate_name = imported.product.crate_name.clone();
    build.operations = imported.operations.len();
    build.issues = imported.issues;
    build.ignored_keys = imported.ignored_keys;
    // The generator is meant never to panic; should it, the run reports the product
    // instead of dying, so one bug cannot hide the state of the other 350 products.
    let no_review = crate::reviewed::Reviewed::default();
    let reviewed = options.reviewed.unwrap_or(&no_review);
    let generated = std::panic::catch_unwind(|| {
        emit::generate(&imported.product, &imported.operations, reviewed)
    });
    let generated = match generated {
        Ok(generated) => generated,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "non-text panic".to_owned());
            build.generator_panic = Some(message);
            return build;
        }
    };
    build.generated_operations = generated.operations;
    build.unsupported = generated.unsupported;
    build.files = generated.files;
    build.helpers = generated.helpers;
    build
}

impl ProductBuild {
    /// Parses every generated `.rs` file back with `syn::parse_file` and records the ones
    /// that fail in `unparsable`. Separate from [`build_product`] because it costs about as
    /// much as generating: CI verifies every run, a quick local run may skip it.
    pub fn verify_parses(&mut self) {
        for file in &self.files {
            if file.path.ends_with(".rs")
                && let Err(error) = syn::parse_file(&file.contents)
            {
                self.unparsable.push(format!("{}: {error}", file.path));
            }
        }
    }
}

/// Counts over a whole run, printed at its end and kept in the README.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CatalogReport {
    /// Product versions read.
    pub products: usize,
    /// Product versions with a generated crate.
    pub generated_products: usize,
    /// Operations in the metadata.
    pub operations: usize,
    /// Operations generated.
    pub generated_operations: usize,
    /// Files generated.
    pub files: usize,
    /// Import issues by kind: (occurrences, product versions).
    pub issues: BTreeMap<String, (usize, usize)>,
    /// Unsupported items by kind: (occurrences, operations or products left out).
    pub unsupported: BTreeMap<String, (usize, usize)>,
    /// Metadata-internal schema keys skipped on purpose, with counts.
    pub ignored_keys: BTreeMap<String, usize>,
    /// Product versions that could not be read, with why.
    pub unreadable: Vec<String>,
    /// Generated files that do not parse (a generator bug), `product: path: error`.
    pub unparsable: Vec<String>,
    /// Products on which the generator panicked (a generator bug), `product: message`.
    pub panics: Vec<String>,
    /// Paginators by cursor (`token`, `page`): (operations, of which with `.items()`).
    pub paginators: BTreeMap<&'static str, (usize, usize)>,
    /// List-like operations without a paginator, by reason label: `product Action: reason`.
    pub no_paginator: BTreeMap<&'static str, Vec<String>>,
    /// Waiters generated.
    pub waiters: usize,
    /// Asynchronous operations without a waiter, by reason label: `product Action: reason`.
    pub no_waiter: BTreeMap<&'static str, Vec<String>>,
}

impl CatalogReport {
    /// Adds one product version's outcome.
    pub fn add(&mut self, build: &ProductBuild) {
        self.products += 1;
        self.operations += build.operations;
        self.generated_operations += build.generated_operations;
        self.files += build.files.len();
        if !build.files.is_empty() {
            self.generated_products += 1;
        }
        if build.crate_name.is_empty() {
            for issue in &build.issues {
                self.unreadable.push(format!("{}: {issue}", build.product));
            }
        }
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for issue in &build.issues {
            *kinds.entry(issue.kind.to_string()).or_default() += 1;
        }
        for (kind, count) in kinds {
            let entry = self.issues.entry(kind).or_default();
            entry.0 += count;
            entry.1 += 1;
        }
        let mut left_out: BTreeMap<String, std::collections::BTreeSet<Option<&str>>> =
            BTreeMap::new();
        for item in &build.unsupported {
            self.unsupported.entry(item.kind.to_string()).or_default().0 += 1;
            left_out
                .entry(item.kind.to_string())
                .or_default()
                .insert(item.action.as_deref());
        }
        for (kind, operations) in left_out {
            // A product-level item (no action) leaves every operation out.
            let count = if operations.contains(&None) {
                build.operations
            } else {
                operations.len()
            };
            self.unsupported.entry(kind).or_default().1 += count;
        }
        for (key, count) in &build.ignored_keys {
            *self.ignored_keys.entry(key.clone()).or_default() += count;
        }
        for failure in &build.unparsable {
            self.unparsable
                .push(format!("{}: {failure}", build.product));
        }
        if let Some(message) = &build.generator_panic {
            self.panics.push(format!("{}: {message}", build.product));
        }
        for (_, kind, items) in &build.helpers.paginators {
            let entry = self.paginators.entry(kind).or_default();
            entry.0 += 1;
            entry.1 += usize::from(*items);
        }
        for (action, label, why) in &build.helpers.no_paginator {
            self.no_paginator
                .entry(label)
                .or_default()
                .push(format!("{} {action}: {why}", build.product));
        }
        self.waiters += build.helpers.waiters.len();
        for no in &build.helpers.no_waiter {
            self.no_waiter
                .entry(no.label)
                .or_default()
                .push(format!("{} {}: {}", build.product, no.action, no.detail));
        }
    }

    /// Every list-like operation left without a paginator and every asynchronous
    /// operation left without a waiter, by reason: the listing the report file ends with.
    pub fn helper_listing(&self) -> String {
        let mut text = String::new();
        for (title, table) in [
            ("operations without a paginator", &self.no_paginator),
            ("asynchronous operations without a waiter", &self.no_waiter),
        ] {
            for (label, lines) in table {
                let _ = writeln!(text, "\n{title}, {label}: {}", lines.len());
                for line in lines {
                    let _ = writeln!(text, "  {line}");
                }
            }
        }
        text
    }

    /// Adds another report (of later product versions) to this one.
    pub fn merge(&mut self, other: CatalogReport) {
        self.products += other.products;
        self.generated_products += other.generated_products;
        self.operations += other.operations;
        self.generated_operations += other.generated_operations;
        self.files += other.files;
        for (kind, (a, b)) in other.issues {
            let entry = self.issues.entry(kind).or_default();
            entry.0 += a;
            entry.1 += b;
        }
        for (kind, (a, b)) in other.unsupported {
            let entry = self.unsupported.entry(kind).or_default();
            entry.0 += a;
            entry.1 += b;
        }
        for (key, count) in other.ignored_keys {
            *self.ignored_keys.entry(key).or_default() += count;
        }
        self.unreadable.extend(other.unreadable);
        self.unparsable.extend(other.unparsable);
        self.panics.extend(other.panics);
        for (kind, (a, b)) in other.paginators {
            let entry = self.paginators.entry(kind).or_default();
            entry.0 += a;
            entry.1 += b;
        }
        for (label, lines) in other.no_paginator {
            self.no_paginator.entry(label).or_default().extend(lines);
        }
        self.waiters += other.waiters;
        for (label, lines) in other.no_waiter {
            self.no_waiter.entry(label).or_default().extend(lines);
        }
    }

    /// Whether the run met its bar: every product read, every file parses, no panic.
    pub fn is_clean(&self) -> bool {
        self.unreadable.is_empty() && self.unparsable.is_empty() && self.panics.is_empty()
    }
}

impl fmt::Display for CatalogReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = |part: usize, whole: usize| {
            if whole == 0 {
                0.0
            } else {
                part as f64 * 100.0 / whole as f64
            }
        };
        writeln!(
            f,
            "product versions: {} read, {} generated ({:.1} %)",
            self.products,
            self.generated_products,
            percent(self.generated_products, self.products)
        )?;
        writeln!(
            f,
            "operations: {} in the metadata, {} generated ({:.1} %), {} files",
            self.operations,
            self.generated_operations,
            percent(self.generated_operations, self.operations),
            self.files
        )?;
        let mut table = String::new();
        if !self.unsupported.is_empty() {
            writeln!(
                table,
                "\nunsupported (left out whole; kind: items, operations left out):"
            )?;
            for (kind, (items, operations)) in &self.unsupported {
                writeln!(table, "  {kind:<22} {items:>7} {operations:>7}")?;
            }
        }
        if !self.issues.is_empty() {
            writeln!(
                table,
                "\nimport issues (repaired or skipped; kind: occurrences, product versions):"
            )?;
            for (kind, (count, products)) in &self.issues {
                writeln!(table, "  {kind:<26} {count:>7} {products:>5}")?;
            }
        }
        if !self.ignored_keys.is_empty() {
            let keys: Vec<String> = self
                .ignored_keys
                .iter()
                .map(|(key, count)| format!("{key} {count}"))
                .collect();
            writeln!(
                table,
                "\nmetadata-internal keys skipped on purpose: {}",
                keys.join(", ")
            )?;
        }
        if !self.paginators.is_empty() || !self.no_paginator.is_empty() {
            let (count, items) = self
                .paginators
                .values()
                .fold((0, 0), |(c, i), (a, b)| (c + a, i + b));
            let kinds: Vec<String> = self
                .paginators
                .iter()
                .map(|(kind, (n, _))| format!("{kind} {n}"))
                .collect();
            writeln!(
                table,
                "\npaginators: {count} ({}), {items} with .items(); lists without one: {}",
                kinds.join(", "),
                self.no_paginator.values().map(Vec::len).sum::<usize>()
            )?;
            for (label, lines) in &self.no_paginator {
                writeln!(table, "  {label:<28} {:>7}", lines.len())?;
            }
        }
        if self.waiters > 0 || !self.no_waiter.is_empty() {
            writeln!(
                table,
                "\nwaiters: {}; asynchronous operations without one: {}",
                self.waiters,
                self.no_waiter.values().map(Vec::len).sum::<usize>()
            )?;
            for (label, lines) in &self.no_waiter {
                writeln!(table, "  {label:<28} {:>7}", lines.len())?;
            }
        }
        f.write_str(&table)?;
        for (title, lines) in [
            ("unreadable product versions", &self.unreadable),
            ("generated files that do not parse", &self.unparsable),
            ("generator panics", &self.panics),
        ] {
            if !lines.is_empty() {
                writeln!(f, "\n{title}: {}", lines.len())?;
                for line in lines {
                    writeln!(f, "  {line}")?;
                }
            }
        }
        Ok(())
    }
}

/// Runs `work(0..count)` on `jobs` threads and returns the results in index order, so the
/// outcome does not depend on scheduling. Product versions are independent, so the catalog
/// run scales with the cores it is given.
pub fn run_parallel<T: Send>(
    count: usize,
    jobs: usize,
    work: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<T>>> =
        (0..count).map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, count.max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if index >= count {
                        break;
                    }
                    let result = work(index);
                    if let Ok(mut slot) = slots[index].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().ok().flatten())
        .collect()
}
