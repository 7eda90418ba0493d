//! Where things are in the repository.

use std::path::PathBuf;

/// The repository root (the parent of `xtask/`), wherever cargo was started from.
pub fn root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// Fails with a usage message when a command that takes no arguments gets some.
pub fn no_args(command: &str, args: &[String]) -> Result<(), String> {
    match args.first() {
        None => Ok(()),
        Some(extra) => Err(format!(
            "unexpected argument `{extra}` (usage: cargo xtask {command})"
        )),
    }
}

/// Loads `specs/` and derives the tree, or explains every spec problem.
pub fn derive_tree() -> Result<alibabacloud_codegen::emit::tree::DerivedTree, String> {
    let specs_dir = root().join("specs");
    let specs = alibabacloud_codegen::load::load_tree(&specs_dir)
        .map_err(|errors| format!("the specs have problems:\n{errors}"))?;
    Ok(alibabacloud_codegen::emit::tree::derive(&specs))
}
