/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lifecycle.h - the one interface shared by lifecycle.ko and its readers.
 *
 * /proc/lifecycle is a text stream, modelled on /dev/kmsg.  Every open file
 * has its own cursor.  The first line of every open is the format header:
 *
 *   lifecycle 1 boot_id=6f1c0e1a-5c1e-4f43-9b0e-2b8a3f6d2c11
 *
 * the format version, then key=value pairs (readers ignore keys they do
 * not know): boot_id is /proc/sys/kernel/random/boot_id, or "-" when the
 * module could not read it.  (boot_id, tgid, start_ns) names one process
 * across pid reuse and across recordings.
 *
 * Every following line is one record, fields separated by one space:
 *
 *   seq  ts_ns        cpu event  pid  tgid ppid uid  comm    details...
 *   |    |            |   |      |    |    |    |    |       |
 *   1042 53012881230  1   exit   4170 4170 4169 0    sleep   status=768 code=3 ...
 *   |    |            |   |      |    |    |    |    |       key=value pairs,
 *   |    |            |   |      |    |    |    |    |       order fixed per
 *   |    |            |   |      |    |    |    |    |       event (below)
 *   |    |            |   |      |    |    |    |    +-- comm, escaped;
 *   |    |            |   |      |    |    |    |            "-" if empty
 *   |    |            |   |      |    |    |    +------- uid (init user ns)
 *   |    |            |   |      |    |    +------------ real parent's tgid
 *   |    |            |   |      |    +----------------- process id
 *   |    |            |   |      +---------------------- thread id
 *   |    |            |   +----------------------------- event name
 *   |    |            +--------------------------------- CPU
 *   |    +---------------------------------------------- ns since boot
 *   +--------------------------------------------------- sequence number
 *
 * Pids are those of the pid namespace of the procfs instance the file was
 * opened through.  Strings (comm and string values) escape every byte
 * outside 0x21..0x7e, and '\' and ',', as \xHH.  A value of "-" means
 * "none" (JSON null).  Details per event, in this order:
 *
 *   fork      creator_pid creator_tgid clone_flags(hex) thread vfork
 *   exec      old_pid filename filename_trunc argv(escaped, comma-joined)
 *             argv_trunc
 *   exit      status code signal core group_dead
 *   reap      reaper_pid reaper_tgid how zombie_ns
 *   reparent  old_ppid new_ppid reason zombie
 *   stop      signal ptrace
 *   cont      signal ptrace
 *   signal    signal sender_pid sender_tgid result group
 *   setsid    sid
 *   setpgid   pgid old_pgid
 *   state     from to prev_ns
 *   lost      count
 *
 * then, on every record, the process identities (added in lifecycle 1 as
 * keys at the end; absent from older recordings):
 *
 *   start_ns parent_start_ns [fork: creator_start_ns]  [exit: age_ns]
 *   [reap: reaper_start_ns]  [reparent: old_parent_start_ns]
 *   [signal: sender_start_ns]
 *
 * start_ns is the process's start: its leader's start_boottime, in ns
 * since boot like ts (/proc/PID/stat's starttime is start_ns / (1e9 /
 * USER_HZ)).  parent_start_ns is the start of the process named by ppid,
 * creator_start_ns the creator's, reaper_start_ns the reaper's (the
 * process itself when autoreaped), old_parent_start_ns that of the parent
 * it lost (new_ppid is ppid), sender_start_ns the sender's.  age_ns is
 * the exiting thread's life: ts minus its own start.  "-" where the kernel
 * did not have the process at hand (a lost record, a reap seen only when
 * the task was freed).
 *
 * Booleans are 0 or 1.  Readers must ignore keys they do not know; keys are
 * only ever added at the end.  A "lost" record is synthesised for a reader
 * the writer overtook: its seq is the first lost record's and the next
 * record's seq is seq + count.  lost has pid, tgid, ppid and uid 0 and
 * comm "-".
 *
 * ioctls on an open /proc/lifecycle:
 *   LC_IOC_FOLLOW  reads block at the end of the log instead of returning 0
 *                  (unless the file is O_NONBLOCK: then -EAGAIN).
 *   LC_IOC_TAIL    move the cursor to the end: only new records follow.
 *   LC_IOC_BINARY  before the first read(): records come as struct
 *                  lc_event instead of text lines (below); EBUSY after.
 * poll() reports EPOLLIN when a record is ready, and EPOLLERR|EPOLLPRI as
 * well when the reader was overtaken.  lseek() (SEEK_CUR back, or SEEK_SET)
 * may move back within the bytes the last read() returned, which are then
 * read again (head and tail do this); any other seek fails with ESPIPE.
 * A binary stream keeps nothing to read again: it seeks nowhere but where
 * it is (its readers never seek, and the copy would cost every record).
 *
 * The binary stream: LC_BIN_MAGIC (8 bytes) and struct lc_stream_header
 * (in place of the header line), then one struct lc_event per record,
 * each ev.size bytes: a multiple of 8, at least LC_EVENT_SMALL_SIZE and
 * at most LC_LINE_MAX (exec events carry only the string bytes they use).
 * Streams recorded before the header existed start with LC_BIN_MAGIC_V1
 * and no header.  Each event's struct lc_event_ids (the start times
 * above) follows its payload, at lc_event_ids_offset(); an event whose
 * size does not cover it has none (recorded before it existed).  The same records,
 * in the same order, with the same pids and visibility as the text; the
 * formatting is left to the reader.  Strings are raw bytes, not escaped:
 * comm is NUL-padded, exec.str holds filename_len bytes of filename then
 * argv_len bytes of NUL-separated argv.  exit.status is the wait status;
 * code, signal and core are derived from it as in the text.  New fields
 * only ever go at the end and make size larger: use size to step to the
 * next event, and fields only when size covers them.
 *
 * The mapped log: a reader that sees every record as the log holds it (an
 * admin, see perms, opened through the initial pid namespace's procfs)
 * may mmap() the file read-only (MAP_SHARED), from offset 0.  The first
 * page is struct lc_ring_ctl; the slot of record seq starts at
 * data_offset + (seq & (nslots - 1)) * slot_size and holds that record as
 * the binary stream's struct lc_event, ev.size bytes.  The module writes a
 * slot's seq last, with 0 there while it writes the rest, and publishes
 * head after it.  A reader takes seq S, for S below head, by reading the
 * slot's seq (acquire), copying ev.size bytes (at most slot_size), and
 * reading the slot's seq again: the copy holds record S only when both
 * reads give S.  Otherwise the writer has overwritten it: the reader
 * resumes at head - nslots + 1 (at least S + 1), and the records it
 * skipped are lost.  Records below first were cleared, not lost.  Any
 * other mapping is refused: -EACCES for another reader (it keeps read()),
 * -EPERM for a writable or executable one (a writable MAP_SHARED one of
 * the read-only file fails before, with -EACCES), -EINVAL for one past
 * the end.  dying becomes 1 when the module starts to unload: a mapped
 * reader ends there, as read() then returns 0.  The mapping stays valid
 * (and unchanging) until unmapped.
 *
 * LC_IOC_CURSOR tells the file where a mapped reader is, so that poll()
 * and the stats (lost, behind) count from there (-EPERM for a reader that
 * may not map): seq is the next record
 * it will take (no earlier than the file's cursor and at most head), lost
 * the records it lost since the last call; -EINVAL otherwise.  seq 0
 * moves nothing and reads the file's cursor back into seq (the start: the
 * oldest record, or head after LC_IOC_TAIL).
 */
#ifndef _LIFECYCLE_H
#define _LIFECYCLE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define LC_FORMAT_VERSION	1
/* the version, and the boot id as /proc shows it, or "-" */
#define LC_HEADER_FMT		"lifecycle %d boot_id=%s\n"
#ifdef __KERNEL__
#define LC_HEADER_FMT_ID	"lifecycle %d boot_id=%pUb\n"
#endif

#define LC_IOC_MAGIC		'L'
#define LC_IOC_FOLLOW		_IO(LC_IOC_MAGIC, 1)
#define LC_IOC_TAIL		_IO(LC_IOC_MAGIC, 2)
#define LC_IOC_BINARY		_IO(LC_IOC_MAGIC, 3)
#define LC_IOC_CURSOR		_IOWR(LC_IOC_MAGIC, 4, struct lc_cursor)
#define LC_IOC_WAKEUP		_IOW(LC_IOC_MAGIC, 5, struct lc_wakeup)

/*
 * The first 8 bytes of a binary stream: v2 is followed by struct
 * lc_stream_header, v1 (older recordings) directly by events.
 */
#define LC_BIN_MAGIC		"\177lcbin2\n"
#define LC_BIN_MAGIC_V1		"\177lcbin1\n"
#define LC_BIN_MAGIC_LEN	8

/* After LC_BIN_MAGIC: size says how many bytes, this struct or larger. */
struct lc_stream_header {
	__u16 size;		/* bytes of this header, a multiple of 8 */
	__u16 reserved;		/* 0 */
	__u32 flags;		/* bit 0: boot_id is known */
	__u8 boot_id[16];	/* /proc/sys/kernel/random/boot_id, raw */
};

#define LC_STREAM_BOOT_ID	0x1
/* LC_BIN_MAGIC and the header: what comes before the first event */
#define LC_BIN_PROLOGUE_LEN	(LC_BIN_MAGIC_LEN + sizeof(struct lc_stream_header))

/* Page 0 of the mapped log: see "The mapped log" above. */
struct lc_ring_ctl {
	__u32 magic;		/* LC_RING_MAGIC */
	__u16 size;		/* bytes of this struct; fields only get added */
	__u16 slot_size;	/* bytes from one slot to the next, 8-aligned */
	__u32 data_offset;	/* where slot 0 starts, a page boundary */
	__u32 nslots;		/* log_size, a power of two */
	__u64 head;		/* the seq the next record gets */
	__u64 first;		/* the oldest seq kept by a clear */
	__u32 dying;		/* 1 once the module is unloading */
	__u32 reserved;		/* 0 */
};

#define LC_RING_MAGIC		0x6e72636cU	/* "lcrn" in memory */

/* LC_IOC_CURSOR's argument. */
struct lc_cursor {
	__u64 seq;
	__u64 lost;
};

/*
 * LC_IOC_WAKEUP's argument: poll() on the file says readable once the
 * log holds that many records past its cursor, or once the first of them
 * has waited up to ms (a timer shared by the batched files, of the
 * shortest ms among them); records at most log_size / 2, ms at most
 * LC_WAKEUP_MS_MAX; 0 and 0 restore the default, readable at the first
 * record.  Only before the file's first poll(): -EBUSY after; only for a
 * reader that may map the log: -EPERM for others.  A blocking read()
 * still returns at the first record.
 */
struct lc_wakeup {
	__u32 records;
	__u32 ms;
};

#define LC_WAKEUP_MS_MAX	10000

/* The longest line the module writes, newline included. */
#define LC_LINE_MAX		2048

#define LC_COMM_LEN		16
#define LC_FILENAME_LEN		96
#define LC_ARGV_LEN		160

/*
 * Adding an event: every place below switches on this enum without a
 * default, so the build fails until each handles the new value:
 *   module/format.c    lc_fmt_details(): the text line's details
 *   module/trace.c     lc_trace_record(): lifecycle's own trace events
 *   userspace/binary.c the binary stream's payload, back to a record
 *   userspace/json.c   the JSON object's keys
 *   userspace/journal.c the journal entry's LIFECYCLE_* fields
 * and these tables must gain a name: LC_EVENT_NAMES (below), the module's
 * counter names (module/stats.c, a static_assert checks), and the trace
 * event (module/trace.h); a payload type goes in LC_EVENT_PAYLOADS.
 */
enum lc_event_type {
	LC_EV_FORK,
	LC_EV_EXEC,
	LC_EV_EXIT,
	LC_EV_REAP,
	LC_EV_REPARENT,
	LC_EV_STOP,
	LC_EV_CONT,
	LC_EV_SIGNAL,
	LC_EV_SETSID,
	LC_EV_SETPGID,
	LC_EV_STATE,
	LC_EV_LOST,
	LC_EV_COUNT,
};

#define LC_EVENT_NAMES {			\
	[LC_EV_FORK] = "fork",			\
	[LC_EV_EXEC] = "exec",			\
	[LC_EV_EXIT] = "exit",			\
	[LC_EV_REAP] = "reap",			\
	[LC_EV_REPARENT] = "reparent",		\
	[LC_EV_STOP] = "stop",			\
	[LC_EV_CONT] = "cont",			\
	[LC_EV_SIGNAL] = "signal",		\
	[LC_EV_SETSID] = "setsid",		\
	[LC_EV_SETPGID] = "setpgid",		\
	[LC_EV_STATE] = "state",		\
	[LC_EV_LOST] = "lost",			\
}

