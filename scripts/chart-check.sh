#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# chart-check.sh [-o DIR] [LOG...] - "lifecycle chart" in a real browser
# (headless Chromium, scripts/chart-check.py): the recorded stories
# (userspace/tests/fixtures/recorded-*.txt and .bin), then a synthetic
# storm of 10,000 processes (scripts/chart-storm.py) against the limits:
# under 10 MB, rendered in under 5 s.  With LOG arguments, those logs
# instead (a VM's captured /proc/lifecycle: see reader-stories.sh "chart"),
# each with the chart made from it next to it (LOG.html) when there is one.
# Charts, screenshots (PNG) and the Perfetto traces go to DIR
# (build/charts).  One "PASS: ..." or "FAIL: ..." line per chart; the exit
# status is 1 if any failed.
set -u
cd "$(dirname "$0")/.." || exit 1
OUT=build/charts
[ "${1:-}" = -o ] && { OUT=$2; shift 2; }
L=userspace/lifecycle
CHECK=scripts/chart-check.py
mkdir -p "$OUT" || exit 1
fails=0

make -s -C userspace > /dev/null || { echo "FAIL: the reader does not build"; exit 1; }

# one NAME LOG HTML [CHECK-OPTIONS...]: the browser's verdict on a chart
one() {
	local name=$1 log=$2 html=$3
	shift 3
	if python3 "$CHECK" --lifecycle "$L" --input "$log" --html "$html" \
		--name "$name" --png "$OUT/$name.png" "$@" > "$OUT/$name.check" 2>&1
	then
		echo "PASS: chart $name"
	else
		echo "FAIL: chart $name"
		fails=$((fails + 1))
	fi
	sed 's/^/    /' "$OUT/$name.check"
}

# make NAME LOG: the chart and the Perfetto trace of LOG, checked
make_one() {
	local name=$1 log=$2

	if ! $L chart -i "$log" -o "$OUT/$name.html" ||
	   ! $L --perfetto -i "$log" -o "$OUT/$name.json"; then
		echo "FAIL: chart $name: lifecycle chart or --perfetto failed"
		fails=$((fails + 1))
		return
	fi
	if python3 userspace/tests/tef_check.py "$OUT/$name.json" \
		> "$OUT/$name.tef" 2>&1; then
		echo "PASS: perfetto $name: $(head -n 1 "$OUT/$name.tef")"
	else
		echo "FAIL: perfetto $name"
		sed 's/^/    /' "$OUT/$name.tef"
		fails=$((fails + 1))
	fi
	one "$name" "$log" "$OUT/$name.html"
}

if [ $# -gt 0 ]; then
	for log in "$@"; do
		name=$(basename "$log" .txt)
		if [ -f "$log.html" ]; then	# made where the log was
			one "$name" "$log" "$log.html"
		else
			make_one "$name" "$log"
		fi
	done
	[ "$fails" = 0 ]
	exit
fi

for f in userspace/tests/fixtures/recorded-*.txt \
	 userspace/tests/fixtures/recorded-*.bin; do
	name=$(basename "$f" | tr . -)
	make_one "$name" "$f"
done

# the storm: 10,000 processes, reused pids, 200 adoptions
python3 scripts/chart-storm.py 10000 > "$OUT/storm-10000.txt"
make_one storm-10000 "$OUT/storm-10000.txt"
ls -l "$OUT/storm-10000.html" "$OUT/storm-10000.json" | sed 's/^/    /'
[ "$fails" = 0 ]
