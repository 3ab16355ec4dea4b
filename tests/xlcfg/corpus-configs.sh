#!/bin/sh
# Every config of ../shared/corpora through xl create -n, compared with
# Xen 4.17's output where recorded (tests/xlcfg/xen-4.17/).
srcdir=${SRCDIR:-$(dirname "$0")}
exec python3 "$srcdir/jsoncmp.py" configs "$CORPORA" "$XL" "$srcdir/xen-4.17"
