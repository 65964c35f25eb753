#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# robust.sh LIFECYCLE FIXTURES - the reader on inputs a user really has
# (issue 13): every wait can be interrupted, a damaged recording is read
# as far as it is readable, a failed write is an error, filters and the
# wrong input never do nothing in silence.  Every check is of the exact
# output and exit status.
set -u
bin=$1
dir=$2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
unset LIFECYCLE_PROC LIFECYCLE_DEBUGFS LIFECYCLE_BOOT_TIME

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect STATUS NAME CMD...: run CMD, check its exit status
expect() {
	want=$1 name=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else ko "$name: exit $got, want $want"; fi
}

same() {
	if cmp -s "$1" "$2"; then ok; else ko "$3 differs from $2"; diff "$2" "$1" | head -5 >&2; fi
}

# err NAME TEXT: stderr is exactly TEXT (one line)
err() {
	printf '%s\n' "$2" >"$tmp/want"
	same "$tmp/err" "$tmp/want" "$1: stderr"
}

# finish PID NAME: PID must end within 3 s (else it is killed); its status
finish() {
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

# 1. lifecycle -f on a plain file, stdin from a file, with --new, on a
#    binary recording: SIGINT, SIGTERM and SIGHUP end it, and so does -t
for sig in INT TERM HUP; do
	for how in "-f -i $st" "-f --new -i $st" "-f -i $dir/recorded-6.1-stories.bin"; do
		# shellcheck disable=SC2086
		"$bin" $how >"$tmp/out" 2>"$tmp/err" &
		pid=$!
		sleep 0.4
		kill -"$sig" $pid
		finish $pid "$how, SIG$sig"
		got=$?
		[ $got -eq 0 ] && ok || ko "$how, SIG$sig: exit $got"
		[ -s "$tmp/err" ] && ko "$how, SIG$sig: $(cat "$tmp/err")" || ok
	done
	"$bin" -f --json -i - <"$st" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	sleep 0.4
	kill -"$sig" $pid
	finish $pid "-f -i - <file, SIG$sig"
	got=$?
	[ $got -eq 0 ] && ok || ko "-f -i - <file, SIG$sig: exit $got"
	same "$tmp/out" "$dir/story.json" "-f -i - <file, SIG$sig"
done
"$bin" -f -t 0.5 -i "$st" >"$tmp/out" 2>"$tmp/err" &
pid=$!
finish $pid "-f -t 0.5"
got=$?
[ $got -eq 0 ] && ok || ko "-f -t 0.5: exit $got"
"$bin" -f -t 0.3 --json -i - <"$st" >"$tmp/out" 2>"$tmp/err" &
pid=$!
finish $pid "-f -t 0.3 -i -"
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
# follow mode on a pipe that ends in the middle of a record
mkfifo "$tmp/fifo"
"$bin" -f --json -i "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
pid=$!
head -c -30 "$st" >"$tmp/fifo"
finish $pid "-f on a pipe cut short"
got=$?
[ $got -eq 1 ] && ok || ko "-f on a pipe cut short: exit $got, want 1"
err "-f on a pipe cut short" "lifecycle: $tmp/fifo:10: reap: missing field 'how'; skipped 1 line"
bin1=$dir/recorded-6.1-stories.bin
"$bin" -f --json -i "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
pid=$!
head -c -5 "$bin1" >"$tmp/fifo"
finish $pid "-f on a binary pipe cut short"
got=$?
[ $got -eq 1 ] && ok || ko "-f on a binary pipe cut short: exit $got, want 1"
n=$(wc -l <"${bin1%.bin}.json")
size=$(wc -c <"$bin1")
last=$(tail -n 1 "${bin1%.bin}.json" | sed 's/.*"seq":\([0-9]*\).*/\1/')
head -n $((n - 1)) "${bin1%.bin}.json" >"$tmp/want"
same "$tmp/out" "$tmp/want" "-f on a binary pipe cut short: the other records"
grep -q "^lifecycle: $tmp/fifo:$n: truncated event; skipped [0-9]* bytes at offset [0-9]*\$" "$tmp/err" && ok ||
	ko "-f on a binary pipe cut short: $(cat "$tmp/err") ($size bytes, last seq $last)"

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

echo "robust: $pass checks passed, $fail failed"
[ "$fail" -eq 0 ]
