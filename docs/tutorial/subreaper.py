#!/usr/bin/python3
# Run a command as a child subreaper (prctl PR_SET_CHILD_SUBREAPER, as
# systemd --user, tini or "lifecycle run" do): orphans below us are given
# to us instead of init, and we reap every one.
import ctypes
import os
import sys

PR_SET_CHILD_SUBREAPER = 36
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0):
    sys.exit("prctl: " + os.strerror(ctypes.get_errno()))
os.spawnv(os.P_NOWAIT, sys.argv[1], sys.argv[1:])
while True:
    try:
        pid, status = os.wait()
    except ChildProcessError:
        break
    print("subreaper {}: reaped {}, exit code {}".format(
        os.getpid(), pid, os.waitstatus_to_exitcode(status)))
