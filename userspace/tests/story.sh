#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# story.sh LIFECYCLE FIXTURES - "lifecycle story": the recorded stories
# (text and binary give the same story), a hand-written log with a reused
# pid and an adoption (story/reuse.txt), the same read "live" with a
# lineage table (story/debugfs), -f, and the usage errors.
set -u
. "$(dirname "$0")/lib.sh"
sdir=$(dirname "$dir")/story
rec=$dir/recorded-6.1-stories

# has NAME STRING: the output holds STRING
has() {
	if grep -qF -- "$2" "$tmp/out"; then ok; else ko "$1: no '$2'"; fi
}

# the daemon of the recorded stories: forked by 155, orphaned, adopted by
# init, setsid, exit code 4, reaped by init; text and binary alike
for f in "$rec.txt" "$rec.bin"; do
	expect 0 "$f story 156" "$bin" story 156 -i "$f"
	same "$tmp/out" "$sdir/stories-156.out" "$f story 156"
	expect 0 "$f story 156 --json" "$bin" story --json -i "$f" 156
	same "$tmp/out" "$sdir/stories-156.json" "$f story 156 --json"
	expect 0 "$f story 154" "$bin" story 154 -i "$f"
	same "$tmp/out" "$sdir/stories-154.out" "$f story 154"
done
expect 0 "story 156 --json" "$bin" story 156 --json -i "$rec.txt"
has "156 key" '"pid":156,"comm":"python3","key":"156@9456482499"'
has "156 creator" '"creator_pid":155,"creator_comm":"python3","creator_key":"155@9450601539"'
has "156 flags" '"clone_flags":18874385,"clone_flag_names":["CLONE_CHILD_CLEARTID","CLONE_CHILD_SETTID","SIGCHLD"]'
has "156 adopter" '"reason":"init","old_ppid":155,"adopter_pid":1,"adopter_comm":"vm-init"'
has "156 exit" '"exit":{"ts_ns":9776245409,"status":1024,"exit_code":4,"signal":null'
has "156 reap" '"reaper_pid":1,"reaper_comm":"vm-init","reaper_key":null,"reaper_start_ns":null,"how":"wait","zombie_ns":172310'
has "156 ancestors" '"ancestors":[{"pid":155,"comm":"python3","key":"155@9450601539","start_ns":null},{"pid":154,"comm":"python3","key":"154@9073328199","start_ns":null},{"pid":114,"comm":"reader-stories.","key":"114@4250391199","start_ns":null},{"pid":113,"comm":"sh","key":"113@4147183559","start_ns":null},{"pid":1,"comm":"vm-init","key":null,"start_ns":null}],"ancestors_complete":true'
has "156 sent" '"signals_sent":[{"seq":227,'
expect 0 "story 154" "$bin" story 154 -i "$rec.txt"
has "154 descendants" '    156@9456482499 (python3): exit code 4, reaped by 1 (vm-init); adopted away by 1 (vm-init)'

# a reused pid: the newest is told, the others listed; PID@START picks
for t in 200:reuse-200 200@1000000000:reuse-200-old 201:reuse-201; do
	expect 0 "story ${t%%:*}" "$bin" story "${t%%:*}" -i "$sdir/reuse.txt"
	same "$tmp/out" "$sdir/${t#*:}.out" "story ${t%%:*}"
done
expect 0 "story 201 --json" "$bin" story 201 --json -i "$sdir/reuse.txt"
same "$tmp/out" "$sdir/reuse-201.json" "story 201 --json"
expect 0 "story 200 --json" "$bin" story --json 200 -i "$sdir/reuse.txt"
has "200 incarnations" '"key":"200@2000000000","start_ns":null,"incarnations":["200@1000000000","200@2000000000"]'
has "200 signal" '"exit_code":null,"signal":15,"signal_name":"SIGTERM"'
expect 0 "story 200@1000000000 --json" "$bin" story --json 200@1000000000 -i "$sdir/reuse.txt"
has "200 descendants" '"descendants":[{"pid":201,"comm":"sleep","key":"201@1200000000","start_ns":null,"depth":1,"creator_pid":200,"parent_pid":200,"adopted_away":true,"adopter_pid":1,'
has "200 sent" '"signals_sent":[{"seq":7,'
expect 1 "story 200@5" "$bin" story 200@5 -i "$sdir/reuse.txt"
printf 'lifecycle: story: no process 200@5; pid 200 was:\n  200@1000000000 sleep\n  200@2000000000 true\n' >"$tmp/want"
same "$tmp/err" "$tmp/want" "story 200@5: the keys"
expect 1 "story 999" "$bin" story 999 -i "$sdir/reuse.txt"
printf 'lifecycle: story: pid 999 is not in %s\n' "$sdir/reuse.txt" >"$tmp/want"
same "$tmp/err" "$tmp/want" "story 999: not there"

