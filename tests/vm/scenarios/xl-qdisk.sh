# The user-space qdisk backend (backends/qdisk, issue 8) with only OUR
# dom0 tools on Xen 4.17: a PVH guest gets a qcow2 xvda (read-write,
# format=qcow2) and a read-only raw xvdb (backendtype=qdisk), both
# served by xen-qdisk; it mounts xvda and writes a file that dom0 reads
# back from the qcow2 image after the guest shut down, and cannot write
# xvdb. A qcow2 disk is hot attached and detached; a raw file given as
# qcow2 is refused with the daemon's reason; no daemon, node or
# directory is left at the end. The guest side is guest_mode=devices.
# shellcheck shell=sh

vm_dom0_ext4 xen-netback
vm_guest_console_logs
# Dom0 on pCPU 0, the guest on pCPU 1: see xl-devices.sh and README,
# "Known problems" (triple faults of guests sharing dom0's pCPU).
vm_check "dom0's vCPUs pinned to pCPU 0" xl vcpu-pin 0 all 0
vm_check "xen-bridge makes xenbr0 with 10.99.0.1" xen-bridge add xenbr0 "" 10.99.0.1/24

log=/var/log/xen/console/guest-qd1.log
marker() { grep -q "GUEST-MARKER: $1" "$log"; }
diag() {
	vm_log "--- diagnostics: $*"
	xl list
	ps | grep '[x]en-qdisk'
	xenstore-ls -f /local/domain/0/backend 2>&1 | head -n 80
	xenstore-ls -f /libxl 2>&1 | head -n 40
	vm_tails 40 /var/log/xen/xen-qdisk-*.log /var/log/xen/xl-*.log "$log"
}

# --- the images: a qcow2 made and filled by our own tool -------------
mkdir -p /images /mnt/check
dd if=/dev/zero of=/tmp/base.raw bs=1M count=16 2>/dev/null
vm_check "mke2fs makes the filesystem for xvda" mke2fs -q -F /tmp/base.raw
vm_check "xen-qdisk create makes a 16 MiB qcow2" xen-qdisk create /images/q.qcow2 16M
vm_check "xen-qdisk write copies the filesystem into it" \
	xen-qdisk write qcow2 /images/q.qcow2 0 /tmp/base.raw
rm -f /tmp/base.raw
xen-qdisk info qcow2 /images/q.qcow2
dd if=/dev/zero of=/images/disk2.img bs=1M count=8 2>/dev/null
mke2fs -q -F /images/disk2.img
mount -o loop /images/disk2.img /mnt/check && echo "read-only disk from dom0" \
	>/mnt/check/ro-marker && umount /mnt/check
printf 'QDISK-HOT-MARKER-7' >/tmp/hot.bin
vm_check "a second qcow2 with a marker for hot plug" sh -c \
	'xen-qdisk create /images/q3.qcow2 4M && xen-qdisk write qcow2 /images/q3.qcow2 0 /tmp/hot.bin'

cat >/tmp/qd1.cfg <<CFG
name = "qd1"
cpus = "1"
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet guest_mode=devices"
memory = 256
vcpus = 1
disk = ['format=qcow2,vdev=xvda,access=w,target=/images/q.qcow2',
        'backendtype=qdisk,format=raw,vdev=xvdb,access=r,target=/images/disk2.img']
vif = ['mac=00:16:3e:00:00:01,bridge=xenbr0']
CFG

# --- create -----------------------------------------------------------
vm_check "xl create with a qcow2 and a qdisk raw disk" sh -c \
	'xl create /tmp/qd1.cfg 2>/tmp/create.err; r=$?; cat /tmp/create.err; exit $r' || diag create
