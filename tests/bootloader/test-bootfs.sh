#!/bin/sh
# libbootfs against images the real tools build: ext2/3/4 made by
# mke2fs -d in many variants (block sizes, block maps and extents, 32-
# and 64-bit descriptors, meta_bg, inline_data, a hashed directory,
# holes, every kind of symlink), read back through bootfs-tool and
# compared with cmp; partitioned disks made by sfdisk, their offsets
# compared with sfdisk --json; and damaged or foreign images, which must
# be refused with a message naming the fault, never with a crash.
set -u
tmp=$(mktemp -d /tmp/test-bootfs-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/bootfs-tap.sh"
PATH=$PATH:/sbin:/usr/sbin
export E2FSPROGS_FAKE_TIME=1700000000
UUID=5f0c8e4a-1b2c-4d3e-8f90-a1b2c3d4e5f6

if ! command -v mke2fs >/dev/null 2>&1; then
	echo "1..0 # SKIP mke2fs (e2fsprogs) is not installed"
	exit 0
fi


# The tree every image gets.
src=$tmp/src
mkdir -p "$src/boot/grub" "$src/etc" "$src/d1/d2/d3" "$src/big"
printf 'set default=0\nmenuentry "Debian" {\n\tlinux /boot/vmlinuz root=/dev/xvda1\n}\n' \
	>"$src/boot/grub/grub.cfg"
: >"$src/empty"
printf x >"$src/one"
for s in 1024 2048 4096; do data "$src/block$s" $s; done
data "$src/thirteen" $((13 * 4096 + 7))
data "$src/boot/vmlinuz" 3000000
data "$src/boot/initrd.img" 400000
data "$src/d1/d2/d3/deep" 5000
# A hole between two pieces of data.
data "$src/sparse" 3000
dd if="$src/block4096" of="$src/sparse" bs=1024 seek=1500 conv=notrunc 2>/dev/null
dd if="$src/one" of="$src/sparse" bs=1 seek=1999999 conv=notrunc 2>/dev/null
# 400 pieces 8 KiB apart: 400 extents, a tree of depth 2 with 1K blocks.
i=0
while [ $i -lt 400 ]; do
	seq -w $((i * 1000)) 100000000 | head -c 1024 |
		dd of="$src/frag" bs=8192 seek=$i conv=notrunc 2>/dev/null
	i=$((i + 1))
done
i=0
while [ $i -lt 3000 ]; do
	: >"$src/big/entry-with-a-longish-name-$i"
	i=$((i + 1))
done
echo last >"$src/big/entry-with-a-longish-name-2999"
# Symlinks: fast (target in the inode), slow (in a block), relative,
# absolute, through a directory link, a loop, chains of 8 and 9.
ln -s grub/grub.cfg "$src/boot/fast"
ln -s "$(printf './%.0s' $(seq 1 40))grub/grub.cfg" "$src/boot/slow"
ln -s ../../../boot/vmlinuz "$src/d1/d2/rel"
ln -s /boot/grub/grub.cfg "$src/etc/abs"
ln -s /boot/grub "$src/grubdir"
ln -s loop-b "$src/loop-a"
ln -s loop-a "$src/loop-b"
ln -s /one "$src/chain8-8"
ln -s /one "$src/chain9-9"
for k in 7 6 5 4 3 2 1; do ln -s chain8-$((k + 1)) "$src/chain8-$k"; done
for k in 8 7 6 5 4 3 2 1; do ln -s chain9-$((k + 1)) "$src/chain9-$k"; done
files=$(cd "$src" && find . -type f | sed 's/^\.//' | grep -v '^/big/' | sort)

# mkimage IMAGE SIZE MKFS-ARGS...: an image of the tree; 0 if mke2fs took it.
mkimage() {
	img=$1 size=$2
	shift 2
	rm -f "$img"
	mke2fs -q -F -U "$UUID" -E hash_seed=$UUID,root_owner=0:0 -d "$src" "$@" "$img" "$size" \
		>"$tmp/mkfs.log" 2>&1
}

# check_tree IMAGE OFFSET WHAT: every file, link and the big directory.
check_tree() {
	img=$1 off=$2 what=$3 bad=
	for f in $files; do
		"$TOOL" cat "$img" "$off" "$f" >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/out" "$src$f" ||
			bad="$bad $f"
	done
	for l in /boot/fast:/boot/grub/grub.cfg /boot/slow:/boot/grub/grub.cfg \
		/d1/d2/rel:/boot/vmlinuz /etc/abs:/boot/grub/grub.cfg \
		/grubdir/grub.cfg:/boot/grub/grub.cfg /chain8-1:/one \
		/big/entry-with-a-longish-name-2999:/big/entry-with-a-longish-name-2999 \
		/d1/./d2/../d2/d3//deep:/d1/d2/d3/deep; do
		"$TOOL" read "$img" "$off" "${l%%:*}" 100000000 >"$tmp/out" 2>"$tmp/err" &&
			cmp -s "$tmp/out" "$src${l#*:}" || bad="$bad ${l%%:*}"
	done
	"$TOOL" exists "$img" "$off" /big/entry-with-a-longish-name-1234 || bad="$bad exists"
	"$TOOL" exists "$img" "$off" /big/entry-with-a-longish-name-3000 && bad="$bad not-exists"
	"$TOOL" exists "$img" "$off" /boot && bad="$bad dir-exists"
	if [ -z "$bad" ]; then
		ok "$what: every file, symlink and the 3000-entry directory read back"
	else
		notok "$what: wrong or unreadable:$bad"
		sed 's/^/# /' "$tmp/err"
	fi
}

# variant NAME TYPE SIZE MKFS-ARGS...
variant() {
	name=$1 type=$2 size=$3
	shift 3
	img=$tmp/$name.img
	if ! mkimage "$img" "$size" "$@"; then
		skip "$name: mke2fs $* failed here ($(head -n1 "$tmp/mkfs.log"))"
		return
	fi
	got=$("$TOOL" type "$img" 0 2>&1)
	if [ "$got" = "$type" ]; then ok "$name: detected as $type"; else notok "$name: detected as '$got', expected $type"; fi
	check_tree "$img" 0 "$name"
}

variant ext2-1k ext2 24M -t ext2 -b 1024
variant ext2-2k ext2 24M -t ext2 -b 2048
variant ext3-4k ext3 24M -t ext3 -b 4096
variant ext4-1k ext4 24M -t ext4 -b 1024
variant ext4-4k-32bit ext4 24M -t ext4 -b 4096 -O ^64bit
variant ext4-4k-64bit ext4 24M -t ext4 -b 4096 -O 64bit
variant ext4-2k-blockmap ext4 24M -t ext4 -b 2048 -O ^extent,^flex_bg,^64bit
variant ext4-1k-meta_bg ext4 24M -t ext4 -b 1024 -g 256 -O meta_bg,^resize_inode
variant ext4-4k-64bit-meta_bg ext4 64M -t ext4 -b 1024 -g 512 -O 64bit,meta_bg,^resize_inode
variant ext4-inline_data ext4 24M -t ext4 -b 4096 -I 512 -O inline_data
variant ext4-bigalloc ext4 64M -t ext4 -b 1024 -O bigalloc -C 16384
variant ext2-rev0 ext2 24M -t ext2 -b 1024 -r 0
variant ext4-newer-features ext4 24M -t ext4 -b 4096 -O casefold,encrypt,metadata_csum_seed,large_dir,mmp

# A file reaching the triple indirect block of 1K-block ext2 (hole in between).
tri=$tmp/tri
mkdir -p "$tri"
data "$tri/head" 5000
cp "$tri/head" "$tri/huge"
dd if="$src/block4096" of="$tri/huge" bs=1024 seek=$((12 + 256 + 65536 + 100)) conv=notrunc 2>/dev/null
cp "$tri/head" "$tri/tailhole"
truncate -s 300000 "$tri/tailhole"
if mke2fs -q -F -t ext2 -b 1024 -d "$tri" "$tmp/tri.img" 80M >"$tmp/mkfs.log" 2>&1 &&
	"$TOOL" cat "$tmp/tri.img" 0 /huge >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/out" "$tri/huge" &&
	"$TOOL" cat "$tmp/tri.img" 0 /tailhole >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/out" "$tri/tailhole"; then
	ok "ext2 1K: sparse files through the triple indirect block and ending in a hole"
else
	notok "ext2 1K: sparse files through the triple indirect block and ending in a hole"
	sed 's/^/# /' "$tmp/err" "$tmp/mkfs.log"
fi


base=$tmp/ext4-1k.img
depth=$(debugfs -R "ex /frag" "$base" 2>/dev/null | awk 'NR == 2 { print $1 }')
if [ "$depth" = 0/ ] && debugfs -R "ex /frag" "$base" 2>/dev/null | grep -q '^ *2/ *2 '; then
	ok "ext4-1k: /frag's extent tree has depth 2 (read back above)"
else
	notok "ext4-1k: /frag's extent tree is not of depth 2 ($depth)"
fi
expect_fail "a symlink loop" "more than 8 symlinks" "$TOOL" cat "$base" 0 /loop-a
expect_fail "a chain of 9 symlinks" "more than 8 symlinks" "$TOOL" cat "$base" 0 /chain9-1
expect_fail "a missing file" "/boot/nothing: no such file" "$TOOL" cat "$base" 0 /boot/nothing
expect_fail "a file as a directory" "not a directory" "$TOOL" cat "$base" 0 /one/x
expect_fail "a directory" "is a directory" "$TOOL" cat "$base" 0 /boot/grub
expect_fail "a file over the read cap" "more than the 1000 allowed" "$TOOL" read "$base" 0 /boot/vmlinuz 1000

# inode_at IMAGE PATH: byte offset of the inode, from debugfs.
inode_at() {
	debugfs -R "imap $2" "$1" 2>/dev/null |
		sed -n 's/.*located at block \([0-9]*\), offset 0x\([0-9a-f]*\).*/\1 \2/p' | {
		read -r blk hex
		echo $((blk * $3 + 0x$hex))
	}
}

img=$tmp/bad.img
cp "$base" "$img"
poke "$img" $((1024 + 24)) '\040'
expect_fail "a superblock with a 2^32 KiB block size" "block size" "$TOOL" cat "$img" 0 /one

cp "$base" "$img"
poke "$img" $((1024 + 0x60 + 1)) '\022'
expect_fail "the dirdata feature" "feature dirdata is not supported" "$TOOL" cat "$img" 0 /one

if mke2fs -q -F -t ext4 -O journal_dev "$tmp/journal.img" 8M >/dev/null 2>&1; then
	expect_fail "an external journal" "feature journal_dev" "$TOOL" cat "$tmp/journal.img" 0 /one
else
	skip "an external journal (mke2fs -O journal_dev failed)"
fi

cp "$base" "$img"
poke "$img" $((1024 + 0x62)) '\200'
expect_fail "an unknown incompatible feature" "unknown incompatible features 0x800000" "$TOOL" cat "$img" 0 /one

cp "$base" "$img"
at=$(inode_at "$img" /boot/vmlinuz 1024)
poke "$img" $((at + 0x28)) '\000\000'
expect_fail "a damaged extent header" "extent header magic 0x0000, expected 0xf30a" \
	"$TOOL" cat "$img" 0 /boot/vmlinuz

cp "$base" "$img"
poke "$img" $((at + 0x20 + 1)) '\010'
expect_fail "an encrypted inode" "encrypted" "$TOOL" cat "$img" 0 /boot/vmlinuz

cp "$base" "$img"
blk=$(debugfs -R "blocks /boot/grub" "$img" 2>/dev/null | awk '{print $1}')
poke "$img" $((blk * 1024 + 4)) '\005\000'
expect_fail "a directory entry with rec_len 5" "rec_len 5" "$TOOL" cat "$img" 0 /boot/grub/grub.cfg

cp "$tmp/ext2-1k.img" "$img"
at=$(inode_at "$img" /boot/initrd.img 1024)
poke "$img" $((at + 0x28 + 12 * 4)) '\377\377\377\177'
expect_fail "an indirect block past the end" "past the end of the filesystem" \
	"$TOOL" cat "$img" 0 /boot/initrd.img

head -c 10000000 "$base" >"$img"
expect_fail "a truncated image" "truncated image" "$TOOL" cat "$img" 0 /one

cp "$base" "$img"
poke "$img" $((1024 + 56)) '\000\000'
expect_fail "an image without a filesystem" "no filesystem pygrub can read at offset 0" \
	"$TOOL" cat "$img" 0 /one

# Filesystems we do not read are named.
truncate -s 8M "$tmp/swap.img"
if mkswap "$tmp/swap.img" >/dev/null 2>&1; then
	expect_fail "a swap area" "swap at offset 0: not supported" "$TOOL" cat "$tmp/swap.img" 0 /one
else
	skip "a swap area (mkswap failed)"
fi
if command -v mkfs.vfat >/dev/null 2>&1; then
	rm -f "$tmp/fat.img"
	mkfs.vfat -C "$tmp/fat.img" 8192 >/dev/null 2>&1
	expect_fail "a FAT filesystem" "FAT at offset 0: not supported" "$TOOL" cat "$tmp/fat.img" 0 /one
else
	skip "a FAT filesystem (mkfs.vfat from dosfstools is not installed)"
fi
if command -v mkfs.minix >/dev/null 2>&1; then
	truncate -s 8M "$tmp/minix.img"
	mkfs.minix "$tmp/minix.img" >/dev/null 2>&1
	expect_fail "a minix filesystem" "no filesystem pygrub can read" "$TOOL" cat "$tmp/minix.img" 0 /one
else
	skip "a minix filesystem (mkfs.minix is not installed)"
fi
truncate -s 1M "$tmp/xfs.img"
poke "$tmp/xfs.img" 0 'XFSB'
expect_fail "an xfs signature" "xfs at offset 0: not supported" "$TOOL" cat "$tmp/xfs.img" 0 /one

# ---- partition tables ----

# expected_parts IMAGE SCHEME: "offset size index scheme" lines from sfdisk --json.
expected_parts() {
	{ sfdisk --json "$1" | tr -d '\n'; echo; } | sed 's/},/}\n/g' |
		sed -n 's/.*"node": *"[^"]*[^0-9]\([0-9][0-9]*\)", *"start": *\([0-9]*\), *"size": *\([0-9]*\), *"type": *"\([^"]*\)".*/\1 \2 \3 \4/p' |
		while read -r idx start size type; do
			case $type in 5 | f | 85) continue ;; esac
			echo "$((start * 512)) $((size * 512)) $idx $2"
		done
}

