#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a synthetic recording (text, with start_ns) of a process storm.

chart-storm.py [N] > storm.txt

N processes (default 10000) in chains of ten: "storm" (pid 100, forked by
init) forks each chain's first member every 10 ms, each member forks the
next one 1 ms later, execs /usr/bin/workK, exits (SIGCHLD to its parent)
and is reaped by its parent.  Every fifth chain loses its sixth member
early: the seventh is adopted by init or by storm (a subreaper),
alternately, and reaped by its adopter.  Every seventh process is stopped
and continued.  Pids wrap after 5000 processes, so pids are reused and
only (tgid, start_ns) tells processes apart.  Used by scripts/chart-check.sh
for the chart's size and render-time limits.
"""
import sys

MS = 1000000
BOOT_ID = "5eed5eed-0000-4000-8000-000000000001"


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    ev = []     # (ts, order, text after "seq ts cpu")
    order = [0]

    def rec(ts, event, pid, ppid, comm, details, start, pstart, extra=""):
        order[0] += 1
        ev.append((ts, order[0], "%s %d %d %d 0 %s %s start_ns=%d "
                   "parent_start_ns=%d%s" % (event, pid, pid, ppid, comm,
                                             details, start, pstart, extra)))

    t0 = 1000 * MS
    init_start, storm_start = 1000, t0
    rec(t0, "fork", 100, 1, "sh", "creator_pid=1 creator_tgid=1 "
        "clone_flags=0x1200011 thread=0 vfork=0", storm_start, init_start,
        " creator_start_ns=%d" % init_start)
    rec(t0 + 100000, "exec", 100, 1, "storm", "old_pid=100 "
        "filename=/usr/bin/storm filename_trunc=0 argv=storm argv_trunc=0",
        storm_start, init_start)
    end = t0 + (n // 10 + 5) * 10 * MS

    for c in range(n // 10):
        base = t0 + MS + c * 10 * MS
        orphan = c % 5 == 4
        adopter = (1, init_start, "init") if c % 10 == 4 else \
                  (100, storm_start, "subreaper")
        chain = []
        for k in range(10):
            idx = c * 10 + k
            pid = 200 + idx % 5000
            fork = base + k * MS
            if k == 0:
                par = (100, storm_start, "storm")
            else:
                par = chain[k - 1]
            start = fork
            chain.append((pid, start, "work%d" % (idx % 7)))
            rec(fork, "fork", pid, par[0], par[2],
                "creator_pid=%d creator_tgid=%d clone_flags=0x1200011 "
                "thread=0 vfork=0" % (par[0], par[0]), start, par[1],
                " creator_start_ns=%d" % par[1])
            if k == 0:
                rec(fork + 50000, "setsid", pid, par[0], par[2],
                    "sid=%d" % pid, start, par[1])
            comm = "work%d" % (idx % 7)
            rec(fork + 200000, "exec", pid, par[0], comm,
                "old_pid=%d filename=/usr/bin/%s filename_trunc=0 "
                "argv=%s,%d argv_trunc=0" % (pid, comm, comm, idx),
                start, par[1])
            if idx % 7 == 3:
                rec(fork + 500000, "stop", pid, par[0], comm,
                    "signal=19 ptrace=0", start, par[1])
                rec(fork + 900000, "cont", pid, par[0], comm,
                    "signal=18 ptrace=0", start, par[1])
            # when it ends, and who is its parent then
            if orphan and k == 5:
                exit_ts = base + 6 * MS + 500000
            elif orphan and k == 6:
                exit_ts = base + 18 * MS
            else:
                exit_ts = base + 30 * MS - k * 2 * MS
            reaper = par
            if orphan and k == 6:
                reaper = adopter
                rec(base + 6 * MS + 510000, "reparent", pid, adopter[0],
                    comm, "old_ppid=%d new_ppid=%d reason=%s zombie=0" %
                    (par[0], adopter[0], adopter[2]), start, adopter[1],
                    " old_parent_start_ns=%d" % par[1])
            rec(exit_ts, "exit", pid, reaper[0], comm,
                "status=0 code=0 signal=- core=0 group_dead=1", start,
                reaper[1], " age_ns=%d" % (exit_ts - start))
            rec(exit_ts + 20000, "signal", reaper[0], 1, reaper[2],
                "signal=17 sender_pid=%d sender_tgid=%d result=delivered "
                "group=1" % (pid, pid), reaper[1], init_start,
                " sender_start_ns=%d" % start)
            reap = exit_ts + 100000
            rec(reap, "reap", pid, reaper[0], comm,
                "reaper_pid=%d reaper_tgid=%d how=wait zombie_ns=%d" %
                (reaper[0], reaper[0], reap - exit_ts - 5000), start,
                reaper[1], " reaper_start_ns=%d" % reaper[1])

    rec(end, "exit", 100, 1, "storm", "status=0 code=0 signal=- core=0 "
        "group_dead=1", storm_start, init_start,
        " age_ns=%d" % (end - storm_start))
    ev.sort()
    out = ["lifecycle 1 boot_id=%s\n" % BOOT_ID]
    for seq, (ts, _, text) in enumerate(ev, 1):
        out.append("%d %d 0 %s\n" % (seq, ts, text))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
