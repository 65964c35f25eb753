/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An open-addressing hash of pids to what a reader remembers
 * about them.  Entries are never removed; users clear their flags instead.
 */
#ifndef LC_PIDMAP_H
#define LC_PIDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <lifecycle.h>

struct pid_info {
	long long pid;
	bool used;
	unsigned int flags;	/* owner-defined */
	long long parent;	/* tgid of the parent at fork, or -1 */
	long idx;		/* owner-defined record index */
	long long start;	/* owner-defined start time, or -1 */
	char comm[LC_COMM_LEN];
};

struct pidmap {
	struct pid_info *v;
	size_t cap, n;
	struct pid_info *last;	/* the entry pidmap_add() returned last */
};

/* NULL when absent */
struct pid_info *pidmap_get(const struct pidmap *m, long long pid);
/*
 * existing or new zeroed entry (parent, idx and start -1); NULL when out
 * of memory
 */
struct pid_info *pidmap_add(struct pidmap *m, long long pid);
void pidmap_free(struct pidmap *m);
/* keep only the entries keep() says yes to; 0, or -1 when out of memory */
int pidmap_prune(struct pidmap *m,
		 bool (*keep)(const struct pid_info *e, const void *arg),
		 const void *arg);

#endif /* LC_PIDMAP_H */
