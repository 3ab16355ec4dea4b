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
