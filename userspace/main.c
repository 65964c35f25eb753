// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle reader: the process lifecycle stream of lifecycle.ko.
 *
 * Argument parsing and the default command (print the log) live here; the
 * other commands each have their own file.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cli.h"
#include "json.h"
#include "log.h"
#include "timeline.h"

static const char usage_text[] =
"Usage: lifecycle [OPTIONS]               print the process lifecycle log\n"
"       lifecycle -f [--new] [OPTIONS]    follow new records until Ctrl-C\n"
"       lifecycle run [OPTIONS] -- CMD [ARGS...]\n"
"                                         run CMD, then tell its story\n"
"       lifecycle tree [OPTIONS] [PID]    draw the process tree (lineage)\n"
"       lifecycle stats [OPTIONS]         show the module's counters\n"
"\n"
"Options:\n"
"  -i, --input FILE   read FILE instead of " LC_PROC_PATH " (or the\n"
"                     debugfs lineage/stats file); '-' is stdin\n"
"  -f, --follow       keep reading new records (poll) until Ctrl-C\n"
"      --new          with -f: start at the end, show only new records\n"
"  -j, --json         one JSON object per line (JSON Lines)\n"
"  -p, --pid PID      only PID and its descendants (from fork records)\n"
"  -c, --comm COMM    only records whose comm is COMM\n"
"  -e, --events LIST  only these events, comma-separated: fork,exec,exit,\n"
"                     reap,reparent,stop,cont,signal,setsid,setpgid,\n"
"                     state,lost\n"
"  -t, --timeout SEC  run, --raw: stop following after SEC seconds\n"
"  -r, --raw          write the records as the module's binary stream\n"
"                     (see lifecycle.h) to stdout, to read later with -i;\n"
"                     with -f keep following.  The cheapest way to record\n"
"  -h, --help         show this help\n"
"\n"
"Colours are used when stdout is a terminal and NO_COLOR is not set.\n"
"\n"
"EXAMPLES:\n"
"  lifecycle                        # the retained log as a timeline\n"
"  lifecycle -e exit,reap -c sleep  # how every sleep ended\n"
"  lifecycle -f --new -p 1234       # follow 1234 and its descendants\n"
"  lifecycle --json -i rec.txt      # a recorded log as JSON Lines\n"
"  lifecycle -f --new -r > rec.bin  # record until Ctrl-C; then -i rec.bin\n"
"  lifecycle run -- make -j4        # the story of a build\n"
"  lifecycle run -t 10 -- ./daemon  # a daemon's first ten seconds\n"
"  lifecycle tree 1                 # the tree under init, with adoptions\n"
"  lifecycle stats --json           # counters as one JSON object\n";

static const struct option longopts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "follow", no_argument, NULL, 'f' },
	{ "new", no_argument, NULL, 'N' },
	{ "json", no_argument, NULL, 'j' },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "events", required_argument, NULL, 'e' },
	{ "timeout", required_argument, NULL, 't' },
	{ "raw", no_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "lifecycle: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'lifecycle --help'.\n");
	return 2;
}

static int parse_pid(const char *s, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (!*s || *end || v < 0 || v > LC_PID_MAX)
		return -1;
	*out = v;
	return 0;
}

static int parse_timeout(const char *s, long long *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !(v >= 0 && v < 1e9))
		return -1;
	*ms = (long long)(v * 1000);
	return 0;
}

static int one_opt(struct opts *o, int c, char *arg)
{
	const char *bad = NULL;

	switch (c) {
	case 'i':
		o->input = arg;
		break;
	case 'f':
		o->follow = true;
		break;
	case 'N':
		o->tail = true;
		break;
	case 'j':
		o->json = true;
		break;
	case 'p':
		if (parse_pid(arg, &o->filter.pid))
			return usage_error("bad pid '%s'", arg);
		filter_set_pid(&o->filter, o->filter.pid);
		break;
	case 'c':
		o->filter.comm = arg;
		break;
	case 'e':
		if (filter_set_events(&o->filter, arg, &bad))
			return usage_error("unknown event '%s' in -e", bad);
		break;
	case 't':
		if (parse_timeout(arg, &o->timeout_ms))
			return usage_error("bad timeout '%s'", arg);
		break;
	case 'r':
		o->raw = true;
		break;
	case 'h':
		fputs(usage_text, stdout);
		return -1;
	default:
		return 2;
	}
	return 0;
}

