#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [KVER] - lifecycle's overhead against no tracing and against the
# alternatives, in guest instructions (default kernel: Debian's 6.12).
#
# One VM boot with an instruction-counted clock (vm.sh --icount: -accel tcg
# -icount shift=0,sleep=off -smp 1, so 1 guest ns = 1 instruction), guest
# kernel command line mitigations=off, ASLR off.  After a warm-up, every
# cycle runs each configuration in turn (A B C ... A B C ...), and each
# configuration runs every workload of build/bench/lcwork (bench/workload.c)
# for OPS operations:
#   fork    fork + _exit + wait
#   exec    fork + exec of a static true + wait
#   spawn   posix_spawn of the static true + wait
#   thread  pthread_create + pthread_join
#   storm   8 children at once, each fork + _exit + wait, OPS in all
#   signal  kill(getpid(), SIGURG), ignored: one signal record per call
#           and nothing else (SIGNAL_OPS of them, default 300 x OPS), so
#           a record's cost is not lost in the noise of fork's memory
#           work (not in the default set: MODES=signal)
# Configurations (CONFIGS to choose, in this order by default):
#   none       lifecycle unloaded (rmmod; insmod again for the next)
#   lc         lifecycle loaded, default events, no reader
#   lc-reader  lifecycle + a follower (build/bench/lcfollow) writing the
#              log to a file in tmpfs; its CPU is counted
#   lc-record  lifecycle + the reader recording: lifecycle -f --new -r, the
#              binary stream (LC_IOC_BINARY) to a file in tmpfs, no
#              formatting anywhere; its CPU is counted
#   lc-follow  lifecycle + the reader following: lifecycle -f --new --json
#              to a file in tmpfs (binary stream, JSON made in userspace)
#   lc-text    lifecycle + the reader following: lifecycle -f --new, the
#              text timeline, to a file in tmpfs
#              (these three take the records from the mapped log; with
#              "-read" appended, lc-record-read say, the same reader with
#              LIFECYCLE_NO_MAP=1 reads them; with "-before", the
#              reader at build/bench/lifecycle-before, an earlier build
#              to compare with in the same boot; with "-null", the same
#              reader writing to /dev/null: what storing its bytes costs;
#              "-before-null" both; none of these in the default set)
#   lc-track   lifecycle + state tracking of comm lcwork (sched_switch,
#              sched_wakeup)
#   lc-nosig   lifecycle with every event but signal (events fork,exec,...)
#   lc-min     lifecycle with only setsid enabled: every hook runs, nothing
#              is recorded (not in the default set)
#   lc-nokp    lifecycle loaded with fallback=31: no kprobes, the
#              tracepoint fallbacks instead (not in the default set)
#   ftrace     tracefs sched_process_{fork,exec,exit}, no reader
#   ftrace-lc  tracefs with the tracepoints lifecycle records from:
#              sched_process_{fork,exec,exit,free} and signal_generate,
#              one event for each of lifecycle's records (not in the
#              default set)
#   bpftrace   bpftrace on those 3 tracepoints, printf to a file (its CPU
#              counted); a throwaway phase and 10 s of idle follow it
#   forkstat   forkstat -e fork,exec,exit to a file (cn_proc)
#   auditd     auditd with execve and exit_group rules (auditd and kauditd
#              CPU counted)
# A tool's CPU is counted from /proc/PID/task/*/schedstat: what it spent
# during the timed loop is inside the elapsed time already (one vCPU); what
# it spent after, until it went quiet, is added.
#
# Results: build/vm-out/bench/raw.txt (one line per phase) and a summary on
# stdout: medians of instructions per operation, overhead against none,
# lifecycle's instructions per recorded event, lost events, memory.
# bench/results.md is written by hand from that summary.
#
# Environment: CYCLES (default 5), OPS (300; THREAD_OPS, default 10 x OPS,
# for thread; SIGNAL_OPS for signal), MODES, CONFIGS, BPF_CYCLES (how many
# of the cycles include bpftrace, default all), WALL=0 skips the
# wall-clock run (-smp 2, multi-threaded TCG, no icount: fork storm, none
# against lc, WALL_CYCLES cycles of WALL_OPS), CPU (QEMU -cpu for the
# icount boot, default vm.sh's: max).  icount counts each iteration of a
# rep-prefixed string instruction, so with max's ERMS the kernel's page
# clears and user copies (rep stosb/movsb) count one per byte;
# CPU=max,-erms has the kernel use 8-byte iterations instead.  APPEND adds
# to the icount boot's kernel command line (APPEND=init_on_alloc=0: Debian
# clears every page it allocates, a tmpfs file's pages too).
#
# Internal: bench.sh --guest OUTDIR / --guest-wall OUTDIR (inside the VM),
# bench.sh --summary OUTDIR (again from saved results).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CYCLES=${CYCLES:-5}
OPS=${OPS:-300}
# A thread create+join is ~56k instructions, a seventh of a fork: ten
# times the operations, so that a phase is long against the timer tick.
THREAD_OPS=${THREAD_OPS:-$((OPS * 10))}
# A kill() of an ignored signal is ~1.5k: 300 times the operations.
SIGNAL_OPS=${SIGNAL_OPS:-$((OPS * 300))}
# ops_of MODE: operations per phase
ops_of() {
	case $1 in
	thread) echo "$THREAD_OPS" ;;
	signal) echo "$SIGNAL_OPS" ;;
	*) echo "$OPS" ;;
	esac
}
CONFIGS=${CONFIGS:-none lc lc-reader lc-record lc-follow lc-text lc-track lc-nosig ftrace bpftrace forkstat auditd}
MODES=${MODES:-fork exec spawn thread storm}
BPF_CYCLES=${BPF_CYCLES:-$CYCLES}
WALL=${WALL:-1}
WALL_CYCLES=${WALL_CYCLES:-5}
WALL_OPS=${WALL_OPS:-2000}

