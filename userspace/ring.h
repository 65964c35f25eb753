/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mapped log of /proc/lifecycle (lifecycle.h, "The mapped log"): the
 * records taken straight from the module's ring, with no read() and no
 * copy in the kernel.  Only an admin in the initial pid namespace may map
 * it; everybody else keeps read().
 */
#ifndef LC_RING_H
#define LC_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>
#include "lifecycle.h"

struct lc_ring {
	const struct lc_ring_ctl *ctl;
	const char *slots;
	size_t map_len;
	uint64_t nslots;
	uint32_t slot_size;
	uint64_t cur;		/* the next record to take */
	uint64_t lost;		/* lost since the last lc_ring_report() */
	bool prologue_done;	/* lc_ring_read() gave the stream's prologue */
	bool batched;		/* poll() waits for a batch (no naps) */
};

/*
 * A mapped reader asks to be woken when a quarter of the log waits, or
 * some ms after a record came, whichever is first: one wakeup per batch,
 * and three quarters of the log's room left when it wakes.  A follower
 * that shows records waits as long as its nap did (LC_NAP_MS); a
 * recorder longer.
 */
#define LC_RING_RECORD_WAKE_MS	100

/* Whether the waits for @r's file are batched by the module (no naps). */
static inline bool lc_ring_batched(const struct lc_ring *r)
{
	return r && r->batched;
}

int lc_ring_map(struct lc_ring *r, int fd, unsigned int wake_ms);
void lc_ring_unmap(struct lc_ring *r);
size_t lc_ring_take(struct lc_ring *r, char *buf, size_t room);
int lc_ring_report(struct lc_ring *r, int fd);
bool lc_ring_dying(const struct lc_ring *r);
ssize_t lc_ring_read(struct lc_ring *r, int fd, void *buf, size_t len,
		     bool follow);

/* read(2) of @fd, or lc_ring_read() when @r (mapped from @fd) is there */
static inline ssize_t lc_read_or_map(struct lc_ring *r, int fd, void *buf,
				     size_t len, bool follow)
{
	return r ? lc_ring_read(r, fd, buf, len, follow) : read(fd, buf, len);
}

#endif
