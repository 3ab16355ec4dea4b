#!/bin/sh
# The hypervisor's lzo decoder against data made by the real lzop tool, as
# Linux packs a kernel with CONFIG_KERNEL_LZO (the unpacked size
# appended): levels 1 to 9, adler32 or (--crc32) CRC-32 checksums of the
# header and of the data, stored and compressed blocks of 256 KiB, a file
# name in the header; a flipped byte (caught by a checksum: lzop always
# writes one for the data), a wrong size, a cut file, stray bytes and a
# corrupt header are reported, never decoded.
set -u
. "$(dirname "$0")/decompress-tap.sh"

if ! command -v lzop >/dev/null; then
	echo "1..0 # SKIP lzop not installed"
	exit 0
fi
samples
head -c 300000 /dev/zero >"$T/zeros"
cat "$T/binary" "$T/random" "$T/text" "$T/binary" >"$T/big"

try() { # name input lzop-options...
	name=$1
	f=$2
	shift 2
	try_packed lzo "$name" "$f" lzop -q "$@" -c
}
try "empty" empty -9
try "text, level 1" text -1
try "text, level 9 (as Linux)" text -9
try "binary, level 3, CRC-32 checksums" binary -3 --crc32
try "binary, level 7" binary -7
try "random data (stored blocks)" random -9
try "zeros (long matches)" zeros -9
try "$(($(stat -c %s "$T/big") / 1024)) KiB: blocks of 256 KiB" big -9

# A file name in the header (lzop of a file, not of stdin).
cp "$T/text" "$T/named.txt"
{ lzop -q -9 -c "$T/named.txt" && size_append "$(stat -c %s "$T/text")"; } >"$T/named.lzo"
decodes lzo "$T/named.lzo" "$T/text" "a file name in the header"

# Bad input: reported, never handed on as the original.
packed lzo flip binary lzop -q -9 -c
corrupt_at "$T/flip.lzo" 3000
rejects lzo "$T/flip.lzo" "$T/binary" "a byte flipped in a block"
packed lzo sz binary lzop -q -9 -c
len=$(stat -c %s "$T/sz.lzo")
corrupt_at "$T/sz.lzo" $((len - 4))
rejects lzo "$T/sz.lzo" "$T/binary" "the size at the end is wrong"
head -c $((len / 2)) "$T/sz.lzo" >"$T/short.lzo"
size_append "$(stat -c %s "$T/binary")" >>"$T/short.lzo"
rejects lzo "$T/short.lzo" "$T/binary" "a file cut in half"
packed lzo tail text lzop -q -9 -c
printf '\001\002' >>"$T/tail.lzo"
rejects lzo "$T/tail.lzo" "$T/text" "2 stray bytes after the size"
packed lzo hdr text lzop -q -9 -c
corrupt_at "$T/hdr.lzo" 20
rejects lzo "$T/hdr.lzo" "$T/text" "a byte flipped in the header"
packed lzo crc binary lzop -q -9 --crc32 -c
corrupt_at "$T/crc.lzo" 3000
rejects lzo "$T/crc.lzo" "$T/binary" "a byte flipped, CRC-32 checksums"
finish
