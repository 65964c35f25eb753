// SPDX-License-Identifier: GPL-2.0
/*
 * procfs.c - /proc/lifecycle, modelled on /dev/kmsg.
 *
 * Every open file has its own cursor into the log.  read() hands out
 * whole lines (or, after LC_IOC_BINARY, struct lc_event records), and a
 * line cut by a short buffer is finished by the next read().  At the end
 * of the log read() returns 0, so cat ends; after
 * LC_IOC_FOLLOW it blocks instead (or fails with -EAGAIN under
 * O_NONBLOCK).  A reader the writer overtook gets one "lost" line.
 *
 * The file is S_ISREG, so tools treat it as a regular file: GNU head reads
 * a block, prints its lines and gives the rest back with
 * lseek(fd, -rest, SEEK_CUR).  The position is the count of bytes read so
 * far, and lseek() may move it back within the bytes the last read()
 * returned (the last LC_BACK_SIZE of them at most): they are kept, and
 * read() returns them again before anything new.  Any other move fails
 * with -ESPIPE (-EINVAL for a negative position), as on a pipe; pread()
 * fails with -ESPIPE.  A binary stream (LC_IOC_BINARY) keeps nothing to
 * give back, so that its records are copied once less.
 *
 * An admin reading through the initial pid namespace's procfs may map
 * the log instead (lc_proc_mmap()) and tell the file its cursor with
 * LC_IOC_CURSOR, for poll() and the stats; the layout is in lifecycle.h.
 *
 * On unload, lc_log_shutdown() wakes every sleeper for good and
 * proc_remove() waits for the calls in flight, then closes the files.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uuid.h>
#include <linux/mm.h>
#include "compat.h"
#include "lc.h"
#include "stats.h"

/* Bytes of the last read() kept to be given back, a power of two. */
#define LC_BACK_SIZE	(8 * LC_LINE_MAX)

struct lc_reader {
	struct list_head node;		/* on lc_reader_list */
	pid_t opener;			/* tgid that opened it, for stats */
	struct mutex lock;		/* one read() or lseek() at a time */
	u64 seq;			/* next record to read */
	u64 lost;			/* records this reader lost */
	struct pid_namespace *ns;	/* pids are shown as seen here */
	kuid_t uid;			/* non-admins see their own uid only */
	bool admin;
	bool follow;
	bool binary;			/* struct lc_event, not text */
	bool header_done;
	bool polled;			/* LC_IOC_WAKEUP may not change queues */
	u32 batch_records;		/* LC_IOC_WAKEUP: 0, or the watermark */
	u32 batch_ms;			/* ... and the longest wait */
	size_t len;			/* bytes of lines in buf */
	size_t off;			/* bytes of buf already read */
	loff_t pos;			/* the file position */
	loff_t end;			/* bytes ever taken from buf */
	loff_t start;			/* pos before the last read() */
	struct lc_record rec;
	/* whole lines or events, made ahead; events are 8-byte aligned */
	char buf[8 * LC_LINE_MAX] __aligned(8);
	char back[LC_BACK_SIZE];	/* ring: bytes end - LC_BACK_SIZE..end */
};

static struct proc_dir_entry *lc_proc;
static atomic_t lc_readers = ATOMIC_INIT(0);
static LIST_HEAD(lc_reader_list);
static DEFINE_MUTEX(lc_reader_list_lock);
static atomic64_t lc_lost_total = ATOMIC64_INIT(0);

/* The boot id, read once from procfs by the first open that can. */
static DEFINE_MUTEX(lc_boot_lock);
static uuid_t lc_boot_id;
static bool lc_boot_known;

/*
 * The kernel keeps the boot id in a sysctl with no exported accessor, so
 * it is read as userspace reads it, through the opener's /proc.  An opener
 * without one (a chroot) leaves it unknown for the next open to try.
 */
