#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-selftests.sh [-o TAPFILE] [TEST...] - run inside the VM.
#
# Runs each build/selftests/* program (or the named ones) like the kselftest
# runner: TAP 13, one "ok"/"not ok" per program, its own TAP output nested
# with a "# " prefix, a timeout from selftests/settings, exit status 4 taken
# as SKIP.  Each program runs in a session of its own; whatever it leaves
# behind there is reported (state, wait channel, kernel stack) and killed,
# so a hung test costs its timeout and no more.  With -o the output is also
# written to TAPFILE (use a path under build/vm-out/ to get it out of the
# guest).  Exits 1 if any program failed.
#
#   scripts/vm.sh -- scripts/run-selftests.sh
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$ROOT/build/selftests
OUT=
[ "${1:-}" = -o ] && { OUT=$2; shift 2; }
TIMEOUT=$(sed -n 's/^timeout=//p' "$ROOT/selftests/settings" 2>/dev/null)
TIMEOUT=${TIMEOUT:-120}
# The debug kernel (KASAN, lockdep, kmemleak) is about 10x slower.
[ -e /sys/kernel/debug/kmemleak ] && TIMEOUT=$((TIMEOUT * 5))
RC=/tmp/run-selftests.rc
SID=/tmp/run-selftests.sid

# Report and kill what a program left behind in its session: the harness
# runs each test in a process group of its own, which timeout(1) does not
# signal, and a survivor holding the output pipe would hold the runner.
leftovers() {
	sid=$1 pids=
	for d in /proc/[0-9]*; do
		st=$(sed 's/.*) //' "$d/stat" 2>/dev/null) || continue
		# shellcheck disable=SC2086
		set -- $st
		if [ "${4:-}" != "$sid" ] || [ "$1" = Z ]; then
			continue
		fi
		echo "left behind: pid ${d#/proc/} ($(cat "$d/comm" 2>/dev/null)), state $1, in $(cat "$d/wchan" 2>/dev/null)"
		sed 's/^/    /' "$d/stack" 2>/dev/null
		pids="$pids ${d#/proc/}"
	done
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -9 $pids 2>/dev/null
}

run_all() {
	if [ $# -eq 0 ]; then
		for t in "$DIR"/*; do
			[ -f "$t" ] && [ -x "$t" ] && set -- "$@" "$(basename "$t")"
		done
	fi
	echo "TAP version 13"
	echo "1..$#"
	n=0 failed=0
	for t in "$@"; do
		n=$((n + 1))
		echo "# selftest: lifecycle: $t"
		# Its own session; line-buffered, so a hang shows where it is.
		{
			setsid -w sh -c 'echo $$ > "$1"; cd "$2" &&
				exec timeout -k 5 "$3" stdbuf -oL -eL "./$4"' \
				sh "$SID" "$DIR" "$TIMEOUT" "$t" 2>&1
			echo $? > "$RC"
			leftovers "$(cat "$SID")"
		} | sed 's/^/# /'
		rc=$(cat "$RC")
		case $rc in
		0)	echo "ok $n selftests: lifecycle: $t" ;;
		4)	echo "ok $n selftests: lifecycle: $t # SKIP" ;;
		124)	echo "not ok $n selftests: lifecycle: $t # TIMEOUT ${TIMEOUT}s"
			failed=1 ;;
		*)	echo "not ok $n selftests: lifecycle: $t # exit=$rc"
			failed=1 ;;
		esac
	done
	return $failed
}

if [ -z "$OUT" ]; then
	run_all "$@"
	exit
fi
{ run_all "$@"; echo $? > "$RC.all"; } | tee "$OUT"
exit "$(cat "$RC.all")"