# In the guest, copies on its tmpfs: an exec over 9p waits for the host,
# and with icount idle time warps the guest clock.
W=/tmp/bench/lcwork
TRUE=/tmp/bench/lctrue
FOLLOW=/tmp/bench/lcfollow
READER=/tmp/bench/lifecycle
READER_BEFORE=/tmp/bench/lifecycle-before
DBG=/sys/kernel/debug/lifecycle
TRACING=/sys/kernel/tracing

# --- guest -----------------------------------------------------------

lc_loaded() { [ -d /sys/module/lifecycle ]; }

lc_load() {
	lc_loaded || insmod "$LC_MODULE"
}

lc_unload() {
	lc_loaded || return 0
	rmmod lifecycle
}

# "name value" counters of the module, flattened to one line.
lc_stats() {
	if lc_loaded; then
		awk '$1 ~ /^events_|^recorded$|^lost_total$|^filtered$|^track_full$|^lineage_full$/ { printf "%s=%s ", $1, $2 }' $DBG/stats
	fi
}

wait_for() {	# wait_for SECONDS COMMAND...: poll until COMMAND succeeds
	local i limit=$(($1 * 20))

	shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# The tracepoints ftrace and bpftrace record: fork, exec and exit, or (-lc)
# also the two that give lifecycle's signal and reap records.
ftrace_events() {
	echo sched/sched_process_fork sched/sched_process_exec sched/sched_process_exit
	[ "$1" = "${1%-lc}" ] || echo sched/sched_process_free signal/signal_generate
}

bpf_script() {
	cat << 'EOF'
BEGIN { system("touch /tmp/bpf.ready"); }
tracepoint:sched:sched_process_fork { printf("fork %d %d %s\n", args->parent_pid, args->child_pid, args->child_comm); }
tracepoint:sched:sched_process_exec { printf("exec %d %d %s\n", args->pid, args->old_pid, str(args->filename)); }
tracepoint:sched:sched_process_exit { printf("exit %d %d %s\n", args->pid, pid, args->comm); }
EOF
	[ "$1" = "${1%-lc}" ] || cat << 'EOF'
tracepoint:sched:sched_process_free { printf("free %d %s\n", args->pid, args->comm); }
tracepoint:signal:signal_generate { printf("signal %d %d %d %d\n", args->sig, args->pid, pid, args->result); }
EOF
}

TOOLS=
TOOL_PID=

setup() {
	local r dest

	TOOLS='' TOOL_PID=''
	case $1 in
	none|ftrace*|bpftrace*|forkstat|auditd) lc_unload ;;
	lc-nokp) lc_unload; insmod "$LC_MODULE" fallback=31 ;;
	*) lc_load ;;
	esac
	case $1 in
	lc-reader)
		"$FOLLOW" -o /tmp/follow.out 2> /tmp/follow.err &
		TOOL_PID=$! TOOLS=$!
		wait_for 60 grep -q ready /tmp/follow.err ;;
	lc-record*|lc-follow*|lc-text*)
		case $1 in
		*-read) export LIFECYCLE_NO_MAP=1 ;;
		*) unset LIFECYCLE_NO_MAP ;;
		esac
		r=$READER
		case $1 in
		*-before|*-before-null) r=$READER_BEFORE ;;
		esac
		dest=/tmp/reader.out
		case $1 in
		*-null) dest=/dev/null ;;
		esac
		case $1 in
		lc-record*) "$r" -f --new -r > "$dest" & ;;
		lc-follow*) "$r" -f --new --json > "$dest" & ;;
		lc-text*) "$r" -f --new > "$dest" & ;;
		esac
		unset LIFECYCLE_NO_MAP
		TOOL_PID=$! TOOLS=$!
		# following once its open file shows in the stats
		wait_for 60 grep -q "_tgid $TOOL_PID\$" $DBG/stats ;;
	lc-track)
		echo "track comm lcwork" > $DBG/control ;;
	lc-nosig)
		echo "events fork,exec,exit,reap,reparent,stop,cont,setsid,setpgid" > $DBG/control ;;
	lc-min)
		echo "events setsid" > $DBG/control ;;
	ftrace|ftrace-lc)
		echo > $TRACING/trace
		for e in $(ftrace_events "$1"); do
			echo 1 > $TRACING/events/$e/enable
		done
		echo 1 > $TRACING/tracing_on ;;
	bpftrace|bpftrace-lc)
		rm -f /tmp/bpf.out
		rm -f /tmp/bpf.ready
		bpftrace --unsafe -o /tmp/bpf.out -e "$(bpf_script "$1")" \
			2> /tmp/bpf.err &
		TOOL_PID=$! TOOLS=$!
		# BEGIN runs once every probe is attached.
		wait_for 3000 test -e /tmp/bpf.ready ;;
	forkstat)
		forkstat -l -e fork,exec,exit > /tmp/forkstat.out 2>&1 &
		TOOL_PID=$! TOOLS=$!
		# Subscribed once its cn_proc netlink socket (protocol 11) exists.
		wait_for 60 awk -v p="$TOOL_PID" '$2 == 11 && $3 == p { f = 1 } END { exit !f }' /proc/net/netlink
		sleep 1 ;;
	auditd)
		mkdir -p /var/log/audit
		auditd -n > /tmp/auditd.out 2>&1 &
		TOOL_PID=$!
		wait_for 60 sh -c "auditctl -s | grep -q 'pid $TOOL_PID'"
		auditctl -D > /dev/null
		auditctl -a always,exit -F arch=b64 -S execve -k lc > /dev/null
		auditctl -a always,exit -F arch=b64 -S exit_group -k lc > /dev/null
		auditctl -e 1 > /dev/null
		TOOLS=$TOOL_PID,$(kauditd_pid) ;;
	esac
}

