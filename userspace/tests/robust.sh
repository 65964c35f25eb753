#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# robust.sh LIFECYCLE FIXTURES - the reader on inputs a user really has
# (issue 13): every wait can be interrupted, a damaged recording is read
# as far as it is readable, a failed write is an error, filters and the
# wrong input never do nothing in silence.  Every check is of the exact
# output and exit status.
set -u
. "$(dirname "$0")/lib.sh"

# err NAME TEXT: stderr is exactly TEXT (one line)
err() {
	printf '%s\n' "$2" >"$tmp/want"
	same "$tmp/err" "$tmp/want" "$1: stderr"
}

# started FILE: wait (up to 3 s) until FILE has something: by then the
# reader has printed what it read, so its handlers are in place
started() {
	n=0
	while [ ! -s "$1" ] && [ $n -lt 30 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}

# ended PID NAME: PID must end within 3 s (else it is killed); its status
ended() {
	n=0
	while kill -0 "$1" 2>/dev/null && [ $n -lt 30 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1"
		ko "$2: still running 3 s later"
	fi
	wait "$1"
}

st=$dir/story.txt

# the size of the event at byte offset $2 of file $1
evsize() { od -An -tu2 -j"$2" -N2 "$1" | tr -d ' '; }

# 1. lifecycle -f on a plain file, stdin from a file, with --new, on a
#    binary recording: SIGINT, SIGTERM and SIGHUP end it, and so does -t
for sig in INT TERM HUP; do
	for how in "-f -i $st" "-f --new -i $st" "-f -i $dir/recorded-6.1-stories.bin"; do
		# shellcheck disable=SC2086
		rm -f "$tmp/out"
		"$bin" $how >"$tmp/out" 2>"$tmp/err" &
		pid=$!
		started "$tmp/out"
		sleep 0.3
		kill -"$sig" $pid
		ended $pid "$how, SIG$sig"
		got=$?
		[ $got -eq 0 ] && ok || ko "$how, SIG$sig: exit $got"
		[ -s "$tmp/err" ] && ko "$how, SIG$sig: $(cat "$tmp/err")" || ok
	done
	rm -f "$tmp/out"
	"$bin" -f --json -i - <"$st" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	started "$tmp/out"
	sleep 0.3
	kill -"$sig" $pid
	ended $pid "-f -i - <file, SIG$sig"
	got=$?
	[ $got -eq 0 ] && ok || ko "-f -i - <file, SIG$sig: exit $got"
	same "$tmp/out" "$dir/story.json" "-f -i - <file, SIG$sig"
done
"$bin" -f -t 0.5 -i "$st" >"$tmp/out" 2>"$tmp/err" &
pid=$!
ended $pid "-f -t 0.5"
got=$?
[ $got -eq 0 ] && ok || ko "-f -t 0.5: exit $got"
"$bin" -f -t 0.3 --json -i - <"$st" >"$tmp/out" 2>"$tmp/err" &
pid=$!
ended $pid "-f -t 0.3 -i -"
same "$tmp/out" "$dir/story.json" "-f -t 0.3 --json -i - <file"

# 3. a damaged line is skipped and reported once, with what was skipped;
#    the rest is read; a run of bad lines is one report
sed '4s/.*/1042 5300095/' "$st" >"$tmp/d.txt"
expect 1 "one bad line" "$bin" --json -i "$tmp/d.txt"
err "one bad line" "lifecycle: $tmp/d.txt:4: 2 fields, a record has at least 9; skipped 1 line"
sed 3d "$dir/story.json" >"$tmp/want"
same "$tmp/out" "$tmp/want" "one bad line: the other records"
expect 1 "one bad line, timeline" "$bin" -i "$tmp/d.txt"
grep -v 'exec /usr/bin/ls' "$dir/story.timeline" >"$tmp/want"
same "$tmp/out" "$tmp/want" "one bad line: the timeline"
sed -e '4s/exec/exce/' -e '5s/ / x/' -e '6s/$/ oops/' "$st" >"$tmp/d.txt"
expect 1 "three bad lines" "$bin" --json -i "$tmp/d.txt"
err "three bad lines" "lifecycle: $tmp/d.txt:4: unknown event 'exce'; skipped 3 lines (4-6)"
sed 3,5d "$dir/story.json" >"$tmp/want"
same "$tmp/out" "$tmp/want" "three bad lines: the other records"
# two spots, two reports
sed -e '2s/=/:/' -e '9s/bash/ /' "$st" >"$tmp/d.txt"
expect 1 "two spots" "$bin" --json -i "$tmp/d.txt"
printf '%s\n' "lifecycle: $tmp/d.txt:2: fork: expected 'creator_pid=...', got 'creator_pid:4169'; skipped 1 line" \
	"lifecycle: $tmp/d.txt:9: empty field 9 (stray space?); skipped 1 line" >"$tmp/want"
same "$tmp/err" "$tmp/want" "two spots: stderr"
sed -e 1d -e 8d "$dir/story.json" >"$tmp/want"
same "$tmp/out" "$tmp/want" "two spots: the other records"
# a text recording cut short in its last line
head -c -30 "$st" >"$tmp/cut.txt"
expect 1 "text cut short" "$bin" --json -i "$tmp/cut.txt"
err "text cut short" "lifecycle: $tmp/cut.txt:10: reap: missing field 'how'; skipped 1 line"
head -n 8 "$dir/story.json" >"$tmp/want"
same "$tmp/out" "$tmp/want" "text cut short: the other records"
# a line longer than any buffer
{ head -n 3 "$st"; head -c 100000 /dev/zero | tr '\0' x; echo; tail -n +4 "$st"; } >"$tmp/long.txt"
expect 1 "huge line" "$bin" --json -i "$tmp/long.txt"
err "huge line" "lifecycle: $tmp/long.txt:4: line too long (over 65536 bytes); skipped 1 line"
same "$tmp/out" "$dir/story.json" "huge line: every record"
# a size that is wrong but possible, near the end: the events after it
# are still found
b=$dir/recorded-6.1-stories.bin
off=8 k=1
nev=$(wc -l <"${b%.bin}.json")
while [ $k -lt $((nev - 3)) ]; do
	off=$((off + $(evsize "$b" $off)))
	k=$((k + 1))
done
sz=$(evsize "$b" $off)
{ head -c $off "$b"; printf '\000\004'; tail -c +$((off + 3)) "$b"; } >"$tmp/late.bin"
expect 1 "a false size near the end" "$bin" --json -i "$tmp/late.bin"
err "a false size near the end" "lifecycle: $tmp/late.bin:$k: truncated event; skipped $sz bytes at offset $off"
sed "${k}d" "${b%.bin}.json" >"$tmp/want"
same "$tmp/out" "$tmp/want" "a false size near the end: the other records"

# follow mode on a pipe that ends in the middle of a record
mkfifo "$tmp/fifo"
"$bin" -f --json -i "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
pid=$!
head -c -30 "$st" >"$tmp/fifo"
ended $pid "-f on a pipe cut short"
got=$?
[ $got -eq 1 ] && ok || ko "-f on a pipe cut short: exit $got, want 1"
err "-f on a pipe cut short" "lifecycle: $tmp/fifo:10: reap: missing field 'how'; skipped 1 line"
bin1=$dir/recorded-6.1-stories.bin
"$bin" -f --json -i "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
pid=$!
head -c -5 "$bin1" >"$tmp/fifo"
ended $pid "-f on a binary pipe cut short"
got=$?
[ $got -eq 1 ] && ok || ko "-f on a binary pipe cut short: exit $got, want 1"
n=$(wc -l <"${bin1%.bin}.json")
size=$(wc -c <"$bin1")
last=$(tail -n 1 "${bin1%.bin}.json" | sed 's/.*"seq":\([0-9]*\).*/\1/')
head -n $((n - 1)) "${bin1%.bin}.json" >"$tmp/want"
same "$tmp/out" "$tmp/want" "-f on a binary pipe cut short: the other records"
grep -q "^lifecycle: $tmp/fifo:$n: truncated event; skipped [0-9]* bytes at offset [0-9]*\$" "$tmp/err" && ok ||
	ko "-f on a binary pipe cut short: $(cat "$tmp/err") ($size bytes, last seq $last)"
# the writer leaves while the follower is stopped, and SIGTERM comes
# before any wait could see the hup: the last line, without its newline,
# is still read
"$bin" -f -i "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/fifo"
head -n 2 "$st" >&3
started "$tmp/out"
kill -STOP $pid
sed -n 3p "$st" | tr -d '\n' >&3
exec 3>&-
kill -TERM $pid
kill -CONT $pid
ended $pid "-f, the writer gone before SIGTERM"
got=$?
[ $got -eq 0 ] && ok || ko "-f, the writer gone before SIGTERM: exit $got, want 0"
"$bin" -i "$st" | head -n 3 >"$tmp/want"
same "$tmp/out" "$tmp/want" "-f, the writer gone before SIGTERM: its last line"
# a device that polls readable and reads 0 (/dev/null) has ended: -f
# says what -i says, at once, instead of spinning until -t
for how in "-f" "-f --json"; do
	expect 1 "$how on /dev/null" timeout 10 sh -c "exec \"$bin\" $how -i - </dev/null"
	err "$how on /dev/null" "lifecycle: <stdin>:1: missing header 'lifecycle 1' (empty input)"
done

# 4. a write that fails is an error, in every command
for how in "-i $st" "--json -i $st" "tree -i $dir/../lineage/basic.txt" \
	   "tree --json -i $dir/../lineage/basic.txt" \
	   "stats -i $dir/../stats/basic.txt" "stats --json -i $dir/../stats/basic.txt" \
	   "--version" "--help"; do
	# shellcheck disable=SC2086
	expect 1 "$how >/dev/full" sh -c "exec \"$bin\" $how >/dev/full"
	err "$how >/dev/full" "lifecycle: write error: No space left on device"
done

# 2. tree prints every process at any depth: a chain 10,000 deep, its
#    indentation collapsed past 32 levels behind "[+N]"
awk 'BEGIN { print "lineage 1"
	for (i = 1; i <= 10000; i++)
		printf "%d %d %d %d S %d - - - - p%d adopt=\n", i, i - 1, i - 1, i - 1, i, i }' >"$tmp/chain.txt"
awk 'BEGIN { print "1 p1 (S)"
	for (d = 1; d < 10000; d++) {
		s = ""
		if (d - 1 > 32) s = "[+" (d - 33) "] "
		for (l = (d - 1 > 32 ? d - 32 : 1); l < d; l++) s = s "    "
		printf "%s`-- %d p%d (S)\n", s, d + 1, d + 1 } }' >"$tmp/want"
