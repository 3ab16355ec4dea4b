# libxc against a real Xen 4.17: what our libxenctrl reads (xc-probe) must
# agree with what Xen's own xl reports on the same host, and our pause and
# unpause must act on a real domain. Runs in the test dom0 (sourced).
# shellcheck shell=sh

xl info >/tmp/xl-info
xc-probe version >/tmp/xc-version
xc-probe physinfo >/tmp/xc-physinfo
cat /tmp/xc-version /tmp/xc-physinfo

# same_value DESC KEY FILE_A FILE_B: "KEY value" / "KEY : value" lines agree.
same_value() {
	a=$(awk -v k="$2" '$1 == k { print $NF; exit }' "$3")
	b=$(awk -v k="$2" '$1 == k { print $NF; exit }' "$4")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		vm_pass "$1: $2 = $a"
	else
		vm_fail "$1: $2 ours '$a' vs xl '$b'"
	fi
}
same_value "xen_version" xen_major /tmp/xc-version /tmp/xl-info
same_value "xen_version" xen_minor /tmp/xc-version /tmp/xl-info
same_value "physinfo" nr_cpus /tmp/xc-physinfo /tmp/xl-info
same_value "physinfo" total_memory /tmp/xc-physinfo /tmp/xl-info
same_value "physinfo" threads_per_core /tmp/xc-physinfo /tmp/xl-info
vm_check "physinfo advertises hvm, hap and grant tables v1" sh -c \
	'c=$(awk "\$1 == \"capabilities\" { print \$2 }" /tmp/xc-physinfo); [ $((c & 0x109)) -eq $((0x109)) ]'

# Dom0's memory as xl list shows it (MiB) and as getdomaininfolist says.
xl_mem=$(xl list | awk '$1 == "Domain-0" { print $3 }')
xc_mem=$(xc-probe list | awk '$2 == 0 { print int($4 / 1024) }')
vm_check "dom0 memory: ours ${xc_mem} MiB, xl ${xl_mem} MiB" [ -n "$xc_mem" ] && [ "$xc_mem" = "$xl_mem" ]

xc-probe dmesg >/tmp/xc-dmesg
xl dmesg >/tmp/xl-dmesg
vm_check "readconsole starts like xl dmesg" sh -c \
	'[ -s /tmp/xc-dmesg ] && [ "$(head -n 3 /tmp/xc-dmesg)" = "$(head -n 3 /tmp/xl-dmesg)" ]'

vm_check "event channel loopback (xenevtchn)" xc-probe evtchn-loop
vm_check "grant loopback (xengntshr + xengnttab)" xc-probe grant-loop

vm_check "getdomaininfo of a missing domain fails with ESRCH" sh -c \
	'! xc-probe info 4242 2>/tmp/err && grep -q "No such process" /tmp/err'

# A real guest created paused by Xen's xl: our view and our pause control.
cat >/tmp/p.cfg <<CFG
name = "probe"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet"
memory = 128
vcpus = 2
CFG
if vm_check "xl create -p" xl create -p /tmp/p.cfg; then
	id=$(xl domid probe)
	xc-probe info "$id"
	xc-probe start-info "$id" >/tmp/si
	cat /tmp/si
	vm_check "HVM context + foreign map: start_info magic" grep -q "magic 0x336ec578" /tmp/si
	vm_check "foreign map: guest command line as configured" \
		grep -q "cmdline 'console=hvc0 quiet'" /tmp/si
	# A PVH guest starts with only vCPU 0 online; the guest brings up the rest.
	vm_check "paused guest: vCPU 0 of 0..1 online, paused, hvm" sh -c \
		"xc-probe info $id | grep -q 'vcpus 1 max_vcpu_id 1 flags .* paused hvm'"
	vm_check "guest memory about 128 MiB" sh -c \
		"k=\$(xc-probe info $id | awk '{ print \$4 }'); [ \$k -ge 126000 ] && [ \$k -le 140000 ]"
	vm_check "xc_domain_unpause" xc-probe unpause "$id"
	vm_check "xl list no longer shows it paused" sh -c \
		"! xl list probe | awk 'NR == 2 { print \$5 }' | grep -q p"
	vm_check "xc_domain_pause" xc-probe pause "$id"
	vm_check "xl list shows it paused" sh -c \
		"xl list probe | awk 'NR == 2 { print \$5 }' | grep -q p"
	vm_check "xl destroy" xl destroy probe
	vm_check "destroyed guest gone for libxc" sh -c "! xc-probe info $id 2>/dev/null"
fi
