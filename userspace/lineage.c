// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parser for /sys/kernel/debug/lifecycle/lineage.
 */
#include <stdlib.h>
#include <string.h>
#include "input.h"
#include "lineage.h"
#include "log.h"

#define LIN_FIELDS	12

static const char *const reasons[] = LC_REPARENT_NAMES;

static int lin_fail(struct lc_parser *p, const char *what, const char *v)
{
	snprintf(p->err, sizeof(p->err), "%s: bad value '%.40s'", what, v);
	return -1;
}

static int lin_num(struct lc_parser *p, const char *what, const char *v,
		   long long max, bool dash, long long *out)
{
	if (dash && !strcmp(v, "-")) {
		*out = LC_NONE;
		return 0;
	}
	if (lc_number(v, max, out))
		return lin_fail(p, what, v);
	return 0;
}

static int lin_adopt_one(struct lc_parser *p, char *s, struct lin_adopt *a)
{
	char *at = strchr(s, '@'), *colon = at ? strchr(at, ':') : NULL;
	size_t i;

	if (!colon)
		return lin_fail(p, "adopt", s);
	*at = *colon = '\0';
	if (lin_num(p, "adopt ppid", s, LC_PID_MAX, false, &a->ppid) ||
	    lin_num(p, "adopt time", at + 1, LLONG_MAX, false, &a->ts))
		return -1;
	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		if (!strcmp(colon + 1, reasons[i]))
			break;
	if (i == ARRAY_SIZE(reasons))
		return lin_fail(p, "adopt reason", colon + 1);
	a->reason = reasons[i];
	return 0;
}

