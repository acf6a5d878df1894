//! Runs lalrpop on `grammar/` (the filter language) into `OUT_DIR`.
//!
//! The generated parser is included by `src/filter/parse.rs` through
//! `lalrpop_util::lalrpop_mod!`.

use std::path::PathBuf;

/// Generates `OUT_DIR/filter.rs` from `grammar/filter.lalrpop`.
pub fn generate() {
    println!("cargo:rerun-if-changed=grammar");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    if let Err(e) = lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .set_out_dir(&out)
        .emit_rerun_directives(true)
        .process()
    {
        panic!("lalrpop failed on grammar/: {e}");
    }
}
