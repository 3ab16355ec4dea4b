#!/bin/sh
# Runs every xlcfg libFuzzer target for a bounded number of runs on its
# seed corpus (TAP: one line per target). New inputs go to a scratch
# directory in the build tree: libFuzzer writes into (and reduces) the
# first corpus directory it is given, which must not be the seeds.
n=0
fail=0
for t in cfg disk vif pci json domain; do
	n=$((n + 1))
	rm -rf fuzz-xlcfg-$t.work && mkdir fuzz-xlcfg-$t.work || exit 1
	if ./fuzz-xlcfg-$t -runs=${FUZZ_RUNS:-20000} -max_len=4096 -seed=1 -close_fd_mask=2 \
		fuzz-xlcfg-$t.work "${SRCDIR:-.}/corpus-$t" >fuzz-xlcfg-$t.log 2>&1; then
		echo "ok $n - fuzz-xlcfg-$t: ${FUZZ_RUNS:-20000} runs without a finding"
	else
		echo "not ok $n - fuzz-xlcfg-$t (see fuzz-xlcfg-$t.log)"
		tail -n 30 fuzz-xlcfg-$t.log | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
