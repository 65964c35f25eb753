// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side tests of the parser and the formatters.
 *
 * Unit checks of parsed values first, then every fixture in the directory
 * given: NAME.txt must give exactly NAME.json (and NAME.timeline when
 * present); bad/NAME.txt must fail with the message in bad/NAME.err
 * ("LINE: what is wrong").  Adding a fixture is adding its files.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fields.h"
#include "filter.h"
#include "json.h"
#include "jsonw.h"
#include "log.h"
#include "parse.h"
#include "signames.h"
#include "timeline.h"

typedef void (*fixture_fn)(const char *dir, const char *name);

static int passed, failed;

#define CHECK(cond) check(cond, #cond, __FILE__, __LINE__)

static void check(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
}

static int parse1(const char *line, struct lc_entry *r, char *err)
{
	struct lc_parser p;
	int ret;

	lc_parser_init(&p, "t", false);
	lc_parse_line(&p, "lifecycle 1\n", 12, r);
	ret = lc_parse_line(&p, line, strlen(line), r);
	snprintf(err, LC_ERR_LEN, "%s", p.err);
	return ret;
}

static void test_values(void)
{
	char err[LC_ERR_LEN], line[LC_LINE_MAX];
	struct lc_entry r;

	CHECK(parse1("5 99 3 exit 10 10 1 1000 a\\x20b status=139 code=- signal=11 core=1 group_dead=1\n",
		     &r, err) == 1);
	CHECK(r.seq == 5 && r.ts_ns == 99 && r.cpu == 3 && r.uid == 1000);
	CHECK(r.type == LC_EV_EXIT && !strcmp(r.comm, "a b"));
	CHECK(r.exit.status == 139 && r.exit.code == LC_NONE);
	CHECK(r.exit.signal == 11 && r.exit.core == 1);
	CHECK(parse1("1 2 0 fork 3 3 2 0 x creator_pid=2 creator_tgid=2 clone_flags=0x1200011 thread=0 vfork=0",
		     &r, err) == 1);
	CHECK(r.fork.clone_flags == 0x1200011 && r.fork.thread == 0);
	CHECK(parse1("1 2 0 exec 3 3 2 0 x old_pid=3 filename=/a filename_trunc=0 argv=a\\x2cb,,c argv_trunc=1",
		     &r, err) == 1);
	CHECK(r.exec.argv.argc == 3 && !strcmp(r.exec.argv.buf, "a,b"));
	CHECK(r.exec.argv.buf[4] == '\0' && !strcmp(r.exec.argv.buf + 5, "c"));
	CHECK(parse1("1 2 0 exec 3 3 2 0 x old_pid=3 filename=- filename_trunc=0 argv= argv_trunc=0",
		     &r, err) == 1);
	CHECK(r.exec.filename.null && r.exec.argv.argc == 0 && !r.exec.argv.null);
	snprintf(line, sizeof(line), "1 2 0 exec 3 3 2 0 x old_pid=3 filename=/a filename_trunc=0 argv=%0159d, argv_trunc=0",
		 0);
	CHECK(parse1(line, &r, err) == 1);	/* 160 bytes: full, fits */
	CHECK(r.exec.argv.argc == 2 && r.exec.argv.len == LC_ARGV_LEN + 1);
	CHECK(parse1("1 2 0 reap 3 3 2 0 x reaper_pid=2 reaper_tgid=2 how=autoreap zombie_ns=9223372036854775807",
		     &r, err) == 1);
	CHECK(!strcmp(r.reap.how, "autoreap") && r.reap.zombie_ns == LLONG_MAX);
	CHECK(parse1("1 2 0 reap 3 3 2 0 x reaper_pid=2 reaper_tgid=2 how=autoreap zombie_ns=9223372036854775808",
		     &r, err) == -1);
	CHECK(strstr(err, "out of range") != NULL);
	CHECK(parse1("1 2 0 state 3 3 2 0 x from=S to=Q prev_ns=1", &r, err) == -1);
	CHECK(parse1("1 2 0 setsid 3 3 2 0 x", &r, err) == -1);
	CHECK(!strcmp(err, "setsid: missing field 'sid'"));
	CHECK(parse1("1 2 0 setsid 3 3 2 0 x sid=3 new=1", &r, err) == 1);
	CHECK(parse1("1 2 0 setsid 3 3 2 0 x sid=3 new", &r, err) == -1);
}