teardown() {
	case $1 in
	lc-reader)
		kill -TERM "$TOOL_PID"; wait "$TOOL_PID" || true
		sed -n 's/^lcfollow: \([0-9]*\) bytes.*/\1/p' /tmp/follow.err > /tmp/follow.bytes ;;
	lc-record*|lc-follow*|lc-text*)
		kill -INT "$TOOL_PID"; wait "$TOOL_PID" || true ;;
	lc-track)
		echo "track off" > $DBG/control ;;
	lc-nosig|lc-min)
		echo "events all" > $DBG/control ;;
	lc-nokp)
		lc_unload ;;
	ftrace|ftrace-lc)
		for e in $(ftrace_events "$1"); do
			echo 0 > $TRACING/events/$e/enable
		done
		echo > $TRACING/trace ;;
	bpftrace|bpftrace-lc)
		kill -INT "$TOOL_PID"; wait "$TOOL_PID" || true
		# Its exit leaves the kernel busier for a few guest seconds.
		sleep 10
		for m in $MODES; do
			"$W" bench "$m" "$(ops_of "$m")" "$TRUE" > /dev/null
		done ;;
	forkstat)
		kill -INT "$TOOL_PID"; wait "$TOOL_PID" || true ;;
	auditd)
		audit_quiet
		kill -TERM "$TOOL_PID"; wait "$TOOL_PID" || true ;;
	esac
}

