#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 09 - Ctrl-Z, bg and fg (chapter section 8-1), typed at an interactive
# bash on a pseudo-terminal, with state tracking on the shell's subtree.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

P='expect:^\$ $'
L="$TUT/letters.sh"
m=$(mark)
pty "run:echo track pid \$LEADER > $DBG/control" \
	"$P" 'send:sleep 30\n' "run:$TUT/waitchild.sh \$LEADER sleep" 'sleep:0.5' \
	"run:$L 'running:' \$LEADER sleep >> $OUT/letters.txt" \
	'send:\x1a' 'expect:Stopped' "$P" \
	"run:$L 'after ^Z:' \$LEADER sleep >> $OUT/letters.txt" \
	'send:jobs -l\n' "$P" 'send:bg\n' "$P" 'sleep:0.5' \
	"run:$L 'after bg:' \$LEADER sleep >> $OUT/letters.txt" \
	'send:jobs -l\n' "$P" 'send:fg\n' 'expect:^sleep 30' 'sleep:1' \
	"run:$L 'after fg:' \$LEADER sleep >> $OUT/letters.txt" \
	'send:\x03' "$P" 'send:exit\n' \
	-- "${SHELL_I[@]}"
control "track off"
cat "$OUT/letters.txt"
sh=$(sed -n 's/^ptydrive: leader \([0-9]*\) .*/\1/p' "$OUT/pty.err")
snap "$m"
sl=$(awk -v p="$sh" '$4 == "exec" && $7 == p && / argv=sleep,30 / { print $6 }' "$OUT/log")
timeline "$sh" -e fork,exec,setpgid,signal,stop,cont,exit,reap
raw "$sl"

lt() {
	sed -n "s/^$1.*lineage \\(.\\).*/\\1/p" "$OUT/letters.txt"
}
expect "one sleep 30" 1 "$(echo "$sl" | wc -w)"
expect "the job's process group" "$sl" "$(rec setpgid "$sl" | val pgid)"
expect "running in the foreground: lineage letter" S "$(lt running:)"
expect "^Z: SIGTSTP (20) to the foreground job" 20 \
	"$(rec signal "$sl" | head -n 1 | val signal)"
expect "^Z: stop record" 20 "$(rec stop "$sl" | val signal)"
expect "after ^Z: lineage letter" T "$(lt 'after ^Z:')"
expect "after ^Z: a state record into T" yes \
	"$(rec state "$sl" | grep -q ' to=T ' && echo yes)"
expect "bg: SIGCONT (18) from the shell" "$sh" \
	"$(rec signal "$sl" | grep ' signal=18 ' | head -n 1 | val sender_pid)"
expect "bg: cont record" 18 "$(rec cont "$sl" | val signal)"
expect "after bg: lineage letter" S "$(lt 'after bg:')"
expect "fg of a running job sends no second SIGCONT" 1 \
	"$(rec signal "$sl" | grep -c ' signal=18 ')"
expect "after fg: lineage letter" S "$(lt 'after fg:')"
expect "^C: killed by SIGINT (2)" 2 "$(rec exit "$sl" | val signal)"
expect "reaped by the shell" "$sh wait" \
	"$(rec reap "$sl" | val reaper_pid) $(rec reap "$sl" | val how)"
