#!/usr/bin/python3
# A daemon, the classic way: fork and let the parent return to the shell;
# setsid() in the child; fork again so that the daemon is no session
# leader (it can never acquire a terminal); the middle process exits.
import os
import sys
import time

if os.fork() > 0:
    print("parent {}: the daemon is starting".format(os.getpid()))
    sys.exit(0)
os.setsid()
middle = os.getpid()
if os.fork() > 0:
    os._exit(0)
os.chdir("/")
while os.getppid() == middle:   # until the middle process is gone
    time.sleep(0.05)
with open(sys.argv[1], "w") as f:
    f.write("daemon {}: sid {}, pgid {}, parent {}, tty {}\n".format(
        os.getpid(), os.getsid(0), os.getpgid(0), os.getppid(),
        os.ttyname(0) if os.isatty(0) else "none"))
null = os.open("/dev/null", os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
time.sleep(1)      # the daemon's work
