/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_JSON_H
#define LC_JSON_H

#include <stdio.h>
#include "parse.h"

struct jw;

/* one record as one JSON object on one line */
void json_record(FILE *out, const struct lc_entry *r);
/* the same object as a value inside what w is writing */
void json_record_jw(struct jw *w, const struct lc_entry *r);

#endif /* LC_JSON_H */
