//! The output directory of `cargo xtask catalog`: one crate per product version, a
//! workspace manifest that makes them buildable where they are (the runtime comes from this
//! repository by path), the report, and a summary that the next run compares against.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use alibabacloud_codegen::import::catalog::ProductBuild;

/// Marks a directory as ours, so a later run may empty it.
const MARKER: &str = ".alibabacloud-catalog";
/// One line per product version; the next run prints what changed against it.
pub const SUMMARY: &str = "summary.tsv";
/// The report of the last run.
pub const REPORT: &str = "report.txt";
const SUMMARY_HEADER: &str =
    "product\tcrate\toperations\tgenerated\tissues\tunsupported\tinput\toutput";

/// Makes `out` an empty output directory and returns the previous run's summary. Refuses a
/// directory inside the committed tree (anything in the repository but `target/`) and a
/// non-empty directory that an earlier run did not create.
pub fn prepare(out: &Path, repo: &Path) -> Result<Option<String>, String> {
    let absolute = absolute(out)?;
    let repo = absolute_existing(repo)?;
    if absolute.starts_with(&repo) && !absolute.starts_with(repo.join("target")) {
        return Err(format!(
            "{}: inside the committed tree; choose a directory outside it (default target/catalog)",
            out.display()
        ));
    }
    let mut previous = None;
    if absolute.exists() {
        let empty = fs::read_dir(&absolute)
            .map_err(|e| format!("{}: {e}", out.display()))?
            .next()
            .is_none();
        if !empty && !absolute.join(MARKER).exists() {
            return Err(format!(
                "{}: not empty and not written by `cargo xtask catalog`; refusing to replace it",
                out.display()
            ));
        }
        previous = fs::read_to_string(absolute.join(SUMMARY)).ok();
        fs::remove_dir_all(&absolute).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    fs::create_dir_all(&absolute).map_err(|e| format!("{}: {e}", out.display()))?;
    write(
        &absolute.join(MARKER),
        "written by `cargo xtask catalog`; emptied by its next run\n",
    )?;
    Ok(previous)
}

/// Writes one crate's files under `out/<crate>/`.
pub fn write_crate(out: &Path, build: &ProductBuild) -> Result<(), String> {
    let dir = out.join(&build.crate_name);
    for file in &build.files {
        write(&dir.join(&file.path), &file.contents)?;
    }
    Ok(())
}

/// The workspace manifest over `crates`, with the package keys and dependencies the
/// generated manifests inherit taken from the repository's own manifest, and the runtime
/// by path. The repository's lock file is copied so versions match the tested ones.
pub fn write_workspace(out: &Path, repo: &Path, crates: &[String]) -> Result<(), String> {
    let root_manifest = fs::read_to_string(repo.join("Cargo.toml"))
        .map_err(|e| format!("{}: {e}", repo.join("Cargo.toml").display()))?;
    let package = section(&root_manifest, "[workspace.package]");
    let dependencies = section(&root_manifest, "[workspace.dependencies]");
    let inherited: Vec<&str> = dependencies
        .lines()
        .filter(|line| line.starts_with("serde ") || line.starts_with("serde_json "))
        .collect();
    let runtime = absolute_existing(&repo.join("runtime"))?;
    let members: Vec<String> = crates.iter().map(|c| format!("    \"{c}\",")).collect();
    let manifest = format!(
        "# Written by `cargo xtask catalog`: the generated crates of the catalog, outside the\n\
         # repository's workspace. Build one with `cargo check -p <crate>` here.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n{members}\n]\n\n\
         [workspace.package]\n{package}\n\
         [workspace.dependencies]\nalibabacloud-runtime = {{ path = {runtime:?} }}\n{inherited}\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n",
        members = members.join("\n"),
        package = package.trim_end(),
        runtime = runtime.display().to_string(),
        inherited = inherited.join("\n"),
    );
    write(&out.join("Cargo.toml"), &manifest)?;
    if let Ok(lock) = fs::read_to_string(repo.join("Cargo.lock")) {
        write(&out.join("Cargo.lock"), &lock)?;
    }
    Ok(())
}

/// The lines of a TOML section (without its header), up to the next header.
fn section<'a>(manifest: &'a str, header: &str) -> &'a str {
    let Some(start) = manifest.find(header) else {
        return "";
    };
    let body = &manifest[start + header.len()..];
    let end = body.find("\n[").map_or(body.len(), |i| i + 1);
    body[..end].trim_start_matches('\n')
}

