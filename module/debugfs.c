// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/lifecycle/{stats,lineage,state,control}.
 *
 * control takes one command per write:
 *   events all | events default | events NAME[,NAME...]
 *   track pid PID | track comm COMM | track off
 *   clear
 * Anything else fails with -EINVAL and one ratelimited line in the log.
 */
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "lc.h"
#include "stats.h"

#define LC_CONTROL_MAX	128

static struct dentry *lc_dir;
static const char *const lc_event_names[] = LC_EVENT_NAMES;

static void lc_stats_hooks(struct seq_file *m)
{
	const char *name;
	unsigned int i;

	for (i = 0; (name = lc_tracepoint_name(i)); i++) {
		seq_printf(m, "tracepoint_%s %d\n", name,
			   lc_tracepoint_live(name));
		seq_printf(m, "tracepoint_%s_fired %lu\n", name,
			   lc_tracepoint_fired(i));
	}
	for (i = 0; i < LC_HOOK_COUNT; i++) {
		seq_printf(m, "kprobe_%s %d\n", lc_kprobe_name(i),
			   lc_kprobe_live(i));
		seq_printf(m, "kprobe_%s_fired %lu\n", lc_kprobe_name(i),
			   lc_kprobe_fired(i));
		seq_printf(m, "kprobe_%s_nmissed %lu\n", lc_kprobe_name(i),
			   lc_kprobe_nmissed(i));
	}
}

static int lc_stats_show(struct seq_file *m, void *v)
{
	u64 head = lc_log_head(), first = lc_log_first();
	unsigned int i;

	for (i = 0; i < LC_CNT_COUNT; i++)
		seq_printf(m, "%s %llu\n", lc_counter_name(i),
			   lc_counter_sum(i));
	seq_printf(m, "lost_total %llu\n", lc_procfs_lost());
	seq_printf(m, "readers %d\n", lc_procfs_readers());
	lc_procfs_show_readers(m);
	seq_printf(m, "event_mask 0x%x\n", READ_ONCE(lc_event_mask));
	seq_printf(m, "log_capacity %u\n", lc_log_size);
	seq_printf(m, "log_used %llu\n", head - first);
	seq_printf(m, "log_next_seq %llu\n", head);
	seq_printf(m, "record_bytes %zu\n", sizeof(struct lc_record));
	seq_printf(m, "lineage_capacity %u\n", lc_lineage_size);
	seq_printf(m, "lineage_entries %u\n", lc_lineage_entries());
	seq_printf(m, "track_capacity %u\n", lc_track_size);
	seq_printf(m, "memory_bytes %zu\n", lc_log_memory() +
		   lc_lineage_memory() + lc_state_memory() +
		   lc_procfs_memory());
	lc_stats_hooks(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lc_stats);

static int lc_lineage_show_file(struct seq_file *m, void *v)
{
	return lc_lineage_show(m);
}

static int lc_lineage_open(struct inode *inode, struct file *f)
{
	return single_open_size(f, lc_lineage_show_file, NULL,
				lc_lineage_size * 96 + PAGE_SIZE);
}

static const struct file_operations lc_lineage_fops = {
	.owner = THIS_MODULE,
	.open = lc_lineage_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int lc_track_show(struct seq_file *m, void *v)
{
	return lc_state_show(m);
}
DEFINE_SHOW_ATTRIBUTE(lc_track);

static int lc_parse_events(char *list, unsigned int *mask)
{
	char *name;
	unsigned int i;

	if (!strcmp(list, "all") || !strcmp(list, "default")) {
		*mask = (1U << LC_EV_COUNT) - 1;
		return 0;
	}
	*mask = 0;
	while ((name = strsep(&list, ","))) {
		for (i = 0; i < LC_EV_COUNT; i++)
			if (!strcmp(name, lc_event_names[i]))
				break;
		if (i == LC_EV_COUNT || i == LC_EV_LOST)
			return -EINVAL;
		*mask |= 1U << i;
	}
	return 0;
}

static int lc_parse_track(char *arg)
{
	char *what = strsep(&arg, " ");
	pid_t pid;

	if (!strcmp(what, "off") && !arg) {
		lc_state_off();
		return 0;
	}
	if (!arg || !*arg)
		return -EINVAL;
	if (!strcmp(what, "pid")) {
		if (kstrtoint(arg, 10, &pid) || pid <= 0)
			return -EINVAL;
		rcu_read_lock();
		pid = pid_nr(find_vpid(pid));	/* the writer's view to global */
		rcu_read_unlock();
		return pid ? lc_state_select_pid(pid) : -ESRCH;
	}
	if (!strcmp(what, "comm") && strlen(arg) < LC_COMM_LEN &&
	    !strchr(arg, ' '))
		return lc_state_select_comm(arg);
	return -EINVAL;
}

static int lc_control(char *cmd)
{
	char *verb = strsep(&cmd, " ");
	unsigned int mask;
	int ret;

	if (!strcmp(verb, "clear") && !cmd) {
		lc_log_clear();
		lc_lineage_clear();
		return 0;
	}
	if (!strcmp(verb, "events") && cmd) {
		ret = lc_parse_events(cmd, &mask);
		if (!ret)
			WRITE_ONCE(lc_event_mask, mask);
		return ret;
	}
	if (!strcmp(verb, "track") && cmd)
		return lc_parse_track(cmd);
	return -EINVAL;
}

static bool lc_printable(const char *s)
{
	for (; *s; s++)
		if (!isprint(*s))
			return false;
	return true;
}

static ssize_t lc_control_write(struct file *f, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char buf[LC_CONTROL_MAX];
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len == 0 || len >= sizeof(buf))
		goto bad;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	if (!buf[0] || !lc_printable(buf))
		goto bad;
	ret = lc_control(buf);
	if (ret == -EINVAL)
		goto bad;
	return ret ? ret : len;
bad:
	lc_count(LC_CNT_BAD_INPUT);
	pr_info_ratelimited("control: bad command (%zu bytes); see README\n",
			    len);
	return -EINVAL;
}

static const struct file_operations lc_control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = lc_control_write,
	.llseek = noop_llseek,
};

/**
 * lc_debugfs_init() - create the directory and its files
 *
 * debugfs return values are not checked, as fs/debugfs advises.
 *
 * Return: 0.
 */
int lc_debugfs_init(void)
{
	lc_dir = debugfs_create_dir("lifecycle", NULL);
	debugfs_create_file("stats", 0444, lc_dir, NULL, &lc_stats_fops);
	debugfs_create_file("lineage", 0444, lc_dir, NULL, &lc_lineage_fops);
	debugfs_create_file("state", 0444, lc_dir, NULL,
			    &lc_track_fops);
	debugfs_create_file("control", 0200, lc_dir, NULL, &lc_control_fops);
	return 0;
}

/**
 * lc_debugfs_exit() - remove them; waits for open files' calls to end
 */
void lc_debugfs_exit(void)
{
	debugfs_remove(lc_dir);
}
