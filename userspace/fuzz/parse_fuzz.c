// SPDX-License-Identifier: GPL-2.0
/*
 * The libFuzzer target: the input is a /proc/lifecycle file, text or (when
 * it starts with \177) the binary stream, damaged as the fuzzer likes.
 *
 * The whole input goes through the streaming reader the tool uses, in
 * chunks whose size the first byte picks (so records are cut at every
 * place), with damaged-spot recovery on, then through the filter, the
 * JSON writer and the timeline's window (a small one, so that records
 * leave it, exits miss their reaps and the tables are pruned).  The
 * reader must hand out only records that parse, and never stop before
 * the end unless the header is missing.  Every line is also tried as a
 * lineage line.  Output goes to /dev/null, and run.sh closes stderr
 * (-close_fd_mask=2: libFuzzer and the sanitizers keep their own copy):
 * only crashes matter.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filter.h"
#include "json.h"
#include "lineage.h"
#include "parse.h"
#include "stream.h"
#include "timeline.h"

static FILE *devnull;
static struct stream st;

struct ctx {
	struct filter f;
	struct tl t;
	struct tl_window w;
};

static int one_record(void *arg, const struct lc_entry *r)
{
	struct ctx *c = arg;
	bool show = filter_match(&c->f, r);

	if (show)
		json_record(devnull, r);
	tlw_push(&c->w, r, show);
	return 0;
}

static void lineage_lines(const char *s, const char *end)
{
	struct lc_parser lp;
	struct lin_entry e;
	const char *nl;
	char *copy;

	for (; s < end; s = nl) {
		nl = memchr(s, '\n', end - s);
		nl = nl ? nl + 1 : end;
		copy = malloc(nl - s + 1);
		if (!copy)
			return;
		memcpy(copy, s, nl - s);
		copy[nl - s] = '\0';
		lc_parser_init(&lp, "fuzz", false);
		lineage_parse_line(&lp, copy, &e);
		free(copy);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t chunk = size ? 1 + data[size - 1] % 97 : 1, off;
	struct ctx c;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	filter_init(&c.f);
	filter_set_pid(&c.f, 1);
	tl_init(&c.t, devnull, size && data[0] & 1, size && data[0] & 2);
	if (tlw_init(&c.w, &c.t, 8))
		return 0;
	stream_init(&st, "fuzz");
	st.strict = size > 1 && data[1] == 's';
	for (off = 0; off < size; off += chunk)
		if (stream_feed(&st, data + off,
				size - off < chunk ? size - off : chunk,
				one_record, &c))
			break;
	if (off >= size)
		stream_finish(&st, one_record, &c);
	tlw_flush(&c.w);
	tlw_free(&c.w);
	tl_free(&c.t);
	filter_free(&c.f);
	lineage_lines((const char *)data, (const char *)data + size);
	return 0;
}
