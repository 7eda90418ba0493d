//! Where the catalog is and how its product versions are named.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One product version of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// `<product>/<version>` (`adb/2021-12-01`).
    pub name: String,
    /// Its `api-docs.json`.
    pub path: PathBuf,
}

impl Entry {
    /// Provenance recorded in the specs (`catalog/adb/2021-12-01/api-docs.json`).
    pub fn source(&self) -> String {
        format!("catalog/{}/api-docs.json", self.name)
    }
}

/// The default catalog: `../shared/catalog` beside the repository.
pub fn default_root(repo: &Path) -> PathBuf {
    repo.join("../shared/catalog")
}

/// Every product version under `root`, sorted by name.
pub fn entries(root: &Path) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for product in sorted_dirs(root)? {
        for version in sorted_dirs(&product)? {
            let path = version.join("api-docs.json");
            if path.is_file() {
                entries.push(Entry {
                    name: format!("{}/{}", file_name(&product), file_name(&version)),
                    path,
                });
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

/// The entry a path names: an `api-docs.json` or the product-version directory holding
/// one. Its name comes from the two directories above the file.
pub fn entry_for(path: &Path) -> Option<Entry> {
    let file = if path.is_dir() {
        path.join("api-docs.json")
    } else {
        path.to_path_buf()
    };
    if file.file_name()? != "api-docs.json" || !file.is_file() {
        return None;
    }
    let version = file.parent()?;
    let product = version.parent()?;
    Some(Entry {
        name: format!("{}/{}", file_name(product), file_name(version)),
        path: file,
    })
}

/// Product names from the catalog's `products.json` (lowercase code → name); empty when
/// the file is absent or unreadable, since titles are only documentation.
pub fn titles(root: &Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(root.join("products.json")) else {
        return BTreeMap::new();
    };
    let Ok(serde_json::Value::Array(products)) = serde_json::from_str(&text) else {
        return BTreeMap::new();
    };
    products
        .iter()
        .filter_map(|p| {
            let code = p.get("code")?.as_str()?;
            let name = p.get("name")?.as_str()?;
            Some((code.to_ascii_lowercase(), name.to_owned()))
        })
        .collect()
}

/// The title of an entry's product, looked up by its directory name.
pub fn title_of<'a>(titles: &'a BTreeMap<String, String>, entry: &Entry) -> Option<&'a str> {
    let code = entry.name.split('/').next()?;
    titles.get(code).map(String::as_str)
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
