#!/bin/sh
# The example configs shipped in configs/ load with xl create -n (TAP).
n=0
fail=0
for f in "${TOP_SRCDIR:-../..}"/configs/xlexample.*; do
	n=$((n + 1))
	if "$XL" create -q -n "$f" >/dev/null 2>examples.err && [ ! -s examples.err ]; then
		echo "ok $n - $(basename "$f") loads without warnings"
	else
		echo "not ok $n - $(basename "$f")"
		sed 's/^/# /' examples.err
		fail=1
	fi
done
# xl.conf is read by xl on every run: it must parse too.
n=$((n + 1))
if XL_CONF="${TOP_SRCDIR:-../..}/configs/xl.conf" "$XL" create -q -n \
	"${TOP_SRCDIR:-../..}/configs/xlexample.pvh" >/dev/null 2>examples.err; then
	echo "ok $n - xl.conf parses"
else
	echo "not ok $n - xl.conf"
	sed 's/^/# /' examples.err
	fail=1
fi
# xl.conf defaults reach new vifs, as with Xen's xl
n=$((n + 1))
printf 'vif.default.bridge="xenbr9"\nvif.default.script="vif-custom"\nrun_hotplug_scripts=0\nclaim_mode=0\n' >examples.conf
if XL_CONF=examples.conf "$XL" -N network-attach 0 mac=00:16:3e:00:00:09 >examples.out 2>examples.err &&
	grep -q '"bridge": "xenbr9"' examples.out && grep -q '"script": "vif-custom"' examples.out &&
	XL_CONF=examples.conf "$XL" create -q -n "${TOP_SRCDIR:-../..}/configs/xlexample.pvh" >examples.out 2>>examples.err &&
	grep -q '"run_hotplug_scripts": "False"' examples.out && grep -q '"claim_mode": "False"' examples.out; then
	echo "ok $n - xl.conf defaults (vif.default.*, run_hotplug_scripts, claim_mode) are applied"
else
	echo "not ok $n - xl.conf defaults"
	sed 's/^/# /' examples.err
	fail=1
fi
echo "1..$n"
exit $fail
