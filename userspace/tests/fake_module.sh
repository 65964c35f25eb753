#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fake_module.sh FIFO - run as "lifecycle run -i FIFO -- fake_module.sh FIFO":
# plays the module, writing the records of its own life ($$), of a child
# that escapes to the subreaper (lifecycle, $PPID) and of an unrelated
# process, then exits 2.
fifo=$1
p=$$
{
echo "lifecycle 1"
echo "1 1000000 0 fork $p $p $PPID 0 lifecycle creator_pid=$PPID creator_tgid=$PPID clone_flags=0x1200011 thread=0 vfork=0"
echo "2 2000000 0 exec $p $p $PPID 0 sh old_pid=$p filename=/bin/sh filename_trunc=0 argv=sh,fake_module.sh argv_trunc=0"
echo "3 3000000 0 fork 99999 99999 $p 0 sh creator_pid=$p creator_tgid=$p clone_flags=0x1200011 thread=0 vfork=0"
echo "4 3500000 0 fork 88888 88888 4 0 other creator_pid=4 creator_tgid=4 clone_flags=0x1200011 thread=0 vfork=0"
echo "5 4000000 0 exit $p $p $PPID 0 sh status=512 code=2 signal=- core=0 group_dead=1"
echo "6 4100000 0 reparent 99999 99999 $PPID 0 sleep old_ppid=$p new_ppid=$PPID reason=subreaper zombie=0"
echo "7 5000000 0 reap $p $p $PPID 0 sh reaper_pid=$PPID reaper_tgid=$PPID how=wait zombie_ns=1000000"
sleep 0.5
echo "8 6000000 0 exit 99999 99999 $PPID 0 sleep status=9 code=- signal=9 core=0 group_dead=1"
echo "9 6100000 0 reap 99999 99999 $PPID 0 sleep reaper_pid=$PPID reaper_tgid=$PPID how=wait zombie_ns=100000"
} >"$fifo"
exit 2