expect 0 "tree of a 10000-deep chain" "$bin" tree -i "$tmp/chain.txt"
same "$tmp/out" "$tmp/want" "tree of a 10000-deep chain"
expect 0 "tree --json of a 10000-deep chain" "$bin" tree --json 9000 -i "$tmp/chain.txt"
[ "$(wc -l <"$tmp/out")" -eq 1001 ] && ok || ko "tree --json 9000: $(wc -l <"$tmp/out") entries, want 1001"
# a branch deep down keeps its bars in the last 32 levels
awk 'BEGIN { print "lineage 1"
	for (i = 1; i <= 40; i++)
		printf "%d %d %d %d S %d - - - - p%d adopt=\n", i, i - 1, i - 1, i - 1, i, i
	print "100 10 10 10 S 100 - - - - side adopt=" }' >"$tmp/branch.txt"
expect 0 "tree with a branch" "$bin" tree -i "$tmp/branch.txt"
sed -n 40p "$tmp/out" >"$tmp/got"
awk 'BEGIN { s = "[+6] "; for (l = 7; l < 39; l++) s = s (l == 10 ? "|   " : "    ")
	print s "`-- 40 p40 (S)" }' >"$tmp/want"
same "$tmp/got" "$tmp/want" "tree with a branch: line 40"

