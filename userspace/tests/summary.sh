#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# summary.sh LIFECYCLE FIXTURES - "lifecycle summary": the recorded stories
# (text and binary give the same summary, exact lists), a hand-written log
# with a reused pid, a zombie never reaped, signal deaths (one sender
# recorded) and an adoption (summary/small.txt), the filters, a damaged
# line, the same log read "live" with a lineage table that names pid 1,
# bounded memory on a long synthetic log, and the usage errors.
set -u
. "$(dirname "$0")/lib.sh"
sdir=$(dirname "$dir")/summary
rec=$dir/recorded-6.1-stories
small=$sdir/small.txt

# has NAME STRING: the output holds STRING
has() {
	if grep -qF -- "$2" "$tmp/out"; then ok; else ko "$1: no '$2'"; fi
}

# the recorded stories: text and binary alike, to the byte
for f in "$rec.txt" "$rec.bin"; do
	expect 0 "$f summary" "$bin" summary -i "$f"
	same "$tmp/out" "$sdir/stories.out" "$f summary"
	expect 0 "$f summary --json" "$bin" summary --json -i "$f"
	same "$tmp/out" "$sdir/stories.json" "$f summary --json"
done
expect 0 "stories --json" "$bin" summary --json -i "$rec.txt"
has "stories counts" '"records":427,"selected":427,"first_seq":1,"last_seq":427,"first_ts_ns":4147183559,"last_ts_ns":15060887309,"boot_id":null,"lost":0,"untracked":0,"events":{"fork":92,"exec":59,"exit":89,"reap":89,"reparent":4,"stop":0,"cont":0,"signal":91,"setsid":3,"setpgid":0,"state":0,"lost":0}'
has "stories comm" '{"comm":"python3","records":79,"events":{"fork":14,"exec":9,"exit":20,"reap":20,"reparent":3,'
has "stories longest zombie" '"longest_zombies":[{"pid":126,"start_ns":null,"comm":"reader-stories.","zombie_ns":9166840,"reap_ts_ns":5832796549,"reaper_pid":125,"reaper_start_ns":null,"reaper_comm":"reader-stories.","how":"wait"}'
has "stories init adoption" '{"pid":156,"start_ns":null,"comm":"python3","ts_ns":9458794259,"old_ppid":155,"old_parent_start_ns":null,"old_parent_comm":"python3","new_ppid":1,"new_parent_start_ns":null,"new_parent_comm":null,"reason":"init","zombie":false}'
has "stories orphans" '"orphans_total":4'
has "stories no unreaped" '"unreaped":[],"unreaped_total":0'
has "stories no signal death" '"signal_deaths":[],"signal_deaths_total":0'
has "stories longest life" '"longest_lives":[{"pid":195,"start_ns":null,"comm":"python3","lifetime_ns":2005303200,"exit_ts_ns":15000467209}'
has "stories lifetimes" '"lifetimes":89,"lifetimes_unknown":0}'

# a reused pid (200: sleep, then true), 201 adopted by init and killed by
# SIGKILL from 100, 200 killed by SIGTERM, 202 never reaped (its thread's
# exit is no death), 150 born before the log (no lifetime)
expect 0 "small summary" "$bin" summary -i "$small"
same "$tmp/out" "$sdir/small.out" "small summary"
expect 0 "small --json" "$bin" summary --json -i "$small"
same "$tmp/out" "$sdir/small.json" "small --json"
has "small boot id" '"boot_id":"0b7c4a2e-1d3f-4e5a-8b6c-7d8e9f0a1b2c"'
has "small zombies, reused pid apart" '"longest_zombies":[{"pid":200,"start_ns":1999990000,"comm":"true","zombie_ns":1000000000,"reap_ts_ns":3000300000,"reaper_pid":100,"reaper_start_ns":500000000,"reaper_comm":"bash","how":"wait"},{"pid":200,"start_ns":999990000,"comm":"sleep","zombie_ns":200000,'
has "small unreaped" '"unreaped":[{"pid":202,"start_ns":2499990000,"comm":"worker","exit_ts_ns":2600000000,"zombie_ns":500000000,"ppid":100,"parent_start_ns":500000000,"parent_comm":"bash"}],"unreaped_total":1'
has "small orphan" '"orphans":[{"pid":201,"start_ns":1199990000,"comm":"sleep","ts_ns":1300100000,"old_ppid":200,"old_parent_start_ns":999990000,"old_parent_comm":"sleep","new_ppid":1,"new_parent_start_ns":100000000,"new_parent_comm":null,"reason":"init","zombie":false}],"orphans_total":1'
has "small SIGTERM" '{"pid":200,"start_ns":1999990000,"comm":"true","ts_ns":2000300000,"signal":15,"signal_name":"SIGTERM","core_dumped":false,"sender_pid":100,"sender_tgid":100,"sender_start_ns":500000000,"sender_comm":"bash"}'
has "small SIGKILL" '{"pid":201,"start_ns":1199990000,"comm":"sleep","ts_ns":2300000000,"signal":9,"signal_name":"SIGKILL","core_dumped":false,"sender_pid":100,"sender_tgid":100,"sender_start_ns":500000000,"sender_comm":"bash"}],"signal_deaths_total":2'
has "small shortest" '"shortest_lives":[{"pid":200,"start_ns":1999990000,"comm":"true","lifetime_ns":310000,"exit_ts_ns":2000300000}'
has "small longest" '"longest_lives":[{"pid":201,"start_ns":1199990000,"comm":"sleep","lifetime_ns":1100010000,"exit_ts_ns":2300000000}'
has "small lifetimes" '"lifetimes":4,"lifetimes_unknown":1}'

