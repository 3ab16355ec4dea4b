# Debian's Linux 6.1 kernel package, fetched once into the cache with
# `apt-get download` and unpacked there; used as dom0 and guest kernel.
# shellcheck shell=bash

vm_cache_dir() {
	echo "${XENOLITH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xenolith}"
}

# Prints the unpacked kernel tree (contains boot/ and lib/modules/).
kernel_fetch() {
	local cache pkg deb tree
	cache=$(vm_cache_dir)
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		echo "kernel_fetch: apt-cache knows no linux-image-amd64 (run apt-get update)" >&2
		return 1
	fi
	tree="$cache/$pkg"
	if [ -f "$tree/.complete" ]; then
		echo "$tree"
		return 0
	fi
	mkdir -p "$cache/debs" || return 1
	deb=$(ls "$cache/debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		(cd "$cache/debs" && apt-get download -q "$pkg" >&2) || {
			echo "kernel_fetch: apt-get download $pkg failed" >&2
			return 1
		}
		deb=$(ls "$cache/debs/${pkg}"_*.deb | head -n 1)
	fi
	rm -rf "$tree.tmp"
	mkdir -p "$tree.tmp"
	dpkg-deb -x "$deb" "$tree.tmp" || return 1
	depmod -b "$tree.tmp" "${pkg#linux-image-}" || return 1
	touch "$tree.tmp/.complete"
	rm -rf "$tree"
	mv "$tree.tmp" "$tree"
	echo "$tree"
}

kernel_release() {
	basename "$(ls -d "$1"/lib/modules/*/ | head -n 1)"
}

kernel_image() {
	ls "$1"/boot/vmlinuz-* | head -n 1
}
