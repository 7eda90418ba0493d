pub mod import;
pub mod load;
pub mod spec;
