//! TODO

pub mod value;