static void lc_boot_id_read(void)
{
	char buf[UUID_STRING_LEN + 1] = "";
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	mutex_lock(&lc_boot_lock);
	if (lc_boot_known)
		goto out;
	f = filp_open("/proc/sys/kernel/random/boot_id", O_RDONLY, 0);
	if (IS_ERR(f))
		goto out;
	n = kernel_read(f, buf, UUID_STRING_LEN, &pos);
	filp_close(f, NULL);
	if (n != UUID_STRING_LEN || uuid_parse(buf, &lc_boot_id))
		goto out;
	/* the id before the flag: pairs with the acquires of readers */
	smp_store_release(&lc_boot_known, true);
out:
	mutex_unlock(&lc_boot_lock);
}

/* The stream's header: the text line, or the binary magic and header. */
static size_t lc_stream_head(struct lc_reader *rd, char *buf, size_t room)
{
	/* the flag, then the id it publishes */
	bool known = smp_load_acquire(&lc_boot_known);
	struct lc_stream_header h = {
		.size = sizeof(h),
		.flags = known ? LC_STREAM_BOOT_ID : 0,
	};

	if (rd->binary) {
		if (known)
			memcpy(h.boot_id, &lc_boot_id, sizeof(h.boot_id));
		memcpy(buf, LC_BIN_MAGIC, LC_BIN_MAGIC_LEN);
		memcpy(buf + LC_BIN_MAGIC_LEN, &h, sizeof(h));
		return LC_BIN_PROLOGUE_LEN;
	}
	if (known)
		return scnprintf(buf, room, LC_HEADER_FMT_ID,
				 LC_FORMAT_VERSION, &lc_boot_id);
	return scnprintf(buf, room, LC_HEADER_FMT, LC_FORMAT_VERSION, "-");
}

/* The uid whose records @rd sees, or LC_ALL_UIDS */
static u32 lc_uid_seen(const struct lc_reader *rd)
{
	return rd->admin ? LC_ALL_UIDS :
			   from_kuid_munged(&init_user_ns, rd->uid);
}

static bool lc_visible(const struct lc_reader *rd, const struct lc_record *r)
{
	u32 uid = lc_uid_seen(rd);

	return uid == LC_ALL_UIDS || r->type == LC_EV_LOST || r->uid == uid;
}

/*
 * Append the next line (or binary event) to rd->buf, which has room for
 * LC_LINE_MAX bytes.  Return 1, or 0 at the end.
 */
static int lc_next_line(struct lc_reader *rd)
{
	char *line = rd->buf + rd->len;
	size_t room = sizeof(rd->buf) - rd->len;
	ssize_t n;
	u64 lost;
	int ret;

	BUILD_BUG_ON(sizeof(struct lc_event) > LC_LINE_MAX);
	if (!rd->header_done) {
		rd->len += lc_stream_head(rd, line, room);
		rd->header_done = true;
		return 1;
	}
	for (;;) {
		if (rd->binary && rd->ns == &init_pid_ns) {
			/* no rewrite of pids: straight from the ring */
			n = lc_log_encode(&rd->seq, line, room, lc_uid_seen(rd),
					  &lost);
			if (n > 0) {
				rd->len += n;
				return 1;
			}
			if (n == -EAGAIN)
				continue;
			ret = n;
		} else {
			ret = lc_log_read(&rd->seq, &rd->rec, &lost);
		}
		if (ret == 0)
			return 0;
		if (ret == -EPIPE) {
			memset(&rd->rec, 0, sizeof(rd->rec));
			rd->rec.type = LC_EV_LOST;
			rd->rec.seq = rd->seq - lost;
			rd->rec.ts = ktime_get_boot_fast_ns();
			rd->rec.cpu = raw_smp_processor_id();
			rd->rec.lost.count = lost;
			rd->lost += lost;
			atomic64_add(lost, &lc_lost_total);
			lc_count(LC_CNT_LOST_READERS);
		}
		if (!lc_visible(rd, &rd->rec) || !lc_view(&rd->rec, rd->ns))
			continue;
		if (rd->binary)
			rd->len += lc_encode(&rd->rec, (struct lc_event *)line);
		else
			rd->len += lc_format(&rd->rec, line, room);
		return 1;
	}
}

