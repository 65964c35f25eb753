#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 01 - ps aux, and counting processes (chapter section 1).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

ps aux | head -n 6 | cut -c1-100 | block ps

m=$(mark)
# The chapter's count, in a shell of its own so that its story is alone.
bash -c 'ps aux --no-header | wc -l' > "$OUT/count.txt" & sh=$!
wait $sh
cat "$OUT/count.txt"
snap "$m"
timeline "$sh"
raw "$sh"

# The story: the shell forked two children, ps and wc, which ran, exited 0
# and were reaped by it.
kids=$(awk -v p="$sh" '$4 == "fork" && $7 == p { print $6 }' "$OUT/log")
expect "children of the shell $sh" 2 "$(echo "$kids" | wc -w)"
for k in $kids; do
	comm=$(rec exec "$k" | awk '{ print $9 }')
	case $comm in
	ps) expect "ps ($k) argv" "ps,aux,--no-header" "$(rec exec "$k" | val argv)" ;;
	wc) expect "wc ($k) argv" "wc,-l" "$(rec exec "$k" | val argv)" ;;
	*) expect "child $k execs ps or wc" "ps|wc" "$comm" ;;
	esac
	expect "$comm ($k) exit code" 0 "$(rec exit "$k" | val code)"
	expect "$comm ($k) reaped by" "$sh wait" \
		"$(rec reap "$k" | val reaper_pid) $(rec reap "$k" | val how)"
done
# What wc printed is ps's line count: the processes ps saw.
expect "wc printed a count" yes "$(grep -qx '[0-9][0-9]*' "$OUT/count.txt" && echo yes)"
