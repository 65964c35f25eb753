#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""daemon.py [SECONDS] - a double-fork daemon.

The parent forks a child; the child forks the daemon and exits 0; the
daemon waits until it has been adopted, calls setsid(), lives SECONDS
(default 0.5) and exits 4.  The parent reaps the child, then prints
"daemon: parent=P child=C daemon=D adopter=A sid=S" and exits 0.
"""
import os
import sys
import time

live = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
r, w = os.pipe()
child = os.fork()
if child == 0:
    mid = os.getpid()
    if os.fork() == 0:
        while os.getppid() == mid:
            time.sleep(0.01)
        os.setsid()
        os.write(w, b"%d %d %d" % (os.getpid(), os.getppid(), os.getsid(0)))
        os.close(w)
        time.sleep(live)
        os._exit(4)
    os._exit(0)
os.close(w)
os.waitpid(child, 0)
daemon, adopter, sid = os.read(r, 100).decode().split()
print("daemon: parent=%d child=%d daemon=%s adopter=%s sid=%s"
      % (os.getpid(), child, daemon, adopter, sid), flush=True)
