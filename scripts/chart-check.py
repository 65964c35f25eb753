#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Load a lifecycle chart in headless Chromium and check it against its log.

chart-check.py --lifecycle BIN --input LOG --html CHART [--png PNG]
               [--max-bytes N] [--max-seconds S] [--name NAME]

LOG is the recording (or captured log) the chart was made from; BIN reads
it as JSON Lines, from which the expected picture is worked out here, on
its own, and compared with the DOM Chromium built (--dump-dom, after the
chart's script ran):
  - one row (g.row) per process, named "tgid@start" where start is the
    record's start_ns, or in recordings without it the fork's ts (or "-");
    every process a record names (subject, creator, parent at fork,
    reaper, old and new parent, sender) has its row, and no other;
  - per reparent record a line.ad with its seq, whose data-from, data-to
    and data-child rows are the old parent, the adopter and the child,
    with y1/y2 at the middle of those rows, and its reason;
  - per reap record of a process a rect.z (zombie span) in the child's
    row with data-b - data-a = zombie_ns = data-zombie_ns, ending at the
    reap's ts, its data-reaper the reaper's row;
  - no script error (window.onerror, Chromium's console log), the script
    ran to its end (data-ready), every bar in the page placed (x, width;
    the rows of big charts wait in templates, 500 at a time, until they
    scroll into view, and count as rows all the same);
  - hovering: the chart's own description of one element of each kind
    (#selftest) holds its record's fields;
  - the file's size, and the time from the page's request to its first
    paint after the script placed everything (the page's own clock,
    data-paint-ms), within the limits; the whole Chromium run (start,
    load, DOM dump) is printed too.
A screenshot goes to PNG when asked.  Exit status 0 when all holds; the
numbers measured are printed as "chart-check: NAME: ..." lines.
"""
import argparse
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROW_H = 14


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browser(args, html_path, extra, timeout=120, frag=""):
    """Run headless Chromium on html_path; (stdout, stderr, seconds)."""
    prof = tempfile.mkdtemp(prefix="lc-chart-")
    cmd = [args.chromium, "--headless", "--disable-gpu", "--no-first-run",
           "--no-default-browser-check", "--user-data-dir=" + prof,
           "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
    if os.geteuid() == 0:
        cmd.append("--no-sandbox")
    cmd += extra + ["file://" + os.path.abspath(html_path) + frag]
    t = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    return (p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"), time.monotonic() - t)


class Dom(html.parser.HTMLParser):
    """The rows and the elements that stand for records."""

    def __init__(self):
        super().__init__()
        self.root = {}
        self.rows = []          # attrs of each g.row, with "y"
        self.els = []           # (class, attrs, row index or None)
        self.stack = []         # open g: row index or None
        self.template = 0       # inside a chunk not yet in the page
        self.waiting = set()    # ids of the attrs of such elements

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "html":
            self.root = a
        if tag == "template":
            self.template += 1
        if tag == "g":
            idx = None
            if cls and cls[0] == "row":
                m = re.match(r"translate\(0,(\d+)\)", a.get("transform", ""))
                a["y"] = int(m.group(1)) if m else -1
                idx = a["y"] // ROW_H      # the row number, by place
                self.rows.append(a)
            self.stack.append(idx)
            return
        if tag in ("rect", "line", "text") and cls:
            row = next((i for i in reversed(self.stack) if i is not None),
                       None)
            self.els.append((cls[0], a, row))
            if self.template:
                self.waiting.add(id(a))

    def handle_endtag(self, tag):
        if tag == "g" and self.stack:
            self.stack.pop()
        if tag == "template" and self.template:
            self.template -= 1


def expected(records):
    """The processes (keys), reparents and reaps the chart must show."""
    cur = {}
    procs = set()
    reparents, reaps = [], []

    def key(tgid, start):
        if not tgid or tgid <= 0:
            return None
        if start is not None:
            k = "%d@%d" % (tgid, start)
            cur[tgid] = k
        else:
            k = cur.get(tgid, "%d@-" % tgid)
        procs.add(k)
        return k

    for r in records:
        ev = r["event"]
        if ev in ("lost", "state"):
            continue
        if ev == "fork":
            if r["thread"]:
                continue
            key(r["creator_tgid"], r.get("creator_start_ns"))
            start = r.get("start_ns")
            k = "%d@%d" % (r["tgid"], start if start is not None
                           else r["ts_ns"])
            cur[r["tgid"]] = k
            procs.add(k)
            key(r["ppid"], r.get("parent_start_ns"))
            continue
        k = key(r["tgid"], r.get("start_ns"))
        if ev == "reap" and r["pid"] == r["tgid"]:
            rk = key(r["reaper_tgid"], r.get("reaper_start_ns"))
            reaps.append((r, k, rk))
        elif ev == "reparent":
            old = key(r["old_ppid"], r.get("old_parent_start_ns"))
            new = key(r["new_ppid"], r.get("parent_start_ns"))
            reparents.append((r, k, old, new))
        elif ev == "signal":
            key(r["sender_tgid"], r.get("sender_start_ns"))
    return procs, reparents, reaps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lifecycle", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--html", required=True)
    ap.add_argument("--png")
    ap.add_argument("--name")
    ap.add_argument("--max-bytes", type=int, default=10 * 1000 * 1000)
    ap.add_argument("--max-seconds", type=float, default=5.0)
    args = ap.parse_args()
    name = args.name or os.path.basename(args.html)
    errors = []

    def fail(msg):
        errors.append(msg)
        if len(errors) <= 20:
            print("chart-check: %s: FAIL: %s" % (name, msg))

    args.chromium = chromium()
    if not args.chromium:
        print("chart-check: no chromium (scripts/install-deps.sh installs it)")
        return 2
    out = subprocess.run([args.lifecycle, "--json", "-i", args.input],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print("chart-check: %s: lifecycle --json failed: %s" %
              (name, out.stderr.strip()))
        return 1
    records = [json.loads(line) for line in out.stdout.splitlines()]
    # a live chart read the log up to its data-last-seq; the log captured
    # after it may hold more (and, a ring, have lost some at its start)
    with open(args.html, encoding="utf-8", errors="replace") as f:
        m = re.search(r'data-first-seq="(\d+)" data-last-seq="(\d+)"',
                      f.read())
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        records = [r for r in records if lo <= r["seq"] <= hi]
    procs, reparents, reaps = expected(records)

    size = os.path.getsize(args.html)
    # the render time: the page's own clock, from the request to the
    # first paint after the script placed everything (data-paint-ms); a
    # second try when the first is over the limit (a busy machine)
    for attempt in range(2):
        dom_text, err, secs = browser(args, args.html, ["--dump-dom"])
        dom = Dom()
        dom.feed(dom_text)
        paint = dom.root.get("data-paint-ms", dom.root.get("data-render-ms"))
        paint = int(paint) / 1000.0 if paint else float("inf")
        if paint <= args.max_seconds:
            break
    # rows of chunks opened by the script come before those still waiting
    rows = sorted(dom.rows, key=lambda r: r["y"])
    print("chart-check: %s: %d records, %d processes, %d rows, %d bytes, "
          "rendered in %.2f s (parsed, laid out and placed at %s ms, the "
          "script taking %s ms of it; the whole Chromium run %.2f s)" %
          (name, len(records), len(procs), len(rows), size, paint,
           dom.root.get("data-render-ms", "?"),
           dom.root.get("data-script-ms", "?"), secs))

    # the page ran, without errors
    if dom.root.get("data-ready") != "1":
        fail("the chart's script did not finish (no data-ready)")
    if dom.root.get("data-errors"):
        fail("script errors: " + dom.root["data-errors"])
    for line in err.splitlines():
        if re.search(r"CONSOLE.*(Uncaught|Error)|Uncaught ", line):
            fail("console: " + line.strip())
    if size > args.max_bytes:
        fail("%d bytes, more than %d" % (size, args.max_bytes))
    if paint > args.max_seconds:
        fail("rendered in %.2f s, more than %.1f" % (paint, args.max_seconds))

    # one row per process
    keys = [r.get("data-k") for r in rows]
    if len(set(keys)) != len(keys):
        fail("duplicate rows: %s" % sorted(k for k in set(keys)
                                           if keys.count(k) > 1)[:5])
    if set(keys) != procs:
        fail("rows %d, processes %d; missing %s; extra %s" %
             (len(keys), len(procs), sorted(procs - set(keys))[:5],
              sorted(set(keys) - procs)[:5]))
    for i, r in enumerate(rows):
        if r["y"] != i * ROW_H:
            fail("row %d (%s) at y %d" % (i, r.get("data-k"), r["y"]))
            break

    def row_key(v):
        try:
            return keys[int(v)]
        except (TypeError, ValueError, IndexError):
            return None

    # adoption arrows
    ads = {a.get("data-seq"): a for c, a, _ in dom.els if c == "ad"}
    if len(ads) != len(reparents):
        fail("%d adoption arrows for %d reparent records" %
             (len(ads), len(reparents)))
    for r, child, old, new in reparents:
        a = ads.get(str(r["seq"]))
        if a is None:
            fail("no adoption arrow for reparent seq %d" % r["seq"])
            continue
        got = (row_key(a.get("data-child")), row_key(a.get("data-from")),
               row_key(a.get("data-to")), a.get("data-reason"))
        if got != (child, old, new, r["reason"]):
            fail("reparent seq %d: arrow %s, want %s" %
                 (r["seq"], got, (child, old, new, r["reason"])))
            continue
        ys = (int(a.get("y1", -1)), int(a.get("y2", -1)))
        want = (keys.index(old) * ROW_H + ROW_H // 2,
                keys.index(new) * ROW_H + ROW_H // 2)
        if ys != want:
            fail("reparent seq %d: arrow y %s, want %s" %
                 (r["seq"], ys, want))

    # zombie spans
    t0 = None
    for line in dom_text.splitlines():
        m = re.search(r'<svg id="chart"[^>]*data-t0="(\d+)"', line)
        if m:
            t0 = int(m.group(1))
            break
    zs = {a.get("data-seq"): (a, row) for c, a, row in dom.els if c == "z"}
    checked = 0
    for r, child, reaper in reaps:
        if r["zombie_ns"] is None:
            continue
        z = zs.get(str(r["seq"]))
        if z is None:
            fail("no zombie span for reap seq %d" % r["seq"])
            continue
        a, row = z
        za, zb = int(a["data-a"]), int(a["data-b"])
        if row is None or keys[row] != child:
            fail("reap seq %d: zombie in row %s, want %s" %
                 (r["seq"], row is not None and keys[row], child))
        if zb - za != r["zombie_ns"] or \
           a.get("data-zombie_ns") != str(r["zombie_ns"]):
            fail("reap seq %d: zombie span %d ns (data-zombie_ns %s), "
                 "zombie_ns %d" % (r["seq"], zb - za,
                                   a.get("data-zombie_ns"), r["zombie_ns"]))
        if t0 is not None and zb != r["ts_ns"] - t0:
            fail("reap seq %d: zombie ends at %d, the reap at %d" %
                 (r["seq"], zb, r["ts_ns"] - t0))
        if row_key(a.get("data-reaper")) != reaper:
            fail("reap seq %d: reaper %s, want %s" %
                 (r["seq"], row_key(a.get("data-reaper")), reaper))
        checked += 1

    # the script placed every bar in the page (rows of big charts wait in
    # templates, a chunk at a time, until they scroll into view)
    unplaced = sum(1 for c, a, _ in dom.els
                   if c in ("seg", "z", "st") and id(a) not in dom.waiting
                   and ("x" not in a or "width" not in a))
    shown = sum(1 for c, a, _ in dom.els
                if c in ("seg", "z", "st") and id(a) not in dom.waiting)
    if unplaced or not shown:
        fail("%d of %d bars in the page without x/width" % (unplaced, shown))
    print("chart-check: %s: %d adoption arrows, %d zombie spans checked" %
          (name, len(reparents), checked))

    # what hovering shows: one element of each kind described by the
    # chart's own code (#selftest), with its record's fields
    text, _, _ = browser(args, args.html, ["--dump-dom"], frag="#selftest")
    d3 = Dom()
    d3.feed(text)
    try:
        tips = json.loads(d3.root.get("data-selftest", ""))
    except ValueError:
        tips = None
    if not tips or d3.root.get("data-errors"):
        fail("#selftest: no descriptions (%s)" % d3.root.get("data-errors"))
    else:
        want = {"seg": "seq: ", "z": "zombie_ns: ", "sg": "sender: ",
                "ad": "reason: ", "fk": "from: ", "row": "process "}
        for c, s in sorted(want.items()):
            if c in tips and s not in tips[c]:
                fail("#selftest: hovering a %s shows no %r: %r" %
                     (c, s, tips[c]))
        print("chart-check: %s: hovering described %s" %
              (name, " ".join(sorted(tips))))

    # a big chart scrolled to its last row: that chunk comes into the page
    if dom.waiting:
        last = len(rows) - 1
        text, err2, _ = browser(args, args.html, ["--dump-dom"],
                                frag="#row=%d" % last)
        d2 = Dom()
        d2.feed(text)
        placed = [a for c, a, row in d2.els
                  if c == "seg" and row == last and id(a) not in d2.waiting
                  and "x" in a and "width" in a]
        if d2.root.get("data-errors") or d2.root.get("data-ready") != "1":
            fail("#row=%d: script errors %s" %
                 (last, d2.root.get("data-errors")))
        elif not placed:
            fail("#row=%d: the last row's bars are not in the page" % last)
        else:
            print("chart-check: %s: scrolled to row %d: its chunk is in "
                  "the page, %d bars placed" % (name, last, len(placed)))

    if args.png:
        _, _, shot = browser(args, args.html,
                             ["--screenshot=" + os.path.abspath(args.png),
                              "--window-size=1400,900"])
        if not os.path.exists(args.png):
            fail("no screenshot written")
        else:
            print("chart-check: %s: screenshot %s (%.2f s)" %
                  (name, args.png, shot))
    if errors:
        print("chart-check: %s: %d failures" % (name, len(errors)))
        return 1
    print("chart-check: %s: ok" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
