//! Loads the spec tree through the generator's own loader, so the emulator accepts exactly
//! the specs the clients are generated from, with the loader's error messages.

use std::path::Path;

use alibabacloud_codegen::load::{self, ProductSpecs};

use crate::StartError;
use crate::catalog::ProductInput;

/// A loaded product version.
pub(crate) type LoadedProduct = ProductSpecs;

/// Every product version under `root`.
pub(crate) fn load(root: &Path) -> Result<Vec<LoadedProduct>, StartError> {
    load::load_tree(root)
        .map(|tree| tree.products)
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
