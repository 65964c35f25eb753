// SPDX-License-Identifier: GPL-2.0
/*
 * "lifecycle summary": the log (/proc/lifecycle, or a recording with -i,
 * text or binary, a --rotate directory) in a few lists: the records by
 * event and by comm, the longest zombies, the zombies never reaped, the
 * adoptions, the deaths by signal, the shortest and longest lives.  Live,
 * the debugfs lineage table names the processes the log does not.
 *
 * The log is read once, in constant memory (summary.h gives the bounds).
 */
#include <stdlib.h>
#include "cli.h"
#include "input.h"
#include "stream.h"
#include "summary.h"

static int add_one(void *ctx, const struct lc_entry *r)
{
	struct summary *s = ctx;

	return sum_add(s, r);
}

/* the log, to its end; 0, or -1 after a message */
static int read_log(struct opts *o, struct summary *sum, struct stream *s,
		    const char *src)
{
	int ret;

	if (rotate_is_dir(src)) {
		ret = rotate_read_dir(s, src, o->strict, add_one, sum);
	} else {
		if (stream_open(s, src, false))
			return -1;
		s->strict = o->strict;
		ret = stream_read_all(s, add_one, sum);
		if (!ret)
			ret = stream_finish(s, add_one, sum);
	}
	snprintf(sum->boot_id, sizeof(sum->boot_id), "%s", s->p.boot_id);
	if (sum->oom)
		fprintf(stderr, "lifecycle: out of memory\n");
	return ret;
}

/* live: the lineage table, for names; one not there is only a note */
static int read_lineage(struct lineage *l)
{
	const char *src = lc_default_path(LC_KIND_LINEAGE);
	FILE *f = lc_fopen_input(src, LC_KIND_LINEAGE);
	int ret = 0;

	if (!f) {
		fprintf(stderr, "lifecycle: summary: processes not in %s go unnamed\n",
			lc_default_path(LC_KIND_LOG));
		return 0;
	}
	if (lineage_read(f, src, l))
		ret = -1;
	fclose(f);
	return ret;
}

/**
 * cmd_summary() - "lifecycle summary"
 * @o: the options: -i, -j, -p, -c, -e, --strict
 *
 * Return: the exit status: 0, or 1 (a damaged spot skipped included).
 */
int cmd_summary(struct opts *o)
{
	const char *src = o->input ? o->input : lc_default_path(LC_KIND_LOG);
	struct stream *s = malloc(sizeof(*s));
	struct lineage l = { 0 };
	struct summary sum;
	bool damaged = false, live = !o->input;
	int ret = 1;

	if (!s || sum_init(&sum, &o->filter)) {
		fprintf(stderr, "lifecycle: out of memory\n");
		free(s);
		return 1;
	}
	s->fd = -1;
	s->damaged = 0;
	if (read_log(o, &sum, s, src))
		goto out;
	damaged = s->damaged;
	if (live && read_lineage(&l))
		damaged = true;
	if (sum_end(&sum, live ? &l : NULL)) {
		fprintf(stderr, "lifecycle: out of memory\n");
		goto out;
	}
	if (o->json)
		summary_json(&sum);
	else
		summary_text(&sum, o->utf8);
	ret = damaged ? 1 : 0;
out:
	stream_close(s);
	free(s);
	lineage_free(&l);
	sum_free(&sum);
	if (out_error())
		return out_failed();
	return ret;
}
