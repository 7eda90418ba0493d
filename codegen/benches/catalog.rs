//! The whole catalog run (`cargo xtask catalog` minus writing files): every product version
//! of `../shared/catalog` imported and generated on all cores as the xtask runs it, with and
//! without parsing every generated file back (`--verify`); plus the import alone, to show
//! where the time goes.
//!
//! `cargo bench -p alibabacloud-codegen --bench catalog`. One sample each: a run takes
//! tens of seconds, so repeating it would only repeat the machine's noise.

use std::path::PathBuf;

use alibabacloud_codegen::import::catalog::{
    CatalogReport, ImportOptions, build_product, import_product, run_parallel,
};

/// The crate's directory as cargo reports it when the test runs: a binary built from
/// another checkout sharing the target directory would carry a stale compile-time path.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn main() {
    divan::main();
}

/// `(product/version, text)` of every product version, sorted; read once, outside the
/// measurement.
fn catalog() -> Vec<(String, String)> {
    // Under `cargo test` (no `--bench` argument) divan runs each benchmark once as a test,
    // in a debug build: three products prove the benchmark works without taking minutes.
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    let root = manifest_dir().join("../../shared/catalog");
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for product in std::fs::read_dir(&root).expect("../shared/catalog") {
        let product = product.expect("catalog entry").path();
        if !product.is_dir() {
            continue;
        }
        for version in std::fs::read_dir(&product).expect("product directory") {
            let version = version.expect("version entry").path();
            let name = format!(
                "{}/{}",
                product.file_name().unwrap_or_default().to_string_lossy(),
                version.file_name().unwrap_or_default().to_string_lossy()
            );
            found.push((name, version.join("api-docs.json")));
        }
    }
    found.sort();
    if !benchmarking {
        found.retain(|(name, _)| {
            ["acc/2024-04-02", "vcs/2020-05-15", "cs/2015-12-15"].contains(&name.as_str())
        });
    }
    found
        .into_iter()
        .map(|(name, path)| (name, std::fs::read_to_string(path).expect("api-docs.json")))
        .collect()
}

fn jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn import_whole_catalog(bencher: divan::Bencher) {
    let catalog = catalog();
    bencher.bench(|| {
        run_parallel(catalog.len(), jobs(), |index| {
            let (_, text) = &catalog[index];
            import_product(text, &ImportOptions::default()).map(|p| p.operations.len())
        })
    });
}

/// Import and generate every product version, optionally parsing every generated file
/// back (`cargo xtask catalog --verify`, as CI runs it).
fn whole_catalog(bencher: divan::Bencher, verify: bool) {
    let catalog = catalog();
    bencher.bench(|| {
        let parts = run_parallel(catalog.len(), jobs(), |index| {
            let (name, text) = &catalog[index];
            let mut build = build_product(name, text, &ImportOptions::default());
            if verify {
                build.verify_parses();
            }
            let mut report = CatalogReport::default();
            report.add(&build);
            report
        });
        let mut report = CatalogReport::default();
        for part in parts {
            report.merge(part);
        }
        assert!(report.is_clean(), "{report}");
        report
    });
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn generate_whole_catalog(bencher: divan::Bencher) {
    whole_catalog(bencher, false);
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn generate_and_verify_whole_catalog(bencher: divan::Bencher) {
    whole_catalog(bencher, true);
}
