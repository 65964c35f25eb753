#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""subreaper.py - an orphan adopted by a child subreaper.

The reaper sets PR_SET_CHILD_SUBREAPER and forks a child; the child forks
an orphan and exits 3; the orphan waits until it has been adopted, lives
0.2 s and exits 5.  The reaper waits for both, then prints "subreaper:
reaper=R child=C orphan=O adopter=A child_exit=3 orphan_exit=5".
"""
import ctypes
import os
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0):
    sys.exit("prctl: " + os.strerror(ctypes.get_errno()))
r, w = os.pipe()
child = os.fork()
if child == 0:
    mid = os.getpid()
    if os.fork() == 0:
        while os.getppid() == mid:
            time.sleep(0.01)
        os.write(w, b"%d %d" % (os.getpid(), os.getppid()))
        time.sleep(0.2)
        os._exit(5)
    os._exit(3)
os.close(w)
_, st = os.waitpid(child, 0)
orphan, adopter = os.read(r, 100).decode().split()
pid, st2 = os.waitpid(int(orphan), 0)
print("subreaper: reaper=%d child=%d orphan=%s adopter=%s child_exit=%d "
      "orphan_exit=%d" % (os.getpid(), child, orphan, adopter,
                          os.waitstatus_to_exitcode(st),
                          os.waitstatus_to_exitcode(st2)), flush=True)
