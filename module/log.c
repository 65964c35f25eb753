// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - the event log: one preallocated ring of fixed-size records.
 *
 * Design: writers take a raw spinlock only to take the next sequence
 * number, stamp the time and copy the record into its slot, so the global
 * order is the seq order with no merge step and readers see one stream.
 * The lock is raw so that PREEMPT_RT keeps it a spinning lock; probes run
 * with preemption or interrupts off.  Per-CPU buffers would avoid the
 * shared line but need a k-way merge on read and a global seq anyway.
 *
 * A slot holds its record as the binary stream's struct lc_event (the
 * encoding is done once, by the writer), so that binary readers copy it
 * as it is and an admin may map the ring read-only (lc_log_mmap(), the
 * layout in lifecycle.h).  What readers of the map must not see, the
 * pid-namespace view with its namespace addresses, is kept beside the
 * ring in lc_priv.  A mapped reader takes no lock: each slot's seq is
 * written last and is 0 while the rest is written, and the head is
 * published after it.
 *
 * A slot is overwritten once the writer has gone log_size records past
 * it; a reader whose cursor fell behind the oldest retained record is told
 * how many it lost.  Wakeups go through irq_work, and only when somebody
 * sleeps on the queue, so no probe ever calls wake_up() itself.
 */
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/ktime.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/vmalloc.h>
#include "lc.h"
#include "stats.h"

/* What a slot holds besides its event: never mapped. */
struct lc_slot_priv {
	u8 nslevels;
	struct lc_nsview nsview;	/* valid when nslevels > 0 */
};

#define LC_SLOT_SIZE	LC_EVENT_MAX
static_assert(LC_SLOT_SIZE % 8 == 0 && LC_SLOT_SIZE <= U16_MAX);

static void *lc_map;			/* vmalloc_user: the ctl page, then slots */
static struct lc_ring_ctl *lc_ctl;
static char *lc_slots;
static struct lc_slot_priv *lc_priv;
static u64 lc_mask;
static u64 lc_head = 1;		/* next sequence number; seq starts at 1 */
static u64 lc_first = 1;	/* oldest retained, after a clear */
static u64 lc_last_ts;		/* keeps ts in seq order */
static DEFINE_RAW_SPINLOCK(lc_log_lock);
static bool lc_dying;
DECLARE_WAIT_QUEUE_HEAD(lc_log_wq);

/*
 * Wakeups are batched: the first record after a wakeup arms a one-jiffy
 * timer (from irq_work, as probes may hold the runqueue lock), and the
 * timer wakes every sleeper once for all records since.  A backlog of
 * half the log wakes them at once, so a follower is never overtaken for
 * want of a wakeup.
 */
static bool lc_wake_armed;
static u64 lc_woken_at;		/* head at the last wakeup */
static struct timer_list lc_wake_timer;

/*
 * Disarming takes the log lock, and lc_log_commit() reads lc_wake_armed
 * under it: a record committed after the disarm arms a new wakeup, one
 * committed before is seen by the readers this wakeup wakes.  Read after
 * the unlock, the flag could be read before the store to lc_head became
 * visible (x86 lets a load pass an earlier store), and that record would
 * wait for the next one to wake its readers.
 */
static void lc_wake_now(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	WRITE_ONCE(lc_woken_at, lc_head);
	WRITE_ONCE(lc_wake_armed, false);
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
	wake_up_interruptible_poll(&lc_log_wq, EPOLLIN | EPOLLRDNORM);
}

static void lc_wake_timer_fn(struct timer_list *t)
{
	lc_wake_now();
}

static void lc_log_wake(struct irq_work *work)
{
	if (READ_ONCE(lc_head) - READ_ONCE(lc_woken_at) >= lc_log_size / 2)
		lc_wake_now();
	else if (!timer_pending(&lc_wake_timer))
		mod_timer(&lc_wake_timer, jiffies + 1);
}

static DEFINE_IRQ_WORK(lc_wake_work, lc_log_wake);

