#!/bin/sh
# Debian's own xenstore clients against our xenstored on a host socket:
# every xenstore-* tool of xenstore-utils, Xen's test-xenstore (all tests,
# many iterations, then random mode), Debian's tools on our libxenstore,
# and our tools' output byte-compared with Debian's.
. "${XS_SRCDIR:-$(dirname "$0")}/xs-lib.sh"

XT=/usr/lib/xen-4.17/bin
if [ ! -x /usr/bin/xenstore-read ] || [ ! -x $XT/test-xenstore ]; then
	echo "1..0 # SKIP Debian xenstore-utils / xen-utils-4.17 not installed"
	exit 0
fi

check "our daemon starts on $tmp/socket" start_daemon
check "pid file names a live process" kill -0 "$daemon_pid"
# --sched-slice (default 100 us): visible where the kernel has custom
# slices (Linux 6.12+); out-of-range values are refused by name.
kv=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
if [ "${kv% *}" -gt 6 ] || { [ "${kv% *}" -eq 6 ] && [ "${kv#* }" -ge 12 ]; }
then
	grep -q '^se.slice *: *100000$' "/proc/$daemon_pid/sched" &&
		ok "the daemon runs with a 100 us scheduler slice" ||
		{ notok "scheduler slice"; grep slice "/proc/$daemon_pid/sched" |
			sed 's/^/# /'; }
else
	ok "scheduler slice # SKIP kernel before 6.12"
fi
if "$XSD_BIN" -N --sched-slice=5 > "$tmp/r" 2>&1; then
	notok "--sched-slice=5 refused"
else
	grep -q "option --sched-slice: 5 is outside" "$tmp/r" &&
		ok "--sched-slice=5 refused, naming the option" ||
		{ notok "--sched-slice=5 message"; sed 's/^/# /' "$tmp/r"; }
fi

# --- every Debian tool -------------------------------------------------
check "xenstore-write" xenstore-write /c/a one /c/b 'tab\there' /c/d/e deep
xenstore-read /c/a /c/b > "$tmp/r" 2>&1
printf 'one\ntab\\there\n' > "$tmp/e"
same "xenstore-read (two keys, escaped value)" "$tmp/e" "$tmp/r"
xenstore-read -R /c/b > "$tmp/r" 2>&1
printf 'tab\there' > "$tmp/e"
same "xenstore-read -R (raw, no newline)" "$tmp/e" "$tmp/r"
xenstore-list -p /c > "$tmp/r" 2>&1
printf '/c/a\n/c/b\n/c/d\n' > "$tmp/e"
same "xenstore-list -p" "$tmp/e" "$tmp/r"
check "xenstore-exists (present)" xenstore-exists /c/a
if xenstore-exists /c/none 2>/dev/null; then notok "xenstore-exists (absent)"
else ok "xenstore-exists (absent) fails"; fi
check "xenstore-chmod -r" xenstore-chmod -r /c n0 r3 b4
xenstore-ls -p /c > "$tmp/r" 2>&1
grep -q '^ e = "deep" .*(n0,r3,b4)$' "$tmp/r" && ok "xenstore-ls -p shows perms" ||
	{ notok "xenstore-ls -p shows perms"; sed 's/^/# /' "$tmp/r"; }
check "xenstore-chmod -u" xenstore-chmod -u /c/d/e n0 r9
xenstore-ls -f -p /c > "$tmp/r" 2>&1
grep -q '^/c/d = "" *(n0,r9)$' "$tmp/r" && ok "chmod -u reached the parent" ||
	{ notok "chmod -u reached the parent"; sed 's/^/# /' "$tmp/r"; }
check "xenstore-rm -t" xenstore-rm -t /c/d/e
if xenstore-read /c/d >/dev/null 2>&1; then notok "rm -t removed empty parent"
else ok "rm -t removed empty parent"; fi
if xenstore-rm /none/x 2>/dev/null; then notok "xenstore-rm of missing path"
else ok "xenstore-rm below a missing node fails"; fi

# xenstore-watch: wait for the initial event line, then make two changes.
mkfifo "$tmp/wf"
xenstore-watch -n 3 /c/w > "$tmp/wf" &
wpid=$!
exec 3<"$tmp/wf"
read -r first <&3
xenstore-write /c/w/x 1
read -r second <&3
xenstore-write /c/w/y 2
read -r third <&3
wait $wpid
exec 3<&-
[ "$first $second $third" = "/c/w /c/w/x /c/w/y" ] &&
	ok "xenstore-watch -n 3 prints three events" ||
	notok "xenstore-watch events: '$first $second $third'"

