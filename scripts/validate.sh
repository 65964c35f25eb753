#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# validate.sh [-p] [KVER...] - check lifecycle's fork/exec/exit/signal
# records against the kernel's own tracepoints, counted by bpftrace.
#
# For each kernel (default: Debian's 6.1 and 6.12), builds lifecycle.ko
# from the current sources into build/bench/kmod/KVER/ (with -p: uses the
# one scripts/kmod.sh built, as make check does) and, in one VM:
#   1. notes /proc/lifecycle's next sequence number (debugfs stats);
#   2. starts bpftrace counting sched_process_fork (by child pid),
#      sched_process_exec, sched_process_exit and signal_generate (by
#      target pid), and waits for its BEGIN marker (all probes attached);
#   3. runs build/bench/lcwork mixed (bench/workload.c), which writes the
#      "tid tgid" of every task it creates;
#   4. saves /proc/lifecycle and the module's stats, then makes bpftrace
#      exit (a probe on kill(2147480001, 0) calls exit(); it prints its
#      maps in END), with SIGINT 30 s later if it is still there.
# Then, on the host, both sides are restricted to the workload's tasks and
# compared per thread and per process (tgid): every count must match, no
# record may be lost, and each record's tgid must be the task's.  Prints a
# table per kernel; exits non-zero on any mismatch or failure.
#
# Files: build/vm-out/validate/KVER/{bpf,lifecycle,map,stats}.txt.
# Internal: validate.sh --guest OUTDIR runs steps 1-4 (inside the VM);
# validate.sh --build-module KVER builds the snapshot and prints its path.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-3}

BPF='
BEGIN { system("touch /tmp/validate/ready"); printf("LC-BPF-READY\n"); }
tracepoint:sched:sched_process_fork { @fork[args->child_pid] = count(); }
tracepoint:sched:sched_process_exec { @exec[args->pid] = count(); }
tracepoint:sched:sched_process_exit { @exit[args->pid] = count(); }
tracepoint:signal:signal_generate { @signal[args->pid] = count(); }
tracepoint:syscalls:sys_enter_kill /args->pid == 2147480001 && args->sig == 0/ {
	exit();
}
END {
	printf("LC-BPF-END\n");
	print(@fork); print(@exec); print(@exit); print(@signal);
	clear(@fork); clear(@exec); clear(@exit); clear(@signal);
}'

guest() {
	local out=$1 tmp=/tmp/validate bpid i
	local stats=/sys/kernel/debug/lifecycle/stats

	mkdir -p "$tmp" "$out"
	[ -r /proc/lifecycle ] || { echo "validate: no /proc/lifecycle" >&2; return 1; }
	awk '$1 == "log_next_seq" { print $2 }' "$stats" > "$out/seq0.txt"

	bpftrace --unsafe -o "$tmp/bpf.txt" -e "$BPF" 2> "$tmp/bpf.err" &
	bpid=$!
	# Wait for BEGIN: bpftrace fires it after attaching every probe.  Its
	# printf to a file is buffered, so BEGIN touches a file as well.
	for ((i = 0; i < 20000; i++)); do
		[ ! -e "$tmp/ready" ] || break
		kill -0 "$bpid" 2> /dev/null || break
		sleep 0.05
	done
	if [ ! -e "$tmp/ready" ]; then
		echo "validate: bpftrace did not start" >&2
		cat "$tmp/bpf.err" >&2
		kill -INT "$bpid" 2> /dev/null || true
		return 1
	fi
	echo "validate: bpftrace attached after $i polls; running the workload"

	build/bench/lcwork mixed "$tmp/map.txt" "$ROOT/build/bench/lctrue" "$ROUNDS"
	echo "validate: workload done ($(wc -l < "$tmp/map.txt") tasks)"

	# Save lifecycle's side first, so a slow bpftrace exit cannot hide it.
	timeout 120 cat /proc/lifecycle > "$out/lifecycle.txt" ||
		echo "validate: reading /proc/lifecycle failed or timed out" >&2
	cp "$stats" "$out/stats.txt"
	echo "validate: saved /proc/lifecycle ($(wc -l < "$out/lifecycle.txt") lines); stopping bpftrace"
	# bpftrace exits by itself (exit() in a probe) on kill(2147480001, 0):
	# SIGINT alone sometimes left it running for minutes.  SIGINT stays
	# the second resort.
	kill -0 2147480001 2> /dev/null || true
	for ((i = 0; i < 3000; i++)); do
		kill -0 "$bpid" 2> /dev/null || break
		[ "$i" != 600 ] || kill -INT "$bpid"
		sleep 0.05
	done
	if kill -0 "$bpid" 2> /dev/null; then
		echo "validate: bpftrace did not exit after SIGINT" >&2
		kill -KILL "$bpid"
	fi
	wait "$bpid" || true
	echo "validate: bpftrace exited"
	cp "$tmp/bpf.err" "$out/bpf.err"
	grep -qs LC-BPF-END "$tmp/bpf.txt" || { echo "validate: bpftrace printed no maps" >&2; return 1; }
	cp "$tmp/bpf.txt" "$tmp/map.txt" "$out/"
}

if [ "${1:-}" = --guest ]; then
	guest "$2"
	exit
fi

# --- host ------------------------------------------------------------

