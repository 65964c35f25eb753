#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# latency.sh [-m MODULE.ko] track [KVER] - time "track pid" on a big table
# latency.sh [-m MODULE.ko] rt [KVER]    - cyclictest with and without it
#
# Issue 12: no section under a raw lock (interrupts off) may grow with the
# number of processes.  Each measurement prints one line that starts with
# PASS: or FAIL: and carries its figures as key=value, and exits 0 or 1.
# Consoles and results: build/latency/ (host) and build/vm-out/latency/.
#
# track (default kernel: the newest 6.12, scripts/kmod.sh default 6.12):
#   one VM with an instruction-counted clock (vm.sh --icount, 1 vCPU: 1
#   guest ns = 1 instruction), the module loaded with lineage_size=65536,
#   the RCU stall timeout at 3 s (rcupdate.rcu_cpu_stall_timeout=3; the
#   minimum).  Starts 1,000 sleep processes and a chain of 40 nested shells
#   (each level a dash that starts the next and waits; the last starts a
#   sleep), then times the write of "track pid ROOT" to
#   /sys/kernel/debug/lifecycle/control with CLOCK_MONOTONIC around one
#   write(2), while a SCHED_IDLE loop forks (RCU callbacks, so that RCU has
#   grace periods to find stalled), then writes "track off".  Passes when
#   the write succeeded, took under 100 ms (100 million instructions),
#   debugfs state listed every pid of the chain (its 40 shells and their
#   sleep) and the kernel printed no RCU stall or soft lockup ("rcu: INFO",
#   "detected stalls", "soft lockup").  TRACK_CLOCK=wall runs it on 2
#   vCPUs and the host's clock instead, as issue 12 first measured it;
#   that figure moves with the host's load and the other VMs on it.
#
# rt (default kernel: the newest 6.12-rt, scripts/kmod.sh default rt):
#   one VM with an instruction-counted clock (vm.sh --icount: 1 vCPU, 1
#   guest ns = 1 instruction), booted without the module, ASLR off.  Each
#   phase runs cyclictest -m -q -N -p 95 -i 200 -l RT_SECS*5000 for RT_SECS
#   guest seconds (default 2: 10,000 wake-ups) while this load runs:
#     - a fork storm: two shell loops of /bin/true;
#     - a loop of "track pid $$", "track off" and "clear" into control;
#     - a loop of cat of debugfs stats, lineage and state;
#     - with the module only: two followers, lifecycle -f --new and
#       lifecycle -f --new --json, to /dev/null.
#   Phases: a throwaway warm-up of each configuration (RT_WARM guest
#   seconds, default 0.5), then RT_CYCLES (default 2) cycles of "none" (no
#   module: the loops' writes and reads fail) and "module" (insmod before,
#   rmmod after).  The figure per configuration is the worst cyclictest
#   Max over its phases, in ns = guest instructions.  Passes when the
#   module's worst case exceeds the one without by at most RT_LIMIT_NS
#   (default 10000: 10 us), every process of the load lived to the end
#   and the kernel printed no stall (nor anything vm.sh fails on).
#   A guest second takes 10-20 s of wall clock here (2 cores, other VMs
#   running), so the run takes 3-4 minutes with the boot.
#
# -m MODULE.ko: measure that build instead of build/kmod/KVER/module/
# lifecycle.ko (scripts/kmod.sh build KVER makes it).
# Internal: latency.sh --guest-track OUT and --guest-rt OUT MODULE run
# inside the VM.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DBG=/sys/kernel/debug/lifecycle
TRACK_LIMIT_MS=100
TRACK_CLOCK=${TRACK_CLOCK:-icount}
CHAIN=40
SLEEPERS=1000
RT_SECS=${RT_SECS:-2}
RT_WARM=${RT_WARM:-0.5}
RT_CYCLES=${RT_CYCLES:-2}
RT_LIMIT_NS=${RT_LIMIT_NS:-10000}
STALL='rcu: INFO|detected stalls|soft lockup'

