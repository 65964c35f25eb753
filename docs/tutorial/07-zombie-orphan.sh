#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 07 - zombies and orphans (chapter section 6).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

m=$(mark)
python3 "$TUT/zombie.py" > "$OUT/zombie.txt" & zp=$!
for _ in $(seq 50); do
	z=$(sed -n 's/.*child \([0-9]*\) has exited.*/\1/p' "$OUT/zombie.txt")
	[ -n "$z" ] && break
	sleep 0.1
done
# The chapter's check, during the five seconds.
{ echo '$ ps -o pid,ppid,stat,comm'; ps -o pid,ppid,stat,comm -p "$zp,$z"; } | block ps-zombie
zl=$(wait_letter "$z" Z)
wait $zp

python3 "$TUT/orphan.py" > "$OUT/orphan.txt" & op=$!
wait $op
o=$(sed -n 's/.*leaving child \([0-9]*\) behind.*/\1/p' "$OUT/orphan.txt")
{ echo '$ ps -o pid,ppid,stat,comm'; ps -o pid,ppid,stat,comm -p "$o"; } | block ps-orphan
wait_gone "${o:-0}"
cat "$OUT/zombie.txt" "$OUT/orphan.txt" | block program
snap "$m"
timeline "$zp"
"$READER" -i "$OUT/log" -p "$op" | block timeline2
awk -v a="$z" -v b="$o" '($6 == a || $6 == b) && $4 ~ /^(exit|reap|reparent)$/' \
	"$OUT/log" | cut -d' ' -f4- | block raw

expect "zombie $z: ps STAT" Z "$(awk -v p="$z" '$1 == p { print $3 }' "$OUT/ps-zombie.txt")"
expect "zombie $z: lineage letter while its parent sleeps" Z "$zl"
expect "zombie: exit code" 7 "$(rec exit "$z" | val code)"
expect "zombie: reaped by its parent" "$zp wait" \
	"$(rec reap "$z" | val reaper_pid) $(rec reap "$z" | val how)"
zns=$(rec reap "$z" | val zombie_ns)
expect_ge "zombie: ms between exit and reap" 4500 "$((${zns:-0} / 1000000))"
expect "orphan $o: adopted (old parent, new parent, reason, zombie)" \
	"old_ppid=$op new_ppid=1 reason=init zombie=0" \
	"$(rec reparent "$o" | cut -d' ' -f10-13)"
expect "orphan: what it printed" "child $o: parent was $op, is now 1" \
	"$(grep "^child $o:" "$OUT/orphan.txt")"
expect "orphan: reaped by init" "1 wait" \
	"$(rec reap "$o" | val reaper_pid) $(rec reap "$o" | val how)"