/* reap "how" values */
enum lc_reap_how {
	LC_REAP_WAIT,		/* the real parent collected it through wait */
	LC_REAP_AUTOREAP,	/* nobody: SIGCHLD ignored or SA_NOCLDWAIT */
	LC_REAP_PTRACE,		/* its tracer, on detach */
	LC_REAP_OTHER,		/* any other task */
	LC_REAP_UNKNOWN,	/* the reap hook was unavailable */
};

#define LC_REAP_NAMES {				\
	[LC_REAP_WAIT] = "wait",		\
	[LC_REAP_AUTOREAP] = "autoreap",	\
	[LC_REAP_PTRACE] = "ptrace",		\
	[LC_REAP_OTHER] = "other",		\
	[LC_REAP_UNKNOWN] = "unknown",		\
}

/* reparent "reason" values */
enum lc_reparent_reason {
	LC_REPARENT_INIT,	/* the init (child_reaper) of its pid ns */
	LC_REPARENT_SUBREAPER,	/* an ancestor with PR_SET_CHILD_SUBREAPER */
};

#define LC_REPARENT_NAMES {			\
	[LC_REPARENT_INIT] = "init",		\
	[LC_REPARENT_SUBREAPER] = "subreaper",	\
}

/* signal "result" values: the kernel's TRACE_SIGNAL_* order */
#define LC_SIGRESULT_NAMES {						\
	"delivered", "ignored", "pending", "overflow", "lose_info",	\
}

