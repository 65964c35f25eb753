#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""storm_json.py JSON LCWORK MARKER - check a JSON follower's storm output.

JSON is what `lifecycle -f --new --json` wrote while LCWORK (the pid of
`lcwork bench storm 20000`) ran 8 workers, each forking its share of
20,000 children one at a time; MARKER is a shell that exited 9 after it.
Every record must be there: no lost event, no seq skipped, the 8 workers,
20,000 forks by them, 20,000 exits with code 0 and 20,000 reaps by them,
and the marker's exit.
"""
import json
import sys

path, lcwork, marker = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
recs = [json.loads(line) for line in open(path)]
if not recs:
    sys.exit("no records")
lost = sum(1 for r in recs if r["event"] == "lost")
gaps = sum(1 for a, b in zip(recs, recs[1:]) if b["seq"] != a["seq"] + 1)
workers = {r["pid"] for r in recs
           if r["event"] == "fork" and r["ppid"] == lcwork and not r["thread"]}
forks = sum(1 for r in recs if r["event"] == "fork" and r["ppid"] in workers)
exits = sum(1 for r in recs if r["event"] == "exit" and r["ppid"] in workers
            and r["code"] == 0 and r["group_dead"])
reaps = sum(1 for r in recs
            if r["event"] == "reap" and r["reaper_tgid"] in workers)
marked = any(r["event"] == "exit" and r["pid"] == marker and r["code"] == 9
             for r in recs)
print(f"{len(recs)} records, seq {recs[0]['seq']}-{recs[-1]['seq']}: "
      f"{lost} lost events, {gaps} gaps; {len(workers)} workers, {forks} "
      f"forks, {exits} exits with code 0, {reaps} reaps by them, marker "
      f"{'seen' if marked else 'missing'}")
if lost or gaps or len(workers) != 8 or forks != 20000 or exits != 20000 \
        or reaps != 20000 or not marked:
    sys.exit("FAIL: records missing (see the counts above)")
