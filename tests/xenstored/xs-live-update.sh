#!/bin/sh
# Live update of xenstored on a host socket, driven by Debian's
# xenstore-control (and ours): the same process goes on in the new binary
# with its nodes, permissions, client connections and their watches;
# open transactions hold the update back (or are dropped with -F); a
# binary that cannot run leaves the daemon as it was.  Then Debian's own
# C xenstored is live-updated into ours.
. "${XS_SRCDIR:-$(dirname "$0")}/xs-lib.sh"

XT=/usr/lib/xen-4.17/bin
if [ ! -x /usr/bin/xenstore-write ] || [ ! -x $XT/xenstore-control ]; then
	echo "1..0 # SKIP Debian xenstore-utils / xen-utils-4.17 not installed"
	exit 0
fi
# Where Xen 4.17's daemons and ours leave the state for the new binary.
XENSTORED_RUNDIR=$tmp/run
export XENSTORED_RUNDIR
mkdir -p "$XENSTORED_RUNDIR"
helper_pids=

# wait_for FILE PATTERN: until a line matches (20 s at most).
wait_for() {
	i=0
	while ! grep -q -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 2000 ] && return 1
		sleep 0.01
	done
}

# watcher NAME PATH: Debian's xenstore-watch, held open meanwhile.
watcher() {
	xenstore-watch "$2" > "$tmp/$1.out" 2>&1 &
	helper_pids="$helper_pids $!"
	wait_for "$tmp/$1.out" "^$2\$"
}

cleanup_lu() {
	for p in $helper_pids; do kill "$p" 2>/dev/null; done
	cleanup
}
trap cleanup_lu EXIT

check "our daemon starts" start_daemon
pid0=$daemon_pid

# --- ours to ours, Debian's tool ----------------------------------------
i=0
set --
while [ $i -lt 300 ]; do set -- "$@" "/lu/many/n$i" "value $i"; i=$((i + 1)); done
check "300 nodes written" xenstore-write "$@"
check "nodes with odd values" xenstore-write /lu/tab 'a\tb' /lu/empty '' \
	/lu/deep/a/b/c/d leaf
check "permissions set" xenstore-chmod /lu/deep/a b3 r5 w7
check "watcher 1 holds a connection" watcher w1 /lu
check "watcher 2 holds a connection" watcher w2 @releaseDomain
xenstore-ls -p / > "$tmp/before" 2>&1

check "Debian xenstore-control live-update (ours -> ours)" \
	$XT/xenstore-control live-update "$XSD_BIN"
[ "$(cat "$tmp/pid")" = "$pid0" ] && kill -0 "$pid0" &&
	tr '\0' ' ' < "/proc/$pid0/cmdline" | grep -q -- ' -U' &&
	ok "the same process runs on, started with -U" ||
	notok "same process after live update"
xenstore-ls -p / > "$tmp/after" 2>&1
same "every node, value and permission kept" "$tmp/before" "$tmp/after"
[ ! -e "$XENSTORED_RUNDIR/state_dump" ] &&
	ok "the state file is gone once read" || notok "state_dump left behind"
check "a write after the update" xenstore-write /lu/after 1
wait_for "$tmp/w1.out" '^/lu/after$' &&
	ok "a watch of a kept connection fires" ||
	{ notok "kept watch"; sed 's/^/# /' "$tmp/w1.out"; }

# --- -c: a new command line ---------------------------------------------
check "our xenstore-control live-update -c '-N --entry-nb 4321'" \
	"$XS_CONTROL" live-update -c "-N --entry-nb 4321" "$XSD_BIN"
$XT/xenstore-control quota > "$tmp/q" 2>&1
grep -q "4321" "$tmp/q" && ok "the new command line is in force" ||
	{ notok "-c command line"; sed 's/^/# /' "$tmp/q"; }
xenstore-ls -p / | grep -v '^ *after = ' > "$tmp/after"
same "nodes kept again" "$tmp/before" "$tmp/after"

# A command line the new binary refuses: it must still take the store
# over (it runs with the defaults and says so), not leave the host
# without xenstore.
check "live-update -c with an unknown option" \
	"$XS_CONTROL" live-update -c "-N --no-such-option" "$XSD_BIN"
kill -0 "$pid0" && xenstore-read /lu/many/n299 > /dev/null 2>&1 &&
	ok "the daemon took over the store anyway" ||
	notok "bad -c command line ended the daemon"
$XT/xenstore-control quota > "$tmp/q" 2>&1
grep -q "4321" "$tmp/q" && notok "the old quota is still set" ||
	ok "it runs with the default quotas"
check "our xenstore-control live-update -c '-N --entry-nb 4321' again" \
	"$XS_CONTROL" live-update -c "-N --entry-nb 4321" "$XSD_BIN"

# --- refusals: nothing changes ------------------------------------------
$XT/xenstore-control live-update "$tmp/absent" > "$tmp/r" 2>&1
grep -q "File not accessible." "$tmp/r" &&
	ok "a missing binary: File not accessible." ||
	{ notok "missing binary"; sed 's/^/# /' "$tmp/r"; }
printf 'not a program\n' > "$tmp/noexec"
$XT/xenstore-control live-update "$tmp/noexec" > "$tmp/r" 2>&1
grep -q "File not executable." "$tmp/r" &&
	ok "a file without x bits: File not executable." ||
	{ notok "not executable"; sed 's/^/# /' "$tmp/r"; }
mkdir "$tmp/dir.bin"
$XT/xenstore-control live-update "$tmp/dir.bin" > "$tmp/r" 2>&1
grep -q "Error activating new binary." "$tmp/r" &&
	ok "exec failing: Error activating new binary." ||
	{ notok "exec failure"; sed 's/^/# /' "$tmp/r"; }
