#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test rchisel:
# clang/llvm + bpftool + libbpf-dev (the eBPF probe), sysdig 0.29.3 (the
# reference the conformance tests compare against), bpftrace (live benchmark
# baseline), DuckDB for Python (reads the Parquet export back). Idempotent; needs root (or sudo).
set -euo pipefail
need=()
command -v clang >/dev/null || need+=(clang llvm)
command -v bpftool >/dev/null || need+=(bpftool)
[ -e /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)
command -v sysdig >/dev/null || need+=(sysdig)
command -v bpftrace >/dev/null || need+=(bpftrace)
command -v python3 >/dev/null || need+=(python3)
# DuckDB's Python package reads the Parquet export back in tests/export_parquet.rs.
python3 -c "import duckdb" 2>/dev/null || python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! python3 -c "import duckdb" 2>/dev/null; then
  python3 -m pip install -q duckdb 2>/dev/null || python3 -m pip install -q --break-system-packages duckdb
fi
command -v cargo >/dev/null || { echo "setup: cargo (Rust toolchain) is required" >&2; exit 1; }
echo "setup: ok (clang $(clang --version | head -1 | grep -o '[0-9][0-9.]*' | head -1), sysdig $(sysdig --version 2>/dev/null | awk '{print $3}'))"