static bool lc_ready(struct lc_reader *rd)
{
	return lc_log_dying() || !rd->header_done ||
	       READ_ONCE(rd->seq) < lc_log_head();
}

/*
 * Format up to @want bytes of whole lines into the empty rd->buf; wait for
 * a record only when following, asked to, and nothing was read yet.
 * Return 1 when there are lines, 0 at the end, or -errno.
 */
static int lc_fill(struct lc_reader *rd, struct file *f, bool may_wait,
		   size_t want)
{
	int ret;

	for (;;) {
		if (lc_log_dying())
			return 0;
		while (rd->len < want &&
		       rd->len + LC_LINE_MAX <= sizeof(rd->buf) &&
		       lc_next_line(rd))
			;
		if (rd->len)
			return 1;
		if (!rd->follow || !may_wait)
			return 0;
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(lc_log_wq, lc_ready(rd));
		if (ret)
			return ret;
	}
}

/* Keep @n bytes just read from rd->buf in the ring, at end. */
static void lc_keep(struct lc_reader *rd, const char *p, size_t n)
{
	size_t at = rd->end & (LC_BACK_SIZE - 1);
	size_t part = min(n, LC_BACK_SIZE - at);

	BUILD_BUG_ON_NOT_POWER_OF_2(LC_BACK_SIZE);
	BUILD_BUG_ON(sizeof(rd->buf) > LC_BACK_SIZE);
	memcpy(rd->back + at, p, part);
	memcpy(rd->back, p + part, n - part);
	rd->end += n;
	rd->pos = rd->end;
}

/* Copy out bytes lseek() gave back. Return how many, or -EFAULT. */
static ssize_t lc_replay(struct lc_reader *rd, char __user *buf, size_t count)
{
	size_t at = rd->pos & (LC_BACK_SIZE - 1);
	size_t n = min3(count, (size_t)(rd->end - rd->pos), LC_BACK_SIZE - at);

	if (copy_to_user(buf, rd->back + at, n))
		return -EFAULT;
	rd->pos += n;
	return n;
}

static ssize_t lc_proc_read(struct file *f, char __user *buf, size_t count,
			    loff_t *ppos)
{
	struct lc_reader *rd = f->private_data;
	size_t done = 0, n;
	loff_t start;
	ssize_t ret = 0;

	if (mutex_lock_interruptible(&rd->lock))
		return -ERESTARTSYS;
	start = rd->pos;
	while (done < count) {
		if (rd->pos < rd->end) {
			ret = lc_replay(rd, buf + done, count - done);
			if (ret < 0)
				break;
			done += ret;
			continue;
		}
		if (rd->off == rd->len) {
			rd->off = 0;
			rd->len = 0;
			ret = lc_fill(rd, f, done == 0, count - done);
			if (ret <= 0)
				break;
		}
		n = min(count - done, rd->len - rd->off);
		if (copy_to_user(buf + done, rd->buf + rd->off, n)) {
			ret = -EFAULT;
			break;
		}
		if (rd->binary) {	/* nothing to give back: see lseek */
			rd->end += n;
			rd->pos = rd->end;
		} else {
			lc_keep(rd, rd->buf + rd->off, n);
		}
		rd->off += n;
		done += n;
	}
	if (done) {
		rd->start = start;
		if (ppos)
			*ppos = rd->pos;
	}
	mutex_unlock(&rd->lock);
	return done ? done : ret;
}

/*
 * Move back within the bytes the last read() returned, or stay, with
 * SEEK_CUR or SEEK_SET (tail seeks to where it already is).  The position
 * counts the bytes read; beyond it nothing is known yet, and before the
 * last read() nothing is kept: -ESPIPE, as on a pipe.  A negative position
 * is -EINVAL, as on every file.
 */
