#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# dkms-src.sh DIR - copy what DKMS builds from (dkms.conf, Kbuild, module/,
# include/, LICENSE) into DIR, e.g. /usr/src/lifecycle-VERSION.  Build
# outputs are left behind: DKMS builds in a copy of its own.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:?usage: dkms-src.sh DIR}
mkdir -p "$DIR/module" "$DIR/include"
cp -p "$ROOT/dkms.conf" "$ROOT/Kbuild" "$ROOT/LICENSE" "$DIR/"
cp -p "$ROOT/module/Kbuild" "$ROOT"/module/*.[ch] "$DIR/module/"
cp -pR "$ROOT/include/." "$DIR/include/"
