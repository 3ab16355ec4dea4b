# Benchmark body (tests/bench/devices runs it): disk and network
# throughput of the same PVH guest (guest_mode=devio) created by
# Debian's Xen 4.17 xl and by ours, on Xen 4.17 with Debian's xenstored
# and xenconsoled, beside dom0 doing the same I/O (devices-io, O_DIRECT)
# on the same image through a loop device. Both guests use our hotplug
# scripts (Debian's need bash, which this dom0 lacks), so the data path
# is the same kernel blkback/netback: the comparison is of the device
# setup. Reports VM-METRIC lines named dom0_*, xen_* and ours_*. Runs in
# dom0 (sourced).
# shellcheck shell=sh

rounds=${DEV_BENCH_ROUNDS:-1}
ours() { LD_LIBRARY_PATH=/usr/lib /usr/local/sbin/xl-ours "$@"; }
xen() { xl "$@"; }

for m in xen-blkback xen-netback loop bridge; do
	vm_check "modprobe $m" modprobe "$m"
done
vm_check "xen-bridge makes xenbr0 with 10.99.0.1" xen-bridge add xenbr0 "" 10.99.0.1/24
mkdir -p /images /var/log/xen/console
dd if=/dev/zero of=/images/b.img bs=1M count=40 2>/dev/null

dom0_io() {
	dev=$(losetup -f) && losetup "$dev" /images/b.img || return 1
	devices-io "$dev" 16 1024 1 4 dom0 >/tmp/dom0-io.out 2>&1
	r=$?
	losetup -d "$dev"
	cat /tmp/dom0-io.out
	sed -n 's/^\(dom0_[A-Za-z0-9_]*\)=\([0-9.]*\)$/\1 \2/p' /tmp/dom0-io.out |
		while read -r k v; do vm_metric "$k" "$v"; done
	return $r
}

gone() { ! xl list | grep -q "^$1 "; }
done_marker() { grep -aq "GUEST-MARKER: bench done" "/var/log/xen/console/guest-$1.log"; }

# One guest created by TOOL: its GUEST-BENCH lines become TOOL_* metrics.
run_guest() {
	tool=$1 name=$2
	cat >/tmp/bench-$name.cfg <<CFG
name = "$name"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet guest_mode=devio"
memory = 256
vcpus = 1
disk = ['format=raw,vdev=xvda,access=w,script=/usr/local/lib/xl-ours/block,target=/images/b.img']
vif = ['mac=00:16:3e:00:00:0$3,bridge=xenbr0,script=/usr/local/lib/xl-ours/vif-bridge']
CFG
	nc -l -p 5001 >/dev/null &
	ncpid=$!
	if ! $tool create /tmp/bench-$name.cfg >/tmp/bench-$name.out 2>&1; then
		kill "$ncpid" 2>/dev/null
		vm_log "--- $tool create failed:"
		cat /tmp/bench-$name.out
		tail -n 30 /var/log/xen/xen-hotplug.log 2>/dev/null
		return 1
	fi
	vm_wait_for 1500 "$name ($tool): guest finished its benchmark" done_marker "$name"
	r=$?
	kill "$ncpid" 2>/dev/null
	log=/var/log/xen/console/guest-$name.log
	tr -d '\r' <"$log" | grep -a -e GUEST-MARKER -e GUEST-BENCH
	tr -d '\r' <"$log" | sed -n 's/.*GUEST-BENCH: guest_\([A-Za-z0-9_]*\)=\([0-9.]*\).*/\1 \2/p' |
		while read -r k v; do vm_metric "${tool}_$k" "$v"; done
	[ $r -eq 0 ] || xl destroy "$name" 2>/dev/null
	vm_wait_for 120 "$name gone" gone "$name" || return 1
	# The toolstack may tear the devices down just after the domain
	# left the list: wait, bounded.
	vm_wait_for 60 "$name ($tool) left no loop device" sh -c \
		'! cat /sys/block/loop*/loop/backing_file 2>/dev/null | grep -q /images/b.img' || return 1
	return $r
}

i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	vm_check "round $i: dom0 on the image" dom0_io
	# Not inside vm_check: run_guest makes its own checks.
	run_guest xen "bx$i" 1 || vm_fail "round $i: guest by Xen's xl"
	run_guest ours "bo$i" 2 || vm_fail "round $i: guest by our xl"
done
