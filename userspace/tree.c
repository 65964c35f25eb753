// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle tree [PID]": the lineage table as a process tree.
 *
 * A process hangs under its current parent.  When that is not its creator
 * it says "(born of X)", and under the creator a note says where it went:
 * "adopted away -> Y".  Dead (reaped) and zombie processes are marked.
 *
 * The table is the module's (debugfs), a saved copy of it (-i), or one
 * rebuilt from a log's records (-i LOG: see lineage_log.c).  -a adds the
 * argv of each process's last exec, -g its session and process group
 * (live: from the log, and /proc/PID/stat for the living), --alive keeps
 * only the living and the ancestors that hold them, --only PID draws PID
 * alone.
 *
 * Every process is drawn, at any depth: the walk keeps its own stack, and
 * past TREE_INDENT levels the indentation shows only the last TREE_INDENT
 * of them after a "[+N]" marker that counts the hidden ones.  The tables
 * are arrays of 32-bit indices sorted for binary search: with the 88-byte
 * nodes, about 110 bytes a process.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "dot.h"
#include "input.h"
#include "jsonw.h"
#include "lineage.h"
#include "log.h"

#define TREE_INDENT	32	/* levels of indentation drawn */
#define NONE		UINT32_MAX

struct glyphs {
	const char *tee, *last, *bar, *gap, *arrow;
};

static const struct glyphs utf8_glyphs = {
	"\u251c\u2500\u2500 ", "\u2514\u2500\u2500 ", "\u2502   ", "    ",
	"\u2192",
};

static const struct glyphs ascii_glyphs = {
	"|-- ", "`-- ", "|   ", "    ", "->",
};

static bool adopted(const struct lin_node *e)
{
	return e->creator_tgid >= 0 && e->creator_tgid != e->parent &&
	       e->creator_tgid != e->tgid;
}

static bool alive(const struct lin_node *e)
{
	return e->state != 'Z' && e->state != 'X';
}

static void print_comm(const char *s)
{
	for (; *s; s++)
		if (*s >= 0x20 && *s < 0x7f)
			putchar(*s);
		else
			printf("\\x%02x", (unsigned char)*s);
}

static void print_end(const struct lin_node *e)
{
	int st = e->status;

	if (e->state == 'Z')
		printf(" [zombie");
	else if (e->state == 'X')
		printf(" [dead");
	else
		return;
	if (st < 0)
		printf("]");
	else if (st & 0x7f)
		printf(", signal %d]", st & 0x7f);
	else
		printf(", exit %d]", (st >> 8) & 0xff);
}

enum { BY_PARENT, BY_CREATOR, BY_TGID, NORDERS };

struct tree {
	const struct lineage *l;
	const struct glyphs *g;
	uint32_t *order[NORDERS];	/* node indices, sorted by key */
	bool *done;		/* drawn already: guards against cycles */
	bool quiet;		/* walk only: for --json */
	bool args, groups;	/* -a, -g */
	bool *keep;		/* --alive: drawn; NULL: every process */
	unsigned char *last;	/* per depth: its node is the last item */
	struct frame *stack;
	size_t depth, cap;
};

/* an argv element: quoted when empty or holding a space or quote */
static void print_arg(const char *s)
{
	bool q = !*s || strpbrk(s, " '\"");

	if (q)
		putchar('\'');
	for (; *s; s++)
		if (*s >= 0x20 && *s < 0x7f && *s != '\\' && *s != '\'')
			putchar(*s);
		else
			printf("\\x%02x", (unsigned char)*s);
	if (q)
		putchar('\'');
}

/* -a: the arguments of the last exec after the comm, as pstree -a */
static void print_args(const struct lineage *l, const struct lin_node *e)
{
	size_t len;
	int argc, i;
	const char *s = lineage_argv(l, e, &argc, &len);

	for (i = 0; i < argc; i++, s += strlen(s) + 1) {
		if (!i)
			continue;
		putchar(' ');
		print_arg(s);
	}
}

static void print_id(const char *key, int v)
{
	if (v < 0)
		printf(" %s=?", key);
	else
		printf(" %s=%d", key, v);
}

