#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install everything lifecycle needs on a fresh Debian 12 machine.
# Idempotent: packages already present are not touched, and the script
# exits at once when nothing is missing.  Run as root, or with sudo on PATH.
set -eu

PKGS="gcc make libc6-dev linux-libc-dev perl python3 xz-utils cpio kmod
linux-headers-amd64 linux-image-amd64
linux-headers-6.12-amd64 linux-image-6.12-amd64
linux-headers-6.12-rt-amd64 linux-image-6.12-rt-amd64
qemu-system-x86 busybox-static bpftrace linux-source-6.12
clang dkms forkstat auditd trace-cmd rt-tests time
debhelper dh-dkms lintian
chromium"

# Optional: the debug kernel (KASAN, lockdep, ...) packaged next to the
# project, see ../shared/kernels/README.md.  Installed when present.
DEBUG_DEBS=${LC_DEBUG_KERNEL_DIR:-$(dirname "$0")/../../shared/kernels}

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

debs=""
for deb in "$DEBUG_DEBS"/linux-image-*.deb "$DEBUG_DEBS"/linux-headers-*.deb; do
	[ -f "$deb" ] || continue
	installed "$(dpkg-deb -f "$deb" Package)" || debs="$debs $deb"
done
if [ -n "$debs" ]; then
	echo "install-deps: installing the debug kernel:$debs"
	# shellcheck disable=SC2086
	$SUDO dpkg -i $debs
fi

missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
