#!/bin/sh
# The hotplug scripts (scripts/hotplug) run as the device layer runs
# them (action argument, XENBUS_PATH relative to dom0's home, vif=...)
# against our real xenstored on a private socket: what they report in
# hotplug-status / hotplug-error when the target is missing, the mode is
# bad, the disk is in conflicting use by another domain, the bridge or
# interface does not exist. With root and loop devices the block script
# also attaches and releases a file for real; otherwise that part skips.
set -u
: "${TOP_BUILDDIR:?}" "${TOP_SRCDIR:?}"
scripts=$TOP_SRCDIR/scripts/hotplug
XS_TOOL=$TOP_BUILDDIR/xenstored/.libs/xenstore
XSD_BIN=$TOP_BUILDDIR/xenstored/xenstored
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $* # SKIP"; }
tmp=$(mktemp -d /tmp/hotplug-test-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "${loopdev:-}" ] && losetup -d "$loopdev" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

mkdir "$tmp/bin"
for t in read write list exists rm ls; do
	ln -s "$XS_TOOL" "$tmp/bin/xenstore-$t"
done
PATH=$tmp/bin:$PATH
LD_LIBRARY_PATH=$TOP_BUILDDIR/xenstored/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
XENSTORED_PATH=$tmp/socket
export PATH LD_LIBRARY_PATH XENSTORED_PATH
"$XSD_BIN" -F "$tmp/pid" || { echo "Bail out! xenstored did not start"; exit 1; }
pid=$(cat "$tmp/pid")

