#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck source-path=SCRIPTDIR
# 12 - daemons (chapter section "데몬" 7): the double fork, the orphan
# adopted by init, and then by a subreaper.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# story ROOT PIDFILE: find the middle process and the daemon below ROOT.
story() {
	mid=$(awk -v p="$1" '$4 == "fork" && $7 == p { print $6 }' "$OUT/log")
	dmn=$(sed -n 's/^daemon \([0-9]*\):.*/\1/p' "$2")
}

# A: started from a shell, like any daemon started by hand.
m=$(mark)
python3 "$TUT/daemon.py" "$OUT/daemon-a.txt" > "$OUT/stdout-a" & pa=$!
wait $pa
for _ in $(seq 50); do
	[ -s "$OUT/daemon-a.txt" ] && break
	sleep 0.1
done
dmn=$(sed -n 's/^daemon \([0-9]*\):.*/\1/p' "$OUT/daemon-a.txt")
wait_gone "${dmn:-0}"
cat "$OUT/stdout-a" "$OUT/daemon-a.txt" | block program-a
snap "$m"
story "$pa" "$OUT/daemon-a.txt"
timeline "$pa" -e fork,setsid,exit,reparent,reap
mv "$OUT/timeline.txt" "$OUT/timeline-a.txt"
raw "$mid" "$dmn"
mv "$OUT/raw.txt" "$OUT/raw-a.txt"
expect "A: the middle process $mid is the parent's child" "$pa" \
	"$(rec fork "$mid" | val creator_pid)"
expect "A: it called setsid(): a new session" "$mid" "$(rec setsid "$mid" | val sid)"
expect "A: the daemon is its child" "$mid" "$(rec fork "$dmn" | val creator_pid)"
expect "A: the daemon, adopted by init" "$mid 1 init" \
	"$(rec reparent "$dmn" | val old_ppid) $(rec reparent "$dmn" | val new_ppid) $(rec reparent "$dmn" | val reason)"
expect "A: what the daemon saw" "daemon $dmn: sid $mid, pgid $mid, parent 1, tty none" \
	"$(cat "$OUT/daemon-a.txt")"
expect "A: the daemon is reaped by init" "1 wait" \
	"$(rec reap "$dmn" | val reaper_pid) $(rec reap "$dmn" | val how)"

# B: the same daemon below a subreaper.
m=$(mark)
python3 "$TUT/subreaper.py" /usr/bin/python3 "$TUT/daemon.py" "$OUT/daemon-b.txt" \
	> "$OUT/stdout-b" & sr=$!
wait $sr
cat "$OUT/stdout-b" "$OUT/daemon-b.txt" | block program-b
snap "$m"
pb=$(awk -v p="$sr" '$4 == "fork" && $7 == p { print $6 }' "$OUT/log")
story "$pb" "$OUT/daemon-b.txt"
timeline "$sr" -e fork,setsid,exit,reparent,reap
mv "$OUT/timeline.txt" "$OUT/timeline-b.txt"
raw "$mid" "$dmn"
mv "$OUT/raw.txt" "$OUT/raw-b.txt"
expect "B: the middle process, adopted by the subreaper" "$sr subreaper" \
	"$(rec reparent "$mid" | val new_ppid) $(rec reparent "$mid" | val reason)"
expect "B: the daemon, adopted by the subreaper" "$mid $sr subreaper" \
	"$(rec reparent "$dmn" | val old_ppid) $(rec reparent "$dmn" | val new_ppid) $(rec reparent "$dmn" | val reason)"
expect "B: what the daemon saw" "daemon $dmn: sid $mid, pgid $mid, parent $sr, tty none" \
	"$(cat "$OUT/daemon-b.txt")"
expect "B: the daemon is reaped by the subreaper" "$sr wait" \
	"$(rec reap "$dmn" | val reaper_pid) $(rec reap "$dmn" | val how)"
expect "B: the subreaper says so" "subreaper $sr: reaped $dmn, exit code 0" \
	"$(grep "reaped $dmn," "$OUT/stdout-b")"
