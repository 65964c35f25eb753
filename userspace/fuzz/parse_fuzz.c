// SPDX-License-Identifier: GPL-2.0
/*
 * The libFuzzer target: the input is a /proc/lifecycle file, text or (when
 * it starts with \177) the binary stream.
 * Every line goes through the stream parser and, when it parses, through
 * the filter, the JSON writer and the timeline; every line is also tried
 * as a lineage line.  Output goes to /dev/null: only crashes matter.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "filter.h"
#include "json.h"
#include "lineage.h"
#include "parse.h"
#include "timeline.h"

static FILE *devnull;
static struct lc_record last_reap;	/* joined onto the next exit */
static bool have_reap;

static void one_line(struct lc_parser *p, struct filter *f, struct tl *t,
		     const char *line, size_t len)
{
	struct lc_parser lp;
	struct lc_record r;
	struct lin_entry e;
	char *copy;

	if (lc_parse_line(p, line, len, &r) == 1) {
		if (filter_match(f, &r))
			json_record(devnull, &r);
		tl_note(t, &r);
		tl_print(t, &r, r.type == LC_EV_EXIT && have_reap ?
			 &last_reap : NULL);
		if (r.type == LC_EV_REAP) {
			last_reap = r;
			have_reap = true;
		}
	}
	copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, line, len);
	copy[len] = '\0';
	lc_parser_init(&lp, "fuzz", false);
	lineage_parse_line(&lp, copy, &e);
	free(copy);
}

static void one_record(struct filter *f, struct tl *t,
		       const struct lc_record *r)
{
	if (filter_match(f, r))
		json_record(devnull, r);
	tl_note(t, r);
	tl_print(t, r, NULL);
}

/* A binary stream (first byte \177): events walked by their size. */
static void binary(const uint8_t *data, size_t size, struct filter *f,
		   struct tl *t)
{
	static union {
		struct lc_event ev;
		char raw[4096 + 8];
	} u;
	struct lc_parser p;
	struct lc_record r;
	size_t off = LC_BIN_MAGIC_LEN, len;

	lc_parser_init(&p, "fuzz", false);
	while (off + 8 <= size) {
		len = size - off < sizeof(u.raw) ? size - off : sizeof(u.raw);
		memcpy(u.raw, data + off, len);
		if (u.ev.size < 8 || u.ev.size > len)
			return;
		if (lc_parse_event(&p, &u.ev, u.ev.size, &r) == 1)
			one_record(f, t, &r);
		off += u.ev.size;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size, *nl;
	struct lc_parser p;
	struct filter f;
	struct tl t;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	have_reap = false;
	lc_parser_init(&p, "fuzz", size && data[0] == 'x');
	filter_init(&f);
	filter_set_pid(&f, 1);
	tl_init(&t, devnull, size && data[0] & 1, size && data[0] & 2);
	if (size && data[0] == LC_BIN_MAGIC[0]) {
		binary(data, size, &f, &t);
		s = end;
	}
	while (s < end) {
		nl = memchr(s, '\n', end - s);
		nl = nl ? nl + 1 : end;
		one_line(&p, &f, &t, s, nl - s);
		s = nl;
	}
	lc_parse_end(&p);
	tl_free(&t);
	filter_free(&f);
	return 0;
}
