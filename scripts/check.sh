#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [STEP...] - everything "make check" checks.
#
# STEPs: deps build pins checkpatch kernel-doc userspace charts selftests
# stories validate latency dkms tutorial debug (default: all of them; "deb", the
# Debian packages installed, upgraded and removed in a VM on 6.1 and 6.12,
# takes 8 to 32 minutes a kernel under TCG (idle or loaded host), and
# "systemd", lifecycle-record.service in a VM that boots systemd twice on
# 6.12, 7 to 10 minutes; both run with "make check-docs").  "debug" builds the
# module for the debug kernel (KASAN, lockdep, kmemleak, DEBUG_ATOMIC_SLEEP;
# install-deps installs it from ../shared/kernels when that is there) and
# runs the selftests on it, with a kmemleak scan at the end; the default
# run starts it in the background once the rest is built, as it takes as
# long as everything else together, and skips it when no debug kernel is
# installed (saying so).  DEBUG=0 leaves it out.  KVERS="..." chooses the
# other kernels outright.
# Each check prints one PASS/FAIL line, with the tail of its log on failure
# (logs in build/check/).  The selftests run in a VM on every supported
# kernel (scripts/kmod.sh list; DEBUG=1 adds the debug kernel); every TAP
# result counts as one check, and so does each VM run (kernel warnings,
# timeout, module unload).  The last line is "N passed, N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
LOGS=$ROOT/build/check
mkdir -p "$LOGS"
USER_KVERS=${KVERS:-}
# The kernels, once install-deps has run (a fresh machine has none before).
set_kvers() {
	KVERS=${USER_KVERS:-$(scripts/kmod.sh list)}
	DEBUG_KVER=$(scripts/kmod.sh list --debug | grep -v -e -amd64 | tail -n 1)
}
set_kvers
pass=0 fail=0
# One TCG thread for every VM: see LC_TCG_THREAD in scripts/vm.sh.
export LC_TCG_THREAD=${LC_TCG_THREAD:-single}