usage() {
	sed -n '4,5p' "$0" | sed 's/^# //' >&2
	exit 2
}

# ---- inside the VM ----

# One level of the chain, for dash (quick to start): note its pid, start
# the next level (at the bottom, a sleep) and wait for it.
# shellcheck disable=SC2016 # expanded by dash, not here
CHAIN_SH='echo $$ >> "$2"
if [ "$1" -gt 1 ]; then
	sh "$0" $(($1 - 1)) "$2" &
else
	sleep 3600 &
	echo $! >> "$2"
fi
wait'

uptime_s() {
	echo "$(cut -d' ' -f1 /proc/uptime) s"
}

# timed_write FILE TEXT: one write(2) timed with CLOCK_MONOTONIC; prints
# "NS RET ERRNO".
timed_write() {
	python3 - "$1" "$2" <<'EOF'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY)
data = (sys.argv[2] + "\n").encode()
t0 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
try:
    ret, err = os.write(fd, data), 0
except OSError as e:
    ret, err = -1, e.errno
t1 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
print(t1 - t0, ret, err)
EOF
}

guest_track() {
	local out=$1 pidfile=/tmp/latency-chain chain=/tmp/latency-chain.sh
	local i root n=0 res ns ret err sleep busy
	local -a pids=()

	mkdir -p "$out"
	rm -f "$out"/*
	echo "latency: start at $(uptime_s)"
	[ -w "$DBG/control" ] || { echo "latency: no $DBG/control" >&2; return 1; }
	# The sleepers: busybox's static sleep (Debian's dynamic one takes
	# 100 ms a process under TCG, busybox's 15), started by python, as a
	# bash with 1,000 jobs is slow too.  They outlive python.
	sleep=$(command -v sleep)
	if [ -x /bin/busybox ]; then
		ln -sf /bin/busybox /tmp/sleep
		sleep=/tmp/sleep
	fi
	python3 - "$out/sleepers.txt" "$SLEEPERS" "$sleep" <<'EOF'
import subprocess, sys
ps = [subprocess.Popen([sys.argv[3], "3600"]) for _ in range(int(sys.argv[2]))]
with open(sys.argv[1], "w") as f:
    f.writelines("%d\n" % p.pid for p in ps)
EOF
	echo "latency: $SLEEPERS sleepers started at $(uptime_s)"
	printf '%s\n' "$CHAIN_SH" > "$chain"
	: > "$pidfile"
	sh "$chain" "$CHAIN" "$pidfile" &
	root=$!
	for ((i = 0; i < 6000; i++)); do
		n=$(wc -l < "$pidfile")
		[ "$n" -lt $((CHAIN + 1)) ] || break
		sleep 0.1
	done
	cp "$pidfile" "$out/chain.txt"
	echo "latency: chain of $n pids from $root at $(uptime_s)"
	grep -E '^(lineage_|track)' "$DBG/stats" > "$out/stats-before.txt" || true

	# Keep forking meanwhile, at SCHED_IDLE so as not to take the CPU
	# from the write: freed tasks keep RCU grace periods going, so that a
	# long interrupts-off section shows up as a stall (with nothing else
	# running, 35 s of it went unreported).
	chrt -i 0 sh -c "while :; do $sleep 0; done" &
	busy=$!
	res=$(timed_write "$DBG/control" "track pid $root")
	kill "$busy"
	wait "$busy" 2> /dev/null || true
	read -r ns ret err <<< "$res"
	cat "$DBG/state" > "$out/state.txt"
	timed_write "$DBG/control" "track off" > "$out/off.txt"
	dmesg > "$out/dmesg.txt"
	echo "LC-LAT-TRACK ns=$ns ret=$ret errno=$err root=$root"
	echo "$ns $ret $err $root" > "$out/track.txt"

	mapfile -t pids < "$out/sleepers.txt"
	mapfile -t -O "${#pids[@]}" pids < "$pidfile"
	kill "${pids[@]}" 2> /dev/null || true
	wait 2> /dev/null || true
}

# tally FILE CMD...: append "o" to FILE when CMD succeeds, "e" when not
tally() {
	local f=$1

	shift
	if "$@"; then printf o; else printf e; fi >> "$f"
}

# One round of the control loop: select, drop, clear.
control_round() {
	echo "track pid $$" > "$DBG/control" &&
		echo "track off" > "$DBG/control" &&
		echo clear > "$DBG/control"
}

# One round of the debugfs loop: every file, read whole.
debugfs_round() {
	cat "$DBG/stats" "$DBG/lineage" "$DBG/state" > /dev/null
}

# The load of one rt phase; every loop is a background job of this shell.
# The control and cat loops note each round in $OUT/NAME.track and .cat:
# "o" when every write or read worked, "e" when one failed (always,
# without the module).
rt_load_start() {
	local name=$1 with_module=$2

	LOAD=()
	(while :; do /bin/true; done) &
	LOAD+=("$!")
	(while :; do /bin/true; done) &
	LOAD+=("$!")
	(while :; do tally "$OUT/$name.track" control_round; done) \
		2> /dev/null &
	LOAD+=("$!")
	(while :; do tally "$OUT/$name.cat" debugfs_round; done) \
		2> /dev/null &
	LOAD+=("$!")
	if [ "$with_module" = 1 ]; then
		"$ROOT/userspace/lifecycle" -f --new > /dev/null \
			2> "$OUT/$name.follow1.err" &
		LOAD+=("$!")
		"$ROOT/userspace/lifecycle" -f --new --json > /dev/null \
			2> "$OUT/$name.follow2.err" &
		LOAD+=("$!")
	fi
}

# How many of the load's processes are still running.
rt_load_alive() {
	local p n=0

	for p in "${LOAD[@]}"; do
		! kill -0 "$p" 2> /dev/null || n=$((n + 1))
	done
	echo "$n/${#LOAD[@]}"
}

rt_load_stop() {
	kill "${LOAD[@]}" 2> /dev/null || true
	wait "${LOAD[@]}" 2> /dev/null || true
}

# count FILE CHAR: how many times CHAR is in FILE.
count() {
	tr -cd "$2" < "$1" 2> /dev/null | wc -c
}

# rt_phase NAME MODULE|- SECS: one cyclictest run under the load.
rt_phase() {
	local name=$1 module=$2 secs=$3 with=0 max alive

	if [ "$module" != - ]; then
		insmod "$module" || { echo "latency: insmod failed" >&2; return 1; }
		with=1
	fi
	rt_load_start "$name" "$with"
	sleep 0.2
	cyclictest -m -q -N -p 95 -i 200 -l "$(awk -v s="$secs" \
		'BEGIN { print int(s * 5000) }')" > "$OUT/$name.txt" 2>&1 ||
		{ cat "$OUT/$name.txt" >&2; rt_load_stop; return 1; }
	alive=$(rt_load_alive)
	rt_load_stop
	[ "$with" = 0 ] || rmmod lifecycle
	max=$(sed -n 's/.* Max: *\([0-9]*\).*/\1/p' "$OUT/$name.txt" | tail -n 1)
	echo "LC-LAT-RT phase=$name module=$with secs=$secs max_ns=${max:-?}" \
		"load=$alive track_ok=$(count "$OUT/$name.track" o)" \
		"track_err=$(count "$OUT/$name.track" e)" \
		"cat_ok=$(count "$OUT/$name.cat" o) cat_err=$(count "$OUT/$name.cat" e)"
	echo "$name $with ${max:-?} $alive" >> "$OUT/phases.txt"
}

