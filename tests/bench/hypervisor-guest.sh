#!/bin/sh
# Side-by-side guest lifecycle benchmark: the hv-stack VM scenario (our
# dom0 tools; Debian's Linux 6.1 as a PVH domU with 256 MiB and 2 vCPUs:
# created by xl until its marker, rebooted into a new domid, shut down
# with -w; a crashed guest destroyed; 1000 event channel round trips
# between dom0 user space and the pvh-idle echo guest) on Xen 4.17 and
# on xenolith, one after the other in one run, same dom0 kernel, same
# guest, same QEMU TCG settings.  Prints each metric (all: lower is
# better) and the ratio Xen 4.17 / xenolith (above 1: xenolith is faster).
#   tests/bench/hypervisor-guest.sh [BUILDDIR]
set -u
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-$here/../../_build/release}" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

for hv in xen-4.17 xenolith; do
	if ! "$here/../vm/run" hv-stack --hypervisor "$hv" --tools xenolith --build "$B" \
		--timeout 1500 >"$T/$hv.out" 2>&1; then
		echo "# hv-stack on $hv did not pass:" >&2
		tail -n 20 "$T/$hv.out" >&2
	fi
	# kept beside the build: a slow or hung run is diagnosed from it
	# (the next scenario run of the same name starts a new one)
	cp "$B/vm/hv-stack-$hv-xenolith/serial.log" "$B/vm/bench-hv-stack-$hv.serial.log" 2>/dev/null
	# the serial log has CRLF line ends
	grep -a "VM-METRIC" "$B/vm/hv-stack-$hv-xenolith/serial.log" |
		sed 's/.*VM-METRIC: //' | tr -d '\r' >"$T/$hv.metrics"
done

metric() { awk -F= -v k="$2" '$1 == k { print $2 }' "$T/$1.metrics"; }
printf '%-24s %12s %12s %8s\n' metric xen-4.17 xenolith ratio
rc=0
for m in dom0_init_uptime_s hv_create_to_marker_s hv_reboot_to_marker_s hv_shutdown_w_s \
	hv_destroy_s hv_evtchn_rtt_us; do
	x=$(metric xen-4.17 "$m")
	y=$(metric xenolith "$m")
	if [ -z "$x" ] || [ -z "$y" ]; then
		printf '%-24s %12s %12s %8s\n' "$m" "${x:-n/a}" "${y:-n/a}" "-"
		rc=1
		continue
	fi
	printf '%-24s %12s %12s %8s\n' "$m" "$x" "$y" \
		"$(awk -v a="$x" -v b="$y" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
done
exit $rc
