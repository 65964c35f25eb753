#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""follow.py LIFECYCLE - "lifecycle -f --new" wakes up for new records.

Starts two followers (--json for every record, and the timeline of this
process's children with -p), forks ROUNDS children that exit at once and
measures, for each, how long after its exit record's timestamp the JSON
follower printed it.  Prints the timeline and the delays; fails when a
record is missing or the median delay exceeds LIMIT_MS (the module wakes
readers within a jiffy).
"""
import json
import os
import select
import signal
import statistics
import subprocess
import sys
import time

ROUNDS = 5
LIMIT_MS = 50
# the debug kernel (KASAN, lockdep, kmemleak) is about 10x slower
if os.path.exists("/sys/kernel/debug/kmemleak"):
    LIMIT_MS *= 5


def now():
    return time.clock_gettime_ns(time.CLOCK_BOOTTIME)


def readers():
    with open("/sys/kernel/debug/lifecycle/stats") as f:
        for line in f:
            if line.startswith("readers "):
                return int(line.split()[1])
    return 0


def main(lc):
    base = readers()
    js = subprocess.Popen([lc, "-f", "--new", "--json"],
                          stdout=subprocess.PIPE)
    tl = subprocess.Popen([lc, "-f", "--new", "-p", str(os.getpid())],
                          stdout=subprocess.PIPE)
    while readers() < base + 2:
        time.sleep(0.01)
    time.sleep(0.3)			# past their LC_IOC_TAIL
    buf, delays = b"", []
    for i in range(ROUNDS):
        pid = os.fork()
        if pid == 0:
            os._exit(i)
        os.waitpid(pid, 0)
        seen = None
        end = time.monotonic() + 5
        while seen is None and time.monotonic() < end:
            if not select.select([js.stdout], [], [], 0.5)[0]:
                continue
            data = os.read(js.stdout.fileno(), 1 << 16)
            t = now()
            if not data:
                break
            buf += data
            *lines, buf = buf.split(b"\n")
            for ln in lines:
                r = json.loads(ln)
                if r["event"] == "exit" and r["pid"] == pid:
                    need = r["code"] == i
                    seen = (t - r["ts_ns"]) / 1e6 if need else -1
        if seen is None or seen < 0:
            print("FAIL: exit of %d (code %d) %s" % (pid, i, "missing"
                                                      if seen is None
                                                      else "wrong"))
            return 1
        delays.append(seen)
        time.sleep(0.05)
    time.sleep(0.2)
    for p in (js, tl):
        p.send_signal(signal.SIGINT)
    out = tl.communicate(timeout=5)[0].decode(errors="replace")
    js.communicate(timeout=5)
    print(out, end="")
    med, top = statistics.median(delays), max(delays)
    print("follow: %d exits printed by lifecycle -f %.1f ms (median), "
          "%.1f ms (max) after they happened" % (ROUNDS, med, top))
    n = sum(ln.split()[1:2] == ["fork"] for ln in out.splitlines())
    if n != ROUNDS:
        print("FAIL: the -p timeline shows %d forks, want %d" % (n, ROUNDS))
        return 1
    if tl.returncode or js.returncode:
        print("FAIL: followers exited %d and %d after SIGINT"
              % (tl.returncode, js.returncode))
        return 1
    if med > LIMIT_MS:
        print("FAIL: median delay %.1f ms > %d ms" % (med, LIMIT_MS))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
