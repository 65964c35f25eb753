// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle reader: the process lifecycle stream of lifecycle.ko.
 *
 * Argument parsing and the default command (print the log) live here; the
 * other commands each have their own file.
 */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cli.h"
#include "input.h"
#include "json.h"
#include "stream.h"
#include "timeline.h"

#ifndef LC_VERSION
#define LC_VERSION	"0.1"
#endif
/* records an exit waits in for its reap (about 1.8 MB) */
#define TL_WINDOW	4096

static const char usage_text[] =
"Usage: lifecycle [OPTIONS]               print the process lifecycle log\n"
"       lifecycle -f [--new] [OPTIONS]    follow new records until Ctrl-C\n"
"       lifecycle run [OPTIONS] -- CMD [ARGS...]\n"
"                                         run CMD, then tell its story\n"
"       lifecycle tree [OPTIONS] [PID]    draw the process tree (lineage)\n"
"       lifecycle story [OPTIONS] PID[@START]\n"
"                                         one process's whole life\n"
"       lifecycle summary [OPTIONS]       counts, zombies, orphans, signal\n"
"                                         deaths, shortest and longest lives\n"
"       lifecycle stats [OPTIONS]         show the module's counters\n"
"       lifecycle chart [-p PID] -o FILE  the story as an HTML chart\n"
"       lifecycle --perfetto -o FILE      the story as a Perfetto trace\n"
"\n"
"Options:\n"
"  -i, --input FILE   read FILE instead of " LC_PROC_PATH " (or the\n"
"                     debugfs lineage/stats file); '-' is stdin\n"
"  -f, --follow       keep reading new records (poll) until Ctrl-C;\n"
"                     story: until the process is reaped\n"
"      --new          with -f: start at the end, show only new records\n"
"  -j, --json         one JSON object per line (JSON Lines)\n"
"  -p, --pid PID,...  only these processes and their descendants (from\n"
"                     fork records); -p may be given again\n"
"      --only PID,... only these processes, without their descendants;\n"
"                     --only may be given again\n"
"  -c, --comm COMM,...  only records whose comm is one of these (at most\n"
"                     15 bytes each); -c may be given again\n"
"  -e, --events LIST  only these events, comma-separated: fork,exec,exit,\n"
"                     reap,reparent,stop,cont,signal,setsid,setpgid,\n"
"                     state,lost\n"
"  -t, --timeout SEC  -f, run, --raw: stop following after SEC seconds\n"
"  -r, --raw          write the records as the module's binary stream\n"
"                     (see lifecycle.h) to stdout, to read later with -i;\n"
"                     with -f keep following.  The cheapest way to record\n"
"      --rotate DIR   -r into DIR/lifecycle-N.bin files; -i DIR reads them\n"
"                     back in order, checking the seq across them\n"
"      --max-bytes N  --rotate: at most N bytes a file (K, M, G; 16M)\n"
"      --max-files K  --rotate: delete the oldest beyond K files (8)\n"
"      --journal      each record to the systemd journal (LIFECYCLE_*)\n"
"  -o, --output FILE  chart, --perfetto, tree --dot: write FILE, not stdout\n"
"      --perfetto     the story as Trace Event Format JSON (ui.perfetto.dev)\n"
"      --dot          tree: a Graphviz graph (creator and adoption edges)\n"
"  -T, --wall         TIME as wall-clock time of day (HH:MM:SS.usec)\n"
"      --strict       stop at the first damaged line or event\n"
"      --color WHEN   auto (the default), always or never\n"
"  -a, --args         tree: the arguments of each process's last exec\n"
"  -g, --groups       tree: each process's session and process group\n"
"      --alive        tree: only the living, and the ancestors they hang\n"
"                     from\n"
"  -V, --version      show the version\n"
"  -h, --help         show this help\n"
"\n"
"A damaged spot in the input is skipped, reported on stderr with what was\n"
"skipped, and makes the exit status 1.\n"
"Colours are used when stdout is a terminal and NO_COLOR is not set (or\n"
"empty).\n"
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
"  lifecycle tree -a -i rec.bin     # the tree a recording tells, with argv\n"
"  lifecycle story 4170             # birth to reap, ancestors, descendants\n"
"  lifecycle summary -i rec.bin     # what a recording holds, in lists\n"
"  lifecycle stats --json           # counters as one JSON object\n"
"  lifecycle chart -i rec.bin -o story.html   # open it in a browser\n"
"  lifecycle --perfetto -o trace.json # open it in ui.perfetto.dev\n"
"  lifecycle tree --dot | dot -Tsvg > tree.svg\n";

