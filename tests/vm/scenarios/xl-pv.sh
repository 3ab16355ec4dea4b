# PV guests with only OUR dom0 tools.  On a hypervisor that runs PV (Xen
# 4.17): Debian's kernel boots as a 64-bit PV guest from a config with
# kernel= and no type= (PV, as in the users' configs), with 2 vCPUs;
# xenstore and `xl list -l` say "pv"; `xl reboot` brings it back, built
# again by xl's monitor under a new domid; `xl shutdown -w` goes through
# the guest's PV control driver and leaves nothing behind.  Then the CentOS
# seed's own form: bootloader = '/usr/bin/pygrub' reading a GRUB legacy
# menu.lst, memory = 128, vif = [ '' ] and a phy: disk named sda1, started
# as the seed does, with `xm create -c C4` from /etc/xen.  On a
# hypervisor without PV (Xenolith) the same config is refused by name
# before anything is built.  Runs in dom0 (sourced).
# shellcheck shell=sh

vm_dom0_ext4
vm_guest_console_logs
# Dom0 on pCPU 0, the guests on pCPU 1: README, "Known problems".
vm_check "dom0's vCPUs pinned to pCPU 0" xl vcpu-pin 0 all 0

glog() { echo "/var/log/xen/console/guest-$1.log"; }
diag() {
	vm_log "--- diagnostics: $*"
	xl list
	xl dmesg | tail -n 30
	xenstore-ls -f /local/domain 2>&1 | head -n 60
	vm_tails 40 /var/log/xen/bootloader.*.log /var/log/xen/xl-*.log /var/log/xen/console/guest-*.log
}
nothing_left() {
	[ "$(xl list | wc -l)" -eq 2 ] &&
		[ "$(xenstore-list /local/domain | tr '\n' ' ')" = "0 " ] &&
		! ls /var/run/xen/bootloader.* >/dev/null 2>&1
}

cat >/tmp/pv1.cfg <<'CFG'
name    = "pv1"
kernel  = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra   = "console=hvc0 guest_mode=stay"
memory  = 256
vcpus   = 2
cpus    = "1"
CFG

if ! xl info | grep -q "^xen_caps.*xen-3.0-x86_64"; then
	vm_log "this hypervisor has no PV support: $(xl info | grep ^xen_caps)"
	out=$(xl create /tmp/pv1.cfg 2>&1)
	rc=$?
	vm_log "xl create of a PV config: rc=$rc: $out"
	vm_check "a PV config is refused, naming PV and the hypervisor's capabilities" sh -c \
		"[ $rc -ne 0 ] && echo '$out' | grep -q 'cannot run PV guests (its capabilities: '"
	vm_check "the refusal left no domain" nothing_left
	out=$(cd / && xm create --path=/tmp pv1.cfg 2>&1)
	rc=$?
	vm_log "xm create --path=/tmp pv1.cfg: rc=$rc: $out"
	vm_check "xm create finds the config along --path and gets the same refusal" sh -c \
		"[ $rc -ne 0 ] && echo '$out' | grep -q 'Using config file \"/tmp/pv1.cfg\"' &&
		 echo '$out' | grep -q 'cannot run PV guests (its capabilities: '"
	vm_check "nothing left after xm either" nothing_left
	return 0
fi

vm_check "xl create of a PV guest (kernel=, no type=)" sh -c \
	'xl create /tmp/pv1.cfg 2>/tmp/create.err; r=$?; cat /tmp/create.err; exit $r' || diag create
vm_wait_for 600 "pv1 is up" grep -q "GUEST-MARKER: staying up" "$(glog pv1)" || diag "pv1 boot"
vm_check "pv1 runs as a PV guest (its /sys/hypervisor/guest_type)" \
	grep -q "GUEST-MARKER: up at .*, type PV" "$(glog pv1)"
vm_check "pv1 brought up its 2 vCPUs" grep -q "GUEST-MARKER: up at .* 2 CPUs" "$(glog pv1)"
vm_check "pv1's command line is extra=" grep -q "Command line:.*guest_mode=stay" "$(glog pv1)"
id=$(xl domid pv1)
vm_check "/libxl/$id/type is pv" sh -c "[ \"\$(xenstore-read /libxl/$id/type)\" = pv ]"
vm_check "xl list -l says type pv" sh -c "xl list -l pv1 | grep -q '\"type\": \"pv\"'"
vm_check "/vm/UUID/image/kernel names the kernel" sh -c \
	"[ \"\$(xenstore-read \$(xenstore-read /local/domain/$id/vm)/image/kernel)\" = /guest/vmlinuz ]"
# on_reboot's default, restart: the monitor builds it again (PV) under a
# new domid.
vm_check "xl reboot pv1" xl reboot pv1
new_domid() { d=$(xl domid pv1 2>/dev/null); [ -n "$d" ] && [ "$d" != "$id" ]; }
vm_wait_for 300 "pv1 is back with a new domid" new_domid || diag "no restart"
vm_wait_for 600 "the restarted PV guest booted (second marker)" sh -c \
	"[ \"\$(grep -c 'GUEST-MARKER: up at .*, type PV' '$(glog pv1)')\" -ge 2 ]" ||
	diag "restarted pv1"
