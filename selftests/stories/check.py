#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check.py STORY PROG TIMELINE JSON [TREE_JSON] [SHELL_PID]

Checks one story of scripts/reader-stories.sh against what its program
printed (PROG): the reader's --json records (JSON) must hold exactly the
expected processes and, for each, exactly the expected events in order
(SIGCHLD signal records aside), with the right parents, reapers and exit
codes; the cross-process order must hold (an orphan is adopted after its
parent exits, reaped after it exits); the timeline (TIMELINE) must show
the same records in plain words; the lineage (TREE_JSON) must show both
parents of the adopted process.  Prints nothing and exits 0, or prints
the first problem and exits 1.
"""
import json
import re
import sys

SIGCHLD = 17


class Fail(Exception):
    pass


def need(cond, fmt, *args):
    if not cond:
        raise Fail(fmt % args)


def prog_pids(text, tag):
    m = re.search(r"^%s: (.*)$" % tag, text, re.M)
    need(m, "the program printed no '%s:' line", tag)
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}


def life(recs, pids):
    """per pid: its records but SIGCHLD signals, which must be SIGCHLD"""
    seen = set(r["tgid"] for r in recs)
    need(seen == set(pids), "records of pids %s, want %s",
         sorted(seen), sorted(pids))
    by = {p: [] for p in pids}
    for r in recs:
        if r["event"] == "signal":
            need(r["signal"] == SIGCHLD, "unexpected signal %s to %d",
                 r["signal"], r["pid"])
            continue
        by[r["tgid"]].append(r)
    return by


def check_ids(recs):
    """the process key: one boot id, one start per process, and every
    start a record gives for another process is that process's own"""
    boot = set(r["boot_id"] for r in recs)
    need(len(boot) == 1 and re.match(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-"
                                     r"[0-9a-f]{12}$", list(boot)[0] or ""),
         "boot_id %s, want one UUID", sorted(map(str, boot)))
    start = {}
    for r in recs:
        need(isinstance(r["start_ns"], int) and 0 < r["start_ns"] <= r["ts_ns"],
             "seq %d: start_ns %r", r["seq"], r["start_ns"])
        need(start.setdefault(r["tgid"], r["start_ns"]) == r["start_ns"],
             "seq %d: start_ns %d, but %d before for tgid %d", r["seq"],
             r["start_ns"], start[r["tgid"]], r["tgid"])
    peers = {"fork": ("creator_tgid", "creator_start_ns"),
             "reap": ("reaper_tgid", "reaper_start_ns"),
             "reparent": ("old_ppid", "old_parent_start_ns"),
             "signal": ("sender_tgid", "sender_start_ns")}
    for r in recs:
        if r["ppid"] in start:
            need(r["parent_start_ns"] == start[r["ppid"]],
                 "seq %d: parent_start_ns %r, want %d", r["seq"],
                 r["parent_start_ns"], start[r["ppid"]])
        if r["event"] in peers:
            who, key = peers[r["event"]]
            if r[who] in start:
                need(r[key] == start[r[who]], "seq %d: %s %r, want %d",
                     r["seq"], key, r[key], start[r[who]])
        if r["event"] == "exit" and r["pid"] == r["tgid"]:
            need(r["age_ns"] == r["ts_ns"] - r["start_ns"],
                 "seq %d: age_ns %r, want ts_ns - start_ns = %d", r["seq"],
                 r["age_ns"], r["ts_ns"] - r["start_ns"])


def expect(by, pid, name, *steps):
    """steps: (event, {key: value}) in order; returns {event: record}"""
    got = [r["event"] for r in by[pid]]
    want = [s[0] for s in steps]
    need(got == want, "%s %d: events %s, want %s", name, pid, got, want)
    out = {}
    for r, (ev, keys) in zip(by[pid], steps):
        for k, v in keys.items():
            need(r.get(k) == v, "%s %d: %s %s=%r, want %r", name, pid, ev,
                 k, r.get(k), v)
        out[ev] = r
    return out


def before(a, b, what):
    need(a["seq"] < b["seq"], "%s: seq %d is not before %d", what, a["seq"],
         b["seq"])


def fork(parent):
    return ("fork", {"ppid": parent, "creator_tgid": parent,
                     "thread": False})


def exec_(filename, argv):
    return ("exec", {"filename": filename, "argv": argv})


def exited(code):
    return ("exit", {"code": code, "signal": None, "group_dead": True})


def reaped(by):
    return ("reap", {"reaper_tgid": by, "how": "wait"})


def adopted(old, new, reason):
    return ("reparent", {"old_ppid": old, "new_ppid": new,
                         "reason": reason})


