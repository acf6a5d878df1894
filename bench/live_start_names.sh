#!/bin/bash
# Process names at the start of a live capture: how many events of the first
# half second have no process name (<NA>), and how long after the first event
# the last one came. ("later": procexit events at the very end of the
# capture, of processes born after the syscall programs were detached.) Workload: two loops each starting a `sleep 0.05` every 10 ms
# (about ten short processes alive at any time, some exiting while the
# capture starts). Root only.
#   bash bench/live_start_names.sh [BIN] [RUNS]
set -u
BIN=${1:-target/release/rchisel}
RUNS=${2:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
spawner() { local end=$((SECONDS + $1)); while [ $SECONDS -lt $end ]; do sleep 0.05 & sleep 0.01; done; wait; }
total=0
for run in $(seq "$RUNS"); do
    spawner 6 & a=$!
    spawner 6 & b=$!
    sleep 0.3
    timeout -s INT 4 "$BIN" -p "%evt.rawtime %proc.name" > "$tmp/out" 2>/dev/null
    wait $a $b 2>/dev/null
    awk -v run="$run" 'NR==1{f=$1} {n++}
        $2=="<NA>" && $1-f < 500e6 {na++; last=$1}
        $2=="<NA>" && $1-f >= 500e6 {late++}
        END{printf "run %d: %d events, %d without a name in the first 0.5 s (last %.1f ms after the first event), %d later\n", run, n, na, (na ? (last-f)/1e6 : 0), late}' "$tmp/out" | tee -a "$tmp/sum"
done
awk '{na+=$5; if ($5>0) runs++} END{printf "%d runs: %d events without a name in the first 0.5 s in all, in %d runs\n", NR, na, runs}' "$tmp/sum"
