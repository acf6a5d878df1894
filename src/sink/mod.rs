//! TODO
pub mod writer;
