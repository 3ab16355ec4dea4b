# Shared by the xenstored shell tests: TAP helpers, daemon start/stop.
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { # check "what" command...
	what=$1; shift
	if "$@" >"$tmp/out" 2>&1; then ok "$what"; else
		notok "$what"; sed 's/^/# /' "$tmp/out" | head -20; fi
}
same() { # same "what" expected-file actual-file
	if cmp -s "$2" "$3"; then ok "$1"; else notok "$1"
		diff "$2" "$3" | sed 's/^/# /' | head -20; fi
}
finish() { echo "1..$n"; [ "$failed" -eq 0 ]; }

tmp=$(mktemp -d /tmp/xs-sh-XXXXXX)
daemon_pid=
stop_daemon() {
	if [ -n "$daemon_pid" ]; then
		kill "$daemon_pid" 2>/dev/null
		# wait (bounded) for it to be gone
		i=0
		while kill -0 "$daemon_pid" 2>/dev/null && [ $i -lt 2000 ]; do
			sleep 0.01; i=$((i + 1))
		done
		daemon_pid=
	fi
}
cleanup() { stop_daemon; rm -rf "$tmp"; }
trap cleanup EXIT

# The daemon returns only once its socket listens (it forks after bind).
start_daemon() {
	XENSTORED_PATH=$tmp/socket
	export XENSTORED_PATH
	"$XSD_BIN" -F "$tmp/pid" "$@" || return 1
	daemon_pid=$(cat "$tmp/pid")
	[ -S "$tmp/socket" ]
}
