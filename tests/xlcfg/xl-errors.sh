#!/bin/sh
# xl create -n on bad configs: every mistake is reported with file, line
# and key, and nothing is printed on stdout (TAP).
n=0
fail=0
tmp=${TMPDIR:-/tmp}/xl-errors.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# check NAME EXPECTED_RC "config text" "text stderr must contain" ("" = stderr empty)
check() {
	n=$((n + 1))
	printf '%b' "$3" >"$tmp/$1.cfg"
	"$XL" create -q -n "$tmp/$1.cfg" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ -z "$4" ]; then
		found=$([ ! -s "$tmp/err" ] && echo yes)
	else
		found=$(grep -qF -- "$4" "$tmp/err" && echo yes)
	fi
	if [ "$rc" -eq "$2" ] && [ "$found" = yes ] &&
		{ [ "$2" -eq 0 ] || [ ! -s "$tmp/out" ]; }; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1 (rc=$rc, want $2 and: $4)"
		sed 's/^/# /' "$tmp/err"
		fail=1
	fi
}

base='name = "t"\nkernel = "/boot/vmlinuz"\n'
check unknown-key 0 "${base}memmory = 512\n" "unknown-key.cfg:3: warning: unknown option \`memmory' ignored (did you mean \`memory'?)"
check unknown-key-dummy 0 "${base}colour = 'blue'\n" "unknown-key-dummy.cfg:3: warning: unknown option \`colour' ignored"
check xm-key 0 "${base}on_xend_start = 'ignore'\n" "\`on_xend_start' is an xm option with no meaning for xl"
check not-a-number 1 "${base}vcpus = 'two'\n" "not-a-number.cfg:3: vcpus: expected a number, found \`two'"
check units 1 "${base}maxmem = '2G'\n" "maxmem: expected a number, found \`2G' (no units"
check list-for-number 1 "${base}memory = [ 1 ]\n" "memory: expected a number, found a [list]"
check bad-action 1 "${base}on_crash = 'explode'\n" "bad-action.cfg:3: on_crash: unknown action \"explode\""
check bad-type 1 "${base}type = 'xen'\n" "bad-type.cfg:3: type: invalid domain type \"xen\""
check builder-type-clash 1 "${base}type = 'pv'\nbuilder = 'hvm'\n" "builder: contradicts \"type\""
check builder-hvm 0 "name = 'h'\nbuilder = 'hvm'\n" ""
check bad-disk 1 "${base}disk = [ 'ok,raw,xvda,rw', '/a,raw,xvdb,rwx' ]\n" "bad-disk.cfg:3: disk: entry 2"
check bad-mac 1 "${base}vif = [ 'mac=00:16:3e:zz:00:01' ]\n" "bad-mac.cfg:3: vif: entry 1"
check bad-rate 1 "${base}vif = [ 'rate=10ZB/s' ]\n" "invalid rate in \`10ZB/s'"
check vif-ip-deprecated 0 "${base}vif = [ 'ip=10.0.0.2,bridge=xenbr0' ]\n" ""
check no-name 1 "kernel = '/k'\n" "Domain name must be specified"
check no-kernel 1 "name = 'x'\n" "Neither kernel nor bootloader specified"
check maxvcpus 1 "${base}vcpus = 4\nmaxvcpus = 2\n" "maxvcpus (2) < vcpus (4)"
check bad-uuid 1 "${base}uuid = 'not-a-uuid'\n" "bad-uuid.cfg:3: uuid: Failed to parse UUID"
check bad-pci 1 "${base}pci = [ '0000:03:00.9' ]\n" "bad-pci.cfg:3: pci: unable to parse PCI_SPEC_STRING"
check bad-cpuid 1 "${base}cpuid = 'host,frobnicate=1'\n" "cpuid: flag \"frobnicate=1\": unknown CPUID flag name"
check bad-cpus 1 "${base}vcpus = 2\ncpus = '3-1'\n" "cpus: invalid cpu list"
check syntax 1 "${base}memory = 512M\n" "syntax.cfg:3:13:"
check channel 1 "${base}channel = [ 'name=org.x,connection=tcp' ]\n" "unknown channel connection 'tcp'"
check hvm-vga 1 "name='h'\ntype='hvm'\nvga='vesa'\n" "vga: unknown vga \"vesa\""
check vnuma-pnode 1 "name='n'\ntype='pvh'\nkernel='/k'\nvnuma = [ [ 'pnode=x', 'size=512', 'vcpus=0' ] ]\n" "vnuma: node 0: bad pnode \"x\""
check vnuma-vcpus 1 "name='n'\ntype='pvh'\nkernel='/k'\nvnuma = [ [ 'pnode=0', 'size=512', 'vcpus=3-1' ] ]\n" "bad vcpus range \"3-1\""
check vsnd-bad 1 "name='n'\ntype='pvh'\nkernel='/k'\nvsnd = [ [ 'card, sample-formats=s99' ] ]\n" "invalid pcm format: s99"
check vdispl-bad 1 "name='n'\ntype='pvh'\nkernel='/k'\nvdispl = [ 'connectors=c0:big' ]\n" "connector \`c0:big': expected ID:WIDTHxHEIGHT"
# A second connectors= replaces the first (it once wrote past the new array).
check vdispl-connectors-twice 0 "name='n'\ntype='pvh'\nkernel='/k'\nvdispl = [ 'backend=0,connectors=a:1x1;b:2x2;c:3x3,connectors=d:4x4' ]\n" ""
check usb-bad 1 "name='n'\ntype='hvm'\nusbctrl = [ 'type=firewire' ]\n" "invalid usb controller type 'firewire'"
check vkb-bad 1 "name='n'\ntype='pvh'\nkernel='/k'\nvkb = [ 'unique-id=k' ]\n" "backend-type should be set"
check rdm-policy 0 "name='h'\ntype='hvm'\nrdm = 'strategy=host,policy=relaxed'\n" "rdm: \`strategy=host,policy=relaxed' is ignored"
check bad-vdev 0 "${base}disk = [ '/a,raw,vda,rw' ]\n" "bad-vdev.cfg:3: warning: disk: entry 1: \`vda' is not a Xen virtual disk name"
echo "1..$n"
exit $fail
