#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# systemd-check.sh [KVER] - lifecycle-record.service with systemd as PID 1
# (default kernel: the newest 6.12).
#
# One QEMU (TCG) VM boots the host's systemd as init over the host root,
# read-only over 9p as in scripts/vm.sh, but under an overlay whose upper
# layer is an ext4 disk image (build/systemd-check/overlay.img), so that
# it outlives a reboot.  The initramfs (built here: vm.sh's, plus
# virtio_blk and ext4) masks the host's own services (postgresql, avahi,
# auditd, timers, gettys) and adds lc-check.service, which runs this
# script with --guest once the boot is done:
#   boot 1: apt installs build/deb/'s two packages (DKMS builds the module
#     in the guest), enables lifecycle-record.service as shipped (binary
#     files in /var/log/lifecycle) and lifecycle-journal.service, the same
#     unit with LIFECYCLE_ARGS=--journal, then "systemctl reboot";
#   boot 2: both services started before sysinit.target and so before the
#     default target; the first record of each recording is seq 1 (the
#     module's first), from before sysinit.target; "systemctl stop" ends
#     both with status 0; the journal's LIFECYCLE_* entries of this boot
#     equal the binary files' records (seq, event, pid, tgid, ppid, cpu,
#     ts_ns) for every seq both recorded (seq 1 to the journal's last);
#     journalctl LIFECYCLE_EVENT=exec finds as many execs as the files.
# Then the guest powers off.  Prints PASS/FAIL lines; exits 1 on a
# failure.  Took 380 to 571 s on a 2-CPU host (boot 1, with the DKMS
# build in TCG, 5 to 8.5 minutes; boot 2 about 1), more on a loaded one.
# LC_DEB_NOBUILD=1 uses the packages already in build/deb/.
#
# Each bash -c '...' takes its arguments as $0 and on: shellcheck's note
# on their single quotes does not apply.
# shellcheck disable=SC2016
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
D=$ROOT/build/deb
T=$ROOT/build/systemd-check
OUT=$ROOT/build/vm-out
rc=0
# pass, fail, check, guest_apt_setup
# shellcheck source=scripts/lib-check.sh
. "$ROOT/scripts/lib-check.sh"

# monotonic usec of a unit's property, e.g. mono default.target ActiveEnter
mono() {
	systemctl show -P "$2TimestampMonotonic" "$1"
}

# Boot 1: install, enable, reboot.
boot1() {
	local k log=$OUT/systemd-check-apt.log
	k=$(uname -r)
	guest_apt_setup
	check "boot 1: PID 1 is systemd" [ "$(cat /proc/1/comm)" = systemd ]
	check "boot 1: apt install lifecycle-dkms and lifecycle on $k" \
		bash -c 'apt-get install -y -q --no-install-recommends "$1" "$2" \
			> "$0" 2>&1 || { cat "$0"; false; }' "$log" \
		"$D"/lifecycle-dkms_"$V"_all.deb "$D"/lifecycle_"$V"_amd64.deb
	# the journal variant: the shipped unit with the unit option set
	cp /lib/systemd/system/lifecycle-record.service \
		/etc/systemd/system/lifecycle-journal.service
	mkdir -p /etc/systemd/system/lifecycle-journal.service.d
	printf '[Service]\nEnvironmentFile=\nEnvironment=LIFECYCLE_ARGS=--journal\n' \
		> /etc/systemd/system/lifecycle-journal.service.d/journal.conf
	check "boot 1: systemctl enable lifecycle-record lifecycle-journal" \
		systemctl enable lifecycle-record.service lifecycle-journal.service
	check "boot 1: neither runs before the reboot" \
		bash -c '! systemctl -q is-active lifecycle-record lifecycle-journal'
	echo 1 > /var/lib/lc-check-phase
	sync
}

# the seq, event, pid, tgid, ppid, cpu and ts_ns of records, one
# line each, from lifecycle -j (JSON) or journalctl -o json (LIFECYCLE_*)
FIELDS='[.seq, .event, .pid, .tgid, .ppid, .cpu, .ts_ns] | map(tostring) | join(" ")'
JFIELDS='{seq: .LIFECYCLE_SEQ, event: .LIFECYCLE_EVENT, pid: .LIFECYCLE_PID,
	tgid: .LIFECYCLE_TGID, ppid: .LIFECYCLE_PPID, cpu: .LIFECYCLE_CPU,
	ts_ns: .LIFECYCLE_TS_NS}'

