# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib-check.sh - sourced by the checks that print PASS/FAIL lines and
# install the Debian packages in a VM (deb-check.sh, systemd-check.sh).
# The sourcing script sets rc=0; fail sets it to 1.

pass() { echo "PASS: $*"; }
# shellcheck disable=SC2034 # rc is the sourcing script's
fail() { echo "FAIL: $*"; rc=1; }
# check NAME CMD...: one PASS/FAIL line, with the seconds CMD took
check() {
	local name=$1 t=$SECONDS
	shift
	if "$@"; then
		pass "$name ($((SECONDS - t)) s)"
	else
		fail "$name ($((SECONDS - t)) s)"
	fi
}

# guest_apt_setup: in a guest over the host root, before apt installs the
# packages: no debconf questions; no man-db trigger, which would re-index
# every man page over 9p in TCG; and DKMS builds for the running kernel
# only (a build takes minutes in TCG): the other kernels' build links go.
guest_apt_setup() {
	local k dir
	k=$(uname -r)
	export DEBIAN_FRONTEND=noninteractive
	rm -f /var/lib/man-db/auto-update
	for dir in /lib/modules/*/build; do
		[ "$dir" = "/lib/modules/$k/build" ] || rm -f "$dir"
	done
}
