//! `cargo xtask import`: a saved API reference page becomes a spec, and committed specs
//! are re-checked against their pages.
//!
//! ```text
//! cargo xtask import <page.txt> [--product <code>/<version>] [--action <Action>] [--catalog <dir>]
//! cargo xtask import --check <pages-dir>
//! ```
//!
//! Both take `--specs <dir>` (default `specs/`). The parsing is
//! `alibabacloud_codegen::import::page`; this module finds the spec a page belongs to,
//! merges the wire facts the page lacks from it, and writes atomically: the new text goes
//! to a temporary file beside the target that is renamed over it only once complete, so a
//! failed import never leaves a partial spec behind.
//!
//! A page no spec names yet is looked up in the catalog (`--catalog`, default
//! `../shared/catalog` beside the repository; see [`locate`]): by its action and product
//! name, or, untitled, by its parameter table. The new spec takes the metadata's wire facts
//! (`merge_operation`, as `cargo xtask import <api-docs.json>` does for page specs), and the
//! product version's `product.json` is written from the metadata when the tree has none.

use std::fs;
use std::path::{Path, PathBuf};

mod locate;

use alibabacloud_codegen::import::catalog::{ImportOptions, import_product, merge_operation};
use alibabacloud_codegen::import::page::{
    self, ImportedPage, PageOptions, SCHEMA_HINT, differences, merge_wire_facts,
};
use alibabacloud_codegen::spec::{OperationSpec, PRODUCT_FILE, ProductSpec};

use crate::catalog::source::{self, Entry};
use crate::workspace;

const USAGE: &str = "usage: cargo xtask import <page.txt> [--product <code>/<version>] [--action <Action>] [--specs <dir>] [--catalog <dir>]
       cargo xtask import --check <pages-dir> [--specs <dir>]";

/// The action an untitled page is read with until the catalog names it: not a valid action
/// (a title never names it), and never written.
const UNTITLED: &str = "(untitled)";

