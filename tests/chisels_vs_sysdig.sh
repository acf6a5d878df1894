#!/usr/bin/env bash
# Compare rchisel's bundled chisels (chisels/*.lua) against sysdig's own.
#
# Every case runs the reference `sysdig -r TRACE -c NAME ARGS...` and the
# candidate, then compares stdout and the exit status:
#   exact   byte-identical
#   sorted  first line identical, remaining lines identical as a multiset
#   sorted0 all lines identical as a multiset
#   json    -j top table, compared as parsed JSON (see compare_json)
#   top     "top N" table: first two lines identical, value column identical
#           in order, rows identical as a multiset except rows tied with the
#           last row's value (which of the tied keys make the cut is
#           hash-order dependent in sysdig), whose number must match
#
# Candidate (default): sysdig itself running our chisel files by path, with
# LUA_PATH pointing at chisels/ so `require "rchisel_common"` resolves.
#   CAND="path/to/rchisel"  run that binary instead, with -c NAME (its own
#                           bundled chisels); set CAND_BY_PATH=1 to pass the
#                           .lua path instead.
#   ONLY=text               run only cases whose id contains text.
#   KEEP=dir                keep outputs of failing cases in dir.
# Traces: $TRACES, else ../shared/traces next to the crate, else /work/shared/traces.
# Exit status: 0 when every case passes; skips (status 0) when sysdig is absent.

set -u
HERE="$(cd "$(dirname "$0")/.." && pwd)"
CHISELS="$HERE/chisels"
TRACES="${TRACES:-}"
if [ -z "$TRACES" ]; then
	if [ -d "$HERE/../shared/traces" ]; then TRACES="$HERE/../shared/traces"; else TRACES=/work/shared/traces; fi
fi
if ! command -v sysdig >/dev/null 2>&1; then
	echo "SKIP: sysdig not installed"; exit 0
fi
if [ ! -f "$TRACES/curl_google.scap" ]; then
	echo "SKIP: traces not found in $TRACES"; exit 0
fi
CAND="${CAND:-}"
ONLY="${ONLY:-}"
KEEP="${KEEP:-}"
CURL=curl_google.scap
V6=test_ipv6_client.scap

