# Diagnostic (not in the suite): boot the same PVH guest with our tools
# several times and stop at the first one that ends before its marker
# (triple fault, crash, power-off), printing what the hypervisor and the
# guest said. Runs on either hypervisor; the boot count is 4 unless the
# hypervisor's command line has tf_boots=N (XENOLITH_HV_ARGS; both
# hypervisors ignore the option). Used with
# XENOLITH_QEMU_ARGS="-d int -D FILE" to see the exceptions before a
# fault. Runs in dom0 (sourced).
# shellcheck shell=sh
vm_guest_console_logs
boots=$(xl info | sed -n 's/^xen_commandline.*tf_boots=\([0-9]*\).*/\1/p')
cat >/tmp/tf.cfg <<CFG
name = "tf"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet guest_mode=stay"
memory = 256
vcpus = 2
on_poweroff = "preserve"
on_reboot = "preserve"
on_crash = "preserve"
CFG
log=/var/log/xen/console/guest-tf.log
booted=0 ended=0
# the guest's state letters in xl list: s (shut down) or c (crashed)
tf_state() { xl list tf 2>/dev/null | awk '$1 == "tf" { print $5 }'; }
for n in $(seq 1 "${boots:-4}"); do
	rm -f "$log"
	t0=$(vm_uptime)
	vm_check "create $n" xl create /tmp/tf.cfg || break
	up_or_ended() { grep -q "GUEST-MARKER: staying up" "$log" 2>/dev/null || tf_state | grep -q '[sc]'; }
	vm_wait_for 900 "guest $n up or ended" up_or_ended
	if ! grep -q "GUEST-MARKER: staying up" "$log" 2>/dev/null; then
		ended=$((ended + 1))
		vm_log "guest $n: ENDED (state '$(tf_state)') after $(vm_elapsed "$t0") s"
		xl list
		xl dmesg | tail -n 40
		tail -n 40 "$log"
		break
	fi
	booted=$((booted + 1))
	vm_log "guest $n: up after $(vm_elapsed "$t0") s"
	vm_check "destroy $n" xl destroy tf
done
vm_metric tf_booted "$booted"
vm_metric tf_ended "$ended"
vm_check "no guest ended before its marker" [ "$ended" = 0 ]