/*
 * Batched readers (LC_IOC_WAKEUP) sleep on a queue of their own and are
 * woken when the log reaches the lowest watermark one of them asked for,
 * or by a timer of the shortest wait any asked for, armed by the first
 * record after its last expiry.  Records below lc_batch_due were there
 * at the last expiry: a batched reader with one to read is ready.  All of
 * it is under the log lock, so a reader that registers its watermark
 * after the record that reaches it is ready at once, and one that
 * registers before is woken by that record.
 */
DECLARE_WAIT_QUEUE_HEAD(lc_batch_wq);
static unsigned int lc_batch_files;	/* files in batched mode */
static unsigned int lc_batch_ms;	/* the shortest wait they asked for */
static bool lc_batch_armed;		/* a record is waiting for the timer */
static u64 lc_batch_due = 1;		/* seqs below were kept at expiry */
static u64 lc_batch_wake_at = U64_MAX;	/* the lowest watermark, a seq */
static struct timer_list lc_batch_timer;

/* Every sleeper, EPOLLEXCLUSIVE ones too: the watermark was reset. */
static void lc_batch_wake_all(void)
{
	__wake_up(&lc_batch_wq, TASK_INTERRUPTIBLE, 0,
		  poll_to_key(EPOLLIN | EPOLLRDNORM));
}

static void lc_batch_timer_fn(struct timer_list *t)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	lc_batch_due = lc_head;
	lc_batch_armed = false;
	lc_batch_wake_at = U64_MAX;
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
	lc_batch_wake_all();
}

static void lc_batch_irq(struct irq_work *work)
{
	unsigned long flags;
	bool wake, arm;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	wake = lc_head >= lc_batch_wake_at;
	if (wake)
		lc_batch_wake_at = U64_MAX;
	arm = lc_batch_armed;
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
	if (wake)
		lc_batch_wake_all();
	if (arm)
		timer_reduce(&lc_batch_timer, jiffies +
			     msecs_to_jiffies(READ_ONCE(lc_batch_ms)));
}

static DEFINE_IRQ_WORK(lc_batch_work, lc_batch_irq);

/**
 * lc_log_batch_set() - how many files are batched, and their shortest wait
 * @files: files in batched mode (LC_IOC_WAKEUP with records)
 * @ms: the shortest wait one of them asked for
 *
 * When the first file becomes batched, what the log holds is due: the
 * timer is armed only by records that come while a file is batched.  A
 * timer armed for a longer wait is brought forward to the new shortest.
 */
void lc_log_batch_set(unsigned int files, unsigned int ms)
{
	unsigned long flags;
	bool armed;

	/* a timer left from batched files gone: its expiry is not ours */
	if (files && !READ_ONCE(lc_batch_files))
		timer_delete(&lc_batch_timer);
	raw_spin_lock_irqsave(&lc_log_lock, flags);
	if (files && !lc_batch_files) {
		lc_batch_due = lc_head;
		lc_batch_armed = false;
	}
	lc_batch_files = files;
	WRITE_ONCE(lc_batch_ms, ms);
	armed = lc_batch_armed;
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
	if (armed && files)
		timer_reduce(&lc_batch_timer, jiffies + msecs_to_jiffies(ms));
}

/**
 * lc_log_batch_ready() - whether a batched reader has records to take
 * @seq: its cursor, the next record it takes
 * @records: its watermark
 *
 * Ready when @records wait past @seq or one of them was kept before the
 * timer last expired; otherwise its watermark is registered, to be woken
 * by the record that reaches it.
 *
 * Return: true when ready.
 */
bool lc_log_batch_ready(u64 seq, u32 records)
{
	unsigned long flags;
	bool ready;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	ready = lc_head - seq >= records || seq < lc_batch_due;
	if (!ready)
		lc_batch_wake_at = min(lc_batch_wake_at, seq + records);
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
	return ready;
}

/**
 * lc_log_init() - allocate the ring of log_size records
 *
 * Return: 0 or -ENOMEM.
 */
