# xl's domain-management commands against reality, on a guest created
# paused (no guest boot needed): list (-v, -l, one domain, errors), info,
# domid/domname, pause/unpause, rename, vcpu-list/-pin/-set, mem-max/-set,
# dmesg, uptime, then destroy. The same checks hold for Debian's xl
# (--tools xen-4.17), whose outputs are printed between XL-OUT markers so
# they can be kept as test data. Runs in dom0 (sourced).
# shellcheck shell=sh

if [ -x /usr/lib/xen-4.17/bin/xl ]; then tools=xen-4.17; else tools=xenolith; fi
vm_log "xl-manage with $tools tools"

# out NAME CMD...: the command's output and status, for the record.
out() {
	name=$1
	shift
	echo "XL-OUT-BEGIN $name"
	"$@" 2>&1
	echo "XL-OUT-END $name rc=$?"
}

# state_has NAME RE: the state letters (column 5) in `xl list` match RE.
state_has() {
	xl list | awk -v n="$1" -v re="$2" '$1 == n { f = 1; ok = ($5 ~ re) } END { exit !(f && ok) }'
}

# affinity_is NAME VCPU "HARD / SOFT": the last columns of `xl vcpu-list`.
affinity_is() {
	got=$(xl vcpu-list "$1" | awk -v n="$1" -v v="$2" '$1 == n && $3 == v { print $(NF-2), $(NF-1), $NF }')
	[ "$got" = "$3" ] && return 0
	echo "vCPU $2 affinity: '$got', expected '$3'"
	return 1
}

cat >/tmp/mg.cfg <<CFG
name = "mg1"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet"
memory = 256
maxmem = 512
vcpus = 2
CFG

out info xl info
keys=""
for key in host release version machine nr_cpus max_cpu_id nr_nodes cores_per_socket \
	threads_per_core cpu_mhz hw_caps virt_caps total_memory free_memory \
	sharing_freed_memory sharing_used_memory outstanding_claims free_cpus xen_major \
	xen_minor xen_extra xen_version xen_caps xen_scheduler xen_pagesize platform_params \
	xen_changeset xen_commandline cc_compiler cc_compile_by cc_compile_domain \
	cc_compile_date build_id xend_config_format; do
	xl info | grep -q "^$key *: " || vm_fail "xl info has no $key line"
	keys="$keys$key "
done
vm_check "xl info keys in Xen's order" sh -c \
	"[ \"\$(xl info | cut -d: -f1 | tr -s ' \\n' ' ')\" = '$keys' ]"
vm_check "xl info shows Xen 4.17" sh -c '[ "$(xl info xen_major)" = 4 ] && [ "$(xl info xen_minor)" = 17 ]'
vm_check "xl info KEY prints only the value" sh -c 'xl info nr_cpus | grep -qx "[0-9]*"'
vm_check "xl info counts 2 CPUs and a credit-family scheduler" sh -c \
	'[ "$(xl info nr_cpus)" = 2 ] && xl info xen_scheduler | grep -q credit'
free0=$(xl info free_memory)

t0=$(vm_uptime)
vm_check "xl create -p" xl create -p /tmp/mg.cfg
vm_metric xl_create_paused_s "$(vm_elapsed "$t0")"
id=$(xl domid mg1)
vm_check "xl domid mg1 is a number" sh -c "[ -n '$id' ] && [ '$id' -gt 0 ]"
vm_check "xl domname $id is mg1" sh -c "[ \"\$(xl domname $id)\" = mg1 ]"
out domid-unknown xl domid nosuch
out domname-unknown xl domname 999
out domname-invalid xl domname abc

free1=$(xl info free_memory)
vm_log "free_memory before $free0 MiB, after $free1 MiB"
vm_check "free_memory dropped by the guest's 256 MiB" sh -c "[ \$(($free0 - $free1)) -ge 256 ]"

out list xl list
out list-v xl list -v
out list-one xl list mg1
out list-unknown-name xl list nosuch
out list-unknown-id xl list 99
# Paused before its kernel ran: one vCPU online (the guest brings up the
# second), 256 MiB.
vm_check "xl list: mg1 paused (--p---), 1 vCPU online, 256 MiB" sh -c \
	'xl list | awk "\$1 == \"mg1\" && \$5 == \"--p---\" && \$4 == 1 && \$3 >= 255 && \$3 <= 257 { f = 1 } END { exit !f }"'
