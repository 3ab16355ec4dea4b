# bootloader= with only OUR dom0 tools: xl runs our pygrub on the guest's
# disk, which holds the kernel, the initrd and a boot menu, as a distro
# guest's disk does.  A GRUB 2 menu whose default is its second entry is
# booted after its 3 s countdown (nobody at the console); the same disk
# as a qcow2 image (read in place, served by xen-qdisk); a GRUB legacy
# menu.lst on a loop device, named as the users' configs name it
# (bootloader='/usr/bin/pygrub', phy:), with bootloader_args picking an
# entry; a disk with no menu is refused with pygrub's reason in its log and
# leaves nothing behind.  The guest's "Command line:" shows which entry
# booted and that extra= was appended.  Runs in dom0 (sourced).
# shellcheck shell=sh

vm_dom0_ext4
vm_guest_console_logs
# Dom0 on pCPU 0, the guests on pCPU 1: README, "Known problems".
vm_check "dom0's vCPUs pinned to pCPU 0" xl vcpu-pin 0 all 0

glog() { echo "/var/log/xen/console/guest-$1.log"; }
diag() {
	vm_log "--- diagnostics: $*"
	xl list
	ls -la /var/run/xen /var/log/xen
	vm_tails 40 /var/log/xen/bootloader.*.log /var/log/xen/xl-*.log /var/log/xen/console/guest-*.log
}
nothing_left() {
	[ "$(xl list | wc -l)" -eq 2 ] &&
		[ "$(xenstore-list /local/domain | tr '\n' ' ')" = "0 " ] &&
		! ls /var/run/xen/bootloader.* >/dev/null 2>&1 &&
		! ls /var/run/xen/pygrub/boot_* >/dev/null 2>&1
}

# make_disk IMAGE MENU_PATH: an ext2 image (dom0's mke2fs is busybox's)
# with the guest's kernel and initrd in /boot, the menu from stdin at
# MENU_PATH.
make_disk() {
	dd if=/dev/zero of="$1" bs=1M count=64 2>/dev/null &&
		mke2fs -q -F "$1" &&
		mkdir -p /mnt/d && mount -o loop "$1" /mnt/d &&
		mkdir -p "/mnt/d$(dirname "$2")" &&
		cp /guest/vmlinuz /mnt/d/boot/vmlinuz-guest &&
		cp /guest/initrd /mnt/d/boot/initrd.img-guest &&
		cat >"/mnt/d$2" &&
		umount /mnt/d
}

mkdir -p /images
vm_check "an ext2 disk with a GRUB 2 menu" make_disk /images/grub2.img /boot/grub/grub.cfg <<'MENU'
set default="1"
set timeout=3
menuentry 'First entry (not the default)' --class debian {
	insmod ext2
	linux	/boot/vmlinuz-guest console=hvc0 guest_mode=stay pygrub_entry=first
	initrd	/boot/initrd.img-guest
}
menuentry 'Debian GNU/Linux, guest' --class debian --class gnu-linux {
	insmod ext2
	set root='hd0'
	linux	/boot/vmlinuz-guest console=hvc0 guest_mode=stay pygrub_entry=second
	initrd	/boot/initrd.img-guest
}
MENU

cat >/tmp/pg1.cfg <<CFG
name = "pg1"
type = "pvh"
bootloader = "pygrub"
extra = "from_xl_cfg=1"
memory = 256
vcpus = 1
cpus = "1"
disk = ['format=raw,vdev=xvda,access=r,target=/images/grub2.img']
CFG
t0=$(vm_uptime)
vm_check "xl create with bootloader=\"pygrub\" (GRUB 2 menu)" sh -c \
	'xl create /tmp/pg1.cfg 2>/tmp/create.err; r=$?; cat /tmp/create.err; exit $r' || diag create
vm_log "create took $(awk -v a="$t0" -v b="$(vm_uptime)" 'BEGIN { printf "%.1f", b - a }') s (3 s of them the menu's countdown)"
vm_wait_for 600 "pg1 is up" grep -q "GUEST-MARKER: staying up" "$(glog pg1)" || diag "pg1 boot"
vm_check "pg1 booted the menu's default (its second entry)" \
	grep -q "Command line:.*pygrub_entry=second" "$(glog pg1)"
vm_check "pg1's command line ends with extra= from the config" \
	grep -q "Command line:.*pygrub_entry=second from_xl_cfg=1" "$(glog pg1)"
vm_check "the bootloader's log shows the menu's countdown" \
	grep -q "boots in" /var/log/xen/bootloader.pg1.log
vm_check "xl destroy pg1" xl destroy pg1
vm_wait_for 60 "no domain, no bootloader file left" nothing_left || diag "after pg1"

