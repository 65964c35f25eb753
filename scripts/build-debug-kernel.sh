#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh [--config-only] [-j N] [-o DIR] - build the debug
# 6.12 kernel (KASAN, lockdep, kmemleak, DEBUG_ATOMIC_SLEEP) that
# make check-debug runs the suite on, as Debian packages.
#
#   --config-only  stop once .config is made and checked; print its path
#   -j N           parallel jobs (default: nproc)
#   -o DIR         work directory (default $DEBUG_KERNEL_DIR, else
#                  build/debug-kernel/)
#
# Installs what it needs (linux-source-6.12 and the build tools; sudo if
# not root), unpacks /usr/src/linux-source-6.12.tar.xz (LINUX_SOURCE=
# another tarball) into DIR/linux-source-6.12/ (again only when the
# tarball changed), runs "make defconfig kvm_guest.config", merges the
# fragment below with scripts/kconfig/merge_config.sh and olddefconfig,
# and fails, naming them, if any of the fragment's values did not end up
# in .config (a dependency missing, e.g. BTF without pahole >= 1.16).
# The release must be plain 6.12.N (LOCALVERSION empty), so the kernel
# does not clash with Debian's 6.12.N+deb12-amd64 and scripts/kmod.sh
# list --debug finds it.  Then "make bindeb-pkg", without the -dbg
# package (DWARF for vmlinux and every module: large and slow to pack).
#
# Unpacking takes about half a minute, the config a few seconds (from the
# same source with Debian 12's toolchain, the .config is byte for byte the
# packaged debug kernel's, ../shared/kernels/config-*-debug, but for the CONFIG_RUSTC_*
# lines without rustc 1.95 on PATH); the build well over an hour on two
# CPUs, with several GB in DIR.  Produces
# DIR/linux-image-6.12.N_6.12.N-B_amd64.deb and linux-headers-6.12.N_...
# (B counts the builds in that tree; linux-libc-dev comes too, not
# needed), and prints their dpkg -i command.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARBALL=${LINUX_SOURCE:-/usr/src/linux-source-6.12.tar.xz}
OUT=${DEBUG_KERNEL_DIR:-$ROOT/build/debug-kernel}
JOBS=$(nproc)
CONFIG_ONLY=""

# What the config needs: the compiler (its version gates KASAN and
# friends), bison and flex for kconfig, pahole for DEBUG_INFO_BTF.  What
# bindeb-pkg needs on top: bc, libelf-dev (objtool, resolve_btfids),
# libssl-dev (sign-file, extract-cert), cpio (IKHEADERS), kmod (depmod),
# rsync (headers_install), dpkg-dev and debhelper (debian/rules runs dh_*):
# the Build-Depends of the debian/control kbuild writes, which bindeb-pkg
# does not check.  python3 is only for clang LTO; pahole is Debian 12's
# name for dwarves.
CONFIG_PKGS="linux-source-6.12 gcc make libc6-dev bison flex pahole xz-utils"
BUILD_PKGS="build-essential bc libelf-dev libssl-dev cpio kmod rsync
dpkg-dev debhelper"

# One option a line, as in a .config.  "# CONFIG_X is not set" asks for X
# off.  Everything here is checked against the final .config.
fragment() {
	cat << 'EOF'
CONFIG_LOCALVERSION=""
# Memory errors: KASAN (generic, inline), UBSAN, kmemleak, list and
# object debugging.
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_INLINE=y
CONFIG_UBSAN=y
CONFIG_DEBUG_KMEMLEAK=y
CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN=y
# CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF is not set
CONFIG_DEBUG_LIST=y
CONFIG_DEBUG_OBJECTS=y
CONFIG_DEBUG_OBJECTS_RCU_HEAD=y
# Locking and context: lockdep, RCU lockdep, sleeping in atomic context.
CONFIG_PROVE_LOCKING=y
CONFIG_DEBUG_LOCK_ALLOC=y
CONFIG_LOCKDEP=y
CONFIG_PROVE_RCU=y
CONFIG_DEBUG_ATOMIC_SLEEP=y
# Tracing and introspection: kprobes, ftrace, BPF with BTF, kheaders.
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_KALLSYMS_ALL=y
CONFIG_KPROBES=y
CONFIG_KRETPROBES=y
CONFIG_FTRACE=y
CONFIG_FUNCTION_TRACER=y
CONFIG_DYNAMIC_FTRACE=y
CONFIG_KPROBES_ON_FTRACE=y
CONFIG_KPROBE_EVENTS=y
CONFIG_BPF_SYSCALL=y
CONFIG_BPF_EVENTS=y
CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT=y
CONFIG_DEBUG_INFO_BTF=y
CONFIG_DEBUG_INFO_BTF_MODULES=y
CONFIG_IKHEADERS=y
CONFIG_DEBUG_FS=y
# Namespaces, for the tests' pid-namespace init and subreaper cases.
CONFIG_PID_NS=y
CONFIG_USER_NS=y
# The VM shares the host's root over virtio 9p under an overlay, with no
# modules to load first.
CONFIG_NET_9P=y
CONFIG_NET_9P_VIRTIO=y
CONFIG_9P_FS=y
CONFIG_OVERLAY_FS=y
EOF
}

