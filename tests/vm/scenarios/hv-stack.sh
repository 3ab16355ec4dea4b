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
vm_guest_console_logs
free_kb() { xc-probe physinfo | awk '$1 == "free_memory" { print $2 }'; }
diag() {
	vm_log "--- diagnostics: $*"
	xl list
	vm_tails 60 /var/log/xen/xl-*.log /var/log/xen/console/guest-*.log
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

# 3. Guest-to-dom0 event channel round trips: dom0 user space (evtchn
# driver) sends, the pvh-idle echo guest answers from SCHEDOP_poll.
cat >/tmp/echo.cfg <<CFG
name = "echo"
type = "pvh"
kernel = "/guest/pvh-idle"
extra = "echo"
memory = 16
vcpus = 1
CFG
vm_check "xl create echo" xl create /tmp/echo.cfg || diag "create echo"
vm_wait_for 120 "the echo guest offers its port" \
	grep -q "GUEST-MARKER: pvh-idle domain [0-9]* echo port [0-9]*" /var/log/xen/console/guest-echo.log ||
	diag "echo port"
edom=$(sed -n 's/.*pvh-idle domain \([0-9]*\) echo port.*/\1/p' /var/log/xen/console/guest-echo.log | head -n 1)
eport=$(sed -n 's/.*pvh-idle domain [0-9]* echo port \([0-9]*\).*/\1/p' /var/log/xen/console/guest-echo.log | head -n 1)
if [ -n "$edom" ] && [ -n "$eport" ] && vm_check "1000 event channel round trips to domain $edom port $eport" sh -c \
	"hv-evtchn-ping $edom $eport 1000 >/tmp/ping.out 2>&1; rc=\$?; cat /tmp/ping.out; exit \$rc"; then
	vm_metric hv_evtchn_rtt_us "$(sed -n 's/^rtt_us=\([0-9.]*\).*/\1/p' /tmp/ping.out)"
fi
vm_check "xl destroy echo" xl destroy echo

# 4. Debian's Linux as a PVH guest: the lifecycle of xl-lifecycle.sh on
# Xenolith.  Linux finds no ACPI power-off method in our tables and parks
# every CPU in cli;hlt: the hypervisor takes each one offline and powers
# the domain off when none is left (as Xen does).  A restart and a panic
# reach the hypervisor as SCHEDOP_shutdown (reboot, crash).
# Under QEMU TCG a Linux guest sharing a pCPU with dom0 sometimes loses
# its state in Linux's PIT calibration loop, on Xenolith as on Xen 4.17
# (README, "Known problems"): dom0 keeps pCPU 0, g1 gets pCPU 1.
vm_check "dom0's vCPUs pinned to pCPU 0" xl vcpu-pin 0 all 0
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
t0=$(vm_uptime)
vm_check "xl create g1" xl create /tmp/g1.cfg || diag "create"
# stop waiting early when the guest panics (the log says why)
vm_wait_for 600 "g1 reached its marker or stopped" sh -c \
	"grep -q 'GUEST-MARKER: staying up\|Kernel panic' $glog || ! xl list g1 >/dev/null 2>&1"
vm_check "guest marker in guest-g1.log" grep -q "GUEST-MARKER: staying up" $glog || diag "marker"
vm_metric hv_create_to_marker_s "$(vm_elapsed "$t0")"
grep GUEST-MARKER $glog
xl list
vm_check "xl list: g1 with 256 MiB and 2 vCPUs" sh -c \
	"xl list | awk '\$1 == \"g1\" && \$3 >= 255 && \$3 <= 257 && \$4 == 2 { f = 1 } END { exit !f }'"
id1=$(vm_domid g1)

# xl reboot: on_reboot="restart" brings it back under a new domid.
t1=$(vm_uptime)
vm_check "xl reboot g1" xl reboot g1
new_domid() { d=$(vm_domid g1); [ -n "$d" ] && [ "$d" != "$id1" ]; }
vm_wait_for 300 "g1 is back with a new domid" new_domid || diag "no restart"
vm_wait_for 600 "the restarted g1 booted (second marker in $glog)" sh -c \
	"[ \"\$(grep -c 'GUEST-MARKER: staying up' $glog)\" -ge 2 ]" || diag "restart marker"
vm_metric hv_reboot_to_marker_s "$(vm_elapsed "$t1")"
vm_check "monitor log: reboot (reason 1) handled by restart" grep -q \
	"Action for shutdown reason code 1 is restart" /var/log/xen/xl-g1.log
vm_check "the old domain $id1 is gone" sh -c "! xc-probe info $id1 2>/dev/null"

# A live update of xenstored while g1 runs: the new binary takes over
# dom0's ring and g1's (mapped again through our hypervisor's grant
# table, its event channel still bound), and the shutdown below travels
# over them: xl's write to control/shutdown, g1's watch firing, then
# VIRQ_DOM_EXC and @releaseDomain for `-w`.
xsd=$(cat /run/xenstored.pid 2>/dev/null || cat /var/run/xenstored.pid)
vm_check "live update of xenstored while g1 runs" \
	xenstore-control live-update "$(readlink /proc/$xsd/exe)" || diag "live update"
vm_check "xenstored: the same process $xsd, now with -U" sh -c \
	"tr '\\0' ' ' < /proc/$xsd/cmdline | grep -q -- ' -U'"
vm_check "dom0's xenstore after the update" sh -c \
	'[ "$(xenstore-read /local/domain/0/name)" = Domain-0 ]'

# xl shutdown -w: the guest powers off, on_poweroff="destroy" (default).
id2=$(vm_domid g1)
t2=$(vm_uptime)
vm_check "xl shutdown -w g1" sh -c 'timeout 300 xl shutdown -w g1 2>/tmp/sd.err; rc=$?; cat /tmp/sd.err; exit $rc' ||
	diag "after xl shutdown -w"
vm_metric hv_shutdown_w_s "$(vm_elapsed "$t2")"
vm_check "g1 received the poweroff request (control/shutdown)" \
	grep -q "GUEST-MARKER: poweroff requested" $glog
vm_check "shutdown -w reported the outcome" grep -q -e "Domain $id2 has been shut down, reason code 0" \
	-e "Domain $id2 has been destroyed" /tmp/sd.err
vm_wait_for 60 "g1 is gone from xl list" sh -c '! xl list | grep -q "^g1 "'
vm_check "monitor log: poweroff (reason 0) handled by destroy" grep -q \
	"Action for shutdown reason code 0 is destroy" /var/log/xen/xl-g1.log
# (Xen's release build does not print its own line for this)
if xl dmesg | grep -qi xenolith; then
	vm_check "the hypervisor saw every vCPU of d$id2 go offline" sh -c \
		"xl dmesg | grep -q 'd$id2: all vCPUs offline -- powering off'"
fi
vm_check "g1 rebooted once, when asked (no triple fault)" sh -c \
	"[ \"\$(grep -c 'has shut down, reason code 1 ' /var/log/xen/xl-g1.log)\" -eq 1 ]"

# A crash kept by on_crash="preserve", then destroyed.
sed -e 's/g1/crashy/' -e 's/guest_mode=stay/guest_mode=crash/' -e 's/^on_reboot.*/on_crash = "preserve"/' \
	/tmp/g1.cfg >/tmp/crash.cfg
vm_check "xl create crashy" xl create /tmp/crash.cfg
crashed() { xl list | awk '$1 == "crashy" { print $5 }' | grep -q c; }
vm_wait_for 600 "the crashed guest stays listed (state c)" crashed || diag "no crash seen"
xl list
vm_check "monitor log: crash (reason 3) preserved" grep -q \
	"Action for shutdown reason code 3 is preserve" /var/log/xen/xl-crashy.log
t3=$(vm_uptime)
vm_check "xl destroy crashy" xl destroy crashy || diag "destroy"
vm_metric hv_destroy_s "$(vm_elapsed "$t3")"
vm_check "crashy is gone from xl list" sh -c '! xl list | grep -q "^crashy "'
# xenstored and xenconsoled let go of the guests' rings on @releaseDomain:
# then every page is back.
vm_wait_for 30 "free memory back to $free0 MiB" sh -c "[ \"\$(xc-probe physinfo | awk '\$1 == \"free_memory\" { print \$2 }')\" -ge $free0 ]" ||
	vm_log "free memory now: $(free_kb) MiB"

vm_check "dom0's vCPUs back on every pCPU" xl vcpu-pin 0 all all
# 5. Four guests at once on the two pCPUs, each printing its marker on
# its PV console; destroying them gives free memory back.
free4=$(free_kb)
cat >/tmp/idle.cfg <<CFG
type = "pvh"
kernel = "/guest/pvh-idle"
memory = 16
vcpus = 1
CFG
for i in 1 2 3 4; do
	vm_check "xl create idle$i" xl create /tmp/idle.cfg name=\"idle$i\" extra=\"idle-guest-$i\" ||
		diag "create idle$i"
done
for i in 1 2 3 4; do
	vm_wait_for 120 "idle$i printed its marker" \
		grep -q "GUEST-MARKER: pvh-idle domain [0-9]* up, cmdline 'idle-guest-$i'" \
		"/var/log/xen/console/guest-idle$i.log" || diag "idle$i marker"
done
xl list
vm_check "xl list: four guests, 16 MiB each" sh -c \
	"[ \"\$(xl list | awk '\$1 ~ /^idle[1-4]\$/ && \$3 == 16' | wc -l)\" -eq 4 ]"
vm_check "free memory went down by at least 64 MiB" [ "$(free_kb)" -le $((free4 - 64)) ]
# idle guests sleep in the hypervisor (they spun on SCHEDOP_block once)
vm_check "the idle guests used under 1 s of CPU each" sh -c \
	"xl list | awk '\$1 ~ /^idle[1-4]\$/ { n++; if (\$6 >= 1.0) bad = 1 } END { exit !(n == 4 && !bad) }'"
for i in 1 2 3 4; do
	vm_check "xl destroy idle$i" xl destroy "idle$i"
done
vm_check "no idle guest is left" sh -c '! xl list | grep -q "^idle"'
vm_wait_for 30 "free memory back to $free4 MiB after four guests" sh -c \
	"[ \"\$(xc-probe physinfo | awk '\$1 == \"free_memory\" { print \$2 }')\" -ge $free4 ]" ||
	vm_log "free memory now: $(free_kb) MiB"

# 6. Credit scheduler parameters with xl (Xenolith runs credit in its one
# pool): list, set Domain-0's weight and read it back, refuse a bad one,
# restore. The pool's time slice goes through XEN_SYSCTL_scheduler_op.
xl sched-credit
vm_check "xl sched-credit: Pool-0's parameters, Xen's header, Domain-0 at 256/0" sh -c \
	'xl sched-credit >/tmp/s &&
	 sed -n 1p /tmp/s | grep -Eqx "Cpupool Pool-0: tslice=[1-9][0-9]*ms ratelimit=[0-9]+us migration-delay=[0-9]+us" &&
	 sed -n 2p /tmp/s | grep -qx "Name  *ID Weight  Cap" && grep -qx "Domain-0  *0  *256  *0" /tmp/s'
vm_check "xl sched-credit -d 0 -w 512 -c 0" xl sched-credit -d 0 -w 512 -c 0
vm_check "xl sched-credit -d 0 reads back 512/0" sh -c \
	'[ "$(xl sched-credit -d 0 | wc -l)" = 2 ] && xl sched-credit -d 0 | grep -qx "Domain-0  *0  *512  *0"'
vm_check "xl sched-credit -d 0 -w 0 is refused, 512 kept" sh -c \
	'! xl sched-credit -d 0 -w 0 2>/tmp/e && grep -q "Cpu weight out of range" /tmp/e &&
	 xl sched-credit -d 0 | grep -qx "Domain-0  *0  *512  *0"'
vm_check "xl sched-credit -d 0 -w 256 restores Domain-0" sh -c \
	'xl sched-credit -d 0 -w 256 && xl sched-credit -d 0 | grep -qx "Domain-0  *0  *256  *0"'
ts0=$(xl sched-credit -s | sed -n 's/^Cpupool Pool-0: tslice=\([0-9]*\)ms .*/\1/p')
vm_check "xl sched-credit -s -t 20 (was ${ts0:-?}ms) reads back 20" sh -c \
	'xl sched-credit -s -t 20 && xl sched-credit -s | grep -q "^Cpupool Pool-0: tslice=20ms "'
vm_check "xl sched-credit -s -t 0 is refused" sh -c \
	'! xl sched-credit -s -t 0 2>/tmp/e && grep -q "Time slice out of range, valid range is from 1 to 1000" /tmp/e'
vm_check "time slice back to ${ts0:-?}ms" sh -c \
	"[ -n '$ts0' ] && xl sched-credit -s -t '$ts0' && xl sched-credit -s | grep -q '^Cpupool Pool-0: tslice=${ts0}ms '"
vm_check "xl sched-credit2 prints nothing: no pool runs credit2" sh -c \
	'out=$(xl sched-credit2 2>&1) && [ -z "$out" ]'