/*
 * The payload of each event, one struct per event.  The binary stream's
 * struct lc_event and the module's own record (module/lc.h) both hold
 * LC_EVENT_PAYLOADS, the union of exactly these types, so a record is
 * encoded as its header plus one copy of its payload.
 */
struct lc_fork_info {
	__s32 creator_pid;
	__s32 creator_tgid;
	__u64 clone_flags;
	__u8 thread;
	__u8 vfork;
};

struct lc_exec_info {
	__s32 old_pid;
	__u16 filename_len;	/* < LC_FILENAME_LEN, no NUL */
	__u16 argv_len;
	__u8 filename_trunc;
	__u8 argv_trunc;
	char str[LC_FILENAME_LEN + LC_ARGV_LEN];	/* filename, then argv */
};

struct lc_exit_info {
	__s32 status;		/* the wait status */
	__u8 group_dead;
	__u64 age_ns;		/* valid only with struct lc_event_ids */
};

struct lc_reap_info {
	__s32 reaper_pid;
	__s32 reaper_tgid;
	__u64 zombie_ns;
	__u8 how;		/* enum lc_reap_how */
};

struct lc_reparent_info {
	__s32 old_ppid;
	__s32 new_ppid;
	__u8 reason;		/* enum lc_reparent_reason */
	__u8 zombie;
};

