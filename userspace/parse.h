/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /proc/lifecycle line parser: text in, struct lc_entry out.
 *
 * Numbers are kept as long long; LC_NONE stands for a "-" value (JSON null).
 * Strings are unescaped to their real bytes and NUL-terminated; a string
 * holding a NUL byte (\x00) is rejected, as no comm, path or argv element
 * can contain one.
 */
#ifndef LC_PARSE_H
#define LC_PARSE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <lifecycle.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/*
 * __printf(a, b) and __aligned(x) come from the Makefile, as
 * compiler_attributes.h would
 */

#define LC_NONE		LLONG_MIN
#define LC_PID_MAX	4194304		/* the kernel's PID_MAX_LIMIT */
#define LC_SIG_MAX	64		/* _NSIG on every Linux arch we run on */
#define LC_ERR_LEN	256

struct lc_str {
	bool null;
	char s[LC_FILENAME_LEN + 1];
};

/* argv elements stored back to back, each NUL-terminated */
struct lc_argv {
	bool null;
	int argc;
	size_t len;
	char buf[LC_ARGV_LEN + 1];
};

/*
 * One record.  start_ns is the process's start (its leader's
 * start_boottime), parent_start_ns its real parent's: with the stream's
 * boot id, (boot_id, tgid, start_ns) names one process across pid reuse.
 * The *_start_ns of other processes named by an event, and exit's age_ns,
 * are LC_NONE where unknown (recordings made before they existed).
 */
struct lc_entry {
	long long seq, ts_ns, cpu;
	enum lc_event_type type;
	long long pid, tgid, ppid, uid;
	char comm[LC_COMM_LEN];
	long long start_ns, parent_start_ns;
	const char *boot_id;	/* the stream's (the parser's), or NULL */
	union {
		struct {
			long long creator_pid, creator_tgid, clone_flags;
			long long thread, vfork;
			long long creator_start_ns;
		} fork;
		struct {
			long long old_pid;
			struct lc_str filename;
			long long filename_trunc;
			struct lc_argv argv;
			long long argv_trunc;
		} exec;
		struct {
			long long status, code, signal, core, group_dead;
			long long age_ns;	/* the exiting thread's life */
		} exit;
		struct {
			long long reaper_pid, reaper_tgid;
			const char *how;
			long long zombie_ns;
			long long reaper_start_ns;
		} reap;
		struct {
			long long old_ppid, new_ppid;
			const char *reason;
			long long zombie;
			long long old_parent_start_ns;
		} reparent;
		struct {
			long long signal, ptrace;
		} stop;		/* also cont */
		struct {
			long long signal, sender_pid, sender_tgid;
			const char *result;
			long long group;
			long long sender_start_ns;
		} sig;
		struct {
			long long sid;
		} setsid;
		struct {
			long long pgid, old_pgid;
		} setpgid;
		struct {
			long long from, to;	/* state letters, as chars */
			long long prev_ns;
		} state;
		struct {
			long long count;
		} lost;
	};
};

struct lc_parser {
	const char *src;	/* file name for messages */
	unsigned long lineno;
	bool header_seen;
	bool header_optional;	/* after LC_IOC_TAIL the header may be gone */
	char boot_id[37];	/* the stream header's, as a UUID; "" unknown */
	char err[LC_ERR_LEN];
	char quoted[40 * 4 + 1];	/* scratch for messages */
};

void lc_parser_init(struct lc_parser *p, const char *src, bool header_optional);
/*
 * Parse one line (without or with its trailing newline).  Returns 1 for a
 * record in *r, 0 for the header line, -1 on error with p->err set.
 */
int lc_parse_line(struct lc_parser *p, const char *line, size_t len,
		  struct lc_entry *r);
/*
 * Decode one event of the binary stream (LC_IOC_BINARY) into *r, as
 * lc_parse_line() reads the same record's text line.  Returns 1, or -1
 * on error with p->err set.
 */
int lc_parse_event(struct lc_parser *p, const struct lc_event *ev,
		   size_t len, struct lc_entry *r);
/*
 * the magic and stream header at buf[0..len): the bytes before the first
 * event, 0 if len is too short to tell, or -1 with p->err set
 */
int lc_check_magic(struct lc_parser *p, const char *buf, size_t len);
/* an event size the stream allows; 0, or -1 with p->err set */
int lc_check_event_size(struct lc_parser *p, size_t size);
/* end of input: -1 with p->err set when the header never came */
int lc_parse_end(struct lc_parser *p);

/* *r zeroed, with every start time and age unknown (LC_NONE) */
void lc_entry_init(struct lc_entry *r);
const char *lc_event_name(int type);
int lc_event_lookup(const char *name);

/* lex.c: set p->err and return -1; a token quoted for such a message */
__printf(2, 3) int lc_fail(struct lc_parser *p, const char *fmt, ...);
const char *lc_quote(struct lc_parser *p, const char *v);
/* \xHH-unescape in[0..len) into out (cap bytes incl. NUL); -1 on error */
int lc_unescape(const char *in, size_t len, char *out, size_t cap,
		const char **why);

/* a decimal, or hex with optional 0x, in 0..max: 0, -EINVAL or -ERANGE */
int lc_number(const char *v, long long max, long long *out);
int lc_hex_number(const char *v, long long max, long long *out);
/* one of the task state letters */
bool lc_state_letter(const char *v);

/* iterate argv: for (s = a->buf, i = 0; i < a->argc; s += strlen(s) + 1) */
#endif /* LC_PARSE_H */
