#!/bin/sh
# Side-by-side boot benchmark: the same Debian Linux 6.1 kernel and busybox
# initramfs as dom0 on Xen 4.17 (PV dom0, the mode that runs under TCG)
# and on xenolith (PVH dom0), under identical QEMU TCG settings.  Measures
# QEMU start -> dom0 marker line, and prints the ratio.  xenolith also
# boots with maxcpus=1 (both dom0 vCPUs share the boot CPU, as in stage 1)
# to show what per-pCPU run queues bring, and both boot the kernel again
# with its payload recompressed by gzip, zstd, lz4, lzma, bzip2 and lzo.  The
# null-hypercall comparison is tests/bench/hypervisor-hypercall.sh.
#   tests/bench/hypervisor-boot.sh [BUILDDIR]
set -u
B=$(cd "${1:-$(dirname "$0")/../../_build/release}" && pwd)
. "$(dirname "$0")/../vm/lib/kernel.sh"
CACHE=$(vm_cache_dir)
KTREE=$(kernel_fetch) || { echo "cannot fetch Debian's kernel" >&2; exit 2; }
KERNEL=$(kernel_image "$KTREE")
XEN=$CACHE/xen-4.17-amd64
if [ ! -f "$XEN" ]; then
	gunzip -c /boot/xen-4.17-amd64.gz >"$XEN" || { echo "no /boot/xen-4.17-amd64.gz" >&2; exit 2; }
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/root/bin" "$T/root/proc" "$T/root/sys" "$T/root/dev"
cp "$(command -v busybox)" "$T/root/bin/busybox"
cat >"$T/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
echo "CPUs: $(grep -c ^processor /proc/cpuinfo)"
echo XENOLITH-DOM0-MARKER
poweroff -f
INIT
chmod +x "$T/root/init"
(cd "$T/root" && find . | cpio -o -H newc 2>/dev/null | gzip -1 >"$T/initrd.gz")

# boot NAME HYPERVISOR ARGS: prints seconds from QEMU start to the marker
boot() {
	log=$T/$1.log
	: >"$log"
	start=$(date +%s.%N)
	timeout 300 qemu-system-x86_64 -machine q35 -accel tcg -cpu qemu64,+svm,+npt -m 2048 \
		-smp 2 -display none -serial "file:$log" -no-reboot -kernel "$2" -append "$3" \
		-initrd "$KERNEL console=hvc0 loglevel=4,$T/initrd.gz" </dev/null >/dev/null 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null && ! grep -q XENOLITH-DOM0-MARKER "$log"; do
		sleep 0.05
	done
	t=$(date +%s.%N)
	wait $pid
	if grep -q XENOLITH-DOM0-MARKER "$log"; then
		echo "$t - $start" | bc
	else
		# keep the evidence (watchdog reports, last lines) for the reader
		mkdir -p "$B/bench-logs" && cp "$log" "$B/bench-logs/$1.log"
		echo "FAILED (log: $B/bench-logs/$1.log)"
	fi
}

common="console=com1 com1=115200,8n1 dom0_mem=512M dom0_max_vcpus=2"
x=$(boot xen "$XEN" "$common")
o=$(boot xenolith "$B/hypervisor/xenolith" "$common")
o1=$(boot xenolith-1cpu "$B/hypervisor/xenolith" "$common maxcpus=1")
echo "boot to dom0 marker: xen-4.17 ${x}s, xenolith ${o}s (xenolith, vCPUs on one pCPU: ${o1}s)"
case "$x$o" in
*FAILED*) echo "ratio: n/a (a boot failed)"; exit 1 ;;
esac
echo "ratio xenolith/xen-4.17: $(echo "scale=2; $o / $x" | bc)"
case "$o1" in
*FAILED*) ;;
*) echo "ratio xenolith/xenolith-one-pCPU: $(echo "scale=2; $o / $o1" | bc)" ;;
esac

# The same kernel with a gzip payload (CONFIG_KERNEL_GZIP), a zstd one
# (CONFIG_KERNEL_ZSTD, as Ubuntu ships its kernels now) and an lz4 one
# (CONFIG_KERNEL_LZ4, a choice some distributions made), and lzma, bzip2
# and lzo ones: each
# hypervisor's other decompressors.
XZ_KERNEL=$KERNEL
for fmt in gzip zstd lz4 lzma bzip2 lzo; do
	kernel_repack "$fmt" "$XZ_KERNEL" "$T/vmlinuz-$fmt" || continue
	KERNEL=$T/vmlinuz-$fmt
	xf=$(boot "xen-$fmt" "$XEN" "$common")
	of=$(boot "xenolith-$fmt" "$B/hypervisor/xenolith" "$common")
	echo "$fmt payload: xen-4.17 ${xf}s, xenolith ${of}s"
	case "$xf$of" in
	*FAILED*) exit 1 ;;
	esac
	echo "ratio xenolith/xen-4.17 ($fmt): $(echo "scale=2; $of / $xf" | bc)"
done
