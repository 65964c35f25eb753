# SPDX-License-Identifier: GPL-2.0
#
# lib.sh - what the reader's test scripts share; sourced after "set -u" by
# run_cli.sh, robust.sh and record.sh, which are called as
# SCRIPT LIFECYCLE FIXTURES.  Each ends with "finish NAME".
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

# expect STATUS NAME CMD...: run CMD, check its exit status (stderr is
# shown when it is wrong)
expect() {
	want=$1 name=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok
	else
		ko "$name: exit $got, want $want"
		head -n 5 "$tmp/err" >&2
	fi
}

# same GOT WANT NAME: the files are identical
same() {
	if cmp -s "$1" "$2"; then ok; else ko "$3 differs from $2"; diff "$2" "$1" | head -5 >&2; fi
}

# count LINES NAME ARGS...: --json output has LINES records
count() {
	lines=$1 what=$2
	shift 2
	expect 0 "$what" "$bin" --json "$@"
	got=$(wc -l <"$tmp/out")
	if [ "$got" -eq "$lines" ]; then ok; else ko "$what: $got records, want $lines"; fi
}

# finish NAME: the summary line, and the status
finish() {
	echo "$1: $pass checks passed, $fail failed"
	[ "$fail" -eq 0 ]
}