def orphan_order(c, o, kid):
    """the orphan was adopted when its parent exited, reaped after exit"""
    before(c["exit"], o["reparent"], "%s's parent exits before it is adopted"
           % kid)
    before(o["reparent"], o["reap"], "%s is adopted before it is reaped" % kid)
    before(o["exit"], o["reap"], "%s exits before it is reaped" % kid)
    if o["reparent"]["zombie"]:
        before(o["exit"], o["reparent"], "an adopted zombie exited first")


def story_seed(prog, recs):
    # unbuffered, the two processes' lines may interleave: no anchors
    m = re.search(r"부모 프로세스: pid=(\d+), 자식 프로세스 pid=(\d+)", prog)
    need(m, "the parent did not print its pids")
    p, c = int(m.group(1)), int(m.group(2))
    echo = "pid=%d에서 안녕" % c
    need(echo in prog, "echo did not print '%s'", echo)
    r = recs[0]["ppid"] if recs else -1
    m = re.search(r"자식 프로세스: pid=%d, 부모 프로세스 pid=(\d+)" % c, prog)
    need(m and int(m.group(1)) in (p, r), "the child did not print its pids")
    by = life(recs, [p, c])
    pr = expect(by, p, "parent", fork(r),
                exec_("/usr/bin/python3",
                      ["python3", "selftests/seed/fork-and-exec.py"]),
                exited(0), reaped(r))
    steps = [fork(p), exec_("/bin/echo", ["echo", echo]), exited(0),
             reaped(r)]
    # The parent exits whenever it likes: the child is adopted after its
    # fork and before its reap, anywhere among them (orphan_order checks
    # it against the parent's exit).
    got = [x["event"] for x in by[c]]
    at = got.index("reparent") if "reparent" in got else 3
    need(1 <= at <= 3, "child %d: adopted at step %d of %s", c, at, got)
    steps.insert(at, adopted(p, r, "subreaper"))
    ch = expect(by, c, "child", *steps)
    before(pr["fork"], ch["fork"], "the parent is born first")
    orphan_order(pr, ch, "the child")
    return {"run": r, "parent": p, "child": c}


def story_daemon(prog, recs, shell=None):
    k = prog_pids(prog, "daemon")
    p, c, d, a = k["parent"], k["child"], k["daemon"], k["adopter"]
    need(k["sid"] == d, "sid %d, want %d", k["sid"], d)
    r = recs[0]["ppid"] if recs else -1
    if shell is not None:
        need(r == shell, "parent forked by %d, want the shell %d", r, shell)
        need(a == 1, "the daemon was adopted by %d, want init (1)", a)
    else:
        need(a == r, "the daemon was adopted by %d, want run (%d)", a, r)
    by = life(recs, [p, c, d])
    pr = expect(by, p, "parent", fork(r),
                exec_("/usr/bin/python3", ["python3",
                                           "selftests/stories/daemon.py"]
                      + (["0.3"] if shell else [])),
                exited(0), reaped(r))
    cr = expect(by, c, "child", fork(p), exited(0), reaped(p))
    dr = expect(by, d, "daemon", fork(c),
                adopted(c, a, "init" if shell else "subreaper"),
                ("setsid", {"sid": d}), exited(4), reaped(a))
    need(dr["reparent"]["zombie"] is False, "the daemon adopted as zombie")
    orphan_order(cr, dr, "the daemon")
    before(dr["reparent"], dr["setsid"], "adopted before setsid")
    before(cr["reap"], pr["exit"], "the parent reaps the child first")
    return {"run": r, "parent": p, "child": c, "daemon": d}


def story_subreaper(prog, recs):
    k = prog_pids(prog, "subreaper")
    s, c, o = k["reaper"], k["child"], k["orphan"]
    need(k["adopter"] == s, "adopted by %d, want the subreaper %d",
         k["adopter"], s)
    need((k["child_exit"], k["orphan_exit"]) == (3, 5), "exit codes %s",
         (k["child_exit"], k["orphan_exit"]))
    r = recs[0]["ppid"] if recs else -1
    by = life(recs, [s, c, o])
    expect(by, s, "subreaper", fork(r),
           exec_("/usr/bin/python3", ["python3",
                                      "selftests/stories/subreaper.py"]),
           exited(0), reaped(r))
    cr = expect(by, c, "child", fork(s), exited(3), reaped(s))
    orr = expect(by, o, "orphan", fork(c), adopted(c, s, "subreaper"),
                 exited(5), reaped(s))
    orphan_order(cr, orr, "the orphan")
    return {"run": r, "reaper": s, "child": c, "orphan": o}