# Boot 2: the services recorded from early boot; journal = files.
boot2() {
	local sysinit def rec jrn first_ts lo hi n
	check "boot 2: PID 1 is systemd" [ "$(cat /proc/1/comm)" = systemd ]
	systemctl is-system-running --wait
	systemd-analyze time
	systemctl --no-pager --lines=0 status lifecycle-record lifecycle-journal |
		grep -v '^ *[├└│]'
	check "boot 2: lifecycle-record and lifecycle-journal are active" \
		bash -c 'systemctl -q is-active lifecycle-record &&
			 systemctl -q is-active lifecycle-journal'
	sysinit=$(mono sysinit.target ActiveEnter)
	def=$(mono default.target ActiveEnter)
	rec=$(mono lifecycle-record.service ActiveEnter)
	jrn=$(mono lifecycle-journal.service ActiveEnter)
	echo "monotonic us: lifecycle-record $rec, lifecycle-journal $jrn," \
		"sysinit.target $sysinit, default.target ($(systemctl get-default)) $def"
	check "boot 2: both recordings started before sysinit.target and the default target" \
		test "$rec" -gt 0 -a "$jrn" -gt 0 -a "$rec" -lt "$sysinit" \
			-a "$jrn" -lt "$sysinit" -a "$sysinit" -lt "$def"
	# what the journal itself says, in order
	journalctl -b --no-pager -o short-monotonic _PID=1 |
		grep -E 'Start.*lifecycle-|Reached target.*(System Initialization|Multi-User|Graphical)'

	# stop the journal's first: the files then cover all it has
	check "boot 2: systemctl stop lifecycle-journal lifecycle-record (status 0)" \
		bash -c 'systemctl stop lifecycle-journal && systemctl stop lifecycle-record &&
			 [ "$(systemctl show -P ExecMainStatus lifecycle-journal)" = 0 ] &&
			 [ "$(systemctl show -P ExecMainStatus lifecycle-record)" = 0 ]'
	ls -l /var/log/lifecycle
	lifecycle -i /var/log/lifecycle -j 2> /tmp/files.err | jq -r "$FIELDS" > /tmp/files
	cat /tmp/files.err
	check "boot 2: lifecycle -i /var/log/lifecycle reads it, seq continuous" \
		bash -c '[ -s /tmp/files ] && ! grep -q "missing\|new recording\|lost" /tmp/files.err &&
			 ! grep -q " lost " /tmp/files'
	journalctl -b --no-pager -t lifecycle -o json | jq -r "$JFIELDS | $FIELDS" |
		sort -n > /tmp/journal
	echo "first records (files):"
	head -n 3 /tmp/files
	echo "first records (journal):"
	head -n 3 /tmp/journal
	first_ts=$(head -n 1 /tmp/files | cut -d' ' -f7)
	echo "the files: $(wc -l < /tmp/files) records, first at ${first_ts} ns;" \
		"the journal: $(wc -l < /tmp/journal) entries"
	check "boot 2: both recordings start at seq 1, before sysinit.target" \
		test "$(head -n 1 /tmp/files | cut -d" " -f1)" = 1 \
			-a "$(head -n 1 /tmp/journal | cut -d" " -f1)" = 1 \
			-a "$first_ts" -lt "$((sysinit * 1000))"
	# the same interval: the seqs both have (the journal's reader stopped first)
	lo=1
	hi=$(tail -n 1 /tmp/journal | cut -d' ' -f1)
	awk -v hi="$hi" '$1 <= hi' /tmp/files > /tmp/files.same
	n=$(wc -l < /tmp/files.same)
	echo "seq $lo..$hi: $n records in the files"
	check "boot 2: the journal's LIFECYCLE_* entries = the files' records, seq $lo..$hi" \
		bash -c '[ "$0" -gt 100 ] && diff /tmp/files.same /tmp/journal > /tmp/jdiff ||
			 { head /tmp/jdiff; false; }' "$n"
	n=$(journalctl -b --no-pager LIFECYCLE_EVENT=exec -o cat | wc -l)
	check "boot 2: journalctl LIFECYCLE_EVENT=exec finds the $n execs" \
		[ "$n" = "$(grep -c ' exec ' /tmp/files.same)" ]
}

if [ "${1:-}" = --guest ]; then
	# run by lc-check.service: the log goes to the host's build/vm-out/,
	# and the status, when the last boot is done, too
	exec > >(tee -a "$OUT/systemd-check-guest.log") 2>&1
	V=$(scripts/version.sh)
	if [ ! -e /var/lib/lc-check-phase ]; then
		echo "systemd-check: boot 1 on $(uname -r)"
		boot1
		if [ "$rc" = 0 ]; then
			systemctl reboot
			exit 0
		fi
	else
		echo "systemd-check: boot 2 on $(uname -r)"
		boot2
	fi
	echo "$rc" > "$OUT/systemd-check.status"
	sync
	systemctl poweroff
	exit 0
fi

KVER=${1:-$(scripts/kmod.sh default 6.12)} || exit 1
[ -f "/boot/vmlinuz-$KVER" ] || { echo "FAIL: no /boot/vmlinuz-$KVER"; exit 1; }
if [ "${LC_DEB_NOBUILD:-0}" != 1 ]; then
	check "make deb" bash -c 'scripts/mkdeb.sh > "$0" 2>&1 || { tail -n 20 "$0"; false; }' \
		"$D.log"
	[ "$rc" = 0 ] || exit 1
fi
V=$(scripts/version.sh)
[ -f "$D/lifecycle_${V}_amd64.deb" ] || { echo "FAIL: no $D/lifecycle_${V}_amd64.deb"; exit 1; }
mkdir -p "$T" "$OUT"
rm -f "$OUT/systemd-check-guest.log" "$OUT/systemd-check.status" \
	"$OUT/systemd-check-apt.log"

