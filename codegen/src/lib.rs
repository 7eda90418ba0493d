pub mod emit;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod paging;
pub mod reviewed;
pub mod spec;