guest_rt() {
	local module=$2 c

	OUT=$1
	mkdir -p "$OUT"
	rm -f "$OUT"/*
	command -v cyclictest > /dev/null ||
		{ echo "latency: no cyclictest (apt-get install rt-tests)" >&2; return 1; }
	echo 0 > /proc/sys/kernel/randomize_va_space
	rt_phase warm-none - "$RT_WARM"
	rt_phase warm-module "$module" "$RT_WARM"
	for ((c = 1; c <= RT_CYCLES; c++)); do
		rt_phase "none-$c" - "$RT_SECS"
		rt_phase "module-$c" "$module" "$RT_SECS"
	done
	dmesg > "$OUT/dmesg.txt"
}

# ---- on the host ----

# stalls LOG...: the kernel's stall and lockup lines in these files.
stalls() {
	cat "$@" 2> /dev/null | tr -d '\r' | grep -E "$STALL" |
		sed 's/^\[ *[0-9.]*\] //' | sort -u | head -n 5 || true
}

host_track() {
	local kver=$1 mod=$2 out=$ROOT/build/vm-out/latency/track-$1
	local log=$ROOT/build/latency/track-$1.log t0 rc=0 ns ret err root
	local ms pid want got missing st res=PASS why=

	t0=$(date +%s)
	if [ "$TRACK_CLOCK" = wall ]; then
		# One TCG thread (LC_TCG_THREAD=single, as make check):
		# multi-threaded TCG Oopses when code is patched under load,
		# even with no module loaded (../shared/notes/testing.md).
		LC_TCG_THREAD=single "$ROOT/scripts/vm.sh" -k "$kver" -m "$mod" \
			-p "lineage_size=65536" -s 2 -t 900 -- \
			"scripts/latency.sh --guest-track $out" > "$log" 2>&1 ||
			rc=$?
	else
		# --icount is single-threaded TCG too (see above).
		"$ROOT/scripts/vm.sh" -k "$kver" -m "$mod" \
			-p "lineage_size=65536" --icount -t 900 \
			--append "rcupdate.rcu_cpu_stall_timeout=3" -- \
			"scripts/latency.sh --guest-track $out" > "$log" 2>&1 ||
			rc=$?
	fi
	echo "latency: track VM took $(($(date +%s) - t0)) s wall clock (log: $log)"
	if [ ! -s "$out/track.txt" ]; then
		echo "FAIL: track kver=$kver: no result (vm.sh exit $rc, log: $log)"
		tail -n 20 "$log"
		return 1
	fi
	read -r ns ret err root < "$out/track.txt"
	ms=$(awk -v ns="$ns" 'BEGIN { printf "%.1f", ns / 1e6 }')
	want=$(wc -l < "$out/chain.txt")
	got=0 missing=
	while read -r pid; do
		if awk -v p="$pid" '$1 == p { f = 1 } END { exit !f }' "$out/state.txt"
		then
			got=$((got + 1))
		else
			missing="$missing $pid"
		fi
	done < "$out/chain.txt"
	st=$(stalls "$log" "$out/dmesg.txt")
	if [ "$ret" -le 0 ]; then
		res=FAIL why="$why write failed (errno $err);"
	fi
	if [ "$ns" -ge $((TRACK_LIMIT_MS * 1000000)) ]; then
		res=FAIL why="$why ${ms} ms >= ${TRACK_LIMIT_MS} ms;"
	fi
	if [ "$want" -ne $((CHAIN + 1)) ] || [ "$got" -ne "$want" ]; then
		res=FAIL why="$why chain pids tracked $got/$want (missing:$missing);"
	fi
	if [ -n "$st" ]; then
		res=FAIL why="$why kernel stall messages;"
	fi
	if [ "$rc" != 0 ]; then
		res=FAIL why="$why vm.sh exit $rc;"
	fi
	[ -z "$st" ] || printf '%s\n' "$st" | sed 's/^/    /'
	echo "$res: track kver=$kver track_pid_ms=$ms limit_ms=$TRACK_LIMIT_MS" \
		"clock=$TRACK_CLOCK" \
		"chain_tracked=$got/$want stall=$([ -n "$st" ] && echo yes || echo no)" \
		"root=$root${why:+ (${why# })}"
	[ "$res" = PASS ]
}

# worst PHASES CONFIG: the largest Max of one configuration's measured phases.
worst() {
	awk -v w="$2" '$1 !~ /^warm/ && $2 == w && $3 ~ /^[0-9]+$/ {
		if ($3 > m) m = $3; n++ } END { if (n) print m + 0; else print "?" }' "$1"
}

host_rt() {
	local kver=$1 mod=$2 out=$ROOT/build/vm-out/latency/rt-$1
	local log=$ROOT/build/latency/rt-$1.log t0 rc=0 cmd none with diff st
	local res=PASS why=
	local timeout=$((660 + 60 * RT_CYCLES * RT_SECS))

	command -v cyclictest > /dev/null || {
		echo "FAIL: rt kver=$kver: no cyclictest (apt-get install rt-tests)"
		return 1
	}
	cmd="RT_SECS=$RT_SECS RT_WARM=$RT_WARM RT_CYCLES=$RT_CYCLES"
	cmd="$cmd scripts/latency.sh --guest-rt $out $mod"
	t0=$(date +%s)
	# --icount is single-threaded TCG, which this VM needs anyway: it loads
	# and unloads under load (see LC_TCG_THREAD in host_track).
	"$ROOT/scripts/vm.sh" -k "$kver" -M --icount --append mitigations=off \
		-t "$timeout" -- \
		"$cmd" > "$log" 2>&1 || rc=$?
	echo "latency: rt VM took $(($(date +%s) - t0)) s wall clock (log: $log)"
	if [ ! -s "$out/phases.txt" ]; then
		echo "FAIL: rt kver=$kver: no result (vm.sh exit $rc, log: $log)"
		tail -n 20 "$log"
		return 1
	fi
	sed -n 's/^LC-LAT-RT phase=\([^ ]*\) /    \1: /p' "$log" | tr -d '\r'
	if awk '{ split($4, a, "/"); if (a[1] != a[2]) bad = 1 } END { exit !bad }' \
		"$out/phases.txt"; then
		res=FAIL why="$why part of the load died (log: $log);"
	fi
	none=$(worst "$out/phases.txt" 0)
	with=$(worst "$out/phases.txt" 1)
	st=$(stalls "$log" "$out/dmesg.txt")
	if [ "$none" = "?" ] || [ "$with" = "?" ]; then
		diff='?' res=FAIL why="$why a configuration has no figure;"
	else
		diff=$((with - none))
		[ "$diff" -le "$RT_LIMIT_NS" ] ||
			res=FAIL why="$why the module adds ${diff} ns > $RT_LIMIT_NS;"
	fi
	[ -z "$st" ] || res=FAIL why="$why kernel stall messages;"
	[ "$rc" = 0 ] || res=FAIL why="$why vm.sh exit $rc;"
	[ -z "$st" ] || printf '%s\n' "$st" | sed 's/^/    /'
	echo "$res: rt kver=$kver max_none_ns=$none max_module_ns=$with" \
		"added_ns=$diff limit_ns=$RT_LIMIT_NS secs=$RT_SECS" \
		"cycles=$RT_CYCLES${why:+ (${why# })}"
	[ "$res" = PASS ]
}

main() {
	local mod='' kver what

	case ${1:-} in
	--guest-track) guest_track "$2"; return ;;
	--guest-rt) guest_rt "$2" "$3"; return ;;
	-m) mod=$(realpath "$2"); shift 2 ;;
	esac
	what=${1:-}
	case $what in
	track) kver=${2:-$("$ROOT/scripts/kmod.sh" default 6.12)} ;;
	rt) kver=${2:-$("$ROOT/scripts/kmod.sh" default rt)} ;;
	*) usage ;;
	esac
	mod=${mod:-$ROOT/build/kmod/$kver/module/lifecycle.ko}
	[ -f "$mod" ] || {
		echo "FAIL: $what kver=$kver: no $mod (scripts/kmod.sh build $kver)"
		return 1
	}
	mkdir -p "$ROOT/build/latency"
	if [ "$what" = rt ]; then
		make -s -C "$ROOT/userspace" > /dev/null || {
			echo "FAIL: rt kver=$kver: the reader does not build"
			return 1
		}
		host_rt "$kver" "$mod"
	else
		host_track "$kver" "$mod"
	fi
}

main "$@"
