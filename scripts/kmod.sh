#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmod.sh list [--debug]   the supported kernels whose headers are installed
# kmod.sh build KVER...    build lifecycle.ko for each, with W=1
#
# Each kernel gets its own copy of the sources in build/kmod/KVER/ (Kbuild,
# module/, include/), so builds for different kernels never clobber each
# other or the in-tree build.  The module is build/kmod/KVER/module/
# lifecycle.ko and the log build/kmod/KVER/build.log.  A build fails if the
# compiler prints any warning.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)

# Debian 12's 6.1, and the 6.12 backports (generic and PREEMPT_RT).  The
# debug kernel (KASAN, lockdep) is plain 6.12.N, without a Debian suffix.
list() {
	for d in /lib/modules/*/build; do
		[ -d "$d" ] || continue
		k=$(basename "$(dirname "$d")")
		case $k in
		6.1.*-amd64|6.12.*+deb12-amd64|6.12.*+deb12-rt-amd64) echo "$k" ;;
		6.12.*) [ "${1:-}" = --debug ] && case $k in *-*) ;; *) echo "$k" ;; esac ;;
		esac
	done | sort -V
}

build() {
	kver=$1
	kdir=/lib/modules/$kver/build
	out=$ROOT/build/kmod/$kver
	[ -d "$kdir" ] || { echo "kmod: no headers for $kver ($kdir)" >&2; return 1; }
	mkdir -p "$out/module" "$out/include"
	rm -f "$out"/module/*.[ch] "$out/module/Kbuild"
	cp -p "$ROOT/Kbuild" "$out/"
	cp -p "$ROOT"/module/Kbuild "$ROOT"/module/*.[ch] "$out/module/"
	cp -pR "$ROOT/include/." "$out/include/"
	if ! make -C "$kdir" M="$out" W=1 -j"$(nproc)" modules > "$out/build.log" 2>&1; then
		cat "$out/build.log" >&2
		echo "kmod: $kver: build failed (log: $out/build.log)" >&2
		return 1
	fi
	if grep -q 'warning:' "$out/build.log"; then
		grep -B2 -A4 'warning:' "$out/build.log" >&2
		echo "kmod: $kver: warnings with W=1 (log: $out/build.log)" >&2
		return 1
	fi
	echo "kmod: $kver: $out/module/lifecycle.ko"
}

case ${1:-} in
list)	list "${2:-}" ;;
build)	shift
	rc=0
	for k in "$@"; do
		build "$k" || rc=1
	done
	exit $rc ;;
*)	echo "usage: $0 list [--debug] | build KVER..." >&2; exit 2 ;;
esac