static int scan_opts(struct opts *o, int argc, char **argv)
{
	int c, ret;

	while ((c = getopt_long(argc, argv, "+i:fNjp:c:e:t:rh", longopts,
				NULL)) != -1) {
		ret = one_opt(o, c, optarg);
		if (ret)
			return ret;
	}
	return 0;
}

static int positional(struct opts *o, const char *cmd, char **argv)
{
	if (!strcmp(cmd, "tree") && o->root < 0) {
		if (parse_pid(argv[optind], &o->root))
			return usage_error("bad pid '%s'", argv[optind]);
		optind++;
		return 0;
	}
	return usage_error("unexpected argument '%s'", argv[optind]);
}

/* options may come before and after the command word */
static int parse_args(struct opts *o, int argc, char **argv, const char **cmd)
{
	static const char *const cmds[] = { "run", "tree", "stats" };
	size_t i;
	int ret;

	while (!(ret = scan_opts(o, argc, argv)) && optind < argc) {
		for (i = 0; !**cmd && i < ARRAY_SIZE(cmds); i++)
			if (!strcmp(argv[optind], cmds[i]))
				break;
		if (!**cmd && i < ARRAY_SIZE(cmds)) {
			*cmd = cmds[i];
			optind++;
			continue;
		}
		if (!strcmp(*cmd, "run")) {
			o->cmd = argv + optind;
			return 0;
		}
		ret = positional(o, *cmd, argv);
		if (ret)
			return ret;
	}
	return ret;
}

static bool utf8_locale(void)
{
	const char *cs;

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	if (cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8")))
		return true;
	/* no locale data installed: trust the variables themselves */
	cs = getenv("LC_ALL");
	if (!cs || !*cs)
		cs = getenv("LC_CTYPE");
	if (!cs || !*cs)
		cs = getenv("LANG");
	return cs && (strcasestr(cs, "UTF-8") || strcasestr(cs, "utf8"));
}

static int dispatch(struct opts *o, const char *cmd)
{
	if (o->raw && (*cmd || o->json || o->filter.pid >= 0 ||
			 o->filter.comm || o->filter.events))
		return usage_error("--raw records everything: no command, -j, -p, -c or -e%s",
				   "");
	if (!strcmp(cmd, "run")) {
		if (!o->cmd || !o->cmd[0])
			return usage_error("run: no command given%s", "");
		return cmd_run(o);
	}
	if (!strcmp(cmd, "tree"))
		return cmd_tree(o);
	if (!strcmp(cmd, "stats"))
		return cmd_stats(o);
	if (o->raw)
		return cmd_raw(o);
	return o->follow ? cmd_follow(o) : cmd_log(o);
}

int main(int argc, char **argv)
{
	struct opts o = { .timeout_ms = -1, .root = -1 };
	const char *cmd = "";
	bool tty = isatty(STDOUT_FILENO);
	int ret;

	filter_init(&o.filter);
	ret = parse_args(&o, argc, argv, &cmd);
	if (ret)
		return ret < 0 ? 0 : ret;
	o.color = tty && !getenv("NO_COLOR");
	o.utf8 = tty && utf8_locale();
	ret = dispatch(&o, cmd);
	filter_free(&o.filter);
	return ret;
}

/* the default command: the whole retained log, two-pass */
int cmd_log(struct opts *o)
{
	const char *src = o->input ? o->input : LC_PROC_PATH;
	bool std = !strcmp(src, "-");
	FILE *f = std ? stdin : fopen(src, "r");
	struct lc_parser p;
	struct lc_log log = { 0 };
	struct tl t;
	size_t i;
	int ret;

	if (!f) {
		fprintf(stderr, "lifecycle: %s: %m\n", src);
		return 1;
	}
	lc_parser_init(&p, std ? "<stdin>" : src, false);
	ret = log_read(f, &p, &log);
	if (!std)
		fclose(f);
	for (i = 0; !ret && i < log.n; i++) {
		log.show[i] = filter_match(&o->filter, &log.v[i]);
		if (o->json && log.show[i])
			json_record(stdout, &log.v[i]);
	}
	if (!ret && !o->json) {
		tl_init(&t, stdout, o->color, o->utf8);
		tl_print_all(&t, log.v, log.show, log.n);
		tl_free(&t);
	}
	log_free(&log);
	return ret ? 1 : 0;
}
