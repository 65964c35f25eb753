#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tree.sh LIFECYCLE FIXTURES - tree from a recording (-i LOG), its -a, -g,
# --alive and --only; --only in the timeline and JSON; -f --new -p
# seeded from the lineage table (a FIFO plays /proc/lifecycle and a
# directory the debugfs one).
set -u
. "$(dirname "$0")/lib.sh"
ldir=$(dirname "$dir")/lineage

# the recorded stories: the text and the binary stream, from a file or
# stdin, give the one tree; its JSON; -a -g
r=$dir/recorded-6.1-stories
for t in "$r.txt" "$r.bin"; do
	expect 0 "tree -i $t" "$bin" tree -i "$t"
	same "$tmp/out" "$ldir/recorded-6.1-stories.log.tree" "tree -i $t"
	expect 0 "tree -i - < $t" sh -c "\"$bin\" tree -i - < \"$t\""
	same "$tmp/out" "$ldir/recorded-6.1-stories.log.tree" "tree -i - < $t"
	expect 0 "tree --json -i $t" "$bin" tree --json -i "$t"
	same "$tmp/out" "$ldir/recorded-6.1-stories.log.json" "tree --json -i $t"
	expect 0 "tree -a -g -i $t" "$bin" tree -a -g -i "$t"
	same "$tmp/out" "$ldir/recorded-6.1-stories.log.ag.tree" "tree -a -g -i $t"
done
# one pid used N times, each time forking a child: each process that had
# it gets its own child, and the tree stays fast (it walked every child
# of the pid for each of them: 10,000 took 10.7 s, 3,000 took 10.4 s
# before find_at() halved)
reuse() {
	awk -v n="$1" 'BEGIN {
		print "lifecycle 1"
		f = "%d %d 0 fork %d %d %d 0 sh creator_pid=%d creator_tgid=%d clone_flags=0x11 thread=0 vfork=0\n"
		x = "%d %d 0 exit %d %d %d 0 sh status=0 code=0 signal=- core=0 group_dead=1\n"
		r = "%d %d 0 reap %d %d %d 0 sh reaper_pid=%d reaper_tgid=%d how=wait zombie_ns=1\n"
		for (i = 0; i < n; i++) {
			t = 1000000000 + i * 1000
			printf f, ++s, t, 500, 500, 200, 200, 200
			printf f, ++s, t + 1, 600, 600, 500, 500, 500
			printf x, ++s, t + 2, 600, 600, 500
			printf r, ++s, t + 3, 600, 600, 500, 500, 500
			printf x, ++s, t + 4, 500, 500, 200
			printf r, ++s, t + 5, 500, 500, 200, 200, 200
		}
	}' >"$tmp/reuse.log"
}
reuse 2
expect 0 "tree -i: a pid used twice" "$bin" tree -i "$tmp/reuse.log"
printf '%s\n' "200 ? (before the recording)" \
	"|-- 500 sh [dead, exit 0]" "|   \`-- 600 sh [dead, exit 0]" \
	"\`-- 500 sh [dead, exit 0]" "    \`-- 600 sh [dead, exit 0]" \
	>"$tmp/want"
same "$tmp/out" "$tmp/want" "tree -i: a pid used twice"
reuse 20000
if command -v timeout >/dev/null; then
	expect 0 "tree -i: a pid used 20,000 times" \
		timeout 10 "$bin" tree -i "$tmp/reuse.log"
	n=$(grep -c '^|   `-- 600 sh' "$tmp/out")
	[ "$n" -eq 19999 ] && ok || ko "tree -i: a pid used 20,000 times: $n children"
fi

# a --rotate directory; a cut-short recording: the tree of what is
# readable, status 1 (--strict: no tree)
mkdir "$tmp/rot"
cp "$r.bin" "$tmp/rot/lifecycle-1.bin"
expect 0 "tree -i DIR" "$bin" tree -i "$tmp/rot"
same "$tmp/out" "$ldir/recorded-6.1-stories.log.tree" "tree -i DIR"
head -c 5000 "$r.bin" >"$tmp/cut.bin"
expect 1 "tree -i CUT" "$bin" tree -i "$tmp/cut.bin"
got=$(tail -n 1 "$tmp/out")
[ "$got" = "            \`-- 126 reader-stories. [zombie, exit 0]" ] && ok ||
	ko "tree -i CUT: last line '$got'"