struct lc_stop_info {		/* stop and cont */
	__s32 signal;
	__u8 ptrace;
};

struct lc_signal_info {
	__s32 signal;
	__s32 sender_pid;
	__s32 sender_tgid;
	__u8 result;		/* index into LC_SIGRESULT_NAMES */
	__u8 group;
};

struct lc_setsid_info {
	__s32 sid;
};

struct lc_setpgid_info {
	__s32 pgid;
	__s32 old_pgid;
};

struct lc_state_info {
	__u64 prev_ns;
	char from;		/* task state letters */
	char to;
};

struct lc_lost_info {
	__u64 count;
};

/* Every payload type: the union in struct lc_event and in the module's record. */
#define LC_EVENT_PAYLOADS					\
	union {							\
		struct lc_fork_info fork;			\
		struct lc_exec_info exec;			\
		struct lc_exit_info exit;			\
		struct lc_reap_info reap;			\
		struct lc_reparent_info reparent;		\
		struct lc_stop_info stop;	/* also cont */	\
		struct lc_signal_info signal;			\
		struct lc_setsid_info setsid;			\
		struct lc_setpgid_info setpgid;			\
		struct lc_state_info state;			\
		struct lc_lost_info lost;			\
	}

/* One record in a binary stream; no implicit padding before the union. */
struct lc_event {
	__u16 size;		/* bytes of this event, a multiple of 8 */
	__u8 type;		/* enum lc_event_type */
	__u8 reserved;		/* 0 */
	__u32 cpu;
	__u64 seq;
	__u64 ts;		/* ns since boot */
	__s32 pid;
	__s32 tgid;
	__s32 ppid;
	__u32 uid;
	char comm[LC_COMM_LEN];	/* NUL-padded; all zero in a lost event */

