//! Regen time: loading `specs/`, deriving every generated file from it (what
//! `cargo xtask regen` does before writing), and generating a synthetic crate, whose time
//! per operation extrapolates to the whole catalog.

use std::path::{Path, PathBuf};

use alibabacloud_codegen::emit::{self, synth, tree};
use alibabacloud_codegen::load::{SpecTree, load_tree};

fn main() {
    divan::main();
}

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn loaded() -> SpecTree {
    load_tree(&specs_dir()).unwrap_or_else(|errors| panic!("{errors}"))
}

/// Reading and validating every spec file.
#[divan::bench(sample_count = 10)]
fn load_specs() -> SpecTree {
    loaded()
}

/// Rendering every derived file from loaded specs (pure generation).
#[divan::bench(sample_count = 10)]
fn derive_tree(bencher: divan::Bencher) {
    let specs = loaded();
    bencher.bench(|| tree::derive(divan::black_box(&specs)));
}

/// The whole regen minus writing: load, then derive.
#[divan::bench(sample_count = 10)]
fn load_and_derive() -> tree::DerivedTree {
    tree::derive(&loaded())
}

/// Generating a synthetic crate of 100 mid-size operations.
#[divan::bench(sample_count = 10)]
fn generate_synthetic_100(bencher: divan::Bencher) {
    let (product, operations) = synth::specs(100).unwrap_or_else(|errors| panic!("{errors}"));
    bencher.bench(|| {
        emit::generate(
            divan::black_box(&product),
            divan::black_box(&operations),
            &Default::default(),
        )
    });
}
