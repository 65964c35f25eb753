#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check_summary.py PROG SUMMARY_JSON RECORDS_JSON: lifecycle summary of
summarize.py's workload, read with -p PARENT, against what it did.

PROG holds "summary: parent=P zombie=Z middle=M orphan=O killed=K";
RECORDS_JSON is "lifecycle --json -p P" (each process's start_ns from its
fork record).  Exits 1 with the first difference on stdout.
"""
import json
import re
import sys


def fail(why):
    print(why)
    sys.exit(1)


def eq(what, got, want):
    if got != want:
        fail("%s: %r, want %r" % (what, got, want))


def main():
    prog, sfile, rfile = sys.argv[1:4]
    m = re.search(r"summary: parent=(\d+) zombie=(\d+) middle=(\d+) "
                  r"orphan=(\d+) killed=(\d+)", open(prog).read())
    if not m:
        fail("no pids from the program")
    p, z, mid, o, k = (int(x) for x in m.groups())
    s = json.loads(open(sfile).read())
    recs = [json.loads(x) for x in open(rfile)]
    start = {r["pid"]: r["start_ns"] for r in recs
             if r["event"] == "fork" and not r["thread"]}
    for pid in (p, z, mid, o, k):
        if start.get(pid) is None:
            fail("no fork record with start_ns for %d" % pid)

    # five processes, each born, exited and reaped in the log
    for ev, n in (("fork", 5), ("exit", 5), ("reap", 5), ("reparent", 1)):
        eq("events." + ev, s["events"][ev], n)
    eq("unreaped", (s["unreaped"], s["unreaped_total"]), ([], 0))
    eq("lifetimes", (s["lifetimes"], s["lifetimes_unknown"]), (5, 0))

    # the zombie held 1 s, reaped by the parent through wait
    zz = s["longest_zombies"][0]
    eq("longest zombie", (zz["pid"], zz["start_ns"], zz["reaper_pid"],
                          zz["reaper_start_ns"], zz["how"]),
       (z, start[z], p, start[p], "wait"))
    if not 1000000000 <= zz["zombie_ns"] < 3000000000:
        fail("zombie %d: %d ns, want about 1 s" % (z, zz["zombie_ns"]))
    if any(x["zombie_ns"] >= 1000000000 for x in s["longest_zombies"][1:]):
        fail("another zombie of 1 s or more")
    reaped = {x["pid"]: x for x in s["longest_zombies"]}
    if o not in reaped:
        fail("orphan %d not among the zombies" % o)
    eq("orphan's reaper", (reaped[o]["reaper_pid"], reaped[o]["how"]),
       (1, "wait"))

    # the orphan adopted by init when middle died
    eq("orphans_total", s["orphans_total"], 1)
    a = s["orphans"][0]
    eq("orphan", (a["pid"], a["start_ns"], a["old_ppid"],
                  a["old_parent_start_ns"], a["new_ppid"], a["reason"],
                  a["zombie"]),
       (o, start[o], mid, start[mid], 1, "init", False))

    # the child killed by the parent's SIGKILL
    eq("signal_deaths_total", s["signal_deaths_total"], 1)
    d = s["signal_deaths"][0]
    eq("signal death", (d["pid"], d["start_ns"], d["signal"],
                        d["signal_name"], d["core_dumped"], d["sender_pid"],
                        d["sender_tgid"], d["sender_start_ns"]),
       (k, start[k], 9, "SIGKILL", False, p, p, start[p]))
    eq("sender comm", d["sender_comm"], "python3")

    # lifetimes: the killed child lived 0.1 s or more, the parent longest
    lives = {x["pid"]: x["lifetime_ns"] for x in s["longest_lives"]}
    eq("longest life", s["longest_lives"][0]["pid"], p)
    if lives.get(k, 0) < 100000000:
        fail("killed %d: lifetime %s" % (k, lives.get(k)))
    eq("shortest lives", sorted(x["pid"] for x in s["shortest_lives"]),
       sorted((p, z, mid, o, k)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
