/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_SIGNAMES_H
#define LC_SIGNAMES_H

#include <stddef.h>

/* "SIGKILL", "SIGRTMIN+3", or NULL when 0 or out of range */
const char *sig_name(long long sig);
/* "SIGKILL", "SIGRTMIN+3" or "signal 99" into buf; returns buf */
const char *sig_format(char *buf, size_t len, long long sig);

#endif /* LC_SIGNAMES_H */
