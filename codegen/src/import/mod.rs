//! Importers: turn material Alibaba publishes into spec drafts.
//!
//! Each importer produces [`crate::spec`] values; writing them into the tree is xtask's job,
//! so everything here is pure and unit-testable.
//!
//! * [`page`]: an API reference page saved as text (`cargo xtask import <page.txt>`).
//! * [`catalog`]: a product version of Alibaba's OpenAPI metadata (`api-docs.json`).

pub mod catalog;
pub mod page;