/// Parsed command line.
#[derive(Default)]
struct Args {
    page: Option<PathBuf>,
    check: Option<PathBuf>,
    product: Option<String>,
    action: Option<String>,
    specs: Option<PathBuf>,
    catalog: Option<PathBuf>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let specs_dir = match &args.specs {
        Some(dir) => dir.clone(),
        None => workspace::root()?.join("specs"),
    };
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
            "--catalog" => parsed.catalog = Some(PathBuf::from(value("--catalog")?)),
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

/// Reads a page; an untitled one read without an action gets [`UNTITLED`] as its action
/// (the caller finds the real one), so that its parameter table can be matched.
fn read_any_page(path: &Path, action: Option<&str>) -> Result<ImportedPage, String> {
    match read_page(path, action) {
        Ok(page) => Ok(page),
        Err(first) if action.is_none() => read_page(path, Some(UNTITLED)).map_err(|_| first),
        Err(error) => Err(error),
    }
}

/// The product name of a page's title (`AnalyticDB` in `AnalyticDB:CreateAPSJob`).
fn title_product(spec: &OperationSpec) -> Option<&str> {
    let title = spec.source.page.as_ref()?.title.as_deref()?;
    title.rsplit_once(':').map(|(product, _)| product.trim())
}

/// The catalog to look pages up in: `--catalog`, else `../shared/catalog` beside the
/// repository when there is one.
fn catalog_root(args: &Args) -> Result<Option<PathBuf>, String> {
    match &args.catalog {
        Some(dir) if dir.is_dir() => Ok(Some(dir.clone())),
        Some(dir) => Err(format!("--catalog {}: not a directory", dir.display())),
        None => Ok(workspace::root()
            .ok()
            .map(|root| source::default_root(&root))
            .filter(|dir| dir.is_dir())),
    }
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
    let imported = read_any_page(page_path, action)?;
    for note in &imported.notes {
        eprintln!(
            "{}:{}: note: {}",
            page_path.display(),
            note.line,
            note.message
        );
    }
    let (target, spec) = match owner {
        Some(owner) => {
            if let Some(product) = &args.product {
                let wanted = specs_dir
                    .join(product)
                    .join(format!("{}.json", imported.spec.action));
                if wanted != owner.path {
                    return Err(format!(
                        "page {file_name} belongs to {}, not to --product {product}",
                        owner.path.display()
                    ));
                }
            }
            (
                owner.path.clone(),
                merge_wire_facts(imported.spec, &owner.spec),
            )
        }
        None => new_spec(page_path, imported.spec, args, specs_dir, &specs)?,
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

/// Where a page no spec names goes, and its spec: the catalog's operation when the catalog
/// has it (found by action and product name, or by the parameter table of an untitled
/// page), else a spec beside an existing `product.json` named by `--product`.
fn new_spec(
    page_path: &Path,
    mut page: OperationSpec,
    args: &Args,
    specs_dir: &Path,
    specs: &[Committed],
) -> Result<(PathBuf, OperationSpec), String> {
    let titled = page.action != UNTITLED;
    let query = locate::Query {
        action: titled.then_some(page.action.as_str()),
        product: title_product(&page),
        parameters: page
            .request
            .iter()
            .filter_map(|field| field.name.as_deref())
            .collect(),
    };
    let catalog = catalog_root(args)?;
    let found = match (&catalog, &args.product) {
        (Some(root), None) => Some(locate::locate(root, &query, None)),
        (Some(root), Some(product)) if root.join(product).join("api-docs.json").is_file() => {
            Some(locate::locate(root, &query, Some(product)))
        }
        _ => None,
    };
    let missing = match found {
        Some(Ok(found)) => {
            if !titled {
                eprintln!(
                    "{}: note: the page has no title; its parameter table matches {} {} only",
                    page_path.display(),
                    found.entry.name,
                    found.action
                );
            }
            page.action = found.action;
            let root = catalog.unwrap_or_default();
            return from_catalog(&found.entry, &root, page, specs_dir);
        }
        Some(Err(message)) => Some(message),
        None => None,
    };
    let Some(product) = &args.product else {
        return Err(missing.unwrap_or_else(|| {
            format!(
                "no spec under {} names page {} and no catalog was found (--catalog <dir>, default ../shared/catalog); pass --product <code>/<version>",
                specs_dir.display(),
                page_path.display()
            )
        }));
    };
    if !titled {
        return Err(format!(
            "{}: the page has no title line (`Product:Action`) naming the operation{}; pass --action <Action>",
            page_path.display(),
            missing.map_or_else(String::new, |m| format!(
                " and the catalog cannot tell: {m}"
            ))
        ));
    }
    let dir = specs_dir.join(product);
    if !dir.join(PRODUCT_FILE).is_file() {
        return Err(format!(
            "{} has no {PRODUCT_FILE}: create the product version first{}",
            dir.display(),
            missing.map_or_else(String::new, |m| format!(" ({m})"))
        ));
    }
    let target = dir.join(format!("{}.json", page.action));
    // A spec already at the target (even one not yet naming this page) supplies the facts
    // the page lacks.
    let spec = match specs.iter().find(|c| c.path == target) {
        Some(existing) => merge_wire_facts(page, &existing.spec),
        None => {
            eprintln!(
                "{}: note: new spec; the page gives no methods or parameter locations: take them from the metadata",
                target.display()
            );
            page
        }
    };
    Ok((target, spec))
}

/// The page spec completed from its catalog operation, as `cargo xtask import
/// <api-docs.json>` completes page specs; writes the product version's `product.json` from
/// the metadata when the tree has none.
fn from_catalog(
    entry: &Entry,
    catalog_root: &Path,
    page: OperationSpec,
    specs_dir: &Path,
) -> Result<(PathBuf, OperationSpec), String> {
    let text =
        fs::read_to_string(&entry.path).map_err(|e| format!("{}: {e}", entry.path.display()))?;
    let titles = source::titles(catalog_root);
    let source_name = entry.source();
    let options = ImportOptions {
        source: &source_name,
        title: source::title_of(&titles, entry),
        reviewed: None,
    };
    let imported = import_product(&text, &options)
        .map_err(|issue| format!("{}: {issue}", entry.path.display()))?;
    let operation = imported
        .operations
        .iter()
        .find(|operation| operation.action == page.action)
        .ok_or_else(|| {
            format!(
                "{}: operation `{}` could not be imported from the metadata",
                entry.path.display(),
                page.action
            )
        })?;
    let dir = specs_dir
        .join(&imported.product.code)
        .join(&imported.product.version);
    let product_path = dir.join(PRODUCT_FILE);
    if !product_path.is_file() {
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let product = ProductSpec {
            schema: Some(SCHEMA_HINT.to_owned()),
            ..imported.product.clone()
        };
        let mut text = serde_json::to_string_pretty(&product)
            .unwrap_or_else(|e| unreachable!("spec types always serialise: {e}"));
        text.push('\n');
        write_atomically(&product_path, &text)?;
        println!(
            "{}: written from {}",
            product_path.display(),
            entry.path.display()
        );
    }
    let target = dir.join(format!("{}.json", page.action));
    if !target.is_file() {
        eprintln!(
            "{}: note: new spec; methods, parameter locations and the parameters only the metadata has come from {}",
            target.display(),
            entry.source()
        );
    }
    // A page never states its methods, path or deprecation: a fresh spec takes the
    // metadata's (a re-import keeps the spec's, through `merge_wire_facts`).
    let page = OperationSpec {
        methods: operation.methods.clone(),
        path: operation.path.clone(),
        deprecated: operation.deprecated,
        ..page
    };
    Ok((target, merge_operation(&page, operation)))
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
