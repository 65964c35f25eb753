// SPDX-License-Identifier: GPL-2.0
/*
 * params.c - module parameters, each with a range that is enforced.
 *
 * Sizes are fixed at load time: memory is allocated once, so these are
 * read-only afterwards.  A value out of range fails the load with -EINVAL
 * and one line in the kernel log.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include "lc.h"

unsigned int lc_log_size = 16384;
unsigned int lc_lineage_size = 8192;
unsigned int lc_track_size = 64;
unsigned int lc_argv_max = LC_ARGV_LEN;
unsigned int lc_fallback_mask;
unsigned int lc_all_gid = LC_NO_GID;
/* All events but per-thread state changes, which need a selection. */
unsigned int lc_event_mask = (1U << LC_EV_COUNT) - 1;

struct lc_uint_param {
	unsigned int *var;
	unsigned int min;
	unsigned int max;
	bool pow2;
};

static int lc_param_set(const char *val, const struct kernel_param *kp)
{
	const struct lc_uint_param *p = kp->arg;
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret || v < p->min || v > p->max || (p->pow2 && !is_power_of_2(v))) {
		pr_err_ratelimited("%s=%s: want %s%u..%u\n", kp->name, val,
				   p->pow2 ? "a power of two in " : "",
				   p->min, p->max);
		return -EINVAL;
	}
	*p->var = v;
	return 0;
}

static int lc_param_get(char *buf, const struct kernel_param *kp)
{
	const struct lc_uint_param *p = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%u\n", *p->var);
}

static const struct kernel_param_ops lc_uint_ops = {
	.set = lc_param_set,
	.get = lc_param_get,
};

#define LC_PARAM(name, var, lo, hi, p2, desc)				\
	static struct lc_uint_param name##_param = { &(var), lo, hi, p2 }; \
	module_param_cb(name, &lc_uint_ops, &name##_param, 0444);	\
	MODULE_PARM_DESC(name, desc)

LC_PARAM(log_size, lc_log_size, 256, 1U << 20, true,
	 "records kept in the event log, a power of two (default 16384)");
LC_PARAM(lineage_size, lc_lineage_size, 64, 1U << 20, false,
	 "processes the lineage table holds, live and exited (default 8192)");
LC_PARAM(track_size, lc_track_size, 1, 4096, false,
	 "threads state tracking can follow at once (default 64)");
LC_PARAM(argv_max, lc_argv_max, 0, LC_ARGV_LEN, false,
	 "bytes of argv kept per exec, 0..160 (default 160)");
LC_PARAM(fallback, lc_fallback_mask, 0, (1U << LC_HOOK_COUNT) - 1, false,
	 "kprobe hooks to leave unregistered, as a bit mask, to use their fallbacks (bit 0 reparent, 1 reap, 2 stop/cont, 3 setsid, 4 setpgid)");
LC_PARAM(all_gid, lc_all_gid, 0, LC_NO_GID, false,
	 "a group whose members see every record, as root does (default none: 4294967295)");
