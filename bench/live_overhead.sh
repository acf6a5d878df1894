#!/bin/sh
# Overhead of live capture on a syscall storm (run as root from the crate root):
#   1. the workload alone,
#   2. under rchisel's eBPF capture (tests/live_bench.rs harness, release build,
#      every event consumed in userspace),
#   3. under bpftrace counting sys_enter per comm.
# Reports wall times and slowdowns. WORKLOAD overrides the default dd storm.
set -eu
WORKLOAD=${WORKLOAD:-"dd if=/dev/zero of=/dev/null bs=1 count=1000000"}
cd "$(dirname "$0")/.."

now() { date +%s.%N; }
wall() { s=$(now); sh -c "$WORKLOAD" 2>/dev/null; e=$(now); echo "$e - $s" | bc; }

echo "workload: $WORKLOAD"
base=$(wall); base2=$(wall)
base=$(echo "if ($base < $base2) $base else $base2" | bc)
echo "alone:      ${base}s"

cargo test --release --test live_bench --no-run >/dev/null 2>&1
out=$(RCHISEL_BENCH_CMD="$WORKLOAD" cargo test --release --test live_bench -- --ignored --nocapture 2>/dev/null | grep '^RESULT' || true)
if [ -n "$out" ]; then
    rch=$(echo "$out" | sed 's/.*workload_wall_s=\([0-9.]*\).*/\1/')
    echo "rchisel:    ${rch}s  ($(echo "scale=2; $rch / $base" | bc)x)   [$out]"
else
    echo "rchisel:    failed (root? BTF?)"
fi

if ! command -v bpftrace >/dev/null; then
    apt-get install -y bpftrace >/dev/null 2>&1 || true
fi
# bpftrace's tracepoint probes need tracefs.
if [ ! -d /sys/kernel/tracing/events ]; then
    mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi
if command -v bpftrace >/dev/null; then
    log=$(mktemp)
    bpftrace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }' >"$log" 2>&1 &
    bt=$!
    i=0; while ! grep -q Attaching "$log" && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
    sleep 0.5
    bpt=$(wall)
    kill -INT $bt 2>/dev/null || echo "(bpftrace had exited: $(head -c 300 "$log"))"
    wait $bt 2>/dev/null || true
    rm -f "$log"
    echo "bpftrace:   ${bpt}s  ($(echo "scale=2; $bpt / $base" | bc)x)"
else
    echo "bpftrace:   not installed"
fi