# 5. JSON: bytes that are not UTF-8 are given again in base64, so that
#    "\xc3\xbf" (U+00FF) and "\xff" no longer read back the same
{ echo "lifecycle 1"
  echo '1 5 0 exec 9 9 1 0 a\xff old_pid=9 filename=/x\xff filename_trunc=0 argv=\xc3\xbf,\xff argv_trunc=0'
  echo '2 6 0 exec 9 9 1 0 \xc3\xbf old_pid=9 filename=/\xc3\xbf filename_trunc=0 argv=\xc3\xbf argv_trunc=0'
} >"$tmp/bytes.txt"
expect 0 "non-UTF-8 bytes in JSON" "$bin" --json -i "$tmp/bytes.txt"
printf '%s\n' '{"seq":1,"ts_ns":5,"cpu":0,"event":"exec","pid":9,"tgid":9,"ppid":1,"comm":"a\u00ff","comm_b64":"Yf8=","uid":0,"start_ns":null,"parent_start_ns":null,"boot_id":null,"old_pid":9,"filename":"/x\u00ff","filename_b64":"L3j/","filename_truncated":false,"argv":["YY","\u00ff"],"argv_b64":["w78=","/w=="],"argv_truncated":false}' \
	'{"seq":2,"ts_ns":6,"cpu":0,"event":"exec","pid":9,"tgid":9,"ppid":1,"comm":"YY","uid":0,"start_ns":null,"parent_start_ns":null,"boot_id":null,"old_pid":9,"filename":"/YY","filename_truncated":false,"argv":["YY"],"argv_truncated":false}' |
	sed "s/YY/$(printf '\303\277')/g" >"$tmp/want"
