#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 02 - fork.py (chapter section 2-2).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

m=$(mark)
python3 "$SEED/fork.py" > "$OUT/program.txt" & parent=$!
wait $parent
# Parent and child share the file, and unbuffered print() writes the text
# and the newline separately: their lines may interleave.
child=$(grep -o '자식 프로세스의 pid=[0-9]*' "$OUT/program.txt" | cut -d= -f2)
wait_gone "${child:-0}"
cat "$OUT/program.txt"
snap "$m"
timeline "$parent"
raw "$parent" "$child"

expect "the parent printed its pid" "$parent" \
	"$(grep -o '부모 프로세스: pid=[0-9]*' "$OUT/program.txt" | cut -d= -f2)"
expect "fork of $child: creator" "$parent" "$(rec fork "$child" | val creator_pid)"
expect "fork of $child: a plain fork, not vfork, not a thread" "0 0" \
	"$(rec fork "$child" | val vfork) $(rec fork "$child" | val thread)"
expect "the child ($child) runs no exec" 0 "$(count exec "$child")"
expect "child exit code" 0 "$(rec exit "$child" | val code)"
expect "parent exit code" 0 "$(rec exit "$parent" | val code)"
# fork.py's parent never waits: its child outlives it or is its zombie, and
# either way init adopts and reaps it.
expect "the child is adopted" "$parent 1 init" \
	"$(rec reparent "$child" | awk '{ print $10, $11, $12 }' | sed 's/[a-z_]*=//g')"
expect "the child is reaped by" "1 wait" \
	"$(rec reap "$child" | val reaper_pid) $(rec reap "$child" | val how)"
