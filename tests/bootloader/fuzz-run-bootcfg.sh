#!/bin/sh
# The boot menu parsers' libFuzzer target, bounded, through xlcfg's
# runner (./fuzz-bootcfg on corpus-bootcfg/, inputs up to 64 KiB).
exec sh "${SRCDIR:-.}/../xlcfg/fuzz-run.sh" bootcfg:65536