same "$tmp/out" "$tmp/want" "non-UTF-8 bytes in JSON"

# 6. filters: several values, no empty one, no comm that cannot match,
#    no option a command would ignore
d=$dir/daemon.txt
count 12 "-c mydaemon,python3" -i "$d" -c mydaemon,python3
count 12 "-c mydaemon -c python3" -i "$d" -c mydaemon -c python3
count 4 "-c mydaemon,sed" -i "$d" -c mydaemon,sed
"$bin" --json -i "$d" -p 5000 >"$tmp/p1"
count 12 "-p 5001 -p 5000" -i "$d" -p 5001 -p 5000
same "$tmp/out" "$tmp/p1" "-p 5001 -p 5000"
count 12 "-p 5001,5000" -i "$d" -p 5001,5000
expect 2 "-c of 16 bytes" "$bin" -i "$d" -c 0123456789abcdef
printf '%s\n' "lifecycle: -c '0123456789abcdef': longer than 15 bytes, the most a comm holds: it can never match" \
	"Try 'lifecycle --help'." >"$tmp/want"
same "$tmp/err" "$tmp/want" "-c of 16 bytes"
expect 2 "-c a,,b" "$bin" -i "$d" -c a,,b
printf '%s\n' "lifecycle: -c '': an empty name" "Try 'lifecycle --help'." >"$tmp/want"
same "$tmp/err" "$tmp/want" "-c a,,b"
expect 2 "-c ''" "$bin" -i "$d" -c ''
same "$tmp/err" "$tmp/want" "-c ''"
expect 2 "-p ''" "$bin" -i "$d" -p ''
printf '%s\n' "lifecycle: -p: an empty pid" "Try 'lifecycle --help'." >"$tmp/want"
same "$tmp/err" "$tmp/want" "-p ''"
expect 2 "-p 1," "$bin" -i "$d" -p 1,
same "$tmp/err" "$tmp/want" "-p 1,"
expect 2 "-e ''" "$bin" -i "$d" -e ''
printf '%s\n' "lifecycle: -e: an empty event name" "Try 'lifecycle --help'." >"$tmp/want"
same "$tmp/err" "$tmp/want" "-e ''"
expect 2 "-e fork," "$bin" -i "$d" -e fork,
same "$tmp/err" "$tmp/want" "-e fork,"
ld=$dir/../lineage/basic.txt
expect 2 "tree -c" "$bin" tree -c bash -i "$ld"
printf '%s\n' "lifecycle: tree draws whole processes: no -c or -e (tree PID, or -p PID, picks a subtree)" \
	"Try 'lifecycle --help'." >"$tmp/want"