static void test_unescape(void)
{
	char out[8];
	const char *why = NULL;

	CHECK(lc_unescape("a\\x41", 5, out, sizeof(out), &why) == 2);
	CHECK(!strcmp(out, "aA"));
	CHECK(lc_unescape("\\x4", 3, out, sizeof(out), &why) == -1);
	CHECK(lc_unescape("\\y41", 4, out, sizeof(out), &why) == -1);
	CHECK(lc_unescape("\\x00", 4, out, sizeof(out), &why) == -1);
	CHECK(lc_unescape("a,b", 3, out, sizeof(out), &why) == -1);
	CHECK(lc_unescape("12345678", 8, out, sizeof(out), &why) == -1);
	CHECK(lc_unescape("1234567", 7, out, sizeof(out), &why) == 7);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

/* parse a whole file quietly; 0, or -1 with "LINE: message\n" in err */
static int load(const char *path, struct lc_log *log, char *err, size_t n)
{
	FILE *f = fopen(path, "r");
	struct lc_parser p;
	struct lc_entry r;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	if (!f)
		return snprintf(err, n, "cannot open %s\n", path), -1;
	lc_parser_init(&p, path, false);
	while (ret >= 0 && (len = getline(&line, &cap, f)) >= 0) {
		ret = lc_parse_line(&p, line, len, &r);
		if (ret == 1)
			log_append(log, &r, true);
	}
	if (ret >= 0)
		ret = lc_parse_end(&p);
	if (ret < 0)
		snprintf(err, n, "%lu: %s\n", p.lineno, p.err);
	free(line);
	fclose(f);
	return ret < 0 ? -1 : 0;
}

static void expect_same(const char *what, const char *got, const char *path)
{
	char *want = slurp(path);
	size_t i, j, line = 1;

	CHECK(want != NULL);
	if (!want || !strcmp(want, got)) {
		passed += !!want;
		free(want);
		return;
	}
	for (i = 0; want[i] && want[i] == got[i]; i++)
		line += want[i] == '\n';
	for (j = i; j && got[j - 1] != '\n'; j--)
		;
	failed++;
	fprintf(stderr, "FAIL %s: differs from %s at line %zu:\n  got:  %.200s\n",
		what, path, line, got + j);
	free(want);
}

static char *render(const struct lc_log *log, bool json)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&buf, &len);
	struct tl t;

	for (i = 0; json && i < log->n; i++)
		json_record(m, &log->v[i]);
	if (!json) {
		tl_init(&t, m, false, false);
		tl_print_all(&t, log->v, log->show, log->n);
		tl_free(&t);
	}
	fclose(m);
	return buf;
}

static void run_good(const char *dir, const char *name)
{
	char path[512], err[LC_ERR_LEN + 32];
	struct lc_log log = { 0 };
	size_t n = strlen(name) - 4;
	char *out;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (load(path, &log, err, sizeof(err))) {
		failed++;
		fprintf(stderr, "FAIL %s: %s", path, err);
		return;
	}
	out = render(&log, true);
	snprintf(path, sizeof(path), "%s/%.*s.json", dir, (int)n, name);
	expect_same(name, out, path);
	free(out);
	snprintf(path, sizeof(path), "%s/%.*s.timeline", dir, (int)n, name);
	f = fopen(path, "r");
	if (f) {
		fclose(f);
		out = render(&log, false);
		expect_same(name, out, path);
		free(out);
	}
	log_free(&log);
}