id=$(vm_domid qd1)
be=/local/domain/0/backend/qdisk/$id
vm_log "qd1 is domain $id"
vm_check "xvda's backend is qdisk: type qdisk, params qcow2:PATH, mode w, no script" sh -c \
	"[ \"\$(xenstore-read $be/51712/type)\" = qdisk ] &&
	 [ \"\$(xenstore-read $be/51712/params)\" = qcow2:/images/q.qcow2 ] &&
	 [ \"\$(xenstore-read $be/51712/mode)\" = w ] && ! xenstore-exists $be/51712/script"
vm_check "xvdb's backend: params aio:PATH, mode r" sh -c \
	"[ \"\$(xenstore-read $be/51728/params)\" = aio:/images/disk2.img ] &&
	 [ \"\$(xenstore-read $be/51728/mode)\" = r ]"
vm_check "the frontends point at the qdisk backends" sh -c \
	"[ \"\$(xenstore-read /local/domain/$id/device/vbd/51712/backend)\" = $be/51712 ]"
vm_check "no blkback device and no loop device for them" sh -c \
	"! xenstore-exists /local/domain/0/backend/vbd/$id &&
	 ! cat /sys/block/loop*/loop/backing_file 2>/dev/null | grep -q /images/"
vm_check "one xen-qdisk per disk" sh -c '[ "$(ps | grep -c "[x]en-qdisk serve")" = 2 ]'

vm_wait_for 900 "guest: devices ready" marker "devices ready" || diag "guest boot"
grep "GUEST-MARKER" "$log" | sed 's/^/  /'
vm_check "guest mounted the qcow2 xvda and wrote /hello" marker "xvda mounted, wrote /hello"
vm_check "guest read xvdb's marker" marker "xvdb read: read-only disk from dom0"
vm_check "guest cannot write xvdb" marker "xvdb write refused"
vm_check "guest sees xvdb read-only (VDISK_READONLY)" marker "xvdb ro=1"
vm_check "backends Connected with sectors and info" sh -c \
	"[ \"\$(xenstore-read $be/51712/state)\" = 4 ] &&
	 [ \"\$(xenstore-read $be/51712/sectors)\" = 32768 ] &&
	 [ \"\$(xenstore-read $be/51728/info)\" = 4 ]"

# --- hot plug ---------------------------------------------------------
vm_check "xl block-attach a qcow2 as xvdc (read-only)" \
	xl block-attach qd1 'format=qcow2,vdev=xvdc,access=r,target=/images/q3.qcow2'
vm_wait_for 300 "guest sees xvdc with its data" marker "+xvdc QDISK-HOT-MARKER-7" || diag "hot disk"
vm_check "xl block-detach xvdc" xl block-detach qd1 xvdc
vm_wait_for 120 "guest saw xvdc go" marker "-xvdc"
vm_wait_for 60 "xvdc's daemon and nodes gone" sh -c \
	"[ \"\$(ps | grep -c '[x]en-qdisk serve')\" = 2 ] && ! xenstore-exists $be/51744" ||
	diag "detach"
out=$(xl block-attach qd1 'format=qcow2,vdev=xvdd,access=r,target=/images/disk2.img' 2>&1)
rc=$?
vm_log "block-attach of a raw file as qcow2: $out"
vm_check "a raw file given as qcow2 is refused with xen-qdisk's reason" sh -c \
	"[ $rc -ne 0 ] && echo '$out' | grep -q 'not a qcow2 image'"
vm_check "the refused disk left no node and no daemon" sh -c \
	"! xenstore-exists $be/51760 && ! xenstore-exists /libxl/$id/device/vbd/51760 &&
	 [ \"\$(ps | grep -c '[x]en-qdisk serve')\" = 2 ]"

# --- shutdown: the data is in the qcow2 image, nothing is left --------
vm_check "xl shutdown -w" xl shutdown -w qd1
vm_check "guest unmounted xvda on poweroff" marker "xvda unmounted"
vm_wait_for 120 "no daemon, no qdisk backend, no /libxl entry left" sh -c \
	"[ \"\$(ps | grep -c '[x]en-qdisk serve')\" = 0 ] &&
	 ! xenstore-exists /local/domain/0/backend/qdisk/$id &&
	 [ -z \"\$(xenstore-list /libxl 2>/dev/null)\" ]" || diag "teardown"
vm_check "xen-qdisk convert gives the guest's view as raw" \
	xen-qdisk convert qcow2 /images/q.qcow2 /tmp/back.raw
vm_check "dom0 reads the file the guest wrote into the qcow2 image" sh -c \
	'mount -o loop,ro /tmp/back.raw /mnt/check && cat /mnt/check/hello && grep -q "written by the guest" /mnt/check/hello; r=$?; umount /mnt/check; exit $r'
for f in /var/log/xen/xen-qdisk-*.log; do
	echo "--- $f"
	cat "$f"
done
