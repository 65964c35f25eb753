// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle stats": the debugfs counters, grouped for reading
 * (events, loss, memory, readers, hooks as live/fallback), or as one JSON
 * object.  Every line must be "name value" with a decimal or 0x value.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "input.h"
#include "jsonw.h"
#include "log.h"

#define STAT_NAME_LEN	64

struct stat_line {
	char name[STAT_NAME_LEN];
	long long value;
};

struct stats {
	struct stat_line *v;
	size_t n, cap;
};

enum stat_group { G_EVENTS, G_LOSS, G_MEMORY, G_READERS, G_HOOKS, G_OTHER,
		  G_COUNT };

static const char *const group_names[G_COUNT] = {
	"events", "loss", "memory", "readers", "hooks", "other",
};

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool has_suffix(const char *s, const char *x)
{
	size_t n = strlen(s), m = strlen(x);

	return n >= m && !strcmp(s + n - m, x);
}

static enum stat_group group_of(const char *n)
{
	if (has_prefix(n, "reader"))	/* readerN_lost too */
		return G_READERS;
	if (has_suffix(n, "_lost") || has_suffix(n, "_nmissed") ||
	    has_prefix(n, "lost_") || !strcmp(n, "lineage_full") ||
	    !strcmp(n, "lineage_missing") || !strcmp(n, "argv_faults") ||
	    !strcmp(n, "track_full") || !strcmp(n, "bad_input"))
		return G_LOSS;
	if (has_prefix(n, "events_") || !strcmp(n, "recorded") ||
	    !strcmp(n, "filtered") || !strcmp(n, "event_mask"))
		return G_EVENTS;
	if (has_prefix(n, "log_") || has_prefix(n, "lineage_") ||
	    has_prefix(n, "track_") || has_suffix(n, "_bytes"))
		return G_MEMORY;
	if (has_prefix(n, "hook_") || has_prefix(n, "tracepoint_") ||
	    has_prefix(n, "kprobe_"))
		return G_HOOKS;
	return G_OTHER;
}

static int stat_value(const char *v, long long *out)
{
	char *end;

	if (!strncmp(v, "0x", 2)) {
		if (!v[2] || strspn(v + 2, "0123456789abcdefABCDEF") !=
			     strlen(v + 2) || strlen(v + 2) > 15)
			return -1;
		*out = strtoll(v + 2, &end, 16);
		return 0;
	}
	return lc_number(v, LLONG_MAX, out);
}

static int stat_parse(struct lc_parser *p, char *line, struct stat_line *s)
{
	char *sp;
	size_t n;

	line[strcspn(line, "\n")] = '\0';
	sp = strchr(line, ' ');
	n = sp ? (size_t)(sp - line) : 0;
	if (!n || n >= STAT_NAME_LEN ||
	    strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
		snprintf(p->err, sizeof(p->err), "expected 'name value'");
		return -1;
	}
	memcpy(s->name, line, n);
	s->name[n] = '\0';
	if (stat_value(sp + 1, &s->value)) {
		snprintf(p->err, sizeof(p->err), "%s: bad value '%.40s'",
			 s->name, sp + 1);
		return -1;
	}
	return 0;
}

static int stats_add(struct stats *st, const struct stat_line *s)
{
	struct stat_line *v = lc_grow(st->v, &st->cap, st->n, sizeof(*v), 64);

	if (!v)
		return -1;
	st->v = v;
	st->v[st->n++] = *s;
	return 0;
}

static int stats_read(FILE *f, const char *src, struct stats *st)
{
	struct lc_parser p;
	struct stat_line s;
	const char *what;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	lc_parser_init(&p, src, false);
	while (!ret && getline(&line, &cap, f) >= 0) {
		p.lineno++;
		what = p.lineno == 1 ? lc_sniff(line, strlen(line)) : NULL;
		if (what && strcmp(what, "a stats file")) {
			snprintf(p.err, sizeof(p.err), "not a stats file");
			log_perror(&p);
			lc_wrong_kind(src, line, strlen(line), LC_KIND_STATS);
			free(line);
			return -1;
		}
		ret = stat_parse(&p, line, &s);
		if (!ret && stats_add(st, &s)) {
			snprintf(p.err, sizeof(p.err), "out of memory");
			ret = -1;
		}
	}
	free(line);
	if (ret)
		log_perror(&p);
	return ret;
}

/*
 * A kprobe that could not be registered leaves its job to a fallback; a
 * tracepoint is only attached while it is needed (state tracking, or as
 * the reap kprobe's fallback).
 */
static void print_value(const struct stat_line *s, enum stat_group g)
{
	if (g == G_HOOKS && has_prefix(s->name, "tracepoint_"))
		printf("%s\n", s->value ? "attached" : "detached");
	else if (g == G_HOOKS && !has_suffix(s->name, "_nmissed"))
		printf("%s\n", s->value ? "live" : "fallback");
	else if (!strcmp(s->name, "event_mask"))
		printf("0x%llx\n", s->value);
	else if (has_suffix(s->name, "_bytes") && s->value >= 1 << 20)
		printf("%lld (%.1f MiB)\n", s->value, s->value / 1048576.0);
	else
		printf("%lld\n", s->value);
}

static void stats_text(const struct stats *st)
{
	enum stat_group g;
	size_t i;
	int w = 24;
	bool any;

	for (i = 0; i < st->n; i++)
		if ((int)strlen(st->v[i].name) > w)
			w = strlen(st->v[i].name);
	for (g = 0; g < G_COUNT; g++) {
		any = false;
		for (i = 0; i < st->n; i++) {
			if (group_of(st->v[i].name) != g)
				continue;
			if (!any)
				printf("%s%s:\n", g ? "\n" : "", group_names[g]);
			any = true;
			printf("  %-*s ", w, st->v[i].name);
			print_value(&st->v[i], g);
		}
	}
}

static void stats_json(const struct stats *st)
{
	struct jw w;
	size_t i;

	jw_init(&w, stdout);
	jw_start_object(&w);
	for (i = 0; i < st->n; i++)
		jw_int_field(&w, st->v[i].name, st->v[i].value);
	jw_end_object(&w);
}

int cmd_stats(struct opts *o)
{
	const char *src = o->input ? o->input : lc_default_path(LC_KIND_STATS);
	FILE *f = lc_fopen_input(src, LC_KIND_STATS);
	struct stats st = { 0 };
	int ret;

	if (!f)
		return 1;
	ret = stats_read(f, strcmp(src, "-") ? src : "<stdin>", &st);
	fclose(f);
	if (!ret && o->json)
		stats_json(&st);
	else if (!ret)
		stats_text(&st);
	free(st.v);
	return ret ? 1 : 0;
}
