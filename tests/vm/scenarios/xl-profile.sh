# Diagnosis, not in the suite: where our xl's `create -p` time goes, step
# by step (xl -vvv, each line stamped with dom0's uptime as it arrives),
# beside Debian's xl's total, on Xen 4.17:
#   tests/vm/run xl-profile --hypervisor xen-4.17 --tools xen-4.17 --keep
# shellcheck shell=sh

ours() { LD_LIBRARY_PATH=/usr/lib /usr/local/sbin/xl-ours "$@"; }
stamp() { while IFS= read -r l; do echo "$(cut -d' ' -f1 /proc/uptime) $l"; done; }
cat >/tmp/b.cfg <<CFG
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet"
memory = 256
vcpus = 2
CFG
for i in 1 2 3; do
	t=$(vm_uptime)
	xl create -q -p /tmp/b.cfg name=\"x$i\"
	vm_metric xen_create_p_s "$(vm_elapsed "$t")"
	xl destroy "x$i"
	vm_log "ours: start at $(cut -d' ' -f1 /proc/uptime)"
	t=$(vm_uptime)
	ours -vvv create -p /tmp/b.cfg name=\"o$i\" 2>&1 | stamp
	vm_metric ours_create_p_s "$(vm_elapsed "$t")"
	ours destroy "o$i"
done
vm_check "profile done" true