# check_parts IMAGE SCHEME WHAT
check_parts() {
	expected_parts "$1" "$2" >"$tmp/want"
	if "$TOOL" parts "$1" >"$tmp/got" 2>"$tmp/err" && cmp -s "$tmp/got" "$tmp/want" && [ -s "$tmp/want" ]; then
		ok "$3: $(tr '\n' ';' <"$tmp/got")"
	else
		notok "$3"
		sed 's/^/# got: /' "$tmp/got" "$tmp/err"
		sed 's/^/# want: /' "$tmp/want"
	fi
}

# place IMAGE FS-IMAGE START-SECTOR: copies a filesystem into a partition.
place() { dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc,sparse 2>/dev/null; }

small=$tmp/small
mkdir -p "$small/boot/grub"
cp "$src/boot/grub/grub.cfg" "$small/boot/grub/"
mke2fs -q -F -t ext4 -b 1024 -d "$small" "$tmp/p.img" 4M >/dev/null 2>&1
mke2fs -q -F -t ext2 -b 1024 -d "$small" "$tmp/p2.img" 4M >/dev/null 2>&1

# part_cat IMAGE OFFSET WHAT: grub.cfg read from the filesystem at OFFSET.
part_cat() {
	if "$TOOL" cat "$1" "$2" /boot/grub/grub.cfg 2>"$tmp/err" | cmp -s - "$src/boot/grub/grub.cfg"; then
		ok "$3"
	else
		notok "$3"
		sed 's/^/# /' "$tmp/err"
	fi
}