# the same log with the process keys the module now sends: START is
# start_ns, and the records name the processes they tell of exactly
k=$sdir/reuse-keys.txt
expect 0 "keys: story 201" "$bin" story 201 -i "$k"
same "$tmp/out" "$sdir/reuse-keys-201.out" "keys: story 201"
expect 0 "keys: story 200@999990000 --json" "$bin" story --json 200@999990000 -i "$k"
has "keys: the old 200" '"pid":200,"comm":"sleep","key":"200@999990000","start_ns":999990000,"incarnations":["200@999990000","200@1999990000"]'
has "keys: lifetime from age_ns" '"lifetime_ns":300010000'
expect 1 "keys: a fork ts is no key" "$bin" story 200@1000000000 -i "$k"
expect 0 "keys: story 100" "$bin" story 100 -i "$k"
has "keys: born before the log" '       0.500000  born      before the log'
has "keys: sent to the right 200" '       2.000200  sent      SIGTERM to the group of 200@1999990000 (true): delivered'
LIFECYCLE_PROC=$k LIFECYCLE_DEBUGFS=$sdir/debugfs expect 0 "keys: live story 201" "$bin" story 201 --json
has "keys: live ancestors" '"ancestors":[{"pid":200,"comm":"sleep","key":"200@999990000","start_ns":999990000},{"pid":100,"comm":"bash","key":"100@500000000","start_ns":500000000},{"pid":50,"comm":"sshd","key":"50@300000000","start_ns":300000000},{"pid":1,"comm":"systemd","key":"1@100000000","start_ns":100000000}],"ancestors_complete":true'

# live: the log and the lineage table, which knows what came before it
export LIFECYCLE_PROC="$sdir/reuse.txt" LIFECYCLE_DEBUGFS="$sdir/debugfs"
expect 0 "live story 201 --json" "$bin" story 201 --json
same "$tmp/out" "$sdir/live-201.json" "live story 201 --json"
has "live 201 ancestors" '"ancestors":[{"pid":200,"comm":"sleep","key":"200@999990000","start_ns":999990000},{"pid":100,"comm":"bash","key":"100@500000000","start_ns":500000000},{"pid":50,"comm":"sshd","key":"50@300000000","start_ns":300000000},{"pid":1,"comm":"systemd","key":"1@100000000","start_ns":100000000}],"ancestors_complete":true'
expect 0 "live story 200" "$bin" story 200
same "$tmp/out" "$sdir/live-200.out" "live story 200"
LIFECYCLE_DEBUGFS="$tmp/none" expect 0 "live, no lineage" "$bin" story 201
has "no lineage: the log's story" '  (the log'"'"'s edge: 100'"'"'s creator is not known)'
grep -q "told from $sdir/reuse.txt alone" "$tmp/err" && ok || ko "no lineage: the note"
unset LIFECYCLE_PROC LIFECYCLE_DEBUGFS

# -f: an ended story ends at once; a FIFO's goes on until the reap
expect 0 "story -f reaped" "$bin" story -f -t 5 201 -i "$sdir/reuse.txt"
same "$tmp/out" "$sdir/reuse-201.out" "story -f reaped"
mkfifo "$tmp/fifo"
{ head -n 12 "$sdir/reuse.txt"; sleep 0.5; tail -n +13 "$sdir/reuse.txt"
  sleep 3; } >"$tmp/fifo" &
writer=$!
expect 0 "story -f FIFO" "$bin" story -f -t 2 201 -i "$tmp/fifo"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
has "-f: the story so far" '              -  now       no exit seen'
has "-f: the exit" 'exit     201     1       sleep            killed by signal 9 (SIGKILL)'
has "-f: the reap" 'reap     201     1       sleep            zombie 100 us until reaped by 1'
[ "$(tail -n 1 "$tmp/out" | cut -c 12-15)" = reap ] && ok || ko "-f: ends at the reap"
expect 0 "story -f --json FIFO" sh -c "{ cat \"$sdir/reuse.txt\"; sleep 1; } | \"$bin\" story -f --json 100 -t 0.5 -i -"
[ "$(wc -l <"$tmp/out")" -eq 1 ] && ok || ko "-f --json: one story, no more"

# usage
expect 2 "story, no pid" "$bin" story -i "$sdir/reuse.txt"
expect 2 "story x" "$bin" story x -i "$sdir/reuse.txt"
expect 2 "story 1@x" "$bin" story 1@x -i "$sdir/reuse.txt"
expect 2 "story -p" "$bin" story 1 -p 1 -i "$sdir/reuse.txt"
expect 2 "story --new" "$bin" story 1 --new -i "$sdir/reuse.txt"
expect 2 "story 1 2" "$bin" story 1 2 -i "$sdir/reuse.txt"

finish story
