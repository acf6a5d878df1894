#!/usr/bin/env bash
# Compares chisels run by rchisel against sysdig's stock chisels, on every
# capture in ../shared/traces and traces/.
#
# Every case of the list below runs on every trace. The reference is
# `sysdig -r TRACE OPTS -c NAME ARGS...`; the candidates are
#   bundled  `rchisel -r TRACE OPTS -c NAME ARGS...` (rchisel's own chisels/)
#   stock    `rchisel -r TRACE OPTS -c /usr/share/sysdig/chisels/NAME.lua ARGS...`
# stdout and the exit status are compared:
#   exact   byte-identical
#   sorted  first line identical, remaining lines identical as a multiset
#   sorted0 all lines identical as a multiset
#   json    -j top table, compared as parsed JSON (see compare_json)
#   top     "top N" table: first two lines identical, value column identical
#           in order, rows identical as a multiset except rows tied with the
#           last row's value (which of the tied keys make the cut is
#           hash-order dependent in sysdig), whose number must match
#   files   like exact, and the files the chisel wrote in its working
#           directory must be identical too (udp_extract; but for the file
#           "nul" sysdig's chisel leaves behind with a Windows command)
#   wsysdig wsysdig_summary's JSON slices, compared as parsed JSON; the
#           "napps" metrics (bytes per protocol) and the ports in their
#           filters come in sysdig's hash order, compared as sets
#   tty     like exact, both run on a terminal (script(1), 100x30): the
#           heat map chisels draw only there
#   dump    like exact, and the capture files both wrote in their working
#           directory (the chisel's second run, sysdig.run_app) have the same
#           names, and sysdig reads the candidate's, with events in them
#           (sysdig 0.29.3's own second run writes a file it cannot read
#           back, so the contents are not compared here; chisel_host.rs
#           compares the events of rchisel's dump with sysdig's filter)
#
# Environment:
#   BIN=path       the rchisel binary (default target/release/rchisel)
#   CAND=bundled|stock|both   which candidates to run (default both)
#   ONLY=text      run only cases whose id contains text
#   TRACE=text     run only traces whose file name contains text
#   KEEP=dir       keep outputs of failing cases in dir
#   TRACES="dirs"  trace directories (default ../shared/traces and traces/)
# Exit status: 0 when every case passes; skips (status 0, message) when sysdig
# or the traces are absent.

set -u
HERE="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${BIN:-$HERE/target/release/rchisel}"
STOCK=/usr/share/sysdig/chisels
if [ -z "${TRACES:-}" ]; then
	TRACES="$HERE/traces"
	if [ -d "$HERE/../shared/traces" ]; then TRACES="$HERE/../shared/traces $TRACES"; fi
fi
if ! command -v sysdig >/dev/null 2>&1; then
	echo "SKIP: sysdig not installed"; exit 0
