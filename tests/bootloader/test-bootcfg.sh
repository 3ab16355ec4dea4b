#!/bin/sh
# Our boot menu parsers (bootcfg-list) against Debian's Xen 4.17 pygrub:
# each menu of cfgs/ (NAME.grub2, .grub, .extlinux, .isolinux) and a few
# generated 1 MiB ones goes into its own small ext4 image, at the path
# pygrub looks for, with every kernel and initrd our parser names (each
# holding its own path).  Two checks per menu, byte for byte: pygrub -l's
# listing, and the entry pygrub boots (--output-format=simple, with the
# copied files mapped back to the paths they hold); when pygrub fails,
# bootcfg-list must fail too.
set -u
PYGRUB=${PYGRUB:-/usr/lib/xen-4.17/bin/pygrub}
SRCDIR=${SRCDIR:-.}
LIST=./bootcfg-list
n=0
fail=0

# Menus on which ours deliberately differs, as "NAME reason" lines: none.
KNOWN_DIFFERENT=""

if [ ! -x "$PYGRUB" ]; then
	echo "ok 1 # SKIP Debian's Xen 4.17 pygrub ($PYGRUB) not installed"
	echo "1..1"
	exit 0
fi
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

result() { # OK DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}

show_diff() { # EXPECTED ACTUAL
	diff "$1" "$2" | head -n 20 | sed 's/^/# /'
}

# kind and path inside the guest for a menu's file name
menu_place() {
	case $1 in
	*.grub2) echo "grub2 /boot/grub/grub.cfg" ;;
	*.grub) echo "grub /boot/grub/menu.lst" ;;
	*.extlinux) echo "extlinux /boot/extlinux/extlinux.conf" ;;
	*.isolinux) echo "extlinux /boot/isolinux/isolinux.cfg" ;;
	esac
}

# The kernels and initrds our parser names, each file holding its path.
stage_payloads() { # KIND MENU STAGE
	"$LIST" -p "$1" "$2" 2>/dev/null | sort -u | while IFS= read -r p; do
		case $p in
		/*/../* | */.. | */ | *//*) continue ;;
		/*) ;;
		*) continue ;;
		esac
		[ -e "$3$p" ] && continue
		mkdir -p "$3${p%/*}" 2>/dev/null && printf '%s' "$p" >"$3$p" 2>/dev/null
	done
}

image_make() { # KIND PATH MENU IMAGE
	rm -rf "$T/stage" && mkdir -p "$T/stage${2%/*}" || return 1
	cp "$3" "$T/stage$2" || return 1
	stage_payloads "$1" "$3" "$T/stage"
	mb=$(($(wc -c <"$3") / 1048576 + 8))
	rm -f "$4"
	mkfs.ext4 -q -F -d "$T/stage" "$4" "${mb}M" >/dev/null 2>&1
}

# pygrub's simple output with its copies replaced by the paths they hold
pygrub_default() { # IMAGE OUT
	rm -rf "$T/out" && mkdir "$T/out"
	"$PYGRUB" -q --output-format=simple --output-directory="$T/out" "$1" >"$T/py.raw" 2>/dev/null
	rc=$?
	while IFS= read -r line; do
		case $line in
		"kernel $T/out/"* | "ramdisk $T/out/"*)
			printf '%s %s\n' "${line%% *}" "$(cat "${line#* }")" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$T/py.raw" >"$2"
	return $rc
}

check_menu() { # NAME MENU
	set -- "$1" "$2" $(menu_place "$1")
	name=$1 menu=$2 kind=$3 path=$4
	if ! image_make "$kind" "$path" "$menu" "$T/i.img"; then
		result 1 "$name: ext4 image made"
		return
	fi
	known=$(printf '%s\n' "$KNOWN_DIFFERENT" | sed -n "s/^$name //p")
	"$PYGRUB" -l -q -n "$T/i.img" >"$T/py.l" 2>/dev/null
	"$LIST" -l "$kind" "$menu" >"$T/our.l" 2>"$T/our.err"
	if cmp -s "$T/py.l" "$T/our.l"; then
		result 0 "$name: entries as pygrub -l lists them"
	elif [ -n "$known" ]; then
		result 0 "$name: entries as pygrub -l lists them # SKIP known: $known"
	else
		result 1 "$name: entries as pygrub -l lists them"
		show_diff "$T/py.l" "$T/our.l"
		sed 's/^/# ours: /' "$T/our.err"
	fi
	pygrub_default "$T/i.img" "$T/py.d"
	py_rc=$?
	"$LIST" -d "$kind" "$menu" >"$T/our.d" 2>/dev/null
	our_rc=$?
	if [ $py_rc -ne 0 ] && [ $our_rc -ne 0 ]; then
		result 0 "$name: no entry to boot, as pygrub"
	elif [ $py_rc -eq 0 ] && [ $our_rc -eq 0 ] && cmp -s "$T/py.d" "$T/our.d"; then
		result 0 "$name: boots the entry pygrub boots"
	else
		result 1 "$name: boots the entry pygrub boots (pygrub $py_rc, ours $our_rc)"
		show_diff "$T/py.d" "$T/our.d"
	fi
}

# Menus past pygrub's 1 MiB read limit, cut where pygrub cuts them.
gen_big() {
	i=0
	{
		echo "default 5000"
		echo "timeout 5"
		while [ $i -lt 13000 ]; do
			printf 'title entry %d\n  root (hd0,0)\n  kernel /boot/vmlinuz-%d root=/dev/xvda1 ro quiet\n  initrd /boot/initrd-%d\n' $i $((i % 7)) $((i % 7))
			i=$((i + 1))
		done
	} >"$T/big-1mb.grub"
	i=0
	{
		echo "set default=3"
		while [ $i -lt 16000 ]; do
			printf "menuentry 'entry %d' {\n\tlinux /boot/vmlinuz root=/dev/xvda1 ro\n\tinitrd /boot/initrd\n}\n" $i
			i=$((i + 1))
		done
	} >"$T/big-cut.grub2"
	{
		echo "label long"
		echo "kernel /boot/vmlinuz"
		printf 'append initrd=/boot/initrd root=/dev/xvda1'
		head -c 600000 /dev/zero | tr '\0' 'x'
		echo " initrd=/boot/initrd2 quiet"
	} >"$T/long-append.extlinux"
}

for menu in "$SRCDIR"/cfgs/*; do
	check_menu "${menu##*/}" "$menu"
done
gen_big
for menu in "$T/big-1mb.grub" "$T/big-cut.grub2" "$T/long-append.extlinux"; do
	check_menu "${menu##*/}" "$menu"
done
echo "1..$n"
exit $fail
