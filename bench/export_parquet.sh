#!/usr/bin/env bash
# Times `--export parquet` on the >= 2M-event capture that bench/compare.sh
# uses (built the same way with examples/replicate.rs when absent), and a
# DuckDB query over the export against the equivalent chisel on the scap.
#
#   bench/export_parquet.sh [CAPTURE]
#
# Reports: export wall time, events/s and peak RSS (one capture; then two
# captures at once, which use both workers); Parquet size against the scap
# (and its gzip copy); DuckDB (Python package) running topscalls' and
# topprocs_net's questions over the Parquet file against `rchisel -c
# topscalls` / `-c topprocs_net` (and sysdig's, when installed) on the scap.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/rchisel}
[ -x "$BIN" ] || cargo build --release
CAP=${1:-${TMPDIR:-/tmp}/rchisel-bench-2m.scap}
if [ ! -s "$CAP" ]; then
  SRC=${SRC:-../shared/traces/curl_google.scap}
  echo "building $CAP from $SRC..." >&2
  cargo build --release --example replicate >/dev/null 2>&1
  target/release/examples/replicate "$SRC" "$CAP" 1400
fi
[ -s "$CAP.gz" ] || gzip -c "$CAP" > "$CAP.gz"
python3 -c "import duckdb" 2>/dev/null || { echo "needs python3 duckdb (scripts/setup.sh)" >&2; exit 1; }
export TZ=UTC
WORK=${TMPDIR:-/tmp}/rchisel-bench-export
rm -rf "$WORK"; mkdir -p "$WORK/in2"
measure() { # args... -> "seconds maxrss_kb" (CPU seconds in $WORK/cpu)
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  awk '{print $3+$4}' "$WORK/time" > "$WORK/cpu"
  awk '{print $1, $2}' "$WORK/time"
}
size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN{printf "%.1f MB", b/1e6}'; }

for c in ../shared/traces/curl_google.scap traces/password.scap; do
  [ -f "$c" ] || continue
  "$BIN" -r "$c" --export parquet "$WORK/small"
  p="$WORK/small/$(basename "$c").parquet"
  printf "real capture %s: scap %s bytes, parquet %s bytes (%.0f%%)\n" "$(basename "$c")" "$(size "$c")" "$(size "$p")" "$(awk -v p="$(size "$p")" -v s="$(size "$c")" 'BEGIN{print 100*p/s}')"
done
read -r t1 m1 < <(measure "$BIN" -r "$CAP" --export parquet "$WORK/out1")
PQ="$WORK/out1/$(basename "$CAP").parquet"
# No filter: one row per event (internal events included).
rows=$(python3 -c "import duckdb,sys; print(duckdb.sql(f\"SELECT count(*) FROM read_parquet('{sys.argv[1]}')\").fetchall()[0][0])" "$PQ")
nev=$rows
echo "capture: $CAP ($(mb "$(size "$CAP")"), $nev events; gzip copy $(mb "$(size "$CAP.gz")")); $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
printf "CPU (user+sys) of the 1-capture export: %s s = %.0f events per CPU second\n" "$(cat "$WORK/cpu")" "$(awk -v n="$nev" -v c="$(cat "$WORK/cpu")" 'BEGIN{print n/c}')"
printf "export, 1 capture:   %6.2f s  %9.0f events/s  peak RSS %6.1f MB  (%s rows)\n" "$t1" "$(awk -v n="$nev" -v t="$t1" 'BEGIN{print n/t}')" "$(awk -v k="$m1" 'BEGIN{print k/1024}')" "$rows"
ln -s "$CAP" "$WORK/in2/a.scap"; ln -s "$CAP" "$WORK/in2/b.scap"
read -r t2 m2 < <(measure "$BIN" -r "$WORK/in2/*.scap" --export parquet "$WORK/out2")
printf "export, 2 captures:  %6.2f s  %9.0f events/s  peak RSS %6.1f MB  (both at once; CPU %.2f s = %.0f%% of a core)\n" "$t2" "$(awk -v n="$nev" -v t="$t2" 'BEGIN{print 2*n/t}')" "$(awk -v k="$m2" 'BEGIN{print k/1024}')" "$(cat "$WORK/cpu")" "$(awk -v c="$(cat "$WORK/cpu")" -v t="$t2" 'BEGIN{print 100*c/t}')"
printf "sizes: parquet %s = %.1f%% of the scap, %.1f%% of its gzip copy; %.1f bytes/row\n" "$(mb "$(size "$PQ")")" \
  "$(awk -v p="$(size "$PQ")" -v s="$(size "$CAP")" 'BEGIN{print 100*p/s}')" \
  "$(awk -v p="$(size "$PQ")" -v s="$(size "$CAP.gz")" 'BEGIN{print 100*p/s}')" \
  "$(awk -v p="$(size "$PQ")" -v n="$rows" 'BEGIN{print p/n}')"
python3 -c "import duckdb,sys; print('row groups:', duckdb.sql(f\"SELECT count(DISTINCT row_group_id), max(row_group_num_rows) FROM parquet_metadata('{sys.argv[1]}')\").fetchall()[0])" "$PQ"

# The same questions: DuckDB over the Parquet file (process start included)
# against the chisel over the scap.
Q_TOP="SELECT evt_type, count(*) n FROM read_parquet('$PQ') WHERE evt_type <> 'switch' GROUP BY 1 ORDER BY n DESC LIMIT 30"
Q_NET="SELECT proc_name, proc_pid, sum(evt_rawres) b FROM read_parquet('$PQ') WHERE fd_type IN ('ipv4','ipv6') AND evt_is_io AND evt_rawres > 0 GROUP BY 1, 2 ORDER BY b DESC LIMIT 100"
printf "%-14s %12s %12s %12s\n" question duckdb_s rchisel_s sysdig_s
for q in topscalls topprocs_net; do
  sql=$Q_TOP; [ $q = topprocs_net ] && sql=$Q_NET
  read -r dt _ < <(measure python3 -c "import duckdb,sys; duckdb.sql(sys.argv[1]).fetchall()" "$sql")
  read -r rt _ < <(measure "$BIN" -r "$CAP" -c $q)
  st=-
  if command -v sysdig >/dev/null; then read -r st _ < <(measure sysdig -r "$CAP" -c $q); fi
  printf "%-14s %12s %12s %12s\n" $q "$dt" "$rt" "$st"
done
read -r it _ < <(measure python3 -c "import duckdb; duckdb.sql('SELECT 1').fetchall()")
echo "(duckdb_s includes starting Python and importing duckdb: $it s alone)"
rm -rf "$WORK"
