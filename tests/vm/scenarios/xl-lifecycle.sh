# The lifecycle of a PVH guest with only OUR dom0 tools (xenstored,
# xenconsoled, xl from xencommons) on either hypervisor (run by hand; see
# README "Known problems"): create with the console
# attached, list, detach with Ctrl-], reboot into a new domid through
# on_reboot="restart", shutdown -w, a crash kept by on_crash="preserve",
# destroy leaving no trace, the errors a user can act on, and twenty
# create/destroy cycles giving all memory back. Runs in dom0 (sourced).
# shellcheck shell=sh

# Guest console logs are off by default, as in Xen; turn them on.
vm_guest_console_logs
# Under QEMU TCG, a Xen 4.17 PVH guest sharing a pCPU with the PV dom0
# sometimes triple-faults (README, "Known problems"); dom0 keeps pCPU 0
# and the guest gets pCPU 1 (cpus= in its config).
vm_check "dom0's vCPUs pinned to pCPU 0" xl vcpu-pin 0 all 0

free_kb() { xc-probe physinfo | awk '$1 == "free_memory" { print $2 }'; }
state_of() { xl list | awk -v n="$1" '$1 == n { print $5 }'; }
# The guest's xenstore and our xl's view: nothing but dom0 left.
only_dom0() {
	[ "$(xenstore-list /local/domain | tr '\n' ' ')" = "0 " ] &&
		[ -z "$(xenstore-list /vm 2>/dev/null)" ] &&
		[ -z "$(xenstore-list /libxl 2>/dev/null)" ] &&
		[ "$(xl list | wc -l)" -eq 2 ]
}
# What a failed step leaves to look at.
diag() {
	vm_log "--- diagnostics: $*"
	xl list
	for d in $(xenstore-list /local/domain); do
		echo "domain $d: $(xc-probe info "$d" 2>&1 | tr '\n' ' ')"
		xenstore-ls "/local/domain/$d/control" 2>&1
	done
	vm_tails 30 /var/log/xen/xl-*.log /var/log/xen/console/guest-*.log /var/log/xen/xenstored*.log
	ps | grep -v ' \['
}
free0=$(free_kb)
xenstore-ls -f >/tmp/xs-before

cat >/tmp/stay.cfg <<CFG
name = "pvh1"
cpus = "1"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet guest_mode=stay"
memory = 256
vcpus = 2
on_reboot = "restart"
CFG
log=/var/log/xen/console/guest-pvh1.log

# 1. create -c: the console is attached before the guest runs.
t0=$(vm_uptime)
(xl create -c /tmp/stay.cfg </dev/null >/tmp/con1.out 2>/tmp/create1.err; echo "rc=$?" >/tmp/con1.rc) &
vm_wait_for 600 "guest marker through 'xl create -c'" grep -q "GUEST-MARKER: staying up" /tmp/con1.out
vm_metric create_to_marker_s "$(vm_elapsed "$t0")"
grep GUEST-MARKER /tmp/con1.out
vm_check "guest saw 2 CPUs" grep -q "GUEST-MARKER: .*, 2 CPUs," /tmp/con1.out
vm_check "the same output in $log" grep -q "GUEST-MARKER: staying up" "$log"
xl list
id1=$(vm_domid pvh1)
vm_check "xl list: pvh1 with 256 MiB and 2 vCPUs, running or blocked" sh -c \
	"xl list | awk '\$1 == \"pvh1\" && \$2 == $id1 && \$3 >= 255 && \$3 <= 257 && \$4 == 2 && \$5 ~ /^[rb-]+\$/ { f = 1 } END { exit !f }'"
vm_check "the monitor is waiting for it" grep -q "Waiting for domain pvh1 (domid $id1) to die" \
	/var/log/xen/xl-pvh1.log
vm_check "a second create of the same name is refused" sh -c \
	'! xl create /tmp/stay.cfg 2>/tmp/e && cat /tmp/e && grep -q "already in use" /tmp/e'

# 2. A second console, detached with Ctrl-].
(printf 'echo hello\r\035' | xl console pvh1 >/tmp/con2.out 2>&1; echo "rc=$?" >/tmp/con2.rc) &
vm_wait_for 60 "Ctrl-] detaches 'xl console' (exit 0)" grep -q "rc=0" /tmp/con2.rc
still_id1() { [ "$(vm_domid pvh1)" = "$id1" ]; }
vm_check "the guest is still running after the detach" still_id1

# 3. xl reboot: on_reboot="restart" brings it back under a new domid.
t1=$(vm_uptime)
vm_check "xl reboot pvh1" xl reboot pvh1
if vm_wait_for 300 "'xl create -c' ended with its domain (exit 0)" grep -q "rc=0" /tmp/con1.rc; then
	new_domid() { d=$(vm_domid pvh1); [ -n "$d" ] && [ "$d" != "$id1" ]; }
	vm_wait_for 600 "pvh1 is back with a new domid" new_domid || diag "no restart"
	id2=$(vm_domid pvh1)
	vm_wait_for 600 "the restarted guest booted (second marker in $log)" sh -c \
		"[ \"\$(grep -c 'GUEST-MARKER: staying up' $log)\" -ge 2 ]" || diag "restarted guest"
	vm_metric reboot_to_marker_s "$(vm_elapsed "$t1")"
	vm_check "monitor log: reboot (reason 1) handled by restart" grep -q \
		"Action for shutdown reason code 1 is restart" /var/log/xen/xl-pvh1.log
	vm_check "the old domain $id1 is gone" sh -c "! xc-probe info $id1 2>/dev/null"
