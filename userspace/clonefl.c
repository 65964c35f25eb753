// SPDX-License-Identifier: GPL-2.0
/*
 * clone flags in words, as strace writes them: the CLONE_* bits from
 * linux/sched.h, lowest first, then the exit signal (the low byte).
 */
#include <stdio.h>
#include <string.h>
#include "clonefl.h"
#include "parse.h"
#include "signames.h"

#define CSIGNAL		0xffULL

static const struct {
	unsigned long long bit;
	const char *name;
} bits[] = {
	{ 0x100, "CLONE_VM" },
	{ 0x200, "CLONE_FS" },
	{ 0x400, "CLONE_FILES" },
	{ 0x800, "CLONE_SIGHAND" },
	{ 0x1000, "CLONE_PIDFD" },
	{ 0x2000, "CLONE_PTRACE" },
	{ 0x4000, "CLONE_VFORK" },
	{ 0x8000, "CLONE_PARENT" },
	{ 0x10000, "CLONE_THREAD" },
	{ 0x20000, "CLONE_NEWNS" },
	{ 0x40000, "CLONE_SYSVSEM" },
	{ 0x80000, "CLONE_SETTLS" },
	{ 0x100000, "CLONE_PARENT_SETTID" },
	{ 0x200000, "CLONE_CHILD_CLEARTID" },
	{ 0x400000, "CLONE_DETACHED" },
	{ 0x800000, "CLONE_UNTRACED" },
	{ 0x1000000, "CLONE_CHILD_SETTID" },
	{ 0x2000000, "CLONE_NEWCGROUP" },
	{ 0x4000000, "CLONE_NEWUTS" },
	{ 0x8000000, "CLONE_NEWIPC" },
	{ 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000ULL, "CLONE_IO" },
	{ 0x100000000ULL, "CLONE_CLEAR_SIGHAND" },
	{ 0x200000000ULL, "CLONE_INTO_CGROUP" },
};

/**
 * clone_names() - the names of a clone flags word
 * @flags: the flags, exit signal in the low byte
 * @names: room for CLONE_NAMES_MAX names
 * @rest: set to the bits above the low byte that have no name
 *
 * Return: the number of names.
 */
int clone_names(unsigned long long flags, const char **names,
		unsigned long long *rest)
{
	const char *sig = sig_name(flags & CSIGNAL);
	size_t i;
	int n = 0;

	*rest = flags & ~CSIGNAL;
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (!(flags & bits[i].bit))
			continue;
		names[n++] = bits[i].name;
		*rest &= ~bits[i].bit;
	}
	if (sig)
		names[n++] = sig;
	else
		*rest |= flags & CSIGNAL;
	return n;
}

/**
 * clone_format() - a clone flags word as names joined with '|'
 * @buf: the buffer
 * @len: its size
 * @flags: the flags
 *
 * Bits without a name (and an exit signal out of range) end it as hex;
 * no flag at all is "0".
 *
 * Return: @buf.
 */
const char *clone_format(char *buf, size_t len, unsigned long long flags)
{
	const char *names[CLONE_NAMES_MAX];
	unsigned long long rest;
	int i, n = clone_names(flags, names, &rest);
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && at < len; i++)
		at += snprintf(buf + at, len - at, "%s%s", i ? "|" : "",
			       names[i]);
	if ((rest || !n) && at < len)
		snprintf(buf + at, len - at, "%s%#llx", n ? "|" : "", rest);
	return buf;
}
