// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_kprobe: a kprobe on cmdline_proc_show. With a post handler the kprobe
 * needs the function's one IPMODIFY ftrace slot, so a livepatch of the same
 * function cannot be applied while it is registered; without one both coexist.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>

static bool has_post_handler = true;
module_param(has_post_handler, bool, 0444);
MODULE_PARM_DESC(has_post_handler, "Register the kprobe with a post handler (default: y)");

static void __kprobes lpt_post_handler(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
}

static struct kprobe lpt_kprobe = {
	.symbol_name = "cmdline_proc_show",
};

static int __init lpt_kprobe_init(void)
{
	if (has_post_handler)
		lpt_kprobe.post_handler = lpt_post_handler;
	return register_kprobe(&lpt_kprobe);
}

static void __exit lpt_kprobe_exit(void)
{
	unregister_kprobe(&lpt_kprobe);
}

module_init(lpt_kprobe_init);
module_exit(lpt_kprobe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("livepatch-testkit: a kprobe on cmdline_proc_show");
