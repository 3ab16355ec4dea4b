# Our dom0 tools (xenstored, xenconsoled, xl from xencommons) on the
# Xenolith hypervisor: dom0's xenstore ring and event channel from the
# hypervisor, then what `xl info`, `xl list` and `xl dmesg` report,
# checked against what dom0 itself sees. Runs in dom0 (sourced).
# shellcheck shell=sh

# One reading of `xl info`, KEY -> value, for the checks below.
xl info >/tmp/xlinfo
info() { awk -v k="$1" '$1 == k { print $3 }' /tmp/xlinfo; }
total=$(info total_memory)
free=$(info free_memory)

vm_check "dom0 is named in xenstore" sh -c \
	'[ "$(xenstore-read /local/domain/0/name)" = Domain-0 ]'
vm_check "xenstore write/read round trip" sh -c \
	'xenstore-write /hvtest/x 42 && [ "$(xenstore-read /hvtest/x)" = 42 ]'
vm_check "xencommons status: both daemons running" /etc/init.d/xencommons status

cat /tmp/xlinfo
vm_check "xl info: hypervisor 4.17" [ "$(info xen_major).$(info xen_minor)" = 4.17 ]
vm_check "xl info: 2 pCPUs" [ "$(info nr_cpus)" = 2 ]
# QEMU has 2048 MiB; firmware and the hypervisor take some of it.
vm_check "xl info: total_memory $total within QEMU's 2048 MiB" \
	[ "$total" -ge 1900 -a "$total" -le 2048 ]
vm_check "xl info: free_memory $free below total" [ "$free" -lt "$total" ]
# dom0's memory: what xl list shows is what Linux was given.
xl list
dom0_mb=$(xl list | awk '$1 == "Domain-0" { print $3 }')
vm_log "dom0 memory in xl list: $dom0_mb MiB"
vm_check "xl list: Domain-0, id 0, 2 vCPUs" sh -c \
	"xl list | awk '\$1 == \"Domain-0\" && \$2 == 0 && \$4 == 2 { f = 1 } END { exit !f }'"
