#!/bin/sh
# xm, xl under its old name (toolstack/xm.c): xm create's config search
# path and file-name default, option translation, and the refusals of
# what lived in xend (TAP).  Runs without a hypervisor: create is checked
# with -n, which parses and prints the domain config.
XL=${XL:-../../toolstack/xl}
TOP_BUILDDIR=${TOP_BUILDDIR:-../..}
tmp=$(mktemp -d /tmp/xm-args-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
fail=0

# The binary must see "xm" as its name: libtool's wrapper script would
# hide it, so link the real program and give it the build's libraries.
real=$(dirname "$XL")/.libs/$(basename "$XL")
[ -x "$real" ] || real=$XL
case $real in /*) ;; *) real=$(pwd)/$real ;; esac
ln -s "$real" "$tmp/xm"
LD_LIBRARY_PATH=$(find "$(cd "$TOP_BUILDDIR" && pwd)" -type d -name .libs | tr '\n' ':')$LD_LIBRARY_PATH
export LD_LIBRARY_PATH
XM=$tmp/xm

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/# /'
		fail=1
	fi
}

# expect STATUS TEXT ARGS...: xm ARGS (from $tmp/cwd) exits with STATUS
# and prints TEXT.
expect() {
	want=$1
	text=$2
	shift 2
	out=$(cd "$tmp/cwd" && "$XM" "$@" 2>&1)
	got=$?
	[ "$got" = "$want" ] && printf '%s\n' "$out" | grep -qF -- "$text"
	ok $? "xm $*: status $want, '$text'" "got $got: $out"
}

mkdir -p "$tmp/cwd/dir" "$tmp/etc" "$tmp/cwd/C5"
cfg="bootloader = '/usr/bin/pygrub'
memory = 128
vif = [ '' ]
disk = [ 'phy:mapper/VolGroup00-C4,sda1,w' ]"
printf "name = 'C4'\n%s\n" "$cfg" >"$tmp/etc/C4"
printf "%s\n" "$cfg" >"$tmp/etc/noname"
printf "name = 'here'\n%s\n" "$cfg" >"$tmp/cwd/C4"
printf "name = 'C5'\n%s\n" "$cfg" >"$tmp/etc/C5"

# The search: the name as given first (from the current directory), then
# each directory of --path; a directory of that name is not a config.
expect 0 'Using config file "./C4".' create -n --path="$tmp/etc" C4
expect 0 '"name": "here"' create -n --path="$tmp/etc" C4
expect 0 "Using config file \"$tmp/etc/C5\"." create -n --path="/nonexistent:$tmp/etc" C5
expect 0 '"name": "C5"' create -n --path "$tmp/etc" C5
expect 0 "Using config file \"$tmp/etc/C4\"." create -n "$tmp/etc/C4"
expect 0 "Using config file \"$tmp/etc/C5\"." create -n -f C5 --path="$tmp/nothing:$tmp/etc"
expect 1 "Error: Unable to open config file: C6 (looked for it as given and in $tmp/etc)" \
	create -n --path="$tmp/etc" C6
expect 1 "Error: Unable to open config file: $tmp/etc/C4x" create -n "$tmp/etc/C4x"
expect 1 "Unable to open config file: dir/C4 (looked for it as given and in .:" \
	create -n --path=.:/nonexistent/xen dir/C4
# xm named a domain after its config file when the file had no name=
expect 0 '"name": "noname"' create -n --path="$tmp/etc" noname
out=$("$XL" create -n "$tmp/etc/noname" 2>&1)
[ $? = 1 ] && printf '%s\n' "$out" | grep -qF "name: Domain name must be specified."
ok $? "xl itself still requires name= (no file-name default outside xm)" "$out"
# VAR=VAL arguments win over the file, options may come after them
expect 0 '"max_memkb": 262144' create --path="$tmp/etc" C5 memory=256 -n
# -q: no "Using config file"; the JSON is that of xl create -n on the file
out=$(cd "$tmp/cwd" && "$XM" create -q -n --path="$tmp/etc" C5 2>&1 | grep -v '"uuid"')
ref=$("$XL" create -q -n "$tmp/etc/C5" 2>&1 | grep -v '"uuid"')
printf '%s\n' "$out" | grep -qF '"c_info"' && [ "$out" = "$ref" ]
ok $? "xm create -q -n prints exactly what xl create -q -n prints (uuid aside)" "$out"

# What needed xend is refused by name; the rest goes to xl's commands.
for c in new start delete suspend resume; do
	expect 1 "Error: xm $c: domains managed by xend are not supported" $c C4
done
expect 1 "Error: xm list -l printed xend's SXP record" list -l
expect 1 "Error: xm list -l printed xend's SXP record" list --long C4
expect 1 "Error: xm create -F: SXP domain configs were read by xend" create -F x.sxp
expect 1 "Error: xm create -x: XML configs were read by xend" create -x C4
expect 2 "Error: xm create: more than one config file given (\`C4' and \`C5')" create C4 C5
expect 2 "Error: xm create: no config file given" create memory=1
expect 0 "Usage: xm <subcommand>" create -h
expect 0 "Usage: xm <subcommand>" help
expect 1 "xm: command not implemented: frobnicate" frobnicate
# shutdown -R is xl reboot, -H the plain shutdown: xl's own usage errors say which
expect 2 "Usage: xl [-vfN] reboot" shutdown -R
expect 2 "Usage: xl [-vfN] shutdown" shutdown -H
expect 2 "'xl pause' requires at least 1 argument." pause

echo "1..$n"
exit $fail
