pub mod load;
pub mod spec;