# The initramfs: vm.sh's way to the host root, with the overlay's upper
# layer on the disk, then systemd as PID 1.
INITRD=$T/initrd-$KVER.cpio.gz
stage=$(mktemp -d "${TMPDIR:-/tmp}/lc-sd-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,lower,rw,newroot,lib/modules}
cp /bin/busybox "$stage/bin/busybox"
scripts/mkinitramfs.sh --modules "$KVER" "$stage" \
	virtio_pci 9p 9pnet_virtio overlay virtio_blk ext4 ||
	{ echo "FAIL: the initramfs's modules for $KVER"; exit 1; }
# The host's services that have nothing to do here are masked; the
# gettys would share the serial console.
MASK=(postgresql.service postgresql@.service auditd.service
	avahi-daemon.service avahi-daemon.socket e2scrub_reap.service
	systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer
	dpkg-db-backup.timer e2scrub_all.timer fstrim.timer man-db.timer
	getty@.service serial-getty@.service console-getty.service)
cat > "$stage/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
fail() { echo "lc-initramfs: \$*"; poweroff -f; }
while read -r ko; do
	insmod "/lib/modules/\$ko" || fail "insmod \$ko"
done < /lib/modules/load
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 \\
	hostroot /lower || fail "cannot mount the host root"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 1; done
mount -t ext4 /dev/vda /rw || fail "cannot mount /dev/vda"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \\
	overlay /newroot || fail "cannot mount the overlay"
mkdir -p /newroot$OUT
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 lcout /newroot$OUT ||
	fail "cannot mount $OUT"
E=/newroot/etc/systemd/system
for u in ${MASK[*]}; do
	ln -sfn /dev/null \$E/\$u
done
# Debian's tmp.conf empties /tmp at boot ("D"): a project under /tmp
# would vanish under the overlay.  Keep the directory, clean nothing.
mkdir -p /newroot/etc/tmpfiles.d
echo 'd /tmp 1777 root root -' > /newroot/etc/tmpfiles.d/tmp.conf
cat > \$E/lc-check.service <<UNIT
[Unit]
Description=lifecycle: scripts/systemd-check.sh --guest
After=multi-user.target
[Service]
Type=exec
WorkingDirectory=$ROOT
ExecStart=$ROOT/scripts/systemd-check.sh --guest
StandardOutput=journal+console
StandardError=inherit
UNIT
mkdir -p \$E/multi-user.target.wants
ln -sfn ../lc-check.service \$E/multi-user.target.wants/lc-check.service
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot /lib/systemd/systemd
EOF
chmod 755 "$stage/init"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$INITRD"

# The overlay's upper layer: a new disk each run, kept across the reboot.
IMG=$T/overlay.img
rm -f "$IMG"
truncate -s 4G "$IMG"
mkfs.ext4 -q -F "$IMG" || { echo "FAIL: mkfs.ext4 $IMG"; exit 1; }

TIMEOUT=${LC_SYSTEMD_TIMEOUT:-3000}
LOG=$T/console-$KVER.log
start=$(date +%s)
# No -no-reboot: "systemctl reboot" resets the VM, which boots the same
# kernel and initramfs again; "systemctl poweroff" ends qemu.  loglevel=5:
# the kernel's warnings reach the console, its notices do not.
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
	-accel "tcg,thread=${LC_TCG_THREAD:-multi}" -smp 2 -cpu max -m 2048 \
	-kernel "/boot/vmlinuz-$KVER" -initrd "$INITRD" \
	-append "console=ttyS0 loglevel=5 panic=0 printk.time=1" \
	-drive file="$IMG",if=virtio,format=raw \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$OUT",mount_tag=lcout,security_model=none,multidevs=remap \
	-bios qboot.rom -nographic -net none -vga none > "$LOG" 2>&1
st=$?
took=$(($(date +%s) - start))
grep -E '^(PASS|FAIL): ' "$OUT/systemd-check-guest.log" 2>/dev/null
boots=$(grep -c '^systemd-check: boot [12] on ' "$OUT/systemd-check-guest.log" 2>/dev/null)
if [ "$st" = 124 ] || [ "$st" = 137 ]; then
	fail "systemd VM on $KVER: timeout after $TIMEOUT s (console: $LOG)"
elif [ "$(cat "$OUT/systemd-check.status" 2>/dev/null)" != 0 ]; then
	fail "systemd VM on $KVER: the guest failed or reported nothing (console: $LOG)"
elif [ "$boots" != 2 ]; then
	fail "systemd VM on $KVER: $boots boots, not 2 (console: $LOG)"
elif tr -d '\r' < "$LOG" | grep -qE '\[ *[0-9]+\.[0-9]+\].*(BUG:|WARNING:|Oops|Kernel panic)'; then
	fail "systemd VM on $KVER: the kernel reported a bug (console: $LOG)"
else
	pass "systemd VM on $KVER: two boots, $took s"
fi
[ "$rc" = 0 ] || tail -n 30 "$OUT/systemd-check-guest.log" 2>/dev/null | sed 's/^/    /'
exit $rc
