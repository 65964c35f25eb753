#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KVER OUT - build the initramfs of lifecycle's test VMs.
# mkinitramfs.sh --modules KVER DIR MODULE... - stage MODULEs only (for
# systemd-check.sh's own initramfs), as described at stage_modules.
#
# It holds busybox-static, the modules KVER needs to mount the host root
# over virtio 9p with a tmpfs overlay, a busybox /init that does that, and
# scripts/vm-init.c (static), into which /init switch_roots.  OUT is only
# rebuilt when an input is newer.
set -eu

usage() {
	echo "usage: $0 KVER OUT.cpio.gz" >&2
	echo "       $0 --modules KVER DIR MODULE..." >&2
	exit 2
}

# stage_modules KVER DIR MODULE...: the MODULEs of KVER and those they
# depend on, in dependency order, each once, decompressed for busybox
# insmod, into DIR/lib/modules; DIR/lib/modules/load lists them in that
# order.
stage_modules() {
	local kver=$1 dir=$2/lib/modules m ko name
	shift 2
	mkdir -p "$dir"
	: > "$dir/load"
	for m in "$@"; do
		modprobe -S "$kver" --show-depends "$m" 2>/dev/null || true
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
	while read -r ko; do
		name=$(basename "$ko")
		case $ko in
		*.xz)	xz -dc "$ko" > "$dir/${name%.xz}"; name=${name%.xz} ;;
		*.zst)	zstd -qdc "$ko" > "$dir/${name%.zst}"; name=${name%.zst} ;;
		*)	cp "$ko" "$dir/$name" ;;
		esac
		echo "$name" >> "$dir/load"
	done
}

if [ "${1:-}" = --modules ]; then
	[ $# -ge 4 ] || usage
	shift
	stage_modules "$@"
	exit 0
fi
[ $# -eq 2 ] || usage
KVER=$1
OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SELF=$ROOT/scripts/mkinitramfs.sh
INIT_C=$ROOT/scripts/vm-init.c
BUSYBOX=/bin/busybox

if [ -f "$OUT" ] && [ "$OUT" -nt "$SELF" ] && [ "$OUT" -nt "$INIT_C" ] &&
   [ "$OUT" -nt "$BUSYBOX" ]; then
	exit 0
fi
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	{ echo "mkinitramfs: $BUSYBOX is not busybox-static" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/lc-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" \
	"$stage/lower" "$stage/rw" "$stage/newroot" "$stage/lib/modules"
cp "$BUSYBOX" "$stage/bin/busybox"
mknod "$stage/dev/console" c 5 1 2>/dev/null || true
gcc -static -O2 -Wall -o "$stage/vm-init" "$INIT_C"

stage_modules "$KVER" "$stage" virtio_pci 9p 9pnet_virtio overlay

cat > "$stage/init" <<'EOF'
#!/bin/busybox sh
# Mount the host root read-only over 9p, put a tmpfs overlay on it, and
# switch_root into vm-init.  Options come from the kernel command line.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
fail() { echo "lc-initramfs: $*"; echo "LC-VM-EXIT=125"; poweroff -f; }

out=
for arg in $(cat /proc/cmdline); do
	case $arg in
	lc.out=*) out=${arg#lc.out=} ;;
	esac
done

while read -r ko; do
	insmod "/lib/modules/$ko" || fail "insmod $ko"
done < /lib/modules/load

mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 \
	hostroot /lower || fail "cannot mount the host root"
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "cannot mount the overlay"
if [ -n "$out" ]; then
	mkdir -p "/newroot$out"
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 \
		lcout "/newroot$out" || fail "cannot mount $out"
fi
cp /vm-init /newroot/vm-init
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot /vm-init
EOF
chmod 755 "$stage/init"

mkdir -p "$(dirname "$OUT")"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT.tmp.$$"
mv "$OUT.tmp.$$" "$OUT"
