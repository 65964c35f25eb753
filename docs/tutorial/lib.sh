# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh - what every tutorial experiment shares; sourced by NN-name.sh,
# which runs in the VM (lifecycle.ko loaded) as: bash NN-name.sh OUTDIR
#
# An experiment writes, under OUTDIR:
#   NAME.txt  blocks that docs/tutorial/NN-name.md shows as @@NAME@@
#   log       the records of its run, header included (the reader's input)
#   checks    its story as assertions, "ok - ..." or "not ok - ...", each
#             derived from that run (the pids it printed, the records)
set -u

TUT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$TUT/../.." && pwd)
# shellcheck disable=SC2034 # used by the experiments
SEED=$ROOT/selftests/seed
READER=$ROOT/userspace/lifecycle
DBG=/sys/kernel/debug/lifecycle
OUT=${1:?usage: NN-name.sh OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
: > "$OUT/checks"
# The chapter's programs print Korean; a pipe would hold back what a child
# printed before execve(), as seed.c notes, so Python runs unbuffered.
export NO_COLOR=1 PYTHONUNBUFFERED=1 PYTHONIOENCODING=utf-8 LC_ALL=C.UTF-8
export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
cd /tmp || exit 1	# the guest's /tmp is a fresh writable tmpfs

# mark: the sequence number of the newest record.
mark() {
	tail -n 1 /proc/lifecycle | cut -d' ' -f1
}

# snap SEQ: the records after SEQ into $OUT/log, with the format header.
snap() {
	sleep 0.3	# init's reaping of orphans is asynchronous
	awk -v s="$1" 'NR == 1 || $1 + 0 > s' /proc/lifecycle > "$OUT/log"
}

# rec EVENT PID: the EVENT records of PID in $OUT/log.
rec() {
	awk -v e="$1" -v p="$2" '$4 == e && $6 == p' "$OUT/log"
}

# val KEY: KEY's value in the first record on stdin.
val() {
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" | head -n 1
}

# count EVENT PID: how many EVENT records PID has.
count() {
	rec "$1" "$2" | wc -l
}

# letter PID: PID's state letter in the lineage table (X: reaped).
letter() {
	awk -v p="$1" 'NR > 1 && $1 == p { l = $5 } END { print l }' "$DBG/lineage"
}

# wait_letter PID LETTER: poll until PID's lineage letter is LETTER (5 s).
wait_letter() {
	local _
	for _ in $(seq 50); do
		[ "$(letter "$1")" = "$2" ] && break
		sleep 0.1
	done
	letter "$1"
}

# wait_gone PID: until PID is reaped (10 s).
wait_gone() {
	for _ in $(seq 100); do
		[ -d "/proc/$1" ] || return 0
		sleep 0.1
	done
	return 1
}

control() {
	echo "$*" > "$DBG/control"
}

# expect WHAT WANT GOT: one assertion of the story.
expect() {
	if [ "$2" = "$3" ]; then
		echo "ok - $1: $3"
	else
		echo "not ok - $1: want '$2', got '$3'"
	fi >> "$OUT/checks"
}

# expect_ge WHAT MIN GOT: GOT is a number of at least MIN.
expect_ge() {
	if [ -n "$3" ] && [ "$3" -ge "$2" ] 2>/dev/null; then
		echo "ok - $1: $3 >= $2"
	else
		echo "not ok - $1: want at least $2, got '$3'"
	fi >> "$OUT/checks"
}

# block NAME: stdin into NAME.txt (shown in the doc), and to stdout.
block() {
	tee "$OUT/$1.txt"
}

# timeline PID [OPTION...]: the reader's timeline of PID and its
# descendants, from $OUT/log.
timeline() {
	local p=$1
	shift
	"$READER" -i "$OUT/log" -p "$p" "$@" | block timeline
}

# raw PID...: the raw records of these pids, without the seq/ts/cpu columns.
raw() {
	local re
	re=$(printf '%s|' "$@")
	awk -v re="^(${re%|})\$" '$5 ~ re || $6 ~ re' "$OUT/log" |
		cut -d' ' -f4- | block raw
}

# pty STEP... -- CMD...: CMD on a terminal (ptydrive.py), transcript shown.
pty() {
	python3 "$TUT/ptydrive.py" "$@" 2> "$OUT/pty.err" | block terminal
	cat "$OUT/pty.err" >&2
}

# An interactive bash with a plain prompt, as a person's terminal would run.
# shellcheck disable=SC2034
SHELL_I=(env PS1='$ ' TERM=dumb bash --norc --noprofile --noediting -i)
