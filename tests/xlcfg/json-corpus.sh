#!/bin/sh
# Xen 4.17's recorded domain config JSON through our reader and writer.
exec ./test-json-corpus "${SRCDIR:-.}/xen-4.17"