chmod +x "$tmp/noexec"
$XT/xenstore-control live-update "$tmp/noexec" > "$tmp/r" 2>&1
grep -q "Error activating new binary." "$tmp/r" &&
	ok "a text file with x bits is not run by a shell" ||
	{ notok "text file exec"; sed 's/^/# /' "$tmp/r"; }
xenstore-ls -p / | grep -v '^ *after = ' > "$tmp/after"
same "after the refusals, the store is as it was" "$tmp/before" "$tmp/after"
kill -0 "$pid0" && [ ! -e "$XENSTORED_RUNDIR/state_dump" ] &&
	ok "the daemon serves on, no state file left" ||
	notok "daemon after failed updates"
check "a write after the refusals" xenstore-write /lu/after2 1
wait_for "$tmp/w1.out" '^/lu/after2$' &&
	ok "the kept watch still fires" || notok "watch after refusals"

# --- an open transaction ------------------------------------------------
mkfifo "$tmp/go"
"$XS_HOLD_TXN" /lu/txn < "$tmp/go" > "$tmp/txn.out" 2>&1 &
helper_pids="$helper_pids $!"
exec 7> "$tmp/go"
wait_for "$tmp/txn.out" '^started' && ok "a client holds a transaction" ||
	notok "transaction holder"
t0=$(date +%s)
$XT/xenstore-control live-update -t 2 "$XSD_BIN" > "$tmp/r" 2>&1
rc=$?
t1=$(date +%s)
[ $rc -ne 0 ] && grep -q "long running transactions" "$tmp/r" &&
	grep -q "^Domain 0: [0-9]* s" "$tmp/r" &&
	ok "-t 2: refused after the timeout, naming the transaction" ||
	{ notok "refusal with a transaction (rc $rc)"; sed 's/^/# /' "$tmp/r"; }
[ $((t1 - t0)) -ge 2 ] && [ $((t1 - t0)) -le 20 ] &&
	ok "it waited for the timeout ($((t1 - t0)) s)" ||
	notok "waited $((t1 - t0)) s for a 2 s timeout"
tr '\0' ' ' < "/proc/$pid0/cmdline" | grep -q -- '4321' &&
	ok "the daemon was not replaced" || notok "replaced despite refusal"
check "-F -t 1: forced through the open transaction" \
	$XT/xenstore-control live-update -F -t 1 "$XSD_BIN"
echo go >&7
exec 7>&-
if ! wait_for "$tmp/txn.out" '^end:'; then
	notok "the transaction holder did not finish"
elif grep -q '^end: ok' "$tmp/txn.out"; then
	notok "the dropped transaction committed"
else
	ok "the dropped transaction cannot commit"
fi
sed 's/^/# /' "$tmp/txn.out"
check "the daemon serves after a forced update" xenstore-read /lu/many/n299
xenstore-exists /lu/txn && notok "the dropped transaction's write landed" ||
	ok "the dropped transaction's write did not land"
stop_daemon

# --- Debian's C xenstored live-updated into ours ------------------------
# It needs Xen to start; LD_PRELOAD of the benchmark's shim fakes the few
# calls it makes (see tests/bench/xenstore-shim.c).
if [ -f "${XS_SHIM_SRC:-}" ] && [ -x $XT/xenstored ] &&
   ${CC:-cc} -O2 -shared -fPIC -o "$tmp/shim.so" "$XS_SHIM_SRC" -ldl \
	2> "$tmp/r"; then
	mkdir -p "$tmp/c"
	printf 5 > "$tmp/c/port"
	head -c 4096 /dev/zero > "$tmp/c/kva"
	XENSTORED_RUNDIR=$tmp/c XENSTORED_PATH=$tmp/c/socket
	export XENSTORED_RUNDIR XENSTORED_PATH
	# Ours inherits LD_PRELOAD: a sanitizer build must accept it.
	SHIM_XSD_PORT=$tmp/c/port SHIM_XSD_KVA=$tmp/c/kva \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		LD_PRELOAD=$tmp/shim.so $XT/xenstored -N -I \
		> "$tmp/c/log" 2>&1 &
	daemon_pid=$!
	i=0
	while [ ! -S "$tmp/c/socket" ] && [ $i -lt 2000 ]; do
		sleep 0.01; i=$((i + 1))
	done
	check "Debian's C xenstored started" xenstore-write /c/a one /c/b two
	check "permissions on it" xenstore-chmod /c/b b2 r3
	check "a watcher on Debian's daemon" watcher w3 /c
	xenstore-ls -p / > "$tmp/before"
	check "Debian xenstore-control live-update (Debian's C -> ours)" \
		$XT/xenstore-control live-update "$XSD_BIN"
	[ "$(readlink "/proc/$daemon_pid/exe")" = "$(readlink -f "$XSD_BIN")" ] &&
		ok "Debian's daemon process now runs our binary" ||
		notok "process after C -> ours: $(readlink "/proc/$daemon_pid/exe")"
	xenstore-ls -p / > "$tmp/after"
	same "Debian's nodes and permissions kept by ours" "$tmp/before" \
		"$tmp/after"
	check "a write after C -> ours" xenstore-write /c/after 1
	wait_for "$tmp/w3.out" '^/c/after$' &&
		ok "a watch set on Debian's daemon fires from ours" ||
		{ notok "watch after C -> ours"; sed 's/^/# /' "$tmp/w3.out"; }
	stop_daemon
else
	ok "Debian's C xenstored -> ours # SKIP no shim or no C daemon"
fi
finish
