#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-pins.sh - fail if a tracked file names a kernel point release.
#
# Debian moves its kernels on (point releases come every few weeks), so
# every default comes from "scripts/kmod.sh default", never
# from a version written into a file.  Recorded results may name the
# release they were measured on: bench/results.md, the tutorial's
# recorded output and the reader's recorded fixtures.
set -eu
cd "$(dirname "$0")/.."

# 6.1.0-N-amd64, 6.12.N+deb12-amd64, 6.12.N+deb12-rt-amd64 and the debug
# kernel's plain 6.12.N, with N a number; 6.12.N or 6.12.* themselves pass.
PAT='\b6\.1\.0-[0-9]+(-|\b)|\b6\.12\.[0-9]+(\+deb|[-_ ]|\b)'
hits=$(git ls-files -co --exclude-standard |
	grep -v -e '^bench/results\.md$' -e '^docs/tutorial\.md$' \
		-e '^userspace/tests/fixtures/' -e '^build/' |
	while read -r f; do
		[ -f "$f" ] && grep -EHn "$PAT" "$f" || true
	done)
if [ -n "$hits" ]; then
	echo "$hits"
	echo "check-pins: the files above name a kernel point release;" \
		"use scripts/kmod.sh default instead"
	exit 1
fi
echo "check-pins: no file names a kernel point release"
