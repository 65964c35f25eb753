// SPDX-License-Identifier: GPL-2.0
/*
 * The one way the reader's commands take their stop signals: blocked at
 * all times but while waiting, so that every wait (ppoll) can be
 * interrupted and nothing else ever is.
 */
#include <signal.h>
#include <stddef.h>
#include "cli.h"

/**
 * lc_catch() - block @sigs and handle them with @fn, for ppoll() to let in
 * @sigs: the signals
 * @n: how many
 * @fn: their handler
 * @old: where the mask before goes, or NULL
 * @wait_mask: the mask to wait with: the one before, without @sigs
 */
void lc_catch(const int *sigs, size_t n, void (*fn)(int), sigset_t *old,
	      sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = fn };
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < n; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, wait_mask);
	if (old)
		*old = *wait_mask;
	for (i = 0; i < n; i++) {
		sigaction(sigs[i], &sa, NULL);
		sigdelset(wait_mask, sigs[i]);
	}
}
