#!/usr/bin/python3
# An orphan: the parent exits while its child still runs.
import os
import time

pid = os.fork()
if pid == 0:
    ppid = os.getppid()
    time.sleep(1)
    print("child {}: parent was {}, is now {}".format(
        os.getpid(), ppid, os.getppid()))
    os._exit(0)
print("parent {}: exiting, leaving child {} behind".format(os.getpid(), pid))
