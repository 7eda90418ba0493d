//! Where things are in the repository.
//!
//! The repository is found when xtask runs, never fixed when it is compiled: two clones
//! sharing one `CARGO_TARGET_DIR` run the same binary, and each must read and write its own
//! `specs/` and `generated/`.

use std::path::{Path, PathBuf};

/// Names the repository root explicitly, overriding the search from the current directory.
pub const ROOT_ENV: &str = "ALIBABACLOUD_XTASK_ROOT";

/// The repository root: `$ALIBABACLOUD_XTASK_ROOT` when set, else the first directory at or
/// above the current one that holds a workspace `Cargo.toml` (with `[workspace]`) beside
/// `specs/`. `cargo xtask` runs with the current directory of the caller, anywhere inside a
/// clone.
pub fn root() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os(ROOT_ENV) {
        let dir = PathBuf::from(dir);
        return if is_root(&dir) {
            Ok(dir)
        } else {
            Err(format!(
                "{ROOT_ENV}={}: not the repository root (no Cargo.toml with [workspace] beside specs/)",
                dir.display()
            ))
        };
    }
    let current =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    find_root(&current).ok_or_else(|| {
        format!(
            "no repository root (a Cargo.toml with [workspace] beside specs/) at or above {}; run cargo xtask inside a clone, or set {ROOT_ENV}",
            current.display()
        )
    })
}

/// The first directory at or above `start` that is a repository root.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_root(dir))
        .map(Path::to_path_buf)
}

/// Whether `dir` holds a workspace manifest and a `specs/` directory.
fn is_root(dir: &Path) -> bool {
    dir.join("specs").is_dir()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
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

/// Loads `root`'s `specs/` and derives the tree, or explains every spec problem.
pub fn derive_tree(root: &Path) -> Result<alibabacloud_codegen::emit::tree::DerivedTree, String> {
    let specs_dir = root.join("specs");
    let specs = alibabacloud_codegen::load::load_tree(&specs_dir)
        .map_err(|errors| format!("the specs have problems:\n{errors}"))?;
    Ok(alibabacloud_codegen::emit::tree::derive(&specs))
}

/// The reviewed paging overrides and waiter table of `root`'s `specs/`, which the catalog
/// runs apply as regen does.
pub fn reviewed(root: &Path) -> Result<alibabacloud_codegen::reviewed::Reviewed, String> {
    alibabacloud_codegen::reviewed::Reviewed::load(&root.join("specs"))
        .map_err(|errors| format!("the reviewed files have problems:\n{errors}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_nearest_workspace_with_specs() {
        let dir = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let nested = dir.join("specs/adb");
        std::fs::create_dir_all(&nested).unwrap();
        // A member's manifest is not the workspace's.
        std::fs::create_dir_all(dir.join("xtask")).unwrap();
        std::fs::write(dir.join("xtask/Cargo.toml"), "[package]\n").unwrap();
        assert_eq!(find_root(&dir.join("xtask")), None);
        std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        assert_eq!(find_root(&nested), Some(dir.clone()));
        assert_eq!(find_root(&dir.join("xtask")), Some(dir.clone()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
