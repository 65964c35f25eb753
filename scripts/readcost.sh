#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# readcost.sh [-k KVER] [-n OPS] MODULE.ko... - what reading the log costs
# a reader, in guest instructions per record, for each module build.
#
# One VM with an instruction-counted clock (vm.sh --icount: 1 guest ns =
# 1 instruction) and no module loaded by init.  For each MODULE in turn:
# insmod log_size=65536, make OPS fork+exit+wait operations (4 records
# each) with build/bench/lcwork, then time each reader reading the whole
# backlog once, to a tmpfs file:
#   text    cat /proc/lifecycle                   (the module formats)
#   record  lifecycle -r                           (binary, copied as is)
#   json    lifecycle --json -i REC.bin            (userspace only: decode
#                                                   and JSON, no module)
#   timeline lifecycle -i REC.bin                  (userspace only)
#   cat-bin, cat-json, cat-tl  cat of the recording, its JSON and its
#                  timeline to another tmpfs file: what storing those
#                  bytes costs with no reader logic at all (a floor)
# Each figure is (CPU time, user and system, of the reader - the same on
# an empty log) / records, the median of 3 runs, from bash's "time" (ms,
# so use enough records); wakeups are not in it (nothing waits), only
# the read path.  Compare builds with it: same boot, same workload.
# READERS="A B ..." (more reader binaries than userspace/lifecycle) times
# json and timeline for each of them, in the same boot, on the same
# recording (the first module's).
#
#   scripts/readcost.sh build/kmod/KVER/module/lifecycle.ko other.ko
#   READERS="old/lifecycle userspace/lifecycle" scripts/readcost.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KVER=$(scripts/kmod.sh default 6.12) || exit 1
OPS=8000
while [ $# -gt 0 ]; do
	case $1 in
	-k) KVER=$2; shift 2 ;;
	-n) OPS=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || set -- "$ROOT/build/kmod/$KVER/module/lifecycle.ko"

# t OUT CMD: CPU time of sh -c "CMD > OUT" and its children, user +
# system, in guest ns (= instructions under icount; idle time, which the
# clock may jump through while 9p answers, is not in it).  OUT is removed
# first, untimed: truncating the last run's output would free its pages
# in the timed command.
t() {
	local TIMEFORMAT='%3U %3S' u s out=$1

	shift
	rm -f "$out"
	{ time sh -c "$* > $out" > /dev/null 2>&1; } 2> /tmp/r/time
	read -r u s < /tmp/r/time
	echo $(((10#${u/./} + 10#${s/./}) * 1000000))
}

median3() {
	printf '%s\n' "$@" | sort -n | sed -n 2p
}

# row NAME LABEL OUT EMPTY FULL: commands EMPTY and FULL, output to OUT,
# timed 3 times each, in turn; (median of FULL - median of EMPTY) / $n
# records.  OUT is left holding FULL's output.
row() {
	local i
	local -a e f

	for i in 1 2 3; do
		e[$i]=$(t "$3" "$4")
		f[$i]=$(t "$3" "$5")
	done
	echo "readcost: $1 $2 $n $((($(median3 "${f[@]}") - $(median3 "${e[@]}")) / n))"
}

# userspace_cost NAME READER: READER's json and timeline of the recording
# $W/r.bin ($n records), less the same of the empty one, per record; they
# leave the recording's JSON in $W/j and its timeline in $W/l
userspace_cost() {
	row "$1" json $W/j "$2 --json -i $W/empty.bin" "$2 --json -i $W/r.bin"
	row "$1" tl $W/l "$2 -i $W/empty.bin" "$2 -i $W/r.bin"
}

# store_cost NAME: the floor under a reader, storing bytes it already
# has: cat of the recording ($W/r.bin), of its JSON ($W/j) and of its
# timeline ($W/l) to another tmpfs file, less cat of an empty file, per
# record (cat's own read from the page cache is in it: a reader of
# /proc/lifecycle copies its input once too)
store_cost() {
	local f

	for f in bin:r.bin json:j tl:l; do
		row "$1" "cat-${f%%:*}" $W/c "cat $W/empty.bin" "cat $W/${f#*:}"
	done
	echo "readcost: note: bytes per record: binary $(($(stat -c %s $W/r.bin) / n)), json $(($(stat -c %s $W/j) / n)), timeline $(($(stat -c %s $W/l) / n))"
}

if [ "${GUEST:-}" = 1 ]; then
	W=/tmp/r
	L=$W/lifecycle
	mkdir -p $W
	cp build/bench/lcwork build/bench/lctrue userspace/lifecycle $W/
	nr=0
	for rd in $READERS; do
		nr=$((nr + 1))
		cp "$rd" $W/reader$nr
	done
	echo 0 > /proc/sys/kernel/randomize_va_space
	for mod in "$@"; do
		insmod "$mod" log_size=65536
		$W/lcwork bench fork 300 $W/lctrue > /dev/null	# warm-up
		echo clear > /sys/kernel/debug/lifecycle/control
		$L -r > $W/empty.bin
		for i in 1 2 3; do
			e_text[$i]=$(t $W/t.txt "cat /proc/lifecycle")
			e_rec[$i]=$(t $W/e.bin "$L -r")
		done
		$W/lcwork bench fork "$OPS" $W/lctrue > /dev/null
		n=$(($(wc -l < /proc/lifecycle) - 1))
		for i in 1 2 3; do
			f_text[$i]=$(t $W/t.txt "cat /proc/lifecycle")
			f_rec[$i]=$(t $W/r.bin "$L -r")
		done
		for r in text rec; do
			eval "a=\$(median3 \${e_$r[@]}); b=\$(median3 \${f_$r[@]})"
			echo "readcost: $mod $r $n $(((b - a) / n))"
		done
		userspace_cost "$mod" $L
		store_cost "$mod"
		[ "$(wc -l < $W/j)" = "$n" ] || echo "readcost: note: $n records counted, $(wc -l < $W/j) in the recording"
		# the other readers, on this module's recording
		for ((k = 1; k <= nr; k++)); do
			userspace_cost "$(echo $READERS | cut -d' ' -f$k)" $W/reader$k
		done
		rmmod lifecycle
	done
	exit 0
fi

make -s -C bench
make -s -C userspace
for m in "$@"; do
	[ -f "$m" ] || { echo "readcost.sh: no $m" >&2; exit 1; }
done
scripts/vm.sh --icount -M -k "$KVER" -t 3600 -- \
	"GUEST=1 READERS='${READERS:-}' scripts/readcost.sh -k $KVER -n $OPS $*" |
	grep '^readcost:' | awk '$2 == "note:" { sub(/^readcost: /, ""); print; next }
	{ printf "%-60s %-9s %6d records %6d instructions/record\n", $2, $3, $4, $5 }'
