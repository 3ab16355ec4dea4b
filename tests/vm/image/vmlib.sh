# Helpers for VM scenarios, sourced by the test dom0's init. Every verdict is
# a line on the console; the host judges the serial log.
# Counters live in files so that checks made in subshells still count.
# shellcheck shell=sh

vm_uptime() {
	cut -d' ' -f1 /proc/uptime
}

vm_log() {
	echo "VM-INFO: $*"
}

vm_pass() {
	echo "VM-CHECK: PASS $*"
	echo "$*" >>/run/vm-pass
}

vm_fail() {
	echo "VM-CHECK: FAIL $*"
	echo "$*" >>/run/vm-fail
}

vm_metric() {
	echo "VM-METRIC: $1=$2"
}

# vm_check DESCRIPTION COMMAND...: passes when COMMAND exits 0.
vm_check() {
	desc=$1
	shift
	if "$@"; then
		vm_pass "$desc"
		return 0
	fi
	vm_fail "$desc (command: $*)"
	return 1
}

# vm_wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds
# or SECONDS of uptime have passed.
vm_wait_for() {
	limit=$1
	desc=$2
	shift 2
	deadline=$(awk -v u="$(vm_uptime)" -v l="$limit" 'BEGIN { print u + l }')
	while :; do
		if "$@" >/dev/null 2>&1; then
			vm_pass "$desc"
			return 0
		fi
		if awk -v u="$(vm_uptime)" -v d="$deadline" 'BEGIN { exit !(u > d) }'; then
			vm_fail "$desc (not within ${limit}s)"
			return 1
		fi
		sleep 0.1
	done
}

# vm_elapsed START: seconds since an earlier vm_uptime reading.
vm_elapsed() {
	awk -v s="$1" -v u="$(vm_uptime)" 'BEGIN { printf "%.2f", u - s }'
}

# vm_domid NAME: the domid xenstore lists for a domain name (empty: none).
vm_domid() {
	for d in $(xenstore-list /local/domain); do
		[ "$(xenstore-read "/local/domain/$d/name" 2>/dev/null)" = "$1" ] && echo "$d"
	done
}

# vm_guest_console_logs: restarts our dom0 services so that xenconsoled
# keeps every guest's console in /var/log/xen/console/guest-NAME.log.
vm_guest_console_logs() {
	/etc/init.d/xencommons stop
	echo "XENCONSOLED_TRACE=guest" >>/etc/default/xencommons
	vm_check "xencommons restarts xenconsoled with guest logs" /etc/init.d/xencommons start
}

# vm_dom0_ext4 [MODULE...]: loop and ext4 (and the modules named) in dom0.
# ext4 needs a crc32c driver that dom0's image lacks; the guest's
# initramfs carries it (same kernel).
vm_dom0_ext4() {
	for m in "$@" loop ext4; do
		vm_check "modprobe $m" modprobe "$m"
	done
	mkdir -p /tmp/guest-initrd
	(cd /tmp/guest-initrd && cpio -i -d -H newc --quiet </guest/initrd)
	vm_check "crc32c for ext4 in dom0 (from the guest's initramfs)" sh -c \
		'insmod $(find /tmp/guest-initrd/lib/modules -name "crc32c_generic.ko*" | head -n 1)'
	rm -rf /tmp/guest-initrd
}

# vm_tails LINES FILE...: the end of each FILE that exists, under its name
# (for a scenario's diagnostics).
vm_tails() {
	vt_lines=$1
	shift
	for vt_file in "$@"; do
		[ -f "$vt_file" ] && { echo "--- $vt_file"; tail -n "$vt_lines" "$vt_file"; }
	done
	return 0
}

vm_finish() {
	npass=0
	nfail=0
	[ -f /run/vm-pass ] && npass=$(wc -l </run/vm-pass)
	[ -f /run/vm-fail ] && nfail=$(wc -l </run/vm-fail)
	if [ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]; then
		echo "VM-RESULT: PASS ($npass checks)"
	else
		echo "VM-RESULT: FAIL ($npass passed, $nfail failed)"
	fi
	sync
	poweroff -f
}
