#!/bin/sh
# The hypervisor's gzip decoder against data made by the real gzip tool.
set -u
. "$(dirname "$0")/decompress-tap.sh"

if ! command -v gzip >/dev/null; then
	echo "1..0 # SKIP gzip not installed"
	exit 0
fi
: >"$T/empty"
head -c 300000 /dev/urandom >"$T/random"
i=0
while [ $i -lt 3000 ]; do echo "line $i: the quick brown fox jumps over the lazy dog $((i * 7))"; i=$((i + 1)); done >"$T/text"
head -c 200000 /dev/zero >"$T/zeros"
cat "$T/text" "$T/random" "$T/zeros" >"$T/mixed"
for f in empty random text zeros mixed; do
	for lvl in 1 6 9; do
		gzip -c -$lvl "$T/$f" >"$T/$f.$lvl.gz"
		decodes gz "$T/$f.$lvl.gz" "$T/$f" "gunzip $f (gzip -$lvl)"
	done
done
# short inputs: the table lookup may look past the last code
cat /bin/sh /bin/ls >"$T/binary"
for sz in 1 2 3 10 100 1000; do
	head -c $sz "$T/binary" >"$T/small$sz"
	gzip -c -9 "$T/small$sz" >"$T/small$sz.gz"
	decodes gz "$T/small$sz.gz" "$T/small$sz" "gunzip of the first $sz bytes of a binary"
done
gzip -c -9 "$T/binary" >"$T/binary.gz"
decodes gz "$T/binary.gz" "$T/binary" "gunzip of binaries"
# a file name in the header (FNAME) must be skipped
cp "$T/text" "$T/named"
gzip -k -9 "$T/named"
decodes gz "$T/named.gz" "$T/text" "gunzip with FNAME header"
# corruption must be detected, never crash
for off in 20 200 2000 20000; do
	cp "$T/mixed.6.gz" "$T/corrupt.gz"
	corrupt_at "$T/corrupt.gz" $off
	rejects gz "$T/corrupt.gz" "$T/mixed" "corruption at byte $off detected"
done
head -c 5000 "$T/mixed.6.gz" >"$T/trunc.gz"
rejects gz "$T/trunc.gz" "$T/mixed" "truncated stream rejected"
finish