expect 1 "tree --strict -i CUT" "$bin" tree --strict -i "$tmp/cut.bin"
[ -s "$tmp/out" ] && ko "tree --strict -i CUT: output" || ok
# a lineage table still reads as one, also from stdin
expect 0 "tree -i - < lineage" sh -c "\"$bin\" tree -i - < \"$ldir/basic.txt\""
same "$tmp/out" "$ldir/basic.tree" "tree -i - < lineage"

# the daemon of the recorded stories: born of 137, adopted by 135 (run,
# the subreaper), its session its own; the one adopted by init (156)
expect 0 "tree 135 -a -g" "$bin" tree 135 -a -g -i "$r.bin"
cat >"$tmp/want" <<EOT
135 lifecycle run -- python3 selftests/stories/daemon.py [dead, exit 0] sid=113 pgid=113
|-- 136 python3 selftests/stories/daemon.py [dead, exit 0] sid=113 pgid=113
|   \`-- 137 python3 selftests/stories/daemon.py [dead, exit 0] sid=113 pgid=113
|       \`-- 138 python3 adopted away -> 135
\`-- 138 python3 selftests/stories/daemon.py [dead, exit 4] (born of 137) sid=138 pgid=138
EOT
same "$tmp/out" "$tmp/want" "tree 135 -a -g"
expect 0 "tree --json --only 156" "$bin" tree --json --only 156 -i "$r.txt"
printf '%s\n' '{"tgid":156,"creator_pid":155,"creator_tgid":155,"parent_tgid":1,"state":"X","birth_ns":9456482499,"exec_ns":null,"exit_ns":9776245409,"reap_ns":9808484929,"status":1024,"comm":"python3","adopt":[{"ppid":1,"ts_ns":9458794259,"reason":"init"}],"argv":["python3","selftests/stories/daemon.py","0.3"],"sid":156,"pgid":156,"before_recording":false}' >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree --json --only 156"

# --alive: the living and their ancestors, 1 seen only in records
expect 0 "tree --alive" "$bin" tree --alive -g -i "$r.txt"
cat >"$tmp/want" <<EOT
1 vm-init (before the recording) sid=? pgid=?
\`-- 113 sh sid=113 pgid=113
    \`-- 114 reader-stories. sid=113 pgid=113
        \`-- 204 lifecycle sid=113 pgid=113
EOT
same "$tmp/out" "$tmp/want" "tree --alive"
expect 0 "tree --alive --json" "$bin" tree --alive --json -i "$r.txt"
got=$(sed 's/^{"tgid":\([0-9]*\),.*/\1/' "$tmp/out" | tr '\n' ' ')
[ "$got" = "1 113 114 204 " ] && ok || ko "tree --alive --json: tgids $got"

# --only in the tree: each alone; with a PID, that subtree too
expect 0 "tree --only 156,138" "$bin" tree --only 156,138 -i "$r.txt"
printf '%s\n' "138 python3 [dead, exit 4] (born of 137)" \
	"156 python3 [dead, exit 4] (born of 155)" >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree --only 156,138"
expect 1 "tree --only of a missing pid" "$bin" tree --only 99 -i "$r.txt"

# small fixtures: a process before the recording named by its own record
# (4169), or by none (7000: "?"); argv quoted and escaped; setpgid
expect 0 "tree story" "$bin" tree -a -g -i "$dir/story.txt"
printf '%s\n' "4169 bash (before the recording) sid=? pgid=?" \
	"\`-- 4170 ls -l /tmp [dead, exit 3] sid=? pgid=4170" >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree story"
expect 0 "tree misc" "$bin" tree -a -i "$dir/misc.txt"
printf '%s\n' "7000 ? (before the recording)" \
	"\`-- 7001 true [dead, exit 0]" \
	"    \`-- 7010 caf\\xc3\\xa9\\xff '' 'x\\x5cy\"z' [dead, signal 11]" >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree misc"
expect 0 "tree subreaper" "$bin" tree -i "$dir/subreaper.txt"
printf '%s\n' "6000 ? (before the recording)" \
	"|-- 6001 sh [dead, exit 1]" "|   \`-- 6002 sleep adopted away -> 6000" \
	"\`-- 6002 sleep [dead, signal 9] (born of 6001)" >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree subreaper"

# --only in the timeline and JSON: the process's own records, not its
# children's; -p lists and --only together
count 5 "--only 156" -i "$r.txt" --only 156
count 1 "--only 155: its own fork, not 156's" -i "$r.txt" --only 155 -e fork
count 3 "--only 155" -i "$r.txt" --only 155
count 8 "--only 155 --only 156" -i "$r.txt" --only 155 --only 156
count 8 "--only 155,156" -i "$r.txt" --only 155,156
count 13 "-p 154" -i "$r.txt" -p 154
count 18 "-p 154 --only 138" -i "$r.txt" -p 154 --only 138
count 32 "-p 135,154" -i "$r.txt" -p 135,154
count 32 "-p 135 -p 154" -i "$r.txt" -p 135 -p 154
expect 0 "--only timeline" "$bin" -i "$r.txt" --only 156 -e exit
printf '%s\n' "   TIME(s) EVENT    PID     PPID    COMM             DETAILS" \
	"     5.629 exit     156     1       python3          exit code 4; zombie 172 us until reaped by 1 (vm-init)" >"$tmp/want"
same "$tmp/out" "$tmp/want" "--only timeline"
expect 2 "--only junk" "$bin" -i "$r.txt" --only 1x
expect 2 "-a without tree" "$bin" -a -i "$r.txt"
expect 2 "--only with -r" "$bin" -r --only 1

# a reused pid: --only latches the first process's start
printf '%s\n' "lifecycle 1" \
	"1 100 0 exec 50 50 1 0 a old_pid=50 filename=/a filename_trunc=0 argv=a argv_trunc=0 start_ns=10 parent_start_ns=1" \
	"2 200 0 exit 50 50 1 0 a status=0 code=0 signal=- core=0 group_dead=1 start_ns=10 parent_start_ns=1 age_ns=190" \
	"3 300 0 fork 50 50 1 0 b creator_pid=1 creator_tgid=1 clone_flags=0x11 thread=0 vfork=0 start_ns=300 parent_start_ns=1 creator_start_ns=1" \
	"4 400 0 exit 50 50 1 0 b status=0 code=0 signal=- core=0 group_dead=1 start_ns=300 parent_start_ns=1 age_ns=100" >"$tmp/reuse.txt"
count 2 "--only of a reused pid" -i "$tmp/reuse.txt" --only 50
expect 0 "tree of a reused pid" "$bin" tree -i "$tmp/reuse.txt"
printf '%s\n' "1 ? (before the recording)" "|-- 50 a [zombie, exit 0] (before the recording)" \
	"\`-- 50 b [zombie, exit 0]" >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree of a reused pid"

# each of two processes with one pid has its own child
f="clone_flags=0x11 thread=0 vfork=0"
x="status=0 code=0 signal=- core=0 group_dead=1"
printf '%s\n' "lifecycle 1" \
	"1 100 0 fork 50 50 1 0 a creator_pid=1 creator_tgid=1 $f start_ns=100 parent_start_ns=1 creator_start_ns=1" \
	"2 150 0 fork 60 60 50 0 a creator_pid=50 creator_tgid=50 $f start_ns=150 parent_start_ns=100 creator_start_ns=100" \
	"3 160 0 exit 60 60 50 0 a $x start_ns=150 parent_start_ns=100 age_ns=10" \
	"4 170 0 reap 60 60 50 0 a reaper_pid=50 reaper_tgid=50 how=wait zombie_ns=10 start_ns=150 parent_start_ns=100 reaper_start_ns=100" \
	"5 200 0 exit 50 50 1 0 a $x start_ns=100 parent_start_ns=1 age_ns=100" \
	"6 210 0 reap 50 50 1 0 a reaper_pid=1 reaper_tgid=1 how=wait zombie_ns=10 start_ns=100 parent_start_ns=1 reaper_start_ns=1" \
	"7 300 0 fork 50 50 1 0 b creator_pid=1 creator_tgid=1 $f start_ns=300 parent_start_ns=1 creator_start_ns=1" \
	"8 350 0 fork 61 61 50 0 b creator_pid=50 creator_tgid=50 $f start_ns=350 parent_start_ns=300 creator_start_ns=300" >"$tmp/two.txt"
expect 0 "tree: two processes of one pid" "$bin" tree -i "$tmp/two.txt"
printf '%s\n' "1 ? (before the recording)" "|-- 50 a [dead, exit 0]" \
	"|   \`-- 60 a [dead, exit 0]" "\`-- 50 b" "    \`-- 61 b" >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree: two processes of one pid"
expect 0 "tree 50: both" "$bin" tree 50 -i "$tmp/two.txt"
printf '%s\n' "50 a [dead, exit 0]" "\`-- 60 a [dead, exit 0]" "50 b" \
	"\`-- 61 b" >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree 50: both"
expect 0 "tree --alive: two of one pid" "$bin" tree --alive -i "$tmp/two.txt"
printf '%s\n' "1 ? (before the recording)" "\`-- 50 b" "    \`-- 61 b" >"$tmp/want"
same "$tmp/out" "$tmp/want" "tree --alive: two of one pid"

# A log and the lineage table read just after it in the VM story
# follow-adopted (6.1 and 6.12): every process born in the recording has
# the same creator, parent, birth, exec, exit and reap times, status, comm
# and adoptions from both, but the "cat /proc/lifecycle" that was still
# reading the log (262, 203).  The story's shell's tree is the same.
norm() { sed -e 's/"state":[^,]*,//' -e 's/,"argv":.*//'; }
pair() {
	k=$1 n=$2 racing=$3 sh=$4 p=$5 c=$6 d=$7
	pl=$ldir/pair/$k.log
	expect 0 "pair $k: tree --json -i LOG" "$bin" tree --json -i "$pl"
	grep '"before_recording":false' "$tmp/out" | norm >"$tmp/a"
	expect 0 "pair $k: tree --json -i LINEAGE" "$bin" tree --json \
		-i "$ldir/pair/$k.lineage"
	norm <"$tmp/out" >"$tmp/b"
	got=$(wc -l <"$tmp/a")
	[ "$got" -eq "$n" ] && ok || ko "pair $k: $got processes, want $n"
	got=$(grep -vFx -f "$tmp/b" "$tmp/a" | sed 's/^{"tgid":\([0-9]*\),.*/\1/' |
	      tr '\n' ' ')
	[ "$got" = "$racing " ] && ok ||
		ko "pair $k: log and lineage differ for $got, want $racing"
	"$bin" tree "$sh" -i "$pl" >"$tmp/a"
	"$bin" tree "$sh" -i "$ldir/pair/$k.lineage" >"$tmp/b"
	printf '%s\n' "$sh sh [dead, exit 0]" "\`-- $p python3 [dead, exit 0]" \
		"    \`-- $c python3 [dead, exit 0]" \
		"        \`-- $d python3 adopted away -> 1" >"$tmp/want"
	same "$tmp/a" "$tmp/want" "pair $k: tree $sh from the log"
	same "$tmp/b" "$tmp/want" "pair $k: tree $sh from the lineage"
	expect 0 "pair $k: the daemon" "$bin" tree -a -g --only "$d" -i "$pl"
	echo "$d python3 selftests/stories/daemon.py 600 [dead, signal 15] (born of $c) sid=$d pgid=$d" >"$tmp/want"
	same "$tmp/out" "$tmp/want" "pair $k: tree -a -g --only $d"
}
pair 6.1 150 262 226 228 234 235
pair 6.12 48 203 161 163 176 177

# live (LIFECYCLE_DEBUGFS, LIFECYCLE_PROC): -a and -g add the log's argv
# and groups to the table's processes: the same lines as from the log
mkdir "$tmp/live"
cp "$ldir/pair/6.1.lineage" "$tmp/live/lineage"
LIFECYCLE_PROC=$ldir/pair/6.1.log LIFECYCLE_DEBUGFS=$tmp/live \
	"$bin" tree -a -g 226 >"$tmp/a" 2>"$tmp/err" && ok || ko "live tree -a -g"
expect 0 "tree -a -g 226 -i LOG" "$bin" tree -a -g 226 -i "$ldir/pair/6.1.log"
same "$tmp/a" "$tmp/out" "live tree -a -g 226"
head -n 1 "$tmp/a" | grep -q "^226 sh -c 'python3 selftests/stories/daemon.py 600 > \"\$1\"; read x < \"\$2\"' sh /tmp/.* \[dead, exit 0\] sid=113 pgid=113\$" &&
	ok || ko "live tree -a -g: $(head -n 1 "$tmp/a")"
LIFECYCLE_PROC=$tmp/none LIFECYCLE_DEBUGFS=$tmp/live \
	"$bin" tree -a 226 >"$tmp/a" 2>"$tmp/err"
[ $? -eq 1 ] && ok || ko "live tree -a without the log: exit status"
"$bin" tree 226 -i "$ldir/pair/6.1.lineage" >"$tmp/b"
same "$tmp/a" "$tmp/b" "live tree -a without the log: the tree"

# -f --new -p SH: the daemon 503 was forked before following began and
# adopted by init; the lineage table (creator links 500 > 501 > 502 >
# 503) makes it followed.  504 is unrelated; the 503 born at 9500 reuses
# the pid (forked by init); the 503 born at 50 is an older one.
mkdir "$tmp/dbg"
cat >"$tmp/dbg/lineage" <<EOT
lineage 1
1 0 0 0 S 100 - - - - init adopt=
503 1 1 1 X 50 - 60 70 0 old adopt=
500 1 1 1 S 1000 1010 - - - sh adopt=
501 500 500 500 X 2000 2010 2500 2600 0 python3 adopt=
502 501 501 501 X 2100 - 2200 2300 0 python3 adopt=
503 502 502 1 S 2150 - - - - python3 adopt=1@2210:init
504 1 1 1 S 3000 - - - - other adopt=
EOT
S="start_ns=2150 parent_start_ns=100"
printf '%s\n' "lifecycle 1" \
	"10 9000 0 signal 503 503 1 0 python3 signal=15 sender_pid=9 sender_tgid=9 result=delivered group=1 $S sender_start_ns=-" \
	"11 9100 0 exit 503 503 1 0 python3 status=15 code=- signal=15 core=0 group_dead=1 $S age_ns=6950" \
	"12 9200 0 exit 504 504 1 0 other status=0 code=0 signal=- core=0 group_dead=1 start_ns=3000 parent_start_ns=100 age_ns=6200" \
	"13 9300 0 reap 503 503 1 0 python3 reaper_pid=1 reaper_tgid=1 how=wait zombie_ns=200 $S reaper_start_ns=100" \
	"14 9500 0 fork 503 503 1 0 init creator_pid=1 creator_tgid=1 clone_flags=0x1200011 thread=0 vfork=0 start_ns=9500 parent_start_ns=100 creator_start_ns=100" \
	"15 9600 0 exit 503 503 1 0 init status=0 code=0 signal=- core=0 group_dead=1 start_ns=9500 parent_start_ns=100 age_ns=100" >"$tmp/feed"
mkfifo "$tmp/fifo"
LIFECYCLE_PROC=$tmp/fifo LIFECYCLE_DEBUGFS=$tmp/dbg \
	"$bin" -f --new -p 500 --json >"$tmp/out" 2>"$tmp/err" &
fpid=$!
cat "$tmp/feed" >"$tmp/fifo"
wait $fpid
got=$?
[ $got -eq 0 ] && ok || ko "-f --new -p seeded: exit $got"
got=$(sed 's/^{"seq":\([0-9]*\),.*/\1/' "$tmp/out" | tr '\n' ' ')
[ "$got" = "10 11 13 " ] && ok || ko "-f --new -p seeded: records $got, want 10 11 13"
[ -s "$tmp/err" ] && ko "-f --new -p seeded: stderr $(cat "$tmp/err")" || ok
# without the table: a note, and only what is forked from now on
LIFECYCLE_PROC=$tmp/fifo LIFECYCLE_DEBUGFS=$tmp/none \
	"$bin" -f --new -p 500 --json >"$tmp/out" 2>"$tmp/err" &
fpid=$!
cat "$tmp/feed" >"$tmp/fifo"
wait $fpid
[ -s "$tmp/out" ] && ko "-f --new -p without the table: output" || ok
grep -q "only the descendants forked from now on are followed" "$tmp/err" &&
	ok || ko "-f --new -p without the table: no note"

finish tree
