// SPDX-License-Identifier: GPL-2.0
/*
 * Synthetic inputs for the reader's streaming figures (issue 13):
 *
 *   lcgen text N [SEED]      a /proc/lifecycle text log of N records
 *   lcgen bin N [SEED]       the same records as the binary stream
 *   lcgen lineage N [SEED]   a debugfs lineage table of N processes
 *   lcgen chain N            a lineage table: a chain N processes deep
 *
 * The log is a shell and its children: 32 process lives at a time, each
 * fork, setpgid, exec, (signal,) exit, SIGCHLD to the parent and reap,
 * interleaved at random, with a daemon now and then that is adopted by
 * init.  Pids go up to 4194303 and wrap, as the kernel's do.  The
 * lineage is a random tree: half the processes are children of the one
 * before (so chains run deep), the rest of one of the last 1000, one in
 * 16 adopted by init; a third are dead, some zombies.  Output is
 * deterministic for a given SEED.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lifecycle.h>

#define POOL		32
#define PID_FIRST	300
#define PID_LAST	4194303
#define SHELL		200

static unsigned long long rng = 88172645463325252ULL;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng >> 32) % n;
}

struct life {
	unsigned long long start;	/* its fork's ts: start_ns */
	int pid;
	int step;		/* the next record of this life */
	int daemon;		/* escapes: reparented to init, reaped by it */
	int killed;
};

static int binary;
/* the binary ids of the record being made: its process's and its parent's */
static unsigned long long cur_start, cur_pstart;
#define INIT_START	500000ULL
#define SHELL_START	1000000ULL
static unsigned long long seq = 1, ts = 1000000000ULL;
static int next_pid = PID_FIRST;
static union {
	struct lc_event ev;
	char raw[LC_LINE_MAX];
} ebuf;

static const char *const names[] = { "sleep", "sed", "awk", "grep", "cat" };

/* the common prefix of a record, and its binary header */
static struct lc_event *head(int type, int pid, int ppid, const char *comm)
{
	struct lc_event *ev = &ebuf.ev;

	ts += 1000 + rnd(200000);
	if (!binary) {
		printf("%llu %llu %u %s %d %d %d 1000 %s ", seq, ts, rnd(2),
		       (const char *[])LC_EVENT_NAMES[type], pid, pid, ppid,
		       comm);
		seq++;
		return ev;
	}
	memset(ebuf.raw, 0, LC_EVENT_SMALL_SIZE);
	ev->size = LC_EVENT_SMALL_SIZE;
	ev->type = type;
	ev->cpu = rnd(2);
	ev->seq = seq++;
	ev->ts = ts;
	ev->pid = pid;
	ev->tgid = pid;
	ev->ppid = ppid;
	ev->uid = 1000;
	memcpy(ev->comm, comm, strnlen(comm, LC_COMM_LEN - 1));
	return ev;
}

/* the event, its size grown by the ids after the payload */
static void put(struct lc_event *ev)
{
	struct lc_event_ids ids = {
		.start_ns = cur_start, .parent_start_ns = cur_pstart,
	};
	__u32 off = lc_event_ids_offset(ev);

	if (!binary)
		return;
	memcpy(ebuf.raw + off, &ids, sizeof(ids));
	ev->size = off + sizeof(ids);
	fwrite(ev, 1, ev->size, stdout);
}

static void exec_rec(struct life *l, const char *name)
{
	struct lc_event *ev = head(LC_EV_EXEC, l->pid, SHELL, name);
	char path[64], argv[64];
	int fl, al;

	fl = snprintf(path, sizeof(path), "/usr/bin/%s", name);
	al = snprintf(argv, sizeof(argv), "%s%c-n%c%u", name, 0, 0,
		      rnd(100000));
	if (!binary) {
		printf("old_pid=%d filename=%s filename_trunc=0 argv=%s,-n,%s argv_trunc=0\n",
		       l->pid, path, name, argv + strlen(name) + 4);
		return;
	}
	ev->exec.old_pid = l->pid;
	ev->exec.filename_len = fl;
	ev->exec.argv_len = al;
	memcpy(ev->exec.str, path, fl);
	memcpy(ev->exec.str + fl, argv, al);
	put(ev);
}

