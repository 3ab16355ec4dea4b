# Benchmark body (tests/bench/devices runs it): disk and network
# throughput of the same PVH guest (guest_mode=devbench) created by
# Debian's Xen 4.17 xl with its scripts and by ours with our scripts, on
# Xen 4.17 with Debian's xenstored and xenconsoled, beside dom0 reading
# and writing the same image through a loop device. Reports VM-METRIC
# lines named dom0_*, xen_* and ours_*. Runs in dom0 (sourced).
# shellcheck shell=sh

rounds=${DEV_BENCH_ROUNDS:-1}
ours() { LD_LIBRARY_PATH=/usr/lib /usr/local/sbin/xl-ours "$@"; }
xen() { xl "$@"; }

for m in xen-blkback xen-netback loop bridge; do
	vm_check "modprobe $m" modprobe "$m"
done
vm_check "xen-bridge makes xenbr0 with 10.99.0.1" xen-bridge add xenbr0 "" 10.99.0.1/24
mkdir -p /images
dd if=/dev/zero of=/images/b.img bs=1M count=80 2>/dev/null

# MiB/s of 64 MiB moved between two uptimes.
rate() { awk -v s="$1" -v e="$2" 'BEGIN { d = e - s; if (d <= 0) d = 0.01; printf "%.1f", 64 / d }'; }

dom0_io() {
	dev=$(losetup -f) && losetup "$dev" /images/b.img || return 1
	t0=$(vm_uptime)
	dd if=/dev/zero of="$dev" bs=1M count=64 oflag=direct 2>/dev/null
	vm_metric dom0_seq_write_MiBps "$(rate "$t0" "$(vm_uptime)")"
	t0=$(vm_uptime)
	dd if="$dev" of=/dev/null bs=1M count=64 iflag=direct 2>/dev/null
	vm_metric dom0_seq_read_MiBps "$(rate "$t0" "$(vm_uptime)")"
	losetup -d "$dev"
}

gone() { ! xl list | grep -q "^$1 "; }

# One guest run by TOOL with SCRIPTS (ours or debian): its GUEST-BENCH
# lines become TOOL_* metrics.
run_guest() {
	tool=$1 name=$2 scripts=$4 extra_disk="" extra_vif=""
	if [ "$scripts" = ours ]; then
		extra_disk=",script=/usr/local/lib/xl-ours/block"
		extra_vif=",script=/usr/local/lib/xl-ours/vif-bridge"
	fi
	cat >/tmp/bench-$name.cfg <<CFG
name = "$name"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet guest_mode=devbench"
memory = 256
vcpus = 1
disk = ['format=raw,vdev=xvda,access=w$extra_disk,target=/images/b.img']
vif = ['mac=00:16:3e:00:00:0$3,bridge=xenbr0$extra_vif']
CFG
	nc -l -p 5001 >/dev/null &
	ncpid=$!
	$tool create -c /tmp/bench-$name.cfg </dev/null >/tmp/bench-$name.out 2>&1
	kill "$ncpid" 2>/dev/null
	if ! grep -q "GUEST-MARKER: bench done" /tmp/bench-$name.out; then
		vm_log "--- $tool ($scripts scripts) failed:"
		grep -v "^\[" /tmp/bench-$name.out | tail -n 15
		tail -n 30 /var/log/xen/xen-hotplug.log 2>/dev/null
		vm_wait_for 120 "$name gone after the failure" gone "$name"
		return 1
	fi
	grep -E "GUEST-BENCH" /tmp/bench-$name.out
	tr -d '\r' </tmp/bench-$name.out | sed -n 's/.*GUEST-BENCH: \([a-z_]*\)=\([0-9.]*\).*/\1 \2/p' |
		while read -r k v; do vm_metric "${tool}_$k" "$v"; done
	vm_wait_for 120 "$name gone" gone "$name"
	vm_check "$name left no loop device" sh -c '! cat /sys/block/loop*/loop/backing_file 2>/dev/null | grep -q /images/b.img'
}

i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	vm_check "round $i: dom0 on the image" dom0_io
	# Debian's own hotplug scripts need bash, which a busybox dom0 lacks;
	# then Xen's xl runs with ours (the data path is the same kernel
	# blkback/netback either way) and the report says so.
	if [ "$i" = 1 ] && run_guest xen "bd$i" 1 debian; then
		xen_scripts=debian
		vm_log "Xen's xl ran with Debian's hotplug scripts"
	elif [ "$i" = 1 ]; then
		xen_scripts=ours
		vm_log "Xen's xl with Debian's hotplug scripts failed (above); it uses ours"
		vm_check "round $i: guest by Xen's xl" run_guest xen "bx$i" 1 ours
	else
		vm_check "round $i: guest by Xen's xl" run_guest xen "bx$i" 1 "$xen_scripts"
	fi
	vm_metric "xen_scripts_debian" "$([ "$xen_scripts" = debian ] && echo 1 || echo 0)"
	vm_check "round $i: guest by our xl" run_guest ours "bo$i" 2 ours
done