usage() {
	sed -n '4,11s/^# \{0,1\}//p' "$0" >&2
	exit "${1:-2}"
}

while [ $# -gt 0 ]; do
	case $1 in
	--config-only) CONFIG_ONLY=1 ;;
	-j) [ $# -ge 2 ] || usage; JOBS=$2; shift ;;
	-j*) JOBS=${1#-j} ;;
	-o) [ $# -ge 2 ] || usage; OUT=$2; shift ;;
	-h|--help) usage 0 ;;
	*) usage ;;
	esac
	shift
done
case $JOBS in ''|*[!0-9]*|0) echo "build-debug-kernel: -j wants a number, not '$JOBS'" >&2; exit 2 ;; esac

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2> /dev/null)" = installed ]
}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
pkgs=$CONFIG_PKGS
[ -n "$CONFIG_ONLY" ] || pkgs="$pkgs $BUILD_PKGS"
missing=""
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "build-debug-kernel: installing$missing"
	$SUDO apt-get update
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi

[ -r "$TARBALL" ] || { echo "build-debug-kernel: no $TARBALL" >&2; exit 1; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
top=$(tar -tJf "$TARBALL" | head -n 1) || true
top=${top%%/*}
[ -n "$top" ] || { echo "build-debug-kernel: cannot list $TARBALL" >&2; exit 1; }
SRC=$OUT/$top

# Unpack once per tarball: the stamp holds its path, size and mtime.  An
# existing tree is reused as it is, build objects included.
stamp="$TARBALL $(stat -c '%s %Y' "$TARBALL")"
if [ "$(cat "$SRC/.unpacked" 2> /dev/null)" != "$stamp" ]; then
	echo "build-debug-kernel: unpacking $TARBALL into $OUT (half a minute or so)"
	rm -rf "$SRC" "$OUT/.unpack"
	mkdir "$OUT/.unpack"
	tar -xJf "$TARBALL" -C "$OUT/.unpack"
	mv "$OUT/.unpack/$top" "$SRC"
	rmdir "$OUT/.unpack"
	echo "$stamp" > "$SRC/.unpacked"
fi

# LOCALVERSION= on the command line overrides one in the environment.
kmake() {
	make -C "$SRC" -s LOCALVERSION= "$@"
}

echo "build-debug-kernel: configuring $SRC"
fragment > "$OUT/debug.config"
kmake defconfig kvm_guest.config
(cd "$SRC" && scripts/kconfig/merge_config.sh -m .config "$OUT/debug.config") > "$OUT/merge_config.log"
kmake olddefconfig

# Every value of the fragment must be in .config as asked.
bad=""
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$SRC/.config" || bad="$bad ${line%%=*}" ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		! grep -q "^$sym=" "$SRC/.config" || bad="$bad $sym" ;;
	esac
done < "$OUT/debug.config"
if [ -n "$bad" ]; then
	echo "build-debug-kernel: not set as asked (a dependency missing?):" >&2
	for sym in $bad; do
		want=$(grep -e "^$sym=" -e "^# $sym is not set" "$OUT/debug.config")
		got=$(grep -e "^$sym=" -e "^# $sym is not set" "$SRC/.config" || echo "absent")
		echo "  $sym: wanted '$want', got '$got'" >&2
	done
	echo "build-debug-kernel: see $OUT/merge_config.log" >&2
	exit 1
fi

release=$(kmake kernelrelease)
if ! [[ $release =~ ^6\.12\.[0-9]+$ ]]; then
	echo "build-debug-kernel: release is '$release', not plain 6.12.N" >&2
	exit 1
fi
echo "build-debug-kernel: $SRC/.config: every option of the fragment is set; release $release"
[ -z "$CONFIG_ONLY" ] || exit 0

echo "build-debug-kernel: make -j$JOBS bindeb-pkg (well over an hour on two CPUs)"
start=$(date +%s)
if ! make -C "$SRC" LOCALVERSION= -j"$JOBS" \
	DPKG_FLAGS=-Ppkg.linux-upstream.nokerneldbg bindeb-pkg > "$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log" >&2
	echo "build-debug-kernel: build failed (log: $OUT/build.log)" >&2
	exit 1
fi
echo "build-debug-kernel: built in $((($(date +%s) - start) / 60)) min (log: $OUT/build.log)"

# bindeb-pkg writes the packages next to the source tree, named after
# the version in the debian/changelog it generated.
version=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
arch=$(cat "$SRC/debian/arch")
image=$OUT/linux-image-${release}_${version}_$arch.deb
headers=$OUT/linux-headers-${release}_${version}_$arch.deb
for deb in "$image" "$headers"; do
	[ -f "$deb" ] || { echo "build-debug-kernel: no $deb" >&2; exit 1; }
	echo "$deb"
done
echo "Install with: sudo dpkg -i $image $headers"
echo "then: make check-debug"