int lc_log_init(void)
{
	size_t size = PAGE_SIZE + array_size(lc_log_size, LC_SLOT_SIZE);

	BUILD_BUG_ON(sizeof(struct lc_ring_ctl) > PAGE_SIZE);
	lc_map = vmalloc_user(size);	/* zeroed: every slot's seq is 0 */
	lc_priv = vmalloc(array_size(lc_log_size, sizeof(*lc_priv)));
	if (!lc_map || !lc_priv) {
		vfree(lc_map);
		vfree(lc_priv);
		lc_map = NULL;
		lc_priv = NULL;
		return -ENOMEM;
	}
	lc_ctl = lc_map;
	lc_slots = lc_map + PAGE_SIZE;
	lc_ctl->magic = LC_RING_MAGIC;
	lc_ctl->size = sizeof(*lc_ctl);
	lc_ctl->slot_size = LC_SLOT_SIZE;
	lc_ctl->data_offset = PAGE_SIZE;
	lc_ctl->nslots = lc_log_size;
	lc_ctl->head = 1;
	lc_ctl->first = 1;
	lc_mask = lc_log_size - 1;
	lc_head = 1;
	lc_first = 1;
	lc_dying = false;
	lc_wake_armed = false;
	lc_woken_at = 1;
	timer_setup(&lc_wake_timer, lc_wake_timer_fn, 0);
	lc_batch_files = 0;
	lc_batch_armed = false;
	lc_batch_due = 1;
	lc_batch_wake_at = U64_MAX;
	timer_setup(&lc_batch_timer, lc_batch_timer_fn, 0);
	return 0;
}

/**
 * lc_log_shutdown() - wake every reader for good before the module goes
 *
 * Blocked readers return end-of-file, pollers see EPOLLHUP; epoll entries
 * are detached with POLLFREE, so the wait queue can go away afterwards.
 */
void lc_log_shutdown(void)
{
	WRITE_ONCE(lc_dying, true);
	WRITE_ONCE(lc_ctl->dying, 1);
	irq_work_sync(&lc_wake_work);
	timer_delete_sync(&lc_wake_timer);
	irq_work_sync(&lc_batch_work);
	timer_delete_sync(&lc_batch_timer);
	wake_up_all(&lc_log_wq);
	wake_up_all(&lc_batch_wq);
}

/**
 * lc_log_exit() - free the ring; probes must be gone and readers closed
 */
void lc_log_exit(void)
{
	irq_work_sync(&lc_wake_work);
	timer_shutdown_sync(&lc_wake_timer);
	irq_work_sync(&lc_batch_work);
	timer_shutdown_sync(&lc_batch_timer);
	/* poll()/select() sleepers unhook themselves once woken. */
	while (waitqueue_active(&lc_log_wq) || waitqueue_active(&lc_batch_wq)) {
		wake_up_all(&lc_log_wq);
		wake_up_all(&lc_batch_wq);
		schedule_timeout_uninterruptible(1);
	}
	wake_up_pollfree(&lc_log_wq);
	wake_up_pollfree(&lc_batch_wq);
	synchronize_rcu();
	/*
	 * A reader may still have the ring mapped: its pages were put in
	 * the mapping with a reference of their own, so they stay until it
	 * is unmapped, and the mapping uses no code of this module.
	 */
	vfree(lc_map);
	vfree(lc_priv);
	lc_map = NULL;
	lc_priv = NULL;
}

/**
 * lc_log_dying() - whether the module is on its way out
 *
 * Return: true once lc_log_shutdown() ran.
 */
bool lc_log_dying(void)
{
	return READ_ONCE(lc_dying);
}

static inline struct lc_event *lc_slot_at(u64 seq)
{
	return (struct lc_event *)(lc_slots + (seq & lc_mask) * LC_SLOT_SIZE);
}

/* A constant size is a few moves; a variable memcpy is rep movsb. */
static __always_inline void lc_copy_event(void *dst, const struct lc_event *ev)
{
	if (likely(ev->size == LC_EVENT_SMALL_SIZE))
		memcpy(dst, ev, LC_EVENT_SMALL_SIZE);
	else
		memcpy(dst, ev, ev->size);
}

