// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_target: a plain module for livepatches to target. It logs its init and
 * exit and shows "lpt_target: original output" in /proc/lpt_target, through
 * lpt_target_show, which lpt_target_patch replaces.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static struct proc_dir_entry *lpt_target_entry;

static noinline int lpt_target_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: original output\n", KBUILD_MODNAME);
	return 0;
}

static int __init lpt_target_init(void)
{
	pr_info("%s\n", __func__);
	lpt_target_entry = proc_create_single(KBUILD_MODNAME, 0444, NULL, lpt_target_show);
	return lpt_target_entry ? 0 : -ENOMEM;
}

static void __exit lpt_target_exit(void)
{
	proc_remove(lpt_target_entry);
	pr_info("%s\n", __func__);
}

module_init(lpt_target_init);
module_exit(lpt_target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("livepatch-testkit: target module with /proc/lpt_target");