vm_check "xl shutdown -w pv1 (the guest's PV control driver)" xl shutdown -w pv1
vm_check "pv1 powered off when asked" grep -q "GUEST-MARKER: poweroff requested" "$(glog pv1)"
vm_wait_for 60 "no domain left" nothing_left || diag "after pv1"

# The seed's disk line as written there: a phy: path relative to the
# current directory (libxl uses it as given, so does ours).  Missing here:
# refused naming the disk, and the half-made domain is gone.
sed -e 's/pv1/rel1/' /tmp/pv1.cfg >/tmp/rel1.cfg
echo "disk = [ 'phy:mapper/VolGroup00-C4,sda1,w' ]" >>/tmp/rel1.cfg
out=$(cd / && xl create /tmp/rel1.cfg 2>&1)
rc=$?
vm_log "xl create with a missing relative phy: path: rc=$rc: $out"
vm_check "a missing relative phy: path is refused, naming the disk and path" sh -c \
	"[ $rc -ne 0 ] && echo '$out' | grep -q 'disk sda1: cannot use mapper/VolGroup00-C4: No such file'"
vm_wait_for 60 "and nothing is left of the domain" nothing_left || diag "after rel1"

# The CentOS seed's config, with its own names: the guest's disk holds
# the kernel, the initrd and /boot/grub/menu.lst.
mkdir -p /images /mnt/d
vm_check "an ext2 disk with a GRUB legacy menu.lst" sh -c '
	dd if=/dev/zero of=/images/c4.img bs=1M count=64 2>/dev/null &&
	mke2fs -q -F /images/c4.img && mount -o loop /images/c4.img /mnt/d &&
	mkdir -p /mnt/d/boot/grub && cp /guest/vmlinuz /mnt/d/boot/vmlinuz-guest &&
	cp /guest/initrd /mnt/d/boot/initrd-guest.img &&
	printf "default 0\ntimeout 1\ntitle CentOS-4 xenU\n  root (hd0,0)\n  kernel /boot/vmlinuz-guest console=hvc0 guest_mode=stay from_menu_lst=1\n  initrd /boot/initrd-guest.img\n" \
		>/mnt/d/boot/grub/menu.lst && umount /mnt/d'
loopdev=$(losetup -f)
vm_check "c4.img on a loop device ($loopdev)" losetup "$loopdev" /images/c4.img
vm_check "xen-bridge makes xenbr0 for vif = [ '' ]" xen-bridge add xenbr0 "" 10.99.0.1/24
# The seed's steps as written: the config in /etc/xen/C4, and
# "[root@dom0 ~]# xm create -c C4" (xm finds it along .:/etc/xen, then
# stays on the guest's console until the guest is gone).
mkdir -p /etc/xen
cat >/etc/xen/C4 <<CFG
name       = 'C4'
bootloader = '/usr/bin/pygrub'
memory     = 128
vif        = [ '' ]
disk       = [ 'phy:$loopdev,sda1,w' ]
cpus       = "1"
CFG
(cd /root && xm create -c C4 </dev/null >/tmp/xm-c4.out 2>&1; echo "xm-exit=$?" >>/tmp/xm-c4.out) &
vm_wait_for 600 "C4 is up: its marker on xm create -c's console" \
	grep -q "GUEST-MARKER: staying up" /tmp/xm-c4.out || { cat /tmp/xm-c4.out; diag "C4 boot"; }
vm_check "xm create named the file and the domain" sh -c \
	"grep -q 'Using config file \"/etc/xen/C4\".' /tmp/xm-c4.out &&
	 grep -q '^Started domain C4 (id=[0-9]*)' /tmp/xm-c4.out"
vm_check "C4 booted the menu.lst entry as a PV guest" sh -c \
	"grep -q 'Command line:.*from_menu_lst=1' /tmp/xm-c4.out &&
	 grep -q 'GUEST-MARKER: up at .*, type PV' /tmp/xm-c4.out"
vm_check "xm list shows C4" sh -c "xm list | grep -q '^C4  *[0-9]'"
id=$(xl domid C4)
vm_check "C4's sda1 has a vbd backend (device 2049)" \
	xenstore-read "/local/domain/0/backend/vbd/$id/2049/params"
vm_check "C4's vif is on xenbr0" sh -c "ip link show vif$id.0 | grep -q 'master xenbr0'"
vm_check "xm shutdown -w C4" xm shutdown -w C4
vm_wait_for 60 "xm create -c returned 0 when C4 was gone" grep -q "^xm-exit=0" /tmp/xm-c4.out ||
	cat /tmp/xm-c4.out
vm_wait_for 60 "no domain, no bootloader file left" nothing_left || diag "after C4"
losetup -d "$loopdev"
