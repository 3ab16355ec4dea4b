#!/bin/sh
# The hypervisor's xz decoder against data made by the real xz tool,
# including the x86 BCJ + LZMA2 + CRC32 combination Linux uses.
set -u
. "$(dirname "$0")/decompress-tap.sh"

if ! command -v xz >/dev/null; then
	echo "1..0 # SKIP xz not installed"
	exit 0
fi
samples
cat "$T/text" "$T/random" "$T/binary" >"$T/mixed"

try() { # name input xz-options...
	name=$1
	f=$2
	shift 2
	if ! xz -c "$@" "$T/$f" >"$T/$f.xz" 2>"$T/err"; then
		bad "$name: xz $* failed: $(cat "$T/err")"
		return
	fi
	decodes xz "$T/$f.xz" "$T/$f" "$name (xz $*)"
}
try "empty" empty
try "text, preset 0" text -0
try "text, preset 6" text -6
try "random data" random -6
try "binary, preset 9e" binary -9e
try "binary, CRC32 check" binary --check=crc32
try "binary, no check" binary --check=none
try "binary, x86 BCJ" binary --x86 --lzma2=preset=6
try "binary, Linux kernel settings" binary --check=crc32 --x86 --lzma2=,dict=32MiB
try "mixed, several blocks" mixed --block-size=65536
try "mixed, lc=4 lp=0 pb=0" mixed --lzma2=lc=4,lp=0,pb=0
try "mixed, lc=0 lp=4 pb=4" mixed --lzma2=lc=0,lp=4,pb=4
# Chunks shorter than the decoder's per-symbol input margin, and around it.
for sz in 1 7 40 64 65 100 300 4095; do
	head -c $sz "$T/binary" >"$T/small$sz"
	try "binary, first $sz bytes" small$sz --check=crc32 --x86 --lzma2=preset=6
done

xz -c --check=crc32 --x86 --lzma2=preset=6 "$T/mixed" >"$T/good.xz"
for off in 30 300 3000 30000; do
	cp "$T/good.xz" "$T/corrupt.xz"
	corrupt_at "$T/corrupt.xz" $off
	rejects xz "$T/corrupt.xz" "$T/mixed" "corruption at byte $off detected"
done
head -c 4000 "$T/good.xz" >"$T/trunc.xz"
rejects xz "$T/trunc.xz" "$T/mixed" "truncated stream rejected"
xz -c --check=sha256 "$T/text" >"$T/sha.xz"
rejects xz "$T/sha.xz" "$T/text" "unsupported SHA-256 check reported"
finish