kauditd_pid() {
	local d

	for d in /proc/[0-9]*; do
		[ "$(cat "$d/comm" 2> /dev/null)" = kauditd ] && { echo "${d#/proc/}"; return; }
	done
}

# No audit context for new tasks.  Run once before anything is measured,
# with audit enabled once, so every phase pays the same audit_alloc() (it
# is free only until audit was first enabled in a boot).
audit_quiet() {
	auditctl -D > /dev/null
	auditctl -a task,never > /dev/null
	auditctl -e 0 > /dev/null
}

copy_binaries() {
	mkdir -p /tmp/bench
	cp "$ROOT"/build/bench/{lcwork,lctrue,lcfollow} /tmp/bench/
	cp "$ROOT"/userspace/lifecycle /tmp/bench/
	if [ -x "$ROOT"/build/bench/lifecycle-before ]; then
		cp "$ROOT"/build/bench/lifecycle-before "$READER_BEFORE"
	fi
}

guest() {
	local out=$1 cycle cfg mode res before after n c

	copy_binaries
	mkdir -p "$out"
	: > "$out/raw.txt"
	echo 0 > /proc/sys/kernel/randomize_va_space
	{
		uname -r
		cat /proc/cmdline
		cat /proc/sys/kernel/randomize_va_space
	} > "$out/guest.txt"
	auditctl -e 1 > /dev/null
	audit_quiet
	lc_load
	cp $DBG/stats "$out/stats-load.txt"

	# Warm up: every workload until 2 guest seconds have passed.
	n=0
	read -r c _ < /proc/uptime
	while awk -v a="$c" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { exit !(b - a < 2) }'; do
		for mode in $MODES; do
			"$W" bench "$mode" "$(ops_of "$mode")" "$TRUE" > /dev/null
		done
		n=$((n + 1))
	done
	echo "bench: warm-up: $n rounds"

	for ((cycle = 1; cycle <= CYCLES; cycle++)); do
		for cfg in $CONFIGS; do
			# bpftrace takes 10-30 guest seconds of LLVM to start.
			case $cfg in
			bpftrace*) [ "$cycle" -le "$BPF_CYCLES" ] || continue ;;
			esac
			setup "$cfg"
			for mode in $MODES; do
				before=$(lc_stats)
				res=$("$W" bench "$mode" "$(ops_of "$mode")" "$TRUE" "$TOOLS")
				after=$(lc_stats)
				echo "$cycle $cfg $res | $before| $after" >> "$out/raw.txt"
			done
			[ "$cfg" != lc ] || cp $DBG/stats "$out/stats-lc.txt"
			teardown "$cfg"
			echo "bench: cycle $cycle $cfg done (uptime $(cut -d' ' -f1 /proc/uptime))"
		done
	done
	lc_load
	cp $DBG/stats "$out/stats-end.txt"
}

