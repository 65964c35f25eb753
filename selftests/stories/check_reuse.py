#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check_reuse.py PROG LOG_JSON STORY_JSON OLD_STORY_JSON TIMELINE

Checks that every view tells apart the two processes reuse.py (PROG: what
it printed) gave the same pid: the records (LOG_JSON, lifecycle --json -p
PARENT) hold two forks of the pid with different start_ns, each
incarnation's exit (4, then 5) and reap carrying its own start;
"lifecycle story PID --json" (STORY_JSON) tells the newest (exit 5) and
lists both keys; "lifecycle story PID@START --json" of the first key
(OLD_STORY_JSON) tells the first (exit 4); the timeline (TIMELINE) shows
both exits.  Prints nothing and exits 0, or the first problem and 1.
"""
import json
import re
import sys


class Fail(Exception):
    pass


def need(cond, fmt, *args):
    if not cond:
        raise Fail(fmt % args)


def exit_code(story):
    ex = [e for e in story["events"] if e["event"] == "exit"]
    need(len(ex) == 1, "story of %s: %d exits", story["key"], len(ex))
    return ex[0]["code"]


def main(argv):
    prog = open(argv[1], encoding="utf-8").read()
    recs = [json.loads(x) for x in open(argv[2], encoding="utf-8")]
    new = json.load(open(argv[3], encoding="utf-8"))
    old = json.load(open(argv[4], encoding="utf-8"))
    tl = open(argv[5], encoding="utf-8", errors="replace").read()
    m = re.search(r"^reuse: parent=(\d+) pid=(\d+)$", prog, re.M)
    need(m, "the program printed no 'reuse: parent= pid=' line")
    parent, pid = int(m.group(1)), int(m.group(2))

    mine = [r for r in recs if r["tgid"] == pid]
    forks = [r for r in mine if r["event"] == "fork"]
    need(len(forks) == 2, "%d forks of pid %d, want 2", len(forks), pid)
    s1, s2 = forks[0]["start_ns"], forks[1]["start_ns"]
    need(isinstance(s1, int) and isinstance(s2, int) and s1 < s2,
         "start_ns %r then %r, want two, increasing", s1, s2)
    for r in mine:
        want = s1 if r["seq"] < forks[1]["seq"] else s2
        need(r["start_ns"] == want, "seq %d (%s): start_ns %r, want %d",
             r["seq"], r["event"], r["start_ns"], want)
    ex = [(r["start_ns"], r["code"]) for r in mine if r["event"] == "exit"]
    need(ex == [(s1, 4), (s2, 5)], "exits %s, want code 4 of %d, 5 of %d",
         ex, s1, s2)
    reaps = [(r["start_ns"], r["reaper_tgid"], r["reaper_start_ns"])
             for r in mine if r["event"] == "reap"]
    pstart = forks[0]["parent_start_ns"]
    need(reaps == [(s1, parent, pstart), (s2, parent, pstart)],
         "reaps %s, want both by %d (start %s)", reaps, parent, pstart)

    keys = ["%d@%d" % (pid, s1), "%d@%d" % (pid, s2)]
    need(new["key"] == keys[1] and new["incarnations"] == keys,
         "story %d: key %s, incarnations %s, want %s of %s", pid,
         new["key"], new["incarnations"], keys[1], keys)
    need(exit_code(new) == 5, "story %s: exit code %s, want 5", new["key"],
         exit_code(new))
    need(old["key"] == keys[0] and exit_code(old) == 4,
         "story %s: key %s, exit code %s, want %s and 4", keys[0],
         old["key"], exit_code(old), keys[0])

    lines = [x for x in tl.splitlines() if re.search(r" exit +%d " % pid, x)]
    need(len(lines) == 2 and "exit code 4" in lines[0] and
         "exit code 5" in lines[1], "timeline exits of %d: %s", pid, lines)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Fail as e:
        print(e)
        sys.exit(1)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        print("%s: %s" % (type(e).__name__, e))
        sys.exit(1)
