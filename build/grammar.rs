//! Runs lalrpop on grammar/.
pub fn generate() {}