static loff_t lc_proc_lseek(struct file *f, loff_t offset, int whence)
{
	struct lc_reader *rd = f->private_data;
	loff_t to, ret;

	if ((whence != SEEK_CUR && whence != SEEK_SET) ||
	    (whence == SEEK_CUR && offset > 0))
		return -ESPIPE;
	if (mutex_lock_interruptible(&rd->lock))
		return -ERESTARTSYS;
	to = whence == SEEK_CUR ? rd->pos + offset : offset;
	if (to < 0) {
		ret = -EINVAL;
	} else if (to > rd->pos || to < rd->start ||
		   to < rd->end - LC_BACK_SIZE || (rd->binary && to != rd->pos)) {
		ret = -ESPIPE;
	} else {
		rd->pos = to;
		f->f_pos = to;
		ret = to;
	}
	mutex_unlock(&rd->lock);
	return ret;
}

static __poll_t lc_proc_poll(struct file *f, struct poll_table_struct *wait)
{
	struct lc_reader *rd = f->private_data;
	__poll_t mask = 0;
	u64 seq = READ_ONCE(rd->seq);
	bool more;
	u32 records;

	if (lc_log_dying())
		return EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	/* claimed against LC_IOC_WAKEUP before the queue is chosen */
	if (!READ_ONCE(rd->polled)) {
		mutex_lock(&lc_reader_list_lock);
		WRITE_ONCE(rd->polled, true);
		mutex_unlock(&lc_reader_list_lock);
	}
	records = READ_ONCE(rd->batch_records);
	if (records) {
		poll_wait(f, &lc_batch_wq, wait);
		more = lc_log_batch_ready(seq, records);
	} else {
		poll_wait(f, &lc_log_wq, wait);
		smp_mb();	/* pairs with wq_has_sleeper() in lc_log_commit() */
		more = seq < lc_log_head();
	}
	if (READ_ONCE(rd->off) < READ_ONCE(rd->len) || !rd->header_done ||
	    READ_ONCE(rd->pos) < READ_ONCE(rd->end) || more)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (seq < lc_log_first())
		mask |= EPOLLERR | EPOLLPRI;
	return mask;
}

/* Whether @rd may map the log: it sees every record as the log holds it. */
static bool lc_may_map(const struct lc_reader *rd)
{
	return rd->admin && rd->ns == &init_pid_ns;
}

/*
 * LC_IOC_CURSOR: a mapped reader's cursor (forward only, not past the
 * head) and what it lost since the last call (no more than it moved).
 */
static int lc_set_cursor(struct lc_reader *rd, void __user *arg)
{
	struct lc_cursor c;
	int ret = 0;

	if (!lc_may_map(rd))
		return -EPERM;
	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (mutex_lock_interruptible(&rd->lock))
		return -ERESTARTSYS;
	if (!c.seq && !c.lost) {
		c.seq = rd->seq;
	} else if (c.seq < rd->seq || c.seq > lc_log_head() ||
		   c.lost > c.seq - rd->seq) {
		ret = -EINVAL;
	} else {
		WRITE_ONCE(rd->seq, c.seq);
		if (c.lost) {
			WRITE_ONCE(rd->lost, rd->lost + c.lost);
			atomic64_add(c.lost, &lc_lost_total);
			lc_count(LC_CNT_LOST_READERS);
		}
	}
	mutex_unlock(&rd->lock);
	if (ret) {
		pr_warn_ratelimited("LC_IOC_CURSOR: seq %llu lost %llu: outside %llu..%llu\n",
				    c.seq, c.lost, rd->seq, lc_log_head());
		return ret;
	}
	return copy_to_user(arg, &c, sizeof(c)) ? -EFAULT : 0;
}