static void print_node(const struct tree *t, const struct lin_node *e)
{
	printf("%d ", e->tgid);
	print_comm(e->comm);
	if (t->args)
		print_args(t->l, e);
	if (e->state != 'Z' && e->state != 'X' &&
	    e->state != LIN_STATE_UNKNOWN)
		printf(" (%c)", e->state);
	print_end(e);
	if (e->flags & LIN_EARLY)
		printf(" (before the recording)");
	if (adopted(e))
		printf(" (born of %d)", e->creator_tgid);
	if (t->groups) {
		print_id("sid", e->sid);
		print_id("pgid", e->pgid);
	}
	putchar('\n');
}

/*
 * BY_CREATOR keys only the adopted (the "adopted away" notes), the rest
 * as -1, the unknown creator: a creator's scan meets no one else.
 */
static long long key_of(const struct lin_node *e, int by)
{
	return by == BY_CREATOR ? (adopted(e) ? e->creator_tgid : -1) :
	       by == BY_PARENT ? e->parent : e->tgid;
}

static int cmp3(long long a, long long b)
{
	return a < b ? -1 : a > b;
}

/* qsort_r() comparators; @l is the lineage the indices point into. */
static int cmp_parent(const void *a, const void *b, void *l)
{
	const struct lineage *sl = l;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	const struct lin_node *x = &sl->v[i], *y = &sl->v[j];

	return cmp3(x->parent, y->parent) ?: cmp3(x->birth, y->birth) ?:
	       cmp3(x->tgid, y->tgid) ?: cmp3(i, j);
}

static int cmp_creator(const void *a, const void *b, void *l)
{
	const struct lineage *sl = l;
	const struct lin_node *x = &sl->v[*(const uint32_t *)a];
	const struct lin_node *y = &sl->v[*(const uint32_t *)b];

	return cmp3(key_of(x, BY_CREATOR), key_of(y, BY_CREATOR)) ?:
	       cmp_parent(a, b, l);
}

static int cmp_tgid(const void *a, const void *b, void *l)
{
	const struct lineage *sl = l;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;

	return cmp3(sl->v[i].tgid, sl->v[j].tgid) ?:
	       cmp3(sl->v[i].birth, sl->v[j].birth) ?: cmp3(i, j);
}

