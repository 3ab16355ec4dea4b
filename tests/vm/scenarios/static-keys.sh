# Linux rewrites its own code at run time (static keys, alternatives):
# text_poke_bp() puts an INT3 over the instruction, writes the new one and
# takes the INT3 away, while the other vCPU runs through that code.  Here
# dom0 flips the schedstats static key (sites in the scheduler, hit from
# interrupt context) 1500 times while both vCPUs fork and take IPIs.
# Under QEMU's multi-threaded TCG a vCPU can keep a translation of the
# INT3 after it is gone from memory; before the hypervisor caught that
# (arch/x86/swint.c) dom0 hung here within a minute.  A hang is the
# failure: the watchdog reports it and the scenario runs out of time.
# Runs in dom0 (sourced).
# shellcheck shell=sh

key=/proc/sys/kernel/sched_schedstats
vm_check "schedstats static key present" test -w $key
forks() { n=0; while [ $n -lt 1500 ]; do n=$((n + 1)); cat /proc/uptime >/dev/null; done; }
forks &
forks &
i=0
while [ $i -lt 1500 ]; do
	echo 1 >$key
	echo 0 >$key
	i=$((i + 1))
	[ $((i % 500)) = 0 ] && vm_log "static key flips: $i at $(cut -d' ' -f1 /proc/uptime) s"
done
wait
vm_check "1500 static key flips, both vCPUs still running" \
	sh -c '[ "$(grep -c ^processor /proc/cpuinfo)" -eq 2 ] && [ "$(cat '$key')" = 0 ]'
