//! The derived tree: every file `cargo xtask regen` writes, computed in memory, and the
//! comparison of that tree with what is on disk (used by `cargo xtask check` and by the
//! test that fails when `generated/` is stale).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::load::SpecTree;
use crate::model::Unsupported;

/// Directory of the generated crates, relative to the repository root.
pub const GENERATED_DIR: &str = "generated";
/// The spec schema, relative to the repository root.
pub const SCHEMA_PATH: &str = "specs/schema.json";

/// Every derived file, keyed by `/`-separated path relative to the repository root.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DerivedTree {
    /// Path → contents.
    pub files: BTreeMap<String, String>,
    /// What the generator left out, over all products.
    pub unsupported: Vec<Unsupported>,
}

/// Renders the whole derived tree for a loaded spec tree. Pure: no I/O.
pub fn derive(specs: &SpecTree) -> DerivedTree {
    let mut tree = DerivedTree::default();
    tree.files
        .insert(SCHEMA_PATH.to_owned(), super::schema::spec_schema());
    for product in &specs.products {
        let mut generated = super::generate_product(product, &specs.reviewed);
        super::wire_goldens::extend(product, &mut generated);
        for file in generated.files {
            tree.files.insert(
                format!("{GENERATED_DIR}/{}/{}", generated.crate_name, file.path),
                file.contents,
            );
        }
        tree.unsupported.extend(generated.unsupported);
    }
    tree
}

/// One way the tree on disk differs from the derived tree.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    /// The file exists with other contents.
    Differs(String),
    /// The file should exist and does not.
    Missing(String),
    /// A file under `generated/` that the specs do not produce.
    Extra(String),
}

impl Drift {
    /// The repository-relative path concerned.
    pub fn path(&self) -> &str {
        match self {
            Drift::Differs(path) | Drift::Missing(path) | Drift::Extra(path) => path,
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Differs(path) => write!(f, "differs: {path}"),
            Drift::Missing(path) => write!(f, "missing: {path}"),
            Drift::Extra(path) => write!(f, "extra:   {path}"),
        }
    }
}

/// Compares the derived tree with the files under `root` (the repository root). Every file
/// under `generated/` is the generator's, so any other file there is extra.
pub fn drift(root: &Path, tree: &DerivedTree) -> std::io::Result<Vec<Drift>> {
    let mut drifts = Vec::new();
    for (path, contents) in &tree.files {
        match std::fs::read(root.join(path)) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => drifts.push(Drift::Differs(path.clone())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                drifts.push(Drift::Missing(path.clone()));
            }
            Err(error) => return Err(error),
        }
    }
    for path in files_under(root, GENERATED_DIR)? {
        if !tree.files.contains_key(&path) {
            drifts.push(Drift::Extra(path));
        }
    }
    drifts.sort();
    Ok(drifts)
}

/// Every file under `root/dir`, as `/`-separated paths relative to `root`, sorted. A missing
/// directory has no files.
pub fn files_under(root: &Path, dir: &str) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(relative) = stack.pop() {
        let entries = match std::fs::read_dir(root.join(&relative)) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                let parts: Vec<String> = path
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}
