// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - lifecycle: the whole life of every process.
 *
 * Ordered init with unwinding; each step's init/exit pair lives in its
 * own file.  Exit mirrors init in reverse: hooks are unregistered and
 * waited for before anything they touch is freed.
 */
#include <linux/module.h>
#include "lc.h"

static int __init lc_init(void)
{
	int ret;

	ret = lc_log_init();
	if (ret)
		goto err_log;
	ret = lc_lineage_init();
	if (ret)
		goto err_lineage;
	ret = lc_state_init();
	if (ret)
		goto err_state;
	ret = lc_kprobes_init();
	if (ret)
		goto err_kprobes;
	ret = lc_tracepoints_init();
	if (ret)
		goto err_tracepoints;
	lc_lineage_seed();
	ret = lc_procfs_init();
	if (ret)
		goto err_procfs;
	ret = lc_debugfs_init();
	if (ret)
		goto err_debugfs;
	pr_info("loaded: log %u records, lineage %u processes\n",
		lc_log_size, lc_lineage_size);
	return 0;

err_debugfs:
	lc_log_shutdown();
	lc_procfs_exit();
err_procfs:
	lc_tracepoints_exit();
err_tracepoints:
	lc_kprobes_exit();
err_kprobes:
	lc_state_exit();
err_state:
	lc_lineage_exit();
err_lineage:
	lc_log_exit();
err_log:
	return ret;
}

static void __exit lc_exit(void)
{
	lc_debugfs_exit();
	lc_log_shutdown();
	lc_procfs_exit();
	lc_state_off();
	lc_tracepoints_exit();
	lc_kprobes_exit();
	lc_state_exit();
	lc_lineage_exit();
	lc_log_exit();
	pr_info("unloaded\n");
}

module_init(lc_init);
module_exit(lc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lifecycle developers");
MODULE_DESCRIPTION("Record the whole life of every process");
MODULE_VERSION("0.1");