/* Tell log.c how many files are batched and their shortest wait. */
static void lc_batch_recount(void)
{
	unsigned int files = 0, ms = UINT_MAX;
	struct lc_reader *rd;

	lockdep_assert_held(&lc_reader_list_lock);
	list_for_each_entry(rd, &lc_reader_list, node) {
		if (rd->batch_records) {
			files++;
			ms = min(ms, rd->batch_ms);
		}
	}
	lc_log_batch_set(files, files ? ms : 0);
}

/*
 * LC_IOC_WAKEUP: poll() says readable when @records wait past the cursor,
 * or once the wait for the first has lasted up to @ms; 0 and 0 as at open.
 * Before the first poll() only: an epoll entry stays on its first queue.
 */
static int lc_set_wakeup(struct lc_reader *rd, void __user *arg)
{
	struct lc_wakeup w;
	int ret = 0;

	/* the timer and watermark are shared: the mapping readers' only */
	if (!lc_may_map(rd))
		return -EPERM;
	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	if (w.records > lc_log_size / 2 || !w.records != !w.ms ||
	    w.ms > LC_WAKEUP_MS_MAX) {
		pr_warn_ratelimited("LC_IOC_WAKEUP: records %u ms %u: want 1..%u and 1..%u, or 0 and 0\n",
				    w.records, w.ms, lc_log_size / 2,
				    LC_WAKEUP_MS_MAX);
		return -EINVAL;
	}
	mutex_lock(&lc_reader_list_lock);
	if (READ_ONCE(rd->polled)) {
		ret = -EBUSY;
	} else {
		WRITE_ONCE(rd->batch_records, w.records);
		rd->batch_ms = w.ms;
		lc_batch_recount();
	}
	mutex_unlock(&lc_reader_list_lock);
	if (ret)
		pr_warn_ratelimited("LC_IOC_WAKEUP after the first poll()\n");
	return ret;
}

static long lc_proc_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct lc_reader *rd = f->private_data;
	int ret;

	switch (cmd) {
	case LC_IOC_FOLLOW:
		WRITE_ONCE(rd->follow, true);
		return 0;
	case LC_IOC_TAIL:
		mutex_lock(&rd->lock);
		rd->seq = lc_log_head();
		mutex_unlock(&rd->lock);
		return 0;
	case LC_IOC_BINARY:
		mutex_lock(&rd->lock);
		ret = rd->header_done ? -EBUSY : 0;
		if (!ret)
			rd->binary = true;
		mutex_unlock(&rd->lock);
		if (ret)
			pr_warn_ratelimited("LC_IOC_BINARY after the first read()\n");
		return ret;
	case LC_IOC_CURSOR:
		return lc_set_cursor(rd, (void __user *)arg);
	case LC_IOC_WAKEUP:
		return lc_set_wakeup(rd, (void __user *)arg);
	}
	return -ENOTTY;
}

/*
 * The mapped log, for a reader that sees records as they are kept: every
 * uid, pids of the initial namespace.  Read-only: no write or exec now,
 * and mprotect() may not add them later.
 */
static int lc_proc_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct lc_reader *rd = f->private_data;

	if (!lc_may_map(rd))
		return -EACCES;
	if (vma->vm_flags & (VM_WRITE | VM_EXEC)) {
		pr_warn_ratelimited("mmap: the log maps read-only\n");
		return -EPERM;
	}
	lc_vm_flags_clear(vma, VM_MAYWRITE | VM_MAYEXEC);
	return lc_log_mmap(vma);
}

