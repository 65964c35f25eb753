#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""summarize.py: a known workload for "lifecycle summary".

  zombie  a child that exits 2 at once, left a zombie for 1 s, then
          reaped by this process through wait;
  middle  a child that forks "orphan" and exits 0 at once (reaped here);
  orphan  adopted by init when middle dies, exits 3 after 0.3 s, reaped
          by init;
  killed  a child that sleeps until this process sends it SIGKILL.

Prints "summary: parent=P zombie=Z middle=M orphan=O killed=K".
"""
import os
import signal
import sys
import time


def main():
    me = os.getpid()
    z = os.fork()
    if z == 0:
        os._exit(2)
    # a zombie from here on (WNOWAIT leaves it so): held 1 s, then reaped
    os.waitid(os.P_PID, z, os.WEXITED | os.WNOWAIT)
    time.sleep(1)
    _, st = os.waitpid(z, 0)
    assert os.waitstatus_to_exitcode(st) == 2

    r, w = os.pipe()
    m = os.fork()
    if m == 0:
        o = os.fork()
        if o == 0:
            os.close(r)
            os.close(w)
            time.sleep(0.3)
            os._exit(3)
        os.write(w, b"%d\n" % o)
        os._exit(0)
    os.close(w)
    o = int(os.read(r, 64))
    os.close(r)
    os.waitpid(m, 0)

    k = os.fork()
    if k == 0:
        time.sleep(60)
        os._exit(0)
    time.sleep(0.1)
    os.kill(k, signal.SIGKILL)
    _, st = os.waitpid(k, 0)
    assert os.waitstatus_to_exitcode(st) == -signal.SIGKILL
    print("summary: parent=%d zombie=%d middle=%d orphan=%d killed=%d"
          % (me, z, m, o, k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
