//! Importer and generator together over real product versions: no panic, every generated
//! file parses, nothing left out unseen, and the output is byte-identical run to run.
//!
//! The whole catalog takes minutes in a debug build, so its test is ignored here; CI runs
//! `cargo xtask catalog` (optimised), which fails on the same conditions, and
//! `cargo test --release -- --ignored` runs it too.

use std::path::PathBuf;

use alibabacloud_codegen::import::catalog::{
    CatalogReport, ImportOptions, ProductBuild, build_product, run_parallel,
};

/// The crate's directory as cargo reports it when the test runs: a binary built from
/// another checkout sharing the target directory would carry a stale compile-time path.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn catalog_root() -> PathBuf {
    manifest_dir().join("../../shared/catalog")
}

/// `(code/version, path)` of every product version, sorted.
fn catalog() -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for product in std::fs::read_dir(catalog_root()).unwrap() {
        let product = product.unwrap().path();
        if product.is_dir() {
            for version in std::fs::read_dir(&product).unwrap() {
                let version = version.unwrap().path();
                let name = format!(
                    "{}/{}",
                    product.file_name().unwrap().to_string_lossy(),
                    version.file_name().unwrap().to_string_lossy()
                );
                found.push((name, version.join("api-docs.json")));
            }
        }
    }
    found.sort();
    found
}

fn build(name: &str) -> ProductBuild {
    let text = std::fs::read_to_string(catalog_root().join(name).join("api-docs.json")).unwrap();
    let options = ImportOptions {
        source: name,
        title: None,
        reviewed: None,
    };
    let mut build = build_product(name, &text, &options);
    build.verify_parses();
    build
}

const SEEDS: [&str; 3] = [
    "adb/2021-12-01",
    "dataworks-public/2020-05-18",
    "rds/2014-08-15",
];

#[test]
fn seed_products_generate_whole_and_parse() {
    for name in SEEDS {
        let build = build(name);
        assert!(
            build
                .issues
                .iter()
                .all(|i| i.kind.name() != "unreadable-document")
        );
        assert_eq!(build.generator_panic, None, "{name}");
        assert!(
            build.unparsable.is_empty(),
            "{name}: {:?}",
            build.unparsable
        );
        assert_eq!(
            build.generated_operations, build.operations,
            "{name}: {:?}",
            build.unsupported
        );
        assert!(
            build.unsupported.is_empty(),
            "{name}: {:?}",
            build.unsupported
        );
        let operation_files = build
            .files
            .iter()
            .filter(|f| f.path.starts_with("src/operations/") && f.path != "src/operations/mod.rs")
            .count();
        assert_eq!(
            operation_files, build.operations,
            "{name}: one module per operation"
        );
    }
}

/// Small products covering `flat`, named schemas, repeatList and json; determinism does
/// not depend on size, and a debug build generates about 30 operations a second.
const SMALL: [&str; 3] = ["acc/2024-04-02", "emr/2021-03-20", "vcs/2020-05-15"];

#[test]
fn generation_is_byte_identical_run_to_run_and_across_threads() {
    let sequential: Vec<ProductBuild> = SMALL.iter().map(|name| build(name)).collect();
    let parallel = run_parallel(SMALL.len(), 3, |index| build(SMALL[index]));
    assert_eq!(sequential, parallel);
    for build in &sequential {
        assert!(!build.files.is_empty(), "{}", build.product);
    }
}

#[test]
fn products_with_their_own_signature_are_reported_not_half_generated() {
    // hcs-mgw/2024-06-26 is ROA in the metadata but signs through the OSS gateway: nothing
    // is generated, and the report says why for every operation.
    let build = build("hcs-mgw/2024-06-26");
    assert!(build.files.is_empty());
    assert_eq!(build.generated_operations, 0);
    let mut report = CatalogReport::default();
    report.add(&build);
    let (items, left_out) = report.unsupported["api-style"];
    assert!(items > 0);
    assert_eq!(left_out, build.operations);
    assert!(report.is_clean(), "a skipped product is not a failure");
}

#[test]
fn roa_products_generate_every_operation() {
    for name in ["cs/2015-12-15", "fc/2023-03-30"] {
        let build = build(name);
        assert_eq!(build.generated_operations, build.operations, "{name}");
        assert!(!build.files.is_empty(), "{name}");
    }
}

#[test]
#[ignore = "minutes in a debug build; CI runs `cargo xtask catalog`, which checks the same"]
fn whole_catalog_generates_cleanly() {
    let catalog = catalog();
    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    let parts = run_parallel(catalog.len(), jobs, |index| {
        let (name, _) = &catalog[index];
        let mut report = CatalogReport::default();
        report.add(&build(name));
        report
    });
    let mut report = CatalogReport::default();
    for part in parts {
        report.merge(part);
    }
    assert!(report.is_clean(), "{report}");
    assert_eq!((report.products, report.operations), (351, 24_798));
}