fi
FILES=()
for d in $TRACES; do
	for f in "$d"/*.scap; do
		[ -f "$f" ] || continue
		case "$(basename "$f")" in *"${TRACE:-}"*) FILES+=("$f") ;; esac
	done
done
if [ ${#FILES[@]} = 0 ]; then
	echo "SKIP: no traces found in $TRACES"; exit 0
fi
CAND="${CAND:-both}"
ONLY="${ONLY:-}"
KEEP="${KEEP:-}"

# id | mode | chisel | arguments after the chisel name | options before -c
# (both argument fields are shell words). Every case runs on every trace.
CASES=$(cat <<'LIST'
lsof|sorted|lsof|
lsof-sport|sorted|lsof|"'fd.sport=22'"
lsof-at-exit|sorted|lsof|"'proc.name=curl'" "proc.name=curl and evt.type=procexit"
lsof-file|sorted|lsof|"'fd.type=file and proc.name contains ss'"
lsof-nomatch|exact|lsof||"proc.name=nosuchproc"
ps|sorted|ps|
ps-ipv6|sorted|ps|"'fd.type=ipv6'"
ps-not-bash|sorted|ps|"'not proc.aname contains bash'"
netstat|sorted|netstat|
netstat-sshd|sorted|netstat|"'proc.name=sshd'"
echo_fds|exact|echo_fds|
echo_fds-A|exact|echo_fds||-A
echo_fds-nocolor|exact|echo_fds|disable_color
echo_fds-X|exact|echo_fds||-X
echo_fds-pc|exact|echo_fds||-pc
spy_users|exact|spy_users|
spy_users-3|exact|spy_users|3
spy_users-0|exact|spy_users|0
spy_users-nocolor|exact|spy_users|"1 disable_color"
spy_users-toomany|exact|spy_users|"1 2 3"
spy_users-pc|exact|spy_users||-pc
proc_exec_time|exact|proc_exec_time|
proc_exec_time-nocolor|exact|proc_exec_time|disable_colors
proc_exec_time-pc|exact|proc_exec_time||-pc
fileslower-0|exact|fileslower|0
fileslower-1|exact|fileslower|1
fileslower-nocolor|exact|fileslower|"0 disable_color"
fileslower-pc|exact|fileslower|0|-pc
fileslower-missing|exact|fileslower|
fileslower-nan|exact|fileslower|abc
spy_file|exact|spy_file|
spy_file-R|exact|spy_file|R
spy_file-W|exact|spy_file|W
spy_file-one|exact|spy_file|"RW /lib/x86_64-linux-gnu/libz.so.1"
spy_port-80|exact|spy_port|80
spy_port-80-A|exact|spy_port|80|-A
spy_port-8080|exact|spy_port|"8080 disable_colors"
spy_port-443|exact|spy_port|443
spy_port-22|exact|spy_port|"22 disable_colors"
iobytes_net|exact|iobytes_net|
fdcount_by-proc|sorted0|fdcount_by|proc.name
fdcount_by-type|sorted0|fdcount_by|fd.type
fdbytes_by-proc|top|fdbytes_by|proc.name
fdbytes_by-fdname|top|fdbytes_by|fd.name
fdbytes_by-json|json|fdbytes_by|fd.l4proto|-j
fdbytes_by-badfield|exact|fdbytes_by|no.such.field
fdbytes_by-missing|exact|fdbytes_by|
fdtime_by-proc|top|fdtime_by|proc.name
fdtime_by-fdname|top|fdtime_by|fd.name
topprocs_cpu|top|topprocs_cpu|
topprocs_cpu-json|json|topprocs_cpu||-j
topprocs_net|top|topprocs_net|
topprocs_net-pc|top|topprocs_net||-pc
topprocs_net-json|json|topprocs_net||-j
topprocs_net-none|json|topprocs_net||-j "proc.name=nosuchproc"
topprocs_file|top|topprocs_file|
topprocs_file-pc|top|topprocs_file||-pc
topprocs_errors|top|topprocs_errors|
topprocs_errors-pc|top|topprocs_errors||-pc
topfiles_bytes|top|topfiles_bytes|
topfiles_bytes-pc|top|topfiles_bytes||-pc
topfiles_bytes-json|json|topfiles_bytes||-j
topfiles_errors|top|topfiles_errors|
topfiles_errors-pc|top|topfiles_errors||-pc
topfiles_time|top|topfiles_time|
topfiles_time-pc|top|topfiles_time||-pc
topscalls|top|topscalls|
topscalls-curl|top|topscalls||"proc.name=curl"
topscalls-pc|top|topscalls||-pc
topscalls-json|json|topscalls||-j
topscalls_time|top|topscalls_time|
topscalls_time-pc|top|topscalls_time||-pc
topconns|top|topconns|
topconns-pc|top|topconns||-pc
topports_server|top|topports_server|
topports_server-pc|top|topports_server||-pc
topcontainers_cpu|top|topcontainers_cpu|
topcontainers_error|top|topcontainers_error|
topcontainers_file|top|topcontainers_file|
topcontainers_net|top|topcontainers_net|
spy_ip-lo|exact|spy_ip|127.0.0.1
spy_ip-v6|exact|spy_ip|"::1 disable_colors"
spy_ip-google|exact|spy_ip|2607:f8b0:4004:802::2004
iobytes|exact|iobytes|
iobytes_file|exact|iobytes_file|
stdout|exact|stdout|
stdin|exact|stdin|
stderr|exact|stderr|
stderr-pc|exact|stderr||-pc
stderr-nocolor|exact|stderr|disable_color|-pc
netlower-0|exact|netlower|0
netlower-1|exact|netlower|1
netlower-pc|exact|netlower|"0 disable_color"|-pc
scallslower-0|exact|scallslower|0
scallslower-1|exact|scallslower|1
scallslower-pc|exact|scallslower|0.5|-pc
scallslower-nocolor|exact|scallslower|"0 disable_color"
scallslower-nan|exact|scallslower|x
bottlenecks|exact|bottlenecks|
bottlenecks-curl|exact|bottlenecks||"proc.name=curl"
list_login_shells|exact|list_login_shells|
list_login_shells-pc|exact|list_login_shells||-pc
list_login_shells-cmd|exact|list_login_shells|ls
list_login_shells-any-args|exact|list_login_shells|"'*' -s"
lscontainers|exact|lscontainers|
lscontainers-desc|exact|lscontainers|desc
around|dump|around|"out.scap 100" "evt.type=connect or evt.type=execve"
around-default|dump|around|"out.scap" "evt.type=close and evt.failed=true"
around-nofilter|exact|around|out.scap
spy_logs|exact|spy_logs|
spy_logs-pc|exact|spy_logs||-pc
spy_logs-dump|dump|spy_logs|"logs.scap 10"
spy_syslog|exact|spy_syslog|
spy_syslog-pc|exact|spy_syslog||-pc
httplog|exact|httplog|
httplog-pc|exact|httplog||-pc
httptop|top|httptop|
httptop-time|top|httptop|time
httptop-bytes|top|httptop|bytes
httptop-bad|exact|httptop|nosuch
httptop-json|json|httptop||-j
httptop-pc|top|httptop||-pc
memcachelog|exact|memcachelog|
memcachelog-set|exact|memcachelog|"set 10"
spectrogram|tty|spectrogram|
spectrogram-100|tty|spectrogram|100
spectrogram-notty|exact|spectrogram|
subsecoffset|tty|subsecoffset|
subsecoffset-100|tty|subsecoffset|100
subsecoffset-notty|exact|subsecoffset|
shellshock_detect|exact|shellshock_detect|
udp_extract|files|udp_extract|
tracers_2_statsd|exact|tracers_2_statsd|
tracers_2_statsd-addr|exact|tracers_2_statsd|"127.0.0.1 18125"
topscalls-d|top|topscalls|"proc.name=curl"|-d
lsof-d|sorted|lsof|"proc.name=curl"|-d
echo_fds-d|exact|echo_fds|"proc.name=curl"|-d
wsysdig_summary|wsysdig|wsysdig_summary|
wsysdig_summary-filter|wsysdig|wsysdig_summary|"proc.name=curl or fd.type=ipv6"
wsysdig_summary-20|wsysdig|wsysdig_summary|20,4000000000
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

# wsysdig_summary: parsed JSON, with the napps metrics in any order.
compare_wsysdig() {
	python3 "$HERE/tests/compare_wsysdig.py" "$1" "$2"
}

# Runs one tool in a fresh directory ($1), so files chisels write land there.
# $2 output prefix, rest: the command.
run_in() {
	local dir=$1 out=$2; shift 2
	rm -rf "$dir"; mkdir -p "$dir"
	if [ "${TTYRUN:-}" = 1 ]; then
		(cd "$dir" && TZ=UTC timeout 60 script -qec "stty cols 100 rows 30; $(printf '%q ' "$@")" /dev/null >"$out" 2>"$out.err" </dev/null)
	else
		(cd "$dir" && TZ=UTC timeout 60 "$@" >"$out" 2>"$out.err" </dev/null)
	fi
	echo $? >"$out.rc"
}

# The capture files of the reference run ($1) and the candidate's ($2):
# same names; sysdig reads each candidate file and finds events in it.
same_dumps() {
	[ "$(cd "$1" && ls)" = "$(cd "$2" && ls)" ] || return 1
	local f
	for f in "$2"/*.scap; do
		[ -f "$f" ] || continue
		sysdig -r "$f" >"$TMP/dump.cand" 2>/dev/null || return 1
		[ -s "$TMP/dump.cand" ] || return 1
	done
	return 0
}

# Compares reference ($1 prefix, $2 dir) with candidate ($3 prefix, $4 dir).
same() {
	local mode=$1 ref=$2 rdir=$3 out=$4 odir=$5
	cmp -s "$ref.rc" "$out.rc" || return 1
	case "$mode" in
	exact|tty) cmp -s "$ref" "$out" ;;
	files) cmp -s "$ref" "$out" && diff -r -x nul "$rdir" "$odir" >/dev/null ;;
	dump) cmp -s "$ref" "$out" && same_dumps "$rdir" "$odir" ;;
	sorted)
		[ "$(head -n1 "$ref")" = "$(head -n1 "$out")" ] &&
		cmp -s <(tail -n +2 "$ref" | LC_ALL=C sort) <(tail -n +2 "$out" | LC_ALL=C sort) ;;
	sorted0) cmp -s <(LC_ALL=C sort "$ref") <(LC_ALL=C sort "$out") ;;
	top) compare_top "$ref" "$out" ;;
	json) compare_json "$ref" "$out" ;;
	wsysdig) compare_wsysdig "$ref" "$out" ;;
	*) return 1 ;;
	esac
}

# Cases that wait on state the engine does not compute yet (thread.cpu from
# procinfo events): their failures are listed as PENDING, not counted.
PENDING=""
pass=0; fail=0; pend=0
while IFS='|' read -r id mode chisel rest pre; do
	[ -z "$id" ] && continue
	case "$id" in *"$ONLY"*) ;; *) continue ;; esac
	eval "extra=($rest)"
	eval "opts=(${pre:-})"
	TTYRUN=0; [ "$mode" = tty ] && TTYRUN=1
	for trace in "${FILES[@]}"; do
		tn=$(basename "$trace" .scap)
		run_in "$TMP/rd" "$TMP/ref" sysdig -r "$trace" "${opts[@]}" -c "$chisel" "${extra[@]}"
		for kind in bundled stock; do
			case "$CAND" in both|"$kind") ;; *) continue ;; esac
			if [ "$kind" = bundled ]; then path="$chisel"; else
				path="$STOCK/$chisel.lua"
				[ -f "$path" ] || continue
			fi
			run_in "$TMP/od" "$TMP/out" env RCHISEL_CHISEL_DIR="$HERE/chisels" "$BIN" -r "$trace" "${opts[@]}" -c "$path" "${extra[@]}"
			if same "$mode" "$TMP/ref" "$TMP/rd" "$TMP/out" "$TMP/od"; then
				pass=$((pass + 1)); echo "ok    $kind $id $tn ($(wc -l <"$TMP/ref") lines)"
			elif [[ " $PENDING " == *" $id "* ]]; then
				pend=$((pend + 1)); echo "PENDING $kind $id $tn (thread.cpu not computed yet)"
			else
				fail=$((fail + 1)); echo "FAIL  $kind $id $tn (rc ref=$(cat "$TMP/ref.rc") cand=$(cat "$TMP/out.rc"))"
				diff "$TMP/ref" "$TMP/out" | head -n 6 | sed 's/^/      /'
				if [ -n "$KEEP" ]; then
					mkdir -p "$KEEP"; k="$KEEP/$kind.$id.$tn"
					cp "$TMP/ref" "$k.ref"; cp "$TMP/out" "$k.out"; cp "$TMP/out.err" "$k.err"
				fi
			fi
		done
	done
done <<<"$CASES"
echo "passed $pass, failed $fail, pending $pend"
[ $fail = 0 ]
