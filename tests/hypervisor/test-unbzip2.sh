#!/bin/sh
# The hypervisor's bzip2 decoder against data made by the real bzip2 tool,
# as Linux packs a kernel with CONFIG_KERNEL_BZIP2 (the unpacked size
# appended): block sizes 1 to 9, runs long enough for every run-length
# stage, several blocks and several streams; a flipped byte (caught by the
# block CRC), a wrong size, a cut stream and stray bytes are reported,
# never decoded.
set -u
. "$(dirname "$0")/decompress-tap.sh"

if ! command -v bzip2 >/dev/null; then
	echo "1..0 # SKIP bzip2 not installed"
	exit 0
fi
samples
head -c 300000 /dev/zero >"$T/zeros"
i=0
while [ $i -lt 6 ]; do
	cat "$T/binary" "$T/random" "$T/text"
	i=$((i + 1))
done >"$T/big"

try() { # name input bzip2-options...
	name=$1
	f=$2
	shift 2
	try_packed bz2 "$name" "$f" bzip2 -q "$@" -c
}
try "empty" empty -9
try "text, blocks of 100 kB" text -1
try "text, blocks of 900 kB (as Linux)" text -9
try "binary, blocks of 500 kB" binary -5
try "random data" random -9
try "zeros (long runs)" zeros -9
try "$(($(stat -c %s "$T/big") / 1048576)) MiB, blocks of 100 kB" big -1
try "$(($(stat -c %s "$T/big") / 1048576)) MiB, blocks of 900 kB" big -9

# Two streams (as pbzip2 writes), with and without Linux's size.
{ bzip2 -9 -c "$T/text"; bzip2 -1 -c "$T/binary"; } >"$T/two.bz2"
cat "$T/text" "$T/binary" >"$T/two"
decodes bz2 "$T/two.bz2" "$T/two" "two streams, nothing after them"
cp "$T/two.bz2" "$T/two-size.bz2"
size_append "$(stat -c %s "$T/two")" >>"$T/two-size.bz2"
decodes bz2 "$T/two-size.bz2" "$T/two" "two streams, then the size"

# Bad input: reported, never handed on as the original.
packed bz2 flip binary bzip2 -q -9 -c
corrupt_at "$T/flip.bz2" 3000
rejects bz2 "$T/flip.bz2" "$T/binary" "a byte flipped in a block"
packed bz2 sz binary bzip2 -q -9 -c
len=$(stat -c %s "$T/sz.bz2")
corrupt_at "$T/sz.bz2" $((len - 4))
rejects bz2 "$T/sz.bz2" "$T/binary" "the size at the end is wrong"
head -c $((len / 2)) "$T/sz.bz2" >"$T/short.bz2"
rejects bz2 "$T/short.bz2" "$T/binary" "a stream cut in half"
cp "$T/two.bz2" "$T/tail.bz2"
printf '\001\002' >>"$T/tail.bz2"
rejects bz2 "$T/tail.bz2" "$T/two" "2 stray bytes after the streams"
cp "$T/text.bz2" "$T/magic.bz2"
corrupt_at "$T/magic.bz2" 0
rejects bz2 "$T/magic.bz2" "$T/text" "not bzip2 data"
finish
