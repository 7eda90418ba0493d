//! Loads the spec tree through the generator's own loader, so the emulator accepts exactly
//! the specs the clients are generated from, with the loader's error messages.

use std::path::Path;

use alibabacloud_codegen::load::{self, ProductSpecs};
use alibabacloud_codegen::reviewed::Reviewed;

use crate::StartError;
use crate::catalog::ProductInput;

/// A loaded product version.
pub(crate) type LoadedProduct = ProductSpecs;

/// Every product version under `root`, and the reviewed paging overrides and waiter table
/// beside them (errors in those name their file and JSON pointer like any spec's).
pub(crate) fn load(root: &Path) -> Result<(Vec<LoadedProduct>, Reviewed), StartError> {
    load::load_tree(root)
        .map(|tree| (tree.products, tree.reviewed))
        .map_err(|errors| StartError::Load(errors.to_string()))
}

/// What the catalog needs of a loaded product.
pub(crate) fn input(product: &LoadedProduct) -> ProductInput<'_> {
    ProductInput {
        dir: &product.dir,
        product: &product.product,
        operations: &product.operations,
        strict: true,
    }
}
