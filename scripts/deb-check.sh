#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb-check.sh [KVER...] - the Debian packages, installed the Debian way in
# a VM on each kernel (default: the newest 6.1 and 6.12).
#
# On the host: "make deb" (build/deb/), and the same tree numbered
# PREV (build/deb/prev/) as the previous release.  In each VM (no module
# loaded by vm-init; the guest's writes go to its tmpfs overlay, so the
# host's dpkg, DKMS and /lib/modules are left as they are):
#   - apt installs PREV's two packages: DKMS builds the module for the
#     running kernel, modprobe loads it, the reader reads /proc/lifecycle;
#   - apt upgrades to this version: DKMS drops PREV's build and installs
#     this one, which loads and reads;
#   - lifecycle --journal into systemd-journald (started by hand): the
#     journal holds the same records as a snapshot of the log, seq for seq;
#   - the service's command (lifecycle -f --rotate, small files) records
#     and rotates, stops on SIGTERM with status 0, starts again without
#     duplicating or losing a record, and "lifecycle -i DIR" reads it all
#     with the seq continuous; systemd-analyze verify passes on the unit;
#   - apt remove, then apt purge: no lifecycle.ko left under /lib/modules,
#     no DKMS tree, no /usr/src/lifecycle-*, no package file, no
#     /var/log/lifecycle.
# So that DKMS builds once (in TCG, a build takes minutes), the guest
# hides the other kernels' headers from it; scripts/dkms-check.sh builds
# for every kernel.  A VM took 8 to 10 minutes on an idle 2-CPU host
# (two DKMS builds in TCG, 3 to 4.5 minutes each) and 32 with two other
# VMs running.  Prints PASS/FAIL lines, each with its seconds; exits 1
# on any failure.
# LC_DEB_NOBUILD=1 uses the packages already in build/deb/.
#
# The guest's functions run through check(), and each bash -c '...' takes
# its arguments as $0 and on: shellcheck's notes on those do not apply.
# shellcheck disable=SC2317,SC2016
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
D=$ROOT/build/deb
PREV=0.0.99
rc=0
# pass, fail, check, guest_apt_setup
# shellcheck source=scripts/lib-check.sh
. "$ROOT/scripts/lib-check.sh"

guest() {
	local k v n
	k=$(uname -r)
	v=$(scripts/version.sh)
	APTLOG=$ROOT/build/vm-out/deb-check-apt-$k.log	# the host can watch it
	echo "deb-check: guest $k, $PREV then $v"
	# vm-init has devtmpfs, without udev's links: dkms uses <(...)
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
	guest_apt_setup
	apt_install() {
		apt-get install -y -q --no-install-recommends \
			"$@" > "$APTLOG" 2>&1 || { cat "$APTLOG"; return 1; }
		grep -i -e dkms -e 'Building\|Installing' "$APTLOG" | head -n 20
	}
	loads() {	# version: modprobe loads that version, the reader reads
		rmmod lifecycle 2>/dev/null
		modprobe lifecycle &&
		[ "$(cat /sys/module/lifecycle/version)" = "$1" ] &&
		lifecycle -e fork > /tmp/forks &&
		grep -q ' fork ' /tmp/forks &&
		[ "$(lifecycle -V | cut -d' ' -f2)" = "$1" ]
	}
	dkms_has() {	# version: dkms status names that one only
		dkms status lifecycle | tee /tmp/dkms.status
		[ "$(grep -c . /tmp/dkms.status)" = 1 ] &&
		grep -q "^lifecycle/$1, $k, [^:]*: installed" /tmp/dkms.status
	}

	check "apt install lifecycle-dkms and lifecycle $PREV on $k" \
		apt_install "$D"/prev/lifecycle-dkms_"$PREV"_all.deb \
			"$D"/prev/lifecycle_"$PREV"_amd64.deb
	check "dkms status: $PREV installed for $k" dkms_has "$PREV"
	check "modprobe lifecycle ($PREV) and read it on $k" loads "$PREV"
	check "apt upgrade to $v on $k" \
		apt_install "$D"/lifecycle-dkms_"$v"_all.deb \
			"$D"/lifecycle_"$v"_amd64.deb
	check "dkms status: $v only on $k" dkms_has "$v"
	check "modprobe lifecycle ($v) and read it on $k" loads "$v"

	check "lifecycle --journal: journald holds the log, record for record" \
		journal_matches
	check "systemd-analyze verify lifecycle-record.service" \
		systemd-analyze verify /lib/systemd/system/lifecycle-record.service
	check "the recorder rotates, stops on SIGTERM, resumes without a gap" \
		record_twice
	dmesg | grep -i lifecycle | tail -n 3

	rmmod lifecycle
	check "apt remove on $k" \
		bash -c 'apt-get remove -y -q lifecycle lifecycle-dkms > "$0" 2>&1 || { cat "$0"; false; }' "$APTLOG"
	check "after remove: no module, DKMS tree, source or reader" leftovers
	check "apt purge on $k" \
		bash -c 'apt-get purge -y -q lifecycle lifecycle-dkms > "$0" 2>&1 || { cat "$0"; false; }' "$APTLOG"
	check "after purge: nothing of lifecycle left" leftovers purge
	n=$(dpkg -l 'lifecycle*' 2>/dev/null | grep -c '^[a-z][a-z] ')
	check "dpkg knows no lifecycle package" [ "$n" = 0 ]
}

