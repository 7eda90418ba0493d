//! `cargo xtask synth <N> <out-dir>`: writes a synthetic crate of N operations (see
//! `alibabacloud_codegen::emit::synth`) to `<out-dir>`, outside `generated/`, to measure how
//! debug compile time grows per operation.
//!
//! The crate is its own workspace, depending on this repository's runtime by path, with the
//! same dev profile as the main workspace, so its figures compare with the committed crates.

use std::path::{Path, PathBuf};

use alibabacloud_codegen::emit::{self, synth};

use crate::workspace;

const USAGE: &str = "usage: cargo xtask synth <N> <out-dir>";

pub fn run(args: &[String]) -> Result<(), String> {
    let [count, out] = args else {
        return Err(USAGE.to_owned());
    };
    let count: usize = count
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{count}` is not a positive number of operations ({USAGE})"))?;
    let out = PathBuf::from(out);
    let out = if out.is_absolute() {
        out
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(out)
    };
    let root = workspace::root()?;
    if out.starts_with(root.join("generated")) {
        return Err("the synthetic crate must not go under generated/".to_owned());
    }
    let (product, operations) = synth::specs(count).map_err(|errors| errors.to_string())?;
    let generated = emit::generate(&product, &operations, &Default::default());
    if !generated.unsupported.is_empty() {
        return Err(format!(
            "synthetic specs hit unsupported constructs: {:?}",
            generated.unsupported
        ));
    }
    let mut written = 0;
    for file in &generated.files {
        let contents = if file.path == "Cargo.toml" {
            manifest(&root)
        } else {
            file.contents.clone()
        };
        written += usize::from(write_if_changed(&out.join(&file.path), &contents)?);
    }
    // The same dependency versions as the workspace, so the figures compare.
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    write_if_changed(&out.join("Cargo.lock"), &lock)?;
    println!(
        "{} operations, {} files ({} changed) in {}",
        generated.operations,
        generated.files.len(),
        written,
        out.display()
    );
    Ok(())
}

/// A standalone manifest: the generated one inherits from this workspace, which the
/// synthetic crate is not part of.
fn manifest(root: &Path) -> String {
    let runtime = root.join("runtime");
    format!(
        "# Synthetic crate written by `cargo xtask synth`; not part of the repository.\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         alibabacloud-runtime = {{ path = \"{runtime}\" }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         \n\
         [dev-dependencies]\n\
         serde_json = \"1\"\n\
         \n\
         [profile.dev]\n\
         debug = \"line-tables-only\"\n\
         \n\
         [workspace]\n",
        name = synth::CRATE_NAME,
        runtime = runtime.display(),
    )
}

/// Writes `contents` unless the file already holds exactly that; returns whether it wrote.
fn write_if_changed(path: &Path, contents: &str) -> Result<bool, String> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(true)
}
