#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 08 - intignore.py: ^C is ignored, ^Z stops it, bg, then SIGKILL
# (chapter section 7), typed at an interactive bash on a pseudo-terminal.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

P='expect:^\$ $'
m=$(mark)
# Wait until python3 has set SIGINT to SIG_IGN, as one waits for a program
# to start before pressing keys at it.
pty "$P" "send:python3 $SEED/intignore.py\n" \
	"run:$TUT/waitchild.sh \$LEADER python3 2" 'sleep:0.5' \
	'send:\x03' 'sleep:0.5' 'send:\x03' 'sleep:0.5' \
	'send:\x1a' 'expect:Stopped' "$P" \
	"run:$TUT/letters.sh 'after ^Z:' \$LEADER python3 >> $OUT/letters.txt" \
	'send:jobs -l\n' "$P" 'send:bg\n' "$P" \
	"run:$TUT/letters.sh 'after bg:' \$LEADER python3 >> $OUT/letters.txt" \
	'send:kill -KILL %1\n' "$P" 'send:wait\n' "$P" 'send:exit\n' \
	-- "${SHELL_I[@]}"
cat "$OUT/letters.txt"
sh=$(sed -n 's/^ptydrive: leader \([0-9]*\) .*/\1/p' "$OUT/pty.err")
snap "$m"
py=$(awk '$4 == "exec" && / argv=python3,[^ ,]*intignore\.py / { print $6 }' "$OUT/log")
timeline "$sh"
raw "$py"

expect "python3 intignore.py ran once" 1 "$(echo "$py" | wc -w)"
expect "its job got its own process group" "$py" "$(rec setpgid "$py" | val pgid)"
expect "SIGINT (2) records from the two ^C" 2 \
	"$(rec signal "$py" | grep -c ' signal=2 ')"
expect "both ignored" "ignored ignored" \
	"$(rec signal "$py" | grep ' signal=2 ' | sed 's/.* result=\([a-z_]*\).*/\1/' | paste -sd' ' -)"
expect "^Z stopped it: a stop record by SIGTSTP (20)" 20 "$(rec stop "$py" | val signal)"
expect "after ^Z: lineage letter" T \
	"$(sed -n 's/^after ^Z:.*lineage \(.\).*/\1/p' "$OUT/letters.txt")"
expect "bg sent SIGCONT (18) from the shell" "18 $sh" \
	"$(rec signal "$py" | grep ' signal=18 ' | head -n 1 | val signal) $(rec signal "$py" | grep ' signal=18 ' | head -n 1 | val sender_pid)"
expect "a cont record" 18 "$(rec cont "$py" | val signal)"
expect "after bg: running again (lineage R or S)" yes \
	"$(grep -q '^after bg:.*lineage [RS]' "$OUT/letters.txt" && echo yes)"
expect "SIGKILL (9) from the shell: delivered" "$sh delivered" \
	"$(rec signal "$py" | grep ' signal=9 ' | val sender_pid) $(rec signal "$py" | grep ' signal=9 ' | val result)"
expect "exit: killed by signal 9" 9 "$(rec exit "$py" | val signal)"
expect "reaped by the shell" "$sh wait" \
	"$(rec reap "$py" | val reaper_pid) $(rec reap "$py" | val how)"
