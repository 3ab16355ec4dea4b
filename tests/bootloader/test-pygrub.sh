#!/bin/sh
# Our pygrub against Xen 4.17's on the same disk images (TAP): the same
# listing, the same entry chosen (default, --entry by number and title,
# --kernel, --args), the same result in all three formats, the kernel and
# initrd copied out byte for byte, partitioned disks and --offset; then
# what only ours is checked for: the reasons of a failure, no file left
# behind, --runas, and the menu driven through a terminal.
PYGRUB=${PYGRUB:-${TOP_BUILDDIR:-../..}/toolstack/bootloader/pygrub}
REF=/usr/lib/xen-4.17/bin/pygrub
n=0
fail=0
t=$(mktemp -d /tmp/test-pygrub-XXXXXX)
trap 'rm -rf "$t"' EXIT

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; fail=1; }
skip() { n=$((n + 1)); echo "ok $n - $* # SKIP"; }

if [ ! -x "$REF" ] || ! command -v mkfs.ext4 >/dev/null; then
	skip "Xen 4.17's pygrub ($REF) or mkfs.ext4 missing"
	echo "1..$n"
	exit 0
fi

# A guest's /boot: a kernel and an initrd (random, so copies are checked),
# and the same files under other names for the other entries.
root=$t/root
mkdir -p "$root/boot/grub" "$root/boot/extlinux"
head -c 3000000 /dev/urandom >"$root/boot/vmlinuz-6.1.0-13-amd64"
head -c 1200000 /dev/urandom >"$root/boot/initrd.img-6.1.0-13-amd64"
head -c 2000000 /dev/urandom >"$root/boot/vmlinuz-old"
ln -s boot/vmlinuz-6.1.0-13-amd64 "$root/vmlinuz"

cat >"$t/grub.cfg" <<'CFG'
set default="1"
set timeout=5
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux $menuentry_id_option 'gnulinux-simple' {
	insmod ext2
	set root='hd0,msdos1'
	linux	/boot/vmlinuz-6.1.0-13-amd64 root=/dev/xvda1 ro quiet
	initrd	/boot/initrd.img-6.1.0-13-amd64
}
menuentry 'Debian GNU/Linux, old kernel' {
	linux	/boot/vmlinuz-old root=/dev/xvda1 ro console=hvc0
}
menuentry 'Debian GNU/Linux (recovery mode)' {
	linux	/boot/vmlinuz-6.1.0-13-amd64 root=/dev/xvda1 ro single
	initrd	/boot/initrd.img-6.1.0-13-amd64
}
CFG
cat >"$t/menu.lst" <<'CFG'
default 0
timeout 3
title CentOS 4 (2.6.9-44.ELxenU)
  root (hd0,0)
  kernel /boot/vmlinuz-6.1.0-13-amd64 root=/dev/sda1 ro 3
  initrd /boot/initrd.img-6.1.0-13-amd64
CFG
cat >"$t/extlinux.conf" <<'CFG'
DEFAULT old
TIMEOUT 30
LABEL linux
  KERNEL /boot/vmlinuz-6.1.0-13-amd64
  APPEND root=/dev/xvda1 ro initrd=/boot/initrd.img-6.1.0-13-amd64
LABEL old
  KERNEL /boot/vmlinuz-old
  APPEND root=/dev/xvda1 ro initrd=/boot/initrd.img-6.1.0-13-amd64
CFG

