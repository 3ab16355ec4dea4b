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

# kernel_repack FORMAT IN OUT: the bzImage IN with its payload unpacked
# and packed again by FORMAT (gzip, zstd, lz4, lzma, bzip2 or lzo), as a
# kernel built with CONFIG_KERNEL_GZIP / _ZSTD / _LZ4 / _LZMA / _BZIP2 /
# _LZO carries it (the unpacked size appended, the setup header's
# payload_length updated).  Linux uses zstd -22 --ultra; -19 here takes a
# fraction of the time and makes the same format.  The others as Linux:
# lz4 -l -9, lzma -9, bzip2 -9, lzop -9.  Only for hypervisors that unpack the payload themselves.
kernel_repack() {
	local fmt=$1 in=$2 out=$3 setup start off len size
	setup=$(od -An -tu1 -j 497 -N1 "$in" | tr -d ' ')
	[ "$setup" = 0 ] && setup=4
	start=$(((setup + 1) * 512))
	off=$(od -An -tu4 -j 584 -N4 "$in" | tr -d ' ')
	len=$(od -An -tu4 -j 588 -N4 "$in" | tr -d ' ')
	tail -c +$((start + off + 1)) "$in" | head -c "$len" | xz -dc --single-stream >"$out.elf" ||
		return 1
	size=$(stat -c %s "$out.elf")
	{
		head -c $((start + off)) "$in"
		case $fmt in
		gzip) gzip -9 -n -c "$out.elf" ;;
		zstd) zstd -19 -q -c "$out.elf" ;;
		lz4) lz4 -l -9 -q -c "$out.elf" ;;
		lzma) lzma -9 -c <"$out.elf" ;;
		bzip2) bzip2 -9 -c <"$out.elf" ;;
		lzo) lzop -9 -c <"$out.elf" ;;
		*) return 1 ;;
		esac
		le32 "$size"
		tail -c +$((start + off + len + 1)) "$in"
	} >"$out" || return 1
	len=$(($(stat -c %s "$out") - $(stat -c %s "$in") + len))
	le32 "$len" | dd of="$out" bs=1 seek=588 conv=notrunc status=none
	rm -f "$out.elf"
}

le32() {
	local v=$1
	printf "\\$(printf %03o $((v & 255)))\\$(printf %03o $((v >> 8 & 255)))"
	printf "\\$(printf %03o $((v >> 16 & 255)))\\$(printf %03o $((v >> 24 & 255)))"
}