same "$tmp/err" "$tmp/want" "tree -c"
expect 2 "tree -e" "$bin" tree -e fork -i "$ld"
same "$tmp/err" "$tmp/want" "tree -e"
expect 1 "run -i FILE" "$bin" run -i "$st" -- true
err "run -i FILE" "lifecycle: run: $st is a plain file; run follows /proc/lifecycle (or a FIFO playing it) while CMD runs"
# -e exit alone still tells the zombie time and the reaper, and TIME
# counts from the first record, not from the first shown
expect 0 "-e exit" "$bin" -e exit -i "$st"
printf '%s\n' "   TIME(s) EVENT    PID     PPID    COMM             DETAILS" \
	"     0.004 exit     4170    4169    ls               exit code 3; zombie 412 ms until reaped by 4169 (bash)" >"$tmp/want"
same "$tmp/out" "$tmp/want" "-e exit"

# 7. the wrong file, or no module: what it is, and what was expected
expect 1 "tree -i TIMELINE" "$bin" tree -i "$dir/story.timeline"
printf '%s\n' "lifecycle: $dir/story.timeline:1: missing header 'lineage 1'" \
	"lifecycle: $dir/story.timeline: this is the timeline lifecycle prints; lifecycle tree -i reads a lineage table (/sys/kernel/debug/lifecycle/lineage) or a log" >"$tmp/want"
same "$tmp/err" "$tmp/want" "tree -i TIMELINE"
expect 1 "stats -i LOG" "$bin" stats -i "$st"
printf '%s\n' "lifecycle: $st:1: not a stats file" \
	"lifecycle: $st: this is a lifecycle log (text); lifecycle stats -i reads a stats file (/sys/kernel/debug/lifecycle/stats)" >"$tmp/want"
same "$tmp/err" "$tmp/want" "stats -i LOG"
expect 1 "-i LINEAGE" "$bin" -i "$ld"
printf '%s\n' "lifecycle: $ld:1: missing header 'lifecycle 1' (got 'lineage 1')" \
	"lifecycle: $ld: this is a lineage table; lifecycle -i reads a log: /proc/lifecycle saved with cat, or a recording of lifecycle -r" >"$tmp/want"
same "$tmp/err" "$tmp/want" "-i LINEAGE"
expect 1 "-r -i TEXT" sh -c "\"$bin\" -r -i \"$st\" >/dev/null"
err "-r -i TEXT" "lifecycle: $st: this is a lifecycle log (text); -r records /proc/lifecycle (leave out -r to read a file)"
expect 1 "no module" env LIFECYCLE_PROC="$tmp/none" "$bin"
err "no module" "lifecycle: $tmp/none: No such file or directory; load the module (sudo insmod lifecycle.ko, or modprobe lifecycle)"
expect 1 "no module, -f" env LIFECYCLE_PROC="$tmp/none" "$bin" -f
err "no module, -f" "lifecycle: $tmp/none: No such file or directory; load the module (sudo insmod lifecycle.ko, or modprobe lifecycle)"
expect 1 "no debugfs" env LIFECYCLE_DEBUGFS="$tmp/dbg/lifecycle" "$bin" stats
err "no debugfs" "lifecycle: $tmp/dbg/lifecycle/stats: No such file or directory; mount debugfs (sudo mount -t debugfs none /sys/kernel/debug)"
expect 1 "no debugfs, tree" env LIFECYCLE_DEBUGFS="$tmp/dbg/lifecycle" "$bin" tree
err "no debugfs, tree" "lifecycle: $tmp/dbg/lifecycle/lineage: No such file or directory; mount debugfs (sudo mount -t debugfs none /sys/kernel/debug)"

