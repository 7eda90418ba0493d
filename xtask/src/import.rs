//! `cargo xtask import`: a saved API reference page becomes a spec, and committed specs
//! are re-checked against their pages.
//!
//! ```text
//! cargo xtask import <page.txt> [--product <code>/<version>] [--action <Action>]
//! cargo xtask import --check <pages-dir>
//! ```
//!
//! Both take `--specs <dir>` (default `specs/`). The parsing is
//! `alibabacloud_codegen::import::page`; this module finds the spec a page belongs to,
//! merges the wire facts the page lacks from it, and writes atomically: the new text goes
//! to a temporary file beside the target that is renamed over it only once complete, so a
//! failed import never leaves a partial spec behind.

use std::fs;
use std::path::{Path, PathBuf};

use alibabacloud_codegen::import::page::{
    self, ImportedPage, PageOptions, differences, merge_wire_facts,
};
use alibabacloud_codegen::spec::{OperationSpec, PRODUCT_FILE};

use crate::workspace;

const USAGE: &str = "usage: cargo xtask import <page.txt> [--product <code>/<version>] [--action <Action>] [--specs <dir>]
       cargo xtask import --check <pages-dir> [--specs <dir>]";

/// Parsed command line.
#[derive(Default)]
struct Args {
    page: Option<PathBuf>,
    check: Option<PathBuf>,
    product: Option<String>,
    action: Option<String>,
    specs: Option<PathBuf>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let specs_dir = args
        .specs
        .clone()
        .unwrap_or_else(|| workspace::root().join("specs"));
    match (&args.page, &args.check) {
        // Catalog metadata rather than a page: the catalog importer owns it.
        (Some(path), None) if crate::catalog::is_metadata(path) => {
            crate::catalog::import(path, &specs_dir)
        }
        (Some(page), None) => import_one(page, &args, &specs_dir),
        (None, Some(pages)) if args.product.is_none() && args.action.is_none() => {
            check_all(pages, &specs_dir)
        }
        _ => Err(USAGE.to_owned()),
    }
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| crate::args::value_of(&mut args, flag, USAGE);
        match arg.as_str() {
            "--check" => parsed.check = Some(PathBuf::from(value("--check")?)),
            "--product" => parsed.product = Some(value("--product")?),
            "--action" => parsed.action = Some(value("--action")?),
            "--specs" => parsed.specs = Some(PathBuf::from(value("--specs")?)),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option `{flag}`\n{USAGE}"));
            }
            page if parsed.page.is_none() => parsed.page = Some(PathBuf::from(page)),
            extra => return Err(format!("unexpected argument `{extra}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

/// An operation spec in the tree, with its path.
struct Committed {
    path: PathBuf,
    spec: OperationSpec,
}

/// Every operation spec under `specs_dir` (`<product>/<version>/<Action>.json`), sorted by
/// path.
fn committed_specs(specs_dir: &Path) -> Result<Vec<Committed>, String> {
    let mut found = Vec::new();
    for product in sorted_dirs(specs_dir)? {
        for version in sorted_dirs(&product)? {
            for entry in read_dir(&version)? {
                let path = entry;
                let is_operation = path.extension().is_some_and(|ext| ext == "json")
                    && path.file_name().is_some_and(|name| name != PRODUCT_FILE);
                if !is_operation || !path.is_file() {
                    continue;
                }
                let text =
                    fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let spec = serde_json::from_str(&text)
                    .map_err(|e| format!("{}: not an operation spec: {e}", path.display()))?;
                found.push(Committed { path, spec });
            }
        }
    }
    Ok(found)
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    paths.sort();
    Ok(paths)
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(read_dir(dir)?
        .into_iter()
        .filter(|path| path.is_dir())
        .collect())
}

fn page_file(spec: &OperationSpec) -> Option<&str> {
    spec.source.page.as_ref().map(|page| page.file.as_str())
}

fn read_page(path: &Path, action: Option<&str>) -> Result<ImportedPage, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    page::import_page(&text, PageOptions { file_name, action })
        .map_err(|e| format!("{}:{}: {}", path.display(), e.line, e.reason))
}

fn import_one(page_path: &Path, args: &Args, specs_dir: &Path) -> Result<(), String> {
    let file_name = page_path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| format!("{}: not a file name", page_path.display()))?;
    let specs = committed_specs(specs_dir)?;
    let mut owners = specs
        .iter()
        .filter(|c| page_file(&c.spec) == Some(file_name));
    let owner = owners.next();
    if let Some(second) = owners.next() {
        return Err(format!(
            "two specs name page {file_name}: {} and {}",
            owner.map_or_else(String::new, |c| c.path.display().to_string()),
            second.path.display()
        ));
    }
    let action = args
        .action
        .as_deref()
        .or(owner.map(|c| c.spec.action.as_str()));
    let imported = read_page(page_path, action)?;
    for note in &imported.notes {
        eprintln!(
            "{}:{}: note: {}",
            page_path.display(),
            note.line,
            note.message
        );
    }
    let target = match (owner, &args.product) {
        (Some(owner), None) => owner.path.clone(),
        (Some(owner), Some(product)) => {
            let wanted = specs_dir
                .join(product)
                .join(format!("{}.json", imported.spec.action));
            if wanted != owner.path {
                return Err(format!(
                    "page {file_name} belongs to {}, not to --product {product}",
                    owner.path.display()
                ));
            }
            wanted
        }
        (None, Some(product)) => {
            let dir = specs_dir.join(product);
            if !dir.join(PRODUCT_FILE).is_file() {
                return Err(format!(
                    "{} has no {PRODUCT_FILE}: create the product version first",
                    dir.display()
                ));
            }
            dir.join(format!("{}.json", imported.spec.action))
        }
        (None, None) => {
            return Err(format!(
                "no spec under {} names page {file_name}; pass --product <code>/<version>",
                specs_dir.display()
            ));
        }
    };
    // A spec already at the target (even one not yet naming this page) supplies the facts
    // the page lacks.
    let existing = specs.iter().find(|c| c.path == target).map(|c| &c.spec);
    let spec = match existing {
        Some(existing) => merge_wire_facts(imported.spec, existing),
        None => {
            eprintln!(
                "{}: note: new spec; the page gives no methods or parameter locations: take them from the metadata",
                target.display()
            );
            imported.spec
        }
    };
    let text = page::to_json(&spec);
    if fs::read_to_string(&target).is_ok_and(|old| old == text) {
        println!("{}: unchanged", target.display());
        return Ok(());
    }
    write_atomically(&target, &text)?;
    println!("{}: written from {}", target.display(), page_path.display());
    Ok(())
}

/// Writes `text` to a temporary file beside `target`, then renames it over `target`.
fn write_atomically(target: &Path, text: &str) -> Result<(), String> {
    let mut temporary = target.as_os_str().to_owned();
    temporary.push(".import-tmp");
    let temporary = PathBuf::from(temporary);
    let result = fs::write(&temporary, text).and_then(|()| fs::rename(&temporary, target));
    result.map_err(|e| {
        // Leave nothing half-written behind; the target is untouched.
        let _ = fs::remove_file(&temporary);
        format!("{}: {e}", target.display())
    })
}

fn check_all(pages_dir: &Path, specs_dir: &Path) -> Result<(), String> {
    let specs = committed_specs(specs_dir)?;
    let mut checked = 0;
    let mut disagreements = 0;
    let mut notes = 0;
    for committed in &specs {
        let Some(file) = page_file(&committed.spec) else {
            continue;
        };
        checked += 1;
        let shown = committed.path.display();
        let imported = match read_page(&pages_dir.join(file), Some(&committed.spec.action)) {
            Ok(imported) => imported,
            Err(message) => {
                eprintln!("{shown}: cannot re-import its page: {message}");
                disagreements += 1;
                continue;
            }
        };
        notes += imported.notes.len();
        let merged = merge_wire_facts(imported.spec, &committed.spec);
        for difference in differences(&merged, &committed.spec) {
            eprintln!("{shown}: {difference}");
            disagreements += 1;
        }
    }
    if disagreements > 0 {
        return Err(format!(
            "{disagreements} disagreement(s) between {checked} spec(s) and their pages in {}",
            pages_dir.display()
        ));
    }
    println!(
        "{checked} spec(s) agree with their pages in {} ({notes} import note(s); `cargo xtask import <page>` shows them)",
        pages_dir.display()
    );
    Ok(())
}
