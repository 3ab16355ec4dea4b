#!/bin/sh
# libbootfs's iso9660 reader against images xorriso builds: with Rock
# Ridge and Joliet (-R -J) and without Rock Ridge (plain ISO 9660
# names), read back through bootfs-tool and compared with cmp: deep
# paths, long names (their NM entries in continuation areas), symlinks,
# a file over 4 MiB.  Damaged images must be refused with a message
# naming the structure at fault, never with a crash or a hang.
set -u
tmp=$(mktemp -d /tmp/test-bootiso-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/bootfs-tap.sh"

if ! command -v xorriso >/dev/null 2>&1; then
	echo "1..0 # SKIP xorriso is not installed"
	exit 0
fi


long=a-long-name-$(printf 'x%.0s' $(seq 1 180))-end.txt
src=$tmp/src
mkdir -p "$src/boot/grub" "$src/install.amd" "$src/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10"
printf "menuentry 'Install' {\n\tlinux /install.amd/vmlinuz\n\tinitrd /install.amd/initrd.gz\n}\n" \
	>"$src/boot/grub/grub.cfg"
data "$src/install.amd/vmlinuz" 5000000
data "$src/install.amd/initrd.gz" 300001
data "$src/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep" 5000
: >"$src/empty"
echo long >"$src/$long"
ln -s install.amd/vmlinuz "$src/vmlinuz"
ln -s /boot/grub "$src/grubdir"
ln -s ../../../../install.amd/initrd.gz "$src/d1/d2/d3/d4/rel"
ln -s loop-b "$src/loop-a"
ln -s loop-a "$src/loop-b"
ln -s "$(printf './%.0s' $(seq 1 150))boot/grub/grub.cfg" "$src/longlink"

# mkiso IMAGE ARGS...: an image of the tree.
mkiso() {
	img=$1
	shift
	xorriso -as mkisofs "$@" -o "$img" "$src" >"$tmp/mkiso.log" 2>&1
}

# check PATH-IN-IMAGE:FILE-IN-TREE...: each read back (bootfs_copy and bootfs_read).
check() {
	img=$1 what=$2 bad=
	shift 2
	for l in "$@"; do
		"$TOOL" cat "$img" 0 "${l%%:*}" >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/out" "$src/${l#*:}" &&
			"$TOOL" read "$img" 0 "${l%%:*}" 100000000 >"$tmp/out" 2>>"$tmp/err" &&
			cmp -s "$tmp/out" "$src/${l#*:}" || bad="$bad ${l%%:*}"
	done
	if [ -z "$bad" ]; then
		ok "$what"
	else
		notok "$what: wrong or unreadable:$bad"
		sed 's/^/# /' "$tmp/err"
	fi
}


files="/boot/grub/grub.cfg:boot/grub/grub.cfg /install.amd/vmlinuz:install.amd/vmlinuz
/install.amd/initrd.gz:install.amd/initrd.gz /empty:empty
/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep:d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep"

rr=$tmp/rr.iso
mkiso "$rr" -R -J -V 'Debian 12 amd64 n'
got=$("$TOOL" type "$rr" 0 2>&1)
if [ "$got" = iso9660 ]; then ok "-R -J: detected as iso9660"; else notok "-R -J: detected as '$got'"; fi
# shellcheck disable=SC2086
check "$rr" "-R -J: every file read back, the 5 MB one and a path 11 deep" $files
check "$rr" "-R -J: a name of $(printf %s "$long" | wc -c) bytes" "/$long:$long"
check "$rr" "-R -J: symlinks (relative, absolute to a directory, 150 ./ long, ..)" \
	/vmlinuz:install.amd/vmlinuz /grubdir/grub.cfg:boot/grub/grub.cfg \
	/longlink:boot/grub/grub.cfg /d1/d2/d3/d4/rel:install.amd/initrd.gz \
	/d1/./d2/../d2/d3//d4/d5/../../../../../install.amd/vmlinuz:install.amd/vmlinuz
expect_fail "-R -J: a symlink loop" "more than 8 symlinks" "$TOOL" cat "$rr" 0 /loop-a
expect_fail "-R -J: Rock Ridge names match exactly" "/BOOT: no such file" \
	"$TOOL" cat "$rr" 0 /BOOT/GRUB/GRUB.CFG
expect_fail "-R -J: a missing file" "/boot/nothing: no such file" "$TOOL" cat "$rr" 0 /boot/nothing
expect_fail "-R -J: a file as a directory" "not a directory" "$TOOL" cat "$rr" 0 /empty/x
expect_fail "-R -J: a directory" "is a directory" "$TOOL" cat "$rr" 0 /boot/grub
expect_fail "-R -J: a file over the read cap" "more than the 1000 allowed" \
	"$TOOL" read "$rr" 0 /install.amd/vmlinuz 1000
if "$TOOL" exists "$rr" 0 /vmlinuz && ! "$TOOL" exists "$rr" 0 /boot &&
	! "$TOOL" exists "$rr" 0 /loop-a; then
	ok "-R -J: exists: a file through a symlink, not a directory, not a loop"
else
	notok "-R -J: exists"
fi

plain=$tmp/plain.iso
mkiso "$plain" --norock
# shellcheck disable=SC2086
check "$plain" "without Rock Ridge: every file read back by its lower-case name" $files
check "$plain" "without Rock Ridge: names in any case, without ;1" \
	/BOOT/GRUB/GRUB.CFG:boot/grub/grub.cfg /Install.Amd/VMLINUZ:install.amd/vmlinuz \
	/EMPTY:empty
expect_fail "without Rock Ridge: no symlinks" "/vmlinuz: no such file" "$TOOL" cat "$plain" 0 /vmlinuz

# A multi-extent file (flag 0x80 on all records but the last), as
# xorriso writes files of 4 GiB and more: /INSTALL.AMD/VMLINUZ's record
# split in two by hand, without Rock Ridge.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$plain" "$tmp/multi.iso" <<'PY'
import struct, sys
img = bytearray(open(sys.argv[1], 'rb').read())
def find(block, size, name):
    pos = block * 2048
    while pos < block * 2048 + size:
        n = img[pos]
        if n == 0:
            pos = (pos // 2048 + 1) * 2048
            continue
        if img[pos + 33:pos + 33 + img[pos + 32]] == name:
            return pos
        pos += n
    raise SystemExit('no ' + name.decode())
root = struct.unpack_from('<I', img, 32768 + 158)[0], struct.unpack_from('<I', img, 32768 + 166)[0]
d = find(root[0], root[1], b'INSTALL.AMD')
d = struct.unpack_from('<I', img, d + 2)[0], struct.unpack_from('<I', img, d + 10)[0]
r = find(d[0], d[1], b'VMLINUZ.;1')
rec = bytes(img[r:r + img[r]])
ext, size = struct.unpack_from('<I', rec, 2)[0], struct.unpack_from('<I', rec, 10)[0]
first = bytearray(rec)
struct.pack_into('<I', first, 10, 1000 * 2048)
struct.pack_into('>I', first, 14, 1000 * 2048)
first[25] |= 0x80
second = bytearray(rec)
struct.pack_into('<I', second, 2, ext + 1000)
struct.pack_into('>I', second, 6, ext + 1000)
struct.pack_into('<I', second, 10, size - 1000 * 2048)
struct.pack_into('>I', second, 14, size - 1000 * 2048)
blk_end = (r // 2048 + 1) * 2048
img[r:blk_end] = (first + second + img[r + len(rec):blk_end])[:blk_end - r]
open(sys.argv[2], 'wb').write(img)
PY
	check "$tmp/multi.iso" "a file of two extents read back" /install.amd/vmlinuz:install.amd/vmlinuz
	python3 - "$tmp/multi.iso" <<'PY'
import sys
img = bytearray(open(sys.argv[1], 'rb').read())
i = img.find(b'VMLINUZ.;1', img.find(b'VMLINUZ.;1') + 1) - 33
img[i + 25] |= 0x80
open(sys.argv[1], 'wb').write(img)
PY
	expect_fail "a multi-extent file without its last record" "last record is missing" \
		"$TOOL" cat "$tmp/multi.iso" 0 /install.amd/vmlinuz
fi

# ---- damaged images ----

# le32 IMAGE OFFSET, u8 IMAGE OFFSET: numbers in the image.
le32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

root=$(($(le32 "$rr" $((32768 + 156 + 2))) * 2048))
# The root's third record: the first after "." and "..".
third=$((root + $(u8 "$rr" "$root")))
third=$((third + $(u8 "$rr" "$third")))
img=$tmp/bad.iso

cp "$rr" "$img"
poke "$img" $((32768 + 80)) '\377\377\377\000'
expect_fail "a PVD whose volume size differs from its big-endian copy" \
	"primary volume descriptor: volume size 16777215" "$TOOL" cat "$img" 0 /empty

cp "$rr" "$img"
poke "$img" $((32768 + 128)) '\000\020'
poke "$img" $((32768 + 130)) '\020\000'
expect_fail "a PVD with 4096-byte blocks" "logical block size 4096" "$TOOL" cat "$img" 0 /empty

cp "$rr" "$img"
poke "$img" $((32768 + 80)) '\000\000\000\001'
poke "$img" $((32768 + 84)) '\001\000\000\000'
expect_fail "a volume larger than the disk" "truncated image?" "$TOOL" cat "$img" 0 /empty

cp "$rr" "$img"
poke "$img" $((32768 + 1)) 'XXXXX'
expect_fail "no primary volume descriptor" "no filesystem pygrub can read at offset 0" \
	"$TOOL" cat "$img" 0 /empty

cp "$rr" "$img"
poke "$img" $((32768 + 2048 + 1)) 'XXXXX'
expect_fail "a descriptor set without its terminator" "volume descriptor 17: no CD001 identifier" \
	"$TOOL" cat "$img" 0 /empty

cp "$rr" "$img"
poke "$img" "$third" '\024'
expect_fail "a directory record of 20 bytes" "directory record at byte" \
	"$TOOL" cat "$img" 0 /empty
grep -q "length 20" "$tmp/err" || notok "the message gives the length 20"

cp "$rr" "$img"
poke "$img" "$((third + 2))" '\000\000\377\000'
expect_fail "a directory record whose extent is past the end" "is outside the volume" \
	"$TOOL" cat "$img" 0 /empty

cp "$rr" "$img"
poke "$img" "$((third + 32))" '\377'
expect_fail "a directory record whose name overruns it" "name length 255" \
	"$TOOL" cat "$img" 0 /empty

# A continuation area that continues into itself: the first CE entry in
# the root directory after its "." record is the long name's.
ce=$(grep -obUaP 'CE\x1c\x01' "$rr" | cut -d: -f1 |
	awk -v lo=$((root + $(u8 "$rr" "$root"))) -v hi=$((root + 2048)) '$1 >= lo && $1 < hi' | head -n1)
if [ -n "$ce" ]; then
	cp "$rr" "$img"
	blk=$((ce / 2048)) off=$((ce % 2048))
	poke "$img" $((ce + 4)) "$(printf '\\%03o\\%03o\\%03o\\%03o' $((blk & 255)) $((blk >> 8 & 255)) $((blk >> 16 & 255)) 0)"
	poke "$img" $((ce + 12)) "$(printf '\\%03o\\%03o\\000\\000' $((off & 255)) $((off >> 8)))"
	poke "$img" $((ce + 20)) '\034\000\000\000'
	expect_fail "a Rock Ridge continuation area that loops" "more than 32 Rock Ridge continuation areas" \
		"$TOOL" cat "$img" 0 "/$long"
else
	notok "no CE entry found in the -R image"
fi

head -c 40000 "$rr" >"$img"
expect_fail "a truncated image" "truncated image?" "$TOOL" cat "$img" 0 /empty

echo "1..$n"
[ $failed -eq 0 ]
