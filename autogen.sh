#!/bin/sh
# Generate configure and Makefile.in from a fresh checkout.
set -e
cd "$(dirname "$0")"
autoreconf --install --force --warnings=all
# automake's TAP driver (part of automake itself) counts our unit-test checks.
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
