#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 06 - wait-ret.sh: a parent collects its child's exit status (section 5).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

m=$(mark)
bash "$SEED/wait-ret.sh" > "$OUT/program.txt" & sh=$!
wait $sh
cat "$OUT/program.txt"
snap "$m"
timeline "$sh"
f=$(awk -v p="$sh" '$4 == "fork" && $7 == p { print $6 }' "$OUT/log")
raw "$f"

printed=$(sed -n 's/.*종료되었습니다: \([0-9]*\)$/\1/p' "$OUT/program.txt")
expect "wait-ret.sh forked once" 1 "$(echo "$f" | wc -w)"
# false is a bash builtin: the background job is a copy of bash that runs
# it and exits, with no exec at all.
expect "the child runs no exec (false is a builtin)" 0 "$(count exec "$f")"
expect "the child's comm" bash "$(rec exit "$f" | awk '{ print $9 }')"
expect "false's exit record: status, code" "256 1" \
	"$(rec exit "$f" | val status) $(rec exit "$f" | val code)"
expect "what wait returned (the script's \$?) is that code" \
	"$(rec exit "$f" | val code)" "$printed"
expect "false is reaped by the script's bash" "$sh wait" \
	"$(rec reap "$f" | val reaper_pid) $(rec reap "$f" | val how)"
expect "the script's bash exit code" 0 "$(rec exit "$sh" | val code)"
