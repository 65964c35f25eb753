#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh [KVER...] - build lifecycle with DKMS for each kernel
# (default: the 6.1 and 6.12 ones of "scripts/kmod.sh list") and leave the
# host as it was.
#
# The sources are staged by scripts/dkms-src.sh, as "make dkms-install"
# does, but dkms gets private trees under build/dkms/ (--sourcetree,
# --dkmstree, --installtree) and runs in a private mount namespace with a
# tmpfs on /var/lib/dkms, where dkms 3 creates its module signing key.
# Each kernel passes when "dkms build" does and module/lifecycle.ko has
# that kernel's vermagic.  Without dkms, or where a mount namespace cannot
# be had (not root), the check runs dkms.conf's MAKE line itself, in a
# copy of the tree, and says so.  Prints one PASS/FAIL line per kernel.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
T=$ROOT/build/dkms
VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
MKVER=$(sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*\([^[:space:]]*\).*/\1/p' Makefile)
rc=0
mkdir -p "$T"

if [ "$VERSION" != "$MKVER" ]; then
	echo "FAIL: dkms.conf PACKAGE_VERSION '$VERSION' != Makefile VERSION '$MKVER'"
	exit 1
fi
if [ $# = 0 ]; then
	# shellcheck disable=SC2046
	set -- $(scripts/kmod.sh list | grep -E '^6\.(1|12)\.[0-9]+-[0-9]+-amd64$|^6\.12\.[0-9]+\+deb12-amd64$')
fi
[ $# -gt 0 ] || { echo "FAIL: no kernel headers for 6.1 or 6.12"; exit 1; }

MODE="make"
if command -v dkms > /dev/null && [ "$(id -u)" = 0 ] &&
   unshare -m true 2> /dev/null; then
	MODE=dkms
fi
echo "dkms-check: lifecycle $VERSION, by $MODE"

# in_private CMD...: CMD with a throwaway /var/lib/dkms.
in_private() {
	unshare -m sh -c 'mkdir -p /var/lib/dkms &&
		mount -t tmpfs dkms-check /var/lib/dkms && exec "$@"' sh "$@"
}

check_dkms() {
	local k=$1 d=$T/$1 ko
	rm -rf "$d"
	mkdir -p "$d/tree" "$d/install"
	scripts/dkms-src.sh "$d/src/lifecycle-$VERSION" || return 1
	local opts=(--sourcetree "$d/src" --dkmstree "$d/tree" --installtree "$d/install")
	in_private dkms add -m lifecycle -v "$VERSION" "${opts[@]}" || return 1
	in_private dkms build -m lifecycle -v "$VERSION" -k "$k" "${opts[@]}" || {
		tail -n 30 "$d/tree/lifecycle/$VERSION/build/make.log" 2> /dev/null
		return 1
	}
	ko=$(find "$d/tree/lifecycle/$VERSION/$k" -name 'lifecycle.ko*' | head -n 1)
	[ -n "$ko" ] || { echo "no lifecycle.ko in $d/tree"; return 1; }
	check_vermagic "$k" "$ko"
}

# The MAKE line of dkms.conf, with dkms's variables, in a staged copy.
check_make() {
	local k=$1 d=$T/$1 make
	rm -rf "$d"
	scripts/dkms-src.sh "$d/lifecycle/$VERSION/build" || return 1
	make=$(sed -n 's/^MAKE\[0\]="\(.*\)"$/\1/p' dkms.conf)
	# shellcheck disable=SC2016 # dkms's variable names, literally
	{
		make=${make//'${kernel_source_dir}'/\/lib\/modules\/$k\/build}
		make=${make//'${dkms_tree}'/$d}
		make=${make//'${PACKAGE_NAME}'/lifecycle}
		make=${make//'${PACKAGE_VERSION}'/$VERSION}
	}
	echo "$make"
	(cd "$d/lifecycle/$VERSION/build" && eval "$make") || return 1
	check_vermagic "$k" "$d/lifecycle/$VERSION/build/module/lifecycle.ko"
}

check_vermagic() {
	local v
	v=$(modinfo -F vermagic "$2" | cut -d' ' -f1)
	echo "$2: vermagic $v"
	[ "$v" = "$1" ]
}

for k in "$@"; do
	if case $MODE in
	   dkms) check_dkms "$k" ;;
	   *) check_make "$k" ;;
	   esac > "$T/$k.log" 2>&1; then
		echo "PASS: dkms $MODE $k"
	else
		echo "FAIL: dkms $MODE $k (log: $T/$k.log)"
		tail -n 15 "$T/$k.log" | sed 's/^/    /'
		rc=1
	fi
done
exit $rc
