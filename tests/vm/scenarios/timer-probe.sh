# Diagnosis, not in the suite: the lost host timer interrupt.  A 2-vCPU
# Linux guest on pCPU 1 alone (its AP spins in early boot until the BSP,
# on the same pCPU, gets its turn: only the host timer ends the AP's
# slice) rebooted again and again.  When a kick finds pCPU 1 in the guest
# long after its slice, the hypervisor logs pCPU 1's APIC timer state
# from the kick interrupt ("timer at the kick").
#   tests/vm/run timer-probe --hypervisor xenolith --tools xenolith --keep
# shellcheck shell=sh
vm_guest_console_logs
xl vcpu-pin 0 all 0
cat >/tmp/g1.cfg <<CFG
name = "g1"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 guest_mode=stay"
memory = 256
vcpus = 2
cpus = "1"
on_reboot = "restart"
CFG
glog=/var/log/xen/console/guest-g1.log
boots() { grep -c 'GUEST-MARKER: staying up' $glog 2>/dev/null || echo 0; }
xl create /tmp/g1.cfg
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	vm_wait_for 300 "boot $i of g1" sh -c "[ \"\$(grep -c 'GUEST-MARKER: staying up' $glog)\" -ge $i ]" || break
	vm_log "boot $i done at $(vm_uptime) s; kicks so far: $(xl dmesg | grep -c 'timer interrupt lost')"
	[ $i -lt 12 ] && xl reboot g1
done
xl dmesg | grep -A3 "timer interrupt lost\|timer at the kick" | head -n 60
vm_check "g1 booted 12 times" [ "$(boots)" -ge 12 ]
