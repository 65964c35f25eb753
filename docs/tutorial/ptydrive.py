#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ptydrive.py - type at a program on a pseudo-terminal, like a person would.

usage: ptydrive.py [STEP...] -- COMMAND [ARG...]

COMMAND runs as the leader of a new session whose controlling terminal is
the slave side of a new pty (python3's pty.fork()).  We hold the master
side: what we write there is what a person types (^C is \\x03 and ^Z is
\\x1a, turned into SIGINT and SIGTSTP by the terminal's line discipline,
not by us), and what we read is what they would see.  Steps, in order:

  send:TEXT      type TEXT (Python escapes: \\n, \\x03, \\x1a ...)
  expect:REGEX   wait (10 s at most) until the output matches REGEX
  sleep:SECS     wait
  run:SHELLCMD   run a shell command here, with $LEADER = COMMAND's pid
  close          close the master: the terminal hangs up, as when its
                 window is closed or an ssh connection drops

The transcript goes to stdout with the terminal's \\r removed; a line
"ptydrive: leader PID exit STATUS" follows on stderr.  Exit status: 0, or
1 if an expect timed out.
"""
import os
import pty
import re
import select
import subprocess
import sys
import time


def main():
    argv = sys.argv[1:]
    if '--' not in argv:
        sys.exit(__doc__)
    i = argv.index('--')
    steps, cmd = argv[:i], argv[i + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    env = dict(os.environ, LEADER=str(pid))
    seen = b''
    mark = 0
    rc = 0

    def pump(timeout):
        """Copy what the terminal shows; False on a timeout or hang-up."""
        nonlocal seen
        r = []
        if fd >= 0:
            r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            time.sleep(0 if fd >= 0 else timeout)
            return False
        try:
            data = os.read(fd, 4096)
        except OSError:     # EIO: every slave fd is closed
            data = b''
        if not data:
            time.sleep(timeout)
            return False
        seen += data
        sys.stdout.write(data.decode('utf-8', 'replace').replace('\r', ''))
        sys.stdout.flush()
        return True

    for step in steps:
        verb, _, arg = step.partition(':')
        if verb == 'send':
            os.write(fd, arg.encode().decode('unicode_escape').encode('latin-1'))
        elif verb == 'expect':
            deadline = time.time() + 10
            pat = re.compile(arg.encode(), re.M)
            while True:
                m = pat.search(seen, mark)
                if m:
                    mark = m.end()
                    break
                if time.time() > deadline:
                    sys.stderr.write('ptydrive: timeout expecting %r\n' % arg)
                    rc = 1
                    break
                pump(0.2)
        elif verb == 'sleep':
            end = time.time() + float(arg)
            while time.time() < end:
                pump(max(0.0, min(0.1, end - time.time())))
        elif verb == 'run':
            subprocess.run(arg, shell=True, env=env, check=False)
        elif verb == 'close':
            os.close(fd)
            fd = -1
        else:
            sys.exit('ptydrive: unknown step %r' % step)
    # Collect the leader, showing what it still prints; 15 s at most.
    deadline = time.time() + 15
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.time() > deadline:
            sys.stderr.write('ptydrive: leader still running, killed\n')
            os.kill(pid, 9)
            rc = 1
            deadline = time.time() + 60
        pump(0.1)
    while pump(0.1):
        pass
    sys.stdout.flush()
    sys.stderr.write('ptydrive: leader %d exit %d\n' % (pid, status))
    sys.exit(rc)


main()