vm_check "xl list header is Xen's" sh -c \
	'xl list | head -n 1 | grep -q "^Name  *ID   Mem VCPUs	State	Time(s)$"'
vm_check "xl list mg1 lists only mg1" sh -c '[ "$(xl list mg1 | wc -l)" = 2 ] && xl list mg1 | grep -q "^mg1 "'
vm_check "xl list of an unknown name fails" sh -c \
	'! xl list nosuch 2>/tmp/e && grep -q "nosuch is an invalid domain identifier" /tmp/e'
vm_check "xl list of an unknown id fails" sh -c \
	'! xl list 99 2>/tmp/e && grep -q "Domain .99. does not exist" /tmp/e'
uuid=$(xenstore-read "/local/domain/$id/vm" | sed 's,^/vm/,,')
vm_check "xl list -v shows the UUID $uuid" sh -c "xl list -v | grep '^mg1 ' | grep -q ' $uuid '"

out list-l xl list -l
vm_check "xl list -l: balanced JSON naming mg1 and its domid" sh -c "
	xl list -l >/tmp/l.json &&
	awk '{ o += gsub(/[{[]/, \"\"); c += gsub(/[]}]/, \"\") } END { exit !(o == c && o > 2) }' /tmp/l.json &&
	grep -q '\"domid\": $id' /tmp/l.json && grep -q '\"name\": \"mg1\"' /tmp/l.json &&
	grep -q '\"max_vcpus\": 2' /tmp/l.json && head -n 1 /tmp/l.json | grep -qx '\\[' &&
	grep -q '\"name\": \"Domain-0\"' /tmp/l.json"

out list-n xl list -n
out list-c xl list -c
out list-Z xl list -Z
out info-n xl info -n
vm_check "xl list -n: mg1's NODE Affinity is all" sh -c \
	'xl list -n | head -n 1 | grep -q " NODE Affinity$" && xl list -n | grep "^mg1 " | grep -q " all$"'
vm_check "xl list -c: mg1 is in Pool-0" sh -c \
	'xl list -c | head -n 1 | grep -q "         Cpupool$" && xl list -c | grep "^mg1 " | grep -q " Pool-0$"'
vm_check "xl info -n: CPU topology and NUMA tables" sh -c \
	'xl info -n >/tmp/n && grep -q "^cpu:    core    socket     node$" /tmp/n &&
	 grep -q "^  1:  " /tmp/n && grep -q "^node:    memsize    memfree    distances$" /tmp/n &&
	 grep -q "^   0:  " /tmp/n && grep -q "^xend_config_format" /tmp/n'

# pause/unpause: create -p left one pause; unpause runs it, pause stops it.
# While it runs, mg1 stays off dom0's pCPU: Xen 4.17 guests sharing one
# with the PV dom0 sometimes triple-fault under TCG (README, "Known problems").
vm_check "dom0 on pCPU 0, mg1 on pCPU 1 while it runs" sh -c 'xl vcpu-pin 0 all 0 && xl vcpu-pin mg1 all 1'
vm_check "xl unpause mg1" xl unpause mg1
vm_check "state has no p after unpause" state_has mg1 "^[-rb][-rb]-"
vm_check "xl pause mg1" xl pause mg1
vm_check "state has p after pause" state_has mg1 "^..p"
out pause-unknown xl pause nosuch

