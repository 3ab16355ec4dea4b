#!/bin/sh
# Re-records xen-4.17/ from Debian's Xen 4.17 xl: runs the xl-manage VM
# scenario with Xen's own tools and keeps what xl printed between the
# scenario's XL-OUT markers. Usage: record-xen.sh BUILD_DIR (by hand).
set -e
build=${1:?usage: record-xen.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
"$top/tests/vm/run" xl-manage --hypervisor xen-4.17 --tools xen-4.17 --build "$build" \
	--timeout 600 --keep || true	# the record is wanted even if a check failed
serial="$build/vm/xl-manage-xen-4.17-xen-4.17/serial.log"
[ -s "$serial" ] || { echo "record-xen.sh: no serial log at $serial" >&2; exit 1; }
out="$here/xen-4.17"
mkdir -p "$out"
# section NAME: the lines xl printed for one XL-OUT-BEGIN NAME block.
section() {
	tr -d '\r' <"$serial" | awk -v n="$1" '$0 == "XL-OUT-BEGIN " n { p = 1; next } /^XL-OUT-END/ { p = 0 } p'
}
section list >"$out/list.txt"
section list-v >"$out/list-v.txt"
section list-n >"$out/list-n.txt"
section list-c >"$out/list-c.txt"
section list-Z >"$out/list-Z.txt"
section info-n >"$out/info-n.txt"
section list-l >"$out/list-l.json"
section vcpu-list >"$out/vcpu-list.txt"
section uptime >"$out/uptime.txt"
section uptime-s >"$out/uptime-s.txt"
section info >"$out/info.txt"
tr -d '\r' <"$serial" | awk '/^XL-OUT-BEGIN/ { p = 1 } p { print } /^XL-OUT-END/ { p = 0 }' \
	>"$out/xl-manage.record"
echo "record-xen.sh: wrote $out"
