// SPDX-License-Identifier: GPL-2.0
/*
 * Take records from the mapped log (lifecycle.h, "The mapped log"), for
 * the binary stream's readers: the bytes are those read() would give, from
 * the same records in the same order, with a lost event where the writer
 * overtook the reader.
 *
 * The module writes a slot's seq last, with 0 there meanwhile, and
 * publishes head after it.  A record is taken when its slot shows its seq
 * before and after the copy.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "ring.h"

/**
 * lc_ring_map() - map the log of an open /proc/lifecycle, binary already
 * @r: the ring, set up here; its cursor is the file's (LC_IOC_TAIL moved)
 * @fd: the file
 * @wake_ms: how long poll() on @fd may keep a record waiting
 *
 * The file's poll() is batched too (LC_IOC_WAKEUP), so a follower of the
 * map waits in poll() with no nap of its own; with a module that does not
 * batch, r->batched stays false and the follower naps.
 *
 * Return: 0, or -1 with errno when the log cannot be mapped (not an admin
 * in the initial pid namespace, or a module without the map): the caller
 * then reads.
 */
int lc_ring_map(struct lc_ring *r, int fd, unsigned int wake_ms)
{
	long page = sysconf(_SC_PAGESIZE);
	struct lc_cursor c = { 0, 0 };
	struct lc_wakeup w = { 0, wake_ms };
	const struct lc_ring_ctl *ctl;
	size_t len;
	void *p;

	memset(r, 0, sizeof(*r));
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	ctl = p;
	if (ctl->magic != LC_RING_MAGIC ||
	    ctl->size < sizeof(*ctl) || ctl->data_offset < page ||
	    ctl->slot_size < LC_EVENT_SMALL_SIZE || ctl->slot_size % 8 ||
	    !ctl->nslots || (ctl->nslots & (ctl->nslots - 1))) {
		munmap(p, page);
		errno = EPROTO;
		return -1;
	}
	len = ctl->data_offset + (size_t)ctl->nslots * ctl->slot_size;
	len = (len + page - 1) / page * page;
	munmap(p, page);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	if (ioctl(fd, LC_IOC_CURSOR, &c)) {
		munmap(p, len);
		return -1;
	}
	r->ctl = p;
	r->slots = (const char *)p + r->ctl->data_offset;
	r->map_len = len;
	r->nslots = r->ctl->nslots;
	r->slot_size = r->ctl->slot_size;
	r->cur = c.seq;
	w.records = r->nslots / 4;
	r->batched = !ioctl(fd, LC_IOC_WAKEUP, &w);
	return 0;
}

/**
 * lc_ring_unmap() - undo lc_ring_map()
 * @r: the ring
 */
void lc_ring_unmap(struct lc_ring *r)
{
	if (r->ctl)
		munmap((void *)r->ctl, r->map_len);
	r->ctl = NULL;
}

/**
 * lc_ring_dying() - whether the module is going away
 * @r: the ring
 *
 * Return: true once it unloads; no record comes after.
 */
bool lc_ring_dying(const struct lc_ring *r)
{
	return __atomic_load_n(&r->ctl->dying, __ATOMIC_ACQUIRE);
}

/* A lost event as the module makes one: the first lost seq and the count. */
static struct lc_event *put_lost(char *at, uint64_t seq, uint64_t count)
{
	struct lc_event *ev = (struct lc_event *)at;
	struct timespec ts;
	int cpu = sched_getcpu();

	memset(ev, 0, LC_EVENT_SMALL_SIZE);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	ev->size = LC_EVENT_SMALL_SIZE;
	ev->type = LC_EV_LOST;
	ev->cpu = cpu < 0 ? 0 : cpu;
	ev->seq = seq;
	ev->ts = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	ev->lost.count = count;
	return ev;
}

/*
 * Records from r->cur up to @to are gone: one lost event for them, or a
 * longer count on the lost event just before.
 */
static size_t skip(struct lc_ring *r, char *at, struct lc_event **last,
		   uint64_t to)
{
	uint64_t n = to - r->cur;

	r->lost += n;
	if (*last && (*last)->seq + (*last)->lost.count == r->cur) {
		(*last)->lost.count += n;
		r->cur = to;
		return 0;
	}
	*last = put_lost(at, r->cur, n);
	r->cur = to;
	return LC_EVENT_SMALL_SIZE;
}

