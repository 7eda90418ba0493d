//! `cargo xtask catalog --sample check|build`: a sample of product versions chosen to
//! cover the range of the catalog, generated into its own workspace and compiled.
//!
//! `check` is what CI runs (`cargo check` of every sample crate, warnings denied).
//! `build` times a debug build of each crate alone, after the runtime and its
//! dependencies are built, and prints seconds per operation, plus the slope of time over
//! operations across the sample (the marginal cost of one more operation, free of each
//! crate's fixed cost).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use alibabacloud_codegen::import::catalog::{ImportOptions, build_product};

use super::output;
use super::source::{self, Entry};

/// The sample, with why each is in it: size (largest, smallest), nesting depth, every
/// flattening style the catalog uses, named schemas, enormous error tables, the three seed
/// products, and every V3-signed style (ROA, FC, V3, AliGenie).
pub const SAMPLE: &[(&str, &str)] = &[
    (
        "sas/2018-12-03",
        "largest RPC product (921 operations); repeatList, json, flat, simple",
    ),
    (
        "r-kvstore/2015-01-01",
        "deepest nesting (19 levels of response objects)",
    ),
    (
        "ecs/2014-05-26",
        "enormous error tables (438 rows in one operation); repeatList, flat, json",
    ),
    (
        "emr/2021-03-20",
        "most `flat` parameters (77) and 34 named schemas",
    ),
    (
        "imm/2020-09-30",
        "most named schemas (89 `$ref` targets); json",
    ),
    (
        "vpcpeer/2022-01-01",
        "small product with a `simple` (comma-joined) parameter",
    ),
    ("vcs/2020-05-15", "one operation, with a `flat` parameter"),
    (
        "gwlb/2024-04-15",
        "waiters that read a list's first item (`Servers[].Status`), one where no item means done",
    ),
    ("acc/2024-04-02", "four operations, repeatList and json"),
    (
        "adb/2021-12-01",
        "seed product: json and repeatList, form bodies, named schemas",
    ),
    (
        "rds/2014-08-15",
        "seed product: simple, json, repeatList; 162-row error tables",
    ),
    (
        "dataworks-public/2020-05-18",
        "seed product: form bodies, repeatList in the form",
    ),
    (
        "cs/2015-12-15",
        "ROA (ACK): path values, object and array bodies, json-style query, array answers",
    ),
    (
        "fc/2023-03-30",
        "FC: byte bodies and answers, header parameters, 204 answers",
    ),
    (
        "arms/2019-08-08",
        "largest V3 product (249 operations), RPC-shaped",
    ),
    (
        "aligenie/ip_1.0",
        "AliGenie: ROA paths with form bodies, a version that is not a date",
    ),
    (
        "elasticsearch/2017-06-13",
        "ROA with string bodies and several methods per operation",
    ),
];

/// How to compile the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `cargo check` (CI).
    Check,
    /// Timed debug builds, one crate at a time.
    Build,
}

impl Mode {
    pub fn parse(text: &str) -> Result<Mode, String> {
        match text {
            "check" => Ok(Mode::Check),
            "build" => Ok(Mode::Build),
            other => Err(format!("--sample takes `check` or `build`, not `{other}`")),
        }
    }
}

/// Generates the sample into `out` (a workspace) and compiles it.
pub fn run(mode: Mode, catalog_root: &Path, out: &Path, repo: &Path) -> Result<(), String> {
    output::prepare(out, repo)?;
    let titles = source::titles(catalog_root);
    let reviewed = crate::workspace::reviewed(repo)?;
    let mut crates = Vec::new();
    for (name, why) in SAMPLE {
        let entry = Entry {
            name: (*name).to_owned(),
            path: catalog_root.join(name).join("api-docs.json"),
        };
        let text = std::fs::read_to_string(&entry.path)
            .map_err(|e| format!("{}: {e}", entry.path.display()))?;
        let source_name = entry.source();
        let options = ImportOptions {
            source: &source_name,
            title: source::title_of(&titles, &entry),
            reviewed: Some(&reviewed),
        };
        let mut build = build_product(name, &text, &options);
        build.verify_parses();
        if build.files.is_empty() || !build.unparsable.is_empty() {
            return Err(format!(
                "sample product {name} generated nothing; pick another"
            ));
        }
        output::write_crate(out, &build)?;
        println!(
            "{name}: {} of {} operations ({why})",
            build.generated_operations, build.operations
        );
        crates.push((build.crate_name, build.generated_operations));
    }
    let names: Vec<String> = crates.iter().map(|(name, _)| name.clone()).collect();
    output::write_workspace(out, repo, &names)?;
    match mode {
        Mode::Check => check(out),
        Mode::Build => time_builds(out, &crates),
    }
}

fn cargo(out: &Path, args: &[&str]) -> Result<(), String> {
    // The output directory is emptied by every run; the build lives beside it so that the
    // runtime and its dependencies are compiled once, not on every run.
    let mut target = out.as_os_str().to_owned();
    target.push("-target");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` failed in {} ({status})",
            args.join(" "),
            out.display()
        ))
    }
}

fn check(out: &Path) -> Result<(), String> {
    let started = Instant::now();
    cargo(
        out,
        &[
            "check",
            "--workspace",
            "--all-targets",
            "--offline",
            "--keep-going",
        ],
    )?;
    println!("cargo check of the sample: {:.1?}", started.elapsed());
    Ok(())
}

fn time_builds(out: &Path, crates: &[(String, usize)]) -> Result<(), String> {
    cargo(out, &["build", "--offline", "-p", "alibabacloud-runtime"])?;
    let mut points = Vec::new();
    println!(
        "\n{:<44} {:>6} {:>9} {:>9}",
        "crate", "ops", "seconds", "s/op"
    );
    for (name, operations) in crates {
        // Untimed: if the runtime changed meanwhile, its rebuild must not count against
        // the crate.
        cargo(out, &["build", "--offline", "-p", "alibabacloud-runtime"])?;
        let started = Instant::now();
        cargo(out, &["build", "--offline", "-p", name])?;
        let seconds = started.elapsed().as_secs_f64();
        let per_op = seconds / (*operations).max(1) as f64;
        println!("{name:<44} {operations:>6} {seconds:>9.2} {per_op:>9.4}");
        points.push((*operations as f64, seconds));
    }
    if let Some(slope) = slope(&points) {
        println!("marginal debug compile time per operation (least-squares slope): {slope:.4} s");
    }
    Ok(())
}

/// Least-squares slope of seconds over operations.
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let covariance: f64 = points
        .iter()
        .map(|(x, y)| (x - mean_x) * (y - mean_y))
        .sum();
    let variance: f64 = points.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    (variance > 0.0).then(|| covariance / variance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_is_the_marginal_cost() {
        let points = [(10.0, 3.0), (20.0, 4.0), (40.0, 6.0)];
        assert!((slope(&points).unwrap() - 0.1).abs() < 1e-9);
        assert_eq!(slope(&[(5.0, 1.0), (5.0, 2.0)]), None);
    }
}
