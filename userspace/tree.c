// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle tree [PID]": the lineage table as a process tree.
 *
 * A process hangs under its current parent.  When that is not its creator
 * it says "(born of X)", and under the creator a note says where it went:
 * "adopted away -> Y".  Dead (reaped) and zombie processes are marked.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "jsonw.h"
#include "lineage.h"
#include "pidmap.h"

#define TREE_DEPTH_MAX	256

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



static bool adopted(const struct lin_entry *e)
{
	return e->creator_tgid != e->parent && e->creator_tgid != e->tgid;
}

static void print_comm(const char *s)
{
	for (; *s; s++)
		if (*s >= 0x20 && *s < 0x7f)
			putchar(*s);
		else
			printf("\\x%02x", (unsigned char)*s);
}

static void print_end(const struct lin_entry *e)
{
	long long st = e->status;

	if (e->state == 'Z')
		printf(" [zombie");
	else if (e->state == 'X')
		printf(" [dead");
	else
		return;
	if (st == LC_NONE)
		printf("]");
	else if (st & 0x7f)
		printf(", signal %lld]", st & 0x7f);
	else
		printf(", exit %lld]", (st >> 8) & 0xff);
}

static void print_node(const struct lin_entry *e)
{
	printf("%lld ", e->tgid);
	print_comm(e->comm);
	if (e->state != 'Z' && e->state != 'X')
		printf(" (%c)", e->state);
	print_end(e);
	if (adopted(e))
		printf(" (born of %lld)", e->creator_tgid);
	putchar('\n');
}

/* entries grouped by a key (parent, or creator), oldest first */
struct group {
	size_t *order;
	struct pidmap first;	/* key -> position in order */
	bool by_creator;
};

static const struct lineage *sort_l;

static long long key_of(const struct lin_entry *e, bool by_creator)
{
	return by_creator ? e->creator_tgid : e->parent;
}

static int cmp_parent(const void *a, const void *b)
{
	const struct lin_entry *x = &sort_l->v[*(const size_t *)a];
	const struct lin_entry *y = &sort_l->v[*(const size_t *)b];

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->birth != y->birth)
		return x->birth < y->birth ? -1 : 1;
	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

static int cmp_creator(const void *a, const void *b)
{
	const struct lin_entry *x = &sort_l->v[*(const size_t *)a];
	const struct lin_entry *y = &sort_l->v[*(const size_t *)b];

	if (x->creator_tgid != y->creator_tgid)
		return x->creator_tgid < y->creator_tgid ? -1 : 1;
	return cmp_parent(a, b);
}

static int group_build(struct group *g, const struct lineage *l, bool by_c)
{
	struct pid_info *e;
	size_t i;

	g->by_creator = by_c;
	g->order = malloc((l->n + 1) * sizeof(*g->order));
	if (!g->order)
		return -1;
	for (i = 0; i < l->n; i++)
		g->order[i] = i;
	sort_l = l;
	qsort(g->order, l->n, sizeof(*g->order), by_c ? cmp_creator : cmp_parent);
	for (i = l->n; i-- > 0;) {
		e = pidmap_add(&g->first, key_of(&l->v[g->order[i]], by_c));
		if (!e)
			return -1;
		e->idx = i;
	}
	return 0;
}

static void group_free(struct group *g)
{
	free(g->order);
	pidmap_free(&g->first);
}

struct tree {
	const struct lineage *l;
	const struct glyphs *g;
	struct pidmap index;	/* tgid -> entry */
	struct group kids, made;	/* by parent, by creator */
	bool *done;		/* drawn already: guards against cycles */
	bool quiet;		/* walk only: for --json */
	char prefix[TREE_DEPTH_MAX * 16];
};

static const struct lin_entry *find(const struct tree *t, long long tgid)
{
	const struct pid_info *e = pidmap_get(&t->index, tgid);

	return e ? &t->l->v[e->idx] : NULL;
}

/* the items under a node: children, then "adopted away" notes */
struct item {
	size_t idx;
	bool note;
};

static size_t items(const struct tree *t, const struct lin_entry *n,
		    struct item *it)
{
	const struct group *gs[2] = { &t->kids, &t->made };
	const struct pid_info *f;
	const struct lin_entry *e;
	size_t cnt = 0, k;
	int g;

	for (g = 0; g < 2; g++) {
		f = pidmap_get(&gs[g]->first, n->tgid);
		for (k = f ? (size_t)f->idx : t->l->n; k < t->l->n; k++) {
			e = &t->l->v[gs[g]->order[k]];
			if (key_of(e, g) != n->tgid)
				break;
			if (e->tgid != n->tgid && (!g || adopted(e)))
				it[cnt++] = (struct item){ gs[g]->order[k], g };
		}
	}
	return cnt;
}

static void draw(struct tree *t, size_t i, size_t plen);