/**
 * lc_ring_take() - copy the records from the cursor on, as binary events
 * @r: the ring
 * @buf: where they go, 8-byte aligned
 * @room: its size, at least one slot and a lost event
 *
 * Return: the bytes written, 0 when there is nothing new.
 */
size_t lc_ring_take(struct lc_ring *r, char *buf, size_t room)
{
	const struct lc_ring_ctl *ctl = r->ctl;
	uint64_t head = __atomic_load_n(&ctl->head, __ATOMIC_ACQUIRE);
	uint64_t first = __atomic_load_n(&ctl->first, __ATOMIC_RELAXED);
	struct lc_event *last = NULL;
	size_t done = 0, need = r->slot_size + LC_EVENT_SMALL_SIZE;

	if (r->cur < first)		/* cleared: not lost */
		r->cur = first;
	if (head > r->nslots && r->cur < head - r->nslots)
		done += skip(r, buf, &last, head - r->nslots);
	while (r->cur < head && done + need <= room) {
		const struct lc_event *ev = (const void *)(r->slots +
			(r->cur & (r->nslots - 1)) * r->slot_size);
		struct lc_event *out = (struct lc_event *)(buf + done);
		uint64_t seq = r->cur, to;
		uint16_t size;

		if (__atomic_load_n(&ev->seq, __ATOMIC_ACQUIRE) == seq) {
			size = __atomic_load_n(&ev->size, __ATOMIC_RELAXED);
			if (size >= LC_EVENT_MIN_SIZE && size <= r->slot_size &&
			    !(size % 8)) {
				memcpy(out, ev, size);
				/* the copy's loads before the second look */
				__atomic_thread_fence(__ATOMIC_ACQUIRE);
				if (__atomic_load_n(&ev->seq,
						    __ATOMIC_RELAXED) == seq) {
					out->size = size;
					out->seq = seq;
					done += size;
					r->cur++;
					last = NULL;
					continue;
				}
			}
		}
		/*
		 * Overwritten: go past what the writer may be writing.  That
		 * may count one record more lost than read() would (the
		 * oldest one, if the writer had not reached it yet).
		 */
		head = __atomic_load_n(&ctl->head, __ATOMIC_ACQUIRE);
		to = head > r->nslots ? head - r->nslots + 1 : seq + 1;
		done += skip(r, buf + done, &last, to > seq ? to : seq + 1);
	}
	return done;
}

/**
 * lc_ring_report() - tell the file the cursor and the records lost since
 * @r: the ring
 * @fd: the file it was mapped from
 *
 * poll() on @fd then waits for records past the cursor, and the module's
 * stats count this reader's losses.
 *
 * Return: 0, or -1 with errno.
 */
int lc_ring_report(struct lc_ring *r, int fd)
{
	struct lc_cursor c = { r->cur, r->lost };

	if (!c.seq)
		return 0;
	/* an unloaded module's file knows no ioctl: its end, not an error */
	if (ioctl(fd, LC_IOC_CURSOR, &c))
		return lc_ring_dying(r) ? 0 : -1;
	r->lost = 0;
	return 0;
}

/**
 * lc_ring_read() - read(2) of the module's binary stream, from the map
 * @r: the ring
 * @fd: the file it was mapped from (binary, not read yet)
 * @buf: where the bytes go, 8-byte aligned
 * @len: its size, at least LC_BIN_PROLOGUE_LEN; records need a slot and
 *       a lost event of room
 * @follow: at the end, fail with EAGAIN (as after LC_IOC_FOLLOW on an
 *          O_NONBLOCK file) rather than return 0
 *
 * The stream's prologue comes first, read from @fd; then whole events.
 * At the end of the log the cursor is told to the file (poll() on @fd
 * then waits for what comes next); once the module is unloading, the
 * end is 0 whatever @follow says.
 *
 * Return: the bytes, 0 at the end, or -1 with errno.
 */
ssize_t lc_ring_read(struct lc_ring *r, int fd, void *buf, size_t len,
		     bool follow)
{
	ssize_t n;

	if (!r->prologue_done) {	/* the module gives it whole */
		n = read(fd, buf, LC_BIN_PROLOGUE_LEN);
		r->prologue_done = n > 0;
		return n;
	}
	n = lc_ring_take(r, buf, len);
	if (n)
		return n;
	if (lc_ring_dying(r))
		return 0;
	if (lc_ring_report(r, fd))
		return -1;
	if (!follow)
		return 0;
	errno = EAGAIN;
	return -1;
}
