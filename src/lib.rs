//! rchisel — sysdig's troubleshooting core, rebuilt in Rust.
//!
//! The crate is a one-way pipeline; each top-level module is one stage:
//!
//! ```text
//! source (scap file | live eBPF) → event (view over raw bytes + event table)
//!   → state (thread/fd/user tables) → filter + fields (one field registry)
//!   → sink (printer | chisel host | writer)
//! ```
//!
//! Nothing below [`cli`] knows about command-line parsing.

pub mod chisel;
pub mod cli;
pub mod event;
pub mod export;
pub mod fields;
pub mod filter;
pub mod mesos;
pub mod pipeline;
pub mod runner;
pub mod sched;
pub mod signals;
pub mod sink;
pub mod source;
pub mod state;
