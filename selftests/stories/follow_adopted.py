#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""follow_adopted.py DIR SH PARENT CHILD DAEMON STORY_SHELL

Checks the follow-adopted story of scripts/reader-stories.sh, whose files
are in DIR: SH ran daemon.py (PARENT forked CHILD, CHILD forked DAEMON and
exited, init adopted DAEMON) and lived on; "lifecycle -f --new -p SH
--json" (fa.json), started then, must hold exactly DAEMON's SIGTERM from
STORY_SHELL, its exit by that signal and its reap by init, then SH's exit
0 and its reap by STORY_SHELL, and nothing else.  The live tree of SH
(fa.tree) holds PARENT, CHILD and the note of DAEMON adopted away to 1;
"tree -a -g --alive --only DAEMON" (fa.only) its line with argv, sid and
pgid; the trees of SH from the log (fa.logtree) and from the lineage
(fa.lintree) are the same; "tree -g --only DAEMON -i LOG" (fa.logonly)
its end.  Prints nothing and exits 0, or prints the first problem and
exits 1.
"""
import json
import os
import sys


class Fail(Exception):
    pass


def need(cond, fmt, *args):
    if not cond:
        raise Fail(fmt % args)


def read(d, name):
    with open(os.path.join(d, name), encoding="utf-8",
              errors="surrogateescape") as f:
        return f.read()


def check_follow(recs, sh, d, story):
    tgids = sorted(set(r["tgid"] for r in recs))
    need(tgids == sorted({sh, d}), "records of %s, want %s and %s",
         tgids, sh, d)
    dl = [r for r in recs if r["tgid"] == d]
    need([r["event"] for r in dl] == ["signal", "exit", "reap"],
         "daemon %d: events %s, want signal, exit, reap", d,
         [r["event"] for r in dl])
    need(dl[0]["signal"] == 15 and dl[0]["sender_tgid"] == story,
         "daemon %d: signal %s from %s, want 15 from %d", d,
         dl[0]["signal"], dl[0]["sender_tgid"], story)
    need(dl[1]["signal"] == 15 and dl[1]["code"] is None,
         "daemon %d: exit signal %s code %s, want signal 15", d,
         dl[1]["signal"], dl[1]["code"])
    need(dl[2]["reaper_tgid"] == 1 and dl[2]["reaper_pid"] == 1 and
         dl[2]["ppid"] == 1,
         "daemon %d: reaped by %s (parent %s), want init (1)", d,
         dl[2]["reaper_tgid"], dl[2]["ppid"])
    sl = [r for r in recs if r["tgid"] == sh]
    need([r["event"] for r in sl] == ["exit", "reap"],
         "shell %d: events %s, want exit, reap", sh,
         [r["event"] for r in sl])
    need(sl[0]["code"] == 0, "shell %d: exit code %s, want 0", sh,
         sl[0]["code"])
    need(sl[1]["reaper_tgid"] == story, "shell %d: reaped by %s, want %d",
         sh, sl[1]["reaper_tgid"], story)
    need(recs.index(dl[2]) < recs.index(sl[0]),
         "the shell exited before the daemon's reap")


def main():
    top, sh, p, c, d, story = sys.argv[1], *map(int, sys.argv[2:])
    recs = [json.loads(x) for x in read(top, "fa.json").splitlines()]
    check_follow(recs, sh, d, story)
    want = ["%d sh (S)" % sh,
            "`-- %d python3 [dead, exit 0]" % p,
            "    `-- %d python3 [dead, exit 0]" % c,
            "        `-- %d python3 adopted away -> 1" % d]
    got = read(top, "fa.tree").splitlines()
    need(got == want, "live tree of %d: %s, want %s", sh, got, want)
    want = ["%d python3 selftests/stories/daemon.py 600 (S) (born of %d) "
            "sid=%d pgid=%d" % (d, c, d, d)]
    got = read(top, "fa.only").splitlines()
    need(got[:1] == want and len(got) == 1,
         "tree -a -g --alive --only %d: %s, want %s", d, got, want)
    logtree = read(top, "fa.logtree")
    want = "\n".join(["%d sh [dead, exit 0]" % sh] + want_dead(p, c, d))
    need(logtree == want + "\n", "tree -i LOG %d: %r, want %r", sh,
         logtree, want)
    lintree = read(top, "fa.lintree")
    need(lintree == logtree, "tree from the lineage %r, from the log %r",
         lintree, logtree)
    want = "%d python3 [dead, signal 15] (born of %d) sid=%d pgid=%d\n" % (
        d, c, d, d)
    got = read(top, "fa.logonly")
    need(got == want, "tree -g --only %d -i LOG: %r, want %r", d, got, want)


def want_dead(p, c, d):
    return ["`-- %d python3 [dead, exit 0]" % p,
            "    `-- %d python3 [dead, exit 0]" % c,
            "        `-- %d python3 adopted away -> 1" % d]


if __name__ == "__main__":
    try:
        main()
    except (Fail, OSError, ValueError, KeyError, IndexError) as e:
        print(e)
        sys.exit(1)
