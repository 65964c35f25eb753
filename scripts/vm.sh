#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh - run a command in a throwaway QEMU (TCG) VM on an installed kernel.
#
# The guest's root is the host's root, read-only over 9p under a tmpfs
# overlay, so the project tree is at the same absolute path inside.  The
# guest's /tmp is a tmpfs of its own, unless the project lives under /tmp.
# build/vm-out/ is shared writable at the same path for result files.
# PID 1 is scripts/vm-init.c: it loads the module, runs the command from the
# project directory, reaps every orphan, prints LC-VM-EXIT=<status> and
# powers off.  The console goes to stdout and to build/vm/<pid>.log.
#
# Exit status: the command's, or 124 on timeout, or 1 (at least) if the
# kernel logged a BUG, WARNING, Oops, KASAN/UBSAN or lockdep report, a
# sleeping-in-atomic or a panic, or if the guest never reported a status.
# On a KASAN kernel (the debug kernel) vm-init also fails on kmemleak reports.
set -euo pipefail

usage() {
	cat <<EOF
usage: $0 [options] -- COMMAND...
  -k KVER        kernel (default: the newest Debian 6.12, scripts/kmod.sh
                 default; /boot/vmlinuz-KVER)
  -m MODULE.ko   module to load (default build/kmod/KVER/module/lifecycle.ko)
  -M             load no module
  -p 'PARAMS'    module parameters
  -t SECONDS     timeout (default 300, 1500 on a KASAN kernel, none with -i)
  -s N           vCPUs (default 2)
  --icount       deterministic instruction-counted clock, 1 vCPU
  -i             interactive: COMMAND (default bash) gets the console as tty
  --cpu SPEC     QEMU -cpu (default max; max,la57=off on a KASAN kernel)
  --append STR   extra kernel command line
One COMMAND word is run as shell text (vm.sh -- 'echo hi; exit 3'); several
are quoted and run as one command (vm.sh -- ./prog "an arg").
Quit an interactive VM with Ctrl-A X, or by exiting the shell.
EOF
	exit "${1:-2}"
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KVER=
MODULE= NOMODULE=0 MODPARAMS= TIMEOUT= SMP=2 ICOUNT=0 INTERACTIVE=0
CPU= APPEND=
while [ $# -gt 0 ]; do
	case $1 in
	-k) KVER=$2; shift 2 ;;
	-m) MODULE=$2; shift 2 ;;
	-M) NOMODULE=1; shift ;;
	-p) MODPARAMS=$2; shift 2 ;;
	-t) TIMEOUT=$2; shift 2 ;;
	-s) SMP=$2; shift 2 ;;
	--icount) ICOUNT=1; shift ;;
	-i) INTERACTIVE=1; shift ;;
	--cpu) CPU=$2; shift 2 ;;
	--append) APPEND=$2; shift 2 ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done

fail() { echo "vm.sh: $*" >&2; exit 1; }

[ -n "$KVER" ] || KVER=$("$ROOT/scripts/kmod.sh" default 6.12) || exit 1

KERNEL=/boot/vmlinuz-$KVER
[ -f "$KERNEL" ] || fail "no $KERNEL (scripts/install-deps.sh installs the kernels)"
DEBUG=0
grep -qs '^CONFIG_KASAN=y' "/boot/config-$KVER" && DEBUG=1
if [ "$DEBUG" = 1 ]; then
	# la57=off: KASAN false positive with 5-level paging; acpi=noirq: else
	# ACPI's PCI routing times out; lc.kmemleak: check for leaks at the end.
	CPU=${CPU:-max,la57=off}
	APPEND="acpi=noirq lc.kmemleak $APPEND"
	TIMEOUT=${TIMEOUT:-1500}
fi
CPU=${CPU:-max}
TIMEOUT=${TIMEOUT:-300}

VMDIR=$ROOT/build/vm
OUTDIR=$ROOT/build/vm-out
mkdir -p "$VMDIR" "$OUTDIR"
find "$VMDIR" -name '*.log' -mtime +2 -delete	# old consoles
INITRD=$ROOT/build/initramfs/$KVER.cpio.gz
"$ROOT/scripts/mkinitramfs.sh" "$KVER" "$INITRD"

# The module: it must be on a path the guest sees, so make it absolute.
ARGS="lc.cwd=$ROOT lc.out=$OUTDIR"
if [ "$NOMODULE" = 1 ]; then
	ARGS="$ARGS lc.nomodule"
else
	MODULE=${MODULE:-$ROOT/build/kmod/$KVER/module/lifecycle.ko}
	[ -f "$MODULE" ] || fail "no $MODULE (build it: make modules-all, or pass -m/-M)"
	MODULE=$(realpath "$MODULE")
	ver=$(modinfo -F vermagic "$MODULE" | cut -d' ' -f1)
	[ "$ver" = "$KVER" ] || fail "$MODULE is built for $ver, not $KVER"
	ARGS="$ARGS lc.module=$MODULE lc.rmmod"
	[ -z "$MODPARAMS" ] || ARGS="$ARGS lc.modparams=\"$MODPARAMS\""
fi

