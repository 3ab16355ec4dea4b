#!/bin/sh
# The hypervisor's lz4 decoder against data made by the real lz4 tool in
# its legacy format (-l), as Linux packs a kernel, with the unpacked size
# appended: fast and high compression levels, several 8 MiB blocks, two
# streams one after the other.  lz4 carries no checksum: a wrong size at
# the end, a cut stream, a block longer than the stream, and the newer
# frame format are reported; a flipped byte never decodes to the original.
set -u
. "$(dirname "$0")/decompress-tap.sh"

if ! command -v lz4 >/dev/null; then
	echo "1..0 # SKIP lz4 not installed"
	exit 0
fi
samples
head -c 300000 /dev/zero >"$T/zeros"
i=0
while [ $i -lt 24 ]; do
	cat "$T/binary" "$T/random"
	i=$((i + 1))
done >"$T/big"

try() { # name input lz4-options...
	name=$1
	f=$2
	shift 2
	try_packed lz4 "$name" "$f" lz4 -q -l "$@" -c
}
try "empty" empty
try "text, fast" text -1
try "text, level 9 (as Linux)" text -9
try "binary, level 12" binary -12
try "binary, level 12, favouring decode speed" binary -12 --favor-decSpeed
try "random data (literals only)" random -9
try "zeros (overlapping matches)" zeros -9
try "$(($(stat -c %s "$T/big") / 1048576)) MiB: several 8 MiB blocks" big -9

# Two streams, one after the other, then the size of both.
{
	lz4 -q -l -9 -c "$T/text"
	lz4 -q -l -9 -c "$T/binary"
	size_append $(($(stat -c %s "$T/text") + $(stat -c %s "$T/binary")))
} >"$T/two.lz4"
cat "$T/text" "$T/binary" >"$T/two"
decodes lz4 "$T/two.lz4" "$T/two" "two streams one after the other"

# Bad input: reported, never handed on as the original.
packed lz4 sz binary lz4 -q -l -9 -c
len=$(stat -c %s "$T/sz.lz4")
corrupt_at "$T/sz.lz4" $((len - 4))
rejects lz4 "$T/sz.lz4" "$T/binary" "the size at the end is wrong"
packed lz4 flip binary lz4 -q -l -9 -c
corrupt_at "$T/flip.lz4" 3000
rejects lz4 "$T/flip.lz4" "$T/binary" "a byte flipped in a block"
packed lz4 cut binary lz4 -q -l -9 -c
head -c $((len / 2)) "$T/cut.lz4" >"$T/short.lz4"
size_append "$(stat -c %s "$T/binary")" >>"$T/short.lz4"
rejects lz4 "$T/short.lz4" "$T/binary" "a stream cut in half"
packed lz4 long binary lz4 -q -l -9 -c
corrupt_at "$T/long.lz4" 7
rejects lz4 "$T/long.lz4" "$T/binary" "a block longer than the stream"
cp "$T/text.lz4" "$T/magic.lz4"
corrupt_at "$T/magic.lz4" 0
rejects lz4 "$T/magic.lz4" "$T/text" "not an lz4 stream"
{ lz4 -q -9 -c "$T/text" && size_append "$(stat -c %s "$T/text")"; } >"$T/frame.lz4"
rejects lz4 "$T/frame.lz4" "$T/text" "lz4's frame format (not Linux's)"
finish