/* tree's and the filter's long options */
enum { OPT_ALIVE = 0x200, OPT_ONLY };

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
	{ "wall", no_argument, NULL, 'T' },
	{ "strict", no_argument, NULL, 'S' },
	{ "color", required_argument, NULL, 'C' },
	{ "colour", required_argument, NULL, 'C' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ "rotate", required_argument, NULL, OPT_ROTATE },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "max-files", required_argument, NULL, OPT_MAX_FILES },
	{ "journal", no_argument, NULL, OPT_JOURNAL },
	{ "args", no_argument, NULL, 'a' },
	{ "groups", no_argument, NULL, 'g' },
	{ "alive", no_argument, NULL, OPT_ALIVE },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "output", required_argument, NULL, 'o' },
	{ "perfetto", no_argument, NULL, OPT_PERFETTO },
	{ "dot", no_argument, NULL, OPT_DOT },
	{ NULL, 0, NULL, 0 }
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "lifecycle: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'lifecycle --help'.\n");
	return 2;
}

static int usage_error2(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "lifecycle: ");
	fprintf(stderr, fmt, a, b);
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

static int add_pids(struct opts *o, char *arg, bool only)
{
	char *item = arg, *comma;
	long long pid;
	int ret;

	for (;;) {
		comma = strchr(item, ',');
		if (comma)
			*comma = '\0';
		if (!*item)
			return usage_error("%s: an empty pid", only ?
					   "--only" : "-p");
		if (parse_pid(item, &pid))
			return usage_error("bad pid '%s'", item);
		ret = only ? filter_set_only(&o->filter, pid) :
			     filter_set_pid(&o->filter, pid);
		if (ret)
			return usage_error("%s: more than 64 pids", only ?
					   "--only" : "-p");
		if (!comma)
			return 0;
		item = comma + 1;
	}
}

static int set_color(struct opts *o, const char *arg)
{
	if (!strcmp(arg, "auto"))
		o->color_when = COLOR_AUTO;
	else if (!strcmp(arg, "always"))
		o->color_when = COLOR_ALWAYS;
	else if (!strcmp(arg, "never"))
		o->color_when = COLOR_NEVER;
	else
		return usage_error("--color: '%s' is not auto, always or never",
				   arg);
	return 0;
}

static int one_opt(struct opts *o, int c, char *arg)
{
	const char *bad = NULL, *why = NULL;

	switch (c) {
	case 'i':
		if (!*arg)
			return usage_error("-i: an empty file name%s", "");
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
		return add_pids(o, arg, false);
	case OPT_ONLY:
		return add_pids(o, arg, true);
	case 'a':
		o->tree_args = true;
		break;
	case 'g':
		o->tree_groups = true;
		break;
	case OPT_ALIVE:
		o->tree_alive = true;
		break;
	case 'c':
		if (filter_add_comms(&o->filter, arg, &bad, &why))
			return usage_error2("-c '%s': %s", bad, why);
		break;
	case 'e':
		if (!*arg || filter_set_events(&o->filter, arg, &bad))
			return *arg && *bad ?
			       usage_error("unknown event '%s' in -e", bad) :
			       usage_error("-e: an empty event name%s", "");
		break;
	case 't':
		if (parse_timeout(arg, &o->timeout_ms))
			return usage_error("bad timeout '%s'", arg);
		break;
	case 'r':
		o->raw = true;
		break;
	case 'T':
		o->wall = true;
		break;
	case 'S':
		o->strict = true;
		break;
	case 'C':
		return set_color(o, arg);
	case 'o':
		if (!*arg)
			return usage_error("-o: an empty file name%s", "");
		o->output = arg;
		break;
	case OPT_PERFETTO:
		o->perfetto = true;
		break;
	case OPT_DOT:
		o->dot = true;
		break;
	case 'V':
		printf("lifecycle %s (record format %d)\n", LC_VERSION,
		       LC_FORMAT_VERSION);
		return -1;
	case 'h':
		fputs(usage_text, stdout);
		return -1;
	default:
		return record_opt(o, c, arg);
	}
	return 0;
}