# The service's ExecStart, by hand (no systemd here): small files, a
# SIGTERM, a second run in the same boot, then the files read back.
record_twice() {
	local dir=/var/log/lifecycle pid i files st
	local args=(-f --rotate "$dir" --max-bytes 16K --max-files 4)

	lifecycle "${args[@]}" 2> /tmp/rec1.err &
	pid=$!
	for i in $(seq 1 200); do /bin/true; done
	sleep 1
	kill -TERM "$pid"
	wait "$pid"
	st=$?
	cat /tmp/rec1.err
	[ "$st" = 0 ] || { echo "first run: exit $st"; return 1; }
	files=$(find "$dir" -maxdepth 1 -name 'lifecycle-*.bin' | wc -l)
	ls -l "$dir"
	[ "$files" = 4 ] || { echo "want 4 files (rotated, pruned), have $files"; return 1; }
	# again: what the module still holds is not recorded twice
	lifecycle "${args[@]}" 2> /tmp/rec2.err &
	pid=$!
	for i in $(seq 1 20); do /bin/true; done
	sleep 1
	kill -TERM "$pid"
	wait "$pid"
	st=$?
	cat /tmp/rec2.err
	[ "$st" = 0 ] || { echo "second run: exit $st"; return 1; }
	# pruning makes the oldest file start late: its first seq is no gap
	lifecycle -i "$dir" > /tmp/read.out 2> /tmp/read.err
	st=$?
	cat /tmp/read.err
	tail -n 3 /tmp/read.out
	[ "$st" = 0 ] && ! grep -q 'missing\|new recording' /tmp/read.err &&
	grep -q 'exec .*/bin/true' /tmp/read.out
}

# lifecycle --journal into a real journald (started by hand: no systemd
# here) from a snapshot of the log: the journal must hold the same
# records, seq for seq, with their event, pid, tgid, ppid, cpu and time.
# journald writes the entries after lifecycle has sent them (under TCG,
# thousands take many seconds), so wait until it holds them all.
journal_matches() {
	local snap=/tmp/snap.bin jpid i want got
	local fields='[.seq, .event, .pid, .tgid, .ppid, .cpu, .ts_ns]'
	mkdir -p /run/systemd/journal
	# journald wants a cgroup hierarchy, which vm-init does not mount
	mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup
	/lib/systemd/systemd-journald &
	jpid=$!
	for i in $(seq 1 100); do
		[ -S /run/systemd/journal/socket ] && break
		sleep 0.2
	done
	if ! { lifecycle -r > "$snap" && lifecycle --journal -i "$snap"; }; then
		kill "$jpid"
		return 1
	fi
	# a record without a field ("-", as lost has no pid) is null on both sides
	lifecycle -j -i "$snap" | jq -c "$fields | map(tostring)" |
		sort -t, -k1.3n > /tmp/want
	want=$(wc -l < /tmp/want)
	for i in $(seq 1 300); do
		got=$(journalctl --no-pager -t lifecycle -o cat | wc -l)
		[ "$got" -ge "$want" ] && break
		sleep 1
	done
	journalctl --no-pager -t lifecycle -o json |
		jq -c '{seq: .LIFECYCLE_SEQ, event: .LIFECYCLE_EVENT,
			pid: .LIFECYCLE_PID, tgid: .LIFECYCLE_TGID,
			ppid: .LIFECYCLE_PPID, cpu: .LIFECYCLE_CPU,
			ts_ns: .LIFECYCLE_TS_NS} | '"$fields"' | map(tostring)' |
		sort -t, -k1.3n > /tmp/got
	kill "$jpid"
	wait "$jpid" 2>/dev/null
	echo "journal: $(wc -l < /tmp/got) entries after ${i} s," \
		"snapshot: $want records"
	if ! [ "$want" -gt 0 ] || ! diff /tmp/want /tmp/got > /tmp/jdiff; then
		head /tmp/jdiff
		return 1
	fi
}