# rename
vm_check "xl rename mg1 mg2" xl rename mg1 mg2
vm_check "xl list shows mg2, xenstore has it in both places" sh -c \
	"xl list | grep -q '^mg2 ' && ! xl list | grep -q '^mg1 ' &&
	 [ \"\$(xenstore-read /local/domain/$id/name)\" = mg2 ] &&
	 [ \"\$(xenstore-read /vm/$uuid/name)\" = mg2 ]"
out rename-taken xl rename mg2 Domain-0
vm_check "renaming to a name in use is refused" sh -c \
	'! xl rename mg2 Domain-0 2>/tmp/e && grep -q "Can.t rename domain .mg2." /tmp/e && xl list | grep -q "^mg2 "'
vm_check "xl rename mg2 mg1" xl rename mg2 mg1

# vCPUs
out vcpu-list xl vcpu-list
out vcpu-list-one xl vcpu-list mg1
vm_check "xl vcpu-list mg1 shows 2 vCPUs" sh -c '[ "$(xl vcpu-list mg1 | awk "\$1 == \"mg1\"" | wc -l)" = 2 ]'
vm_check "xl vcpu-list header is Xen's" sh -c \
	'xl vcpu-list | head -n 1 | grep -q "^Name  *ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)$"'
vm_check "vCPU 0 has the pin set before unpause (1 / all)" affinity_is mg1 0 "1 / all"
vm_check "xl vcpu-pin mg1 0 1" xl vcpu-pin mg1 0 1
vm_check "vCPU 0 hard affinity is now 1" affinity_is mg1 0 "1 / all"
vm_check "xl vcpu-pin mg1 all 0 1" xl vcpu-pin mg1 all 0 1
vm_check "vCPU 0: hard 0, soft 1" affinity_is mg1 0 "0 / 1"
vm_check "vCPU 1: hard 0, soft 1" affinity_is mg1 1 "0 / 1"
vm_check "xl vcpu-pin mg1 all all all" xl vcpu-pin mg1 all all all
# cpus= / cpus_soft= take effect at create: a list gives vCPU i item i,
# a string gives every vCPU the same set (libxl's rules).
sed -e 's/"mg1"/"mg2"/' /tmp/mg.cfg >/tmp/mg2.cfg
printf 'cpus = ["1", "0"]\ncpus_soft = "1"\n' >>/tmp/mg2.cfg
vm_check "xl create -p with cpus= (list) and cpus_soft= (string)" xl create -p /tmp/mg2.cfg
vm_check "cpus=: vCPU 0 hard 1, soft 1" affinity_is mg2 0 "1 / 1"
vm_check "cpus=: vCPU 1 hard 0, soft 1" affinity_is mg2 1 "0 / 1"
vm_check "xl destroy mg2" xl destroy mg2
sed -e 's/"mg1"/"mg3"/' /tmp/mg.cfg >/tmp/mg3.cfg && echo 'cpus = "5"' >>/tmp/mg3.cfg
vm_check "cpus= naming no CPU of the host is refused, leaving no domain" sh -c \
	'! xl create -p /tmp/mg3.cfg 2>/tmp/mg3.err && cat /tmp/mg3.err &&
	 grep -q "vCPU 0 would run on no CPU" /tmp/mg3.err && ! xl domid mg3 2>/dev/null'
out vcpu-pin-bad xl vcpu-pin mg1 x 0
out vcpu-pin-dryrun xl -N vcpu-pin mg1 0 "0-1,^1"
vm_check "xl vcpu-set mg1 1" xl vcpu-set mg1 1
vm_check "cpu/1 offline, cpu/0 online in xenstore" sh -c \
	"[ \"\$(xenstore-read /local/domain/$id/cpu/1/availability)\" = offline ] &&
	 [ \"\$(xenstore-read /local/domain/$id/cpu/0/availability)\" = online ]"
out vcpu-set-over xl vcpu-set mg1 3
out vcpu-set-over-i xl vcpu-set -i mg1 3
vm_check "xl vcpu-set -i mg1 3 is refused (maxvcpus 2)" sh -c '! xl vcpu-set -i mg1 3'
vm_check "xl vcpu-set mg1 2" xl vcpu-set mg1 2
vm_check "cpu/1 online again" sh -c "[ \"\$(xenstore-read /local/domain/$id/cpu/1/availability)\" = online ]"

# memory
vm_check "xl mem-max mg1 400m" xl mem-max mg1 400m
out mem-max-low xl mem-max mg1 100
vm_check "xl mem-max below the target is refused" sh -c '! xl mem-max mg1 100'
out mem-bad xl mem-set mg1 12x
vm_check "xl mem-set mg1 200m" xl mem-set mg1 200m
out mem-target xenstore-read "/local/domain/$id/memory/target"
out mem-static-max xenstore-read "/local/domain/$id/memory/static-max"
out vm-memory xenstore-read "/vm/$uuid/memory"
vm_check "memory/target is 200 MiB in xenstore" sh -c \
	"[ \"\$(xenstore-read /local/domain/$id/memory/target)\" = 204800 ]"
vm_check "mem-max 400m set memory/static-max" sh -c \
	"[ \"\$(xenstore-read /local/domain/$id/memory/static-max)\" = 409600 ]"
vm_check "/vm/UUID/memory is 200" sh -c "[ \"\$(xenstore-read /vm/$uuid/memory)\" = 200 ]"
vm_check "xl mem-set above static-max (512 MiB) is refused" sh -c '! xl mem-set mg1 600m'
out mem-set-high xl mem-set mg1 600m
out list-l-after xl list -l mg1
vm_check "xl list -l reports the new target and maximum" sh -c \
	"xl list -l mg1 | grep -q '\"target_memkb\": 204800' && xl list -l mg1 | grep -q '\"max_memkb\": 409600'"

# hypervisor log and uptime
out dmesg-head sh -c 'xl dmesg | head -n 5'
vm_check "xl dmesg shows Xen's boot lines" sh -c 'xl dmesg | grep -q "Xen version 4.17"'
out uptime xl uptime
out uptime-s xl uptime -s mg1
vm_check "xl uptime lists Domain-0 and mg1" sh -c \
	'xl uptime | head -n 1 | grep -q "^Name  *ID Uptime$" && xl uptime | grep -q "^Domain-0  *0 " && xl uptime | grep -q "^mg1 "'
vm_check "xl uptime -s mg1" sh -c "xl uptime -s mg1 | grep -q '^ [0-9:]* up .*, mg1 ($id)\$'"

t1=$(vm_uptime)
vm_check "xl destroy mg1" xl destroy mg1
vm_metric xl_destroy_s "$(vm_elapsed "$t1")"
vm_wait_for 30 "mg1 gone from xl list" sh -c '! xl list | grep -q "^mg1 "'
free2=$(xl info free_memory)
vm_log "free_memory after destroy $free2 MiB"
vm_check "free_memory back where it started" sh -c "[ \$(($free0 - $free2)) -le 1 ]"

# Schedulers. Xen 4.17 boots credit2, so Pool-0 is credit2: sched-credit2
# lists it, sched-credit prints nothing. A guest created paused is enough.
sed -e 's/"mg1"/"sc1"/' /tmp/mg.cfg >/tmp/sc1.cfg
vm_check "xl create -p sc1 (scheduler checks)" xl create -p /tmp/sc1.cfg
out sched-credit2 xl sched-credit2
out sched-credit xl sched-credit
out sched-credit-s xl sched-credit -s
out sched-credit2-s xl sched-credit2 -s
vm_check "xl sched-credit2: Pool-0's ratelimit, then Xen's header" sh -c \
	'xl sched-credit2 >/tmp/s && sed -n 1p /tmp/s | grep -qx "Cpupool Pool-0: ratelimit=[0-9]*us" &&
	 sed -n 2p /tmp/s | grep -qx "Name  *ID Weight  Cap"'
vm_check "xl sched-credit2: Domain-0 and sc1 at weight 256, cap 0" sh -c \
	'xl sched-credit2 | grep -qx "Domain-0  *0  *256  *0" && xl sched-credit2 | grep -qx "sc1  *[0-9]*  *256  *0"'
vm_check "xl sched-credit2 -s shows the same pool line" sh -c \
	'[ "$(xl sched-credit2 -s)" = "$(xl sched-credit2 | head -n 1)" ]'
vm_check "xl sched-credit2 -d sc1 -w 512" xl sched-credit2 -d sc1 -w 512
out sched-credit2-d xl sched-credit2 -d sc1
vm_check "xl sched-credit2 -d sc1: header and weight 512, cap 0" sh -c \
	'[ "$(xl sched-credit2 -d sc1 | wc -l)" = 2 ] && xl sched-credit2 -d sc1 | grep -qx "sc1  *[0-9]*  *512  *0"'
vm_check "--domain/--cap: cap 150 of sc1's 2 vCPUs, weight kept" sh -c \
	'xl sched-credit2 --domain=sc1 --cap=150 && xl sched-credit2 -d sc1 | grep -qx "sc1  *[0-9]*  *512  *150"'
out sched-credit2-w0 xl sched-credit2 -d sc1 -w 0
out sched-credit2-w70000 xl sched-credit2 -d sc1 -w 70000
out sched-credit2-c250 xl sched-credit2 -d sc1 -c 250
for bad in "-w 0" "-w 70000"; do
	vm_check "xl sched-credit2 -d sc1 $bad is refused, nothing changes" sh -c \
		"! xl sched-credit2 -d sc1 $bad 2>/tmp/e && cat /tmp/e &&
		 grep -q 'Cpu weight out of range, valid values are within range from 1 to 65535' /tmp/e &&
		 xl sched-credit2 -d sc1 | grep -qx 'sc1  *[0-9]*  *512  *150'"
done
vm_check "xl sched-credit2 -d sc1 -c 250 is refused (2 vCPUs: at most 200)" sh -c \
	"! xl sched-credit2 -d sc1 -c 250 2>/tmp/e && cat /tmp/e &&
	 grep -q 'Cpu cap out of range, valid range is from 0 to 200' /tmp/e &&
	 xl sched-credit2 -d sc1 | grep -qx 'sc1  *[0-9]*  *512  *150'"
vm_check "xl sched-credit2 -d sc1 -w 256 -c 0 restores the defaults" sh -c \
	'xl sched-credit2 -d sc1 -w 256 -c 0 && xl sched-credit2 -d sc1 | grep -qx "sc1  *[0-9]*  *256  *0"'
vm_check "xl sched-credit prints nothing: no pool runs credit" sh -c \
	'out=$(xl sched-credit 2>&1) && [ -z "$out" ]'
vm_check "xl sched-credit -d sc1 names the scheduler it found" sh -c \
	'! xl sched-credit -d sc1 2>/tmp/e && grep -q "returned credit2 not credit" /tmp/e'
vm_check "xl sched-credit -d sc1 -s is refused" sh -c \
	'! xl sched-credit -d sc1 -s 2>/tmp/e &&
	 grep -qx "Specifying a cpupool or schedparam is not allowed with domain options." /tmp/e'
vm_check "xl sched-credit2 -w 5 without -d is refused" sh -c \
	'! xl sched-credit2 -w 5 2>/tmp/e && grep -qx "Must specify a domain." /tmp/e'
vm_check "xl sched-credit2 -p nosuch: unknown cpupool" sh -c \
	'! xl sched-credit2 -p nosuch 2>/tmp/e && grep -q "unknown cpupool .nosuch." /tmp/e'
vm_check "xl sched-credit2 -p Pool-0 lists sc1" sh -c 'xl sched-credit2 -p Pool-0 | grep -q "^sc1 "'
# Pool-wide ratelimit through XEN_SYSCTL_scheduler_op, then back.
rl0=$(xl sched-credit2 -s | sed -n 's/^Cpupool Pool-0: ratelimit=\([0-9]*\)us$/\1/p')
vm_check "xl sched-credit2 -s -r 2000 (was ${rl0:-?}us)" sh -c \
	'xl sched-credit2 -s -r 2000 && xl sched-credit2 -s | grep -qx "Cpupool Pool-0: ratelimit=2000us"'
vm_check "xl sched-credit2 -s -r 50 is refused, 2000 kept" sh -c \
	'! xl sched-credit2 -s -r 50 2>/tmp/e && grep -q "Ratelimit out of range, valid range is from 100 to 500000" /tmp/e &&
	 xl sched-credit2 -s | grep -qx "Cpupool Pool-0: ratelimit=2000us"'
vm_check "ratelimit back to ${rl0:-?}us" sh -c \
	"[ -n '$rl0' ] && xl sched-credit2 -s -r '$rl0' && xl sched-credit2 -s | grep -qx 'Cpupool Pool-0: ratelimit=${rl0}us'"
vm_check "xl destroy sc1" xl destroy sc1
vm_wait_for 30 "sc1 gone from xl list" sh -c '! xl list | grep -q "^sc1 "'