def timeline_lines(text):
    lines = text.splitlines()
    for i, ln in enumerate(lines):
        if ln.split()[:2] == ["TIME(s)", "EVENT"]:
            return [x.split(None, 5) for x in lines[i + 1:] if x.strip()]
    raise Fail("no timeline header")


def check_timeline(text, recs, phrases):
    """the same records, a reap folded into its exit line; and the words"""
    want, open_exit = [], set()
    for r in recs:
        if r["event"] == "reap" and r["pid"] in open_exit:
            open_exit.discard(r["pid"])
            continue
        if r["event"] == "exit":
            open_exit.add(r["pid"])
        want.append((r["event"], r["pid"]))
    lines = timeline_lines(text)
    got = [(x[1], int(x[2])) for x in lines if len(x) > 2]
    need(got == want, "timeline shows %s, want %s", got, want)
    for ph in phrases:
        need(any(re.search(ph, x[5]) for x in lines if len(x) > 5),
             "timeline lacks /%s/", ph)


def check_tree(tree, kid, creator, parent, reason):
    ent = [e for e in tree if e["tgid"] == kid]
    need(len(ent) == 1, "lineage has %d entries for %d", len(ent), kid)
    e = ent[0]
    need((e["creator_tgid"], e["parent_tgid"]) == (creator, parent),
         "lineage %d: creator %d parent %d, want %d and %d", kid,
         e["creator_tgid"], e["parent_tgid"], creator, parent)
    need([(a["ppid"], a["reason"]) for a in e["adopt"]] == [(parent, reason)],
         "lineage %d: adopt %s", kid, e["adopt"])
    need(e["state"] == "X", "lineage %d: state %s, want X", kid, e["state"])


def main(argv):
    story, prog, tl, js = argv[1:5]
    prog = open(prog, encoding="utf-8", errors="replace").read()
    tl = open(tl, encoding="utf-8", errors="replace").read()
    recs = [json.loads(x) for x in open(js, encoding="utf-8")
            if x.startswith("{")]
    tree = []
    if len(argv) > 5 and argv[5] != "-":
        tree = [json.loads(x) for x in open(argv[5], encoding="utf-8")]
    shell = int(argv[6]) if len(argv) > 6 else None
    check_ids(recs)
    pid = r"\d+ \(\S+\)"
    if story == "seed":
        k = story_seed(prog, recs)
        words = [r"^exec /bin/echo \[echo 'pid=%d" % k["child"],
                 r"^adopted by subreaper %d \(lifecycle\); born of %d "
                 r"\(python3, exited\)" % (k["run"], k["parent"]),
                 r"^exit code 0 after [\d.]+ [mun]?s; zombie \d+ [mun]?s until reaped by %d "
                 r"\(lifecycle\)" % k["run"]]
        kid, creator, parent, reason = (k["child"], k["parent"], k["run"],
                                        "subreaper")
    elif story == "subreaper":
        k = story_subreaper(prog, recs)
        words = [r"^adopted by subreaper %d \(python3\); born of %d "
                 r"\(python3, exited\)" % (k["reaper"], k["child"]),
                 r"^exit code 3 after [\d.]+ [mun]?s; zombie .* until reaped by %d \(python3\)"
                 % k["reaper"],
                 r"^exit code 5 after [\d.]+ [mun]?s; zombie .* until reaped by %d \(python3\)"
                 % k["reaper"]]
        kid, creator, parent, reason = (k["orphan"], k["child"], k["reaper"],
                                        "subreaper")
    else:
        k = story_daemon(prog, recs, shell)
        by = ("init \\(1\\)" if shell else
              "subreaper %d \\(lifecycle\\)" % k["run"])
        words = [r"^adopted by %s; born of %d \(python3, exited\)"
                 % (by, k["child"]),
                 r"^setsid: new session %d$" % k["daemon"],
                 r"^exit code 4 after [\d.]+ [mun]?s; zombie .* until reaped by %s"
                 % ("1 " if shell else pid.replace(r"\d+", str(k["run"])))]
        kid, creator, parent, reason = (k["daemon"], k["child"],
                                        1 if shell else k["run"],
                                        "init" if shell else "subreaper")
    check_timeline(tl, recs, words)
    if tree:
        check_tree(tree, kid, creator, parent, reason)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Fail as e:
        print(e)
        sys.exit(1)
    except (OSError, ValueError, KeyError, IndexError) as e:
        print("%s: %s" % (type(e).__name__, e))
        sys.exit(1)