/*
 * Write @r (its seq set) into its slot for lockless readers of the map:
 * the slot's seq 0 first, then the event with seq 0, then the seq.  The
 * barriers order this writer's own stores, so a reader that saw the seq
 * before and after its copy saw none of a later record's bytes.
 */
static void lc_slot_write(struct lc_record *r)
{
	struct lc_event *ev = lc_slot_at(r->seq);
	struct lc_slot_priv *priv = &lc_priv[r->seq & lc_mask];
	u64 seq = r->seq;

	WRITE_ONCE(ev->seq, 0);
	smp_wmb();	/* the 0 before the bytes: pairs with the reader's 2nd look */
	r->seq = 0;
	lc_encode(r, ev);
	r->seq = seq;
	smp_wmb();	/* the bytes before the seq: pairs with its 1st look */
	WRITE_ONCE(ev->seq, seq);
	priv->nslevels = r->nslevels;
	if (unlikely(r->nslevels))
		priv->nsview = r->nsview;
}

/**
 * lc_log_commit() - append a record: number it, stamp it, copy it
 * @r: the record; its seq is filled in here, and its ts unless the probe
 *     set it (a time taken before the lock, so a record may carry a ts up
 *     to a lock hold time earlier than a record with a smaller seq: ts is
 *     raised to the previous record's, to stay in seq order)
 *
 * Never sleeps, never allocates; safe with interrupts off.
 */
void lc_log_commit(struct lc_record *r)
{
	bool armed, batch = false;
	unsigned long flags;
	u64 head;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	head = lc_head;
	r->seq = head;
	if (!r->ts)
		r->ts = ktime_get_boot_fast_ns();
	if (unlikely(r->ts < lc_last_ts))
		r->ts = lc_last_ts;
	lc_last_ts = r->ts;
	lc_slot_write(r);
	WRITE_ONCE(lc_head, head + 1);
	smp_store_release(&lc_ctl->head, head + 1);	/* after the slot */
	armed = lc_wake_armed;		/* see lc_wake_now() */
	if (unlikely(lc_batch_files) && !lc_batch_armed) {
		lc_batch_armed = true;
		batch = true;
	}
	if (unlikely(head + 1 >= lc_batch_wake_at))
		batch = true;
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);

	lc_count(LC_CNT_RECORDED);
	if (unlikely(batch))
		irq_work_queue(&lc_batch_work);
	if (!armed) {
		if (wq_has_sleeper(&lc_log_wq)) {
			WRITE_ONCE(lc_wake_armed, true);
			irq_work_queue(&lc_wake_work);
		}
	} else if (head - READ_ONCE(lc_woken_at) == lc_log_size / 2) {
		irq_work_queue(&lc_wake_work);
	}
}

static u64 lc_oldest(u64 head)
{
	u64 first = head > lc_log_size ? head - lc_log_size : 1;

	return max(first, lc_first);
}

/*
 * The slot at *seq, under lc_log_lock: NULL at the end, or ERR_PTR(-EPIPE)
 * with *lost set and *seq moved to the oldest retained record.
 */
static const struct lc_event *lc_slot(u64 *seq, u64 *lost)
{
	u64 first;

	lockdep_assert_held(&lc_log_lock);
	if (*seq < lc_first)
		*seq = lc_first;
	first = lc_oldest(lc_head);
	if (*seq < first) {
		*lost = first - *seq;
		*seq = first;
		return ERR_PTR(-EPIPE);
	}
	if (*seq >= lc_head)
		return NULL;
	return lc_slot_at(*seq);
}

/**
 * lc_log_read() - copy out the record at a reader's cursor
 * @seq: the reader's cursor, advanced past what was read or lost
 * @out: where the record goes
 * @lost: set to the number of records overwritten before the cursor
 *        reached them; the cursor then moves to the oldest retained one
 *
 * Return: 1 when @out holds a record, 0 when the cursor is at the end,
 * -EPIPE when records were lost (see @lost).
 */
