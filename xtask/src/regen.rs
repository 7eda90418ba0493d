//! `cargo xtask regen`: rewrites `generated/` and `specs/schema.json` from the specs.
//!
//! Files are written only when their contents change (so timestamps, and therefore cargo's
//! rebuilds, follow real changes), and files under `generated/` that the specs no longer
//! produce are deleted.

use std::path::Path;

use alibabacloud_codegen::emit::tree::{self, Drift};

use crate::workspace;

pub fn run(args: &[String]) -> Result<(), String> {
    workspace::no_args("regen", args)?;
    let started = std::time::Instant::now();
    let root = workspace::root()?;
    let derived = workspace::derive_tree(&root)?;
    let drifts = tree::drift(&root, &derived).map_err(|e| e.to_string())?;
    for drift in &drifts {
        let path = root.join(drift.path());
        match drift {
            Drift::Differs(relative) | Drift::Missing(relative) => {
                write(&path, &derived.files[relative])?;
            }
            Drift::Extra(_) => {
                std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                remove_empty_parents(&root, &path);
            }
        }
        println!("{drift}");
    }
    for item in &derived.unsupported {
        println!("unsupported: {item}");
    }
    println!(
        "{} derived files, {} changed, {} unsupported item(s), in {:.2?}",
        derived.files.len(),
        drifts.len(),
        derived.unsupported.len(),
        started.elapsed()
    );
    Ok(())
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

/// Removes directories that deleting `file` left empty, up to `generated/` itself.
fn remove_empty_parents(root: &Path, file: &Path) {
    let stop = root.join(tree::GENERATED_DIR);
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == stop || std::fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}
