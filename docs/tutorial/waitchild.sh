#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# waitchild.sh PARENT COMM [SIGNO] - for a ptydrive.py "run:" step: wait
# (20 s at most) until PARENT has a child called COMM (it has exec'd) and,
# with SIGNO, until that child ignores SIGNO (/proc/PID/status SigIgn), as
# a person waits for a program to start before pressing keys at it.
# waitchild.sh -f 'CMD ARGS' - until a process runs exactly CMD ARGS.
i=0
while [ $i -lt 200 ]; do
	if [ "$1" = -f ]; then
		pgrep -x -f "$2" > /dev/null && exit 0
		p=
	else
		p=$(pgrep -n -P "$1" -x "$2")
	fi
	if [ -n "$p" ]; then
		[ -z "${3:-}" ] && exit 0
		ign=$(awk '/^SigIgn:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		[ -n "$ign" ] && [ $(((0x$ign >> ($3 - 1)) & 1)) = 1 ] && exit 0
	fi
	sleep 0.1
	i=$((i + 1))
done
echo "waitchild.sh: no $2 below $1${3:+ ignoring signal $3}" >&2
exit 1
