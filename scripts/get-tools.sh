#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Extract checkpatch.pl (with its data files) and the kselftest headers from
# Debian's linux-source tarball into build/tools/, flat, so that
# "perl build/tools/checkpatch.pl" and "-I build/tools" just work.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/tools
TARBALL=${LC_LINUX_SOURCE:-$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)}
FILES="scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
tools/testing/selftests/kselftest_harness.h tools/testing/selftests/kselftest.h"

[ -f "$OUT/kselftest_harness.h" ] && [ -f "$OUT/checkpatch.pl" ] && exit 0
if [ ! -f "$TARBALL" ]; then
	echo "get-tools: no /usr/src/linux-source-*.tar.xz (run scripts/install-deps.sh)" >&2
	exit 1
fi
top=$(basename "$TARBALL" .tar.xz)
tmp=$OUT/.extract
rm -rf "$tmp" && mkdir -p "$tmp"
members=""
for f in $FILES; do
	members="$members $top/$f"
done
# shellcheck disable=SC2086
tar -xJf "$TARBALL" -C "$tmp" --strip-components=1 $members
for f in $FILES; do
	mv "$tmp/$f" "$OUT/"
done
rm -rf "$tmp"
