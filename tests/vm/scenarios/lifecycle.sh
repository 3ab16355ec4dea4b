# The lifecycle core on a real Xen 4.17: create a 2-vCPU PVH guest with its
# xenstore layout (Xen's xenstored, our xenconsoled serving its console),
# see it boot and power off, destroy it, and find no trace and all memory
# back. Then the errors a user can act on, each leaving nothing behind.
# Runs in dom0 (sourced). Our libraries sit in /usr/lib behind Debian's.
# shellcheck shell=sh

export LD_LIBRARY_PATH=/usr/lib
free0=$(xc-probe physinfo | awk '$1 == "free_memory" { print $2 }')
xenstore-ls -f >/tmp/xs-before

t0=$(vm_uptime)
vm_check "create a 2-vCPU PVH guest" lx-run create lc /guest/vmlinuz --ramdisk /guest/initrd \
	--cmdline "console=hvc0 quiet" --memory 128 --vcpus 2
vm_metric lx_create_s "$(vm_elapsed "$t0")"
id=$(xenstore-read /local/domain/1/domid 2>/dev/null)
vm_check "xenstore: name, domid, vm path" sh -c \
	'[ "$(xenstore-read /local/domain/1/name)" = lc ] && [ "$(xenstore-read /local/domain/1/domid)" = 1 ] &&
	 xenstore-read "$(xenstore-read /local/domain/1/vm)/uuid" >/dev/null'
vm_check "xenstore: guest owns its control subtree" sh -c \
	'xenstore-ls -p /local/domain/1 | grep "^control " | grep -q "(n1)"'
vm_check "xenstore: console handed to xenconsoled" sh -c \
	'[ "$(xenstore-read /local/domain/1/console/type)" = xenconsoled ]'
vm_wait_for 300 "guest marker in the console log" grep -q GUEST-MARKER /var/log/xen/console/guest-lc.log
vm_metric lx_create_to_marker_s "$(vm_elapsed "$t0")"
grep GUEST-MARKER /var/log/xen/console/guest-lc.log
vm_check "guest saw 2 CPUs" grep -q "GUEST-MARKER: .*, 2 CPUs," /var/log/xen/console/guest-lc.log
vm_check "guest wrote its control features (xenbus connected)" \
	xenstore-exists /local/domain/1/control/feature-poweroff
vm_wait_for 120 "guest shut itself down" sh -c 'xc-probe info 1 | grep -q " shutdown"'
t1=$(vm_uptime)
vm_check "destroy" lx-run destroy lc
vm_metric lx_destroy_s "$(vm_elapsed "$t1")"
vm_check "domain gone" sh -c '! xc-probe info 1 2>/dev/null'
vm_wait_for 30 "xenconsoled let go of it" grep -q "domain 1 (lc): gone" /run/xenconsoled.err
# Like libxl, destroy leaves the /vm and /libxl parents in place.
xenstore-ls -f | grep -v -e '^/vm = ""$' -e '^/libxl = ""$' >/tmp/xs-after
vm_check "xenstore as before the guest" sh -c 'diff /tmp/xs-before /tmp/xs-after'
vm_wait_for 30 "free memory back to where it started" sh -c \
	"[ \"\$(xc-probe physinfo | awk '\$1 == \"free_memory\" { print \$2 }')\" -ge $free0 ]"

# Errors a user can act on, each leaving nothing behind.
lx-run create dup /guest/vmlinuz --ramdisk /guest/initrd --memory 96 --paused >/dev/null
vm_check "a second 'dup' is refused by name" sh -c \
	'! lx-run create dup /guest/vmlinuz --memory 96 2>/tmp/e && grep -q "already in use by domain" /tmp/e'
lx-run destroy dup >/dev/null
vm_check "too much memory is refused with the free amount" sh -c \
	'! lx-run create big /guest/vmlinuz --memory 100000 2>/tmp/e && cat /tmp/e && grep -q "MiB are free" /tmp/e'
vm_check "a missing kernel is named" sh -c \
	'! lx-run create nok /nonexistent/vmlinuz 2>/tmp/e && cat /tmp/e && grep -q "/nonexistent/vmlinuz" /tmp/e'
vm_check "a kernel without PVH support is refused" sh -c \
	'! lx-run create nopvh /bin/busybox 2>/tmp/e && cat /tmp/e && grep -q "no PVH entry point" /tmp/e'
vm_check "no domain left but dom0" sh -c '[ "$(xc-probe list | wc -l)" -eq 1 ]'
xenstore-ls -f | grep -v -e '^/vm = ""$' -e '^/libxl = ""$' >/tmp/xs-after
vm_check "xenstore still as before" sh -c 'diff /tmp/xs-before /tmp/xs-after'