/// One summary line: counts and content hashes of input and output.
pub fn summary_line(build: &ProductBuild, input: &[u8]) -> String {
    let mut output = Fnv::default();
    for file in &build.files {
        output.add(file.path.as_bytes());
        output.add(file.contents.as_bytes());
    }
    let mut hashed_input = Fnv::default();
    hashed_input.add(input);
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{:016x}\t{:016x}",
        build.product,
        build.crate_name,
        build.operations,
        build.generated_operations,
        build.issues.len(),
        build.unsupported.len(),
        hashed_input.0,
        output.0
    )
}

/// The summary file for `lines`.
pub fn summary(lines: &[String]) -> String {
    format!("{SUMMARY_HEADER}\n{}\n", lines.join("\n"))
}

/// What changed between two summaries, one line per product version, sorted.
pub fn changes(previous: &str, current: &str) -> Vec<String> {
    let parse = |text: &str| -> BTreeMap<String, Vec<String>> {
        text.lines()
            .skip(1)
            .filter_map(|line| {
                let columns: Vec<String> = line.split('\t').map(str::to_owned).collect();
                Some((columns.first()?.clone(), columns))
            })
            .collect()
    };
    let names: Vec<&str> = SUMMARY_HEADER.split('\t').collect();
    let before = parse(previous);
    let after = parse(current);
    let mut changes = Vec::new();
    for (product, columns) in &after {
        match before.get(product) {
            None => changes.push(format!("added    {product}")),
            Some(old) if old != columns => {
                let what: Vec<String> = names
                    .iter()
                    .zip(old.iter().zip(columns))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(name, (a, b))| match *name {
                        "input" | "output" => format!("{name} changed"),
                        _ => format!("{name} {a} -> {b}"),
                    })
                    .collect();
                changes.push(format!("changed  {product}: {}", what.join(", ")));
            }
            Some(_) => {}
        }
    }
    for product in before.keys() {
        if !after.contains_key(product) {
            changes.push(format!("removed  {product}"));
        }
    }
    changes.sort_by(|a, b| a[9..].cmp(&b[9..]));
    changes
}

/// FNV-1a, 64 bits: a stable content hash for the summary (not for security).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn add(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn absolute_existing(path: &Path) -> Result<PathBuf, String> {
    fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_added_removed_and_changed_columns() {
        let before = summary(&[
            "a/1\tc-a1\t3\t3\t0\t0\t01\t02".to_owned(),
            "b/1\tc-b1\t5\t4\t1\t1\t03\t04".to_owned(),
        ]);
        let after = summary(&[
            "b/1\tc-b1\t6\t4\t1\t1\t05\t04".to_owned(),
            "c/1\tc-c1\t1\t1\t0\t0\t06\t07".to_owned(),
        ]);
        assert_eq!(
            changes(&before, &after),
            [
                "removed  a/1",
                "changed  b/1: operations 5 -> 6, input changed",
                "added    c/1",
            ]
        );
        assert!(changes(&after, &after).is_empty());
    }

    #[test]
    fn sections_stop_at_the_next_header() {
        let manifest = "[a]\nx = 1\n\n[b]\ny = 2\n";
        assert_eq!(section(manifest, "[a]"), "x = 1\n\n");
        assert_eq!(section(manifest, "[b]"), "y = 2\n");
        assert_eq!(section(manifest, "[c]"), "");
    }
}