be=/local/domain/0/backend/vbd
# vbd DOMID MODE PARAMS: a backend directory as the device layer writes it.
vbd() {
	xenstore-write "$be/$1/51712/params" "$3" "$be/$1/51712/mode" "$2" \
		"$be/$1/51712/frontend-id" "$1" "$be/$1/51712/type" phy
}
# run SCRIPT ACTION DOMID [KIND]: the script's exit status; output kept.
run() {
	XENBUS_PATH=backend/${4:-vbd}/$3/${5:-51712} XENBUS_TYPE=${4:-vbd} \
		"$scripts/$1" "$2" >"$tmp/out" 2>&1
}
# expect_error WHAT DOMID TEXT [KIND DEVID]: failed, status error, reason contains TEXT.
expect_error() {
	what=$1 dom=$2 text=$3 dir=$be/$2/51712
	[ $# -ge 5 ] && dir=/local/domain/0/backend/$4/$2/$5
	if [ "$(xenstore-read "$dir/hotplug-status" 2>/dev/null)" = error ] &&
		xenstore-read "$dir/hotplug-error" 2>/dev/null | grep -qF "$text"; then
		ok "$what"
	else
		notok "$what"
		echo "# hotplug-error: $(xenstore-read "$dir/hotplug-error" 2>&1)"
		sed 's/^/# /' "$tmp/out"
	fi
}

vbd 1 w /nonexistent/disk.img
if run block add 1; then notok "block add of a missing file fails"; else ok "block add of a missing file fails"; fi
expect_error "... saying which file does not exist" 1 "block: /nonexistent/disk.img does not exist"

: >"$tmp/disk.img"
vbd 2 x "$tmp/disk.img"
run block add 2
expect_error "a mode other than w or r is refused" 2 "mode 'x' in $be/2/51712 is neither w nor r"

# Domain 5 has the file read-write (its backend connected).
vbd 5 w "$tmp/disk.img"
xenstore-write "$be/5/51712/physical-device" 7:0 /local/domain/5/name web
vbd 6 r "$tmp/disk.img"
run block add 6
expect_error "read-only use of a file another domain writes is refused" 6 \
	"is already in use by domain 5 (web) in mode w"
# Same file through another path.
ln -s "$tmp/disk.img" "$tmp/alias.img"
vbd 7 w "$tmp/alias.img"
run block add 7
expect_error "the same file under another name is recognised" 7 "in use by domain 5 (web)"
xenstore-write "$be/5/51712/mode" r
vbd 8 w "$tmp/disk.img"
run block add 8
expect_error "read-write use of a file another domain reads is refused" 8 \
	"cannot be given to another domain in mode w"

if [ "$(id -u)" = 0 ] && { [ -e /dev/loop-control ] || modprobe loop 2>/dev/null; } &&
	losetup -f >/dev/null 2>&1; then
	dd if=/dev/zero of="$tmp/real.img" bs=1k count=64 2>/dev/null
	vbd 9 r "$tmp/real.img"
	if run block add 9 && [ "$(xenstore-read "$be/9/51712/hotplug-status")" = connected ]; then
		ok "block add attaches a file (read-only) to a loop device"
	else
		notok "block add attaches a file (read-only) to a loop device"
		sed 's/^/# /' "$tmp/out"
	fi
	loopdev=$(xenstore-read "$be/9/51712/node" 2>/dev/null)
	pd=$(xenstore-read "$be/9/51712/physical-device" 2>/dev/null)
	if [ -b "$loopdev" ] && [ "$pd" = "$(stat -L -c '%t:%T' "$loopdev")" ] &&
		[ "$(cat "/sys/block/${loopdev#/dev/}/ro" 2>/dev/null)" = 1 ]; then
		ok "node and physical-device name the read-only loop device ($loopdev, $pd)"
	else
		notok "node and physical-device name the read-only loop device ($loopdev, $pd)"
	fi
	run block remove 9
	if losetup -a 2>/dev/null | grep -q "$tmp/real.img"; then
		notok "block remove releases the loop device"
	else
		ok "block remove releases the loop device"
		loopdev=
	fi
else
	skip "block add attaches a file to a loop device (needs root and loop devices)"
	skip "node and physical-device name the loop device"
	skip "block remove releases the loop device"
fi

vifbe=/local/domain/0/backend/vif
xenstore-write "$vifbe/3/0/bridge" xenbr0 "$vifbe/3/0/frontend-id" 3 "$vifbe/3/0/handle" 0
vif=vif-no-such-if run vif-bridge add 3 vif 0
expect_error "vif-bridge names the missing interface" 3 "interface vif-no-such-if does not exist" vif 0
xenstore-write "$vifbe/4/0/bridge" no-such-br "$vifbe/4/0/frontend-id" 4 "$vifbe/4/0/handle" 0
# lo exists; the bridge check comes before anything is changed.
vif=lo run vif-bridge add 4 vif 0
expect_error "vif-bridge names the missing bridge and how to make it" 4 \
	"bridge no-such-br does not exist (create it with: xen-bridge add no-such-br)" vif 0

if env -u XENBUS_PATH "$scripts/block" add >"$tmp/out" 2>&1; then
	notok "block without XENBUS_PATH fails"
else
	grep -q "XENBUS_PATH is not set" "$tmp/out" && ok "block without XENBUS_PATH fails, saying so" ||
		notok "block without XENBUS_PATH fails, saying so"
fi
if run block frobnicate 1; then notok "an unknown action fails"; else ok "an unknown action fails"; fi
if "$scripts/xen-bridge" >/dev/null 2>&1; then notok "xen-bridge without a command fails"; else
	ok "xen-bridge without a command fails"; fi

# The device layer's removal (lx_disk_remove, through ./lx-disk-rm):
# a disk's nodes go, and so does its backend's per-domain directory with
# the domain's last disk there: backend/vbd/DOMID for blkback,
# backend/qdisk/DOMID for a qdisk disk.
# disk DOMID DEVID KIND: a Closed disk as the device layer leaves it.
disk() {
	xenstore-write "/local/domain/0/backend/$3/$1/$2/state" 6 \
		"/local/domain/$1/device/vbd/$2/state" 6 \
		"/libxl/$1/device/vbd/$2/backend" "/local/domain/0/backend/$3/$1/$2"
}
gone() { ! xenstore-exists "$1" 2>/dev/null; }
disk 20 51712 qdisk
disk 20 51728 qdisk
disk 21 51712 vbd
if ./lx-disk-rm 20 51712 2>"$tmp/err" && gone /local/domain/0/backend/qdisk/20/51712 &&
	gone /local/domain/20/device/vbd/51712 && gone /libxl/20/device/vbd/51712 &&
	xenstore-exists /local/domain/0/backend/qdisk/20/51728; then
	ok "qdisk disk removed: its nodes go, the other disk's stay"
else
	notok "qdisk disk removed: its nodes go, the other disk's stay ($(cat "$tmp/err"))"
fi
if ./lx-disk-rm 20 51728 2>"$tmp/err" && gone /local/domain/0/backend/qdisk/20; then
	ok "the last qdisk disk takes backend/qdisk/20 with it"
else
	notok "the last qdisk disk takes backend/qdisk/20 with it ($(cat "$tmp/err"))"
fi
if ./lx-disk-rm 21 51712 2>"$tmp/err" && gone /local/domain/0/backend/vbd/21 &&
	xenstore-exists /local/domain/0/backend/vbd; then
	ok "the last blkback disk takes backend/vbd/21 with it, not backend/vbd"
else
	notok "the last blkback disk takes backend/vbd/21 with it, not backend/vbd ($(cat "$tmp/err"))"
fi
if ./lx-disk-rm 21 51712 2>"$tmp/err"; then
	notok "removing a disk that is not there fails"
else
	grep -q "domain 21 has no disk 51712" "$tmp/err" && ok "removing a disk that is not there fails, saying so" ||
		notok "removing a disk that is not there fails, saying so ($(cat "$tmp/err"))"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