# Linux's MemTotal leaves out what the kernel image and early allocations
# took: dom0's allocation is at least that and at most 128 MiB more.
k=$(awk '/^MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
vm_log "Linux MemTotal: $k MiB"
vm_check "xl list: dom0 memory $dom0_mb MiB matches Linux's $k MiB" \
	[ "$dom0_mb" -ge "$k" -a "$dom0_mb" -le $((k + 128)) ]
# The hypervisor's own pages are the difference (heap, page tables).
vm_check "total $total = free $free + dom0 $dom0_mb (hypervisor uses < 64 MiB)" \
	[ $((total - free - dom0_mb)) -ge 0 -a $((total - free - dom0_mb)) -le 64 ]
xl dmesg | tail -n 5
vm_check "xl dmesg shows the hypervisor's boot banner" sh -c 'xl dmesg | grep -qi xenolith'
vm_check "xc-probe lists dom0" sh -c 'xc-probe list | grep -q "^dom 0 "'

# --- a PVH guest created by our xl on Xenolith ----------------------------
/etc/init.d/xencommons stop
echo "XENCONSOLED_TRACE=guest" >>/etc/default/xencommons
vm_check "xencommons restarts xenconsoled with guest logs" /etc/init.d/xencommons start
free_kb() { xc-probe physinfo | awk '$1 == "free_memory" { print $2 }'; }
diag() {
	vm_log "--- diagnostics: $*"
	xl list
	for f in /var/log/xen/xl-*.log /var/log/xen/console/guest-*.log; do
		[ -f "$f" ] && { echo "--- $f"; tail -n 60 "$f"; }
	done
	xl dmesg | tail -n 40
}
free0=$(free_kb)
vm_log "free memory before: $free0 MiB (xc-probe physinfo)"

# 1. The hostile test guest: every reach for dom0's resources fails with
# Xen's error code; its verdict reaches dom0 through the PV console ring
# (xenconsoled) and the debug port (xl dmesg).  It powers itself off and
# xl's monitor destroys it.
cat >/tmp/hostile.cfg <<CFG
name = "hostile"
type = "pvh"
kernel = "/guest/pvh-hostile"
memory = 32
vcpus = 1
CFG
vm_check "xl create hostile" xl create /tmp/hostile.cfg || diag "create hostile"
vm_wait_for 120 "hostile guest's verdict on its PV console" \
	grep -q "^Test result:" /var/log/xen/console/guest-hostile.log || diag "hostile"
grep -v "^ok" /var/log/xen/console/guest-hostile.log
vm_check "hostile guest: Test result: SUCCESS" \
	grep -q "^Test result: SUCCESS" /var/log/xen/console/guest-hostile.log
vm_check "hostile guest: every check in the hypervisor log too" sh -c \
	'xl dmesg | grep -q "Test result: SUCCESS" && ! xl dmesg | grep -q ") FAIL"'
vm_wait_for 60 "hostile guest powered off and destroyed by xl" sh -c '! xl list | grep -q "^hostile "'

# 2. Created paused, then destroyed: nothing of it stays.
vm_check "xl create -p hostile (paused)" xl create -p /tmp/hostile.cfg
vm_check "xl list shows it paused" sh -c "xl list | awk '\$1 == \"hostile\" && \$5 ~ /p/ { f = 1 } END { exit !f }'"
vm_check "xl destroy hostile" xl destroy hostile
vm_check "hostile is gone" sh -c '! xl list | grep -q "^hostile "'

# 3. Debian's Linux as a PVH guest: boot, shutdown request, destroy.
cat >/tmp/g1.cfg <<CFG
name = "g1"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 guest_mode=stay"
memory = 256
vcpus = 2
CFG
t0=$(vm_uptime)
vm_check "xl create g1" xl create /tmp/g1.cfg || diag "create"
# stop waiting early when the guest panics (the log says why)
vm_wait_for 600 "g1 reached its marker or stopped" sh -c \
	'grep -q "GUEST-MARKER\|Kernel panic" /var/log/xen/console/guest-g1.log || ! xl list g1 >/dev/null 2>&1'
vm_check "guest marker in guest-g1.log" \
	grep -q "GUEST-MARKER" /var/log/xen/console/guest-g1.log || diag "marker"
vm_metric hv_create_to_marker_s "$(vm_elapsed "$t0")"
grep GUEST-MARKER /var/log/xen/console/guest-g1.log
xl list
vm_check "xl list: g1 with 256 MiB and 2 vCPUs" sh -c \
	"xl list | awk '\$1 == \"g1\" && \$3 >= 255 && \$3 <= 257 && \$4 == 2 { f = 1 } END { exit !f }'"
# The toolstack's request reaches the guest through xenstore (its ring
# mapped by xenstored, events both ways); Linux then finds no power-off
# method in the ACPI tables our builder writes (empty DSDT) and halts, so
# the guest is destroyed rather than waited for.
vm_check "xl shutdown g1" xl shutdown g1
vm_wait_for 120 "g1 received the poweroff request (control/shutdown)" \
	grep -q "GUEST-MARKER: poweroff requested" /var/log/xen/console/guest-g1.log || diag "shutdown"
t1=$(vm_uptime)
vm_check "xl destroy g1" xl destroy g1 || diag "destroy"
vm_metric hv_destroy_s "$(vm_elapsed "$t1")"
vm_check "g1 is gone from xl list" sh -c '! xl list | grep -q "^g1 "'
# xenstored and xenconsoled let go of the guests' rings on @releaseDomain:
# then every page is back.
vm_wait_for 30 "free memory back to $free0 MiB" sh -c "[ \"\$(xc-probe physinfo | awk '\$1 == \"free_memory\" { print \$2 }')\" -ge $free0 ]" ||
	vm_log "free memory now: $(free_kb) MiB"