# id | mode | trace | chisel | arguments after the chisel name | options before -c
# (both argument fields are shell words)
CASES=$(cat <<'LIST'
lsof|sorted|CURL|lsof|
lsof-v6|sorted|V6|lsof|
lsof-sport|sorted|CURL|lsof|"'fd.sport=22'"
lsof-at-exit|sorted|CURL|lsof|"'proc.name=curl'" "proc.name=curl and evt.type=procexit"
lsof-at-failed-connect|sorted|CURL|lsof|"proc.name=curl" "evt.type=connect and evt.failed=true"
lsof-file|sorted|CURL|lsof|"'fd.type=file and proc.name contains ss'"
lsof-nomatch|exact|CURL|lsof|"proc.name=nosuchproc"
lsof-nomatch-filter|exact|CURL|lsof|"proc.name=curl" "proc.name=nosuchproc"
ps|sorted|CURL|ps|
ps-v6|sorted|V6|ps|
ps-ipv6|sorted|CURL|ps|"'fd.type=ipv6'"
ps-not-bash|sorted|CURL|ps|"'not proc.aname contains bash'"
ps-at-curl|sorted|CURL|ps|"proc.name=curl"
netstat|sorted|CURL|netstat|
netstat-v6|sorted|V6|netstat|
netstat-sshd|sorted|CURL|netstat|"'proc.name=sshd'"
netstat-at-curl|sorted|V6|netstat|"proc.name=test_ipv6_clien"
echo_fds|exact|CURL|echo_fds|
echo_fds-v6|exact|V6|echo_fds|
echo_fds-A-curl|exact|CURL|echo_fds|-A "proc.name=curl"
echo_fds-nocolor|exact|CURL|echo_fds|disable_color "proc.name=curl"
echo_fds-X|exact|V6|echo_fds|-X
echo_fds-pc|exact|CURL|echo_fds|-pc "proc.name=curl"
spy_users|exact|CURL|spy_users|
spy_users-v6-3|exact|V6|spy_users|3
spy_users-0|exact|CURL|spy_users|0
spy_users-nocolor|exact|CURL|spy_users|"1 disable_color"
spy_users-quoted|exact|CURL|spy_users|"'1 disable_color'"
spy_users-toomany|exact|CURL|spy_users|"1 2 3"
spy_users-pc|exact|CURL|spy_users|-pc
proc_exec_time|exact|CURL|proc_exec_time|
proc_exec_time-v6|exact|V6|proc_exec_time|
proc_exec_time-nocolor|exact|CURL|proc_exec_time|disable_colors
proc_exec_time-pc|exact|CURL|proc_exec_time|-pc
fileslower-0|exact|CURL|fileslower|0
fileslower-v6-0|exact|V6|fileslower|0
fileslower-1|exact|CURL|fileslower|1
fileslower-nocolor|exact|CURL|fileslower|"0 disable_color"
fileslower-pc|exact|CURL|fileslower|0|-pc
fileslower-missing|exact|CURL|fileslower|
fileslower-nan|exact|CURL|fileslower|abc
spy_file|exact|CURL|spy_file|
spy_file-R|exact|CURL|spy_file|R
spy_file-W-v6|exact|V6|spy_file|W
spy_file-one|exact|CURL|spy_file|"RW /lib/x86_64-linux-gnu/libz.so.1"
spy_file-w-one|exact|CURL|spy_file|"w /lib/x86_64-linux-gnu/libz.so.1"
spy_port-80|exact|CURL|spy_port|80
spy_port-80-A|exact|CURL|spy_port|-A 80
spy_port-v6|exact|V6|spy_port|"8080 disable_colors"
spy_port-443|exact|CURL|spy_port|443
spy_port-22|exact|CURL|spy_port|"22 disable_colors"
iobytes_net|exact|CURL|iobytes_net|
iobytes_net-v6|exact|V6|iobytes_net|
fdcount_by-proc|sorted0|CURL|fdcount_by|proc.name
fdcount_by-type|sorted0|CURL|fdcount_by|fd.type
fdcount_by-pid-v6|sorted0|V6|fdcount_by|proc.pid
fdbytes_by-proc|top|CURL|fdbytes_by|proc.name
fdbytes_by-fdname|top|CURL|fdbytes_by|fd.name
fdbytes_by-type-v6|top|V6|fdbytes_by|fd.type
topprocs_cpu|top|CURL|topprocs_cpu|
topprocs_cpu-v6|top|V6|topprocs_cpu|
topprocs_net|top|CURL|topprocs_net|
topprocs_net-v6|top|V6|topprocs_net|
topprocs_net-none|top|V6|topprocs_net|"proc.name=nosuchproc"
topfiles_bytes|top|CURL|topfiles_bytes|
topfiles_bytes-v6|top|V6|topfiles_bytes|
topfiles_bytes-curl|top|CURL|topfiles_bytes|"proc.name=curl"
topscalls|top|CURL|topscalls|
topscalls-v6|top|V6|topscalls|
topscalls-curl|top|CURL|topscalls|"proc.name=curl"
topscalls-pc|top|CURL|topscalls|-pc
topscalls-json|json|CURL|topscalls|-j
topprocs_net-json|json|V6|topprocs_net|-j
topprocs_net-pc|top|CURL|topprocs_net|-pc
topprocs_net-json-pc|json|CURL|topprocs_net|-j -pc
topprocs_net-json-none|json|CURL|topprocs_net|-j "proc.name=nosuchproc"
topprocs_cpu-json|json|CURL|topprocs_cpu|-j
topprocs_cpu-pc|top|CURL|topprocs_cpu|-pc
topfiles_bytes-json|json|CURL|topfiles_bytes|-j
topfiles_bytes-pc|top|CURL|topfiles_bytes|-pc
fdbytes_by-json|json|CURL|fdbytes_by|fd.l4proto|-j
fdbytes_by-dash-j|exact|CURL|fdbytes_by|-j fd.l4proto
fdbytes_by-badfield|exact|CURL|fdbytes_by|no.such.field
fdbytes_by-missing|exact|CURL|fdbytes_by|
LIST
)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Top-table comparison; see header. $1 ref, $2 candidate.
compare_top() {
	python3 - "$1" "$2" <<'PY'
import sys
a = open(sys.argv[1], 'rb').read().split(b'\n')
b = open(sys.argv[2], 'rb').read().split(b'\n')
if a[:2] != b[:2] or len(a) != len(b):
    sys.exit(1)
ra, rb = a[2:], b[2:]
val = lambda l: l[:20]
if [val(l) for l in ra] != [val(l) for l in rb]:
    sys.exit(1)
rows = [l for l in ra if l]
last = val(rows[-1]) if rows else None
keep = lambda rs: sorted(l for l in rs if val(l) != last)
sys.exit(0 if keep(ra) == keep(rb) else 1)
PY
}