ok()  { echo "PASS: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; fail=$((fail + 1)); }

# step NAME COMMAND...: run COMMAND with its output in a log, count it.
step() {
	local name=$1 log
	shift
	log=$LOGS/$(printf '%s' "$name" | tr -c 'A-Za-z0-9.+-' _).log
	if "$@" > "$log" 2>&1; then
		ok "$name"
	else
		bad "$name (log: $log)"
		tail -n 15 "$log" | sed 's/^/    /'
	fi
}

c_files() {
	git ls-files -co --exclude-standard -- 'module/*.[ch]' 'include/*.h' \
		'userspace/*.[ch]' 'userspace/*/*.[ch]' 'selftests/*.[ch]' \
		'scripts/*.c' 'bench/*.[ch]'
}

# Out-of-tree code for several kernel series needs version checks (kept in
# module/compat.h), which in-tree code must not have: LINUX_VERSION_CODE.
checkpatch() {
	perl build/tools/checkpatch.pl --no-tree -q --terse --show-types \
		--ignore LINUX_VERSION_CODE -f "$1"
}

# kernel-doc exits 0 on warnings, so any output is a failure.
kernel_doc() {
	local kd out
	kd=/lib/modules/$(echo "$KVERS" | tail -n 1)/build/scripts/kernel-doc
	out=$(perl "$kd" -none module/*.[ch] include/*.h 2>&1)
	[ -z "$out" ] || { echo "$out"; return 1; }
}

userspace_test() {
	if ! make -C userspace -n test > /dev/null 2>&1; then
		echo "userspace/Makefile has no 'test' target"
		return 1
	fi
	make -C userspace test
}

# TAP from run-selftests.sh: count the nested results of each program, and
# the program's own result when it has none (a crash, a timeout, a script).
count_tap() {
	awk -v k="$1" '
	# A program counts by itself when it reported no result of its own,
	# and as a failure when it failed (a crash or timeout after some
	# results) without a failing result to show for it.
	function flush() {
		if (prog != "" && res && !inner) p++
		if (prog != "" && !res && !inner_bad) { f++; print "FAIL: " k ": " line }
		inner = 0; inner_bad = 0
	}
	/^# (not )?ok [0-9]/ {
		inner++
		if ($2 == "ok") p++; else { f++; inner_bad++; print "FAIL: " k ": " substr($0, 3) }
		next
	}
	/^(not )?ok [0-9]/ { prog = $0; res = ($1 == "ok"); line = $0; flush(); prog = ""; seen++; next }
	/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0 }
	# A VM that ended early (a hang the host timed out) left programs
	# without a result: each is a failure.
	END {
		if (plan > seen) {
			f += plan - seen
			print "FAIL: " k ": " plan - seen " of " plan " programs never reported"
		}
		printf "%d %d\n", p, f
	}' "$2"
}

# A bound on the whole suite in wall-clock time, enforced from the host:
# the tests' own timeouts run on guest timers, which a hung guest never
# fires.  The suite takes 2-4 minutes on Debian's kernels and 12-17 on the
# debug kernel on a 2-CPU host; the bound is five times that.
vm_timeout() {
	if grep -qs '^CONFIG_KASAN=y' "/boot/config-$1"; then
		echo 5400
	else
		echo 1200
	fi
}

selftests_on() {
	local k=$1 tap=$ROOT/build/vm-out/selftests-$1.tap counts
	rm -f "$tap"
	step "vm $k" scripts/vm.sh -k "$k" -t "$(vm_timeout "$k")" -- \
		"scripts/run-selftests.sh -o $tap; echo selftests exit \$?"
	if [ ! -s "$tap" ]; then
		bad "selftests on $k: no TAP output"
		return
	fi
	counts=$(count_tap "$k" "$tap")
	echo "$counts" | sed -n '/^FAIL/p'
	set -- $(echo "$counts" | tail -n 1)
	pass=$((pass + $1)) fail=$((fail + $2))
	echo "selftests on $k: $1 passed, $2 failed"
}

# scripts/tutorial.sh --check: one VM per kernel; each experiment of
# docs/tutorial/ counts, and so does each VM run.
tutorial_on() {
	local log=$LOGS/tutorial-$1.log
	scripts/tutorial.sh --check -k "$1" > "$log" 2>&1
	grep -E '^(FAIL: |    )' "$log"
	pass=$((pass + $(grep -c '^PASS: ' "$log")))
	fail=$((fail + $(grep -c '^FAIL: ' "$log")))
	grep -q '^PASS: tutorial .* [0-9][0-9]-' "$log" ||
		bad "tutorial on $1: no experiment ran (log: $log)"
	echo "tutorial on $1: $(tail -n 1 "$log")"
}

# scripts/reader-stories.sh: one VM per kernel; the stories are shown, each
# counts, and so does the VM run (kernel warnings, timeout).
stories_on() {
	local k=$1 log=$LOGS/stories-$1.log name res
	local cmd="scripts/reader-stories.sh -o build/vm-out/stories-$k"

	# 900 s: the storm-json story alone takes a few minutes under TCG
	if scripts/vm.sh -k "$k" -t 900 -- "$cmd; echo stories exit \$?" > "$log" 2>&1
	then
		ok "vm stories $k"
	else
		bad "vm stories $k (log: $log)"
	fi
	tr -d '\r' < "$log" | sed -n '/^== story /,/^story [^ ]*: /p' |
		grep -v '^story [^ ]*: \|^\[ *[0-9.]*\] ' | sed 's/^/    /'
	while read -r _ name res; do
		if [ "$res" = ok ]; then
			ok "story ${name%:} on $k"
		else
			bad "story ${name%:} on $k: $res"
		fi
	done < <(tr -d '\r' < "$log" | grep '^story [^ ]*: ')
	grep -q '^story ' "$log" || bad "stories on $k: none told (log: $log)"
}

# scripts/chart-check.sh: the charts of the recorded stories and of a
# 10,000-process storm in headless Chromium; each chart counts.
charts() {
	local log=$LOGS/charts.log
	scripts/chart-check.sh > "$log" 2>&1
	grep -E '^FAIL: |^    chart-check: .*(FAIL|rendered)' "$log"
	pass=$((pass + $(grep -c '^PASS: ' "$log")))
	fail=$((fail + $(grep -c '^FAIL: ' "$log")))
	grep -q '^PASS: chart ' "$log" || bad "charts: none checked (log: $log)"
}

# The charts the reader story "chart" made in the VM on kernel $1,
# checked here (Chromium runs on the host): each counts.
vm_charts() {
	local k=$1 dir=$ROOT/build/vm-out/stories-$1 log
	log=$LOGS/charts-$k.log
	set -- "$dir"/chart-*.txt
	if [ ! -f "$1" ]; then
		bad "charts on $k: the VM made none (story chart)"
		return
	fi
	scripts/chart-check.sh -o "build/charts/vm-$k" "$@" > "$log" 2>&1
	grep -E '^FAIL: |^    chart-check: .*(FAIL|rendered)' "$log"
	pass=$((pass + $(grep -c '^PASS: ' "$log")))
	fail=$((fail + $(grep -c '^FAIL: ' "$log")))
}

run_step() {
	case $1 in
	deps)	step "install-deps" sh scripts/install-deps.sh
		step "tools (checkpatch, kselftest headers)" scripts/get-tools.sh
		set_kvers ;;
	build)	for k in $KVERS; do
			step "module W=1 $k" scripts/kmod.sh build "$k"
		done ;;
	pins)	step "no kernel point release named" scripts/check-pins.sh ;;
	checkpatch)
		for f in $(c_files); do
			step "checkpatch $f" checkpatch "$f"
		done ;;
	kernel-doc)
		step "kernel-doc" kernel_doc ;;
	userspace)
		step "userspace build" make -C userspace
		step "userspace test" userspace_test
		step "userspace fuzz-short" make -C userspace fuzz-short ;;
	charts)	charts ;;
	selftests)
		step "selftests build" make -C selftests
		for k in $KVERS; do
			if [ -f "build/kmod/$k/module/lifecycle.ko" ]; then
				selftests_on "$k"
			else
				bad "selftests on $k: no module (build failed?)"
			fi
		done ;;
	tutorial)
		for k in $KVERS; do
			tutorial_on "$k"
		done ;;
	debug)	if [ -z "$DEBUG_KVER" ]; then
			bad "debug: no debug kernel installed (../shared/kernels)"
			return
		fi
		step "module W=1 $DEBUG_KVER" scripts/kmod.sh build "$DEBUG_KVER"
		step "selftests build" make -C selftests
		selftests_on "$DEBUG_KVER" ;;
	dkms)	step "dkms build (6.1, 6.12)" scripts/dkms-check.sh ;;
	deb)	step "deb packages: build, lintian, install/upgrade/remove in VMs (6.1, 6.12)" scripts/deb-check.sh ;;
	systemd)
		step "systemd as PID 1: lifecycle-record.service from boot, journal = files (6.12)" \
			scripts/systemd-check.sh ;;
	validate)
		for k in $KVERS; do
			step "validate against bpftrace on $k" \
				scripts/validate.sh -p "$k"
			sed -n '/^  event /,/RESULT/p' \
				"$LOGS/validate_against_bpftrace_on_$k.log"
		done ;;
	latency)
		if k=$(scripts/kmod.sh default 6.12); then
			step "latency: track pid among 1,000 processes on $k" \
				scripts/latency.sh track "$k"
			sed -n 's/^\(PASS\|FAIL\): /    /p' "$LOGS"/latency_*_on_"$k".log
		else
			bad "latency: no 6.12 kernel"
		fi
		if k=$(scripts/kmod.sh default rt 2> /dev/null); then
			step "latency: cyclictest with and without on $k" \
				scripts/latency.sh rt "$k"
			sed -n 's/^\(PASS\|FAIL\): /    /p' "$LOGS"/latency_*_on_"$k".log
		else
			echo "SKIP: latency on PREEMPT_RT: no 6.12-rt kernel"
		fi ;;
	stories)
		make -s -C userspace > /dev/null 2>&1 ||
			bad "stories: the reader does not build"
		make -s -C bench > /dev/null 2>&1 ||
			bad "stories: bench/ (lcwork) does not build"
		for k in $KVERS; do
			stories_on "$k"
			vm_charts "$k"
		done ;;
	*)	echo "check.sh: unknown step $1" >&2; exit 2 ;;
	esac
}

# The debug kernel's run, in the background: its output and counts go to
# files that main() adds in at the end.
debug_start() {
	if [ "${DEBUG:-}" = 0 ]; then
		echo "SKIP: debug kernel (DEBUG=0)"
		return
	fi
	if [ -z "$DEBUG_KVER" ]; then
		echo "SKIP: debug kernel: none installed (install-deps installs" \
			"it from ../shared/kernels when that is present)"
		return
	fi
	echo "debug kernel $DEBUG_KVER: its selftests run in the background"
	(
		pass=0 fail=0
		run_step debug
		echo "$pass $fail" > "$LOGS/debug.counts"
	) > "$LOGS/debug.out" 2>&1 &
	DEBUG_PID=$!
}

debug_collect() {
	[ -n "${DEBUG_PID:-}" ] || return 0
	wait "$DEBUG_PID"
	echo "== debug kernel $DEBUG_KVER"
	cat "$LOGS/debug.out"
	if [ -s "$LOGS/debug.counts" ]; then
		set -- $(cat "$LOGS/debug.counts")
		pass=$((pass + $1)) fail=$((fail + $2))
	else
		bad "debug kernel: the run ended without counts"
	fi
}

main() {
	local s

	rm -f "$LOGS/debug.counts"
	if [ $# -gt 0 ]; then
		for s in "$@"; do
			run_step "$s"
		done
	else
		run_step deps
		run_step build
		# Built before the background run starts, which uses them.
		make -s -C selftests > /dev/null 2>&1
		debug_start
		for s in pins checkpatch kernel-doc userspace charts selftests \
			stories validate latency dkms tutorial; do
			run_step "$s"
		done
		debug_collect
	fi
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
}

# On one line, so that bash has read it all before editing can matter.
main "$@"; exit
