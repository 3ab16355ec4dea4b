# Shared by test-gunzip.sh, test-unxz.sh, test-unzstd.sh and test-unlz4.sh
# (sourced): TAP
# counters, a scratch directory, sample inputs, and the checks they make of
# hv-decompress FMT.
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

# size_append SIZE: SIZE as 4 bytes, little-endian, as Linux appends it
size_append() {
	printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))"
	printf "\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 24 & 255)))"
}

# packed FMT OUT IN CMD...: $T/OUT.FMT is CMD's output for $T/IN (on its
# stdin), then IN's size, as Linux packs a kernel with lz4 or lzma
packed() {
	p_fmt=$1
	p_out=$2
	p_in=$3
	shift 3
	{ "$@" <"$T/$p_in" && size_append "$(stat -c %s "$T/$p_in")"; } >"$T/$p_out.$p_fmt"
}

# try_packed FMT NAME IN CMD...: packed, and the decoder gives IN back
try_packed() {
	t_fmt=$1
	t_name=$2
	t_in=$3
	shift 3
	if ! packed "$t_fmt" "$t_in" "$t_in" "$@" 2>"$T/err"; then
		bad "$t_name: $* failed: $(cat "$T/err")"
		return
	fi
	decodes "$t_fmt" "$T/$t_in.$t_fmt" "$T/$t_in" "$t_name ($*)"
}

# samples: empty, random (200 kB), text and binary inputs in $T
samples() {
	: >"$T/empty"
	head -c 200000 /dev/urandom >"$T/random"
	i=0
	while [ $i -lt 4000 ]; do
		echo "line $i: pack my box with five dozen liquor jugs $((i * 13))"
		i=$((i + 1))
	done >"$T/text"
	cat /bin/sh /bin/ls "$T/text" >"$T/binary"
}

finish() {
	echo "1..$n"
	exit $fail
}