# Wall clock, -smp 2, multi-threaded TCG: fork storm, none against lc.
guest_wall() {
	local out=$1 cycle cfg

	copy_binaries
	mkdir -p "$out"
	: > "$out/wall.txt"
	echo 0 > /proc/sys/kernel/randomize_va_space
	"$W" bench storm "$WALL_OPS" "$TRUE" > /dev/null
	for ((cycle = 1; cycle <= WALL_CYCLES; cycle++)); do
		for cfg in none lc; do
			setup "$cfg"
			echo "$cycle $cfg $("$W" bench storm "$WALL_OPS" "$TRUE") | $(lc_stats)" >> "$out/wall.txt"
			teardown "$cfg"
		done
	done
	lc_load
}

case ${1:-} in
--guest) guest "$2"; exit ;;
--guest-wall) guest_wall "$2"; exit ;;
esac

# --- host ------------------------------------------------------------

summary() {
	python3 - "$1" << 'EOF'
import collections, statistics, sys

d = sys.argv[1]
cost = collections.defaultdict(list)	# (cfg, mode) -> instructions/op
tool = collections.defaultdict(list)	# (cfg, mode) -> tool instructions/op
whole = collections.defaultdict(list)	# (cfg, mode) -> tool's whole CPU/op
rec = collections.defaultdict(list)	# (cfg, mode) -> records/op
ev = collections.defaultdict(lambda: collections.defaultdict(list))
lost = collections.Counter()
cfgs, modes = [], []


def kv(s):
    return {k: int(v) for k, v in (x.split("=") for x in s.split())}


for line in open(f"{d}/raw.txt"):
    head, before, after = line.split("|")
    f = head.split()
    cycle, cfg, mode, n, el, tl = f[0], f[1], f[2], int(f[3]), int(f[4]), int(f[5])
    if cfg not in cfgs:
        cfgs.append(cfg)
    if mode not in modes:
        modes.append(mode)
    cost[(cfg, mode)].append((el + tl) / n)
    tool[(cfg, mode)].append(tl / n)
    if len(f) > 6:
        whole[(cfg, mode)].append(int(f[6]) / n)
    b, a = kv(before), kv(after)
    if a:
        rec[(cfg, mode)].append((a["recorded"] - b["recorded"]) / n)
        lost[cfg] += a["lost_total"] - b["lost_total"]
        for k in a:
            if k.startswith("events_") and a[k] != b.get(k, 0):
                ev[(cfg, mode)][k[7:]].append((a[k] - b[k]) / n)

med = {k: statistics.median(v) for k, v in cost.items()}
ncyc = collections.Counter(len(v) for v in cost.values()).most_common(1)[0][0]


def pct(cfg, mode):
    base = med.get(("none", mode))
    if base is None or (cfg, mode) not in med:
        return "-"
    return f"{100 * (med[(cfg, mode)] / base - 1):+.2f}%"


def spread(cfg, mode):
    v = cost[(cfg, mode)]
    m = statistics.median(v)
    return f"{100 * (max(v) - min(v)) / m:.1f}%"


print(f"Median guest instructions per operation ({ncyc} cycles; bpftrace "
      f"{len(cost.get(('bpftrace', modes[0]), []))}); overhead against none")
print("| workload | " + " | ".join(cfgs) + " |")
print("|---|" + "---|" * len(cfgs))
for m in modes:
    cells = []
    for c in cfgs:
        if (c, m) not in med:
            cells.append("-")
        elif c == "none":
            cells.append(f"{med[(c, m)] / 1000:.1f}k")
        else:
            cells.append(pct(c, m))
    print(f"| {m} | " + " | ".join(cells) + " |")

print("\nSpread (max-min)/median per cell")
print("| workload | " + " | ".join(cfgs) + " |")
print("|---|" + "---|" * len(cfgs))
for m in modes:
    print(f"| {m} | " + " | ".join(spread(c, m) if (c, m) in cost else "-"
                                    for c in cfgs) + " |")

print("\nTool CPU after the timed loop, median instructions per op")
tcfgs = [c for c in cfgs if any(max(tool[(c, m)] or [0]) > 0 for m in modes)]
if tcfgs:
    print("| workload | " + " | ".join(tcfgs) + " |")
    print("|---|" + "---|" * len(tcfgs))
    for m in modes:
        print(f"| {m} | " + " | ".join(
            f"{statistics.median(tool[(c, m)]):.0f}" for c in tcfgs) + " |")

print("\nlifecycle: records per op, instructions per recorded event "
      "((config - none) / records per op); the reader's own: its CPU from "
      "the start of the loop until it went quiet, per record (median)")
print("| workload | config | records/op | events per op | instr/op over none | instr/record | reader's own/record |")
print("|---|---|---|---|---|---|---|")
for c in cfgs:
    if not c.startswith("lc"):
        continue
    for m in modes:
        if not rec.get((c, m)):
            continue
        r = statistics.median(rec[(c, m)])
        e = ", ".join(f"{k} {statistics.median(v):.2f}"
                      for k, v in sorted(ev[(c, m)].items()))
        delta = med[(c, m)] - med[("none", m)]
        per = f"{delta / r:.0f}" if r else "-"
        own = statistics.median(whole[(c, m)] or [0])
        own = f"{own / r:.0f}" if r and own else "-"
        print(f"| {m} | {c} | {r:.2f} | {e} | {delta:.0f} | {per} | {own} |")

print("\nlost (stats lost_total delta) per config:",
      ", ".join(f"{c} {lost[c]}" for c in cfgs if c.startswith("lc")))
EOF
}

