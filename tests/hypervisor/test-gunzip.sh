#!/bin/sh
# The hypervisor's gzip decoder against data made by the real gzip tool.
set -u
H=./hv-gunzip
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

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
		if msg=$($H "$T/$f.$lvl.gz" "$T/$f" 2>&1); then ok "gunzip $f (gzip -$lvl)"; else bad "gunzip $f (gzip -$lvl): $msg"; fi
	done
done
# a file name in the header (FNAME) must be skipped
cp "$T/text" "$T/named"
gzip -k -9 "$T/named"
if msg=$($H "$T/named.gz" "$T/text" 2>&1); then ok "gunzip with FNAME header"; else bad "FNAME: $msg"; fi
# corruption must be detected, never crash
for off in 20 200 2000 20000; do
	cp "$T/mixed.6.gz" "$T/corrupt.gz"
	# complement the byte so it really changes
	b=$(od -An -tu1 -j$off -N1 "$T/corrupt.gz" | tr -d ' ')
	printf "\\$(printf %o $((255 - b)))" | dd of="$T/corrupt.gz" bs=1 seek=$off conv=notrunc 2>/dev/null
	if msg=$($H -f "$T/corrupt.gz" "$T/mixed" 2>&1); then ok "corruption at byte $off detected ($msg)"; else bad "corruption at $off: $msg"; fi
done
head -c 5000 "$T/mixed.6.gz" >"$T/trunc.gz"
if msg=$($H -f "$T/trunc.gz" "$T/mixed" 2>&1); then ok "truncated stream rejected ($msg)"; else bad "truncated: $msg"; fi
echo "1..$n"
exit $fail
