/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clone flags in words: "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD".
 */
#ifndef LC_CLONEFL_H
#define LC_CLONEFL_H

#include <stddef.h>

/* the CLONE_* names of flags' bits, lowest first, then the exit signal */
#define CLONE_NAMES_MAX	40

/*
 * The names of the bits of @flags, lowest bit first, then the exit
 * signal's name (its low byte); *rest holds bits that have no name.
 * Returns how many names were put in names[] (at most CLONE_NAMES_MAX).
 */
int clone_names(unsigned long long flags, const char **names,
		unsigned long long *rest);
/* the names joined with '|' (and unnamed bits as 0x...) into buf */
const char *clone_format(char *buf, size_t len, unsigned long long flags);

#endif /* LC_CLONEFL_H */
