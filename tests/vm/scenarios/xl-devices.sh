# Disks and networks of a PVH guest with only OUR dom0 tools on Xen 4.17
# (issue 8): a guest created with a read-write file disk (xvda), a
# read-only raw disk (xvdb), a cdrom image as the seeds give it
# ('ISO,raw,hdc:cdrom,r': the guest's xvdc) and a vif on xenbr0 mounts
# xvda and writes a file dom0 reads back after it shut down, cannot write
# xvdb or the cdrom and pings dom0 over the bridge; a disk and a vif are hot attached and detached
# while it runs; a disk in read-write use is refused to a second domain;
# hotplug failures name the script, the device and the script's reason;
# nothing (nodes, loop devices, interfaces) is left at the end.
# Runs in dom0 (sourced); the guest side is guest_mode=devices.
# shellcheck shell=sh

# Backends and what the images need. Xen's xencommons loads xen-blkback
# and xen-netback; ours does not yet, so the scenario does.
vm_dom0_ext4 xen-blkback xen-netback
vm_guest_console_logs
# Under QEMU TCG, a Xen 4.17 PVH guest sharing a pCPU with the PV dom0
# sometimes triple-faults (README, "Known problems"); dom0 keeps pCPU 0
# and the guest gets pCPU 1 (cpus= in its config).
vm_check "dom0's vCPUs pinned to pCPU 0" xl vcpu-pin 0 all 0

log=/var/log/xen/console/guest-dev1.log
marker() { grep -q "GUEST-MARKER: $1" "$log"; }
# Files bound to loop devices (busybox's losetup -a is terse).
loop_files() { cat /sys/block/loop*/loop/backing_file 2>/dev/null; }
# Data rows of xl block-list / network-list (header dropped).
nrows() { xl "$1" "$2" | tail -n +2 | wc -l; }
# has_rows LIST N: exactly N devices listed.
has_rows() { [ "$(nrows "$1" dev1)" = "$2" ]; }
diag() {
	vm_log "--- diagnostics: $*"
	xl list
	xenstore-ls -f /local/domain/0/backend 2>&1 | head -n 80
	xenstore-ls -f /libxl 2>&1 | head -n 40
	loop_files
	ip link
	vm_tails 40 /var/log/xen/xl-*.log /var/log/xen/xen-hotplug.log "$log"
}

# --- the bridge and the images ---------------------------------------
if command -v xen-bridge >/dev/null; then
	vm_check "xen-bridge makes xenbr0 with dom0's address 10.99.0.1" \
		xen-bridge add xenbr0 "" 10.99.0.1/24
	vm_check "xen-bridge add is idempotent" xen-bridge add xenbr0 "" 10.99.0.1/24
	vm_check "xen-bridge makes bridge0 (the BSD guides' name)" xen-bridge add bridge0
	xen-bridge list
else
	# Debian's tools (for reference runs) have no xen-bridge.
	brctl addbr xenbr0 && brctl setfd xenbr0 0 && ip addr add 10.99.0.1/24 dev xenbr0 &&
		ip link set xenbr0 up
fi

mkdir -p /images /mnt/check
dd if=/dev/zero of=/images/disk1.img bs=1M count=16 2>/dev/null
vm_check "mke2fs makes the guest's xvda image" mke2fs -q -F /images/disk1.img
dd if=/dev/zero of=/images/disk2.img bs=1M count=8 2>/dev/null
mke2fs -q -F /images/disk2.img
mount -o loop /images/disk2.img /mnt/check && echo "read-only disk from dom0" \
	>/mnt/check/ro-marker && umount /mnt/check
vm_check "xvdb's image carries a marker file" sh -c \
	'mount -o loop,ro /images/disk2.img /mnt/check && grep -q "read-only disk" /mnt/check/ro-marker; r=$?; umount /mnt/check; exit $r'
printf 'HOTDISK-MARKER-42' >/images/disk3.img
dd if=/dev/zero of=/images/disk3.img bs=1M count=4 seek=1 conv=notrunc 2>/dev/null
printf 'CDROM-MARKER-7' >/images/cd.iso
dd if=/dev/zero of=/images/cd.iso bs=1M count=2 seek=1 conv=notrunc 2>/dev/null
vm_check "no loop device holds our images before the guest" eval '! loop_files | grep -q /images/'

cat >/tmp/dev1.cfg <<CFG
name = "dev1"
cpus = "1"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet guest_mode=devices"
memory = 256
vcpus = 1
disk = ['file:/images/disk1.img,xvda,w', '/images/disk2.img,raw,xvdb,r',
        '/images/cd.iso,raw,hdc:cdrom,r']
vif = ['mac=00:16:3e:00:00:01,bridge=xenbr0']
CFG

# --- create -----------------------------------------------------------
t0=$(vm_uptime)
vm_check "xl create with two disks and a vif" sh -c 'xl create /tmp/dev1.cfg 2>/tmp/create.err; r=$?; cat /tmp/create.err; exit $r' ||
	diag "create"
