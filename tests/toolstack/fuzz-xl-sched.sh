#!/bin/sh
# Runs the xl sched-credit option fuzzer for a bounded number of runs on its
# seed corpus (TAP). New inputs go to a scratch directory in the build
# tree, never into the seeds.
rm -rf fuzz-xl-sched.work && mkdir fuzz-xl-sched.work || exit 1
if ./fuzz-xl-sched -runs=${FUZZ_RUNS:-20000} -max_len=256 -seed=1 -close_fd_mask=2 \
	fuzz-xl-sched.work "${SRCDIR:-.}/corpus-xl-sched" >fuzz-xl-sched.log 2>&1; then
	echo "ok 1 - fuzz-xl-sched: ${FUZZ_RUNS:-20000} runs without a finding"
	echo "1..1"
	exit 0
fi
echo "not ok 1 - fuzz-xl-sched (see fuzz-xl-sched.log)"
tail -n 30 fuzz-xl-sched.log | sed 's/^/# /'
echo "1..1"
exit 1
