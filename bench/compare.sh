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
# ONLY_CHISELS=1 skips straight to the chisel table.
if [ -z "${ONLY_CHISELS:-}" ]; then
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
fi

# Every bundled chisel against sysdig's stock one (CHISELS=all, the default),
# or only the chisels named in CHISELS ("topscalls spy_users ..."). Columns:
# bundled = rchisel -c NAME; stock = rchisel -c /usr/share/sysdig/chisels/NAME.lua;
# sysdig = sysdig -c NAME. The three runs of a chisel are interleaved, and
# the list is gone through ROUNDS times (default 3); each column keeps its
# best time: the machine is shared, and interleaving exposes all three to the
# same load. Speed-ups are
# sysdig's time over rchisel's. `out` says whether both rchisel outputs equal
# sysdig's (lines compared sorted: sysdig's order of tied top-N rows varies;
# wsysdig_summary's JSON compared parsed, as tests/chisels_vs_sysdig.sh does;
# "ties": a top-N table whose value column is the same, whose keys differ
# only among rows tied at the cut, which sysdig picks in hash order).
# Arguments for chisels that need them; heat maps and around need a terminal
# or a dump file and are left out (see README).
declare -A ARGS=(
  [fdbytes_by]=fd.name [fdcount_by]=proc.name [fdtime_by]=fd.name [fileslower]=0
  [netlower]=0 [scallslower]=0 [spy_port]=80 [spy_ip]=127.0.0.1 [spy_users]=1
)
SKIP=" around spectrogram subsecoffset table_generator list_views "
STOCK=/usr/share/sysdig/chisels
ROUNDS=${ROUNDS:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [ "${CHISELS:-all}" = all ]; then
  CHISELS=$(cd chisels && ls *.lua | sed 's/\.lua$//' | grep -v '^rchisel_')
fi
BIN=$(realpath "$BIN"); CAP=$(realpath "$CAP")
timed() { # outfile tool args... -> seconds (output kept in outfile)
  # run in a scratch folder: some chisels write files (udp_extract)
  local o=$1; shift
  # (wall clock in µs: /usr/bin/time's 10 ms steps hide the short runs)
  mkdir -p "$OUT/cwd"
  # ($EPOCHREALTIME: bash's own clock, no process of its own in the interval)
  local s e
  s=$EPOCHREALTIME
  (cd "$OUT/cwd" && exec "$@" >"$o" 2>"$o.err") || true
  e=$EPOCHREALTIME
  awk -v s="$s" -v e="$e" 'BEGIN{printf "%.3f\n", e - s}'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="-") print b; else if (b=="-") print a; else print (a<b)?a:b }'; }
# Rounds go over the whole list, one chisel after the other, rather than
# ROUNDS times in a row for each: a slow phase of the shared machine (seconds
# long) then costs one round of several chisels, not every round of one.
declare -A BT ST SY
LIST=""
for c in $CHISELS; do
  case "$SKIP" in *" $c "*) continue ;; esac
  LIST="$LIST $c"
  BT[$c]=- ST[$c]=- SY[$c]=-
done
for _ in $(seq "$ROUNDS"); do
  for c in $LIST; do
    a=${ARGS[$c]:-}
    BT[$c]=$(min "${BT[$c]}" "$(timed "$OUT/$c.b" "$BIN" -r "$CAP" -c "$c" $a)")
    [ -f "$STOCK/$c.lua" ] && ST[$c]=$(min "${ST[$c]}" "$(timed "$OUT/$c.s" "$BIN" -r "$CAP" -c "$STOCK/$c.lua" $a)")
    SY[$c]=$(min "${SY[$c]}" "$(timed "$OUT/$c.y" sysdig -r "$CAP" -c "$c" $a)")
  done
done
printf "\n%-20s %9s %9s %9s %8s %8s %5s\n" chisel bundled_s stock_s sysdig_s bundled stock out
for c in $LIST; do
  same=yes
  for o in "$OUT/$c.b" "$OUT/$c.s"; do
    [ "$o" = "$OUT/$c.s" ] && [ ! -f "$STOCK/$c.lua" ] && continue
    cmp -s <(sort "$o") <(sort "$OUT/$c.y") && continue
    # wsysdig_summary's JSON: key order is sysdig's hash order
    [ "$c" = wsysdig_summary ] && python3 tests/compare_wsysdig.py "$o" "$OUT/$c.y" && continue
    # top-N tables: the same values in the same order, and only which of
    # the keys tied at the cut made it differs (hash order in sysdig)
    if cmp -s <(cut -c1-20 "$o") <(cut -c1-20 "$OUT/$c.y"); then same=ties; else same=no; fi
  done
  bt=${BT[$c]} st=${ST[$c]} sy=${SY[$c]}
  printf "%-20s %9s %9s %9s %7.1fx %7.1fx %5s\n" "$c" "$bt" "$st" "$sy" \
    "$(awk -v s="$sy" -v r="$bt" 'BEGIN{print s/r}')" \
    "$(awk -v s="$sy" -v r="$st" 'BEGIN{print (r=="-")?0:s/r}')" "$same"
done
