//! Serving Alibaba's catalog directly: each `<catalog>/<product>/<version>/api-docs.json`
//! is imported on the fly with the generator's importer
//! (`alibabacloud_codegen::import::catalog::import_product`), the same one `cargo xtask
//! catalog` generates the catalog crates from, so a user of such a crate can test offline
//! without importing specs into the repository.

use std::path::{Path, PathBuf};

use alibabacloud_codegen::import::catalog::{ImportOptions, import_product};
use alibabacloud_codegen::spec::{OperationSpec, ProductSpec};

use crate::StartError;
use crate::catalog::ProductInput;

/// One imported product version.
#[derive(Debug)]
pub(crate) struct Imported {
    /// `<catalog>/<product>/<version>` (for messages).
    pub(crate) dir: PathBuf,
    pub(crate) product: ProductSpec,
    pub(crate) operations: Vec<OperationSpec>,
}

impl Imported {
    /// What the catalog needs of it; samples that cannot be served as they are get a
    /// synthesized answer instead of stopping the start.
    pub(crate) fn input(&self) -> ProductInput<'_> {
        ProductInput {
            dir: &self.dir,
            product: &self.product,
            operations: &self.operations,
            strict: false,
        }
    }
}

/// `<product>/<version>` names of every product version under `root`, sorted, with their
/// `api-docs.json`.
fn entries(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let dirs = |dir: &Path| -> Result<Vec<PathBuf>, String> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_dir())
            .collect();
        out.sort();
        Ok(out)
    };
    let name = |path: &Path| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut entries = Vec::new();
    for product in dirs(root)? {
        for version in dirs(&product)? {
            let file = version.join("api-docs.json");
            if file.is_file() {
                entries.push((format!("{}/{}", name(&product), name(&version)), file));
            }
        }
    }
    if entries.is_empty() {
        return Err(format!(
            "{}: no <product>/<version>/api-docs.json found",
            root.display()
        ));
    }
    Ok(entries)
}

/// Imports the product versions of `root` named in `only` (`cs/2015-12-15`), or all of
/// them when `only` is empty. A name that is not in the catalog, or a document that cannot
/// be read, is an error; what the importer repairs or skips inside a document is not.
pub(crate) fn import(root: &Path, only: &[String]) -> Result<Vec<Imported>, StartError> {
    let mut entries = entries(root).map_err(StartError::Load)?;
    if !only.is_empty() {
        let unknown: Vec<&str> = only
            .iter()
            .filter(|wanted| !entries.iter().any(|(name, _)| name == *wanted))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(StartError::Load(format!(
                "{}: no such product version: {} (names are <product>/<version>, e.g. cs/2015-12-15)",
                root.display(),
                unknown.join(", ")
            )));
        }
        entries.retain(|(name, _)| only.contains(name));
    }
    let jobs = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(entries.len())
        .max(1);
    let chunk = entries.len().div_ceil(jobs);
    let results: Vec<Result<Imported, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(name, file)| import_one(name, file))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| vec![Err("the importer panicked".to_owned())])
            })
            .collect()
    });
    let mut imported = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(product) => imported.push(product),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(imported)
    } else {
        Err(StartError::Load(errors.join("\n")))
    }
}

fn import_one(name: &str, file: &Path) -> Result<Imported, String> {
    let text = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let source = format!("catalog/{name}/api-docs.json");
    let options = ImportOptions {
        source: &source,
        title: None,
        reviewed: None,
    };
    let imported = import_product(&String::from_utf8_lossy(&text), &options)
        .map_err(|issue| format!("{}: {issue}", file.display()))?;
    Ok(Imported {
        dir: file.parent().map(Path::to_path_buf).unwrap_or_default(),
        product: imported.product,
        operations: imported.operations,
    })
}