# mkimg NAME MENU_PATH MENU_FILE: an ext4 image of $root with one menu.
mkimg() {
	rm -f "$root/boot/grub/grub.cfg" "$root/boot/grub/menu.lst" "$root/boot/extlinux/extlinux.conf"
	[ -n "$3" ] && cp "$3" "$root$2"
	rm -f "$t/$1.img"
	truncate -s 16M "$t/$1.img"
	mkfs.ext4 -q -d "$root" "$t/$1.img" >/dev/null
}
mkimg grub2 /boot/grub/grub.cfg "$t/grub.cfg"
# Xen's `-l` stops at the first entry without an initrd (a Python
# exception, taken for "no menu here"): compare listings of full menus.
sed 's|^\(\tlinux\t/boot/vmlinuz-old.*\)$|\1\n\tinitrd /boot/initrd.img-6.1.0-13-amd64|' "$t/grub.cfg" >"$t/grub-full.cfg"
mkimg grub2full /boot/grub/grub.cfg "$t/grub-full.cfg"
mkimg legacy /boot/grub/menu.lst "$t/menu.lst"
mkimg extlinux /boot/extlinux/extlinux.conf "$t/extlinux.conf"
mkimg nomenu "" ""
# A menu over 1 MiB: what follows its first MiB (a later default) is
# never read, by Xen's pygrub or ours.
{ cat "$t/grub.cfg"; i=0; while [ $i -lt 16000 ]; do
	echo "# padding line $i, long enough to push the rest past the first MiB"; i=$((i + 1)); done
  printf 'set default="2"\n'; } >"$t/big.cfg"
mkimg bigmenu /boot/grub/grub.cfg "$t/big.cfg"

# Partitioned disks: an empty first partition, the filesystem in the second.
part_disk() {
	truncate -s 40M "$t/$1.img"
	printf 'label: %s\nstart=2048, size=8192\nstart=12288, size=40960\n' "$2" |
		sfdisk -q "$t/$1.img" >/dev/null 2>&1 || return 1
	dd if="$t/grub2.img" of="$t/$1.img" bs=512 seek=12288 conv=notrunc 2>/dev/null
}
have_parts=yes
part_disk mbr dos && part_disk gpt gpt || have_parts=no

# same DESC ARGS...: both print the same (stdout) and exit alike; paths
# of the copies are replaced by their basename's prefix.
same() {
	desc=$1
	shift
	mkdir -p "$t/o1" "$t/o2"
	a=$("$PYGRUB" --output-directory="$t/o1" "$@" 2>"$t/err1"; echo "rc=$?")
	b=$("$REF" --output-directory="$t/o2" "$@" 2>"$t/err2"; echo "rc=$?")
	a=$(printf '%s' "$a" | tr '\0' '|' | sed "s|$t/o1/*\(boot_[a-z]*\)\.[A-Za-z0-9_]*|\1|g")
	b=$(printf '%s' "$b" | tr '\0' '|' | sed "s|$t/o2/*\(boot_[a-z]*\)\.[A-Za-z0-9_]*|\1|g")
	if [ "$a" = "$b" ]; then
		ok "$desc"
	else
		not_ok "$desc"
		printf 'ours:\n%s\n%s\nXen 4.17:\n%s\n' "$a" "$(cat "$t/err1")" "$b" | sed 's/^/# /'
	fi
	rm -rf "$t/o1" "$t/o2"
}

for img in grub2 legacy extlinux; do
	list=$img
	[ $img = grub2 ] && list=grub2full
	same "$img: -l lists the same entries" -l -q -n "$t/$list.img"
	same "$img: the same default entry" -q -n --output-format=simple "$t/$img.img"
done
out=$("$PYGRUB" -l -q -n --output-directory="$t" "$t/grub2.img" 2>&1)
if [ "$(printf '%s\n' "$out" | grep -c '^title: ')" = 3 ] &&
	printf '%s\n' "$out" | grep -q '^  initrd: None$'; then
	ok "grub2: -l lists all three entries, 'initrd: None' where there is none"
else
	not_ok "grub2: -l lists all three entries"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
same "grub2: --entry=0" -q -n --output-format=simple --entry=0 "$t/grub2.img"
same "grub2: --entry=2" -q -n --output-format=simple --entry=2 "$t/grub2.img"
same "grub2: --entry by title" -q -n --output-format=simple \
	"--entry=Debian GNU/Linux (recovery mode)" "$t/grub2.img"
