#!/usr/bin/python3
# A zombie: the child exits at once, the parent waits for it only later
# (after the seconds given, default 5).
import os
import sys
import time

secs = float(sys.argv[1]) if len(sys.argv) > 1 else 5

pid = os.fork()
if pid == 0:
    os._exit(7)
print("parent {}: child {} has exited; not waiting for {:g} s".format(
    os.getpid(), pid, secs))
time.sleep(secs)
_, status = os.waitpid(pid, 0)
print("parent: waitpid() collected {}: exit code {}".format(
    pid, os.waitstatus_to_exitcode(status)))