int lc_log_read(u64 *seq, struct lc_record *out, u64 *lost)
{
	const struct lc_slot_priv *priv;
	const struct lc_event *ev;
	unsigned long flags;
	int ret = 0;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	ev = lc_slot(seq, lost);
	if (IS_ERR(ev)) {
		ret = PTR_ERR(ev);
	} else if (ev) {
		lc_decode(ev, out);
		priv = &lc_priv[*seq & lc_mask];
		out->nslevels = priv->nslevels;
		if (unlikely(priv->nslevels))
			out->nsview = priv->nsview;
		(*seq)++;
		ret = 1;
	}
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
	return ret;
}

/* The largest event (exec's whole payload, then the ids) fits a line. */
static_assert(LC_EVENT_MAX <= LC_LINE_MAX);

/**
 * lc_log_encode() - encode records at a reader's cursor straight from the
 * ring, for a reader that sees pids as the log holds them
 * @seq: the reader's cursor, advanced past what was taken, skipped or lost
 * @buf: where the struct lc_event records go, 8-byte aligned
 * @room: its size, at least LC_EVENT_MAX
 * @uid: take only this uid's records (and lost ones); LC_ALL_UIDS for all
 * @lost: as lc_log_read()
 *
 * The binary stream's fast path: no copy of the record in between, and one
 * hold of the lock for up to LC_LOG_BATCH records (a bounded hold).
 *
 * Return: the bytes written to @buf; 0 at the end; -EAGAIN when a batch
 * held nothing for @uid (call again); -EPIPE when records were lost.
 */
ssize_t lc_log_encode(u64 *seq, void *buf, size_t room, u32 uid, u64 *lost)
{
	const struct lc_event *r = NULL;
	unsigned long flags;
	size_t done = 0;
	u64 at;
	int n;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	for (n = 0; n < LC_LOG_BATCH && done + LC_EVENT_MAX <= room; n++) {
		at = *seq;
		r = lc_slot(seq, lost);
		if (IS_ERR_OR_NULL(r))
			break;
		(*seq)++;
		if (uid == LC_ALL_UIDS || r->uid == uid ||
		    r->type == LC_EV_LOST) {
			lc_copy_event(buf + done, r);
			done += r->size;
		}
	}
	if (IS_ERR(r) && done)
		*seq = at;	/* what was taken first; the loss next time */
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
	if (done)
		return done;
	if (IS_ERR(r))
		return PTR_ERR(r);
	return r ? -EAGAIN : 0;
}

/**
 * lc_log_head() - the sequence number the next record will get
 *
 * Return: the head.
 */
u64 lc_log_head(void)
{
	return READ_ONCE(lc_head);
}

/**
 * lc_log_first() - the oldest retained sequence number
 *
 * Return: the oldest seq still in the ring (== head when empty).
 */
u64 lc_log_first(void)
{
	unsigned long flags;
	u64 first;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	first = lc_oldest(lc_head);
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
	return first;
}

/**
 * lc_log_clear() - drop every retained record; seq numbers carry on
 *
 * Readers positioned before the new start see no loss: a clear is asked
 * for, not an overrun.
 */
void lc_log_clear(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&lc_log_lock, flags);
	lc_first = lc_head;
	WRITE_ONCE(lc_ctl->first, lc_first);
	raw_spin_unlock_irqrestore(&lc_log_lock, flags);
}

/**
 * lc_log_memory() - bytes the log holds
 *
 * Return: the ring's size.
 */
size_t lc_log_memory(void)
{
	return PAGE_SIZE + (size_t)lc_log_size *
	       (LC_SLOT_SIZE + sizeof(struct lc_slot_priv));
}

/**
 * lc_log_mmap() - map the ctl page and the ring into @vma, read-only
 * @vma: the caller checked who maps and cleared the write permissions
 *
 * Return: 0, or -EINVAL for a range past the end.
 */
int lc_log_mmap(struct vm_area_struct *vma)
{
	return remap_vmalloc_range(vma, lc_map, vma->vm_pgoff);
}
