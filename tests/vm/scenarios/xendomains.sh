# xendomains (scripts/xendomains.in) as a distribution runs it at boot and
# at shutdown, with only our tools: `start` creates the guests whose
# configs are in /etc/xen/auto (a file and a symlink; a broken config is
# named and the others still start), a second start is a no-op, `status`
# names the guests up and missing; `xl sysrq` reaches a guest; `stop`
# says once that this xl cannot save guests (XENDOMAINS_SAVE is set by
# default), sends XENDOMAINS_SYSRQ to the auto guests and shuts them down
# first (XENDOMAINS_AUTO_ONLY), then the rest (XENDOMAINS_SHUTDOWN_ALL);
# every guest powers off through its PV control driver and nothing is
# left.  Runs in dom0 (sourced).
# shellcheck shell=sh

vm_guest_console_logs
# Dom0 on pCPU 0, the guests on pCPU 1: README, "Known problems".
vm_check "dom0's vCPUs pinned to pCPU 0" xl vcpu-pin 0 all 0

glog() { echo "/var/log/xen/console/guest-$1.log"; }
diag() {
	vm_log "--- diagnostics: $*"
	xl list
	xl dmesg | tail -n 30
	vm_tails 40 /var/log/xen/xl-*.log /var/log/xen/console/guest-*.log
}
cfg() {
	cat <<CFG
name = "$1"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 guest_mode=stay"
memory = 256
cpus = "1"
CFG
}
running() { xl list | awk -v n="$1" '$1 == n { f = 1 } END { exit !f }'; }
up() { grep -q "GUEST-MARKER: staying up" "$(glog "$1")"; }
xd=/etc/init.d/xendomains

vm_check "xendomains is installed, /etc/init.d/xendomains its link" test -x "$xd"
mkdir -p /etc/xen/auto
cfg auto1 >/etc/xen/auto/auto1
cfg auto2 >/etc/xen/auto2.cfg
ln -s /etc/xen/auto2.cfg /etc/xen/auto/auto2
printf 'name = "bad"\nmemory = "lots"\n' >/etc/xen/auto/zz-bad
# Xen's settings file, all defaults but no pause between creates, and a
# SysRq key (s: sync) sent to each auto guest before it is shut down.
echo "XENDOMAINS_CREATE_USLEEP=0" >>/etc/default/xendomains
echo 'XENDOMAINS_SYSRQ="s"' >>/etc/default/xendomains

"$xd" start >/tmp/xd-start.out 2>&1
rc=$?
vm_log "xendomains start: rc=$rc: $(cat /tmp/xd-start.out)"
vm_check "start fails overall (a broken config), naming its file, line and key" sh -c \
	"[ $rc -ne 0 ] && grep -q '^/etc/xen/auto/zz-bad:2: memory: ' /tmp/xd-start.out"
vm_check "start went through the auto directory in order" \
	grep -q '^Starting auto Xen domains: auto1 auto2 zz-bad(failed)' /tmp/xd-start.out
vm_check "auto1 (a config file) was created" running auto1
vm_check "auto2 (a symlink to one) was created" running auto2
vm_wait_for 600 "auto1 is up" up auto1 || diag auto1
vm_wait_for 600 "auto2 is up" up auto2 || diag auto2
vm_check "a second start does nothing (lockfile)" sh -c \
	"'$xd' start | grep -q 'xendomains already running (lockfile'"
vm_check "status: both auto guests running" sh -c \
	"'$xd' status | grep -qx 'xendomains: running: auto1 auto2; not running: zz-bad'"
rm /etc/xen/auto/zz-bad
vm_check "status is 0 once every auto guest runs" "$xd" status
vm_check "xl destroy auto2" xl destroy auto2
out=$("$xd" status)
rc=$?
vm_check "status then says auto2 is missing, status 1" sh -c \
	"[ $rc -eq 1 ] && [ '$out' = 'xendomains: running: auto1; not running: auto2' ]"

# xl sysrq: the key reaches the guest's PV control driver.
vm_check "xl sysrq auto1 h" xl sysrq auto1 h
vm_wait_for 60 "auto1's kernel answered SysRq h (its help line)" \
	grep -q "sysrq: HELP" "$(glog auto1)" || diag sysrq

# A guest started by hand: not in /etc/xen/auto.
cfg manual >/tmp/manual.cfg
vm_check "xl create manual (outside /etc/xen/auto)" xl create /tmp/manual.cfg
vm_wait_for 600 "manual is up" up manual || diag manual

"$xd" stop >/tmp/xd-stop.out 2>&1
rc=$?
vm_log "xendomains stop: rc=$rc: $(cat /tmp/xd-stop.out)"
vm_check "stop succeeds" test "$rc" -eq 0
vm_check "stop says this xl cannot save, and shuts down instead" grep -q \
	'XENDOMAINS_SAVE is set, but this xl cannot save domains: shutting down instead' /tmp/xd-stop.out
vm_check "the auto guest first, the other skipped (XENDOMAINS_AUTO_ONLY)" sh -c \
	"grep -q ' auto1(SR-s)(shut)' /tmp/xd-stop.out && grep -q ' manual(skip)' /tmp/xd-stop.out"
vm_check "XENDOMAINS_SYSRQ reached auto1 (Emergency Sync)" \
	grep -q "sysrq: Emergency Sync" "$(glog auto1)"
vm_check "then all the others (XENDOMAINS_SHUTDOWN_ALL)" grep -q \
	'Shutting down all other Xen domains (.*shutdown --all --wait)' /tmp/xd-stop.out
vm_check "both powered off through their PV control driver" sh -c \
	"grep -q 'GUEST-MARKER: poweroff requested' '$(glog auto1)' &&
	 grep -q 'GUEST-MARKER: poweroff requested' '$(glog manual)'"
vm_check "no guest left" sh -c "[ \$(xl list | wc -l) -eq 2 ]"
out=$("$xd" status)
vm_check "status after stop: not running (3)" sh -c \
	"[ \$('$xd' status >/dev/null; echo \$?) -eq 3 ] && [ '$out' = 'xendomains is not running (no lockfile /var/lock/xendomains)' ]"
