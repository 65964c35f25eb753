// SPDX-License-Identifier: GPL-2.0
/*
 * Signal names from a fixed table rather than strsignal(), so
 * the output does not depend on the libc or its locale.  The numbers are the
 * kernel's asm-generic ones (x86, arm64, riscv, ...); alpha, mips, parisc and
 * sparc number some signals differently and would need their own table.
 */
#include <stdio.h>
#include "signames.h"

#define LC_SIGRT	32	/* the kernel's first real-time signal */
#define LC_SIGRTMIN	34	/* libc's SIGRTMIN: it keeps 32 and 33 */
#define LC_SIGRTMAX	64

static const char *const names[LC_SIGRT] = {
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

/*
 * The real-time signals as kill -l names them: SIGRTMIN (34) to
 * SIGRTMIN+15, SIGRTMAX-14 to SIGRTMAX (64); 32 and 33, which glibc
 * keeps for itself, as SIGRTMIN-2 and SIGRTMIN-1.
 */
static const char *rt_name(long long sig)
{
	static char rt[LC_SIGRTMAX - LC_SIGRT + 1][16];
	char *b = rt[sig - LC_SIGRT];

	if (b[0])
		return b;
	if (sig == LC_SIGRTMIN)
		snprintf(b, sizeof(rt[0]), "SIGRTMIN");
	else if (sig == LC_SIGRTMAX)
		snprintf(b, sizeof(rt[0]), "SIGRTMAX");
	else if (sig < LC_SIGRTMIN || sig - LC_SIGRTMIN <= 15)
		snprintf(b, sizeof(rt[0]), "SIGRTMIN%+lld", sig - LC_SIGRTMIN);
	else
		snprintf(b, sizeof(rt[0]), "SIGRTMAX-%lld", LC_SIGRTMAX - sig);
	return b;
}

const char *sig_name(long long sig)
{
	if (sig <= 0 || sig > LC_SIGRTMAX)
		return NULL;
	return sig < LC_SIGRT ? names[sig] : rt_name(sig);
}

const char *sig_format(char *buf, size_t len, long long sig)
{
	const char *n = sig_name(sig);

	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "signal %lld", sig);
	return buf;
}
