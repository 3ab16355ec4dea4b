#!/bin/sh
# configure must stop on a missing library and name the Debian package that
# provides it. Each library is hidden in turn by giving pkg-config a search
# path that holds every other .pc file. TAP output.
set -u
: "${top_srcdir:?}"
top=$(cd "$top_srcdir" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pcdirs=$(pkg-config --variable pc_path pkg-config)

n=0
fail=0
for pair in libxml-2.0:libxml2-dev yajl:libyajl-dev uuid:uuid-dev \
	zlib:zlib1g-dev liblzma:liblzma-dev libzstd:libzstd-dev; do
	pc=${pair%%:*}
	deb=${pair#*:}
	n=$((n + 1))
	rm -rf "$tmp/pc" "$tmp/b"
	mkdir -p "$tmp/pc" "$tmp/b"
	# Copy every reachable .pc file except the hidden one.
	IFS=:
	for d in $pcdirs; do
		[ -d "$d" ] && cp -n "$d"/*.pc "$tmp/pc/" 2>/dev/null
	done
	unset IFS
	rm -f "$tmp/pc/$pc.pc"
	if (cd "$tmp/b" && PKG_CONFIG_LIBDIR="$tmp/pc" PKG_CONFIG_PATH= \
		"$top/configure" >out 2>&1); then
		echo "not ok $n - configure without $pc should fail"
		fail=1
	elif grep -q "apt-get install $deb" "$tmp/b/out" &&
		grep -q "'$pc' was not found" "$tmp/b/out"; then
		echo "ok $n - configure without $pc names $deb"
	else
		echo "not ok $n - configure without $pc: message lacks the package name"
		tail -n 5 "$tmp/b/out" | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
