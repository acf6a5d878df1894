//! Command-line front end: turns sysdig-style arguments into a run of the pipeline.

/// Entry point used by the binary; returns the process exit code.
pub fn main() -> i32 {
    0
}
