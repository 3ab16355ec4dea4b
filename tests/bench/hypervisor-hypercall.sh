#!/bin/sh
# Side-by-side null-hypercall benchmark: the same pvh-bench test kernel
# (tests/guests/pvh-bench.c: 100000 xen_version(XENVER_version) calls
# through the hypercall page, TSC converted with the pvclock scale) runs
# as dom0 on xenolith and as a PVH domU created by Debian's xl on Xen 4.17
# (Xen cannot run a PVH dom0 under TCG), both under the same QEMU TCG
# settings of the VM platform.  Prints both figures and the ratio.
#   tests/bench/hypervisor-hypercall.sh [BUILDDIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "${1:-$top/_build/release}" && pwd) || exit 2
[ -f "$B/tests/guests/pvh-bench" ] || { echo "$B/tests/guests/pvh-bench not built" >&2; exit 2; }

# field LOG PREFIX: the ns figure of the first "PREFIX null_hypercall_ns=N" line
field() {
	grep -ao "$2 null_hypercall_ns=[0-9]*" "$1" 2>/dev/null | head -n 1 | sed 's/.*=//'
}

"$top/tests/vm/run" guest:pvh-bench --hypervisor xenolith --build "$B" --timeout 300 >/dev/null 2>&1
o=$(field "$B/vm/guest_pvh-bench-xenolith-xenolith/serial.log" "^BENCH")
"$top/tests/vm/run" hv-bench --hypervisor xen-4.17 --build "$B" --timeout 900 >/dev/null 2>&1
x=$(field "$B/vm/hv-bench-xen-4.17-xen-4.17/serial.log" "HV-BENCH")

echo "null hypercall round trip: xen-4.17 ${x:-FAILED} ns (PVH domU), xenolith ${o:-FAILED} ns (PVH dom0)"
if [ -z "$x" ] || [ -z "$o" ] || [ "$o" -eq 0 ]; then
	echo "ratio: n/a (a run failed; logs under $B/vm/)"
	exit 1
fi
echo "ratio xen-4.17/xenolith: $(echo "scale=2; $x / $o" | bc)"