if command -v sfdisk >/dev/null 2>&1; then
	disk=$tmp/mbr.img
	truncate -s 40M "$disk"
	printf 'label: dos\nstart=2048, size=8192, type=83\nstart=12288, size=16384, type=83\nstart=30720, size=8192, type=82\n' |
		sfdisk -q "$disk" >/dev/null 2>&1
	place "$disk" "$tmp/p.img" 12288
	check_parts "$disk" mbr "MBR with 3 primaries, in table order"
	part_cat "$disk" $((12288 * 512)) "MBR: ext4 in the second partition read"
	expect_fail "MBR: the empty first partition" "no filesystem pygrub can read at offset 1048576" \
		"$TOOL" cat "$disk" 1048576 /boot/grub/grub.cfg

	disk=$tmp/logical.img
	truncate -s 40M "$disk"
	printf 'label: dos\nstart=2048, size=8192, type=83\nstart=12288, size=40000, type=5\nstart=14336, size=8192, type=83\nstart=24576, size=10000, type=83\n' |
		sfdisk -q "$disk" >/dev/null 2>&1
	place "$disk" "$tmp/p2.img" 24576
	check_parts "$disk" mbr "MBR with logical partitions after the primaries"
	part_cat "$disk" $((24576 * 512)) "MBR: ext2 in logical partition 6 read"

	disk=$tmp/gpt.img
	truncate -s 40M "$disk"
	printf 'label: gpt\nstart=2048, size=8192\nstart=16384, size=20480\n' | sfdisk -q "$disk" >/dev/null 2>&1
	place "$disk" "$tmp/p.img" 16384
	check_parts "$disk" gpt "GPT with 2 partitions"
	part_cat "$disk" $((16384 * 512)) "GPT: ext4 in the second partition read"
	cp "$disk" "$tmp/gpt-bad1.img"
	poke "$tmp/gpt-bad1.img" 528 '\001\002\003\004'
	"$TOOL" parts "$disk" >"$tmp/want"
	if "$TOOL" parts "$tmp/gpt-bad1.img" >"$tmp/got" 2>"$tmp/err" && cmp -s "$tmp/got" "$tmp/want"; then
		ok "GPT with a damaged primary header: the backup's entries"
	else
		notok "GPT with a damaged primary header: the backup's entries"
		sed 's/^/# /' "$tmp/got" "$tmp/err"
	fi
	last=$(($(stat -c %s "$disk") - 512))
	poke "$tmp/gpt-bad1.img" "$last" 'XXX'
	expect_fail "GPT with both headers damaged" "backup header at LBA 81919: no \"EFI PART\" signature" \
		"$TOOL" parts "$tmp/gpt-bad1.img"

	disk=$tmp/iso.img
	cp "$tmp/mbr.img" "$disk"
	poke "$disk" $((0x8001)) 'CD001'
	if "$TOOL" parts "$disk" | head -n1 | grep -qx "0 41943040 0 iso"; then
		ok "a hybrid ISO lists offset 0 first"
	else
		notok "a hybrid ISO lists offset 0 first"
	fi
	expect_fail "a hybrid ISO's iso9660 without a descriptor set" \
		"iso9660 at offset 0: volume descriptor 17: no CD001 identifier" \
		"$TOOL" cat "$disk" 0 /boot/grub/grub.cfg
else
	skip "partition tables (sfdisk from util-linux's fdisk package is not installed)"
fi

# No signature: the whole disk; a signature without entries: the whole disk too.
"$TOOL" parts "$tmp/ext4-1k.img" >"$tmp/got" 2>&1
if [ "$(cat "$tmp/got")" = "0 25165824 0 raw" ]; then ok "no partition table: the whole disk"; else notok "no partition table: $(cat "$tmp/got")"; fi
truncate -s 1M "$tmp/empty-mbr.img"
poke "$tmp/empty-mbr.img" 510 '\125\252'
"$TOOL" parts "$tmp/empty-mbr.img" >"$tmp/got" 2>&1
if [ "$(cat "$tmp/got")" = "0 1048576 0 raw" ]; then ok "an MBR without entries: the whole disk"; else notok "an MBR without entries: $(cat "$tmp/got")"; fi

echo "1..$n"
[ $failed -eq 0 ]
