#!/bin/sh
# xl's management commands reject bad command lines before touching the
# hypervisor, with Xen 4.17's messages and exit codes (TAP).
XL=${XL:-../../toolstack/xl}
n=0
fail=0

# expect STATUS TEXT ARGS...: xl ARGS exits with STATUS and prints TEXT.
expect() {
	want=$1
	text=$2
	shift 2
	n=$((n + 1))
	out=$("$XL" "$@" 2>&1)
	got=$?
	if [ "$got" = "$want" ] && printf '%s\n' "$out" | grep -qF -- "$text"; then
		echo "ok $n - xl $*: status $want, '$text'"
	else
		echo "not ok $n - xl $*: wanted status $want and '$text', got $got:"
		printf '%s\n' "$out" | sed 's/^/# /'
		fail=1
	fi
}

expect 2 "option \`x' not supported." info -x
expect 2 "option \`q' not supported." list -q
expect 2 "'xl pause' requires at least 1 argument." pause
expect 2 "'xl unpause' requires at least 1 argument." unpause
expect 2 "'xl rename' requires at least 2 arguments." rename mg1
expect 2 "'xl vcpu-pin' requires at least 3 arguments." vcpu-pin mg1 0
expect 2 "'xl vcpu-set' requires at least 2 arguments." vcpu-set mg1
expect 2 "'xl mem-set' requires at least 2 arguments." mem-set mg1
expect 2 "'xl mem-max' requires at least 2 arguments." mem-max
expect 2 "'xl domid' requires at least 1 argument." domid
expect 2 "'xl sysrq' requires at least 2 arguments." sysrq mg1
expect 1 "Invalid sysrq." sysrq mg1 ab
expect 1 "Invalid sysrq." sysrq mg1 ""
expect 1 "Invalid domain id." domname abc
expect 1 "Invalid domain id." domname 1x
expect 1 "Usage: xl [-vfN] list" list a b
expect 0 "Usage: xl [-vfN] vcpu-pin" vcpu-pin -h
expect 0 "Usage: xl [-vfN] dmesg [-c]" dmesg --help
expect 0 "Set the maximum amount reservation for a domain" help mem-max
echo "1..$n"
exit $fail