static int scan_opts(struct opts *o, int argc, char **argv)
{
	int c, ret;

	while ((c = getopt_long(argc, argv, "+i:fNjp:c:e:t:rTVhago:", longopts,
				NULL)) != -1) {
		ret = one_opt(o, c, optarg);
		if (ret)
			return ret;
	}
	return 0;
}

/* story's PID or PID@START */
static int story_key(struct opts *o, char *arg)
{
	char *at = strchr(arg, '@'), *end;

	if (at) {
		*at = '\0';
		errno = 0;
		o->key_start = strtoll(at + 1, &end, 10);
		o->has_key = true;
		if (!at[1] || *end || o->key_start < 0 || errno) {
			*at = '@';
			return usage_error("bad key '%s' (PID@START, START in ns since boot)",
					   arg);
		}
	}
	if (parse_pid(arg, &o->root)) {
		if (at)
			*at = '@';
		return usage_error("bad pid '%s'", arg);
	}
	return 0;
}

static int positional(struct opts *o, const char *cmd, char **argv)
{
	if (!strcmp(cmd, "story") && o->root < 0) {
		if (story_key(o, argv[optind]))
			return 2;
		optind++;
		return 0;
	}
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
	static const char *const cmds[] = {
		"run", "tree", "stats", "story", "summary",
		"chart",
	};
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

/* chart, --perfetto and tree --dot: their options, and -o */
static int pictures(struct opts *o, const char *cmd)
{
	bool chart = !strcmp(cmd, "chart") || o->perfetto;

	if (o->dot && strcmp(cmd, "tree"))
		return usage_error("--dot is for tree%s", "");
	if (o->perfetto && *cmd && strcmp(cmd, "chart"))
		return usage_error("--perfetto: no command, or chart%s", "");
	if (o->output && !chart && !o->dot)
		return usage_error("-o is for chart, --perfetto and tree --dot%s",
				   "");
	if (o->dot && o->json)
		return usage_error("tree: --dot or --json%s", "");
	if (chart && (o->follow || o->tail || o->json || o->raw || o->wall ||
		      o->filter.ncomms || o->filter.events || o->journal ||
		      o->rotate_dir))
		return usage_error("chart and --perfetto draw whole processes of the whole log: only -i, -p, -o and --strict%s",
				   "");
	if (o->output && !freopen(o->output, "w", stdout)) {
		fprintf(stderr, "lifecycle: %s: %s\n", o->output,
			strerror(errno));
		return 1;
	}
	return 0;
}

static int dispatch(struct opts *o, const char *cmd)
{
	int ret = pictures(o, cmd);

	if (ret)
		return ret;
	if (!strcmp(cmd, "chart") || o->perfetto)
		return cmd_chart(o);
	if ((o->journal || o->rotate_dir) && (*cmd || o->json ||
					      (o->journal && o->raw)))
		return usage_error("--journal and --rotate record: no command, -j, or both%s",
				   "");
	if ((o->max_bytes || o->max_files) && !o->rotate_dir)
		return usage_error("--max-bytes and --max-files are for --rotate%s",
				   "");
	if (o->journal)
		return cmd_journal(o);
	if (strcmp(cmd, "tree") && (o->tree_args || o->tree_groups ||
				    o->tree_alive))
		return usage_error("-a, -g and --alive are for tree%s", "");
	if (o->raw && (*cmd || o->json || o->filter.npids ||
			 o->filter.nonly ||
			 o->filter.ncomms || o->filter.events))
		return usage_error("--raw records everything: no command, -j, -p, --only, -c or -e%s",
				   "");
	if (!strcmp(cmd, "run")) {
		if (!o->cmd || !o->cmd[0])
			return usage_error("run: no command given%s", "");
		return cmd_run(o);
	}
	if (!strcmp(cmd, "story")) {
		if (o->root < 0)
			return usage_error("story: no PID given%s", "");
		if (o->tail || o->wall || o->filter.npids ||
		    o->filter.nonly || o->filter.ncomms || o->filter.events)
			return usage_error("story tells one whole life: no --new, -T, -p, --only, -c or -e%s",
					   "");
		return cmd_story(o);
	}
	if (*cmd && (o->follow || o->tail || o->wall))
		return usage_error2("%s: -f, --new and -T are for the log, not %s",
				    cmd, cmd);
	if (!strcmp(cmd, "tree") && (o->filter.ncomms || o->filter.events))
		return usage_error("tree draws whole processes: no -c or -e (tree PID, or -p PID, picks a subtree)%s",
				   "");
	if (!strcmp(cmd, "tree") && o->filter.npids > 1)
		return usage_error("tree takes one PID%s", "");
	if (!strcmp(cmd, "stats") && (o->filter.npids || o->filter.nonly ||
				     o->filter.ncomms || o->filter.events))
		return usage_error("stats: no -p, --only, -c or -e%s", "");
	if (!strcmp(cmd, "tree"))
		return cmd_tree(o);
	if (!strcmp(cmd, "summary"))
		return cmd_summary(o);
	if (!strcmp(cmd, "stats"))
		return cmd_stats(o);
	if (o->rotate_dir)
		return cmd_rotate(o);
	if (o->raw)
		return cmd_raw(o);
	return o->follow ? cmd_follow(o) : cmd_log(o);
}

static int close_stdout(int ret);

int main(int argc, char **argv)
{
	static char outbuf[64 * 1024];
	struct opts o = { .timeout_ms = -1, .root = -1 };
	const char *cmd = "", *no_color;
	bool tty = isatty(STDOUT_FILENO);
	int ret;

	/* a file or pipe: one write per 64 KiB (followers flush per batch) */
	if (!tty)
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	filter_init(&o.filter);
	ret = parse_args(&o, argc, argv, &cmd);
	if (ret)
		return close_stdout(ret < 0 ? 0 : ret);
	no_color = getenv("NO_COLOR");
	o.color = o.color_when == COLOR_ALWAYS ||
		  (o.color_when == COLOR_AUTO && tty && !(no_color && *no_color));
	o.utf8 = tty && utf8_locale();
	ret = dispatch(&o, cmd);
	filter_free(&o.filter);
	return close_stdout(ret);
}

/* the last flush and the close can fail too (a full disk, NFS) */
static int close_stdout(int ret)
{
	if (lc_out_flush() || out_error())
		return out_failed();
	errno = 0;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		out_errno = errno ? errno : EIO;
		return out_failed();
	}
	if (fclose(stdout) == EOF) {
		out_errno = errno ? errno : EIO;
		return out_failed();
	}
	return ret;
}

