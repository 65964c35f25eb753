#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""orphan.py - a child that is orphaned and adopted by init.

The parent forks a child, which execs python3 running the child's part:
it calls setsid(), says so on a pipe, and waits until it has been adopted
(its parent exits); then it exits 3.  The parent stops the child with
SIGSTOP and continues it with SIGCONT (waiting for each to take), prints
"orphan: parent=P child=C" and exits 0 without waiting for the child: init
adopts and reaps it.  Run it where init is the child reaper (no
subreaper above it).
"""
import os
import sys

CHILD = """
import os, sys, time
w = int(sys.argv[1])
parent = os.getppid()
os.setsid()
os.write(w, b"ready")
os.close(w)
while os.getppid() == parent:
    time.sleep(0.01)
os._exit(3)
"""

r, w = os.pipe()
os.set_inheritable(w, True)
child = os.fork()
if child == 0:
    os.close(r)
    os.execv(sys.executable, ["python3", "-c", CHILD, str(w)])
os.close(w)
os.read(r, 5)
os.kill(child, 19)                      # SIGSTOP
os.waitpid(child, os.WUNTRACED)
os.kill(child, 18)                      # SIGCONT
os.waitpid(child, os.WCONTINUED)
print("orphan: parent=%d child=%d" % (os.getpid(), child), flush=True)