summary_wall() {
	python3 - "$1" << 'EOF'
import collections, statistics, sys

t = collections.defaultdict(list)
for line in open(f"{sys.argv[1]}/wall.txt"):
    f = line.split("|")[0].split()
    t[f[1]].append(int(f[4]) / int(f[3]))
for c in t:
    print(f"  {c}: median {statistics.median(t[c]) / 1000:.1f} us/op "
          f"wall (n={len(t[c])}, min {min(t[c]) / 1000:.1f}, "
          f"max {max(t[c]) / 1000:.1f})")
if "none" in t and "lc" in t:
    r = statistics.median(t["lc"]) / statistics.median(t["none"]) - 1
    print(f"  lc vs none: {100 * r:+.1f}%")
EOF
}

case ${1:-} in
--summary) summary "$2"; [ ! -f "$2/wall.txt" ] || summary_wall "$2"; exit ;;
esac

KVER=${1:-$(scripts/kmod.sh default 6.12)} || exit 1
OUT=$ROOT/build/vm-out/bench/$KVER
make -s -C bench
make -s -C userspace
MOD=$(scripts/validate.sh --build-module "$KVER")
rm -rf "$OUT"
mkdir -p "$OUT"
cat module/*.[ch] include/*.h | sha256sum | cut -c1-16 > "$OUT/module-sources.sha"
echo "bench: $KVER, module $MOD, results in $OUT"
scripts/vm.sh -k "$KVER" -m "$MOD" --icount ${CPU:+--cpu "$CPU"} \
	--append "mitigations=off${APPEND:+ $APPEND}" -t 14400 -- \
	"CYCLES=$CYCLES BPF_CYCLES=$BPF_CYCLES OPS=$OPS THREAD_OPS=$THREAD_OPS SIGNAL_OPS=$SIGNAL_OPS MODES='$MODES' CONFIGS='$CONFIGS' scripts/bench.sh --guest $OUT" \
	> "$OUT/console.log" 2>&1 || { tail -n 30 "$OUT/console.log"; exit 1; }
if [ "$WALL" = 1 ]; then
	scripts/vm.sh -k "$KVER" -m "$MOD" -s 2 --append mitigations=off -t 3600 -- \
		"WALL_CYCLES=$WALL_CYCLES WALL_OPS=$WALL_OPS scripts/bench.sh --guest-wall $OUT" \
		> "$OUT/console-wall.log" 2>&1 || { tail -n 30 "$OUT/console-wall.log"; exit 1; }
fi
summary "$OUT"
[ ! -f "$OUT/wall.txt" ] || { echo; echo "Wall clock, -smp 2 MTTCG, fork storm of $WALL_OPS:"; summary_wall "$OUT"; }
