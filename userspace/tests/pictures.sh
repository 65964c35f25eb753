#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pictures.sh LIFECYCLE FIXTURES - "lifecycle chart", "--perfetto" and
# "tree --dot" without a browser: per recorded story, the chart's rows,
# adoption arrows and zombie spans (exact counts; text and binary give the
# same file), nothing loaded from the network; the Perfetto trace passes
# tef_check.py (the format's structure: nesting, flows, metadata) with one
# process per row; a reused pid is two rows; -p; a synthetic storm; the
# Graphviz graph of a lineage table, exactly; the usage errors.  The
# browser's checks are scripts/chart-check.sh's.
set -u
. "$(dirname "$0")/lib.sh"
tests=$(dirname "$0")
root=$(cd "$tests/../.." && pwd)

# counts FILE: "rows ADOPTIONS ZOMBIES" of a chart
counts() {
	echo "$(grep -c '<g class="row"' "$1") $(grep -c '<line class="ad"' "$1") $(grep -o '<rect class="z"' "$1" | wc -l)"
}

# chart NAME INPUT "ROWS ADOPTIONS ZOMBIES" [OPTIONS...]
chart() {
	c=$1 cwant=$3
	expect 0 "$c chart" "$bin" chart -i "$2" -o "$tmp/$c.html" $(shift 3; echo "$@")
	got=$(counts "$tmp/$c.html")
	if [ "$got" = "$cwant" ]; then ok; else ko "$c chart: rows, adoptions, zombies $got, want $cwant"; fi
	# self-contained: no src= or href=, no URL but the SVG namespace
	if grep -oE "(src|href)=|https?://[^\"' ;]*" "$tmp/$c.html" |
	   grep -qv '^http://www.w3.org/2000/svg$'; then
		ko "$c chart: loads something"
	else
		ok
	fi
}

# perfetto NAME INPUT PROCESSES
perfetto() {
	c=$1 cwant=$3
	expect 0 "$c --perfetto" "$bin" --perfetto -i "$2" -o "$tmp/$c.json"
	if python3 "$tests/tef_check.py" "$tmp/$c.json" > "$tmp/tef" 2>&1; then
		ok
	else
		ko "$c --perfetto: tef_check"
		tail -n 5 "$tmp/tef" >&2
	fi
	if grep -q ": $cwant processes," "$tmp/tef"; then
		ok
	else
		ko "$c --perfetto: $(head -n 1 "$tmp/tef"), want $cwant processes"
	fi
}

for s in "6.1-stories 93 4 89" "6.1-daemon 20 1 19" "6.1-subreaper 20 1 19" \
	 "6.12-daemon-init 24 1 22" "6.12-seed 19 1 18"; do
	set -- $s
	chart "$1" "$dir/recorded-$1.txt" "$2 $3 $4"
	perfetto "$1" "$dir/recorded-$1.txt" "$2"
done
# the binary recording: the same chart, to the byte
chart stories-bin "$dir/recorded-6.1-stories.bin" "93 4 89"
same "$tmp/stories-bin.html" "$tmp/6.1-stories.html" "binary chart"
perfetto stories-bin "$dir/recorded-6.1-stories.bin" 93
# -p: 155 (a double fork whose grandchild init adopts), its creator's row
chart p155 "$dir/recorded-6.1-stories.txt" "4 1 2" -p 155
grep -q 'data-k="155@9450601539"' "$tmp/p155.html" && ok || ko "-p 155: no row 155@9450601539"
# start_ns: pid 200 twice (sleep, then true), two rows; init only adopts;
# 202 never reaped: its zombie span runs to the log's end
chart small "$tests/summary/small.txt" "7 1 5"
for k in 200@999990000 200@1999990000 1@100000000; do
	grep -q "<g class=\"row\"[^>]*data-k=\"$k\"" "$tmp/small.html" && ok ||
		ko "small: no row $k"
done
# the zombie of 200@1999990000: exactly its zombie_ns, up to the reap
grep -q '<rect class="z" data-a="1000300000" data-b="2000300000" data-seq="24" data-zombie_ns="1000000000"' \
	"$tmp/small.html" && ok || ko "small: zombie span of 200@1999990000"
perfetto small "$tests/summary/small.txt" 7
# a storm of 200 processes in chains, four of them orphans, stops
python3 "$root/scripts/chart-storm.py" 200 > "$tmp/storm.txt"
chart storm "$tmp/storm.txt" "202 4 201"
# every seventh process stopped 0.4 ms: 29 spans, each ended by its cont
got=$(grep -o '<rect class="st" data-a="[0-9]*" data-b="[0-9]*"' "$tmp/storm.html" |
      awk -F'"' '$6 - $4 == 400000' | wc -l)
[ "$got" = 29 ] && ok || ko "storm: $got stopped spans of 0.4 ms, want 29"
perfetto storm "$tmp/storm.txt" 202

# tree --dot: the lineage table's graph, exactly
expect 0 "tree --dot" "$bin" tree --dot -i "$tests/lineage/basic.txt"
same "$tmp/out" "$tests/lineage/basic.dot" "tree --dot"
expect 0 "tree --dot 6000" "$bin" tree --dot -i "$tests/lineage/basic.txt" 6000
got=$(grep -c '\[label=' "$tmp/out")
[ "$got" = 3 ] && ok || ko "tree --dot 6000: $got nodes, want 3"
expect 0 "tree --dot -o" "$bin" tree --dot -i "$tests/lineage/basic.txt" -o "$tmp/t.dot"
same "$tmp/t.dot" "$tests/lineage/basic.dot" "tree --dot -o"
expect 1 "tree --dot 4242" "$bin" tree --dot -i "$tests/lineage/basic.txt" 4242

# usage errors
expect 2 "chart -c" "$bin" chart -c sh -i "$dir/recorded-6.1-stories.txt"
expect 2 "chart -f" "$bin" chart -f
expect 2 "--dot without tree" "$bin" --dot -i "$dir/recorded-6.1-stories.txt"
expect 2 "-o for the log" "$bin" -o "$tmp/x" -i "$dir/recorded-6.1-stories.txt"
expect 2 "--perfetto with tree" "$bin" tree --perfetto
expect 1 "chart -o into nowhere" "$bin" chart -i "$dir/recorded-6.1-stories.txt" -o /nonexistent/dir/x.html
# a damaged line: reported, the picture written all the same, status 1
sed '4s/exec/exed/' "$dir/recorded-6.1-stories.txt" > "$tmp/bad.txt"
expect 1 "damaged chart" "$bin" chart -i "$tmp/bad.txt" -o "$tmp/bad.html"
grep -q 'data-ready\|</html>' "$tmp/bad.html" && ok || ko "damaged chart: no page"
finish pictures