# A snapshot of the module sources built with W=1, so that edits others
# make to module/ during a long run cannot change what is measured.
build_module() {
	local kver=$1 out=$ROOT/build/bench/kmod/$1

	mkdir -p "$out/module" "$out/include"
	rm -f "$out"/module/*.[ch] "$out/module/Kbuild"
	cp -p Kbuild "$out/"
	cp -p module/Kbuild module/*.[ch] "$out/module/"
	cp -pR include/. "$out/include/"
	make -C "/lib/modules/$kver/build" M="$out" W=1 -j"$(nproc)" modules \
		> "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; return 1; }
	echo "$out/module/lifecycle.ko"
}

compare() {
	python3 - "$1" << 'EOF'
import collections, sys

d = sys.argv[1]
EVENTS = ("fork", "exec", "exit", "signal")
tgid_of = {}
for line in open(f"{d}/map.txt"):
    tid, tgid = map(int, line.split())
    tgid_of[tid] = tgid

seq0 = int(open(f"{d}/seq0.txt").read().split()[0])
bpf = collections.Counter()
cur = None
for line in open(f"{d}/bpf.txt"):
    line = line.strip()
    if line.startswith("@") and "[" in line:
        name, rest = line[1:].split("[", 1)
        key, val = rest.split("]:", 1)
        if name in EVENTS and int(key) in tgid_of:
            bpf[(name, int(key))] += int(val)

lc = collections.Counter()
bad_tgid = []
lost = 0
for line in open(f"{d}/lifecycle.txt"):
    f = line.split()
    if len(f) < 9 or not f[0].isdigit() or int(f[0]) < seq0:
        continue
    ev, pid, tgid = f[3], int(f[4]), int(f[5])
    if ev == "lost":
        lost += 1
    if ev not in EVENTS or pid not in tgid_of:
        continue
    lc[(ev, pid)] += 1
    if tgid != tgid_of[pid]:
        bad_tgid.append(line.strip())

stats = dict(l.split(None, 1) for l in open(f"{d}/stats.txt") if " " in l)
lost_total = int(stats.get("lost_total", "0"))

def per_tgid(c):
    r = collections.Counter()
    for (ev, pid), n in c.items():
        r[(ev, tgid_of[pid])] += n
    return r

tb, tl = per_tgid(bpf), per_tgid(lc)
bad_tid = sorted(k for k in set(bpf) | set(lc) if bpf[k] != lc[k])
bad_tg = sorted(k for k in set(tb) | set(tl) if tb[k] != tl[k])
tgids = sorted(set(tgid_of.values()))

print(f"  {len(tgid_of)} tasks in {len(tgids)} processes; "
      f"records from seq {seq0}")
print(f"  {'event':8} {'bpftrace':>9} {'lifecycle':>9} {'tgids':>6} "
      f"{'tgid mismatches':>16} {'tid mismatches':>15}")
for ev in EVENTS:
    nb = sum(n for (e, _), n in tb.items() if e == ev)
    nl = sum(n for (e, _), n in tl.items() if e == ev)
    nt = len({t for (e, t) in set(tb) | set(tl) if e == ev})
    mg = sum(1 for e, _ in bad_tg if e == ev)
    mt = sum(1 for e, _ in bad_tid if e == ev)
    print(f"  {ev:8} {nb:9} {nl:9} {nt:6} {mg:16} {mt:15}")
for ev, t in bad_tg[:20]:
    print(f"  MISMATCH tgid {t} {ev}: bpftrace {tb[(ev, t)]} "
          f"lifecycle {tl[(ev, t)]}")
for ev, t in bad_tid[:20]:
    print(f"  MISMATCH tid {t} (tgid {tgid_of[t]}) {ev}: bpftrace "
          f"{bpf[(ev, t)]} lifecycle {lc[(ev, t)]}")
for l in bad_tgid[:10]:
    print(f"  WRONG TGID: {l}")
print(f"  lost records in range: {lost}, stats lost_total: {lost_total}")
ok = not bad_tg and not bad_tid and not bad_tgid and not lost \
    and not lost_total and sum(tb.values()) > 0
print("  RESULT:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
EOF
}

if [ "${1:-}" = --build-module ]; then
	build_module "$2"
	exit
fi

PREBUILT=
[ "${1:-}" = -p ] && { PREBUILT=1; shift; }
[ $# -gt 0 ] || set -- "$(scripts/kmod.sh default 6.1)" "$(scripts/kmod.sh default 6.12)"
make -s -C bench
rc=0
for kver in "$@"; do
	echo "=== $kver"
	if [ -n "$PREBUILT" ]; then
		mod=$ROOT/build/kmod/$kver/module/lifecycle.ko
		[ -f "$mod" ] || { echo "validate: $kver: no $mod"; rc=1; continue; }
	elif ! mod=$(build_module "$kver"); then
		echo "validate: $kver: module build failed"; rc=1; continue
	fi
	out=$ROOT/build/vm-out/validate/$kver
	# bpftrace 0.17 sometimes never exits after SIGINT (seen twice in
	# dozens of runs, 6.1 and 6.12): then, and only then, the whole
	# run is repeated once, with a new bpftrace and a new workload.
	for try in 1 2; do
		rm -rf "$out"
		mkdir -p "$out"
		if scripts/vm.sh -k "$kver" -m "$mod" -t 2400 -- \
			"scripts/validate.sh --guest $out" > "$out/console.log" 2>&1; then
			vm=ok
			break
		fi
		vm=failed
		grep -q 'bpftrace did not exit after SIGINT' "$out/console.log" ||
			break
		echo "validate: $kver: bpftrace hung at exit; once more"
	done
	if [ "$vm" != ok ]; then
		echo "validate: $kver: the VM run failed:"
		tail -n 20 "$out/console.log"
		rc=1
		continue
	fi
	grep '^validate:' "$out/console.log" | tr -d '\r' | sed 's/^/  /'
	compare "$out" || rc=1
done
exit $rc
