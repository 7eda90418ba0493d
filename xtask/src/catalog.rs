//! `cargo xtask catalog`: every product version of Alibaba's OpenAPI metadata
//! (`../shared/catalog`) imported and generated into a directory outside the committed
//! tree, with a report of what is not supported yet, counted by kind.
//!
//! ```text
//! cargo xtask catalog [--verify] [--catalog <dir>] [--out <dir>] [--only <product>/<version>]... [--jobs <n>]
//! cargo xtask catalog --sample check|build [--catalog <dir>] [--out <dir>]
//! ```
//!
//! The run never stops at a product: unreadable documents, unsupported constructs and
//! generator failures are all counted and printed at the end. It fails (non-zero exit) only
//! on I/O errors or when a product could not be read, the generator panicked or (with
//! `--verify`, as CI runs it) a generated file does not parse back with `syn`, so CI catches
//! regressions. Output is byte-identical run to run; the
//! summary of the previous run in the same directory is compared with this one's, so a
//! maintainer who refreshes the catalog sees which product versions changed.
//!
//! The same module serves `cargo xtask import <api-docs.json>` ([`import`]).

mod output;
mod sample;
pub mod source;
mod specs;

use std::path::{Path, PathBuf};
use std::time::Instant;

use alibabacloud_codegen::import::catalog::{
    CatalogReport, ImportOptions, build_product, run_parallel,
};

use crate::workspace;

const USAGE: &str = "usage: cargo xtask catalog [--verify] [--catalog <dir>] [--out <dir>] [--only <product>/<version>]... [--jobs <n>]
       cargo xtask catalog --sample check|build [--catalog <dir>] [--out <dir>]";

/// Set on the optimised child so that it does not relaunch itself.
const IN_RELEASE: &str = "ALIBABACLOUD_XTASK_CATALOG_OPTIMISED";

fn relaunch_optimised(args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .args([
            "run",
            "--release",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "catalog",
        ])
        .args(args)
        .env(IN_RELEASE, "1")
        .status()
        .map_err(|e| format!("cannot start the optimised xtask: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the optimised run failed ({status})"))
    }
}

/// Parsed command line.
#[derive(Default)]
struct Args {
    catalog: Option<PathBuf>,
    out: Option<PathBuf>,
    only: Vec<String>,
    jobs: Option<usize>,
    sample: Option<sample::Mode>,
    verify: bool,
}

pub fn run(args: &[String]) -> Result<(), String> {
    // Generating 25,000 operations takes minutes unoptimised and seconds optimised, so a
    // debug xtask hands the run to an optimised build of itself.
    if cfg!(debug_assertions) && std::env::var_os(IN_RELEASE).is_none() {
        return relaunch_optimised(args);
    }
    let args = parse(args)?;
    let repo = workspace::root()?;
    let catalog = args
        .catalog
        .clone()
        .unwrap_or_else(|| source::default_root(&repo));
    if let Some(mode) = args.sample {
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| repo.join("target/catalog-sample"));
        return sample::run(mode, &catalog, &out, &repo);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| repo.join("target/catalog"));
    generate_all(&args, &catalog, &out, &repo)
}

/// Whether `cargo xtask import` was given catalog metadata (an `api-docs.json` or a
/// product-version directory holding one) rather than a reference page.
pub fn is_metadata(path: &Path) -> bool {
    source::entry_for(path).is_some()
}

/// `cargo xtask import <api-docs.json | dir> [--specs <dir>]`: writes the product version's
/// specs into `specs_dir`, page specs keeping their facts.
pub fn import(path: &Path, specs_dir: &Path) -> Result<(), String> {
    let entry = source::entry_for(path).ok_or_else(|| {
        format!(
            "{}: not an api-docs.json or a directory holding one",
            path.display()
        )
    })?;
    // The catalog root is two levels above the file (`<root>/<product>/<version>/`).
    let catalog_root = entry
        .path
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    specs::import(&entry, &catalog_root, specs_dir)
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| crate::args::value_of(&mut args, flag, USAGE);
        match arg.as_str() {
            "--catalog" => parsed.catalog = Some(PathBuf::from(value("--catalog")?)),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--only" => parsed.only.push(value("--only")?),
            "--jobs" => {
                let text = value("--jobs")?;
                let jobs = text
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--jobs takes a positive number, not `{text}`"))?;
                parsed.jobs = Some(jobs);
            }
            "--sample" => parsed.sample = Some(sample::Mode::parse(&value("--sample")?)?),
            "--verify" => parsed.verify = true,
            other => return Err(format!("unexpected argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn generate_all(args: &Args, catalog: &Path, out: &Path, repo: &Path) -> Result<(), String> {
    let started = Instant::now();
    let mut entries = source::entries(catalog)?;
    if !args.only.is_empty() {
        for wanted in &args.only {
            if !entries.iter().any(|e| &e.name == wanted) {
                return Err(format!(
                    "--only {wanted}: no such product version in {}",
                    catalog.display()
                ));
            }
        }
        entries.retain(|e| args.only.contains(&e.name));
    }
    let previous = output::prepare(out, repo)?;
    let titles = source::titles(catalog);
    let reviewed = crate::workspace::reviewed(repo)?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));

    // Each product version is read, built, written and summarised on a worker; results come
    // back in catalog order, so the report and summary do not depend on scheduling.
    let outcomes = run_parallel(entries.len(), jobs, |index| {
        let entry = &entries[index];
        let text =
            std::fs::read(&entry.path).map_err(|e| format!("{}: {e}", entry.path.display()))?;
        let source_name = entry.source();
        let options = ImportOptions {
            source: &source_name,
            title: source::title_of(&titles, entry),
            reviewed: Some(&reviewed),
        };
        let mut build = build_product(&entry.name, &String::from_utf8_lossy(&text), &options);
        if args.verify {
            build.verify_parses();
        }
        output::write_crate(out, &build)?;
        let mut report = CatalogReport::default();
        report.add(&build);
        let crate_name = (!build.files.is_empty()).then(|| build.crate_name.clone());
        Ok::<_, String>((report, output::summary_line(&build, &text), crate_name))
    });

    let mut report = CatalogReport::default();
    let mut lines = Vec::new();
    let mut crates = Vec::new();
    for outcome in outcomes {
        let (part, line, crate_name) = outcome?;
        report.merge(part);
        lines.push(line);
        crates.extend(crate_name);
    }
    crates.sort();
    output::write_workspace(out, repo, &crates)?;
    let summary = output::summary(&lines);
    output::write(&out.join(output::SUMMARY), &summary)?;
    let text = format!("{report}");
    // The file also lists every operation left without a paginator or waiter, by reason.
    output::write(
        &out.join(output::REPORT),
        &format!("{text}{}", report.helper_listing()),
    )?;

    if let Some(previous) = previous {
        let changes = output::changes(&previous, &summary);
        println!(
            "changes since the previous run in {}: {}",
            out.display(),
            changes.len()
        );
        for change in changes {
            println!("  {change}");
        }
        println!();
    }
    println!("{text}");
    println!(
        "written to {} ({} crates) in {:.1?} on {jobs} thread(s)",
        out.display(),
        crates.len(),
        started.elapsed()
    );
    if report.is_clean() {
        Ok(())
    } else {
        Err(
            "some product versions were unreadable, or generated code does not parse (see above)"
                .to_owned(),
        )
    }
}
