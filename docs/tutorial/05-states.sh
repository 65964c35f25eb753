#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 05 - process states: S, T and Z (chapter section 4), with state tracking.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

stat() {	# ps's STAT letter for a pid
	ps -o stat= -p "$1" | cut -c1
}

m=$(mark)
sleep 30 & sl=$!
control "track pid $sl"
{
	s1=$(wait_letter "$sl" S)
	echo "sleep $sl sleeping:   ps STAT $(stat "$sl"), lineage $s1"
	kill -STOP "$sl"
	s2=$(wait_letter "$sl" T)
	echo "after kill -STOP:     ps STAT $(stat "$sl"), lineage $s2"
	kill -CONT "$sl"
	s3=$(wait_letter "$sl" S)
	echo "after kill -CONT:     ps STAT $(stat "$sl"), lineage $s3"
	kill "$sl"
	wait "$sl"
	echo "after kill (TERM):    wait says $?, lineage $(letter "$sl")"
} > "$OUT/letters.txt"
cat "$OUT/letters.txt"

# A zombie: track the parent before it forks, so the child is tracked too.
python3 -c 'import time; time.sleep(1); exec(open("'"$TUT"'/zombie.py").read())' 5 \
	> "$OUT/zombie.txt" & py=$!
control "track pid $py"
for _ in $(seq 50); do
	z=$(sed -n 's/.*child \([0-9]*\) has exited.*/\1/p' "$OUT/zombie.txt")
	[ -n "$z" ] && break
	sleep 0.1
done
# ps first: the zombie lasts five seconds, and a slow VM needs them.
ps -o pid,ppid,stat,comm -p "$py,$z" > "$OUT/ps-zombie"
s4=$(wait_letter "$z" Z)
{
	echo "zombie $z:           ps STAT $(awk -v p="$z" '$1 == p { print $3 }' "$OUT/ps-zombie"), lineage $s4"
	cat "$OUT/ps-zombie"
} > "$OUT/letters2.txt"
cat "$OUT/letters2.txt"
wait $py
control "track off"
cat /sys/kernel/debug/lifecycle/state > "$OUT/state-off.txt"
block program < "$OUT/zombie.txt"
snap "$m"
timeline "$sl" -e signal,stop,cont,state,exit,reap
"$READER" -i "$OUT/log" -p "$py" -e fork,state,exit,reap | block timeline2
awk -v a="$sl" -v b="$z" '($6 == a || $6 == b) && $4 ~ /^(state|stop|cont|exit|reap)$/' \
	"$OUT/log" | cut -d' ' -f4- | block raw

expect "sleep: lineage letter while sleeping" S "$s1"
expect "sleep: lineage letter after SIGSTOP" T "$s2"
expect "sleep: lineage letter after SIGCONT" S "$s3"
expect "sleep: a stop record, by SIGSTOP (19)" 19 "$(rec stop "$sl" | val signal)"
expect "sleep: a cont record, by SIGCONT (18)" 18 "$(rec cont "$sl" | val signal)"
expect "sleep: a state record into S" yes \
	"$(rec state "$sl" | grep -q ' to=S ' && echo yes)"
expect "sleep: a state record into T" yes \
	"$(rec state "$sl" | grep -q ' to=T ' && echo yes)"
expect "sleep: killed by SIGTERM (15)" 15 "$(rec exit "$sl" | val signal)"
expect "zombie: ps STAT" Z "$(awk -v p="$z" '$1 == p { print $3 }' "$OUT/ps-zombie")"
expect "zombie: lineage letter" Z "$s4"
expect "zombie: a state record into Z" yes \
	"$(rec state "$z" | grep -q ' to=Z ' && echo yes)"
expect "zombie: exit code" 7 "$(rec exit "$z" | val code)"
expect "zombie: reaped by its parent" "$py wait" \
	"$(rec reap "$z" | val reaper_pid) $(rec reap "$z" | val how)"
zns=$(rec reap "$z" | val zombie_ns)
expect_ge "zombie: ms a zombie (the parent slept 5 s)" 4500 "$((${zns:-0} / 1000000))"
