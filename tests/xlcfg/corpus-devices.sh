#!/bin/sh
# Disk and vif specs of ../shared/corpora against Xen 4.17's recorded xl -N output.
srcdir=${SRCDIR:-$(dirname "$0")}
exec python3 "$srcdir/jsoncmp.py" devices "$CORPORA" "$XL" "$srcdir/xen-4.17"
