#!/usr/bin/env bash
# Compares rchisel with sysdig 0.29.3 on the same capture of >= 2M events.
#
#   bench/compare.sh [CAPTURE]
#
# Without CAPTURE, builds one by repeating a real sysdig capture (see
# examples/replicate.rs).
# Reports wall time and peak RSS of each tool for: printing every event,
# a -p format on a few events, the same on a gzip-compressed copy, a filter
# on state-dependent fields (fd.name, proc.name), and the topscalls chisel.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/rchisel}
[ -x "$BIN" ] || cargo build --release
CAP=${1:-${TMPDIR:-/tmp}/rchisel-bench-2m.scap}
if [ ! -s "$CAP" ]; then
  # A real sysdig capture (falcosecurity/libs test resource) repeated until it
  # holds >= 2M events, timestamps shifted per copy.
  SRC=${SRC:-../shared/traces/curl_google.scap}
  echo "building $CAP from $SRC..." >&2
  cargo build --release --example replicate >/dev/null 2>&1
  target/release/examples/replicate "$SRC" "$CAP" 1400
fi
[ -s "$CAP.gz" ] || gzip -c "$CAP" > "$CAP.gz"
nev=$("$BIN" -r "$CAP" -p "%evt.num" | tail -1)
echo "capture: $CAP ($(du -h "$CAP" | cut -f1), $nev events; gzip copy $(du -h "$CAP.gz" | cut -f1))"
export TZ=UTC
measure() { # tool args... -> "seconds maxrss_kb"
  /usr/bin/time -f "%e %M" -o /tmp/bench.time "$@" >/dev/null 2>/dev/null || true
  cat /tmp/bench.time
}
printf "%-34s %10s %10s %8s %12s %12s\n" case rchisel_s sysdig_s speedup rchisel_kb sysdig_kb
run() { # name args...
  local name=$1; shift
  read -r rt rm < <(measure "$BIN" "$@")
  read -r st sm < <(measure sysdig "$@")
  printf "%-34s %10s %10s %7.1fx %12s %12s\n" "$name" "$rt" "$st" "$(awk -v s="$st" -v r="$rt" 'BEGIN{print s/(r+0.001)}')" "$rm" "$sm"
}
run "print every event"            -r "$CAP"
run "-p format, few events"        -r "$CAP" -p "%evt.num %proc.name %fd.name" "evt.type=execve"
run "gzip copy, print every event" -r "$CAP.gz"
run "filter fd.name/proc.name"     -r "$CAP" -p "%evt.num %fd.name" "fd.name contains /dev/null and proc.name=dd"
run "chisel topscalls"             -r "$CAP" -c topscalls
# The same chisel as sysdig ships it (plain Lua, every event through on_event),
# run by both tools: measures the per-event path into Lua on its own.
if [ -f /usr/share/sysdig/chisels/topscalls.lua ]; then
  run "sysdig's topscalls.lua (Lua path)" -r "$CAP" -c /usr/share/sysdig/chisels/topscalls.lua
fi
