#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 10 - sessions and process groups (chapter section 8-2, 8-4 to 8-6): a
# pipeline job, ps ajx, kill -PGID, and setsid, typed at an interactive
# bash on a pseudo-terminal.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

P='expect:^\$ $'
m=$(mark)
# shellcheck disable=SC2016 # $$ and $(...) are for the shell on the pty
pty "$P" 'send:sleep 30 | cat &\n' "$P" \
	'send:setsid sleep 40 &\n' "$P" "run:$TUT/waitchild.sh -f 'sleep 40'" \
	"run:$TUT/waitchild.sh -f 'sleep 30'" "run:$TUT/waitchild.sh -f cat" \
	'send:ps ajx | awk -v s=$$ '"'"'NR == 1 || $4 == s || $10 == "sleep"'"'"'\n' "$P" \
	'send:echo "job 1 is process group $(jobs -p %1)"\n' "$P" \
	'send:kill -TERM -- -$(jobs -p %1)\n' "$P" 'send:\n' "$P" \
	'send:exit\n' -- "${SHELL_I[@]}"
sh=$(sed -n 's/^ptydrive: leader \([0-9]*\) .*/\1/p' "$OUT/pty.err")
sleep 0.5
snap "$m"
a=$(awk -v p="$sh" '$4 == "exec" && $7 == p && / argv=sleep,30 / { print $6 }' "$OUT/log")
b=$(awk -v p="$sh" '$4 == "exec" && $7 == p && / argv=cat / { print $6 }' "$OUT/log")
c=$(awk '$4 == "exec" && / argv=sleep,40 / { print $6 }' "$OUT/log")
{
	echo "the setsid'd sleep $c now: $(ps -o pid=,ppid=,pgid=,sid=,tty=,stat=,comm= -p "$c")"
} | block after
kill "$c"
wait_gone "$c"
snap "$m"
timeline "$sh" -e fork,exec,setsid,setpgid,signal,exit,reparent
raw "$sh" "$a" "$b" "$c"

expect "the terminal's session: its leader called setsid()" "$sh" \
	"$(rec setsid "$sh" | val sid)"
expect "the pipeline: sleep and cat in one process group" "$a $a" \
	"$(rec setpgid "$a" | val pgid) $(rec setpgid "$b" | val pgid)"
expect "ps ajx shows that group" "$a" \
	"$(awk -v p="$a" '$2 == p { print $3 }' "$OUT/terminal.txt")"
expect "the shell printed the same group" "job 1 is process group $a" \
	"$(grep -x "job 1 is process group [0-9]*" "$OUT/terminal.txt")"
expect "kill -TERM -$a: SIGTERM (15) from the shell to sleep and cat" \
	"15 $sh 15 $sh" \
	"$(rec signal "$a" | val signal) $(rec signal "$a" | val sender_pid) $(rec signal "$b" | val signal) $(rec signal "$b" | val sender_pid)"
expect "both died of it" "15 15" \
	"$(rec exit "$a" | val signal) $(rec exit "$b" | val signal)"
expect "setsid sleep 40: a new session led by $c" "$c" "$(rec setsid "$c" | val sid)"
expect "ps ajx: its SID and TTY" "$c ?" \
	"$(awk -v p="$c" '$2 == p { print $4, $5 }' "$OUT/terminal.txt")"
expect "setsid(1) forked (a job leads its group, so cannot setsid)" \
	"setsid" "$(rec fork "$c" | awk '{ print $9 }')"
expect "its parent, setsid(1), exited: adopted by init" "1 init" \
	"$(rec reparent "$c" | val new_ppid) $(rec reparent "$c" | val reason)"
