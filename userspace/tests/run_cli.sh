#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_cli.sh LIFECYCLE FIXTURES - the built binary against every fixture:
# NAME.txt must print exactly NAME.json with --json (also from stdin) and
# NAME.timeline without; bad/NAME.txt must exit 1 with exactly
# "lifecycle: PATH:" followed by bad/NAME.err on stderr.
set -u
. "$(dirname "$0")/lib.sh"

# NAME.bin is the binary stream of the records in NAME.txt: the same output
for t in "$dir"/*.txt "$dir"/*.bin; do
	n=${t%.*}
	expect 0 "$t --json" "$bin" --json -i "$t"
	same "$tmp/out" "$n.json" "$t --json"
	expect 0 "$t stdin" sh -c "\"$bin\" --json -i - < \"$t\""
	same "$tmp/out" "$n.json" "$t --json -i -"
	if [ -f "$n.timeline" ]; then
		expect 0 "$t" "$bin" -i "$t"
		same "$tmp/out" "$n.timeline" "$t timeline"
	fi
done

# the size of the event at byte offset $2 of file $1
evsize() { od -An -tu2 -j"$2" -N2 "$1" | tr -d ' '; }

# a binary stream cut short, with a bad magic, with a bad event size:
# what is readable is read, each damaged spot reported once (issue 13)
for t in "$dir"/*.bin; do
	s1=$(evsize "$t" 8)
	head -c $((8 + s1 + 12)) "$t" >"$tmp/short.bin"
	expect 1 "$t cut short" "$bin" --json -i "$tmp/short.bin"
	printf 'lifecycle: %s:2: truncated event; skipped 12 bytes at offset %d\n' \
		"$tmp/short.bin" $((8 + s1)) >"$tmp/want"
	same "$tmp/err" "$tmp/want" "$t cut short: stderr"
	head -n 1 "${t%.bin}.json" >"$tmp/want"
	same "$tmp/out" "$tmp/want" "$t cut short: the first record"
	expect 1 "$t cut short --strict" "$bin" --strict -i "$tmp/short.bin"
	printf 'lifecycle: %s:2: truncated event\n' "$tmp/short.bin" >"$tmp/want"
	same "$tmp/err" "$tmp/want" "$t cut short --strict"
	{ printf 'x'; tail -c +2 "$t"; } >"$tmp/magic.bin"
	expect 1 "$t bad magic" "$bin" -i "$tmp/magic.bin"
	{ printf '\177'; tail -c +2 "$t" | head -c 7; printf '\001\000'; tail -c +11 "$t"; } >"$tmp/size.bin"
	expect 1 "$t bad size" "$bin" --json -i "$tmp/size.bin"
	printf 'lifecycle: %s:1: bad event size 1; skipped %d bytes at offset 8\n' \
		"$tmp/size.bin" "$s1" >"$tmp/want"
	same "$tmp/err" "$tmp/want" "$t bad size: stderr"
	tail -n +2 "${t%.bin}.json" >"$tmp/want"
	same "$tmp/out" "$tmp/want" "$t bad size: the other records"
	expect 1 "$t bad size --strict" "$bin" --strict --json -i "$tmp/size.bin"
	printf 'lifecycle: %s:1: bad event size 1\n' "$tmp/size.bin" >"$tmp/want"
	same "$tmp/err" "$tmp/want" "$t bad size --strict: stderr"
	[ -s "$tmp/out" ] && ko "$t bad size --strict: output" || ok
	# garbage in the middle: 40 bytes of 0xff after the third event
	s2=$(evsize "$t" $((8 + s1)))
	at=$((8 + s1 + s2))
	s3=$(evsize "$t" $at)
	{ head -c $((at + s3)) "$t"; head -c 40 /dev/zero | tr '\0' '\377'
	  tail -c +$((at + s3 + 1)) "$t"; } >"$tmp/mid.bin"
	expect 1 "$t garbage" "$bin" --json -i "$tmp/mid.bin"
	printf 'lifecycle: %s:4: bad event size 65535; skipped 40 bytes at offset %d\n' \
		"$tmp/mid.bin" $((at + s3)) >"$tmp/want"
	same "$tmp/err" "$tmp/want" "$t garbage: stderr"
	same "$tmp/out" "${t%.bin}.json" "$t garbage: every record"
done

# a bad line is skipped and reported (exit 1); --strict stops there with
# the message alone
for t in "$dir"/bad/*.txt; do
	expect 1 "$t" "$bin" -i "$t"
	printf 'lifecycle: %s:' "$t" >"$tmp/want"
	cat "${t%.txt}.err" >>"$tmp/want"
	case $t in
	*/header_twice.txt) sed -i '$ s/$/; skipped 1 line/' "$tmp/want" ;;
	*/header_*) ;;
	*) sed -i '$ s/$/; skipped 1 line/' "$tmp/want" ;;
	esac
	same "$tmp/err" "$tmp/want" "$t stderr"
	expect 1 "$t --strict" "$bin" --strict -i "$t"
	printf 'lifecycle: %s:' "$t" >"$tmp/want"
	cat "${t%.txt}.err" >>"$tmp/want"
	same "$tmp/err" "$tmp/want" "$t --strict stderr"
