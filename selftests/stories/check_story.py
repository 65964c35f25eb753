#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check_story.py PROG STORY_JSON STORY_TEXT SHELL_PID

Checks "lifecycle story CHILD --json" for the child of orphan.py (PROG:
what it printed): its birth by the parent, exec, setsid, SIGSTOP and
SIGCONT from the parent with its stop and continue, adoption by init
after the parent's exit, exit code 3, reap by init; the ancestor chain
(parent, the shell that ran it, ..., init) and no descendants.  Prints
nothing and exits 0, or prints the first problem and exits 1.
"""
import json
import re
import sys


class Fail(Exception):
    pass


def need(cond, fmt, *args):
    if not cond:
        raise Fail(fmt % args)


def main(argv):
    prog = open(argv[1], encoding="utf-8").read()
    st = json.loads(open(argv[2], encoding="utf-8").read())
    text = open(argv[3], encoding="utf-8", errors="replace").read()
    shell = int(argv[4])
    m = re.search(r"^orphan: parent=(\d+) child=(\d+)$", prog, re.M)
    need(m, "the program printed no 'orphan:' line")
    parent, child = int(m.group(1)), int(m.group(2))

    need(st["pid"] == child, "pid %s, want %d", st["pid"], child)
    need(st["key"] == "%d@%s" % (child, st["start_ns"]) and
         isinstance(st["start_ns"], int), "key %s, start_ns %s",
         st["key"], st["start_ns"])
    b = st["birth"]
    need(b["in_log"] and b["creator_pid"] == parent and
         b["parent_pid"] == parent and b["creator_comm"] == "python3",
         "birth %s, want created by %d", b, parent)
    need("SIGCHLD" in b["clone_flag_names"] and
         "CLONE_THREAD" not in b["clone_flag_names"],
         "clone flags %s", b["clone_flag_names"])
    ev = [e["event"] for e in st["events"]]
    want = ["fork", "exec", "setsid", "signal", "stop", "signal", "cont",
            "reparent", "exit", "reap"]
    need(ev == want, "events %s, want %s", ev, want)
    e = st["events"]
    need(e[1]["filename"].endswith("python3") and e[1]["argv"][:2] ==
         ["python3", "-c"], "exec %s", e[1])
    need(e[2]["sid"] == child, "setsid sid %s", e[2]["sid"])
    # SIGCONT's default action is taken when sent: "ignored" after it
    for i, sig in ((3, 19), (5, 18)):
        need(e[i]["signal"] == sig and e[i]["sender_tgid"] == parent and
             e[i]["result"] in ("delivered", "ignored"),
             "signal %s, want %d from %d", e[i], sig, parent)
    need(e[4]["signal"] == 19, "stop %s", e[4])
    ad = st["adoptions"]
    need(len(ad) == 1 and ad[0]["adopter_pid"] == 1 and
         ad[0]["reason"] == "init" and ad[0]["old_ppid"] == parent,
         "adoptions %s, want by init from %d", ad, parent)
    x = st["exit"]
    need(x and x["exit_code"] == 3 and x["signal"] is None and
         x["lifetime_ns"] > 0, "exit %s, want code 3", x)
    r = st["reap"]
    need(r and r["reaper_pid"] == 1 and r["how"] == "wait" and
         r["zombie_ns"] >= 0 and r["ts_ns"] >= x["ts_ns"],
         "reap %s, want by 1", r)
    need(st["state"] == "reaped", "state %s", st["state"])
    sent = st["signals_sent"]
    need(sent and all(s["signal"] == 17 and s["tgid"] in (parent, 1)
                      for s in sent) and sent[-1]["tgid"] == 1,
         "signals sent %s, want SIGCHLD to %d, the last to init", sent,
         parent)
    an = [a["pid"] for a in st["ancestors"]]
    need(len(an) >= 3 and an[0] == parent and an[1] == shell and
         an[-1] == 1 and st["ancestors_complete"],
         "ancestors %s, want %d, %d, ..., 1", an, parent, shell)
    need(st["ancestors"][0]["key"] == "%d@%d" % (
         parent, st["ancestors"][0]["start_ns"]), "parent key %s",
         st["ancestors"][0])
    need(st["descendants"] == [], "descendants %s", st["descendants"])
    for words in (r"^story of %d \(python3\), key %d@" % (child, child),
                  r" adopted +by 1@\d+ \(\S+\) \[init\]; left %d@\d+ "
                  r"\(python3\), which had exited" % parent,
                  r" exit +exit code 3; lived ",
                  r" reaped +by 1@\d+ \(\S+\) \[wait\]; zombie "):
        need(re.search(words, text, re.M), "text: no /%s/", words)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Fail as e:
        print(e)
        sys.exit(1)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        print("%s: %s" % (type(e).__name__, e))
        sys.exit(1)
