#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh SECONDS - run the parser fuzzer, seeded from the test fixtures.
# Prints "no crashes" and exits 0, or shows the crash and exits 1.
set -u
secs=${1:-30}
cd "$(dirname "$0")" || exit 1
mkdir -p corpus
log=fuzz-${secs}s.log
# the reader's reports of damaged spots would flood the log: close_fd_mask
./parse_fuzz -max_total_time="$secs" -max_len=4096 -timeout=10 \
	-close_fd_mask=2 \
	-print_final_stats=1 -artifact_prefix=./ \
	corpus ../tests/fixtures ../tests/fixtures/bad ../tests/lineage \
	>"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ "$rc" -eq 0 ]; then
	echo "fuzz: no crashes (${runs:-?} executions in ${secs} s," \
	     "corpus $(ls corpus | wc -l) inputs)"
	exit 0
fi
echo "fuzz: CRASH (exit $rc) after ${runs:-?} executions; log in fuzz/$log:"
grep -A 30 'ERROR\|==ERROR\|runtime error' "$log" | head -40
ls -1 crash-* leak-* timeout-* oom-* 2>/dev/null
exit 1