static void record(struct life *l)
{
	const char *name = names[l->pid % 5];
	int parent = l->daemon && l->step >= 4 ? 1 : SHELL;
	struct lc_event *ev;
	int st;

	cur_start = l->start;	/* case 0 sets it: a life starts at its fork */
	cur_pstart = parent == 1 ? INIT_START : SHELL_START;
	switch (l->step) {
	case 0:
		ev = head(LC_EV_FORK, l->pid, SHELL, "bash");
		l->start = cur_start = ts;
		if (!binary) {
			printf("creator_pid=%d creator_tgid=%d clone_flags=0x1200011 thread=0 vfork=0\n",
			       SHELL, SHELL);
			return;
		}
		ev->fork.creator_pid = SHELL;
		ev->fork.creator_tgid = SHELL;
		ev->fork.clone_flags = 0x1200011;
		return put(ev);
	case 1:
		ev = head(LC_EV_SETPGID, l->pid, SHELL, "bash");
		if (!binary) {
			printf("pgid=%d old_pgid=%d\n", l->pid, SHELL);
			return;
		}
		ev->setpgid.pgid = l->pid;
		ev->setpgid.old_pgid = SHELL;
		return put(ev);
	case 2:
		return exec_rec(l, name);
	case 3:
		if (!l->daemon && !l->killed)
			return;
		if (l->daemon) {	/* its parent left: adopted by init */
			ev = head(LC_EV_REPARENT, l->pid, 1, name);
			cur_pstart = INIT_START;
			if (!binary) {
				printf("old_ppid=%d new_ppid=1 reason=init zombie=0\n",
				       SHELL);
				return;
			}
			ev->reparent.old_ppid = SHELL;
			ev->reparent.new_ppid = 1;
			return put(ev);
		}
		ev = head(LC_EV_SIGNAL, l->pid, SHELL, name);
		if (!binary) {
			printf("signal=15 sender_pid=%d sender_tgid=%d result=delivered group=1\n",
			       SHELL, SHELL);
			return;
		}
		ev->signal.signal = 15;
		ev->signal.sender_pid = SHELL;
		ev->signal.sender_tgid = SHELL;
		ev->signal.group = 1;
		return put(ev);
	case 4:
		st = l->killed ? 15 : rnd(3) << 8;
		ev = head(LC_EV_EXIT, l->pid, parent, name);
		if (!binary) {
			if (st & 0x7f)
				printf("status=%d code=- signal=%d core=0 group_dead=1\n",
				       st, st & 0x7f);
			else
				printf("status=%d code=%d signal=- core=0 group_dead=1\n",
				       st, st >> 8);
			return;
		}
		ev->exit.status = st;
		ev->exit.group_dead = 1;
		return put(ev);
	case 5:
		/* SIGCHLD: the record is the parent's, shell or init */
		ev = head(LC_EV_SIGNAL, parent, parent == 1 ? 0 : 1,
			  parent == 1 ? "init" : "bash");
		cur_start = parent == 1 ? INIT_START : SHELL_START;
		cur_pstart = parent == 1 ? 0 : INIT_START;
		if (!binary) {
			printf("signal=17 sender_pid=%d sender_tgid=%d result=delivered group=1\n",
			       l->pid, l->pid);
			return;
		}
		ev->signal.signal = 17;
		ev->signal.sender_pid = l->pid;
		ev->signal.sender_tgid = l->pid;
		ev->signal.group = 1;
		return put(ev);
	default:
		ev = head(LC_EV_REAP, l->pid, parent, name);
		if (!binary) {
			printf("reaper_pid=%d reaper_tgid=%d how=wait zombie_ns=%u\n",
			       parent, parent, 1000 + rnd(1000000));
			return;
		}
		ev->reap.reaper_pid = parent;
		ev->reap.reaper_tgid = parent;
		ev->reap.zombie_ns = 1000 + rnd(1000000);
		return put(ev);
	}
}

