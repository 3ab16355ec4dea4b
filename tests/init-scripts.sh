#!/bin/sh
# The init scripts as installed: systemd units pass `systemd-analyze
# verify` inside the installed tree, and every shell script (xencommons,
# the BSD rc.d scripts) parses with a POSIX shell. TAP output.
set -u
: "${top_builddir:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

# A clean make: settings of the make running this test must not leak in.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top_builddir" install \
	DESTDIR="$tmp/root" >"$tmp/install.log" 2>&1
result $? "make install DESTDIR"
units=$(cd "$tmp/root" && ls usr/lib/systemd/system/* 2>/dev/null)
[ -n "$units" ]
result $? "systemd units installed"

if command -v systemd-analyze >/dev/null; then
	# verify resolves dependencies and ExecStart paths inside --root.
	mkdir -p "$tmp/root/usr/lib/systemd/system" "$tmp/root/bin"
	cp -n /lib/systemd/system/*.target "$tmp/root/usr/lib/systemd/system/" 2>/dev/null
	cp /bin/grep /bin/mkdir "$tmp/root/bin/"
	for u in $units; do
		out=$(cd "$tmp/root" && systemd-analyze verify --root="$tmp/root" "$u" 2>&1)
		[ -z "$out" ]
		result $? "systemd-analyze verify $(basename "$u")${out:+: $out}"
	done
	# The check must be able to fail: a bad type and a missing program.
	sed 's|^Type=.*|Type=sometimes|; s|^ExecStart=.*|ExecStart=/nonexistent/xenstored|' \
		"$tmp/root/usr/lib/systemd/system/xenstored.service" \
		>"$tmp/root/usr/lib/systemd/system/broken.service"
	out=$(cd "$tmp/root" && systemd-analyze verify --root="$tmp/root" \
		usr/lib/systemd/system/broken.service 2>&1)
	[ -n "$out" ]
	result $? "systemd-analyze rejects a broken unit"
fi

for s in etc/init.d/xencommons usr/lib/xen/bin/xendomains \
	usr/share/xenolith/rc.d/freebsd/xencommons usr/share/xenolith/rc.d/netbsd/xencommons; do
	[ -x "$tmp/root/$s" ] && dash -n "$tmp/root/$s"
	result $? "$s installed and parses (dash -n)"
	[ -f "$tmp/root/$s" ] && ! grep -q '@[a-z]*@' "$tmp/root/$s"
	result $? "$s has every @path@ filled in"
done
# /etc/init.d/xendomains is a link to the script xendomains.service runs.
[ "$(readlink "$tmp/root/etc/init.d/xendomains")" = /usr/lib/xen/bin/xendomains ]
result $? "etc/init.d/xendomains links to /usr/lib/xen/bin/xendomains"
echo "1..$n"
exit $fail
