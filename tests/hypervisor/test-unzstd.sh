#!/bin/sh
# The hypervisor's zstd decoder against data made by the real zstd tool:
# levels 1 to 22, long windows, with and without the content checksum,
# several frames, a skippable frame, the size Linux appends; corrupt and
# truncated frames are reported, never decoded.
set -u
. "$(dirname "$0")/decompress-tap.sh"

if ! command -v zstd >/dev/null; then
	echo "1..0 # SKIP zstd not installed"
	exit 0
fi
samples
cat "$T/text" "$T/random" "$T/binary" "$T/binary" >"$T/mixed"
head -c 300000 /dev/zero >"$T/zeros"

try() { # name input zstd-options...
	name=$1
	f=$2
	shift 2
	if ! zstd -q -c "$@" "$T/$f" >"$T/$f.zst" 2>"$T/err"; then
		bad "$name: zstd $* failed: $(cat "$T/err")"
		return
	fi
	decodes zst "$T/$f.zst" "$T/$f" "$name (zstd $*)"
}
try "empty" empty
try "text, level 1" text -1
try "text, level 3" text -3
try "text, level 19" text -19
try "binary, level 9" binary -9
try "binary, level 22 --ultra (as Linux)" binary -22 --ultra
try "binary, no checksum" binary -5 --no-check
try "random data" random -3
try "zeros (RLE blocks)" zeros -3
try "mixed, level 19, long window" mixed -19 --long=27
try "mixed, fast level" mixed --fast=5
try "mixed, content size in the header" mixed -3 --content-size

# Two frames and a skippable one between them, then Linux's size.
zstd -q -c -3 "$T/text" >"$T/multi.zst"
printf '\120\052\115\030\005\000\000\000hello' >>"$T/multi.zst"
zstd -q -c -3 "$T/binary" >>"$T/multi.zst"
cat "$T/text" "$T/binary" >"$T/multi"
decodes zst "$T/multi.zst" "$T/multi" "two frames around a skippable frame"
cp "$T/multi.zst" "$T/linux.zst"
printf '\001\002\003\004' >>"$T/linux.zst"
decodes zst "$T/linux.zst" "$T/multi" "4 bytes after the frames (Linux's size)"

# Bad input: named, never handed on.
zstd -q -c -19 "$T/binary" >"$T/bad.zst"
corrupt_at "$T/bad.zst" 2000
rejects zst "$T/bad.zst" "$T/binary" "a byte flipped in a compressed block"
zstd -q -c -19 "$T/binary" >"$T/sum.zst"
len=$(stat -c %s "$T/sum.zst")
corrupt_at "$T/sum.zst" $((len - 2))
rejects zst "$T/sum.zst" "$T/binary" "a byte flipped in the checksum"
head -c $((len / 2)) "$T/bad.zst" >"$T/short.zst"
rejects zst "$T/short.zst" "$T/binary" "a frame cut in half"
cp "$T/text.zst" "$T/magic.zst"
corrupt_at "$T/magic.zst" 0
rejects zst "$T/magic.zst" "$T/text" "not a zstd frame"
cp "$T/multi.zst" "$T/tail.zst"
printf '\001\002' >>"$T/tail.zst"
rejects zst "$T/tail.zst" "$T/multi" "2 stray bytes after the frames"
finish