leftovers() {
	local bad=0 f
	f=$(find /lib/modules -name 'lifecycle.ko*' 2>/dev/null)
	[ -z "$f" ] || { echo "left: $f"; bad=1; }
	! modprobe -n lifecycle 2>/dev/null || { echo "modprobe still finds it"; bad=1; }
	[ -z "$(dkms status lifecycle)" ] || { dkms status lifecycle; bad=1; }
	[ ! -e /var/lib/dkms/lifecycle ] || { echo "left: /var/lib/dkms/lifecycle"; bad=1; }
	f=$(ls -d /usr/src/lifecycle-* /usr/bin/lifecycle \
		/lib/systemd/system/lifecycle-record.service 2>/dev/null)
	[ -z "$f" ] || { echo "left: $f"; bad=1; }
	if [ "${1:-}" = purge ]; then
		[ ! -e /var/log/lifecycle ] || { echo "left: /var/log/lifecycle"; bad=1; }
		f=$(ls /var/lib/dpkg/info/lifecycle* 2>/dev/null)
		[ -z "$f" ] || { echo "left: $f"; bad=1; }
	fi
	return "$bad"
}

if [ "${1:-}" = --guest ]; then
	guest
	exit $rc
fi

if [ $# = 0 ]; then
	set -- "$(scripts/kmod.sh default 6.1)" "$(scripts/kmod.sh default 6.12)"
fi
if [ "${LC_DEB_NOBUILD:-0}" != 1 ]; then
	# logged LOG CMD...: CMD's output to LOG, its tail on failure
	logged() {
		local log=$1
		shift
		"$@" > "$log" 2>&1 || { tail -n 20 "$log"; return 1; }
	}
	start=$(date +%s)
	check "make deb (lintian: no errors)" logged "$D.log" scripts/mkdeb.sh
	check "make deb of the previous release $PREV" \
		logged "$D-prev.log" scripts/mkdeb.sh "$D/prev" "$PREV"
	echo "deb-check: both builds took $(($(date +%s) - start)) s"
	[ "$rc" = 0 ] || exit 1
fi
[ -s "$D.log" ] && grep -E '^[EW]: ' "$D.log"
for k in "$@"; do
	start=$(date +%s)
	scripts/vm.sh -M -k "$k" -t 3600 -- "scripts/deb-check.sh --guest" \
		> "$D-$k.log" 2>&1
	st=$?
	tr -d '\r' < "$D-$k.log" | grep -E '^(PASS|FAIL): '
	# not "tr | grep -q": with pipefail, tr's SIGPIPE would fail it
	grep -q '^PASS: ' "$D-$k.log" || fail "no result from the VM on $k"
	if [ "$st" = 0 ]; then
		pass "VM on $k ($(($(date +%s) - start)) s)"
	else
		fail "VM on $k: exit $st (log: $D-$k.log)"
		tr -d '\r' < "$D-$k.log" | grep -v '^\[ *[0-9.]*\] ' | tail -n 25 | sed 's/^/    /'
	fi
done
exit $rc
