# Shared by test-gunzip.sh and test-unxz.sh (sourced): TAP counters, a
# scratch directory, and the checks both make of hv-decompress FMT.
# shellcheck shell=sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

# decodes FMT FILE ORIGINAL NAME: the decoder reproduces ORIGINAL
decodes() {
	if msg=$(./hv-decompress "$1" "$2" "$3" 2>&1); then ok "$4"; else bad "$4: $msg"; fi
}

# rejects FMT FILE ORIGINAL NAME: bad input is reported, never decoded
rejects() {
	if msg=$(./hv-decompress "$1" -f "$2" "$3" 2>&1); then ok "$4 ($msg)"; else bad "$4: $msg"; fi
}

# corrupt_at FILE OFFSET: complement one byte in place
corrupt_at() {
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %o $((255 - b)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

finish() {
	echo "1..$n"
	exit $fail
}