else
	diag "after xl reboot"
	id2=$id1
fi

# 4. xl shutdown -w: the guest powers off, on_poweroff="destroy" (default).
id2=$(vm_domid pvh1)
t2=$(vm_uptime)
vm_check "xl shutdown -w pvh1" sh -c 'timeout 600 xl shutdown -w pvh1 2>/tmp/sd.err; rc=$?; cat /tmp/sd.err; exit $rc' ||
	diag "after xl shutdown -w"
vm_metric shutdown_w_s "$(vm_elapsed "$t2")"
vm_check "shutdown -w reported the outcome" grep -q -e "Domain $id2 has been shut down, reason code 0" \
	-e "Domain $id2 has been destroyed" /tmp/sd.err
vm_wait_for 60 "pvh1 is gone from xl list" sh -c '! xl list | grep -q "^pvh1 "'
vm_check "monitor log: poweroff (reason 0) handled by destroy" grep -q \
	"Action for shutdown reason code 0 is destroy" /var/log/xen/xl-pvh1.log
cat /var/log/xen/xl-pvh1.log
once_rebooted() { [ "$(grep -c 'has shut down, reason code 1 ' /var/log/xen/xl-pvh1.log)" -eq 1 ]; }
vm_check "pvh1 rebooted once, when asked (no triple fault)" once_rebooted ||
	xl dmesg | grep -A3 "Triple fault"

# 5. A crash kept by on_crash="preserve", then destroyed.
sed -e 's/pvh1/crashy/' -e 's/guest_mode=stay/guest_mode=crash/' -e 's/^on_reboot.*/on_crash = "preserve"/' \
	/tmp/stay.cfg >/tmp/crash.cfg
vm_check "xl create crashy" xl create /tmp/crash.cfg
crashed() { state_of crashy | grep -q c; }
vm_wait_for 600 "the crashed guest stays listed (state c)" crashed || diag "no crash seen"
xl list
vm_check "monitor log: crash (reason 3) preserved" grep -q \
	"Action for shutdown reason code 3 is preserve" /var/log/xen/xl-crashy.log
t3=$(vm_uptime)
vm_check "xl destroy crashy" xl destroy crashy
vm_metric xl_destroy_s "$(vm_elapsed "$t3")"
vm_wait_for 60 "xl destroy removed every trace (xenstore, xl list)" only_dom0
xenstore-ls -f | grep -v -e '^/vm = ""$' -e '^/libxl = ""$' >/tmp/xs-after
vm_check "xenstore as before the guests" diff /tmp/xs-before /tmp/xs-after
free_at_least() { [ "$(free_kb)" -ge "$1" ]; }
vm_wait_for 60 "free memory back to where it started" free_at_least "$free0"

# 6. Errors a user can act on, each leaving nothing behind.
vm_check "a missing kernel is named" sh -c \
	'! xl create /tmp/stay.cfg kernel=\"/nonexistent/vmlinuz\" 2>/tmp/e && cat /tmp/e && grep -q /nonexistent/vmlinuz /tmp/e'
vm_check "too much memory is refused with the free amount" sh -c \
	'! xl create /tmp/stay.cfg memory=100000 2>/tmp/e && cat /tmp/e && grep -q "MiB are free" /tmp/e'
vm_check "an HVM config is refused with the reason" sh -c \
	'printf "name=\"h\"\ntype=\"hvm\"\nmemory=64\n" >/tmp/h.cfg; ! xl create /tmp/h.cfg 2>/tmp/e && cat /tmp/e && grep -q "HVM guests (type=\"hvm\", builder=\"hvm\") cannot be started yet: there is no device model" /tmp/e'
vm_check "xl shutdown of an unknown domain names it" sh -c \
	'! xl shutdown nosuch 2>/tmp/e && cat /tmp/e && grep -q "nosuch is an invalid domain identifier" /tmp/e'
vm_check "nothing left behind by the failures" only_dom0

# 7. Twenty create/destroy cycles give all memory back.
free1=$(free_kb)
i=0
ok=1
while [ $i -lt 20 ]; do
	i=$((i + 1))
	if ! xl create -q -p /tmp/stay.cfg name=\"cyc$i\" memory=128 2>/tmp/e; then
		cat /tmp/e
		ok=0
		break
	fi
	xl destroy "cyc$i" || { ok=0; break; }
done
vm_check "20 create/destroy cycles" [ $ok = 1 ]
vm_wait_for 60 "after 20 cycles free memory is where it started" free_at_least "$free1"
vm_log "free memory: start $free0 MiB, before cycles $free1 MiB, after $(free_kb) MiB"
vm_check "and nothing is left" only_dom0
