#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkdeb.sh [OUTDIR [VERSION]] - build the Debian packages (make deb):
# lifecycle-dkms and lifecycle, into OUTDIR (default build/deb/), then run
# lintian on them.  VERSION builds the same tree numbered VERSION (its
# changelog's first entry and scripts/version.sh --set, in the copy): the
# "previous release" of scripts/deb-check.sh's upgrade test.  dpkg-buildpackage -us -uc -b runs in a copy of the tree's files
# (git ls-files: committed or not, never build outputs) under
# OUTDIR/lifecycle-VERSION/, so the tree and its parent directory are left as they are.
# DEB_BUILD_OPTIONS is LC_DEB_OPTS, by default nocheck: make check runs the
# reader's tests itself (LC_DEB_OPTS= runs them in the build too).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/deb}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd "$ROOT"
scripts/version.sh --check
V=${2:-$(scripts/version.sh)}
SRC=$OUT/lifecycle-$V

rm -rf "$SRC"
mkdir -p "$SRC"
rm -f "$OUT"/lifecycle*_"$V"*
git ls-files -co --exclude-standard -- Makefile Kbuild dkms.conf LICENSE \
	module include userspace systemd debian scripts/dkms-src.sh \
	scripts/version.sh | while read -r f; do
	[ -f "$f" ] && printf '%s\n' "$f"
done | tar -cf - -T - | tar -xf - -C "$SRC"

cd "$SRC"
if [ -n "${2:-}" ]; then
	sed -i "1s/(.*)/($V)/" debian/changelog
	scripts/version.sh --set
fi
DEB_BUILD_OPTIONS=${LC_DEB_OPTS-nocheck} dpkg-buildpackage -us -uc -b
cd "$OUT"
ls -l lifecycle*_"$V"*.deb
# lintian: errors fail the build; warnings are shown.
lintian --fail-on error lifecycle*_"$V"*.changes
