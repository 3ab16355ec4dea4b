#!/bin/sh
# Boots xenolith with each test guest as dom0 under QEMU TCG and judges the
# serial log (TAP).  Skipped when QEMU is not installed.
set -u
B=${HV_BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HV=$B/hypervisor/xenolith
G=$B/tests/guests
QEMU=$(command -v qemu-system-x86_64 || true)
# The hypervisor is the same freestanding binary in every build flavour:
# tests/run boots it once, from the release build.
if [ -n "${XENOLITH_SKIP_QEMU:-}" ]; then
	echo "1..0 # SKIP XENOLITH_SKIP_QEMU set (booted in another build)"
	exit 0
fi
if [ -z "$QEMU" ]; then
	echo "1..0 # SKIP qemu-system-x86_64 not installed"
	exit 0
fi
for f in "$HV" "$G/pvh-basic" "$G/pvh-crash" "$G/pvh-events" "$G/pvh-ctl" "$G/pvh-bench" \
	"$G/pvh-domains" "$G/pvh-sched"; do
	if [ ! -f "$f" ]; then
		echo "not ok 1 - $f is missing: run make before make check"
		echo "1..1"
		exit 1
	fi
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fail=0

# run NAME MODULE-ARGS HV-EXTRA: boots, waits for QEMU to exit by itself
run() {
	log=$T/$1.log
	timeout 400 "$QEMU" -machine q35 -accel tcg -cpu qemu64,+svm,+npt -m 2048 \
		-smp 2 -display none -serial "file:$log" -no-reboot \
		-kernel "$HV" -append "console=com1 com1=115200,8n1 loglvl=all $3" \
		-initrd "$G/$2" </dev/null >"$T/$1.out" 2>&1
	echo $? >"$T/$1.rc"
}

check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		fail=1
		sed 's/^/# /' "$log" | tail -40
	fi
}

run basic "pvh-basic hello" "dom0_mem=256M"
check "pvh-basic: qemu exited on its own (rc $(cat "$T/basic.rc"))" '[ "$(cat "$T/basic.rc")" = 0 ]'
check "pvh-basic: Test result: SUCCESS" 'grep -q "^Test result: SUCCESS" "$log"'
check "pvh-basic: no failed check" '! grep -q "^FAIL" "$log"'
check "pvh-basic: dom0 poweroff powers the machine off" 'grep -q "Hardware Dom0 halted: powering off machine" "$log"'

run events "pvh-events" "dom0_mem=128M dom0_max_vcpus=2"
check "pvh-events: qemu exited on its own" '[ "$(cat "$T/events.rc")" = 0 ]'
check "pvh-events: Test result: SUCCESS" 'grep -q "^Test result: SUCCESS" "$log"'
check "pvh-events: no failed check" '! grep -q "^FAIL" "$log"'
check "both pCPUs up, CPU1 ticking on its own APIC timer" 'grep -q "Brought up 2 CPUs" "$log" && grep -q "CPU1: .*local timer ticking" "$log"'
check "dom0's two vCPUs placed one per pCPU" 'grep -q "CPU0 runs 1 vCPU of Dom0" "$log" && grep -q "CPU1 runs 1 vCPU of Dom0" "$log"'
check "pvh-events: no watchdog report" '! grep -q "watchdog:" "$log"'

run ctl "pvh-ctl" "dom0_mem=128M dom0_max_vcpus=2"
check "pvh-ctl: qemu exited on its own" '[ "$(cat "$T/ctl.rc")" = 0 ]'
check "pvh-ctl: Test result: SUCCESS (domctl/sysctl)" 'grep -q "^Test result: SUCCESS" "$log"'
check "pvh-ctl: no failed check" '! grep -q "^FAIL" "$log"'

run domains "pvh-domains" "dom0_mem=128M"
check "pvh-domains: qemu exited on its own" '[ "$(cat "$T/domains.rc")" = 0 ]'
check "pvh-domains: Test result: SUCCESS (build, run, destroy a domain)" 'grep -q "^Test result: SUCCESS" "$log"'
check "pvh-domains: no failed check" '! grep -q "^FAIL" "$log"'
# its triple fault counts as a crash: dom0 set HVM_PARAM_TRIPLE_FAULT_REASON
check "pvh-domains: the new domain's crash is logged, dom0 keeps running" \
	'grep -q "Domain [0-9]* shutdown: reason 3 (crash)" "$log" && ! grep -q "Hardware Dom0 crashed" "$log"'

run sched "pvh-sched" "dom0_mem=128M dom0_max_vcpus=1"
check "pvh-sched: qemu exited on its own" '[ "$(cat "$T/sched.rc")" = 0 ]'
check "pvh-sched: Test result: SUCCESS (weights 512/256 about 2:1, cap 25 holds)" 'grep -q "^Test result: SUCCESS" "$log"'
check "pvh-sched: no failed check" '! grep -q "^FAIL" "$log"'

run bench "pvh-bench" "dom0_mem=128M"
check "pvh-bench: Test result: SUCCESS" 'grep -q "^Test result: SUCCESS" "$log"'
check "pvh-bench: BENCH line $(grep -o "null_hypercall_ns=[0-9]*" "$log")" 'grep -q "^BENCH null_hypercall_ns=[0-9][0-9]* " "$log"'

run crash "pvh-crash" "dom0_mem=128M"
check "pvh-crash: qemu exited on its own" '[ "$(cat "$T/crash.rc")" = 0 ]'
# as on Xen, a triple fault asks for a reboot (HVM_PARAM_TRIPLE_FAULT_REASON)
check "pvh-crash: triple fault logged as a reboot request" 'grep -q "d0v0 triple fault at rip .*: shutdown reason 1" "$log"'
check "pvh-crash: hypervisor survived and reset the machine" 'grep -q "Hardware Dom0 shutdown: rebooting machine" "$log"'
check "pvh-crash: the fault was not ignored" '! grep -q "still running" "$log"'

run npf "pvh-crash npf" "dom0_mem=128M"
check "pvh-crash npf: unbacked GPA reads as all ones" 'grep -q "beyond RAM): 0xffffffff" "$log"'
check "pvh-crash npf: executing from a bad GPA logged as a domain crash" 'grep -q "domain_crash: Domain 0 crashed: d0v0 nested page fault" "$log"'
check "pvh-crash npf: machine reset cleanly" '[ "$(cat "$T/npf.rc")" = 0 ] && grep -q "Hardware Dom0 crashed: rebooting machine" "$log"'

# noreboot: the machine must stay up, so wait for the line, then stop QEMU
log=$T/noreboot.log
: >"$log"
"$QEMU" -machine q35 -accel tcg -cpu qemu64,+svm,+npt -m 2048 -smp 2 -display none \
	-serial "file:$log" -no-reboot -kernel "$HV" \
	-append "console=com1 com1=115200,8n1 loglvl=all dom0_mem=128M noreboot" \
	-initrd "$G/pvh-crash" </dev/null >"$T/noreboot.out" 2>&1 &
qpid=$!
i=0
while [ $i -lt 2000 ] && ! grep -q "not rebooting" "$log"; do
	sleep 0.2
	i=$((i + 1))
done
alive=no
kill -0 $qpid 2>/dev/null && alive=yes
kill $qpid 2>/dev/null
wait $qpid 2>/dev/null
check "noreboot: dom0 crash logged, machine left halted (QEMU still running: $alive)" 'grep -q "noreboot. set - not rebooting" "$log" && [ $alive = yes ]'

echo "1..$n"
exit $fail