done

# tree: lineage/NAME.txt -> NAME.tree (ASCII) and NAME.json
ldir=$(dirname "$dir")/lineage
for t in "$ldir"/*.txt; do
	n=${t%.txt}
	expect 0 "tree $t" "$bin" tree -i "$t"
	same "$tmp/out" "$n.tree" "tree $t"
	expect 0 "tree --json $t" "$bin" tree --json -i "$t"
	same "$tmp/out" "$n.json" "tree --json $t"
done
expect 0 "tree 4169" "$bin" tree 4169 -i "$ldir/basic.txt"
same "$tmp/out" "$ldir/basic.4169.tree" "tree 4169"
expect 1 "tree of a missing pid" "$bin" tree 9 -i "$ldir/basic.txt"
printf 'lineage 2\n' >"$tmp/l"
expect 1 "lineage version" "$bin" tree -i "$tmp/l"
printf 'lineage 1\n1 0 0 0 S 1 - - - - init adopt=5@x:init\n' >"$tmp/l"
expect 1 "lineage bad adopt" "$bin" tree -i "$tmp/l"
grep -q "$tmp/l:2: adopt time: bad value 'x'" "$tmp/err" && ok || ko "lineage error text"
printf 'lineage 1\n1 0 0 0 Q 1 - - - - init adopt=\n' >"$tmp/l"
expect 1 "lineage bad state" "$bin" tree -i "$tmp/l"

# stats: stats/NAME.txt -> NAME.out and NAME.json
sdir=$(dirname "$dir")/stats
for t in "$sdir"/*.txt; do
	n=${t%.txt}
	expect 0 "stats $t" "$bin" stats -i "$t"
	same "$tmp/out" "$n.out" "stats $t"
	expect 0 "stats --json $t" "$bin" stats --json -i "$t"
	same "$tmp/out" "$n.json" "stats --json $t"
done
printf 'log_used 12x\n' >"$tmp/s"
expect 1 "stats bad value" "$bin" stats -i "$tmp/s"


d=$dir/daemon.txt
count 10 "-p 5001" -i "$d" -p 5001
count 12 "-p 5000" -i "$d" -p 5000
count 6 "-e exit,reap" -i "$d" -e exit,reap
count 4 "-c mydaemon" -i "$d" -c mydaemon
count 1 "-p -c -e" -i "$d" -p 5001 -c mydaemon -e exec
count 3 "-e lost,signal" -i "$dir/misc.txt" -e lost,signal
expect 2 "-e bogus" "$bin" -i "$d" -e fork,bogus
expect 2 "-p junk" "$bin" -i "$d" -p 12x
expect 2 "extra argument" "$bin" -i "$d" junk
expect 1 "missing file" "$bin" -i "$tmp/nonexistent"
expect 2 "-r with -j" "$bin" -r -j -i "$d"
expect 2 "-r with run" "$bin" -r run -- true
expect 1 "-r on a text file" "$bin" -r -i "$d"
expect 0 "--help" "$bin" --help
grep -q EXAMPLES "$tmp/out" && ok || ko "--help has no EXAMPLES"

# run and -f without the module: a FIFO plays /proc/lifecycle
here=$(dirname "$0")
mkfifo "$tmp/fifo"
expect 2 "run exit status" "$bin" run --json -i "$tmp/fifo" -- \
	"$here/fake_module.sh" "$tmp/fifo"
got=$(grep -c '"pid":99999' "$tmp/out")
if [ "$got" -eq 4 ]; then ok; else ko "run: $got records of the escaped child, want 4"; fi
grep -q '"pid":88888' "$tmp/out" && ko "run: unrelated process shown" || ok
expect 124 "run -t" "$bin" run -t 0.3 -i "$tmp/fifo" -- sleep 1
"$bin" -f -i "$tmp/fifo" >"$tmp/out" 2>&1 &
fpid=$!
printf 'lifecycle 1\n%s\n' "1 1 0 setsid 5 5 1 0 sh sid=5" >"$tmp/fifo"
wait $fpid
got=$?
if [ $got -eq 0 ] && grep -q "new session 5" "$tmp/out"; then ok; else ko "-f on a FIFO: exit $got"; fi
rm -f "$tmp/out"
"$bin" -f -i "$tmp/fifo" >"$tmp/out" 2>&1 &
fpid=$!
exec 3>"$tmp/fifo"
printf 'lifecycle 1\n%s\n' "1 1 0 setsid 5 5 1 0 sh sid=5" >&3
n=0	# the record is out: the reader's handlers are in place
while [ ! -s "$tmp/out" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
kill -INT $fpid
wait $fpid
got=$?
exec 3>&-
if [ $got -eq 0 ]; then ok; else ko "-f after SIGINT: exit $got"; fi

# -f reads a FIFO playing the binary stream as it reads the module's
for t in "$dir"/*.bin; do
	"$bin" -f --json -i "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
	fpid=$!
	cat "$t" >"$tmp/fifo"
	wait $fpid
	got=$?
	if [ $got -eq 0 ]; then ok; else ko "-f on a FIFO of $t: exit $got"; fi
	same "$tmp/out" "${t%.bin}.json" "-f on a FIFO of $t"
done

finish run_cli
