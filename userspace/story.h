/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "lifecycle story PID": one process's whole life.  Internal to
 * story.c (the command), storydb.c (what the records and the lineage
 * table say about every process) and storyout.c, storyjson.c (the story
 * in words and as JSON).
 *
 * A process is one incarnation of a pid: its key is PID@START, START its
 * start_ns (the lineage table's birth_ns), or, in recordings made before
 * records carried start_ns, its fork record's ts.
 */
#ifndef LC_STORY_H
#define LC_STORY_H

#include <stdbool.h>
#include "lineage.h"
#include "log.h"
#include "parse.h"
#include "pidmap.h"

#define SP_NONE		(-1)	/* no process (index) */

/* one process (one incarnation of a pid), as far as it is known */
struct sproc {
	int tgid;
	int creator_pid, creator_tgid;	/* -1: unknown */
	int parent;		/* its real parent's tgid at birth, or -1 */
	int creator;		/* index of the creator's sproc, or SP_NONE */
	int parent_sp;		/* and the real parent's */
	long long start;	/* start_ns, or LC_NONE */
	long long fork_ts;	/* its fork record's ts, or LC_NONE */
	long long first_ts;	/* the first record that named it */
	long long clone_flags;	/* LC_NONE: unknown */
	long long exit_ts, status, code, signal, core, age_ns;
	long long reap_ts, zombie_ns;
	int reaper_tgid, reaper;	/* -1 / SP_NONE: unknown */
	const char *how;
	int nadopt;		/* adoptions */
	int adopter;		/* the last adopter's sproc, or SP_NONE */
	bool vfork, exited, reaped, desc;	/* desc: -f's descendant */
	bool in_log, in_lineage;
	char state;		/* the lineage table's letter, or 0 */
	char comm[LC_COMM_LEN];
};

/* a record kept for the story, and whom it is about */
struct skept {
	int sp;			/* the sproc it is about, SP_NONE: lost */
	int other;		/* the adopter, reaper, sender or receiver */
	bool sent;		/* a signal that sp sent */
};

struct story_db {
	struct sproc *v;
	size_t n, cap;
	struct pidmap cur;	/* tgid -> idx: its newest sproc */
	long long target;	/* the pid whose records are kept */
	struct lc_log recs;	/* kept: about target or sent by it, lost */
	struct skept *kept;
	size_t kept_cap;
	bool oom;
};

/* storydb.c */
void sdb_init(struct story_db *db, long long target);
void sdb_free(struct story_db *db);
/*
 * take one record in (in log order): the table of processes, and the
 * record kept when it is about the target pid.  Returns the sproc the
 * record is about (SP_NONE for lost), or -2 when out of memory.
 */
int sdb_add(struct story_db *db, const struct lc_entry *r);
/* what the lineage table adds (a live story); 0, or -1 out of memory */
int sdb_merge_lineage(struct story_db *db, const struct lineage *l);
/* the birth time that orders processes (LLONG_MIN: before the log) */
long long sp_birth(const struct sproc *p);
/* START of the key PID@START, or LC_NONE when nothing tells it */
long long sp_key_start(const struct sproc *p);
/* "PID@START" or "PID@-" into buf; returns buf */
const char *sp_key(const struct sproc *p, char *buf, size_t len);
/* the sprocs of tgid, oldest first, into a malloc'ed array; n in *n */
int *sdb_incarnations(const struct story_db *db, long long tgid, size_t *n);
/* the process's life: exit's age_ns, or exit - start; LC_NONE unknown */
long long sp_lifetime(const struct sproc *p);
/* its exit code or killing signal (the other LC_NONE), and core dumped */
void sp_status(const struct sproc *p, long long *code, long long *sig,
	       bool *core);

/* the descendants of root by creation, depth first, in birth order */
struct sdesc {
	int sp, depth;
};

/* malloc'ed, *n of them; NULL with *n 0 when none, or out of memory */
struct sdesc *sdb_descendants(struct story_db *db, int root, size_t *n);

/* what story.c hands the writers */
struct story {
	const struct story_db *db;
	int sp;			/* the chosen process */
	const int *inc;		/* every incarnation of its pid */
	size_t ninc;
	struct sdesc *desc;
	size_t ndesc;
	bool live;		/* the lineage table was read */
	bool utf8;
};

/* storyout.c: the story in words */
void story_text(const struct story *st);
/* storyjson.c: the story as one JSON object on one line */
void story_json(const struct story *st);

#endif /* LC_STORY_H */