# the filters choose the records, as for the timeline
expect 0 "-p 201" "$bin" summary --json -p 201 -i "$small"
has "-p 201 selected" '"records":25,"selected":5,'
has "-p 201 zombie" '"longest_zombies":[{"pid":201,'
has "-p 201 no unreaped" '"unreaped":[],'
has "-p 201 lifetimes" '"lifetimes":1,"lifetimes_unknown":0}'
expect 0 "-c worker" "$bin" summary --json -c worker -i "$small"
has "-c worker" '"selected":4,'
has "-c worker unreaped" '"unreaped_total":1,"orphans":[],"orphans_total":0,"signal_deaths":[],"signal_deaths_total":0,'
expect 0 "-e reap" "$bin" summary --json -e reap -i "$small"
has "-e reap" '"selected":4,'
has "-e reap lists" '"unreaped_total":0,"orphans":[],"orphans_total":0,"signal_deaths":[],"signal_deaths_total":0,"shortest_lives":[],"longest_lives":[],"lifetimes":0,'
expect 0 "-e reap text" "$bin" summary -e reap -i "$small"
has "-e reap text" 'selected by -p/-c/-e: 4 records'

# live: the lineage table names pid 1, which the log never does
LIFECYCLE_PROC=$small LIFECYCLE_DEBUGFS=$sdir/debugfs \
	expect 0 "live --json" "$bin" summary --json
has "live adopter named" '"new_ppid":1,"new_parent_start_ns":100000000,"new_parent_comm":"systemd"'
has "live reaper named" '"reaper_pid":1,"reaper_start_ns":100000000,"reaper_comm":"systemd"'

# a damaged line is skipped and reported; the rest is summed up
sed '5s/ exit / exot /' "$small" >"$tmp/bad.txt"
expect 1 "damaged" "$bin" summary --json -i "$tmp/bad.txt"
has "damaged: the rest" '"records":24,'
grep -q "bad.txt:5: unknown event .exot.; skipped 1 line" "$tmp/err" && ok || ko "damaged: no message for line 5"

# usage
expect 2 "summary -f" "$bin" summary -f -i "$small"
expect 2 "summary PID" "$bin" summary 200 -i "$small"
expect 2 "summary -r" "$bin" summary -r -i "$small"

# memory does not grow with the log: 20x the records, about the same RSS
gen=$(dirname "$dir")/../../bench/gen.c
if [ -f "$gen" ] && [ -x /usr/bin/time ] &&
   ${CC:-cc} -O2 -I"$(dirname "$gen")/../include" -o "$tmp/lcgen" "$gen"; then
	"$tmp/lcgen" text 50000 >"$tmp/small.log"
	"$tmp/lcgen" text 1000000 >"$tmp/big.log"
	rss() {
		/usr/bin/time -f %M "$bin" summary --json -i "$1" 2>&1 >/dev/null
	}
	a=$(rss "$tmp/small.log")
	b=$(rss "$tmp/big.log")
	if [ "$b" -lt $((a + 2048)) ]; then ok; else
		ko "memory: ${a} KB for 50k records, ${b} KB for 1M"; fi
	expect 0 "1M --json" "$bin" summary --json -i "$tmp/big.log"
	has "1M records" '"records":1000000,'
	has "1M orphans capped" '"orphans_total":3360'
	n=$(grep -o '"reason":' "$tmp/out" | wc -l)
	[ "$n" -eq 1000 ] && ok || ko "1M: $n orphans listed, want 1000"
else
	echo "summary: memory check skipped (no bench/gen.c, cc or /usr/bin/time)"
fi

finish summary