static void run_bad(const char *dir, const char *name)
{
	char path[512], err[LC_ERR_LEN + 32];
	struct lc_log log = { 0 };
	size_t n = strlen(name) - 4;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!load(path, &log, err, sizeof(err))) {
		failed++;
		fprintf(stderr, "FAIL %s: parsed, but must fail\n", path);
	} else {
		snprintf(path, sizeof(path), "%s/%.*s.err", dir, (int)n, name);
		expect_same(name, err, path);
	}
	log_free(&log);
}

static int is_txt(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".txt");
}

static int scan_fixtures(const char *dir, fixture_fn fn)
{
	struct dirent **list;
	int i, n = scandir(dir, &list, is_txt, alphasort);

	for (i = 0; i < n; i++) {
		fn(dir, list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return n < 0 ? 0 : n;
}

/* one record through the timeline, with or without UTF-8 */
static char *tl_one(const char *line, bool utf8)
{
	char err[LC_ERR_LEN], *buf = NULL;
	struct lc_entry r;
	size_t len = 0;
	FILE *m;
	struct tl t;

	if (parse1(line, &r, err) != 1)
		return strdup(err);
	m = open_memstream(&buf, &len);
	tl_init(&t, m, false, utf8);
	tl_print(&t, &r, NULL);
	tl_free(&t);
	fclose(m);
	return buf;
}

/* issue 13, 5: valid UTF-8 as it is in a UTF-8 terminal, columns by width */
static void test_utf8(void)
{
	static const char zh5[] = "\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad";
	char line[LC_LINE_MAX], *out;

	snprintf(line, sizeof(line), "1 0 0 exec 5 5 1 0 %s old_pid=5 filename=/bin/%s filename_trunc=0 argv=%s,a\\xffb,\\x1b[2J argv_trunc=0",
		 zh5, zh5, zh5);
	out = tl_one(line, true);
	CHECK(!strcmp(out, "   TIME(s) EVENT    PID     PPID    COMM             DETAILS\n"
		      "     0.000 exec     5       1       \xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad       exec /bin/\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad [\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad a\\xffb \\x1b[2J]\n"));
	free(out);
	out = tl_one(line, false);	/* not UTF-8: every byte escaped */
	CHECK(!strcmp(out, "   TIME(s) EVENT    PID     PPID    COMM             DETAILS\n"
		      "     0.000 exec     5       1       \\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad exec /bin/\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad [\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad\\xe4\\xb8\\xad a\\xffb \\x1b[2J]\n"));
	free(out);
	/* a C1 control and a bidi override stay escaped; é takes one column */
	out = tl_one("1 0 0 setsid 5 5 1 0 \\xc2\\x9b\\xe2\\x80\\xaeab\\xc3\\xa9 sid=5", true);
	CHECK(!strcmp(out, "   TIME(s) EVENT    PID     PPID    COMM             DETAILS\n"
		      "     0.000 setsid   5       1       \\xc2\\x9b\\xe2\\x80\\xaeab\xc3\xa9 setsid: new session 5\n"));
	free(out);
}

/* the text after "key": in a JSON line, up to its , or } */
static void json_value(const char *line, const char *key, char *out,
		       size_t len)
{
	char pat[64];
	const char *v;
	size_t n;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	v = strstr(line, pat);
	if (!v) {
		snprintf(out, len, "(none)");
		return;
	}
	v += strlen(pat);
	n = strcspn(v, ",}");
	snprintf(out, len, "%.*s", (int)n, v);
}

static bool json_num_is(const char *line, const char *key, long long v)
{
	char got[64], want[32];

	json_value(line, key, got, sizeof(got));
	snprintf(want, sizeof(want), "%lld", v);
	if (v == LC_NONE)
		snprintf(want, sizeof(want), "null");
	if (!strcmp(got, want))
		return true;
	fprintf(stderr, "%s: got %s, want %s\n", key, got, want);
	return false;
}

/*
 * json.c copies numbers, comms and names it wrote before (seq counted up,
 * ts_ns's high digits, a table of large numbers by value, comms by their
 * bytes): every value must still be the one printf() gives, across carries,
 * table collisions and changes of comm.
 */
static void test_json_tables(void)
{
	static const long long seqs[] = {
		8, 9, 10, 11, 99, 100, 101, 999999999, 1000000000,
		1000000001, 5, 6, 9999999999999999LL, 10000000000000000LL,
		LLONG_MAX - 1, LLONG_MAX, 1, 2,
	};
	static const long long big[] = {
		99999999, 100000000, 100000001, 199999999, 200000000,
		12345678901234567LL, LLONG_MAX, 100000000, -1, LLONG_MIN + 1,
		-100000000, 4000000000LL, 4000000001LL, 100000000,
	};
	static const char *const comms[] = {
		"bash", "bash", "lcwork", "bash", "\xff\xfe", "bash", "a\"b",
		"a\"b", "", "0123456789abcde", "lifecycle-a", "lifecycle-b",
		"lifecycle-a",
	};
	char buf[JSON_RECORD_MAX], got[128], want[128];
	struct lc_entry r;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(seqs); i++) {
		lc_entry_init(&r);
		r.type = LC_EV_SIGNAL;
		r.seq = seqs[i];
		r.ts_ns = big[i % ARRAY_SIZE(big)] < 0 ? 5 :
			  big[i % ARRAY_SIZE(big)];
		r.pid = r.tgid = r.ppid = 7;
		r.start_ns = big[(i + 3) % ARRAY_SIZE(big)];
		r.parent_start_ns = big[(i * 5) % ARRAY_SIZE(big)];
		r.sig.signal = (long long)(i * 7) % 66 - 1;
		r.sig.sender_start_ns = r.start_ns;
		r.sig.sender_pid = r.sig.sender_tgid = 7;
		r.sig.group = 0;
		r.sig.result = lc_result_name(i % 3);
		*json_format(buf, &r) = '\0';
		CHECK(json_num_is(buf, "seq", r.seq));
		CHECK(json_num_is(buf, "ts_ns", r.ts_ns));
		CHECK(json_num_is(buf, "start_ns", r.start_ns));
		CHECK(json_num_is(buf, "parent_start_ns", r.parent_start_ns));
		CHECK(json_num_is(buf, "sender_start_ns", r.start_ns));
		CHECK(json_num_is(buf, "signal", r.sig.signal));
		json_value(buf, "signal_name", got, sizeof(got));
		snprintf(want, sizeof(want), "\"%s\"", sig_name(r.sig.signal) ?
			 sig_name(r.sig.signal) : "");
		CHECK(sig_name(r.sig.signal) ? !strcmp(got, want) :
		      !strcmp(got, "(none)"));
	}
	for (j = 0; j < 3; j++) {
		for (i = 0; i < ARRAY_SIZE(comms); i++) {
			lc_entry_init(&r);
			r.type = LC_EV_SETSID;
			r.seq = 1;
			memset(r.comm, (int)j, sizeof(r.comm));	/* after the NUL */
			memcpy(r.comm, comms[i], strlen(comms[i]) + 1);
			*json_format(buf, &r) = '\0';
			json_value(buf, "comm", got, sizeof(got));
			*jw_quote_to(want, comms[i]) = '\0';
			CHECK(!strcmp(got, want));
			CHECK(!strstr(buf, "comm_b64") == jw_utf8(comms[i]));
		}
	}
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "fixtures";
	char bad[512];
	int good_n, bad_n;

	test_values();
	test_unescape();
	test_utf8();
	test_json_tables();
	good_n = scan_fixtures(dir, run_good);
	snprintf(bad, sizeof(bad), "%s/bad", dir);
	bad_n = scan_fixtures(bad, run_bad);
	printf("test_parse: %d checks passed, %d failed (%d good fixtures, %d bad fixtures)\n",
	       passed, failed, good_n, bad_n);
	return failed ? 1 : 0;
}
