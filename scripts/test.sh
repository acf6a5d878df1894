#!/usr/bin/env bash
# The whole test suite: unit + integration tests (conformance against sysdig
# 0.29.3 included, live-capture tests when root), then the chisel harness.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
cargo test --release --locked -- --test-threads=2
