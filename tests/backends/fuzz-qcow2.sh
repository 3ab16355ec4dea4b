#!/bin/sh
# Runs the qcow2 parser fuzzer for a bounded number of runs (TAP). The
# seeds are made here by qemu-img (small images of each kind we read),
# so no image files live in the source tree; new inputs go to a scratch
# directory in the build tree.
rm -rf fuzz-qcow2.work && mkdir -p fuzz-qcow2.work/seeds fuzz-qcow2.work/new || exit 1
s=fuzz-qcow2.work/seeds
if command -v qemu-img >/dev/null 2>&1; then
	qemu-img create -q -f qcow2 -o cluster_size=512 $s/v3-512 256k
	qemu-img create -q -f qcow2 -o compat=0.10,cluster_size=512 $s/v2-512 256k
	qemu-img create -q -f qcow2 -o cluster_size=4096,refcount_bits=8 $s/v3-4k 1M
	qemu-io -f qcow2 -c 'write -P 7 0 3000' -c 'write -z 8192 4096' $s/v3-512 >/dev/null
	qemu-io -f qcow2 -c 'write -P 9 1000 5000' $s/v2-512 >/dev/null
else
	echo "# qemu-img missing: fuzzing from an empty corpus"
fi
if ./fuzz-qcow2 -runs=${FUZZ_RUNS:-20000} -max_len=65536 -seed=1 -close_fd_mask=2 \
	fuzz-qcow2.work/new $s >fuzz-qcow2.log 2>&1; then
	echo "ok 1 - fuzz-qcow2: ${FUZZ_RUNS:-20000} runs without a finding"
	echo "1..1"
	exit 0
fi
echo "not ok 1 - fuzz-qcow2 (see fuzz-qcow2.log)"
tail -n 30 fuzz-qcow2.log | sed 's/^/# /'
echo "1..1"
exit 1
