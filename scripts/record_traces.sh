#!/usr/bin/env bash
# Records the sample captures in traces/ with rchisel's own live capture
# (eBPF; needs root and a kernel with BTF). Re-runnable: every story runs the
# same commands (programs in traces/programs/, clean environment, fixed ports
# and paths); only pids and timestamps change from one run to the next.
#
#   sudo bash scripts/record_traces.sh            # all stories
#   sudo bash scripts/record_traces.sh fd_leak    # some of them
#
# Stories: port_conflict fd_leak password live_storm (see traces/README.md).
# Env: RCHISEL=path/to/rchisel (default: cargo build --release, then
# target/release/rchisel), PORT (story 1, default 47311), LOGIN_PORT (story 3,
# default 47312), SETTLE (seconds given to the probe to attach, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
    echo "record_traces.sh: live capture needs root" >&2
    exit 1
fi
if [ -z "${RCHISEL:-}" ]; then
    cargo build --release --quiet
    RCHISEL=target/release/rchisel
fi
PORT=${PORT:-47311}
LOGIN_PORT=${LOGIN_PORT:-47312}
SETTLE=${SETTLE:-2}
PROGS=$PWD/traces/programs
# Story processes run with a clean, fixed environment: the captures record
# each execve's environment, and it should not depend on who recorded them.
CLEAN=(env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb)
TMP=$(mktemp -d)
CAP=
cleanup() {
    if [ -n "$CAP" ]; then kill -INT "$CAP" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# start_capture FILE FILTER: rchisel -z -w FILE FILTER in the background.
# The filter also keeps this script's clone events: the story's first process
# then inherits this shell's user and fds (0, 1, 2) in the replayed state,
# as it did on the machine.
start_capture() {
    rm -f "$1"
    "$RCHISEL" -z -w "$1" "($2) or (proc.pid=$$ and evt.type in (clone, fork, vfork))" \
        2>"$TMP/rchisel.err" &
    CAP=$!
    sleep "$SETTLE"
    if ! kill -0 "$CAP" 2>/dev/null; then
        cat "$TMP/rchisel.err" >&2
        echo "record_traces.sh: rchisel -w $1 failed to start" >&2
        exit 1
    fi
}

# stop_capture FILE: let the last events drain, then Ctrl-C rchisel.
stop_capture() {
    sleep 1
    kill -INT "$CAP"
    wait "$CAP" || { cat "$TMP/rchisel.err" >&2; exit 1; }
    CAP=
    printf '%-28s %8d bytes, %6d lines\n' "$1" "$(stat -c %s "$1")" \
        "$("$RCHISEL" -r "$1" | wc -l)"
}

# port_free PORT: fails when something already listens on 127.0.0.1:PORT.
port_free() {
    /usr/bin/python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" \
        2>/dev/null || { echo "record_traces.sh: port $1 is busy; set another" >&2; exit 1; }
}

# expect FILE WHAT ARGS...: the replayed capture must show WHAT.
expect() {
    local file=$1 what=$2
    shift 2
    if ! "$RCHISEL" -r "$file" "$@" | grep -qF -- "$what"; then
        echo "record_traces.sh: $file lacks '$what' (rchisel -r $file $*)" >&2
        exit 1
    fi
}

# 1. A server cannot start: another process (started before the capture, so
#    known from the capture's /proc snapshot) already listens on its port.
port_conflict() {
    local f=traces/port_conflict.scap holder
    port_free "$PORT"
    holder=$("${CLEAN[@]}" "$PROGS/old_server" "$PORT")
    start_capture "$f" "proc.name in (old_server, new_server)"
    "${CLEAN[@]}" "$PROGS/new_server" "$PORT" || true
    stop_capture "$f"
    kill "$holder"
    expect "$f" "EADDRINUSE" "evt.type=bind and evt.failed=true"
}

# 2. A process opens files in a loop, never closes them, and exits.
fd_leak() {
    local f=traces/fd_leak.scap dir=/tmp/rchisel-fd-leak
    rm -rf "$dir"
    mkdir -p "$dir"
    start_capture "$f" "proc.name=leaky"
    "${CLEAN[@]}" "$PROGS/leaky" "$dir" 12
    stop_capture "$f"
    expect "$f" "request-11.log" "proc.name=leaky and evt.type=openat"
}

# 3. A user types a password into a login client that sends it in clear
#    text to a local service; the session also runs a couple of commands.
password() {
    local f=traces/password.scap
    port_free "$LOGIN_PORT"
    start_capture "$f" "proc.name in (usersh, authd, client) or proc.aname=usersh"
    "${CLEAN[@]}" "$PROGS/usersh" "$LOGIN_PORT" >/dev/null
    stop_capture "$f"
    expect "$f" "hunter2-S3cret" -A "proc.name=client and evt.type=sendto"
}

# 4. A syscall storm: dd copying 2000 single bytes (the README's example).
live_storm() {
    local f=traces/live_storm.scap
    start_capture "$f" "proc.name=dd"
    "${CLEAN[@]}" dd if=/dev/zero of=/dev/null bs=1 count=2000 2>/dev/null
    stop_capture "$f"
    expect "$f" "< read res=1 data=" "proc.name=dd"
}

stories=("$@")
[ ${#stories[@]} -gt 0 ] || stories=(port_conflict fd_leak password live_storm)
for s in "${stories[@]}"; do
    case $s in
        port_conflict | fd_leak | password | live_storm) "$s" ;;
        *) echo "record_traces.sh: unknown story '$s'" >&2; exit 2 ;;
    esac
done