static int lc_proc_open(struct inode *inode, struct file *f)
{
	struct lc_reader *rd;

	rd = kvzalloc(sizeof(*rd), GFP_KERNEL);
	if (!rd)
		return -ENOMEM;
	mutex_init(&rd->lock);
	rd->ns = get_pid_ns(proc_pid_ns(inode->i_sb));
	rd->uid = f->f_cred->uid;
	rd->admin = file_ns_capable(f, &init_user_ns, CAP_SYS_ADMIN) ||
		    (lc_all_gid != LC_NO_GID &&
		     in_group_p(make_kgid(&init_user_ns, lc_all_gid)));
	rd->seq = lc_log_first();
	rd->opener = current->tgid;
	if (!smp_load_acquire(&lc_boot_known))	/* a hint: read again locked */
		lc_boot_id_read();
	f->private_data = rd;
	atomic_inc(&lc_readers);
	mutex_lock(&lc_reader_list_lock);
	list_add_tail(&rd->node, &lc_reader_list);
	mutex_unlock(&lc_reader_list_lock);
	/*
	 * Seekable within the last read (lc_proc_lseek()), but no pread().
	 * rd->lock orders reads and seeks; without FMODE_ATOMIC_POS a
	 * follower asleep in read() does not hold f_pos_lock, so another
	 * read() or lseek() of a shared file waits interruptibly.
	 */
	f->f_mode &= ~(FMODE_PREAD | FMODE_PWRITE | FMODE_ATOMIC_POS);
	return 0;
}

static int lc_proc_release(struct inode *inode, struct file *f)
{
	struct lc_reader *rd = f->private_data;

	mutex_lock(&lc_reader_list_lock);
	list_del(&rd->node);
	if (rd->batch_records)
		lc_batch_recount();
	mutex_unlock(&lc_reader_list_lock);
	put_pid_ns(rd->ns);
	mutex_destroy(&rd->lock);
	kvfree(rd);
	atomic_dec(&lc_readers);
	return 0;
}

static const struct proc_ops lc_proc_ops = {
	.proc_open = lc_proc_open,
	.proc_read = lc_proc_read,
	.proc_lseek = lc_proc_lseek,
	.proc_poll = lc_proc_poll,
	.proc_ioctl = lc_proc_ioctl,
	.proc_mmap = lc_proc_mmap,
#ifdef CONFIG_COMPAT
	.proc_compat_ioctl = compat_ptr_ioctl,
#endif
	.proc_release = lc_proc_release,
};

/**
 * lc_procfs_init() - create /proc/lifecycle
 *
 * Return: 0 or -ENOMEM.
 */
int lc_procfs_init(void)
{
	lc_proc = proc_create("lifecycle", 0444, NULL, &lc_proc_ops);
	return lc_proc ? 0 : -ENOMEM;
}

/**
 * lc_procfs_exit() - remove it; waits for calls in flight, closes files
 */
void lc_procfs_exit(void)
{
	proc_remove(lc_proc);
}

/**
 * lc_procfs_readers() - how many files are open
 *
 * Return: the count.
 */
int lc_procfs_readers(void)
{
	return atomic_read(&lc_readers);
}

/**
 * lc_procfs_lost() - records lost by all readers since load
 *
 * Return: the total.
 */
u64 lc_procfs_lost(void)
{
	return atomic64_read(&lc_lost_total);
}

/**
 * lc_procfs_show_readers() - each open file's opener, loss and backlog
 * @m: the debugfs stats seq_file
 */
void lc_procfs_show_readers(struct seq_file *m)
{
	struct lc_reader *rd;
	unsigned int i = 0;
	u64 head = lc_log_head();

	mutex_lock(&lc_reader_list_lock);
	list_for_each_entry(rd, &lc_reader_list, node) {
		seq_printf(m, "reader%u_tgid %d\n", i, rd->opener);
		seq_printf(m, "reader%u_lost %llu\n", i, READ_ONCE(rd->lost));
		seq_printf(m, "reader%u_behind %llu\n", i,
			   head - min(head, READ_ONCE(rd->seq)));
		i++;
	}
	mutex_unlock(&lc_reader_list_lock);
}

/**
 * lc_procfs_memory() - bytes the open files take
 *
 * Return: the size.
 */
size_t lc_procfs_memory(void)
{
	return atomic_read(&lc_readers) * sizeof(struct lc_reader);
}