# JSON top table: key order inside objects is hash-order dependent in
# sysdig, so compare parsed documents; data rows tied on the value may come
# in any order and ties at the cut may pick different keys.
compare_json() {
	python3 - "$1" "$2" <<'PY'
import sys, json
ta, tb = open(sys.argv[1]).read(), open(sys.argv[2]).read()
try:
    a = json.loads(ta); b = json.loads(tb)
except Exception:
    sys.exit(0 if ta == tb else 1)
if a.get("ts") != b.get("ts") or a.get("info") != b.get("info") or set(a) != set(b):
    sys.exit(1)
da, db = a["data"], b["data"]
if [r[-1] for r in da] != [r[-1] for r in db]:
    sys.exit(1)
last = da[-1][-1] if da else None
keep = lambda rs: sorted(json.dumps(r) for r in rs if r[-1] != last)
sys.exit(0 if keep(da) == keep(db) else 1)
PY
}

pass=0; fail=0
while IFS='|' read -r id mode trace chisel rest pre; do
	[ -z "$id" ] && continue
	case "$id" in *"$ONLY"*) ;; *) continue ;; esac
	case "$trace" in CURL) trace=$CURL ;; V6) trace=$V6 ;; esac
	eval "extra=($rest)"
	eval "opts=(${pre:-})"
	TZ=UTC sysdig -r "$TRACES/$trace" "${opts[@]}" -c "$chisel" "${extra[@]}" >"$TMP/ref" 2>"$TMP/ref.err"
	rref=$?
	if [ -z "$CAND" ]; then
		TZ=UTC LUA_PATH="$CHISELS/?.lua;;" sysdig -r "$TRACES/$trace" "${opts[@]}" -c "$CHISELS/$chisel.lua" "${extra[@]}" >"$TMP/out" 2>"$TMP/out.err"
	elif [ -n "${CAND_BY_PATH:-}" ]; then
		TZ=UTC "$CAND" -r "$TRACES/$trace" "${opts[@]}" -c "$CHISELS/$chisel.lua" "${extra[@]}" >"$TMP/out" 2>"$TMP/out.err"
	else
		TZ=UTC "$CAND" -r "$TRACES/$trace" "${opts[@]}" -c "$chisel" "${extra[@]}" >"$TMP/out" 2>"$TMP/out.err"
	fi
	rout=$?
	ok=1
	[ "$rref" = "$rout" ] || ok=0
	case "$mode" in
	exact) cmp -s "$TMP/ref" "$TMP/out" || ok=0 ;;
	sorted)
		[ "$(head -n1 "$TMP/ref")" = "$(head -n1 "$TMP/out")" ] || ok=0
		cmp -s <(tail -n +2 "$TMP/ref" | LC_ALL=C sort) <(tail -n +2 "$TMP/out" | LC_ALL=C sort) || ok=0 ;;
	sorted0) cmp -s <(LC_ALL=C sort "$TMP/ref") <(LC_ALL=C sort "$TMP/out") || ok=0 ;;
	top) compare_top "$TMP/ref" "$TMP/out" || ok=0 ;;
	json) compare_json "$TMP/ref" "$TMP/out" || ok=0 ;;
	esac
	if [ $ok = 1 ]; then
		pass=$((pass + 1)); echo "ok    $id ($(wc -l <"$TMP/ref") lines)"
	else
		fail=$((fail + 1)); echo "FAIL  $id (rc ref=$rref cand=$rout)"
		diff "$TMP/ref" "$TMP/out" | head -n 6 | sed 's/^/      /'
		if [ -n "$KEEP" ]; then mkdir -p "$KEEP"; cp "$TMP/ref" "$KEEP/$id.ref"; cp "$TMP/out" "$KEEP/$id.out"; cp "$TMP/out.err" "$KEEP/$id.err"; fi
	fi
done <<<"$CASES"
echo "passed $pass, failed $fail"
[ $fail = 0 ]
