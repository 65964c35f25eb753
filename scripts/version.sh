#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# version.sh [--check | --set] - the project's version, from debian/changelog.
#
# debian/changelog is the one place a release is numbered (dch -v X.Y, or
# edit its first line).  The others must agree:
#   Makefile         VERSION := X.Y        (make dkms-install's /usr/src dir)
#   dkms.conf        PACKAGE_VERSION="X.Y"
#   module/main.c    MODULE_VERSION("X.Y")
#   userspace/main.c LC_VERSION "X.Y"      (the default of lifecycle -V)
# With no option it prints X.Y (the upstream part: no Debian revision).
# --check fails, naming each file that disagrees; make deb and
# scripts/dkms-check.sh run it.  --set writes X.Y into all four.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# "lifecycle (0.1) unstable; ..." or "lifecycle (0.1-2) ...": 0.1
V=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
case $V in *-*) V=${V%-*} ;; esac
V=${V#*:}
[ -n "$V" ] || { echo "version.sh: no version in debian/changelog" >&2; exit 1; }

# file sed-program-printing-the-version sed-program-setting-it
while_each() {
	"$@" Makefile \
		's/^VERSION[[:space:]]*:=[[:space:]]*\([^[:space:]]*\).*/\1/p' \
		"s/^\\(VERSION[[:space:]]*:=[[:space:]]*\\)[^[:space:]]*/\\1$V/"
	"$@" dkms.conf 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' \
		"s/^PACKAGE_VERSION=\".*\"\$/PACKAGE_VERSION=\"$V\"/"
	"$@" module/main.c 's/^MODULE_VERSION("\(.*\)");$/\1/p' \
		"s/^MODULE_VERSION(\".*\");\$/MODULE_VERSION(\"$V\");/"
	"$@" userspace/main.c \
		's/^#define LC_VERSION[[:space:]]*"\(.*\)"$/\1/p' \
		"s/^\\(#define LC_VERSION[[:space:]]*\\)\".*\"\$/\\1\"$V\"/"
}

bad=0
check() {
	got=$(sed -n "$2" "$1")
	if [ "$got" != "$V" ]; then
		echo "version.sh: $1 has '$got', debian/changelog '$V'" >&2
		bad=1
	fi
}

set_it() {
	sed -i "$3" "$1"
}

case ${1:-} in
"")	echo "$V" ;;
--check)
	while_each check
	[ "$bad" = 0 ] || {
		echo "version.sh: scripts/version.sh --set writes '$V' into them" >&2
		exit 1
	}
	echo "version.sh: $V everywhere" ;;
--set)	while_each set_it
	while_each check
	exit "$bad" ;;
*)	echo "usage: $0 [--check | --set]" >&2; exit 2 ;;
esac