# The command, as a script in the project tree: the guest sees the host's
# /tmp only when the project lives there (scripts/vm-init.c).
CMD=$VMDIR/$$.sh
LOG=$VMDIR/$$.log
trap 'rm -f "$CMD"' EXIT
{
	echo "# vm.sh command, run by vm-init as /bin/sh $CMD"
	if [ "$INTERACTIVE" = 1 ]; then
		ARGS="$ARGS lc.interactive"
		size=$(stty size 2>/dev/null || true)
		case $size in
		[1-9]*" "[1-9]*) echo "stty rows ${size% *} cols ${size#* } 2>/dev/null" ;;
		esac
		[ $# -gt 0 ] || set -- bash
	fi
	[ $# -gt 0 ] || usage
	if [ $# -eq 1 ]; then
		printf '%s\n' "$1"
	else
		printf '%q ' "$@"
		echo
	fi
} > "$CMD"

# LC_TCG_THREAD=single runs the vCPUs round-robin in one host thread.
# make check does so: with multi-threaded TCG, a vCPU can still run code
# another vCPU has just patched (text_poke_bp of a tracepoint's static
# branch or a kprobe's ftrace site, as every module load and unload does)
# and die on a stale int3 (seen 3 times in reload-under-storm runs, on
# 6.1, 6.12 and 6.12-rt).  With one TCG thread, code invalidation is
# synchronous for every vCPU.
ACCEL=(-accel "tcg,thread=${LC_TCG_THREAD:-multi}" -smp "$SMP")
[ "$ICOUNT" = 0 ] || ACCEL=(-accel tcg -icount shift=0,sleep=off -smp 1)

# At the timeout, the watchdog has the guest say what it is doing before it
# goes: SysRq q (timers), l (every CPU's backtrace) and w (blocked tasks),
# typed on the emulated keyboard through QEMU's QMP socket.  timeout(1) is
# the backstop; it runs qemu in its own process group, off the tty.
QMP=$VMDIR/$$.qmp
TIMEDOUT=$VMDIR/$$.timedout
trap 'rm -f "$CMD" "$QMP" "$TIMEDOUT"; [ -z "${WATCHDOG:-}" ] || kill "$WATCHDOG" 2>/dev/null' EXIT
watchdog() {
	sleep "$TIMEOUT" &
	trap 'kill $! 2>/dev/null; exit 0' TERM
	wait $!
	: > "$TIMEDOUT"
	python3 - "$QMP" <<'PY' >/dev/null 2>&1
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rw")
def cmd(execute, **args):
    f.write(json.dumps({"execute": execute, "arguments": args}) + "\n")
    f.flush()
f.readline()
cmd("qmp_capabilities")
for key in "qlw":
    cmd("human-monitor-command", **{"command-line": "sendkey alt-sysrq-" + key})
    time.sleep(5)
cmd("quit")
time.sleep(2)
PY
}
RUN=(timeout -k 10 $((TIMEOUT + 60)))
WATCHDOG=
if [ "$INTERACTIVE" = 0 ]; then
	watchdog </dev/null >/dev/null 2>&1 &
	WATCHDOG=$!
else
	RUN=()
fi
set +e
"${RUN[@]}" qemu-system-x86_64 "${ACCEL[@]}" -cpu "$CPU" -m 2048 \
	-kernel "$KERNEL" -initrd "$INITRD" \
	-append "console=ttyS0 quiet printk.time=1 panic=-1 sysrq_always_enabled lc.cmd=$CMD $ARGS $APPEND" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$OUTDIR",mount_tag=lcout,security_model=none,multidevs=remap \
	-qmp unix:"$QMP",server=on,wait=off \
	-bios qboot.rom -nographic -no-reboot -net none -vga none 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
if [ -n "$WATCHDOG" ]; then
	kill "$WATCHDOG" 2>/dev/null || true
	wait "$WATCHDOG" 2>/dev/null || true
	WATCHDOG=
fi

if [ -e "$TIMEDOUT" ] || [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "vm.sh: FAIL: TIMEOUT: the guest did not finish within ${TIMEOUT}s (log: $LOG)" >&2
	exit 124
fi
# Kernel lines only (they carry a printk timestamp), so tests may print these words.
BAD='BUG:|WARNING:|Oops|KASAN|UBSAN|general protection fault|possible circular locking|inconsistent lock state|possible recursive locking|INFO: suspicious RCU usage|sleeping function called from invalid context|Kernel panic'
bad=$(tr -d '\r' < "$LOG" | grep -E "\[ *[0-9]+\.[0-9]+\].*($BAD)" | head -n 5 || true)
status=$(tr -d '\r' < "$LOG" | sed -n 's/^LC-VM-EXIT=\([0-9]*\)$/\1/p' | tail -n 1)
if [ -n "$bad" ]; then
	printf 'vm.sh: FAIL: the kernel reported (log: %s):\n%s\n' "$LOG" "$bad" >&2
	[ "${status:-0}" != 0 ] && exit "$status"
	exit 1
fi
[ -n "$status" ] || fail "FAIL: the guest reported no LC-VM-EXIT status (qemu exit $rc, log: $LOG)"
exit "$status"
