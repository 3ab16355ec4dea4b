# Diagnosis, not in the suite (boot Xenolith with XENOLITH_HV_ARGS=loglvl=info
# for its wake-up and exit figures per guest): the guest-to-dom0 event channel round trip
# (hv-evtchn-ping to the pvh-idle echo guest) with the guest and dom0 on
# different pCPUs, and with the scheduler's rate limit at 0:
#   tests/vm/run rtt-probe --hypervisor xenolith --tools xenolith --keep
# shellcheck shell=sh
vm_guest_console_logs
# dom0's idle: a cpuidle driver's polling state keeps a vCPU busy
echo "cpuidle driver: $(cat /sys/devices/system/cpu/cpuidle/current_driver 2>&1), governor: $(cat /sys/devices/system/cpu/cpuidle/current_governor_ro /sys/devices/system/cpu/cpuidle/current_governor 2>/dev/null | head -n 1)"
idle_states() {
	for s in /sys/devices/system/cpu/cpu*/cpuidle/state*; do
		[ -d "$s" ] && echo "$s $(cat "$s/name") usage $(cat "$s/usage") time $(cat "$s/time")"
	done
}
idle_states
rtt() { # NAME CPUS-LINE LABEL
	cat >/tmp/echo-$1.cfg <<CFG
name = "$1"
type = "pvh"
kernel = "/guest/pvh-idle"
extra = "echo"
memory = 16
vcpus = 1
$2
CFG
	xl create /tmp/echo-$1.cfg
	vm_wait_for 120 "$1 offers its echo port" grep -q "echo port [0-9]*" /var/log/xen/console/guest-$1.log
	d=$(sed -n 's/.*pvh-idle domain \([0-9]*\) echo port.*/\1/p' /var/log/xen/console/guest-$1.log | head -n 1)
	p=$(sed -n 's/.*pvh-idle domain [0-9]* echo port \([0-9]*\).*/\1/p' /var/log/xen/console/guest-$1.log | head -n 1)
	xl vcpu-list
	hv-evtchn-ping -w "$d" "$p" 1000 | sed "s/^/$1 ($3): /"
	# which dom0 vCPU runs the pinger against which takes its upcalls
	for c in 0 1; do
		hv-evtchn-ping -w -c $c "$d" "$p" 1000 | sed "s/^/$1 ($3, ping on dom0 CPU $c): /"
	done
	idle_states
	xl destroy "$1"
}
rtt free "" "placed by the scheduler"
rtt p1 'cpus = "1"' "guest on pCPU 1"
rtt p0 'cpus = "0"' "guest on pCPU 0"
xl vcpu-pin 0 all 0
rtt pin1 'cpus = "1"' "dom0 on pCPU 0, guest on pCPU 1"
xl vcpu-pin 0 all all
xl sched-credit -s -r 0
rtt rl0 "" "ratelimit 0"
xl vcpu-list
vm_check "probe done" true
