// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_busy: a plain module whose work item runs lpt_busy_work_func once at
 * load. While the block_transition parameter is set, the work function keeps
 * sleeping inside itself, so a livepatch of it cannot finish its transition
 * until the flag is cleared (by writing 0 to the parameter or unloading).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/workqueue.h>

static bool block_transition;
module_param(block_transition, bool, 0644);
MODULE_PARM_DESC(block_transition, "keep lpt_busy_work_func running while set (default N)");

static DECLARE_COMPLETION(lpt_work_entered);

static void lpt_busy_work_func(struct work_struct *work)
{
	pr_info("%s enter\n", __func__);
	complete(&lpt_work_entered);
	while (READ_ONCE(block_transition))
		msleep(20);
	pr_info("%s exit\n", __func__);
}

static DECLARE_WORK(lpt_busy_work, lpt_busy_work_func);

static int __init lpt_busy_init(void)
{
	pr_info("%s\n", __func__);
	schedule_work(&lpt_busy_work);
	/* Keep the log in a fixed order: the work has logged "enter" before init returns. */
	wait_for_completion(&lpt_work_entered);
	if (!READ_ONCE(block_transition))
		flush_work(&lpt_busy_work);
	return 0;
}

static void __exit lpt_busy_exit(void)
{
	WRITE_ONCE(block_transition, false);
	flush_work(&lpt_busy_work);
	pr_info("%s\n", __func__);
}

module_init(lpt_busy_init);
module_exit(lpt_busy_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("livepatch-testkit: busy target module that can hold a transition open");
