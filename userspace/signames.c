// SPDX-License-Identifier: GPL-2.0
/*
 * Signal names from a fixed table rather than strsignal(), so
 * the output does not depend on the libc or its locale.  The numbers are the
 * kernel's asm-generic ones (x86, arm64, riscv, ...); alpha, mips, parisc and
 * sparc number some signals differently and would need their own table.
 */
#include <stdio.h>
#include "signames.h"

#define LC_SIGRTMIN	32
#define LC_SIGRTMAX	64

static const char *const names[LC_SIGRTMIN] = {
	[1] = "SIGHUP",		[2] = "SIGINT",		[3] = "SIGQUIT",
	[4] = "SIGILL",		[5] = "SIGTRAP",	[6] = "SIGABRT",
	[7] = "SIGBUS",		[8] = "SIGFPE",		[9] = "SIGKILL",
	[10] = "SIGUSR1",	[11] = "SIGSEGV",	[12] = "SIGUSR2",
	[13] = "SIGPIPE",	[14] = "SIGALRM",	[15] = "SIGTERM",
	[16] = "SIGSTKFLT",	[17] = "SIGCHLD",	[18] = "SIGCONT",
	[19] = "SIGSTOP",	[20] = "SIGTSTP",	[21] = "SIGTTIN",
	[22] = "SIGTTOU",	[23] = "SIGURG",	[24] = "SIGXCPU",
	[25] = "SIGXFSZ",	[26] = "SIGVTALRM",	[27] = "SIGPROF",
	[28] = "SIGWINCH",	[29] = "SIGIO",		[30] = "SIGPWR",
	[31] = "SIGSYS",
};

const char *sig_name(long long sig)
{
	if (sig <= 0 || sig >= LC_SIGRTMIN)
		return NULL;
	return names[sig];
}

const char *sig_format(char *buf, size_t len, long long sig)
{
	const char *n = sig_name(sig);

	if (n)
		snprintf(buf, len, "%s", n);
	else if (sig == LC_SIGRTMIN)
		snprintf(buf, len, "SIGRTMIN");
	else if (sig > LC_SIGRTMIN && sig <= LC_SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%lld", sig - LC_SIGRTMIN);
	else
		snprintf(buf, len, "signal %lld", sig);
	return buf;
}