static int lin_adopt(struct lc_parser *p, char *v, struct lin_entry *e)
{
	char *item, *save = NULL;

	if (strncmp(v, "adopt=", 6))
		return lin_fail(p, "adopt", v);
	v += 6;
	if (!*v)
		return 0;
	if (v[strlen(v) - 1] == ',' || strstr(v, ",,"))
		return lin_fail(p, "adopt", v);
	for (item = strtok_r(v, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		if (e->nadopt == LIN_ADOPT_MAX)
			return lin_fail(p, "adopt (too many)", item);
		if (lin_adopt_one(p, item, &e->adopt[e->nadopt++]))
			return -1;
	}
	return 0;
}

static int lin_times(struct lc_parser *p, char **tok, struct lin_entry *e)
{
	long long *t[] = { &e->birth, &e->exec, &e->exit, &e->reap };
	static const char *const names[] = { "birth_ns", "exec_ns",
					     "exit_ns", "reap_ns" };
	int i;

	for (i = 0; i < 4; i++)
		if (lin_num(p, names[i], tok[i], LLONG_MAX, true, t[i]))
			return -1;
	return lin_num(p, "status", tok[4], 0xffff, true, &e->status);
}

int lineage_parse_line(struct lc_parser *p, char *line, struct lin_entry *e)
{
	char *tok[LIN_FIELDS + 1], *save = NULL;
	const char *why = NULL;
	int n = 0;

	memset(e, 0, sizeof(*e));
	line[strcspn(line, "\n")] = '\0';
	for (tok[n] = strtok_r(line, " ", &save); tok[n] && n < LIN_FIELDS;
	     tok[n] = strtok_r(NULL, " ", &save))
		n++;
	if (n != LIN_FIELDS || tok[n]) {
		snprintf(p->err, sizeof(p->err), "expected %d fields",
			 LIN_FIELDS);
		return -1;
	}
	if (lin_num(p, "tgid", tok[0], LC_PID_MAX, false, &e->tgid) ||
	    lin_num(p, "creator_pid", tok[1], LC_PID_MAX, false,
		    &e->creator_pid) ||
	    lin_num(p, "creator_tgid", tok[2], LC_PID_MAX, false,
		    &e->creator_tgid) ||
	    lin_num(p, "parent_tgid", tok[3], LC_PID_MAX, false, &e->parent))
		return -1;
	if (!lc_state_letter(tok[4]))
		return lin_fail(p, "state", tok[4]);
	e->state = tok[4][0];
	if (lin_times(p, tok + 5, e))
		return -1;
	if (lc_unescape(tok[10], strlen(tok[10]), e->comm, sizeof(e->comm),
			&why) < 0)
		return lin_fail(p, "comm", tok[10]);
	return lin_adopt(p, tok[11], e);
}

static int lin_header(struct lc_parser *p, const char *line)
{
	if (!strcmp(line, "lineage 1\n") || !strcmp(line, "lineage 1"))
		return 0;
	if (!strncmp(line, "lineage ", 8))
		snprintf(p->err, sizeof(p->err),
			 "unsupported lineage version '%.20s' (this reader knows 1)",
			 line + 8);
	else
		snprintf(p->err, sizeof(p->err),
			 "missing header 'lineage 1'");
	return -1;
}

/* an entry as an 80-byte node, its adoptions in the side table */
static int lin_append(struct lineage *l, const struct lin_entry *e)
{
	struct lin_node *v = lc_grow(l->v, &l->cap, l->n, sizeof(*v), 256);
	struct lin_adopt *a;
	struct lin_node *n;
	int i;

	if (!v)
		return -1;
	l->v = v;
	for (i = 0; i < e->nadopt; i++) {
		a = lc_grow(l->adopt, &l->adopt_cap, l->nadopt + i, sizeof(*a),
			    64);
		if (!a)
			return -1;
		l->adopt = a;
		l->adopt[l->nadopt + i] = e->adopt[i];
	}
	n = &l->v[l->n++];
	memset(n, 0, sizeof(*n));
	n->tgid = e->tgid;
	n->creator_pid = e->creator_pid;
	n->creator_tgid = e->creator_tgid;
	n->parent = e->parent;
	n->birth = e->birth;
	n->exec = e->exec;
	n->exit = e->exit;
	n->reap = e->reap;
	n->status = e->status == LC_NONE ? -1 : (int)e->status;
	n->adopt = l->nadopt;
	n->nadopt = e->nadopt;
	n->state = e->state;
	n->sid = -1;
	n->pgid = -1;
	memcpy(n->comm, e->comm, sizeof(n->comm));
	l->nadopt += e->nadopt;
	return 0;
}

int lineage_read(FILE *f, const char *src, struct lineage *l)
{
	struct lc_parser p;
	struct lin_entry e;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	lc_parser_init(&p, src, false);
	while (!ret && getline(&line, &cap, f) >= 0) {
		p.lineno++;
		if (p.lineno == 1)
			ret = lin_header(&p, line);
		else
			ret = lineage_parse_line(&p, line, &e);
		if (!ret && p.lineno > 1 && lin_append(l, &e)) {
			snprintf(p.err, sizeof(p.err), "out of memory");
			ret = -1;
		}
	}
	if (!ret && !p.lineno) {
		p.lineno = 1;
		ret = lin_header(&p, "");
	}
	if (ret)
		log_perror(&p);
	if (ret && p.lineno == 1)
		lc_wrong_kind(src, line ? line : "", line ? strlen(line) : 0,
			      LC_KIND_LINEAGE);
	free(line);
	return ret;
}

int lineage_set_argv(struct lineage *l, struct lin_node *e, int argc,
		     const char *buf, size_t len)
{
	size_t need = sizeof(int) + sizeof(size_t) + len;
	char *p;

	if (l->nstrs + need >= UINT_MAX)
		return -1;
	while (l->nstrs + need > l->strs_cap) {
		p = realloc(l->strs, l->strs_cap ? l->strs_cap * 2 : 4096);
		if (!p)
			return -1;
		l->strs = p;
		l->strs_cap = l->strs_cap ? l->strs_cap * 2 : 4096;
	}
	p = l->strs + l->nstrs;
	memcpy(p, &argc, sizeof(int));
	memcpy(p + sizeof(int), &len, sizeof(size_t));
	memcpy(p + sizeof(int) + sizeof(size_t), buf, len);
	e->argv = l->nstrs + 1;
	l->nstrs += need;
	return 0;
}

const char *lineage_argv(const struct lineage *l, const struct lin_node *e,
			 int *argc, size_t *len)
{
	const char *p;

	*argc = 0;
	*len = 0;
	if (!e->argv)
		return "";
	p = l->strs + e->argv - 1;
	memcpy(argc, p, sizeof(int));
	memcpy(len, p + sizeof(int), sizeof(size_t));
	return p + sizeof(int) + sizeof(size_t);
}

void lineage_free(struct lineage *l)
{
	free(l->v);
	free(l->adopt);
	free(l->strs);
	memset(l, 0, sizeof(*l));
}
