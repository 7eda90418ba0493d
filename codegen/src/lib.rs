pub mod emit;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod spec;