static void new_life(struct life *l)
{
	l->pid = next_pid++;
	if (next_pid > PID_LAST)
		next_pid = PID_FIRST;
	l->step = 0;
	l->daemon = !rnd(50);
	l->killed = !l->daemon && !rnd(10);
}

static void gen_log(unsigned long long n)
{
	struct life pool[POOL];
	struct life *l;
	int i;

	if (binary) {
		struct lc_stream_header h = { .size = sizeof(h) };

		fwrite(LC_BIN_MAGIC, 1, LC_BIN_MAGIC_LEN, stdout);
		fwrite(&h, 1, sizeof(h), stdout);
	} else
		printf("lifecycle %d\n", LC_FORMAT_VERSION);
	for (i = 0; i < POOL; i++)
		new_life(&pool[i]);
	while (seq <= n) {
		l = &pool[rnd(POOL)];
		record(l);
		if (++l->step > 6)
			new_life(l);
	}
}

static void gen_lineage(unsigned long long n)
{
	unsigned long long i, t = 1000000;
	int tgid, parent, creator, st;
	char state;

	printf("lineage 1\n");
	printf("1 0 0 0 S 1000 2000 - - - init adopt=\n");
	for (i = 0; i < n - 1; i++) {
		tgid = 2 + i;
		t += 1000 + rnd(100000);
		creator = tgid - 1;
		if (rnd(2) && i >= 2)
			creator -= (int)rnd(i < 1000 ? i : 1000);
		if (creator < 1)
			creator = 1;
		parent = !rnd(16) ? 1 : creator;
		st = rnd(3);
		state = st == 0 ? 'X' : st == 1 && !rnd(8) ? 'Z' : 'S';
		printf("%d %d %d %d %c %llu %llu ", tgid, creator, creator,
		       parent, state, t, t + 500);
		if (state == 'S')
			printf("- - - ");
		else if (state == 'Z')
			printf("%llu - %d ", t + 9000, rnd(3) << 8);
		else
			printf("%llu %llu %d ", t + 9000, t + 9500, rnd(3) << 8);
		printf("%s ", names[tgid % 5]);
		if (parent != creator)
			printf("adopt=1@%llu:init\n", t + 8000);
		else
			printf("adopt=\n");
	}
}

static void gen_chain(unsigned long long n)
{
	unsigned long long i;

	printf("lineage 1\n");
	for (i = 1; i <= n; i++)
		printf("%llu %llu %llu %llu S %llu - - - - %s adopt=\n", i,
		       i - 1, i - 1, i - 1, 1000 * i, names[i % 5]);
}

int main(int argc, char **argv)
{
	unsigned long long n;

	if (argc < 3 || (strcmp(argv[1], "text") && strcmp(argv[1], "bin") &&
			 strcmp(argv[1], "lineage") && strcmp(argv[1], "chain"))) {
		fprintf(stderr, "usage: lcgen text|bin|lineage|chain N [SEED]\n");
		return 2;
	}
	n = strtoull(argv[2], NULL, 10);
	if (argc > 3)
		rng ^= strtoull(argv[3], NULL, 10) * 0x9e3779b97f4a7c15ULL;
	if (!n) {
		fprintf(stderr, "lcgen: N must be at least 1\n");
		return 2;
	}
	binary = !strcmp(argv[1], "bin");
	if (!strcmp(argv[1], "lineage"))
		gen_lineage(n);
	else if (!strcmp(argv[1], "chain"))
		gen_chain(n > 4194304 ? 4194304 : n);
	else
		gen_log(n);
	if (fflush(stdout) || ferror(stdout)) {
		perror("lcgen");
		return 1;
	}
	return 0;
}
