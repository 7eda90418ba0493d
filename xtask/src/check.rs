//! `cargo xtask check`: exits non-zero, naming each differing, missing or extra file, when
//! the committed derived files are not what the specs produce.

use alibabacloud_codegen::emit::tree;

use crate::workspace;

pub fn run(args: &[String]) -> Result<(), String> {
    workspace::no_args("check", args)?;
    let root = workspace::root()?;
    let derived = workspace::derive_tree(&root)?;
    let drifts = tree::drift(&root, &derived).map_err(|e| e.to_string())?;
    if drifts.is_empty() {
        println!("up to date: {} derived files", derived.files.len());
        return Ok(());
    }
    for drift in &drifts {
        eprintln!("{drift}");
    }
    Err(format!(
        "{} file(s) out of date with the specs; run `cargo xtask regen`",
        drifts.len()
    ))
}
