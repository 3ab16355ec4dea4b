#!/bin/sh
# The hypervisor's legacy .lzma decoder against data made by the real lzma
# tool (xz-utils), as Linux packs a kernel with CONFIG_KERNEL_LZMA (the
# unpacked size appended): presets 0 to 9 and extreme, a stream ended by
# the end marker (the tool's only kind) and one with its size in the
# header; a wrong size, a cut stream, corruption and literal settings the
# decoder does not take are reported, never decoded (the format has no
# checksum: a flipped byte is caught only where it breaks the stream).
set -u
. "$(dirname "$0")/decompress-tap.sh"

if ! command -v lzma >/dev/null; then
	echo "1..0 # SKIP lzma (xz-utils) not installed"
	exit 0
fi
samples
head -c 300000 /dev/zero >"$T/zeros"

try() { # name input lzma-options...
	name=$1
	f=$2
	shift 2
	try_packed lzma "$name" "$f" lzma -q "$@" -c
}
try "empty" empty -9
try "text, preset 0" text -0
try "text, preset 9 (as Linux)" text -9
try "binary, preset 6" binary -6
try "binary, preset 9 extreme" binary -9e
try "random data" random -9
try "zeros (long matches)" zeros -9
try "binary, lc=4 lp=0 pb=0" binary --lzma1=preset=6,lc=4,lp=0,pb=0

# The size in the header (the marker after it is then not needed).
packed lzma hdr text lzma -q -9 -c
size=$(stat -c %s "$T/text")
cp "$T/hdr.lzma" "$T/known.lzma"
{ size_append "$size"; printf '\0\0\0\0'; } |
	dd of="$T/known.lzma" bs=1 seek=5 conv=notrunc 2>/dev/null
decodes lzma "$T/known.lzma" "$T/text" "unpacked size in the header"

# Bad input: reported, never handed on as the original.
packed lzma sz binary lzma -q -9 -c
len=$(stat -c %s "$T/sz.lzma")
corrupt_at "$T/sz.lzma" $((len - 4))
rejects lzma "$T/sz.lzma" "$T/binary" "the size at the end is wrong"
cp "$T/known.lzma" "$T/differ.lzma"
corrupt_at "$T/differ.lzma" 5
rejects lzma "$T/differ.lzma" "$T/text" "header and end disagree on the size"
packed lzma flip binary lzma -q -9 -c
corrupt_at "$T/flip.lzma" 3000
rejects lzma "$T/flip.lzma" "$T/binary" "a byte flipped in the stream"
packed lzma cut binary lzma -q -9 -c
head -c $((len / 2)) "$T/cut.lzma" >"$T/short.lzma"
size_append "$(stat -c %s "$T/binary")" >>"$T/short.lzma"
rejects lzma "$T/short.lzma" "$T/binary" "a stream cut in half"
# The lzma tool keeps lc + lp <= 4; the format allows more (lc=4, lp=1,
# pb=2 here, in the properties byte of a good stream).
cp "$T/text.lzma" "$T/wide.lzma"
printf '\147' | dd of="$T/wide.lzma" bs=1 conv=notrunc 2>/dev/null
rejects lzma "$T/wide.lzma" "$T/text" "lc + lp above 4"
printf 'not lzma at all, not lzma at all' >"$T/junk.lzma"
rejects lzma "$T/junk.lzma" "$T/text" "not lzma data"
finish