id=$(vm_domid dev1)
vm_log "dev1 is domain $id"
vm_check "backend vbd 51712 (xvda) in dom0 with mode w, type phy, params the file" sh -c \
	"[ \"\$(xenstore-read /local/domain/0/backend/vbd/$id/51712/mode)\" = w ] &&
	 [ \"\$(xenstore-read /local/domain/0/backend/vbd/$id/51712/type)\" = phy ] &&
	 [ \"\$(xenstore-read /local/domain/0/backend/vbd/$id/51712/params)\" = /images/disk1.img ]"
vm_check "backend vbd 51728 (xvdb) with mode r" sh -c \
	"[ \"\$(xenstore-read /local/domain/0/backend/vbd/$id/51728/mode)\" = r ]"
vm_check "frontend of xvda: virtual-device 51712, backend-id 0" sh -c \
	"[ \"\$(xenstore-read /local/domain/$id/device/vbd/51712/virtual-device)\" = 51712 ] &&
	 [ \"\$(xenstore-read /local/domain/$id/device/vbd/51712/backend-id)\" = 0 ]"
vm_check "the guest may read its backend, not write it" sh -c \
	"xenstore-ls -p /local/domain/0/backend/vbd/$id/51712 | head -n 1 | grep -q 'n0,r$id'"
# loop_of DEVID: the loop device the block script gave that disk.
loop_of() { xenstore-read "/local/domain/0/backend/vbd/$id/$1/node" 2>/dev/null; }
loops_ok() {
	a=$(loop_of 51712) b=$(loop_of 51728)
	[ "$(cat "/sys/block/${a#/dev/}/loop/backing_file")" = /images/disk1.img ] &&
		[ "$(cat "/sys/block/${b#/dev/}/loop/backing_file")" = /images/disk2.img ] &&
		[ "$(cat "/sys/block/${a#/dev/}/ro")" = 0 ] && [ "$(cat "/sys/block/${b#/dev/}/ro")" = 1 ] &&
		[ "$(xenstore-read "/local/domain/0/backend/vbd/$id/51712/hotplug-status")" = connected ]
}
vm_check "the block script put both files on loop devices (xvdb's read-only)" loops_ok
# hdc is IDE major 22, minor 0: device id 5632
vm_check "backend vbd 5632 (hdc) is a cdrom, mode r, on a read-only loop device" sh -c \
	"[ \"\$(xenstore-read /local/domain/0/backend/vbd/$id/5632/device-type)\" = cdrom ] &&
	 [ \"\$(xenstore-read /local/domain/$id/device/vbd/5632/device-type)\" = cdrom ] &&
	 [ \"\$(xenstore-read /local/domain/0/backend/vbd/$id/5632/mode)\" = r ] &&
	 l=\$(xenstore-read /local/domain/0/backend/vbd/$id/5632/node) &&
	 [ \"\$(cat /sys/block/\${l#/dev/}/ro)\" = 1 ]"
vm_check "vif-bridge put vif$id.0 on xenbr0" sh -c \
	"[ -e /sys/class/net/xenbr0/brif/vif$id.0 ] &&
	 [ \"\$(xenstore-read /local/domain/0/backend/vif/$id/0/mac)\" = 00:16:3e:00:00:01 ]"

vm_wait_for 900 "guest: devices ready" marker "devices ready" || diag "guest boot"
vm_metric create_to_devices_ready_s "$(vm_elapsed "$t0")"
grep GUEST-MARKER "$log"
vm_check "guest mounted xvda and wrote /hello" marker "xvda mounted, wrote /hello"
vm_check "guest read xvdb's marker" marker "xvdb read: read-only disk from dom0"
vm_check "guest cannot write xvdb" marker "xvdb write refused"
vm_check "guest sees xvdb read-only" marker "xvdb ro=1"
vm_check "the cdrom's frontend reached the guest" marker "cdrom vbd-5632"
if marker "cdrom vbd-5632 bound"; then
	vm_check "guest reads the cdrom (hdc) as xvdc" marker "cdrom xvdc read: CDROM-MARKER-7"
	vm_check "guest cannot write the cdrom" marker "cdrom write refused"
	vm_check "guest sees the cdrom read-only" marker "cdrom ro=1"
fi
vm_check "guest's eth0 has the configured MAC" marker "eth0 mac 00:16:3e:00:00:01"
vm_check "guest pinged dom0 over xenbr0" marker "ping dom0 ok"
vm_check "dom0 pings the guest" ping -c 3 -W 5 10.99.0.2
xl block-list dev1
xl network-list dev1
vm_check "block-list: xvda and xvdb connected (state 4), hdc listed" sh -c \
	"xl block-list dev1 | awk 'NR > 1 && \$4 == 4 { n++ } NR > 1 && \$1 == 5632 { c++ } END { exit n < 2 || c != 1 }'"
vm_check "block-list columns: Vdev BE handle state evt-ch ring-ref BE-path" sh -c \
	"xl block-list dev1 | head -n 1 | grep -q '^Vdev  BE  handle state evt-ch ring-ref BE-path'"
vm_check "network-list: one vif, connected, with its MAC" sh -c \
	"[ \"\$(xl network-list dev1 | tail -n +2 | grep -c '00:16:3e:00:00:01')\" = 1 ] &&
	 xl network-list dev1 | awk 'NR == 2 { exit \$5 != 4 }'"

# --- a disk in read-write use is refused to a second domain ------------
sed -e 's/"dev1"/"dev2"/' -e '/^vif/d' -e "s|'/images/disk2.img,raw,xvdb,r'|'/images/disk3.img,raw,xvdb,r'|" \
	/tmp/dev1.cfg >/tmp/dev2.cfg
vm_check "a second domain is refused xvda's file in use read-write, naming it" sh -c \
	'! xl create /tmp/dev2.cfg 2>/tmp/dev2.err && cat /tmp/dev2.err &&
	 grep -q "disk1.img is already in use by domain" /tmp/dev2.err'
vm_check "... and leaves no domain, backend or loop device" sh -c \
	"[ -z \"\$(xl list | awk '\$1 == \"dev2\"')\" ] &&
	 [ \"\$(xenstore-list /local/domain/0/backend/vbd | tr '\n' ' ')\" = \"$id \" ] &&
	 [ \"\$(cat /sys/block/loop*/loop/backing_file | grep -c /images/)\" = 3 ]"

# --- hotplug failures say which script, which device and why ----------
vm_check "network-attach to a missing bridge fails naming vif-bridge, the vif and the bridge" sh -c \
	"! xl network-attach dev1 mac=00:16:3e:00:00:09 bridge=nosuchbr 2>/tmp/na.err; cat /tmp/na.err;
	 grep -q 'vif-bridge add failed for vif vif$id.1' /tmp/na.err &&
	 grep -q 'bridge nosuchbr does not exist' /tmp/na.err"
no_vif1() {
	has_rows network-list 1 && [ ! -e "/sys/class/net/vif$id.1" ] &&
		! xenstore-exists "/local/domain/0/backend/vif/$id/1"
}
# netback takes the interface down on its own once xl removed the nodes
vm_wait_for 60 "... and leaves no vif behind" no_vif1
vm_check "block-attach of a missing file fails naming it" sh -c \
	"! xl block-attach dev1 /images/none.img,raw,xvdd,w 2>/tmp/ba.err; cat /tmp/ba.err;
	 grep -q 'xvdd: cannot use /images/none.img: No such file' /tmp/ba.err"
vm_check "block-detach of a device that is not there" sh -c \
	"! xl block-detach dev1 xvdz 2>/tmp/bd.err; grep -q 'Error: Device xvdz not connected.' /tmp/bd.err"

# --- hot plug while the guest runs ------------------------------------
vm_check "block-attach xvde (read-only raw file)" xl block-attach dev1 /images/disk3.img,raw,xvde,r
vm_wait_for 300 "guest sees xvde with its data" marker "+xvde HOTDISK-MARKER-42" || diag "hot disk"
vm_check "block-list shows 4 disks" has_rows block-list 4
vm_check "block-detach xvde" xl block-detach dev1 xvde
vm_wait_for 120 "guest saw xvde go" marker "-xvde"
xvde_gone() { has_rows block-list 3 && ! loop_files | grep -q disk3.img; }
vm_check "xvde gone from block-list, its loop device released" xvde_gone
vm_check "network-attach a second vif" xl network-attach dev1 mac=00:16:3e:00:00:02 bridge=xenbr0
vm_wait_for 300 "guest's eth1 pings dom0" marker "+eth1 ping dom0 ok" || diag "hot vif"
vm_check "network-list shows 2 vifs" has_rows network-list 2
vm_check "network-detach by MAC" xl network-detach dev1 00:16:3e:00:00:02
vm_wait_for 120 "guest saw eth1 go" marker "-eth1"
# netback takes the interface down on its own once the backend is gone
vm_wait_for 60 "vif$id.1 gone from dom0 and from network-list" no_vif1

# --- shutdown: the data is on the disk, nothing is left ----------------
vm_check "xl shutdown -w" xl shutdown -w dev1
vm_check "guest unmounted xvda on poweroff" marker "xvda unmounted"
vm_wait_for 120 "no backend, /libxl or loop device left" sh -c \
	"! xenstore-exists /local/domain/0/backend/vbd/$id && ! xenstore-exists /local/domain/0/backend/vif/$id &&
	 [ -z \"\$(xenstore-list /libxl 2>/dev/null)\" ] &&
	 ! cat /sys/block/loop*/loop/backing_file 2>/dev/null | grep -q /images/" || diag "teardown"
vm_check "vif$id.0 gone from dom0" sh -c "[ ! -e /sys/class/net/vif$id.0 ]"
vm_check "dom0 reads the file the guest wrote on xvda" sh -c \
	'mount -o loop,ro /images/disk1.img /mnt/check && cat /mnt/check/hello && grep -q "written by the guest" /mnt/check/hello; r=$?; umount /mnt/check; exit $r'
