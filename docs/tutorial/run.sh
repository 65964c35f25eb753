#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh OUTDIR [NN...] - run the tutorial's experiments (all, or those
# numbered NN), in the VM with lifecycle.ko loaded; scripts/tutorial.sh
# boots it.  Each gets OUTDIR/NN-name/ (see lib.sh); OUTDIR/results gets
# one line per experiment: "ok NN-name (N checks)" or "not ok NN-name: why".
# Each may take TUT_TIMEOUT seconds (300).
set -u
TUT=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: run.sh OUTDIR [NN...]}
shift
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
: > "$OUT/results"
uname -r > "$OUT/kernel"
[ -r /proc/lifecycle ] || { echo "not ok all: /proc/lifecycle missing" > "$OUT/results"; exit 1; }
[ -x "$TUT/../../userspace/lifecycle" ] || { echo "not ok all: userspace/lifecycle not built" > "$OUT/results"; exit 1; }

for s in "$TUT"/[0-9][0-9]-*.sh; do
	name=$(basename "$s" .sh)
	if [ $# -gt 0 ]; then
		case " $* " in *" ${name%%-*} "*) ;; *) continue ;; esac
	fi
	dir=$OUT/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "== $name"
	timeout -k 5 "${TUT_TIMEOUT:-300}" bash "$s" "$dir" > "$dir/stdout" 2> "$dir/stderr" < /dev/null
	rc=$?
	echo "track off" > /sys/kernel/debug/lifecycle/control
	sed 's/^/    /' "$dir/checks" 2>/dev/null
	n=$(grep -c '^ok' "$dir/checks" 2>/dev/null)
	if [ "$rc" != 0 ]; then
		echo "not ok $name: the script exited $rc: $(tail -n 3 "$dir/stderr" | tr '\n' ' ')"
	elif [ "${n:-0}" = 0 ]; then
		echo "not ok $name: no checks"
	elif grep -q '^not ok' "$dir/checks"; then
		echo "not ok $name: $(grep '^not ok' "$dir/checks" | sed 's/^not ok - //' | paste -sd';' -)"
	else
		echo "ok $name ($n checks)"
	fi | tee -a "$OUT/results"
done