struct log_ctx {
	struct opts *o;
	struct tl t;
	struct tl_window w;
};

static int log_one(void *ctx, const struct lc_entry *r)
{
	struct log_ctx *c = ctx;
	bool show = filter_match(&c->o->filter, r);

	if (c->o->json) {		/* the hot path: no stdio */
		if (show)
			json_emit(r);
		return out_errno ? -1 : 0;
	}
	tlw_push(&c->w, r, show);
	return out_error() ? -1 : 0;
}

/*
 * The default command: the log, streamed.  A timeline line waits in a
 * window of TL_WINDOW records for the reap its exit may be joined with.
 */
int cmd_log(struct opts *o)
{
	const char *src = o->input ? o->input : lc_default_path(LC_KIND_LOG);
	struct stream *s = malloc(sizeof(*s));
	struct log_ctx c = { .o = o };
	int ret = 1;

	tl_init(&c.t, stdout, o->color, o->utf8);
	c.t.direct = true;	/* nothing else goes to stdout */
	if (o->wall && tl_set_wall(&c.t))
		goto out;
	if (!s || tlw_init(&c.w, &c.t, TL_WINDOW)) {
		fprintf(stderr, "lifecycle: out of memory\n");
		goto out;
	}
	if (rotate_is_dir(src)) {	/* --rotate's files, in order */
		ret = rotate_read_dir(s, src, o->strict, log_one, &c);
		goto flush;
	}
	if (stream_open(s, src, false))
		goto out_window;
	s->strict = o->strict;
	ret = stream_read_all(s, log_one, &c);
	if (!ret)
		ret = stream_finish(s, log_one, &c);
flush:
	if (!o->json)
		tlw_flush(&c.w);
	lc_out_flush();
	if (!ret && s->damaged)
		ret = 1;
	stream_close(s);
out_window:
	tlw_free(&c.w);
out:
	tl_free(&c.t);
	free(s);
	if (out_error())
		return out_failed();
	return ret ? 1 : 0;
}
