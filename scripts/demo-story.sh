#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo-story.sh - a small process story for "make demo", run in the VM with
# lifecycle.ko loaded:
#   scripts/vm.sh -- scripts/demo-story.sh
#
# A fork, an exec, an exit, a zombie reaped by its parent and an orphan
# adopted (and reaped) by init; then the raw log and the reader's views.
cd "$(dirname "$0")/.." || exit 1
READER=userspace/lifecycle

echo "== the story"
# fork + exec + exit 3: the shell waits for it, so it is reaped by its parent.
sh -c 'exit 3'
echo "   a child exited with $?"
# A zombie: the child exits at once, its parent sleeps before waiting.
perl -e 'if (my $p = fork) { sleep 1; waitpid($p, 0); } else { exit 7 }'
echo "   a zombie was reaped by its parent"
# An orphan: its parent exits first, so init adopts it and reaps it.
sh -c 'sleep 0.5 & exit 0'
sleep 1
echo "   an orphan was adopted and reaped by init"

echo "== cat /proc/lifecycle (the story's part)"
grep -E ' (sh|perl|sleep) ' /proc/lifecycle | tail -n 30

if [ ! -x "$READER" ]; then
	echo "note: $READER is not built yet (make -C userspace)"
	exit 0
fi
echo "== $READER (timeline)"
$READER | tail -n 30
echo "== $READER --json | head"
$READER --json | head
