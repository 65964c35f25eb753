/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the record parser: parse.c splits a line and checks its prefix,
 * fields.c checks the details of its event.
 */
#ifndef LC_FIELDS_H
#define LC_FIELDS_H

#include "parse.h"

/* v as a number in 0..max (hex when hex) into *out; 0 or lc_fail() */
int lc_num_value(struct lc_parser *p, const char *key, const char *v,
		 int hex, long long max, long long *out);
/* v unescaped into out[cap]; 0 or lc_fail() */
int lc_str_value(struct lc_parser *p, const char *key, const char *v,
		 size_t cap, char *out);
/* the ntok key=value tokens after the prefix, for r->type */
int lc_details(struct lc_parser *p, char **tok, int ntok,
	       struct lc_entry *r);

/* a binary event's value as the text writes it: NULL when out of range */
const char *lc_reap_name(unsigned int how);
const char *lc_reason_name(unsigned int reason);
/* "unknown" when out of range, as the module writes it */
const char *lc_result_name(unsigned int result);

#endif /* LC_FIELDS_H */