	LC_EVENT_PAYLOADS;	/* fork, exec, ...: by type */
};

/*
 * Every event's process identities, after its payload: ns since boot, 0
 * for unknown ("-" in the text).  peer_start_ns is the start of the
 * process the event names besides the subject and its parent: fork's
 * creator, reap's reaper, reparent's old parent, signal's sender.
 */
struct lc_event_ids {
	__u64 start_ns;
	__u64 parent_start_ns;
	__u64 peer_start_ns;
};

/* Bytes of every event but exec: the header, the largest small member, ids. */
#define LC_EVENT_HEADER_SIZE	56
#define LC_EVENT_PAYLOAD_SIZE	24
/* the smallest event a reader accepts: no ids (older recordings) */
#define LC_EVENT_MIN_SIZE	(LC_EVENT_HEADER_SIZE + LC_EVENT_PAYLOAD_SIZE)
#define LC_EVENT_SMALL_SIZE	(LC_EVENT_HEADER_SIZE + LC_EVENT_PAYLOAD_SIZE + \
				 sizeof(struct lc_event_ids))

/* Where @ev's struct lc_event_ids starts (it is there if ev->size covers it). */
static inline __u32 lc_event_ids_offset(const struct lc_event *ev)
{
	__u32 n = LC_EVENT_PAYLOAD_SIZE;

	if (ev->type == LC_EV_EXEC)
		n = __builtin_offsetof(struct lc_exec_info, str) +
		    ev->exec.filename_len + ev->exec.argv_len;
	n = LC_EVENT_HEADER_SIZE + n;
	n = (n + 7) & ~7u;
	return n < LC_EVENT_HEADER_SIZE + LC_EVENT_PAYLOAD_SIZE ?
	       LC_EVENT_HEADER_SIZE + LC_EVENT_PAYLOAD_SIZE : n;
}

#endif /* _LIFECYCLE_H */
