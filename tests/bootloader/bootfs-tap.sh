# Shared by test-bootfs.sh and test-bootiso.sh (sourced, after $tmp is
# made): TAP counters, sample data, poking bytes into an image, and the
# check that a bad image is refused cleanly by bootfs-tool.
# shellcheck shell=sh
: "${TOP_BUILDDIR:?}"
TOOL=$TOP_BUILDDIR/tests/bootloader/bootfs-tool
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $* # SKIP"; }

# data FILE SIZE: content that differs in every block, so misplaced
# blocks show.
data() { seq -w 1 100000000 | head -c "$2" >"$1"; }

# poke IMAGE OFFSET BYTES: printf-escaped BYTES written at OFFSET.
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }

# expect_fail WHAT TEXT CMD...: fails cleanly (exit 1) with TEXT in the message.
expect_fail() {
	what=$1 text=$2
	shift 2
	"$@" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$text" "$tmp/err"; then
		ok "$what: $(head -n1 "$tmp/err" | sed 's/^bootfs-tool: //')"
	else
		notok "$what (exit $rc, expected 1 and '$text')"
		sed 's/^/# /' "$tmp/err"
	fi
}