same "grub2: --entry out of range keeps the default" -q -n --output-format=simple --entry=9 "$t/grub2.img"
same "grub2: --args appended to the entry's" -q -n --output-format=simple --args="console=hvc0 x=1" "$t/grub2.img"
same "grub2: --kernel/--ramdisk skip the menu" -q -n --output-format=simple \
	--kernel=/boot/vmlinuz-old --ramdisk=/boot/initrd.img-6.1.0-13-amd64 --args=ro "$t/grub2.img"
same "grub2: sxp output (the default format)" -q -n --entry=1 "$t/grub2.img"
same "grub2: simple0 output" -q -n --output-format=simple0 "$t/grub2.img"
same "a menu over 1 MiB: only its first MiB is read" -q -n --output-format=simple "$t/bigmenu.img"
same "extlinux: --entry by label" -q -n --output-format=simple --entry=linux "$t/extlinux.img"
if [ $have_parts = yes ]; then
	same "MBR disk: the filesystem in partition 2 is found" -q -n --output-format=simple "$t/mbr.img"
	same "GPT disk: the filesystem in partition 2 is found" -q -n --output-format=simple "$t/gpt.img"
	same "--offset of the partition" -q -n --output-format=simple --offset=$((12288 * 512)) "$t/mbr.img"
else
	skip "partitioned disks (sfdisk missing)"
fi

# The copies: real files, byte for byte, and their paths in the result.
mkdir -p "$t/out"
res=$("$PYGRUB" -q --output-format=simple0 --output-directory="$t/out" "$t/grub2.img" | tr '\0' '\n')
k=$(printf '%s\n' "$res" | sed -n 's/^kernel //p')
r=$(printf '%s\n' "$res" | sed -n 's/^ramdisk //p')
a=$(printf '%s\n' "$res" | sed -n 's/^args //p')
if [ -n "$k" ] && cmp -s "$k" "$root/boot/vmlinuz-old" && [ -z "$r" ] &&
	[ "$a" = "root=/dev/xvda1 ro console=hvc0" ] && [ "$(ls "$t/out" | wc -l)" = 1 ]; then
	ok "the default's kernel copied out byte for byte, no initrd file left"
else
	not_ok "the default's kernel copied out (result: $res; dir: $(ls "$t/out"))"
