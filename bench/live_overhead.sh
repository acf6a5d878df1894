#!/bin/bash
# Overhead of live capture on a syscall storm (run as root from the crate root):
#   1. the workload alone,
#   2. under rchisel's eBPF capture (tests/live_bench.rs harness, release build,
#      the rings a user gets by default; also once with the probe's batches off,
#      every event consumed in userspace),
#   3. under bpftrace counting sys_enter per comm.
# The three run in turn, RUNS rounds (default 5), and each reports its best
# wall time, so that a noisy neighbour hits all three alike and does not
# decide the result. Prints the slowdowns and rchisel's added time over
# bpftrace's (the issue's target: at most 1.5). WORKLOAD overrides the
# default dd storm.
#
# Then, with the rchisel binary as a user runs it (`-v -w FILE FILTER`):
#   4. the two-CPU storm: one `dd bs=1 count=500000` pinned to each of CPUs 0
#      and 1 while recording `proc.name=dd`: the dd pair's wall time alone and
#      under capture, events kept (written to the file), Driver Events/Drops,
#      peak RSS (VmHWM; the rings' pages, mapped into the process, count in it);
#   5. the same storm with a selective filter (`evt.type in (execve, connect)`):
#      the probe then traces only those syscalls and the ones the state needs;
#   6. idle: `rchisel -w FILE -M 10` on the machine as it is: CPU time
#      (utime+stime) over the whole run, and in its steady state (a -M 24
#      run, after the probe is loaded and the /proc snapshot taken: seconds
#      3.5 to 23.5).
# Other programs running meanwhile make 4-6 pessimistic: the load average is
# printed with them.
set -eu
WORKLOAD=${WORKLOAD:-"dd if=/dev/zero of=/dev/null bs=1 count=1000000"}
RUNS=${RUNS:-5}
cd "$(dirname "$0")/.."

now() { date +%s.%N; }
wall() { s=$(now); sh -c "$WORKLOAD" 2>/dev/null; e=$(now); echo "$e - $s" | bc; }
min() { if [ -z "$1" ]; then echo "$2"; else echo "if ($1 < $2) $1 else $2" | bc; fi; }

echo "workload: $WORKLOAD"
cargo test --release --test live_bench --no-run >/dev/null 2>&1
if ! command -v bpftrace >/dev/null; then
    apt-get install -y bpftrace >/dev/null 2>&1 || true
fi
# bpftrace's tracepoint probes need tracefs.
if [ ! -d /sys/kernel/tracing/events ]; then
    mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi

under_rchisel() {
    RCHISEL_BENCH_CMD="$WORKLOAD" cargo test --release --test live_bench -- --ignored --nocapture 2>/dev/null | grep '^RESULT' || true
}
under_bpftrace() {
    log=$(mktemp)
    bpftrace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }' >"$log" 2>&1 &
    bt=$!
    i=0; while ! grep -q Attaching "$log" && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
    sleep 0.5
    t=$(wall)
    kill -INT $bt 2>/dev/null || echo "(bpftrace had exited: $(head -c 300 "$log"))" >&2
    # bpftrace sometimes misses the first SIGINT: insist, then force.
    i=0; while kill -0 $bt 2>/dev/null && [ $i -lt 20 ]; do sleep 0.5; kill -INT $bt 2>/dev/null || true; i=$((i+1)); done
    kill -KILL $bt 2>/dev/null || true
    wait $bt 2>/dev/null || true
    rm -f "$log"
    echo "$t"
}

base=""; rch=""; out=""; bpt=""; nob=""
# Every round's three times are kept too: each round's ratio of added times
# is printed, with their median, so that no single favourable round decides.
rounds=""
for r in $(seq 1 "$RUNS"); do
    a=$(wall); base=$(min "$base" "$a")
    o=$(under_rchisel); t=""
    if [ -n "$o" ]; then
        t=$(echo "$o" | sed 's/.*workload_wall_s=\([0-9.]*\).*/\1/')
        if [ -z "$rch" ] || [ "$(echo "$t < $rch" | bc)" = 1 ]; then rch=$t; out=$o; fi
    fi
    # The same with the probe's per-CPU batches off (one ring record per syscall).
    o=$(RCHISEL_BENCH_NOBATCH=1 under_rchisel)
    [ -n "$o" ] && nob=$(min "$nob" "$(echo "$o" | sed 's/.*workload_wall_s=\([0-9.]*\).*/\1/')")
    b=""
    if command -v bpftrace >/dev/null; then
        b=$(under_bpftrace); bpt=$(min "$bpt" "$b")
    fi
    if [ -n "$t" ] && [ -n "$b" ]; then
        q=$(echo "scale=2; ($t - $a) / ($b - $a)" | bc)
        printf "round %d: alone %.3fs  rchisel %.3fs  bpftrace %.3fs  added-time ratio %s\n" "$r" "$a" "$t" "$b" "$q"
        rounds="$rounds $q"
    fi
done

echo "alone:      ${base}s"
if [ -n "$out" ]; then
    echo "rchisel:    ${rch}s  ($(echo "scale=2; $rch / $base" | bc)x)   [$out]"
    [ -n "$nob" ] && echo "  without the probe's batches: ${nob}s  ($(echo "scale=2; $nob / $base" | bc)x)"
