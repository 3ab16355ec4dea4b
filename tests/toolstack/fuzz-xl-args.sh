#!/bin/sh
# Runs the xl argument-parser fuzzer for a bounded number of runs on its
# seed corpus (TAP). New inputs go to a scratch directory in the build
# tree, never into the seeds.
rm -rf fuzz-xl-args.work && mkdir fuzz-xl-args.work || exit 1
if ./fuzz-xl-args -runs=${FUZZ_RUNS:-20000} -max_len=256 -seed=1 -close_fd_mask=2 \
	fuzz-xl-args.work "${SRCDIR:-.}/corpus-xl-args" >fuzz-xl-args.log 2>&1; then
	echo "ok 1 - fuzz-xl-args: ${FUZZ_RUNS:-20000} runs without a finding"
	echo "1..1"
	exit 0
fi
echo "not ok 1 - fuzz-xl-args (see fuzz-xl-args.log)"
tail -n 30 fuzz-xl-args.log | sed 's/^/# /'
echo "1..1"
exit 1
