#!/bin/sh
# Runs libFuzzer targets for a bounded number of runs on their seed
# corpora (TAP: one line per target). Each argument is NAME:MAX_LEN or
# NAME:MAX_LEN:CORPUS for the program ./fuzz-NAME and the seeds in
# $SRCDIR/corpus-CORPUS (CORPUS defaults to NAME); without arguments,
# xlcfg's own targets. Other test directories run theirs through this
# script. New inputs go to a scratch directory in the build tree:
# libFuzzer writes into (and reduces) the first corpus directory it is
# given, which must not be the seeds.
if [ $# -eq 0 ]; then
	set -- xlcfg-cfg:4096:cfg xlcfg-disk:4096:disk xlcfg-vif:4096:vif xlcfg-pci:4096:pci \
		xlcfg-json:4096:json xlcfg-domain:4096:domain
fi
runs=${FUZZ_RUNS:-20000}
n=0
fail=0
for target; do
	name=${target%%:*}
	rest=${target#*:}
	max_len=${rest%%:*}
	corpus=${rest#*:}
	[ "$corpus" = "$rest" ] && corpus=$name
	n=$((n + 1))
	rm -rf fuzz-$name.work && mkdir fuzz-$name.work || exit 1
	if ./fuzz-$name -runs=$runs -max_len=$max_len -seed=1 -close_fd_mask=2 \
		fuzz-$name.work "${SRCDIR:-.}/corpus-$corpus" >fuzz-$name.log 2>&1; then
		echo "ok $n - fuzz-$name: $runs runs without a finding"
	else
		echo "not ok $n - fuzz-$name (see fuzz-$name.log)"
		tail -n 30 fuzz-$name.log | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
