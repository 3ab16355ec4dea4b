# Our whole dom0 stack on Xen 4.17: xencommons (our xenstored,
# xen-init-dom0, xenconsoled), then OUR xl creates a PVH guest from an
# xl.cfg file, lists it, and destroys it. Runs in dom0 (sourced).
# shellcheck shell=sh

# Guest console logs are off by default, as in Xen; turn them on.
/etc/init.d/xencommons stop
echo "XENCONSOLED_TRACE=guest" >>/etc/default/xencommons
vm_check "xencommons restarts xenconsoled with guest logs" /etc/init.d/xencommons start
ps | grep -v " \[" | grep xen

cat >/tmp/pvh.cfg <<CFG
# A PVH guest as users write it.
name = "pvh1"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet"
memory = 256
vcpus = 2
CFG
log=/var/log/xen/console/guest-pvh1.log
t0=$(vm_uptime)
vm_check "xl create" xl create /tmp/pvh.cfg
vm_metric xl_create_s "$(vm_elapsed "$t0")"
xl list
vm_check "xl list shows pvh1 with 256 MiB" sh -c 'xl list | awk "\$1 == \"pvh1\" && \$3 >= 255 && \$3 <= 257 { f = 1 } END { exit !f }"'
vm_check "a second create of the same name is refused" sh -c \
	'! xl create /tmp/pvh.cfg 2>/tmp/e && cat /tmp/e && grep -q "already in use" /tmp/e'
vm_wait_for 300 "guest ran and shut itself down (state s)" sh -c \
	'xl list | awk "\$1 == \"pvh1\" { exit !(\$5 ~ /s/) }"'
vm_metric create_to_shutdown_s "$(vm_elapsed "$t0")"
ls -la /var/log/xen/console/; ps | grep -v ' \[' | tail -n 8
vm_check "guest marker in $log" grep -q GUEST-MARKER "$log"
grep GUEST-MARKER "$log"
vm_check "guest saw 2 CPUs" grep -q "GUEST-MARKER: .*, 2 CPUs," "$log"
t1=$(vm_uptime)
vm_check "xl destroy pvh1" xl destroy pvh1
vm_metric xl_destroy_s "$(vm_elapsed "$t1")"
xl list
vm_check "xl list no longer shows it" sh -c '! xl list | grep -q "^pvh1 "'
vm_check "no /local/domain/1 left" sh -c '! xenstore-exists /local/domain/1'
vm_check "an HVM config is refused with the reason" sh -c \
	'printf "name=\"h\"\ntype=\"hvm\"\nmemory=64\n" >/tmp/h.cfg; ! xl create /tmp/h.cfg 2>/tmp/e && cat /tmp/e && grep -q "only type=\"pvh\"" /tmp/e'
