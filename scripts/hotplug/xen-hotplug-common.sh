# Shared by the hotplug scripts (sourced). Xen's calling convention:
# $1 is add|remove|online|offline, the environment carries XENBUS_PATH
# (the backend directory, relative to the backend domain's home or
# absolute), XENBUS_TYPE (vbd, vif), and for vifs `vif` (the netback
# interface) and `netdev`. A script reports to the backend directory:
# hotplug-status "connected" when done, or "error" with its reason in
# hotplug-error, which the toolstack prints.
# shellcheck shell=sh

# The toolstack's PATH first, then the usual places.
PATH=${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

hotplug_name=$(basename "$0")
action=${1:-}

hotplug_log() {
	echo "$hotplug_name $action ${XENBUS_PATH:-?}: $*" >&2
}

case ${XENBUS_PATH:-} in
'') echo "$hotplug_name: XENBUS_PATH is not set (run by the toolstack)" >&2; exit 1 ;;
/*) be=$XENBUS_PATH ;;
*) be=/local/domain/${XEN_BACKEND_DOMID:-0}/$XENBUS_PATH ;;
esac

# xs_get KEY: a node of the backend directory (empty if absent).
xs_get() {
	xenstore-read "$be/$1" 2>/dev/null
}

xs_put() {
	xenstore-write "$be/$1" "$2"
}

# hotplug_fail MESSAGE: reported to the toolstack; exits.
hotplug_fail() {
	hotplug_log "error: $*"
	xenstore-write "$be/hotplug-error" "$hotplug_name: $*" "$be/hotplug-status" error \
		2>/dev/null
	exit 1
}

hotplug_ok() {
	xs_put hotplug-status connected || hotplug_fail "cannot write $be/hotplug-status"
	exit 0
}

# An exclusive section across concurrent script runs (no flock in a
# busybox dom0): a directory made atomically, taken over when the run
# that made it is gone. Bounded: fails after about 30 s.
hotplug_lock() {
	lockdir=/run/xen-hotplug.$1.lock
	n=0
	while ! mkdir "$lockdir" 2>/dev/null; do
		owner=$(cat "$lockdir/pid" 2>/dev/null)
		if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
			rm -rf "$lockdir"
			continue
		fi
		n=$((n + 1))
		[ "$n" -lt 300 ] || hotplug_fail "timed out waiting for $lockdir"
		sleep 0.1
	done
	echo $$ >"$lockdir/pid"
}

hotplug_unlock() {
	rm -rf "$lockdir"
}

case $action in
add|remove|online|offline) ;;
*) echo "usage: $hotplug_name add|remove|online|offline (run by the toolstack)" >&2; exit 1 ;;
esac
