#!/bin/sh
# mkbzimage.sh ELF OUT: wrap a guest ELF as a minimal bzImage (boot
# protocol 2.15 setup header, gzip payload) to exercise the bzImage path.
set -eu
elf=$1
out=$2
tmp=$out.tmp
gzip -9 -n -c "$elf" >"$tmp.gz"
plen=$(wc -c <"$tmp.gz")
le32() { printf "\\$(printf %o $(($1 & 255)))\\$(printf %o $((($1 >> 8) & 255)))\\$(printf %o $((($1 >> 16) & 255)))\\$(printf %o $((($1 >> 24) & 255)))"; }
# two 512-byte sectors: boot sector + one setup sector
head -c 1024 /dev/zero >"$tmp"
printf '\001' | dd of="$tmp" bs=1 seek=$((0x1F1)) conv=notrunc 2>/dev/null
printf 'HdrS' | dd of="$tmp" bs=1 seek=$((0x202)) conv=notrunc 2>/dev/null
printf '\017\002' | dd of="$tmp" bs=1 seek=$((0x206)) conv=notrunc 2>/dev/null
le32 0 | dd of="$tmp" bs=1 seek=$((0x248)) conv=notrunc 2>/dev/null
le32 "$plen" | dd of="$tmp" bs=1 seek=$((0x24C)) conv=notrunc 2>/dev/null
cat "$tmp" "$tmp.gz" >"$out"
rm -f "$tmp" "$tmp.gz"
