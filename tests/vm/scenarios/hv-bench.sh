# The pvh-bench test kernel as a PVH domU created by the toolstack (on Xen
# 4.17 a PVH dom0 cannot run under TCG, so the guest that is dom0 on
# xenolith is a domU here).  Its BENCH line is read from the guest console
# log and repeated on dom0's console for the host to parse.
# Runs in dom0 (sourced).
# shellcheck shell=sh

cat >/tmp/bench.cfg <<CFG
name = "bench"
type = "pvh"
kernel = "/guest/pvh-bench"
memory = 64
vcpus = 1
on_poweroff = "destroy"
on_crash = "destroy"
CFG

log=/var/log/xen/console/guest-bench.log
if vm_check "xl create pvh-bench" xl create /tmp/bench.cfg; then
	vm_wait_for 300 "pvh-bench verdict in $log" grep -q "Test result:" "$log"
	cat "$log"
	vm_check "pvh-bench: SUCCESS" grep -q "Test result: SUCCESS" "$log"
	line=$(grep -o "BENCH null_hypercall_ns=[0-9]*.*" "$log" | tr -d '\r' | head -n 1)
	vm_check "pvh-bench printed its BENCH line" test -n "$line"
	echo "HV-$line"
	vm_wait_for 60 "bench guest gone from xl list" sh -c '! xl list | grep -q "^bench "'
fi
