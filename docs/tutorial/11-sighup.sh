#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 11 - SIGHUP when a session ends (chapter section 8-2 and 8-7), nohup and
# disown.  A: the session leader exits; B: the terminal hangs up.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# A: the leader (a non-interactive bash, no job control) leaves "sleep 50"
# in its own, foreground, process group and exits.
m=$(mark)
pty -- bash -c 'sleep 50 & echo "leader $$ exits, leaving sleep $!"; sleep 1; exit 0'
mv "$OUT/terminal.txt" "$OUT/terminal-a.txt"
cat "$OUT/terminal-a.txt"
la=$(sed -n 's/^ptydrive: leader \([0-9]*\) .*/\1/p' "$OUT/pty.err")
sa=$(sed -n 's/.*leaving sleep \([0-9]*\).*/\1/p' "$OUT/terminal-a.txt")
wait_gone "${sa:-0}"
snap "$m"
timeline "$la" -e fork,setsid,signal,exit
mv "$OUT/timeline.txt" "$OUT/timeline-a.txt"
raw "$sa"
mv "$OUT/raw.txt" "$OUT/raw-a.txt"
expect "A: SIGHUP (1) to sleep from the exiting leader" "1 $la" \
	"$(rec signal "$sa" | grep ' signal=1 ' | val signal) $(rec signal "$sa" | grep ' signal=1 ' | val sender_pid)"
expect "A: the leader exited normally" 0 "$(rec exit "$la" | val code)"
expect "A: sleep died of SIGHUP" 1 "$(rec exit "$sa" | val signal)"

# B: an interactive bash with four jobs; then the terminal is closed.
P='expect:^\$ $'
m=$(mark)
W="run:$TUT/waitchild.sh -f"
pty "$P" 'send:nohup sleep 60 &\n' "$P" "$W 'sleep 60'" \
	'send:sleep 61 &\n' "$P" 'send:sleep 62 &\n' "$P" \
	'send:disown %3\n' "$P" 'send:jobs -l\n' "$P" \
	'send:sleep 63\n' "$W 'sleep 63'" "$W 'sleep 61'" "$W 'sleep 62'" \
	'sleep:0.5' 'close' -- "${SHELL_I[@]}"
sh=$(sed -n 's/^ptydrive: leader \([0-9]*\) .*/\1/p' "$OUT/pty.err")
drv=$(awk -v p="$sh" '$4 == "fork" && $6 == p { print $7 }' /proc/lifecycle | tail -n 1)
sleep 1
mark_b=$m
snap "$mark_b"
for n in 60 61 62 63; do
	eval "s$n=$(awk -v p="$sh" -v a="argv=sleep,$n" '$4 == "exec" && $7 == p && $0 ~ (" " a " ") { print $6 }' "$OUT/log" | tail -n 1)"
done
# shellcheck disable=SC2154 # set by the eval above
{
	for p in "$s60" "$s61" "$s62" "$s63"; do
		if [ -d "/proc/$p" ]; then
			echo "sleep $p: alive, ppid $(ps -o ppid= -p "$p" | tr -d ' ')"
		else
			echo "sleep $p: gone"
		fi
	done
} | block after
kill "$s60" "$s62" 2>/dev/null
wait_gone "$s60"
wait_gone "$s62"
snap "$mark_b"
timeline "$sh" -e signal,exit,reparent
raw "$sh" "$s60" "$s61" "$s62" "$s63"

sig() {	# sig PID SIGNO FIELD: FIELD of PID's first SIGNO signal record
	rec signal "$1" | grep " signal=$2 " | head -n 1 | val "$3"
}
expect "B: hang-up: SIGHUP to the shell, sent while the terminal closed" \
	"delivered $drv" "$(sig "$sh" 1 result) $(sig "$sh" 1 sender_pid)"
expect "B: the shell died of SIGHUP" 1 "$(rec exit "$sh" | val signal)"
expect "B: foreground sleep 63: SIGHUP from the shell" "$sh delivered" \
	"$(sig "$s63" 1 sender_pid) $(sig "$s63" 1 result)"
expect "B: sleep 63 died of SIGHUP" 1 "$(rec exit "$s63" | val signal)"
expect "B: background sleep 61: SIGHUP from the shell" "$sh delivered" \
	"$(sig "$s61" 1 sender_pid) $(sig "$s61" 1 result)"
expect "B: sleep 61 died of SIGHUP" 1 "$(rec exit "$s61" | val signal)"
expect "B: nohup sleep 60: SIGHUP from the shell, ignored" "$sh ignored" \
	"$(sig "$s60" 1 sender_pid) $(sig "$s60" 1 result)"
expect "B: nohup'd sleep survived, adopted by init" "1 init" \
	"$(rec reparent "$s60" | val new_ppid) $(rec reparent "$s60" | val reason)"
expect "B: disowned sleep 62: no SIGHUP at all" 0 \
	"$(rec signal "$s62" | grep -c ' signal=1 ')"
expect "B: disowned sleep survived, adopted by init" "1 init" \
	"$(rec reparent "$s62" | val new_ppid) $(rec reparent "$s62" | val reason)"
expect "B: survivors were still alive afterwards" 2 "$(grep -c ': alive, ppid 1$' "$OUT/after.txt")"
