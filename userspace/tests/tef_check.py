#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Structural check of a Trace Event Format (JSON) file, as written by
"lifecycle --perfetto", for ui.perfetto.dev and chrome://tracing.

tef_check.py FILE

Checks: the JSON object format ({"traceEvents": [...]}); every event's
phase, name, pid, tid and ts with their types; complete slices (X) with
dur >= 0 that nest properly on each thread (a slice ends before the next
one on its thread starts, or contains it); instants (i) with a scope;
metadata (M) of the known kinds with their args, and a process_name for
every process; flows: each "s" has exactly one "f" with its id, not
earlier, and both ends fall inside a slice on their thread (what the
viewers bind them to).  Prints the counts, and "tef_check: ok" or the
first problems; exit status 0 when there are none.
"""
import decimal
import json
import sys
from collections import defaultdict

PHASES = set("XBEiIMstfCbenPOND")
META = {"process_name": "name", "thread_name": "name",
        "process_labels": "labels", "process_sort_index": "sort_index",
        "thread_sort_index": "sort_index"}


def main():
    if len(sys.argv) != 2:
        print("usage: tef_check.py FILE")
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        # exact decimals: a slice's end is ts + dur to the ns
        doc = json.load(f, parse_float=decimal.Decimal)
    errors = []

    def fail(msg):
        errors.append(msg)

    events = doc.get("traceEvents") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        print("tef_check: FAIL: no traceEvents array")
        return 1
    slices = defaultdict(list)      # (pid, tid) -> [(ts, end)]
    named = set()
    pids = set()
    flows = defaultdict(dict)       # id -> {"s": ev, "f": ev}
    count = defaultdict(int)
    for n, ev in enumerate(events):
        where = "event %d" % n
        if not isinstance(ev, dict):
            fail(where + ": not an object")
            continue
        ph = ev.get("ph")
        count[ph] += 1
        if ph not in PHASES:
            fail("%s: phase %r" % (where, ph))
            continue
        if not isinstance(ev.get("name"), str):
            fail(where + ": no name")
        if not isinstance(ev.get("pid"), int) or \
           not isinstance(ev.get("tid", 0), int):
            fail(where + ": pid/tid not integers")
            continue
        key = (ev["pid"], ev.get("tid", ev["pid"]))
        pids.add(ev["pid"])
        if ph == "M":
            want = META.get(ev["name"])
            args = ev.get("args")
            if not want or not isinstance(args, dict) or want not in args:
                fail("%s: metadata %r without args.%s" %
                     (where, ev["name"], want))
            elif ev["name"] == "process_name":
                named.add(ev["pid"])
            continue
        ts = ev.get("ts")
        if not isinstance(ts, (int, decimal.Decimal)) or ts < 0:
            fail("%s: ts %r" % (where, ts))
            continue
        if ph == "X":
            dur = ev.get("dur")
            if not isinstance(dur, (int, decimal.Decimal)) or dur < 0:
                fail("%s: dur %r" % (where, dur))
                continue
            slices[key].append((ts, ts + dur, n))
        elif ph in "iI":
            if ev.get("s", "t") not in ("g", "p", "t"):
                fail("%s: instant scope %r" % (where, ev.get("s")))
        elif ph in "stf":
            if "id" not in ev:
                fail(where + ": flow without id")
                continue
            if ph in flows[ev["id"]]:
                fail("%s: a second %r for flow id %r" %
                     (where, ph, ev["id"]))
            flows[ev["id"]][ph] = ev

    # slices nest on each thread
    for key, v in slices.items():
        v.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for ts, end, n in v:
            while stack and stack[-1] <= ts:
                stack.pop()
            if stack and end > stack[-1]:
                fail("event %d: slice [%s, %s] on %s overlaps its parent "
                     "ending at %s" % (n, ts, end, key, stack[-1]))
            stack.append(end)

    def inside(ev):
        key = (ev["pid"], ev.get("tid", ev["pid"]))
        return any(a <= ev["ts"] <= b for a, b, _ in slices.get(key, ()))

    for fid, ends in flows.items():
        if set(ends) != {"s", "f"}:
            fail("flow %r: ends %s" % (fid, sorted(ends)))
            continue
        s, f = ends["s"], ends["f"]
        if f["ts"] < s["ts"]:
            fail("flow %r: ends before it starts" % fid)
        for ev in (s, f):
            if not inside(ev):
                fail("flow %r: its %s end at %s on pid %d is in no slice" %
                     (fid, ev["ph"], ev["ts"], ev["pid"]))
    for pid in sorted(pids - named):
        fail("pid %d has no process_name" % pid)

    print("tef_check: %d events: %d processes, %d slices, %d instants, "
          "%d flows, %d metadata" %
          (len(events), len(named), count["X"], count["i"] + count["I"],
           len(flows), count["M"]))
    for e in errors[:20]:
        print("tef_check: FAIL: " + e)
    if errors:
        print("tef_check: %d problems" % len(errors))
        return 1
    print("tef_check: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
