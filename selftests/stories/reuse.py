#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""reuse.py: two processes with the same pid, one after the other.

The first child exits 4 and is reaped; then the next pid is set back to
it (/proc/sys/kernel/ns_last_pid, as CRIU does; another fork in the VM
may take it first, so it tries again) and the second child execs
"sh -c 'exit 5'" and is reaped.  Prints "reuse: parent=P pid=A".
"""
import os
import sys

LAST = "/proc/sys/kernel/ns_last_pid"


def child(code, shell):
    pid = os.fork()
    if pid == 0:
        if shell:
            os.execv("/bin/sh", ["sh", "-c", "exit %d" % code])
        os._exit(code)
    _, st = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(st) == code
    return pid


def main():
    a = child(4, False)
    for _ in range(50):
        with open(LAST, "w") as f:
            f.write(str(a - 1))
        b = child(5, True)
        if b == a:
            print("reuse: parent=%d pid=%d" % (os.getpid(), a))
            return 0
    print("reuse: pid %d was never given again" % a)
    return 1


if __name__ == "__main__":
    sys.exit(main())
