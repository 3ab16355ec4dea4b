# Diagnostic (not in the suite): boot the same PVH guest with our tools
# several times and count the guests Xen reports as triple-faulted. Used
# with XENOLITH_QEMU_ARGS="-d int -D FILE" to see the exceptions before
# the fault. Runs in dom0 (sourced).
# shellcheck shell=sh
/etc/init.d/xencommons stop
echo "XENCONSOLED_TRACE=guest" >>/etc/default/xencommons
vm_check "xencommons restarts xenconsoled with guest logs" /etc/init.d/xencommons start
cat >/tmp/tf.cfg <<CFG
name = "tf"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet guest_mode=stay"
memory = 256
vcpus = 2
on_crash = "preserve"
CFG
log=/var/log/xen/console/guest-tf.log
booted=0 faulted=0
for n in 1 2 3 4; do
	rm -f "$log"
	t0=$(vm_uptime)
	vm_check "create $n" xl create /tmp/tf.cfg
	up_or_fault() { grep -q "GUEST-MARKER: staying up" "$log" 2>/dev/null || xl dmesg | grep -q "Triple fault"; }
	vm_wait_for 900 "guest $n up or faulted" up_or_fault
	if xl dmesg | grep -q "Triple fault"; then
		faulted=$((faulted + 1))
		vm_log "guest $n: TRIPLE FAULT after $(vm_elapsed "$t0") s"
		xl dmesg | grep -A 20 "Triple fault"
		tail -n 20 "$log"
		break
	fi
	booted=$((booted + 1))
	vm_log "guest $n: up after $(vm_elapsed "$t0") s"
	grep GUEST-INFO "$log"
	vm_check "destroy $n" xl destroy tf
done
vm_metric tf_booted "$booted"
vm_metric tf_faulted "$faulted"
vm_check "no guest triple-faulted" [ "$faulted" = 0 ]
