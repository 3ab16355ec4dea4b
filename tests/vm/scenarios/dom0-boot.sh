# Debian's Linux 6.1 (bzImage as shipped) as the PVH dom0 of the
# hypervisor under test, with two vCPUs: what dom0 sees of the hypervisor.
# Runs in dom0 (sourced); dom0's poweroff at the end must end QEMU.
# shellcheck shell=sh

cat /sys/hypervisor/properties/capabilities; echo
vm_check "sysfs: hypervisor type xen" grep -q xen /sys/hypervisor/type
vm_check "sysfs: version 4.17" sh -c \
	'[ "$(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)" = 4.17 ]'
vm_check "sysfs: capabilities list hvm-3.0-x86_64" \
	grep -q hvm-3.0-x86_64 /sys/hypervisor/properties/capabilities
vm_check "dom0 runs both vCPUs" sh -c '[ "$(grep -c ^processor /proc/cpuinfo)" -eq 2 ]'
vm_check "dom0 is the control domain" grep -q control_d /proc/xen/capabilities
vm_check "Linux booted as a Xen PVH guest" sh -c 'dmesg | grep -q "Booting kernel on Xen PVH\|Hypervisor detected: Xen"'
