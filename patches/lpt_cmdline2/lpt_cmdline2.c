// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_cmdline2: a second, different patch of vmlinux's cmdline_proc_show, for
 * stacking on top of lpt_cmdline or replacing it (replace=1). /proc/cmdline
 * then shows "lpt_cmdline2: this has been live patched".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int replace;
module_param(replace, int, 0644);
MODULE_PARM_DESC(replace, "atomically replace all earlier patches when non-zero (default 0)");

static int lpt_cmdline2_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, KBUILD_MODNAME ": this has been live patched\n");
	return 0;
}

static struct klp_func lpt_vmlinux_funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = lpt_cmdline2_proc_show,
	},
	{ }
};

static struct klp_object lpt_objects[] = {
	{
		.name = NULL,
		.funcs = lpt_vmlinux_funcs,
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objects,
};

static int __init lpt_cmdline2_init(void)
{
	lpt_patch.replace = replace != 0;
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_cmdline2_exit(void)
{
}

module_init(lpt_cmdline2_init);
module_exit(lpt_cmdline2_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: a second patch of cmdline_proc_show, for stacking and replacing");
