#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# profile.sh [-k KVER] [-p 'PARAMS'] [MODE [OPS]] - where the guest's
# kernel time goes on a bench workload, with and without lifecycle.
#
# One icount VM (guest time counts instructions, so cpu-clock samples are
# instruction samples): warm up, then "perf record -e cpu-clock -a" over
# build/bench/lcwork bench MODE OPS twice, first without the module, then
# with it loaded (PARAMS as module parameters).  Prints the kernel symbols
# whose sample count changed most between the two runs, and the module's
# own symbols.  MODE: fork (default), exec, spawn, thread, storm.
# READER='lifecycle -f --new --json' (say) runs that reader (from
# userspace/, its output to a tmpfs file) during the lc run, so that its
# cost, user and kernel, is in the profile; the reader's own samples
# (user and kernel, by symbol) are then printed as well, counted from its
# process alone rather than as a difference between the two runs.
# Needs perf (linux-perf) on the host; files in build/vm-out/profile/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KVER=$(scripts/kmod.sh default 6.12) || exit 1
PARAMS=
while [ $# -gt 0 ]; do
	case $1 in
	-k) KVER=$2; shift 2 ;;
	-p) PARAMS=$2; shift 2 ;;
	*) break ;;
	esac
done
MODE=${1:-fork}
OPS=${2:-3000}
OUT=$ROOT/build/vm-out/profile
MOD=$ROOT/build/kmod/$KVER/module/lifecycle.ko

if [ "${GUEST:-}" = 1 ]; then
	mkdir -p /tmp/p
	cp build/bench/lcwork build/bench/lctrue /tmp/p/
	echo 0 > /proc/sys/kernel/randomize_va_space
	echo -1 > /proc/sys/kernel/perf_event_paranoid
	echo 0 > /proc/sys/kernel/kptr_restrict
	for _ in 1 2 3 4; do
		/tmp/p/lcwork bench "$MODE" 300 /tmp/p/lctrue > /dev/null
	done
	for run in none lc; do
		rpid=
		if [ $run = lc ]; then
			# shellcheck disable=SC2086
			insmod "$MOD" $PARAMS
			if [ -n "${READER:-}" ]; then
				# shellcheck disable=SC2086
				userspace/$READER > /tmp/p/reader.out &
				rpid=$!
			fi
			/tmp/p/lcwork bench "$MODE" 300 /tmp/p/lctrue > /dev/null
		fi
		perf record -q -e cpu-clock -c 10000 -a -o /tmp/p/$run.data -- \
			/tmp/p/lcwork bench "$MODE" "$OPS" /tmp/p/lctrue \
			> "$OUT/$run.bench" 2> /dev/null
		if [ -n "$rpid" ]; then
			kill -INT "$rpid"
			wait "$rpid" || true
		fi
		perf report -i /tmp/p/$run.data --no-children --sort sym \
			--stdio -q -F overhead,sample,sym 2> /dev/null |
			grep -v '^$' > "$OUT/$run.txt" || true
		[ -z "$rpid" ] ||
			perf report -i /tmp/p/$run.data --comm lifecycle \
				--no-children --sort dso,sym --stdio -q \
				-F sample,dso,sym 2> /dev/null |
			grep -v '^$' > "$OUT/reader.txt" || true
	done
	rmmod lifecycle
	exit 0
fi

[ -x "$(command -v perf)" ] || { echo "profile.sh: no perf" >&2; exit 1; }
make -s -C bench
rm -rf "$OUT"
mkdir -p "$OUT"
scripts/vm.sh --icount -M -k "$KVER" -t 1200 -- \
	"GUEST=1 READER='${READER:-}' scripts/profile.sh -k $KVER -p '$PARAMS' $MODE $OPS" \
	> "$OUT/console.log" 2>&1 || { tail -n 30 "$OUT/console.log"; exit 1; }
echo "bench: none $(cat "$OUT/none.bench"); lc $(cat "$OUT/lc.bench")"
python3 - "$OUT" "$OPS" << 'EOF'
import collections, re, sys

out, ops = sys.argv[1], int(sys.argv[2])
def load(name):
    c = collections.Counter()
    for line in open(f"{out}/{name}.txt"):
        m = re.match(r"\s*[\d.]+%\s+(\d+)\s+\[([k.])\]\s+(\S+)", line)
        if m:
            c[(m.group(2), m.group(3))] += int(m.group(1))
    return c
none, lc = load("none"), load("lc")
# One sample per 10,000 ns of guest time, i.e. per 10,000 instructions
# (the shortest period the kernel gives cpu-clock: a smaller -c is
# silently raised to it, which made the figures here 5x too small).
per = lambda n: n * 10000 / ops
tot = sum(lc.values()) - sum(none.values())
print(f"total: none {per(sum(none.values())):.0f}, lc "
      f"{per(sum(lc.values())):.0f} instructions/op, "
      f"delta {per(tot):+.0f}")
rows = sorted(set(none) | set(lc), key=lambda k: -(lc[k] - none[k]))
print("top kernel symbols by change (instructions/op):")
for k in rows[:40]:
    d = lc[k] - none[k]
    if d:
        print(f"  {per(d):+8.0f}  {k[0]} {k[1]}")
# The reader's own samples (its process, user and kernel): counted
# directly, not as a difference between two runs.
try:
    lines = open(f"{out}/reader.txt").read().split("\n")
except OSError:
    sys.exit(0)
dso, syms = collections.Counter(), []
for line in lines:
    m = re.match(r"\s*(\d+)\s+(\S+)\s+\[[k.]\]\s+(\S+)", line)
    if m:
        dso[m.group(2)] += int(m.group(1))
        syms.append((int(m.group(1)), m.group(2), m.group(3)))
print(f"reader (its own process): {per(sum(dso.values())):.0f} "
      "instructions/op: " +
      ", ".join(f"{d} {per(n):.0f}" for d, n in dso.most_common()))
for n, d, sym in sorted(syms, reverse=True)[:20]:
    print(f"  {per(n):8.0f}  {d} {sym}")
EOF
