#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmod.sh list [--debug]   the supported kernels whose headers are installed
# kmod.sh default [LINE]   the newest installed release of LINE: 6.12 (the
#                          default), 6.1 or rt; every script's default kernel
#                          comes from here, so none names a point release
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

# The newest installed release of one supported line (sort -V: 6.1.0-N
# by N as a number, not as text).  An image without headers counts
# too, so that vm.sh can boot a kernel that nothing is built for.
default() {
	local line=${1:-6.12} k best=

	case $line in
	6.1|6.12|rt) ;;
	*)	echo "kmod: unknown kernel line '$line' (6.1, 6.12 or rt)" >&2
		return 2 ;;
	esac
	for k in $( { list; for f in /boot/vmlinuz-*; do
			[ -f "$f" ] && echo "${f#/boot/vmlinuz-}"; done; } |
		    sort -uV); do
		case $line:$k in
		6.1:6.1.*-amd64|6.12:6.12.*+deb12-amd64|rt:6.12.*+deb12-rt-amd64)
			case $k in *-rt-amd64) [ "$line" = rt ] || continue ;; esac
			best=$k ;;
		esac
	done
	if [ -z "$best" ]; then
		echo "kmod: no Debian $line kernel installed" \
			"(scripts/install-deps.sh installs them)" >&2
		return 1
	fi
	echo "$best"
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
default) default "${2:-6.12}" ;;
build)	shift
	rc=0
	for k in "$@"; do
		build "$k" || rc=1
	done
	exit $rc ;;
*)	echo "usage: $0 list [--debug] | default [6.1|6.12|rt] | build KVER..." >&2; exit 2 ;;
esac