/* the first position in order[by] whose key is key, or n */
static size_t first(const struct tree *t, int by, long long key)
{
	size_t lo = 0, hi = t->l->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (key_of(&t->l->v[t->order[by][mid]], by) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* the entry of tgid (the newest born, when a pid was reused), or NULL */
static const struct lin_node *find(const struct tree *t, long long tgid)
{
	size_t k = first(t, BY_TGID, tgid + 1);

	if (!k || t->l->v[t->order[BY_TGID][k - 1]].tgid != tgid)
		return NULL;
	return &t->l->v[t->order[BY_TGID][k - 1]];
}

/*
 * The process tgid named by one born at birth, its parent or creator:
 * of the processes that had the pid, the newest born before it (an
 * ancestor is older than its descendants), else the oldest; or NULL.
 */
static const struct lin_node *find_at(const struct tree *t, long long tgid,
				      long long birth)
{
	size_t k = first(t, BY_TGID, tgid), end = first(t, BY_TGID, tgid + 1);
	size_t lo = k + 1, hi = end, mid;

	if (k == end)
		return NULL;
	if (birth == LC_NONE)
		return &t->l->v[t->order[BY_TGID][end - 1]];
	/*
	 * They are sorted by birth, an unknown one (LC_NONE, the least)
	 * first: the last born at or before birth, found by halving, as a
	 * pid used many times would make a walk quadratic.
	 */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->l->v[t->order[BY_TGID][mid]].birth <= birth)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &t->l->v[t->order[BY_TGID][lo - 1]];
}

/* the first position in order[BY_PARENT] at (parent, birth) or after */
static size_t first_born(const struct tree *t, long long parent,
			 long long birth)
{
	size_t lo = 0, hi = t->l->n, mid;
	const struct lin_node *e;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = &t->l->v[t->order[BY_PARENT][mid]];
		if (e->parent < parent ||
		    (e->parent == parent && e->birth < birth))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Where in order[BY_PARENT] the children of node may be, [*k, *end):
 * of those whose parent is its pid, the ones find_at() could give it.
 * Each process that had the pid looks only at the children born in its
 * own time (from its birth to the next one's), so a pid used many times
 * does not make the tree quadratic.  An unknown birth sorts first and
 * belongs to the newest; a birth before the oldest, to the oldest.
 */
static void children_window(const struct tree *t, uint32_t node,
			    size_t *k, size_t *end)
{
	const struct lin_node *x = &t->l->v[node], *y;
	size_t g0 = first(t, BY_TGID, x->tgid);
	size_t g1 = first(t, BY_TGID, x->tgid + 1);
	size_t lo = g0, hi = g1, mid;
	uint32_t i;

	*k = first(t, BY_PARENT, x->tgid);
	*end = first(t, BY_PARENT, x->tgid + 1);
	if (x->birth == LC_NONE)
		return;
	while (lo < hi) {	/* node's own place among them */
		mid = lo + (hi - lo) / 2;
		i = t->order[BY_TGID][mid];
		if (t->l->v[i].birth < x->birth ||
		    (t->l->v[i].birth == x->birth && i < node))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > g0 && lo + 1 < g1)	/* neither the oldest nor the newest */
		*k = first_born(t, x->tgid, x->birth);
	if (lo + 1 < g1) {
		y = &t->l->v[t->order[BY_TGID][lo + 1]];
		*end = first_born(t, x->tgid, y->birth);
	}
}

/*
 * A node being drawn: its items are its children (order BY_PARENT), then
 * the "adopted away" notes of what it created (BY_CREATOR); next is the
 * item after the current one, so the current one knows whether it is the
 * last.
 */
struct frame {
	uint32_t node;
	uint32_t next;		/* node index of the next item, or NONE */
	size_t k, end;		/* where to look for the one after */
	unsigned char by, next_note;
};

static void next_item(const struct tree *t, struct frame *f)
{
	long long tgid = t->l->v[f->node].tgid;
	const struct lin_node *e;
	uint32_t i;

	for (;;) {
		for (; f->k < f->end; f->k++) {
			i = t->order[f->by][f->k];
			e = &t->l->v[i];
			if (key_of(e, f->by) != tgid)
				break;
			if (t->keep && !t->keep[i])
				continue;
			if (e->tgid != tgid &&
			    (f->by == BY_PARENT || adopted(e)) &&
			    find_at(t, tgid, e->birth) == &t->l->v[f->node]) {
				f->next = i;
				f->next_note = f->by == BY_CREATOR;
				f->k++;
				return;
			}
		}
		if (f->by == BY_CREATOR) {
			f->next = NONE;
			return;
		}
		f->by = BY_CREATOR;
		f->k = first(t, BY_CREATOR, tgid);
		f->end = t->l->n;
	}
}

static int push(struct tree *t, uint32_t node)
{
	struct frame *f = lc_grow(t->stack, &t->cap, t->depth, sizeof(*f), 64);

	if (!f)
		return -1;
	t->stack = f;
	f = &t->stack[t->depth++];
	f->node = node;
	f->by = BY_PARENT;
	children_window(t, node, &f->k, &f->end);
	next_item(t, f);
	return 0;
}

/* the indentation of an item at depth d (1: a child of the root) */
static void print_prefix(const struct tree *t, size_t d, bool last)
{
	size_t lvl = 1;

	if (d - 1 > TREE_INDENT) {
		printf("[+%zu] ", d - 1 - TREE_INDENT);
		lvl = d - TREE_INDENT;
	}
	for (; lvl < d; lvl++)
		fputs(t->last[lvl] ? t->g->gap : t->g->bar, stdout);
	fputs(last ? t->g->last : t->g->tee, stdout);
}

/* one node and everything under it */
static int draw(struct tree *t, uint32_t root)
{
	const struct lin_node *e;
	struct frame *f;
	uint32_t cur;
	bool note, last;

	if (!t->quiet)
		print_node(t, &t->l->v[root]);
	if (t->done[root])
		return 0;
	t->done[root] = true;
	t->depth = 0;
	if (push(t, root))
		return -1;
	while (t->depth) {
		f = &t->stack[t->depth - 1];
		if (f->next == NONE) {
			t->depth--;
			continue;
		}
		cur = f->next;
		note = f->next_note;
		next_item(t, f);
		last = f->next == NONE;
		e = &t->l->v[cur];
		if (note && t->quiet)
			continue;
		if (!t->quiet)
			print_prefix(t, t->depth, last);
		if (note) {
			printf("%d ", e->tgid);
			print_comm(e->comm);
			printf(" adopted away %s %d\n", t->g->arrow, e->parent);
			continue;
		}
		t->last[t->depth] = last;
		if (!t->quiet)
			print_node(t, e);
		if (t->done[cur])
			continue;
		t->done[cur] = true;
		if (push(t, cur))
			return -1;
	}
	return 0;
}

static void json_num(struct jw *w, const char *key, long long v)
{
	if (v == LC_NONE || v < 0)
		jw_null_field(w, key);
	else
		jw_int_field(w, key, v);
}

static void json_argv(struct jw *w, const struct lineage *l,
		      const struct lin_node *e)
{
	size_t len;
	int argc, i;
	const char *s = lineage_argv(l, e, &argc, &len), *p;
	bool utf8 = true;

	jw_name(w, "argv");
	if (!e->argv) {
		jw_null(w);
		return;
	}
	jw_start_array(w);
	for (p = s, i = 0; i < argc; i++, p += strlen(p) + 1) {
		jw_string(w, p);
		utf8 = utf8 && jw_utf8(p);
	}
	jw_end_array(w);
	if (utf8)
		return;
	jw_name(w, "argv_b64");
	jw_start_array(w);
	for (p = s, i = 0; i < argc; i++, p += strlen(p) + 1)
		jw_b64(w, p);
	jw_end_array(w);
}

static void json_entry(const struct lineage *l, const struct lin_node *e)
{
	char state[2] = { e->state, '\0' };
	const struct lin_adopt *a = l->adopt + e->adopt;
	struct jw w;
	int i;

	jw_init(&w, stdout);
	jw_start_object(&w);
	jw_int_field(&w, "tgid", e->tgid);
	json_num(&w, "creator_pid", e->creator_pid);
	json_num(&w, "creator_tgid", e->creator_tgid);
	json_num(&w, "parent_tgid", e->parent);
	if (e->state == LIN_STATE_UNKNOWN)
		jw_null_field(&w, "state");
	else
		jw_string_field(&w, "state", state);
	json_num(&w, "birth_ns", e->birth);
	json_num(&w, "exec_ns", e->exec);
	json_num(&w, "exit_ns", e->exit);
	json_num(&w, "reap_ns", e->reap);
	json_num(&w, "status", e->status);
	jw_string_field(&w, "comm", e->comm);
	if (!jw_utf8(e->comm)) {
		jw_name(&w, "comm_b64");
		jw_b64(&w, e->comm);
	}
	jw_name(&w, "adopt");
	jw_start_array(&w);
	for (i = 0; i < e->nadopt; i++) {
		jw_start_object(&w);
		jw_int_field(&w, "ppid", a[i].ppid);
		jw_int_field(&w, "ts_ns", a[i].ts);
		jw_string_field(&w, "reason", a[i].reason);
		jw_end_object(&w);
	}
	jw_end_array(&w);
	json_argv(&w, l, e);
	json_num(&w, "sid", e->sid);
	json_num(&w, "pgid", e->pgid);
	jw_bool_field(&w, "before_recording", e->flags & LIN_EARLY);
	jw_end_object(&w);
}

static int tree_setup(struct tree *t, const struct lineage *l,
		      const struct opts *o)
{
	static int (*const cmp[NORDERS])(const void *, const void *, void *) = {
		cmp_parent, cmp_creator, cmp_tgid,
	};
	size_t i;
	int by;

	memset(t, 0, sizeof(*t));
	t->l = l;
	t->g = o->utf8 ? &utf8_glyphs : &ascii_glyphs;
	t->args = o->tree_args;
	t->groups = o->tree_groups;
	t->done = calloc(l->n + 1, sizeof(*t->done));
	t->last = calloc(l->n + 2, sizeof(*t->last));
	if (!t->done || !t->last)
		return -1;
	for (by = 0; by < NORDERS; by++) {
		t->order[by] = malloc((l->n + 1) * sizeof(uint32_t));
		if (!t->order[by])
			return -1;
		for (i = 0; i < l->n; i++)
			t->order[by][i] = i;
		qsort_r(t->order[by], l->n, sizeof(uint32_t), cmp[by],
			(void *)l);
	}
	return 0;
}

/* --alive: the living, and the ancestors they hang from */
static int keep_alive(struct tree *t)
{
	const struct lin_node *e, *p;
	size_t i;

	t->keep = calloc(t->l->n + 1, sizeof(*t->keep));
	if (!t->keep)
		return -1;
	for (i = 0; i < t->l->n; i++) {
		if (!alive(&t->l->v[i]))
			continue;
		for (e = &t->l->v[i]; e && !t->keep[e - t->l->v];) {
			t->keep[e - t->l->v] = true;
			p = find_at(t, e->parent, e->birth);
			e = p && p != e ? p : NULL;
		}
	}
	return 0;
}

static void tree_free(struct tree *t)
{
	int by;

	free(t->done);
	free(t->last);
	free(t->stack);
	free(t->keep);
	for (by = 0; by < NORDERS; by++)
		free(t->order[by]);
}

static bool only_one(const struct filter *f, long long tgid)
{
	int i;

	for (i = 0; i < f->nonly; i++)
		if (f->only[i] == tgid)
			return true;
	return false;
}

/* --only: each process alone */
static int tree_only(struct tree *t, const struct filter *f, long long root,
		     bool json)
{
	const struct lin_node *e;
	uint32_t idx;
	size_t i;
	int k;

	for (k = 0; k < f->nonly; k++)
		if (!find(t, f->only[k]) && f->only[k] != root) {
			fprintf(stderr, "lifecycle: pid %lld is not in the lineage table\n",
				f->only[k]);
			return 1;
		}
	for (i = 0; i < t->l->n && !out_error(); i++) {
		idx = t->order[BY_TGID][i];
		e = &t->l->v[idx];
		if (!only_one(f, e->tgid) || (t->keep && !t->keep[idx]) ||
		    e != find(t, e->tgid))
			continue;
		if (json)
			json_entry(t->l, e);
		else
			print_node(t, e);
	}
	return 0;
}

/* the subtree under root (or every root), as drawing or JSON Lines */
static int tree_show(struct tree *t, long long root, bool json)
{
	const struct lin_node *e;
	size_t i;

	t->quiet = json;
	if (root >= 0 && !find(t, root)) {
		fprintf(stderr, "lifecycle: pid %lld is not in the lineage table\n",
			root);
		return 1;
	}
	for (i = 0; i < t->l->n && !out_error(); i++) {
		e = &t->l->v[t->order[BY_PARENT][i]];
		if (root >= 0 ? e->tgid != root :
		    find_at(t, e->parent, e->birth) && e->parent != e->tgid)
			continue;
		if (t->keep && !t->keep[t->order[BY_PARENT][i]])
			continue;
		if (draw(t, t->order[BY_PARENT][i])) {
			fprintf(stderr, "lifecycle: out of memory\n");
			return 1;
		}
	}
	for (i = 0; json && i < t->l->n; i++)
		if ((t->done[i] || root < 0) && (!t->keep || t->keep[i]))
			json_entry(t->l, &t->l->v[i]);
	return 0;
}

int cmd_tree(struct opts *o)
{
	struct lineage l = { 0 };
	long long root = o->root >= 0 ? o->root : o->filter.pid;
	struct tree t;
	int ret, shown;

	ret = lineage_load(o->input, o->strict, o->tree_args || o->tree_groups,
			   o->tree_groups, &l);
	if (ret < 0) {
		lineage_free(&l);
		return 1;
	}
	if (o->dot) {	/* Graphviz: dot.c */
		shown = dot_write(&l, root) ? 1 : 0;
		lineage_free(&l);
		return shown ? shown : ret;
	}
	if (tree_setup(&t, &l, o) || (o->tree_alive && keep_alive(&t))) {
		fprintf(stderr, "lifecycle: out of memory\n");
		shown = 1;
	} else if (o->filter.nonly) {
		shown = tree_only(&t, &o->filter, -1, o->json);
		if (!shown && root >= 0)
			shown = tree_show(&t, root, o->json);
	} else {
		shown = tree_show(&t, root, o->json);
	}
	tree_free(&t);
	lineage_free(&l);
	return shown ? shown : ret;
}
