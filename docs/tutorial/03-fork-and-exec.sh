#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 03 - fork-and-exec.py (chapter section 2-3).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

m=$(mark)
python3 "$SEED/fork-and-exec.py" > "$OUT/program.txt" & parent=$!
wait $parent
# Parent and child share the file, and unbuffered print() writes the text
# and the newline separately: their lines may interleave.
child=$(grep -o '자식 프로세스: pid=[0-9]*' "$OUT/program.txt" | cut -d= -f2)
wait_gone "${child:-0}"
cat "$OUT/program.txt"
snap "$m"
timeline "$parent"
raw "$parent" "$child"

expect "fork of $child: creator" "$parent" "$(rec fork "$child" | val creator_pid)"
expect "exec in the child keeps its pid" "$child" "$(rec exec "$child" | val old_pid)"
expect "exec filename" /bin/echo "$(rec exec "$child" | val filename)"
expect "comm after exec" echo "$(rec exec "$child" | awk '{ print $9 }')"
expect "echo printed its own pid" "pid=${child}에서 안녕" \
	"$(grep -o "pid=${child}에서 안녕" "$OUT/program.txt")"
expect "echo ($child) exit code" 0 "$(rec exit "$child" | val code)"
expect "echo is reaped by" "1 wait" \
	"$(rec reap "$child" | val reaper_pid) $(rec reap "$child" | val how)"
