/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line, shared by the commands.
 */
#ifndef LC_CLI_H
#define LC_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "filter.h"

#define LC_PROC_PATH	"/proc/lifecycle"
#define LC_DEBUGFS_DIR	"/sys/kernel/debug/lifecycle"

struct opts {
	const char *input;	/* -i, or NULL for the default source */
	bool follow;		/* -f */
	bool tail;		/* --new */
	bool json;
	bool raw;		/* -r: the binary stream to stdout */
	bool strict;		/* --strict: stop at the first damaged spot */
	bool wall;		/* -T: wall-clock time */
	int color_when;		/* --color: COLOR_AUTO, _ALWAYS, _NEVER */
	bool color;		/* colours: --color, or a tty and no NO_COLOR */
	bool utf8;		/* stdout is a tty and the locale is UTF-8 */
	long long timeout_ms;	/* run -t, or -1 */
	long long root;		/* tree PID or story PID, or -1 */
	long long key_start;	/* story PID@START: START, when has_key */
	bool has_key;
	bool tree_args;		/* tree -a: the argv of the last exec */
	bool tree_groups;	/* tree -g: sid and pgid */
	bool tree_alive;	/* tree --alive: the living and their ancestors */
	char **cmd;		/* run: the command and its arguments */
	struct filter filter;
	const char *rotate_dir;	/* --rotate DIR (implies -r) */
	unsigned long long max_bytes;	/* --max-bytes, or 0: the default */
	unsigned long max_files;	/* --max-files, or 0: the default */
	bool journal;		/* --journal */
	const char *output;	/* -o FILE: chart, --perfetto, --dot */
	bool perfetto;		/* --perfetto */
	bool dot;		/* tree --dot */
};

/*
 * sysio.c: the stop signals, delivered only while waiting (ppoll); the
 * followers' nap after records, which batches their wakeups
 */
#define LC_NAP_MS	20
void lc_nap(const sigset_t *wait_mask);
void lc_catch(const int *sigs, size_t n, void (*fn)(int), sigset_t *old,
	      sigset_t *wait_mask);
int lc_write_all(int fd, const char *buf, size_t len);

/* the recorders' long options (rotate.c, journal.c) */
enum lc_record_opt {
	OPT_ROTATE = 0x100,
	OPT_MAX_BYTES,
	OPT_MAX_FILES,
	OPT_JOURNAL,
	OPT_PERFETTO,
	OPT_DOT,
};

/* --rotate's defaults: 8 files of 16 MiB */
#define ROT_DEF_BYTES	(16ULL << 20)
#define ROT_DEF_FILES	8

enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* the errno of the first failed write, and whether it was reported */
extern int out_errno;
extern bool out_reported;
/* standard output failed: say so once; returns 1 (for an exit status) */
int out_failed(void);
/* whether standard output has failed so far (an error is kept) */
bool out_error(void);

/*
 * Standard output for the records of the hot paths (JSON lines): a
 * buffer written with write(2) when full and by lc_out_flush(), which
 * first flushes stdio.  Nothing goes to stdout through stdio while it
 * holds bytes.  After a failed write (out_errno) its bytes are dropped.
 */
#define LC_OUT_BUF	(64 * 1024)
struct lc_out {
	size_t len;
	char buf[LC_OUT_BUF];
};
extern struct lc_out lc_out;
/* 0, or -1 with out_errno set */
int lc_out_flush(void);

/* where n bytes (at most LC_OUT_BUF) can be written */
static inline char *lc_out_room(size_t n)
{
	if (LC_OUT_BUF - lc_out.len < n)
		lc_out_flush();
	return lc_out.buf + lc_out.len;
}

/* the bytes up to end were written */
static inline void lc_out_done(char *end)
{
	lc_out.len = end - lc_out.buf;
}

int cmd_log(struct opts *o);
int cmd_follow(struct opts *o);
int cmd_run(struct opts *o);
int cmd_tree(struct opts *o);
int cmd_stats(struct opts *o);
int cmd_summary(struct opts *o);
int cmd_story(struct opts *o);
int cmd_chart(struct opts *o);
int cmd_raw(struct opts *o);
/* rotate.c and journal.c */
int record_opt(struct opts *o, int c, const char *arg);
int cmd_rotate(struct opts *o);
int cmd_journal(struct opts *o);
bool rotate_is_dir(const char *path);
struct stream;
int rotate_read_dir(struct stream *s, const char *dir, bool strict,
		    int (*fn)(void *ctx, const struct lc_entry *r), void *ctx);

#endif /* LC_CLI_H */
