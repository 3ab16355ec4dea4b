#!/bin/sh
# libbootfs's libFuzzer target, bounded, through xlcfg's runner
# (./fuzz-bootfs on the disk images in corpus-bootfs/).
exec sh "${SRCDIR:-.}/../xlcfg/fuzz-run.sh" bootfs:262144