else
    echo "rchisel:    failed (root? BTF?)"
fi
if [ -n "$bpt" ]; then
    echo "bpftrace:   ${bpt}s  ($(echo "scale=2; $bpt / $base" | bc)x)"
    [ -n "$rch" ] && echo "added time: rchisel / bpftrace = $(echo "scale=2; ($rch - $base) / ($bpt - $base)" | bc)  (target <= 1.5)"
    if [ -n "$rounds" ]; then
        med=$(echo $rounds | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
        echo "added time per round (each round's own alone time): median $med, all:$rounds"
    fi
else
    echo "bpftrace:   not installed"
fi

# ---- 4-6: the rchisel binary ------------------------------------------------
cargo build --release >/dev/null 2>&1
BIN=$PWD/target/release/rchisel
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ticks=$(getconf CLK_TCK)

links() { ls -l /proc/"$1"/fd 2>/dev/null | grep -c bpf_link || true; }
wait_attached() { i=0; while [ "$(links "$1")" -lt 5 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; sleep 0.3; }
dd_pair() {
    s=$(now)
    taskset -c 0 dd if=/dev/zero of=/dev/null bs=1 count=500000 2>/dev/null &
    taskset -c 1 dd if=/dev/zero of=/dev/null bs=1 count=500000 2>/dev/null &
    wait
    e=$(now); echo "$e - $s" | bc
}
# storm FILTER: records the dd pair; prints "wall events_kept driver_events drops hwm_kb ring_peak_use"
storm() {
    "$BIN" -v -w "$TMP/s.scap" "$1" 2>"$TMP/err" &
    r=$!
    wait_attached $r
    t=$(dd_pair)
    hwm=$(awk '/VmHWM/ {print $2}' /proc/$r/status)
    kill -INT $r; wait $r || true
    ev=$(sed -n 's/^Driver Events://p' "$TMP/err"); dr=$(sed -n 's/^Driver Drops://p' "$TMP/err")
    kept=$(sed -n 's/.*Captured Events: \([0-9]*\).*/\1/p' "$TMP/err")
    peak=$(sed -n 's/^Ring Peak Use://p' "$TMP/err")
    rm -f "$TMP/s.scap"
    echo "$t ${kept:-?} ${ev:-?} ${dr:-?} $hwm ${peak:-?}"
}
cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }

echo
echo "load average before 4-6: $(cut -d' ' -f1-3 /proc/loadavg)"
alone2=""; for _ in $(seq 1 "$RUNS"); do alone2=$(min "$alone2" "$(dd_pair)"); done
best=""; sel=""
for _ in $(seq 1 "$RUNS"); do
    o=$(storm "proc.name=dd"); t=${o%% *}
    if [ -z "$best" ] || [ "$(echo "$t < ${best%% *}" | bc)" = 1 ]; then best=$o; fi
    o=$(storm "evt.type in (execve, connect)"); t=${o%% *}
    if [ -z "$sel" ] || [ "$(echo "$t < ${sel%% *}" | bc)" = 1 ]; then sel=$o; fi
done
set -- $best
echo "two-CPU storm (2 x dd bs=1 count=500000, pinned), best of $RUNS:"
echo "  alone:                 ${alone2}s"
echo "  under rchisel -w:      ${1}s ($(echo "scale=2; $1 / $alone2" | bc)x)  events kept: $2  Driver Events: $3  Driver Drops: $4  peak RSS: $(($5 / 1024)) MB  ring peak use: $6"
set -- $sel
echo "  selective filter:      ${1}s ($(echo "scale=2; $1 / $alone2" | bc)x)  'evt.type in (execve, connect)': kept $2 of $3 probe events, drops $4"
# Steady state over 20 s: CPU ticks are 10 ms, so a short window is a
# handful of ticks (6.5 s gave 5 to 9).
"$BIN" -w "$TMP/idle.scap" -M 24 >/dev/null 2>&1 &
r=$!
sleep 3.5
c0=$(cpu_ticks $r); s0=$(now)
sleep 20
c1=$(cpu_ticks $r); s1=$(now)
wait $r || true


total=$( (/usr/bin/time -f "%U %S %e" "$BIN" -w "$TMP/idle2.scap" -M 10 >/dev/null) 2>&1 | tail -1)
set -- $total
echo "idle capture (-w FILE -M 10; load average $(cut -d' ' -f1 /proc/loadavg)):"
echo "  whole run: $(echo "$1 + $2" | bc)s CPU in ${3}s = $(echo "scale=2; 100 * ($1 + $2) / $3" | bc)% of a CPU (probe load and /proc snapshot included)"
echo "  steady state: $(echo "scale=2; 100 * ($c1 - $c0) / $ticks / ($s1 - $s0)" | bc)% of a CPU ($(echo "$c1 - $c0" | bc) ticks in $(echo "scale=1; ($s1 - $s0)/1" | bc)s), $("$BIN" -r "$TMP/idle.scap" 2>/dev/null | wc -l) events recorded"
