/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LC_DOT_H
#define LC_DOT_H

#include "lineage.h"

/* the lineage table as Graphviz (tree --dot); 0, 1 (no root), -1 (oom) */
int dot_write(const struct lineage *l, long long root);

#endif /* LC_DOT_H */
