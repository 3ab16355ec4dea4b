# The reference toolstack: Debian's Xen 4.17 xenstored, xen-init-dom0 and
# xenconsoled, started the way Xen's xencommons does.
# shellcheck shell=sh
XENBIN=/usr/lib/xen-4.17/bin

stack_start() {
	"$XENBIN/xenstored" --pid-file /run/xenstored.pid || return 1
	vm_wait_for 60 "xenstored answers" xenstore-exists / || return 1
	vm_check "xen-init-dom0" "$XENBIN/xen-init-dom0" || return 1
	vm_check "xenconsoled starts" "$XENBIN/xenconsoled" \
		--pid-file=/run/xenconsoled.pid --log=guest || return 1
}