fi
rm -f "$t"/out/*
res=$("$PYGRUB" -q --entry=0 --output-format=simple0 --output-directory="$t/out" "$t/legacy.img" | tr '\0' '\n')
k=$(printf '%s\n' "$res" | sed -n 's/^kernel //p')
r=$(printf '%s\n' "$res" | sed -n 's/^ramdisk //p')
if cmp -s "$k" "$root/boot/vmlinuz-6.1.0-13-amd64" && cmp -s "$r" "$root/boot/initrd.img-6.1.0-13-amd64"; then
	ok "legacy: kernel and initrd copied out byte for byte"
else
	not_ok "legacy: kernel and initrd copied out (result: $res)"
fi
rm -f "$t"/out/*
# A relative --output-directory: the paths in the result are absolute,
# as Xen's are (Python's mkstemp makes them so).
mkdir -p "$t/rel"
res=$(cd "$t" && "$PYGRUB" -q --output-format=simple --output-directory=rel "$t/legacy.img")
case $res in
"kernel $t/rel/boot_kernel."*) ok "a relative --output-directory gives absolute paths" ;;
*) not_ok "a relative --output-directory gives absolute paths (result: $res)" ;;
esac
rm -rf "$t/rel"
# Distro images link /vmlinuz to the kernel; Xen's pygrub cannot follow it.
res=$("$PYGRUB" -q --kernel=/vmlinuz --output-format=simple0 --output-directory="$t/out" "$t/grub2.img" | tr '\0' '\n')
k=$(printf '%s\n' "$res" | sed -n 's/^kernel //p')
if cmp -s "$k" "$root/boot/vmlinuz-6.1.0-13-amd64"; then
	ok "--kernel=/vmlinuz follows the symlink (Xen 4.17's pygrub says it does not exist)"
else
	not_ok "--kernel=/vmlinuz follows the symlink (result: $res)"
fi
rm -f "$t"/out/*

# qcow2 boot disks (xl passes --disk-format=qcow2 for format=qcow2), read
# through xen-qdisk's reader: the same choice and the same bytes as raw.
if command -v qemu-img >/dev/null; then
	qemu-img convert -f raw -O qcow2 "$t/legacy.img" "$t/legacy.qcow2"
	res=$("$PYGRUB" -q --entry=0 --disk-format=qcow2 --output-format=simple0 \
		--output-directory="$t/out" "$t/legacy.qcow2" | tr '\0' '\n')
	k=$(printf '%s\n' "$res" | sed -n 's/^kernel //p')
	r=$(printf '%s\n' "$res" | sed -n 's/^ramdisk //p')
	if cmp -s "$k" "$root/boot/vmlinuz-6.1.0-13-amd64" &&
		cmp -s "$r" "$root/boot/initrd.img-6.1.0-13-amd64" &&
		printf '%s\n' "$res" | grep -qx "args root=/dev/sda1 ro 3"; then
		ok "qcow2: the menu's entry, kernel and initrd read out of the image"
	else
		not_ok "qcow2: kernel and initrd read out of the image (result: $res)"
	fi
	rm -f "$t"/out/*
	qemu-img create -q -f qcow2 -b "$t/legacy.img" -F raw "$t/backed.qcow2"
else
	skip "qcow2 (qemu-img missing)"
fi

# An installer ISO shaped like Debian's netinst (Rock Ridge and Joliet):
# both read its grub.cfg, list and choose alike, and copy the same kernel
# and initrd out.  Then the hybrid form (an MBR in front, as Debian
# ships it), which only ours reads: Xen 4.17's compares the bytes at
# 0x8001 with the str 'CD001' under Python 3, never equal, so it takes
# the disk for a plain MBR one and tries its partitions only.
if command -v xorriso >/dev/null; then
	iso=$t/iso
	mkdir -p "$iso/boot/grub" "$iso/install.amd"
	head -c 3000000 /dev/urandom >"$iso/install.amd/vmlinuz"
	head -c 1200000 /dev/urandom >"$iso/install.amd/initrd.gz"
	# (Debian's own menu puts --hotkey=i before each title, which
	# neither Xen's pygrub nor ours reads as an entry.)
	cat >"$iso/boot/grub/grub.cfg" <<'CFG'
set theme=/boot/grub/theme/1
menuentry 'Install' {
    set background_color=black
    linux    /install.amd/vmlinuz vga=788 --- quiet
    initrd   /install.amd/initrd.gz
}
menuentry 'Rescue mode' {
    set background_color=black
    linux    /install.amd/vmlinuz vga=788 rescue/enable=true --- quiet
    initrd   /install.amd/initrd.gz
}
CFG
	xorriso -as mkisofs -R -J -V 'Debian 12.2.0 amd64 n' -o "$t/netinst.iso" "$iso" \
		>/dev/null 2>&1
	same "netinst ISO: -l lists the same entries" -l -q -n "$t/netinst.iso"
	if "$PYGRUB" -l -q -n "$t/netinst.iso" 2>&1 | grep -q "^title: Rescue mode$"; then
		ok "netinst ISO: -l lists both entries"
	else
		not_ok "netinst ISO: -l lists both entries"
	fi
	same "netinst ISO: the same default entry" -q -n --output-format=simple "$t/netinst.iso"
	same "netinst ISO: --entry=1" -q -n --output-format=simple --entry=1 "$t/netinst.iso"
	mkdir -p "$t/o1" "$t/o2"
	"$PYGRUB" -q --entry=1 --output-format=simple0 --output-directory="$t/o1" "$t/netinst.iso" \
		>/dev/null 2>&1
	"$REF" -q --entry=1 --output-format=simple0 --output-directory="$t/o2" "$t/netinst.iso" \
		>/dev/null 2>&1
	if cmp -s "$t"/o1/boot_kernel.* "$iso/install.amd/vmlinuz" &&
		cmp -s "$t"/o2/boot_kernel.* "$iso/install.amd/vmlinuz" &&
		cmp -s "$t"/o1/boot_ramdisk.* "$iso/install.amd/initrd.gz" &&
		cmp -s "$t"/o2/boot_ramdisk.* "$iso/install.amd/initrd.gz"; then
		ok "netinst ISO: both copy the kernel and initrd out byte for byte"
	else
		not_ok "netinst ISO: kernel and initrd copies (ours: $(ls "$t/o1"); Xen's: $(ls "$t/o2"))"
	fi
	rm -rf "$t/o1" "$t/o2"
	xorriso -as mkisofs -R -J -V 'Debian 12.2.0 amd64 n' --protective-msdos-label \
		-o "$t/hybrid.iso" "$iso" >/dev/null 2>&1
	res=$("$PYGRUB" -q --output-format=simple0 --output-directory="$t/out" "$t/hybrid.iso" |
		tr '\0' '\n')
	k=$(printf '%s\n' "$res" | sed -n 's/^kernel //p')
	r=$(printf '%s\n' "$res" | sed -n 's/^ramdisk //p')
	if cmp -s "$k" "$iso/install.amd/vmlinuz" && cmp -s "$r" "$iso/install.amd/initrd.gz" &&
		printf '%s\n' "$res" | grep -qx "args vga=788 --- quiet"; then
		ok "hybrid netinst ISO: read at offset 0, kernel and initrd copied out"
	else
		not_ok "hybrid netinst ISO (result: $res)"
	fi
	rm -f "$t"/out/*
	if "$REF" -q -n --output-format=simple "$t/hybrid.iso" >/dev/null 2>&1; then
		not_ok "Xen 4.17's pygrub now reads a hybrid ISO: compare it with ours"
	else
		ok "Xen 4.17's pygrub still cannot read a hybrid ISO"
	fi
else
	skip "an installer ISO (xorriso missing)"
fi

# expect_fail DESC TEXT ARGS...: ours fails, says TEXT, leaves no file.
expect_fail() {
	desc=$1
	text=$2
	shift 2
	out=$("$PYGRUB" --output-directory="$t/out" "$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -qF -- "$text" && [ -z "$(ls "$t/out")" ]; then
		ok "$desc"
	else
		not_ok "$desc: rc=$rc, files: $(ls "$t/out")"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}
expect_fail "no menu: refused with the reason, per partition" "no boot menu" -q "$t/nomenu.img"
expect_fail "a kernel missing from the filesystem is named" "/boot/nothere" -q --kernel=/boot/nothere "$t/grub2.img"
expect_fail "a missing disk is named" "$t/absent.img" -q "$t/absent.img"
expect_fail "an unknown output format is refused" "unknown output format" --output-format=json "$t/grub2.img"
if [ -f "$t/legacy.qcow2" ]; then
	expect_fail "a qcow2 image is never taken for one without --disk-format" \
		"no filesystem pygrub can read" -q "$t/legacy.qcow2"
	expect_fail "a raw image given as qcow2 is refused" "not a qcow2" -q --disk-format=qcow2 "$t/legacy.img"
	expect_fail "a qcow2 image with a backing file is refused by name" "backing file" \
		-q --disk-format=qcow2 "$t/backed.qcow2"
fi
expect_fail "--runas needs -q or --entry" "--runas needs" --runas=65534 "$t/grub2.img"
"$REF" -q -n "$t/nomenu.img" >/dev/null 2>&1 && not_ok "Xen's pygrub refuses a disk with no menu too" ||
	ok "Xen's pygrub refuses a disk with no menu too"

# -l leaves no copy behind (Xen's leaves two empty files).
"$PYGRUB" -l -q --output-directory="$t/out" "$t/grub2.img" >/dev/null
[ -z "$(ls "$t/out")" ] && ok "-l leaves no file in the output directory" ||
	not_ok "-l left: $(ls "$t/out")"

# --runas: the disk is read by an unprivileged child; the copies are right.
# (LeakSanitizer cannot work in the chroot with no processes allowed.)
if [ "$(id -u)" = 0 ]; then
	res=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$PYGRUB" --runas=65534 -q --output-format=simple0 --output-directory="$t/out" \
		"$t/legacy.img" 2>"$t/err" | tr '\0' '\n')
	k=$(printf '%s\n' "$res" | sed -n 's/^kernel //p')
	if cmp -s "$k" "$root/boot/vmlinuz-6.1.0-13-amd64" && [ "$(ls "$t/out" | wc -l)" = 2 ]; then
		ok "--runas=65534: kernel and initrd copied by the confined child"
	else
		not_ok "--runas=65534: $res $(cat "$t/err")"
	fi
	rm -f "$t"/out/*
else
	skip "--runas needs root"
fi

# The menu, through a terminal: each step waits for what the menu shows.
# menu_run STEPS: STEPS are "wait:TEXT" or "send:BYTES" (Python escapes).
menu_run() {
	python3 - "$PYGRUB" "$t/grub2.img" "$@" <<'PY'
import os, pty, sys, select, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "-n", "--output-format=simple", sys.argv[2]])
buf = b""
seen = 0  # each wait looks only at output after the previous wait's match
def wait_for(marker, limit=30):
    global buf, seen
    end = time.time() + limit
    while buf.find(marker, seen) < 0 and time.time() < end:
        r, _, _ = select.select([fd], [], [], 1)
        if r:
            try:
                buf += os.read(fd, 4096)
            except OSError:
                break
    at = buf.find(marker, seen)
    if at < 0:
        return False
    seen = at + len(marker)
    return True
for step in sys.argv[3:]:
    kind, arg = step.split(":", 1)
    arg = arg.encode().decode("unicode_escape").encode("latin-1")
    if kind == "wait":
        if not wait_for(arg):
            print("never saw %r" % arg)
            break
    else:
        os.write(fd, arg)
wait_for(b"pygrub's end", 30)  # never printed: reads until the pty closes
os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors="replace"))
PY
}
if command -v python3 >/dev/null; then
	got=$(menu_run "wait:boots in" 'send:\x1b[B\r')
	if printf '%s\n' "$got" | grep -q "args root=/dev/xvda1 ro single"; then
		ok "the menu: Down and Enter boot the entry after the default"
	else
		not_ok "the menu: Down and Enter"
		printf '%s\n' "$got" | tail -n 5 | sed 's/^/# /'
	fi
	got=$(menu_run "wait:boots in" "send:a" "wait:Kernel arguments" 'send:\x7f\x7f\x7f\x7fhvc1 single\r')
	if printf '%s\n' "$got" | grep -q "args root=/dev/xvda1 ro console=hvc1 single"; then
		ok "the menu: 'a' edits the default entry's arguments, Enter boots with them"
	else
		not_ok "the menu: 'a' edits the arguments"
		printf '%s\n' "$got" | tail -n 5 | sed 's/^/# /'
	fi
	got=$(menu_run "wait:boots in" "send:a" "wait:Kernel arguments" 'send:\x15x' 'send:\x1b' "wait:boots it" 'send:\r')
	if printf '%s\n' "$got" | grep -q "args root=/dev/xvda1 ro console=hvc0"; then
		ok "the menu: Esc leaves the arguments as they were"
	else
		not_ok "the menu: Esc leaves the arguments"
		printf '%s\n' "$got" | tail -n 5 | sed 's/^/# /'
	fi
else
	skip "python3 missing (menu test)"
fi

echo "1..$n"
exit $fail