static void draw_items(struct tree *t, const struct item *it, size_t cnt,
		       size_t plen)
{
	const struct lin_entry *e;
	size_t k;
	bool last;

	for (k = 0; k < cnt; k++) {
		e = &t->l->v[it[k].idx];
		last = k + 1 == cnt;
		if (!t->quiet)
			printf("%s%s", t->prefix, last ? t->g->last : t->g->tee);
		if (it[k].note && t->quiet)
			continue;
		if (it[k].note) {
			printf("%lld ", e->tgid);
			print_comm(e->comm);
			printf(" adopted away %s %lld\n", t->g->arrow, e->parent);
			continue;
		}
		snprintf(t->prefix + plen, sizeof(t->prefix) - plen, "%s",
			 last ? t->g->gap : t->g->bar);
		draw(t, it[k].idx, plen + strlen(t->prefix + plen));
		t->prefix[plen] = '\0';
	}
}

static void draw(struct tree *t, size_t i, size_t plen)
{
	const struct lin_entry *n = &t->l->v[i];
	struct item *it;
	size_t cnt;

	if (!t->quiet)
		print_node(n);
	if (t->done[i] || plen + 16 >= sizeof(t->prefix))
		return;
	t->done[i] = true;
	it = malloc((2 * t->l->n + 1) * sizeof(*it));
	if (!it)
		return;
	cnt = items(t, n, it);
	draw_items(t, it, cnt, plen);
	free(it);
}

static void json_num(struct jw *w, const char *key, long long v)
{
	if (v == LC_NONE)
		jw_null_field(w, key);
	else
		jw_int_field(w, key, v);
}

static void json_entry(const struct lin_entry *e)
{
	char state[2] = { e->state, '\0' };
	struct jw w;
	int i;

	jw_init(&w, stdout);
	jw_start_object(&w);
	jw_int_field(&w, "tgid", e->tgid);
	jw_int_field(&w, "creator_pid", e->creator_pid);
	jw_int_field(&w, "creator_tgid", e->creator_tgid);
	jw_int_field(&w, "parent_tgid", e->parent);
	jw_string_field(&w, "state", state);
	json_num(&w, "birth_ns", e->birth);
	json_num(&w, "exec_ns", e->exec);
	json_num(&w, "exit_ns", e->exit);
	json_num(&w, "reap_ns", e->reap);
	json_num(&w, "status", e->status);
	jw_string_field(&w, "comm", e->comm);
	jw_name(&w, "adopt");
	jw_start_array(&w);
	for (i = 0; i < e->nadopt; i++) {
		jw_start_object(&w);
		jw_int_field(&w, "ppid", e->adopt[i].ppid);
		jw_int_field(&w, "ts_ns", e->adopt[i].ts);
		jw_string_field(&w, "reason", e->adopt[i].reason);
		jw_end_object(&w);
	}
	jw_end_array(&w);
	jw_end_object(&w);
}

static int tree_setup(struct tree *t, const struct lineage *l, bool utf8)
{
	struct pid_info *e;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->l = l;
	t->g = utf8 ? &utf8_glyphs : &ascii_glyphs;
	t->done = calloc(l->n + 1, sizeof(*t->done));
	if (!t->done || group_build(&t->kids, l, false) ||
	    group_build(&t->made, l, true))
		return -1;
	for (i = 0; i < l->n; i++) {
		e = pidmap_add(&t->index, l->v[i].tgid);
		if (!e)
			return -1;
		e->idx = i;
	}
	return 0;
}

static void tree_free(struct tree *t)
{
	free(t->done);
	group_free(&t->kids);
	group_free(&t->made);
	pidmap_free(&t->index);
}

/* the subtree under root (or every root), as drawing or JSON Lines */
static int tree_show(struct tree *t, long long root, bool json)
{
	const struct lin_entry *e;
	size_t i;

	t->quiet = json;
	if (root >= 0 && !find(t, root)) {
		fprintf(stderr, "lifecycle: pid %lld is not in the lineage table\n",
			root);
		return 1;
	}
	for (i = 0; i < t->l->n; i++) {
		e = &t->l->v[t->kids.order[i]];
		if (root >= 0 ? e->tgid != root :
		    find(t, e->parent) && e->parent != e->tgid)
			continue;
		draw(t, t->kids.order[i], 0);
	}
	for (i = 0; json && i < t->l->n; i++)
		if (t->done[i] || root < 0)
			json_entry(&t->l->v[i]);
	return 0;
}

int cmd_tree(struct opts *o)
{
	const char *src = o->input ? o->input : LC_DEBUGFS_DIR "/lineage";
	bool std = !strcmp(src, "-");
	FILE *f = std ? stdin : fopen(src, "r");
	struct lineage l = { 0 };
	struct tree t;
	int ret = 1;

	if (!f) {
		fprintf(stderr, "lifecycle: %s: %m\n", src);
		return 1;
	}
	if (!lineage_read(f, std ? "<stdin>" : src, &l)) {
		if (tree_setup(&t, &l, o->utf8))
			fprintf(stderr, "lifecycle: out of memory\n");
		else
			ret = tree_show(&t, o->root >= 0 ? o->root :
					o->filter.pid, o->json);
		tree_free(&t);
	}
	if (!std)
		fclose(f);
	lineage_free(&l);
	return ret;
}
