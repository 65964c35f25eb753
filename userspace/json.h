/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_JSON_H
#define LC_JSON_H

#include <stdio.h>
#include "parse.h"

struct jw;

/*
 * The most bytes one record takes as a JSON line (json.c checks this
 * against the longest strings a record can hold).
 */
#define JSON_RECORD_MAX	4096

/* one record as a JSON line at p (room for JSON_RECORD_MAX); its end */
char *json_format(char *p, const struct lc_entry *r);
/* one record as a JSON line to stdout's buffer (lc_out_room()) */
void json_emit(const struct lc_entry *r);
/* one record as one JSON object on one line */
void json_record(FILE *out, const struct lc_entry *r);
/* the same object as a value inside what w is writing */
void json_record_jw(struct jw *w, const struct lc_entry *r);

#endif /* LC_JSON_H */
