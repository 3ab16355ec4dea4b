# Our xenstored in a Xen 4.17 dom0 with Debian's xen-init-dom0, xenconsoled
# and xl: dom0 ring, test-xenstore, the PVH guest of the reference scenario
# (its ring, VIRQ_DOM_EXC on poweroff), cleanup.  Meant for
# tests/vm/scenarios/ (with xsdref.stack and xsdref.files).
# shellcheck shell=sh
vm_check "dom0 ring: kernel xenbus reaches our xenstored" sh -c \
	'[ "$(XENSTORED_PATH=/nonexistent xenstore-read /local/domain/0/name)" = Domain-0 ]'
vm_check "test-xenstore under Xen" /usr/lib/xen-4.17/bin/test-xenstore -i 20
grep -i 'VIRQ\|no dom0\|no VIRQ' /run/xenstored.trace
. /vm/scenarios/reference.sh
vm_check "guest's xenstore home removed" sh -c '! xenstore-exists /local/domain/1'
echo "--- dom1 requests in trace: $(grep -c ' dom1 ' /run/xenstored.trace)"
grep ' dom1 ' /run/xenstored.trace | head -12
grep -E "INTRODUCE|RELEASE|introduced|released|releaseDomain|getdomaininfo" /run/xenstored.trace | head -20
grep -i xenbus /var/log/xen/console/guest-ref.log | head

# --- live update under Xen: dom0's ring, a guest's ring, VIRQ_DOM_EXC ---
# Ours into ours, ours into Xen 4.17's C daemon and back, with a paused
# guest introduced meanwhile; then the guest runs on the ring the third
# daemon took over, powers off, and is released.
XC=/usr/lib/xen-4.17/bin/xenstore-control
dom0_ring() {
	[ "$(XENSTORED_PATH=/nonexistent xenstore-read /local/domain/0/name)" = Domain-0 ]
}
xsd_pid=$(cat /run/xenstored.pid)
markers=$(grep -c GUEST-MARKER "$log")
if vm_check "xl create -p: a guest introduced before the updates" xl create -p /tmp/ref.cfg; then
	vm_check "live update: ours -> ours" $XC live-update /usr/local/sbin/xenstored
	vm_check "the same process, now with -U" sh -c \
		"[ \$(cat /run/xenstored.pid) = $xsd_pid ] && tr '\\0' ' ' < /proc/$xsd_pid/cmdline | grep -q -- ' -U'"
	vm_check "dom0 ring after the update" dom0_ring
	vm_check "live update: ours -> Xen 4.17's C xenstored" $XC live-update /usr/lib/xen-4.17/bin/xenstored
	vm_check "dom0 ring on Xen's daemon" dom0_ring
	vm_check "live update: Xen's C xenstored -> ours" $XC live-update /usr/local/sbin/xenstored
	vm_check "process $xsd_pid runs ours again" sh -c \
		"[ \$(readlink /proc/$xsd_pid/exe) = /usr/local/sbin/xenstored ]"
	vm_check "dom0 ring after the round trip" dom0_ring
	vm_check "xl list still shows the paused guest" sh -c 'xl list | grep -q "^ref "'
	gdom=$(xl domid ref)
	tlines=$(wc -l < /run/xenstored.trace)
	vm_check "xl unpause" xl unpause ref
	vm_wait_for 180 "the guest's marker, on the kept ring" sh -c \
		"[ \$(grep -c GUEST-MARKER $log) -gt $markers ]"
	vm_wait_for 60 "guest powered off and released (VIRQ_DOM_EXC rebound)" \
		sh -c '! xl list | grep -q "^ref "'
	vm_check "the guest's requests reached the daemon over its kept ring" \
		sh -c "tail -n +$((tlines + 1)) /run/xenstored.trace | grep -q ' dom$gdom '"
	vm_check "guest's xenstore home removed after the updates" sh -c \
		"! xenstore-exists /local/domain/$gdom"
fi
grep -E "live-update" /run/xenstored.trace | head -20
