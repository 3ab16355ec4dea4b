# Assembling initramfs trees: busybox, ELF programs with their libraries,
# kernel modules with their dependencies, then a newc cpio archive.
# shellcheck shell=bash

BUSYBOX=${BUSYBOX:-/bin/busybox}

img_init() {
	local root=$1 applet
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,run,tmp,var,root}
	if ! "$BUSYBOX" --list >/dev/null 2>&1 || ! file_is_static "$BUSYBOX"; then
		echo "img_init: $BUSYBOX is not a static busybox (apt-get install busybox-static)" >&2
		return 1
	fi
	cp "$BUSYBOX" "$root/bin/busybox"
	for applet in $("$BUSYBOX" --list); do
		[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
	done
	ln -sfn ../run "$root/var/run"
}

file_is_static() {
	! LC_ALL=C ldd "$1" >/dev/null 2>&1
}

# img_add_file ROOT SRC [DST]: plain copy, parents created.
img_add_file() {
	local root=$1 src=$2 dst=${3:-$2}
	mkdir -p "$root$(dirname "$dst")"
	cp -a "$src" "$root$dst"
}

# img_add_elf ROOT SRC [DST]: a dynamically linked program or library and
# every shared object it needs, at the paths the loader will look for.
# With IMG_STAGE set (a `make install DESTDIR`), libraries installed there
# are taken from it and placed at their installed paths.
img_add_elf() {
	local root=$1 src=$2 dst=${3:-$2} lib to libpath=""
	img_add_file "$root" "$src" "$dst"
	file_is_static "$src" && return 0
	[ -n "${IMG_STAGE:-}" ] && libpath="$IMG_STAGE/usr/lib:$IMG_STAGE/usr/lib64"
	for lib in $(LC_ALL=C LD_LIBRARY_PATH=$libpath ldd "$src" |
		awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
		to=$lib
		[ -n "${IMG_STAGE:-}" ] && to=${lib#"$IMG_STAGE"}
		[ -e "$root$to" ] && continue
		mkdir -p "$root$(dirname "$to")"
		cp -L "$lib" "$root$to"
	done
}

# img_add_modules ROOT KERNEL_TREE MODULE...: modules and their dependencies,
# then modules.dep for busybox modprobe.
img_add_modules() {
	local root=$1 ktree=$2 rel mdir m dep
	shift 2
	rel=$(kernel_release "$ktree")
	mdir=lib/modules/$rel
	mkdir -p "$root/$mdir"
	for m in "$@"; do
		dep=$(grep -E "/$m\.ko(\.[a-z]+)?:" "$ktree/$mdir/modules.dep") || {
			echo "img_add_modules: no module $m in $rel" >&2
			return 1
		}
		for f in ${dep/:/}; do
			mkdir -p "$root/$mdir/$(dirname "$f")"
			cp "$ktree/$mdir/$f" "$root/$mdir/$f"
		done
	done
	cp "$ktree/$mdir"/modules.{order,builtin,builtin.modinfo} "$root/$mdir/"
	depmod -b "$root" "$rel"
}

# img_pack ROOT OUT: newc cpio, uncompressed (TCG decompresses slowly).
img_pack() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
		cpio --null --create --format=newc --quiet --owner=0:0) >"$2"
}