# A qcow2 boot disk (served to the guest by xen-qdisk): our pygrub reads
# the image in place, with xen-qdisk's reader; --entry=0 this time.
vm_check "the GRUB 2 disk as a qcow2 image" sh -c \
	'xen-qdisk create /images/grub2.qcow2 64M && xen-qdisk write qcow2 /images/grub2.qcow2 0 /images/grub2.img'
sed -e 's/pg1/pq1/' -e "s|^disk = .*|disk = ['format=qcow2,vdev=xvda,access=r,target=/images/grub2.qcow2']|" \
	/tmp/pg1.cfg >/tmp/pq1.cfg
echo "bootloader_args = ['--entry=0']" >>/tmp/pq1.cfg
vm_check "xl create with bootloader=\"pygrub\" on a qcow2 disk" sh -c \
	'xl create /tmp/pq1.cfg 2>/tmp/create.err; r=$?; cat /tmp/create.err; exit $r' || diag create-qcow2
vm_wait_for 600 "pq1 is up" grep -q "GUEST-MARKER: staying up" "$(glog pq1)" || diag "pq1 boot"
vm_check "pq1 booted entry 0 from the qcow2 image" \
	grep -q "Command line:.*pygrub_entry=first from_xl_cfg=1" "$(glog pq1)"
vm_check "xl destroy pq1" xl destroy pq1
vm_wait_for 60 "the guest's xen-qdisk is gone" sh -c \
	'[ "$(ps | grep -c "[x]en-qdisk serve")" = 0 ]' || diag "after pq1"
vm_wait_for 60 "no domain, no bootloader file left" nothing_left || diag "after pq1"

# The users' form: bootloader='/usr/bin/pygrub', a phy: device, a
# menu.lst; bootloader_args picks the first entry instead of the default.
vm_check "an ext2 disk with a GRUB legacy menu.lst" make_disk /images/legacy.img /boot/grub/menu.lst <<'MENU'
default 1
timeout 3
title Guest (first entry)
  root (hd0,0)
  kernel /boot/vmlinuz-guest console=hvc0 guest_mode=stay pygrub_entry=legacy-first
  initrd /boot/initrd.img-guest
title Guest (second entry, the default)
  root (hd0,0)
  kernel /boot/vmlinuz-guest console=hvc0 guest_mode=stay pygrub_entry=legacy-second
  initrd /boot/initrd.img-guest
MENU
loopdev=$(losetup -f)
vm_check "legacy.img on a loop device ($loopdev)" losetup "$loopdev" /images/legacy.img
cat >/tmp/pg2.cfg <<CFG
name       = 'pg2'
type       = 'pvh'
bootloader = '/usr/bin/pygrub'
bootloader_args = ['--entry=0']
memory     = 256
cpus       = "1"
disk       = [ 'phy:$loopdev,xvda,r' ]
CFG
vm_check "xl create with bootloader='/usr/bin/pygrub' on a phy: device" sh -c \
	'xl create /tmp/pg2.cfg 2>/tmp/create.err; r=$?; cat /tmp/create.err; exit $r' || diag create2
vm_check "xl warned that /usr/bin/pygrub is deprecated, as Xen's does" \
	grep -q "deprecated; use bootloader='pygrub'" /tmp/create.err
vm_wait_for 600 "pg2 is up" grep -q "GUEST-MARKER: staying up" "$(glog pg2)" || diag "pg2 boot"
vm_check "pg2 booted entry 0 (--entry=0 from bootloader_args)" \
	grep -q "Command line:.*pygrub_entry=legacy-first" "$(glog pg2)"
vm_check "xl destroy pg2" xl destroy pg2
vm_wait_for 60 "no domain, no bootloader file left" nothing_left || diag "after pg2"
losetup -d "$loopdev"

# No menu on the disk: refused before any domain exists.
dd if=/dev/zero of=/images/empty.img bs=1M count=16 2>/dev/null
mke2fs -q -F /images/empty.img
sed -e 's/pg1/pg3/' -e 's|/images/grub2.img|/images/empty.img|' /tmp/pg1.cfg >/tmp/pg3.cfg
out=$(xl create /tmp/pg3.cfg 2>&1)
rc=$?
vm_log "xl create of a disk without a menu: rc=$rc: $out"
vm_check "a disk without a boot menu is refused, naming the bootloader's log" sh -c \
	"[ $rc -ne 0 ] && echo '$out' | grep -q 'bootloader.pg3.log'"
vm_check "the log says why: no boot menu on the disk" \
	grep -q "no boot menu" /var/log/xen/bootloader.pg3.log
vm_check "and xl shows the bootloader's reason too" sh -c "echo '$out' | grep -q 'no boot menu'"
vm_check "the refused create left no domain and no file" nothing_left
