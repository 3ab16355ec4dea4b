#!/bin/sh
# The toolstack's libFuzzer targets, bounded, through xlcfg's runner
# (NAME:MAX_LEN: ./fuzz-NAME on corpus-NAME/).
exec sh "${SRCDIR:-.}/../xlcfg/fuzz-run.sh" xl-args:256 xl-sched:256 devices:1024