$XT/xenstore-control check > "$tmp/r" 2>&1
echo OK > "$tmp/e"
same "Debian xenstore-control check" "$tmp/e" "$tmp/r"
$XT/xenstore-control quota > "$tmp/r" 2>&1
printf '%s\n' 'Quota settings:' \
  'nodes            :     1000 Nodes per domain' \
  'watches          :      128 Watches per domain' \
  'transactions     :       10 Transactions per domain' \
  'outstanding      :       20 Outstanding requests per domain' \
  'transaction-nodes:     1024 Max. number of accessed nodes per transaction' \
  'memory           :  2621440 Total Xenstore memory per domain (error level)' \
  'node-size        :     2048 Max. size of a node' \
  'path-max         :     2048 Max. length of a node path' \
  'permissions      :        5 Max. number of permissions per node' '' \
	> "$tmp/e"
# (the last, empty line: Debian's tool adds a newline, as with Xen's daemon)
same "Debian xenstore-control quota: Xen 4.17's names, defaults, text" \
	"$tmp/e" "$tmp/r"
check "Debian xenstore-control quota set nodes 1000" \
	$XT/xenstore-control quota set nodes 1000
$XT/xenstore-control quota 0 > "$tmp/r" 2>&1
grep -q '^nodes           : ' "$tmp/r" &&
	ok "Debian xenstore-control quota 0 (dom0's usage)" ||
	{ notok "xenstore-control quota 0"; sed 's/^/# /' "$tmp/r"; }
check "Debian xenstore-control quota-soft set memory 2097152" \
	$XT/xenstore-control quota-soft set memory 2097152
if $XT/xenstore-control nonsense >/dev/null 2>&1; then
	notok "xenstore-control rejects unknown commands"
else ok "xenstore-control rejects unknown commands"; fi

# --- Xen's test-xenstore ---------------------------------------------
check "test-xenstore, all tests, 300 iterations" $XT/test-xenstore -i 300
check "test-xenstore random mode, 5 s" $XT/test-xenstore -r 5 -i 20

# --- Debian binaries on our libxenstore.so.4 ---------------------------
if ldd "$XS_LIBDIR/libxenstore.so.4" 2>/dev/null | grep -q libasan; then
	# ASan must be the first library of a process: not so in Debian's.
	ok "Debian binaries on our libxenstore # SKIP sanitizer build"
elif [ -f "$XS_LIBDIR/libxenstore.so.4" ]; then
	LD_LIBRARY_PATH=$XS_LIBDIR xenstore-read /c/a > "$tmp/r" 2>&1
	echo one > "$tmp/e"
	same "Debian xenstore-read linked to our libxenstore" "$tmp/e" "$tmp/r"
	check "Debian test-xenstore on our libxenstore, 100 iterations" \
		env LD_LIBRARY_PATH="$XS_LIBDIR" $XT/test-xenstore -i 100
else
	notok "our libxenstore.so.4 not found in $XS_LIBDIR"
fi

# --- our tools, byte for byte like Debian's ---------------------------
for args in "-R /c/b" "/c/b"; do
	# shellcheck disable=SC2086
	xenstore-read $args > "$tmp/deb" 2>&1
	# shellcheck disable=SC2086
	"$XS_TOOL" read $args > "$tmp/ours" 2>&1
	same "our xenstore read $args matches Debian's" "$tmp/deb" "$tmp/ours"
done
xenstore-write /cmp/v 'a\tb\001c' /cmp/long "$(printf 'x%.0s' $(seq 150))"
xenstore-chmod /cmp/v n0 r5
for args in "ls /cmp" "ls -f /cmp" "ls -p /cmp" "ls -f -p /cmp" \
	    "read -p /cmp/v /cmp/long" "list /cmp" "list -p /cmp" "ls /"; do
	# shellcheck disable=SC2086
	/usr/bin/xenstore-${args%% *} ${args#* } > "$tmp/deb" 2>&1
	# shellcheck disable=SC2086
	"$XS_TOOL" $args > "$tmp/ours" 2>&1
	same "our xenstore $args matches Debian's" "$tmp/deb" "$tmp/ours"
done
"$XS_TOOL" write /cmp/esc 'x\ty\\z\101'
xenstore-read -R /cmp/esc > "$tmp/r"
printf 'x\ty\\zA' > "$tmp/e"
same "our xenstore-write unescapes like Debian's" "$tmp/e" "$tmp/r"
"$XS_CONTROL" check > "$tmp/r" 2>&1
echo OK > "$tmp/e"
same "our xenstore-control check" "$tmp/e" "$tmp/r"

check "daemon still alive" kill -0 "$daemon_pid"
pid=$daemon_pid
stop_daemon
if kill -0 "$pid" 2>/dev/null; then notok "daemon stops on SIGTERM"
else ok "daemon stops on SIGTERM"; fi
[ ! -e "$tmp/socket" ] && ok "socket removed" || notok "socket left behind"
finish
