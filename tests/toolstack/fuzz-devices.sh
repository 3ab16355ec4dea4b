#!/bin/sh
# Runs the device layer fuzzer for a bounded number of runs on its
# seed corpus (TAP). New inputs go to a scratch directory in the build
# tree, never into the seeds.
rm -rf fuzz-devices.work && mkdir fuzz-devices.work || exit 1
if ./fuzz-devices -runs=${FUZZ_RUNS:-20000} -max_len=1024 -seed=1 -close_fd_mask=2 \
	fuzz-devices.work "${SRCDIR:-.}/corpus-devices" >fuzz-devices.log 2>&1; then
	echo "ok 1 - fuzz-devices: ${FUZZ_RUNS:-20000} runs without a finding"
	echo "1..1"
	exit 0
fi
echo "not ok 1 - fuzz-devices (see fuzz-devices.log)"
tail -n 30 fuzz-devices.log | sed 's/^/# /'
echo "1..1"
exit 1