# 8. signal names, NO_COLOR, --color, --version, a directory, -T
{ echo "lifecycle 1"
  for s in 31 32 33 34 35 49 50 63 64; do
	echo "$s 1 0 signal 9 9 1 0 x signal=$s sender_pid=0 sender_tgid=0 result=delivered group=0"
  done
} >"$tmp/rt.txt"
expect 0 "real-time signal names" "$bin" -i "$tmp/rt.txt"
awk 'NR > 1 { print $NF }' "$tmp/out" | tr -d : | tr '\n' ' ' >"$tmp/got"
awk '{ for (i = 1; i < NF; i++) if ($i == "signal" && $(i + 1) ~ /^SIG/) printf "%s ", $(i + 1) }' "$tmp/out" >"$tmp/got"
printf 'SIGSYS SIGRTMIN-2 SIGRTMIN-1 SIGRTMIN SIGRTMIN+1 SIGRTMIN+15 SIGRTMAX-14 SIGRTMAX-1 SIGRTMAX ' >"$tmp/want"
same "$tmp/got" "$tmp/want" "real-time signal names"
expect 0 "real-time signal names, JSON" "$bin" --json -i "$tmp/rt.txt"
sed 's/.*"signal_name":"\([^"]*\)".*/\1/' "$tmp/out" | tr '\n' ' ' >"$tmp/got"
same "$tmp/got" "$tmp/want" "real-time signal names, JSON"
"$bin" --color=always -i "$st" >"$tmp/color"
grep -q "$(printf '\033')\[32mfork" "$tmp/color" && ok || ko "--color=always: no colour"
expect 0 "--color=never" "$bin" --color=never -i "$st"
same "$tmp/out" "$dir/story.timeline" "--color=never"
expect 0 "--color=always, NO_COLOR=1" env NO_COLOR=1 "$bin" --color=always -i "$st"
same "$tmp/out" "$tmp/color" "--color=always, NO_COLOR=1"
expect 2 "--color=bogus" "$bin" --color=bogus -i "$st"
printf '%s\n' "lifecycle: --color: 'bogus' is not auto, always or never" "Try 'lifecycle --help'." >"$tmp/want"
same "$tmp/err" "$tmp/want" "--color=bogus"
if script -qec true /dev/null >/dev/null 2>&1; then
	# on a terminal: an empty NO_COLOR does not turn colours off
	NO_COLOR='' LANG=C LC_ALL=C script -qec "\"$bin\" -i \"$st\"" /dev/null | tr -d '\r' >"$tmp/out"
	same "$tmp/out" "$tmp/color" "empty NO_COLOR on a terminal"
	NO_COLOR=1 LANG=C LC_ALL=C script -qec "\"$bin\" -i \"$st\"" /dev/null | tr -d '\r' >"$tmp/out"
	same "$tmp/out" "$dir/story.timeline" "NO_COLOR=1 on a terminal"
fi
expect 0 "--version" "$bin" --version
printf 'lifecycle 0.1 (record format 1)\n' >"$tmp/want"
same "$tmp/out" "$tmp/want" "--version"
for how in "" "tree" "stats"; do
	# shellcheck disable=SC2086
	expect 1 "$how -i DIR" "$bin" $how -i "$tmp"
	err "$how -i DIR" "lifecycle: $tmp: is a directory, not a file"
done
expect 0 "-T" env TZ=UTC LIFECYCLE_BOOT_TIME=1700000000 "$bin" -T -e exit,signal -i "$st"
printf '%s\n' "           TIME EVENT    PID     PPID    COMM             DETAILS" \
	"22:14:13.004000 exit     4170    4169    ls               exit code 3; zombie 412 ms until reaped by 4169 (bash)" \
	"22:14:13.004100 signal   4169    4100    bash             signal SIGCHLD from 4170 (ls) to the group: delivered" >"$tmp/want"
same "$tmp/out" "$tmp/want" "-T"

# A follower's memory does not grow with what it has followed: it forgets
# processes reaped long ago (tl_prune).  Before, 800,000 records took
# 23.6 MB and 200,000 took 7.4 MB; now both about 5.4 MB.
gen=$(dirname "$dir")/../../bench/gen.c
if [ -f "$gen" ] && [ -x /usr/bin/time ] &&
   ${CC:-cc} -O2 -I"$(dirname "$gen")/../include" -o "$tmp/lcgen" "$gen"; then
	for how in "-f" "-f --json"; do
		# shellcheck disable=SC2086
		a=$("$tmp/lcgen" bin 200000 |
		    /usr/bin/time -f %M "$bin" $how -i - 2>&1 >/dev/null)
		# shellcheck disable=SC2086
		b=$("$tmp/lcgen" bin 800000 |
		    /usr/bin/time -f %M "$bin" $how -i - 2>&1 >/dev/null)
		if [ "$b" -lt $((a + 1024)) ]; then ok; else
			ko "$how memory: ${a} KB for 200k records, ${b} KB for 800k"; fi
	done
else
	echo "robust: follower memory check skipped (no bench/gen.c, cc or /usr/bin/time)"
fi

finish robust
